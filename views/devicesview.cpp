#include "devicesview.h"
#include "viewutil.h"

#include "devicetablemodel.h"
#include "jobs.h"

#include "collections.h"
#include "database.h"
#include "defaultproject.h"
#include "devicerepo.h"
#include "measurements.h"
#include "models.h"
#include "remotecampaign.h"
#include "ssh.h"

#include <QComboBox>
#include <QCoreApplication>
#include <QDir>
#include <QFileDialog>
#include <QFileInfo>
#include <QFormLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QInputDialog>
#include <QLabel>
#include <QLineEdit>
#include <QMessageBox>
#include <QPlainTextEdit>
#include <QPointer>
#include <QProgressBar>
#include <QPushButton>
#include <QSplitter>
#include <QTableView>
#include <QTimer>
#include <QVBoxLayout>

#include <filesystem>
#include <map>
#include <mutex>

namespace sniper::views {

// Campaign events from the job thread, drained by the GUI thread's timer (10 Hz).
struct CampaignFeed {
    std::mutex mutex;
    std::map<std::string, std::pair<int64_t, int64_t>> progress; // device → (done, total)
    QStringList lines;
};

namespace {

struct DeviceList {
    std::vector<db::DeviceRecord> devices;
    QStringList datasets;
};

struct TestOutcome {
    devices::DeviceProbe probe;
    QString unknownFingerprint; // set: the host key is not trusted yet
    QString where;
};

struct CampaignOutcome {
    std::vector<devices::DeviceCampaignResult> results;
};

DeviceList readDevices(const std::string &path)
{
    db::Database project = db::openExistingProject(path);
    DeviceList l;
    l.devices = db::DeviceRepository(project).list();
    for (const auto &d : db::DatasetRepository(project).list())
        l.datasets << QString::fromStdString(d.name);
    return l;
}

// The model ids of a dataset; "" / "all": none (every model for a campaign, the agent only for deploy).
std::vector<int64_t> datasetModels(db::Database &project, const QString &choice)
{
    std::vector<int64_t> ids;
    if (choice.isEmpty() || choice == QLatin1String("all"))
        return ids;
    auto ds = db::DatasetRepository(project).findByName(choice.toStdString());
    if (!ds)
        throw std::runtime_error("no dataset named '" + choice.toStdString() + "' in the project");
    for (const auto &m : db::DatasetRepository(project).members(ds->id))
        ids.push_back(m.modelId);
    if (ids.empty())
        throw std::runtime_error("the dataset '" + choice.toStdString() + "' has no models");
    return ids;
}

QString defaultAgent()
{
    if (const QByteArray env = qgetenv("SNIPER_AGENT"); !env.isEmpty())
        return QString::fromLocal8Bit(env);
    const QDir self(QCoreApplication::applicationDirPath());
    for (const QString &c : {QStringLiteral("sniper-agent"), QStringLiteral("../devices/sniper-agent"),
                             QStringLiteral("../../devices/sniper-agent")})
        if (QFileInfo::exists(self.filePath(c)))
            return QDir::cleanPath(self.filePath(c));
    return QStringLiteral(SNIPER_AGENT_PATH);
}

QLineEdit *field(const char *objectName, const QString &value = {})
{
    auto *e = new QLineEdit(value);
    e->setObjectName(QString::fromLatin1(objectName));
    return e;
}

QLabel *banner(const char *objectName)
{
    auto *l = new QLabel;
    l->setObjectName(QString::fromLatin1(objectName));
    l->setWordWrap(true);
    l->setStyleSheet(QStringLiteral("QLabel { background: #fde2e1; color: #8a1f11; padding: 4px; }"));
    l->hide();
    return l;
}

} // namespace

DevicesView::DevicesView(JobsModel *jobs, QWidget *parent)
    : QWidget(parent), m_jobs(jobs), m_model(new DeviceTableModel(this)), m_table(new QTableView),
      m_name(field("deviceName")), m_host(field("deviceHost")), m_port(field("devicePort", QStringLiteral("22"))),
      m_user(field("deviceUser")), m_keyFile(field("deviceKeyFile")),
      m_workDir(field("deviceWorkDir", QStringLiteral("sniper-work"))), m_platforms(field("devicePlatforms")),
      m_auth(new QComboBox), m_models(new QComboBox), m_campaignPlatforms(field("campaignPlatforms")),
      m_minRuns(field("campaignMinRuns", QStringLiteral("10"))), m_maxRuns(field("campaignMaxRuns", QStringLiteral("100"))),
      m_maxSeconds(field("campaignMaxSeconds", QStringLiteral("10"))), m_addButton(new QPushButton(tr("Add"))),
      m_saveButton(new QPushButton(tr("Save changes"))), m_removeButton(new QPushButton(tr("Remove"))),
      m_testButton(new QPushButton(tr("Test connection"))), m_deployButton(new QPushButton(tr("Deploy"))),
      m_startButton(new QPushButton(tr("Start campaign"))), m_cancelButton(new QPushButton(tr("Cancel"))),
      m_resumeButton(new QPushButton(tr("Resume"))), m_formError(banner("deviceFormError")),
      m_banner(banner("devicesBanner")), m_progressLayout(new QVBoxLayout), m_logView(new QPlainTextEdit),
      m_poll(new QTimer(this)), m_project(QString::fromStdString(db::defaultProjectPath())),
      m_knownHosts(QString::fromStdString(devices::defaultKnownHostsFile())), m_agent(defaultAgent())
{
    m_auth->setObjectName(QStringLiteral("deviceAuth"));
    m_auth->addItem(tr("key file"), QStringLiteral("key"));
    m_auth->addItem(tr("ssh-agent"), QStringLiteral("agent"));
    m_auth->addItem(tr("password (asked each time)"), QStringLiteral("password"));
    m_models->setObjectName(QStringLiteral("campaignModels"));
    m_models->addItem(tr("All models"), QStringLiteral("all"));
    m_table->setObjectName(QStringLiteral("devicesTable"));
    m_table->setModel(m_model);
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->horizontalHeader()->setStretchLastSection(true);
    m_logView->setObjectName(QStringLiteral("devicesLog"));
    m_logView->setReadOnly(true);
    m_logView->setMaximumBlockCount(5000);
    m_cancelButton->setEnabled(false);
    m_name->setPlaceholderText(tr("e.g. jetson-nano"));
    m_host->setPlaceholderText(tr("host name or address"));
    m_keyFile->setPlaceholderText(tr("private key file (key authentication)"));
    m_platforms->setPlaceholderText(tr("e.g. torch-cpu-1t,opencv-cpu-1t"));
    m_campaignPlatforms->setPlaceholderText(tr("empty: each device's platforms"));

    auto *browse = new QPushButton(tr("Browse..."));
    auto *keyRow = new QHBoxLayout;
    keyRow->addWidget(m_keyFile);
    keyRow->addWidget(browse);
    auto *formBox = new QGroupBox(tr("Board"));
    auto *form = new QFormLayout;
    form->addRow(tr("Name"), m_name);
    form->addRow(tr("Host"), m_host);
    form->addRow(tr("Port"), m_port);
    form->addRow(tr("User"), m_user);
    form->addRow(tr("Authentication"), m_auth);
    form->addRow(tr("Key file"), keyRow);
    form->addRow(tr("Work dir"), m_workDir);
    form->addRow(tr("Platforms"), m_platforms);
    auto *formButtons = new QHBoxLayout;
    for (auto *b : {m_addButton, m_saveButton, m_removeButton})
        formButtons->addWidget(b);
    auto *formLayout = new QVBoxLayout(formBox);
    formLayout->addLayout(form);
    formLayout->addWidget(m_formError);
    formLayout->addLayout(formButtons);

    auto *campaignBox = new QGroupBox(tr("Campaign"));
    auto *campaignForm = new QFormLayout;
    campaignForm->addRow(tr("Models"), m_models);
    campaignForm->addRow(tr("Platforms"), m_campaignPlatforms);
    campaignForm->addRow(tr("Min runs"), m_minRuns);
    campaignForm->addRow(tr("Max runs"), m_maxRuns);
    campaignForm->addRow(tr("Max seconds"), m_maxSeconds);
    auto *campaignButtons = new QHBoxLayout;
    for (auto *b : {m_testButton, m_deployButton, m_startButton, m_cancelButton, m_resumeButton})
        campaignButtons->addWidget(b);
    auto *campaignLayout = new QVBoxLayout(campaignBox);
    campaignLayout->addLayout(campaignForm);
    campaignLayout->addLayout(campaignButtons);
    campaignLayout->addLayout(m_progressLayout);

    auto *side = new QWidget;
    auto *sideLayout = new QVBoxLayout(side);
    sideLayout->addWidget(formBox);
    sideLayout->addWidget(campaignBox);
    sideLayout->addStretch();
    auto *mainSplit = new QSplitter(Qt::Vertical);
    mainSplit->addWidget(m_table);
    mainSplit->addWidget(m_logView);
    auto *split = new QSplitter;
    split->addWidget(mainSplit);
    split->addWidget(side);
    split->setStretchFactor(0, 3);
    auto *layout = new QVBoxLayout(this);
    layout->addWidget(m_banner);
    layout->addWidget(split);

    const auto selectedNames = [this] {
        QStringList names;
        for (const QModelIndex &i : m_table->selectionModel()->selectedRows())
            if (const auto *d = m_model->device(i.row()))
                names << QString::fromStdString(d->name);
        return names;
    };
    const auto selected = [selectedNames] {
        const QStringList n = selectedNames();
        return n.isEmpty() ? QString() : n.first();
    };
    connect(m_addButton, &QPushButton::clicked, this, &DevicesView::addDevice);
    connect(m_saveButton, &QPushButton::clicked, this, &DevicesView::saveDevice);
    connect(m_removeButton, &QPushButton::clicked, this, [this, selected] { removeDevice(selected()); });
    connect(m_testButton, &QPushButton::clicked, this, [this, selected] { testConnection(selected()); });
    connect(m_deployButton, &QPushButton::clicked, this, [this, selected] { deploy(selected()); });
    connect(m_startButton, &QPushButton::clicked, this, [this, selectedNames] { startCampaign(selectedNames()); });
    connect(m_cancelButton, &QPushButton::clicked, this, &DevicesView::cancelCampaign);
    connect(m_resumeButton, &QPushButton::clicked, this, &DevicesView::resumeCampaign);
    connect(m_table->selectionModel(), &QItemSelectionModel::currentRowChanged, this, [this](const QModelIndex &i) {
        if (const auto *d = m_model->device(i.row()))
            editDevice(QString::fromStdString(d->name));
    });
    connect(browse, &QPushButton::clicked, this, [this] {
        const QString f = QFileDialog::getOpenFileName(this, tr("Private key file"), QDir::homePath() + QStringLiteral("/.ssh"));
        if (!f.isEmpty())
            m_keyFile->setText(f);
    });
    // Once an error is shown, it follows the form as it is corrected.
    for (auto *e : {m_name, m_host, m_port, m_user, m_keyFile, m_workDir})
        connect(e, &QLineEdit::textChanged, this, [this] {
            if (!m_formError->isHidden()) {
                db::DeviceRecord r;
                readForm(&r);
            }
        });
    connect(m_poll, &QTimer::timeout, this, &DevicesView::drainFeed);
}

DevicesView::~DevicesView() = default;

void DevicesView::setProject(const QString &path)
{
    m_project = path;
    reload();
}

void DevicesView::setKnownHostsFile(const QString &path)
{
    m_knownHosts = path;
}

void DevicesView::setForm(const QString &name, const QString &host, const QString &port, const QString &user,
                          const QString &auth, const QString &keyFile, const QString &workDir, const QString &platforms)
{
    m_name->setText(name);
    m_host->setText(host);
    m_port->setText(port);
    m_user->setText(user);
    m_auth->setCurrentIndex(std::max(0, m_auth->findData(auth)));
    m_keyFile->setText(keyFile);
    m_workDir->setText(workDir);
    m_platforms->setText(platforms);
}

void DevicesView::editDevice(const QString &name)
{
    const db::DeviceRecord *d = m_model->device(name);
    if (!d)
        return;
    m_editingId = d->id;
    QStringList platforms;
    for (const auto &p : d->platforms)
        platforms << QString::fromStdString(p);
    setForm(QString::fromStdString(d->name), QString::fromStdString(d->host), QString::number(d->port),
            QString::fromStdString(d->user), QString::fromStdString(d->auth), QString::fromStdString(d->keyFile),
            QString::fromStdString(d->workDir), platforms.join(QLatin1Char(',')));
}

bool DevicesView::readForm(db::DeviceRecord *out)
{
    const auto fail = [this](const QString &message) {
        showFormError(message);
        return false;
    };
    out->name = m_name->text().trimmed().toStdString();
    out->host = m_host->text().trimmed().toStdString();
    out->user = m_user->text().trimmed().toStdString();
    out->auth = m_auth->currentData().toString().toStdString();
    out->keyFile = m_keyFile->text().trimmed().toStdString();
    out->workDir = m_workDir->text().trimmed().toStdString();
    out->platforms = splitList(m_platforms->text());
    bool ok = false;
    out->port = m_port->text().trimmed().toInt(&ok);
    if (out->name.empty())
        return fail(tr("Name: enter a name for the board (used in platform ids ssh:<name>:<platform>)."));
    if (out->name.find(':') != std::string::npos)
        return fail(tr("Name: a board name cannot contain ':'."));
    if (out->host.empty())
        return fail(tr("Host: enter the board's host name or address."));
    if (!ok || out->port < 1 || out->port > 65535)
        return fail(tr("Port: '%1' is not a port number between 1 and 65535.").arg(m_port->text()));
    if (out->user.empty())
        return fail(tr("User: enter the login user on the board."));
    if (out->auth == "key" && out->keyFile.empty())
        return fail(tr("Key file: key authentication needs a private key file (or choose ssh-agent or password)."));
    if (out->workDir.empty())
        return fail(tr("Work dir: enter the folder on the board for the agent and models (relative to the home directory)."));
    if (out->auth != "key")
        out->keyFile.clear();
    else
        out->keyFile = std::filesystem::absolute(out->keyFile).string();
    m_formError->hide();
    m_formError->clear();
    return true;
}

void DevicesView::showFormError(const QString &message)
{
    m_formError->setText(message);
    m_formError->show();
}

void DevicesView::showError(const QString &message)
{
    m_banner->setText(message);
    m_banner->setVisible(!message.isEmpty());
    if (!message.isEmpty())
        Q_EMIT failed(message);
}

QString DevicesView::formError() const
{
    return m_formError->isHidden() ? QString() : m_formError->text();
}

QString DevicesView::errorText() const
{
    return m_banner->isHidden() ? QString() : m_banner->text();
}

QStringList DevicesView::deviceNames() const
{
    QStringList names;
    for (int r = 0; r < m_model->rowCount(); ++r)
        names << QString::fromStdString(m_model->device(r)->name);
    return names;
}

QString DevicesView::statusText(const QString &device) const
{
    return m_model->status(device);
}

void DevicesView::setBusy(bool busy)
{
    m_busy += busy ? 1 : -1;
}

void DevicesView::log(const QString &line)
{
    m_log << line;
    m_logView->appendPlainText(line);
}

void DevicesView::reload()
{
    const std::string path = m_project.toStdString();
    setBusy(true);
    m_jobs->start<DeviceList>(
        tr("Read devices"), [path](JobContext &) { return readDevices(path); }, this,
        [this](DeviceList l) {
            setBusy(false);
            m_model->setDevices(std::move(l.devices));
            const QString current = m_models->currentData().toString();
            while (m_models->count() > 1)
                m_models->removeItem(1);
            for (const QString &d : l.datasets)
                m_models->addItem(d, d);
            m_models->setCurrentIndex(std::max(0, m_models->findData(current)));
            Q_EMIT devicesChanged();
        },
        [this](QString e) {
            setBusy(false);
            showError(tr("Could not read the devices of %1: %2").arg(m_project, e));
        });
}

void DevicesView::saveRecord(const db::DeviceRecord &record, bool update)
{
    const std::string path = m_project.toStdString();
    setBusy(true);
    m_jobs->start<DeviceList>(
        update ? tr("Update device %1").arg(QString::fromStdString(record.name))
               : tr("Add device %1").arg(QString::fromStdString(record.name)),
        [path, record, update](JobContext &) {
            {
                db::Database project = db::openProject(path);
                db::DeviceRepository repo(project);
                if (update)
                    repo.update(record);
                else
                    repo.add(record);
            }
            return readDevices(path);
        },
        this,
        [this, name = QString::fromStdString(record.name)](DeviceList l) {
            setBusy(false);
            showError({});
            m_model->setDevices(std::move(l.devices));
            if (const auto *d = m_model->device(name))
                m_editingId = d->id;
            log(tr("%1: saved").arg(name));
            Q_EMIT devicesChanged();
        },
        [this](QString e) {
            setBusy(false);
            showFormError(e);
        });
}

bool DevicesView::addDevice()
{
    db::DeviceRecord r;
    if (!readForm(&r))
        return false;
    saveRecord(r, false);
    return true;
}

bool DevicesView::saveDevice()
{
    db::DeviceRecord r;
    if (!readForm(&r))
        return false;
    if (m_editingId == 0) {
        showFormError(tr("Select a board in the table to edit it, or use Add for a new one."));
        return false;
    }
    r.id = m_editingId;
    saveRecord(r, true);
    return true;
}

bool DevicesView::removeDevice(const QString &name)
{
    if (!m_model->device(name)) {
        showError(tr("Select a board in the table first."));
        return false;
    }
    const std::string path = m_project.toStdString();
    setBusy(true);
    m_jobs->start<DeviceList>(
        tr("Remove device %1").arg(name),
        [path, n = name.toStdString()](JobContext &) {
            {
                db::Database project = db::openProject(path);
                db::DeviceRepository(project).remove(n);
            }
            return readDevices(path);
        },
        this,
        [this, name](DeviceList l) {
            setBusy(false);
            m_editingId = 0;
            m_model->setDevices(std::move(l.devices));
            log(tr("%1: removed (its measurements stay)").arg(name));
            Q_EMIT devicesChanged();
        },
        [this](QString e) {
            setBusy(false);
            showError(e);
        });
    return true;
}

QString DevicesView::askSecret(const QString &prompt)
{
    if (m_secretPrompt)
        return m_secretPrompt(prompt);
    bool ok = false;
    const QString s = QInputDialog::getText(this, tr("Secret"), prompt, QLineEdit::Password, {}, &ok);
    return ok ? s : QString();
}

// Runs on a job thread: asks on the GUI thread and waits (the GUI thread never waits for a job).
std::function<std::string(const std::string &)> DevicesView::secretFunction()
{
    QPointer<DevicesView> self(this);
    return [self](const std::string &prompt) -> std::string {
        std::string answer;
        if (!self)
            return answer;
        QMetaObject::invokeMethod(
            self.data(),
            [&] {
                if (self)
                    answer = self->askSecret(QString::fromStdString(prompt)).toStdString();
            },
            Qt::BlockingQueuedConnection);
        return answer;
    };
}

bool DevicesView::confirmFingerprint(const QString &device, const QString &where, const QString &fingerprint)
{
    m_fingerprintShown = true;
    if (m_confirm)
        return m_confirm(device, where, fingerprint);
    QMessageBox box(QMessageBox::Question, tr("Unknown host key"),
                    tr("%1 (%2) presented a host key that is not in the workbench's known_hosts:\n\n%3\n\n"
                       "Check it on the board (ssh-keygen -lf /etc/ssh/ssh_host_ed25519_key.pub) before "
                       "accepting it.").arg(device, where, fingerprint),
                    QMessageBox::NoButton, this);
    auto *accept = box.addButton(tr("Accept"), QMessageBox::AcceptRole);
    box.addButton(tr("Reject"), QMessageBox::RejectRole);
    box.exec();
    return box.clickedButton() == accept;
}

bool DevicesView::testConnection(const QString &name)
{
    if (!m_model->device(name)) {
        showError(tr("Select a board in the table first."));
        return false;
    }
    runTest(name, {});
    return true;
}

void DevicesView::runTest(const QString &name, const QString &acceptFingerprint)
{
    const db::DeviceRecord device = *m_model->device(name);
    const std::string knownHosts = m_knownHosts.toStdString();
    const std::string accept = acceptFingerprint.toStdString();
    auto secret = secretFunction();
    m_model->setStatus(name, tr("testing..."));
    setBusy(true);
    m_jobs->start<TestOutcome>(
        tr("Test connection to %1").arg(name),
        [device, knownHosts, accept, secret](JobContext &) {
            TestOutcome o;
            try {
                if (!accept.empty())
                    devices::trustDevice(device, knownHosts, accept, secret);
                o.probe = devices::testDevice(device, knownHosts, secret);
            } catch (const devices::HostKeyUnknownError &e) {
                o.unknownFingerprint = QString::fromStdString(e.fingerprint());
                o.where = QString::fromStdString(device.user + "@" + device.host + ":" + std::to_string(device.port));
            }
            return o;
        },
        this,
        [this, name](TestOutcome o) {
            setBusy(false);
            if (!o.unknownFingerprint.isEmpty()) {
                log(tr("%1: unknown host key %2").arg(name, o.unknownFingerprint));
                if (confirmFingerprint(name, o.where, o.unknownFingerprint)) {
                    log(tr("%1: host key accepted, recording it in %2").arg(name, m_knownHosts));
                    runTest(name, o.unknownFingerprint);
                } else {
                    m_model->setStatus(name, tr("untrusted host key %1").arg(o.unknownFingerprint));
                    Q_EMIT tested(name, false);
                }
                return;
            }
            QStringList platforms;
            for (const auto &p : o.probe.platforms)
                platforms << QString::fromStdString(p);
            const QString status = o.probe.agentFound
                ? tr("connected: %1").arg(platforms.join(QStringLiteral(", ")))
                : tr("connected (no agent deployed yet)");
            m_model->setStatus(name, status);
            log(tr("%1: connected to %2, host key %3").arg(name, QString::fromStdString(o.probe.where),
                                                           QString::fromStdString(o.probe.fingerprint)));
            showError({});
            Q_EMIT tested(name, true);
        },
        [this, name](QString e) {
            setBusy(false);
            m_model->setStatus(name, tr("failed: %1").arg(e));
            log(tr("%1: %2").arg(name, e));
            showError(tr("Could not connect to %1: %2").arg(name, e));
            Q_EMIT tested(name, false);
        });
}

bool DevicesView::deploy(const QString &name)
{
    if (!m_model->device(name)) {
        showError(tr("Select a board in the table first."));
        return false;
    }
    const std::string path = m_project.toStdString();
    devices::DeviceRunOptions options;
    options.knownHostsFile = m_knownHosts.toStdString();
    options.agentBinary = m_agent.toStdString();
    options.secret = secretFunction();
    const QString models = m_models->currentData().toString();
    m_model->setStatus(name, tr("deploying..."));
    setBusy(true);
    m_jobs->start<std::pair<int64_t, int64_t>>(
        tr("Deploy to %1").arg(name),
        [path, options, models, n = name.toStdString()](JobContext &) {
            db::Database project = db::openProject(path);
            return devices::deployToDevice(project, n, datasetModels(project, models), options);
        },
        this,
        [this, name](std::pair<int64_t, int64_t> r) {
            setBusy(false);
            const QString s = tr("deployed: %1 file(s) uploaded, %2 already there").arg(r.first).arg(r.second);
            m_model->setStatus(name, s);
            log(tr("%1: %2").arg(name, s));
            Q_EMIT deployed(name);
        },
        [this, name](QString e) {
            setBusy(false);
            m_model->setStatus(name, tr("failed: %1").arg(e));
            showError(tr("Could not deploy to %1: %2").arg(name, e));
        });
    return true;
}

void DevicesView::setCampaign(const QString &models, const QString &platforms, const QString &minRuns,
                              const QString &maxRuns, const QString &maxSeconds)
{
    m_models->setCurrentIndex(std::max(0, m_models->findData(models.isEmpty() ? QStringLiteral("all") : models)));
    m_campaignPlatforms->setText(platforms);
    m_minRuns->setText(minRuns);
    m_maxRuns->setText(maxRuns);
    m_maxSeconds->setText(maxSeconds);
}

QProgressBar *DevicesView::progressBar(const QString &device)
{
    const QString objectName = QStringLiteral("progress:") + device;
    if (auto *bar = findChild<QProgressBar *>(objectName))
        return bar;
    auto *bar = new QProgressBar;
    bar->setObjectName(objectName);
    bar->setFormat(device + QStringLiteral(": %v/%m"));
    bar->setMaximum(0);
    m_progressLayout->addWidget(bar);
    return bar;
}

int DevicesView::progressValue(const QString &device) const
{
    const auto *bar = findChild<QProgressBar *>(QStringLiteral("progress:") + device);
    return bar ? bar->value() : -1;
}

int DevicesView::progressMaximum(const QString &device) const
{
    const auto *bar = findChild<QProgressBar *>(QStringLiteral("progress:") + device);
    return bar ? bar->maximum() : -1;
}

bool DevicesView::startCampaign(const QStringList &devices)
{
    if (devices.isEmpty()) {
        showError(tr("Select one or more boards in the table first."));
        return false;
    }
    runCampaign(devices, false);
    return m_campaignJob != 0;
}

bool DevicesView::resumeCampaign()
{
    runCampaign({}, true);
    return m_campaignJob != 0;
}

void DevicesView::cancelCampaign()
{
    if (m_campaignJob) {
        m_jobs->cancel(m_campaignJob);
        log(tr("cancelling the campaign (it stays resumable)"));
    }
}

void DevicesView::runCampaign(const QStringList &names, bool resume)
{
    if (m_campaignJob) {
        showError(tr("A campaign is already running; cancel it first."));
        return;
    }
    bool okMin = false, okMax = false, okSec = false;
    const int minRuns = m_minRuns->text().trimmed().toInt(&okMin);
    const int maxRuns = m_maxRuns->text().trimmed().toInt(&okMax);
    const double maxSeconds = m_maxSeconds->text().trimmed().toDouble(&okSec);
    if (!okMin || minRuns < 1)
        return showError(tr("Min runs: '%1' is not a positive whole number.").arg(m_minRuns->text()));
    if (!okMax || maxRuns < minRuns)
        return showError(tr("Max runs: '%1' must be a whole number of at least min runs.").arg(m_maxRuns->text()));
    if (!okSec || maxSeconds <= 0)
        return showError(tr("Max seconds: '%1' is not a positive number.").arg(m_maxSeconds->text()));
    showError({});
    devices::DeviceCampaignSpec spec;
    spec.platforms = splitList(m_campaignPlatforms->text());
    spec.protocol.minRuns = minRuns;
    spec.protocol.maxRuns = maxRuns;
    spec.protocol.maxSeconds = maxSeconds;
    devices::DeviceRunOptions options;
    options.knownHostsFile = m_knownHosts.toStdString();
    options.agentBinary = m_agent.toStdString();
    options.secret = secretFunction();
    const QString models = m_models->currentData().toString();
    const std::string path = m_project.toStdString();
    std::vector<std::string> deviceNames;
    for (const QString &n : names) {
        deviceNames.push_back(n.toStdString());
        m_model->setStatus(n, tr("starting campaign..."));
    }
    auto feed = m_feed = std::make_shared<CampaignFeed>();
    m_campaignJob = m_jobs->start<CampaignOutcome>(
        resume ? tr("Resume device campaign") : tr("Device campaign"),
        [=](JobContext &ctx) {
            db::Database project = db::openProject(path);
            std::vector<int64_t> runIds;
            if (resume) {
                auto unfinished = devices::unfinishedDeviceCampaign(project);
                if (!unfinished)
                    throw std::runtime_error("there is no unfinished device campaign to resume in " + path);
                runIds.push_back(*unfinished);
            } else {
                const std::vector<int64_t> ids = datasetModels(project, models);
                for (const auto &n : deviceNames) {
                    devices::DeviceCampaignSpec s = spec;
                    s.device = n;
                    s.modelIds = ids;
                    runIds.push_back(devices::createDeviceCampaign(project, s));
                }
            }
            int64_t allDone = 0;
            CampaignOutcome out;
            out.results = devices::runDeviceCampaigns(
                project, runIds, options,
                [&](const devices::DeviceCampaignEvent &e) {
                    using K = devices::DeviceCampaignEvent::Kind;
                    QString line;
                    const QString dev = QString::fromStdString(e.device);
                    switch (e.kind) {
                    case K::Connected:
                        line = tr("%1: connected").arg(dev);
                        break;
                    case K::Deployed:
                        line = tr("%1: deployed (%2)").arg(dev, QString::fromStdString(e.message));
                        break;
                    case K::Result:
                        ++allDone;
                        line = tr("%1 [%2/%3] %4 on %5: %6 %7 ms")
                                   .arg(dev).arg(e.done).arg(e.total)
                                   .arg(QString::fromStdString(e.modelName), QString::fromStdString(e.platform),
                                        QString::fromStdString(db::statusName(e.measurement->status)))
                                   .arg(e.measurement->stats.medianMs, 0, 'f', 3);
                        break;
                    case K::Reconnecting:
                        line = tr("%1: connection lost, reconnecting: %2").arg(dev, QString::fromStdString(e.message));
                        break;
                    case K::Finished:
                        line = tr("%1: finished %2/%3").arg(dev).arg(e.done).arg(e.total);
                        break;
                    }
                    std::lock_guard lock(feed->mutex);
                    if (e.total > 0)
                        feed->progress[e.device] = {e.done, e.total};
                    feed->lines << line;
                },
                ctx.cancelFlag());
            return out;
        },
        this,
        [this](CampaignOutcome o) {
            drainFeed();
            m_poll->stop();
            m_campaignJob = 0;
            m_startButton->setEnabled(true);
            m_resumeButton->setEnabled(true);
            m_cancelButton->setEnabled(false);
            QStringList errors;
            for (const auto &r : o.results) {
                const QString dev = QString::fromStdString(r.device);
                QString s = tr("campaign: %1 measured, %2 unsupported, %3 failed")
                                .arg(r.measured).arg(r.unsupported).arg(r.failed);
                if (r.cancelled)
                    s += tr(", cancelled (resumable)");
                if (!r.error.empty()) {
                    s += tr(", stopped: %1").arg(QString::fromStdString(r.error));
                    errors << dev + QStringLiteral(": ") + QString::fromStdString(r.error);
                }
                m_model->setStatus(dev, s);
                log(dev + QStringLiteral(": ") + s);
            }
            if (!errors.isEmpty())
                showError(tr("The campaign stopped early (Resume continues it): %1").arg(errors.join(QStringLiteral("; "))));
            Q_EMIT campaignFinished();
        },
        [this](QString e) {
            drainFeed();
            m_poll->stop();
            m_campaignJob = 0;
            m_startButton->setEnabled(true);
            m_resumeButton->setEnabled(true);
            m_cancelButton->setEnabled(false);
            showError(tr("The campaign failed: %1").arg(e));
            Q_EMIT campaignFinished();
        });
    m_startButton->setEnabled(false);
    m_resumeButton->setEnabled(false);
    m_cancelButton->setEnabled(true);
    m_poll->start(100);
}

void DevicesView::drainFeed()
{
    if (!m_feed)
        return;
    std::map<std::string, std::pair<int64_t, int64_t>> progress;
    QStringList lines;
    {
        std::lock_guard lock(m_feed->mutex);
        progress = m_feed->progress;
        lines.swap(m_feed->lines);
    }
    for (const auto &[device, p] : progress) {
        auto *bar = progressBar(QString::fromStdString(device));
        bar->setMaximum(int(p.second));
        bar->setValue(int(p.first));
    }
    for (const QString &l : lines)
        log(l);
}

} // namespace sniper::views
