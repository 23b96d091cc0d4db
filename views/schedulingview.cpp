#include "schedulingview.h"

#include "jobs.h"

#include "database.h"
#include "defaultproject.h"

#include <QChartView>
#include <QComboBox>
#include <QDoubleSpinBox>
#include <QFile>
#include <QFileDialog>
#include <QFormLayout>
#include <QGraphicsScene>
#include <QGraphicsView>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QPushButton>
#include <QSignalBlocker>
#include <QSpinBox>
#include <QSplitter>
#include <QTimer>
#include <QVBoxLayout>

#include <cmath>

namespace sniper::views {

namespace {

const char *const kPolicyNames[] = {"polling", "edf", "slo", "sniper", "mect"};
// The CLI's defaults (`sniper schedule run`): 100 MB/s links, Tm = 10 x fastest, noisy predictor.
constexpr double kBandwidthMBps = 100, kSlack = 10, kVariantSigma = 0.1, kPredictionError = 0.08;

// db::runScheduling / db::reopenSchedulingExperiment with the job's progress and cancel.
std::function<bool(int, int)> jobProgress(JobContext &ctx)
{
    return [&ctx](int done, int total) {
        ctx.setProgress(done, total);
        return !ctx.isCancelled();
    };
}

SchedulingRun simulateRun(const QString &project, const db::SchedulingSpec &spec, JobContext &ctx)
{
    db::Database d = db::openExistingProject(project.toStdString());
    SchedulingRun r;
    static_cast<db::SchedulingOutcome &>(r) = db::runScheduling(d, spec, jobProgress(ctx));
    r.spec = spec;
    return r;
}

SchedulingRun reopenRun(const QString &project, qint64 id, JobContext &ctx)
{
    db::Database d = db::openExistingProject(project.toStdString());
    SchedulingRun r;
    static_cast<db::SchedulingOutcome &>(r) = db::reopenSchedulingExperiment(d, id, jobProgress(ctx));
    const auto record = db::ExperimentRepository(d).find(id);
    r.spec = db::schedulingSpecFromJson(record->config);
    r.experimentId = id;
    r.experimentName = QString::fromStdString(record->name);
    return r;
}

} // namespace

SchedulingView::SchedulingView(JobsModel *jobs, QWidget *parent)
    : QWidget(parent), m_jobsModel(jobs), m_cluster(new QLineEdit), m_rate(new QLineEdit),
      m_newProb(new QDoubleSpinBox), m_duration(new QDoubleSpinBox), m_seed(new QSpinBox), m_trace(new QLineEdit),
      m_policies(new QListWidget), m_runButton(new QPushButton(tr("Run simulation"))),
      m_saveButton(new QPushButton(tr("Save to project"))), m_replayPolicy(new QComboBox),
      m_playButton(new QPushButton(tr("Play"))), m_speed(new QComboBox), m_banner(new QLabel), m_summary(new QLabel),
      m_tps(new QChartView), m_awt(new QChartView), m_load(new QChartView), m_compare(new QChartView),
      m_gantt(new QGraphicsScene(this)), m_ganttView(new QGraphicsView(m_gantt)), m_timer(new QTimer(this))
{
    m_cluster->setObjectName(QStringLiteral("schedulingCluster"));
    m_cluster->setText(QStringLiteral("torch-cpu-1t:3,opencv-cpu-1t:3"));
    m_cluster->setPlaceholderText(tr("platform:count,... e.g. torch-cpu-1t:3,opencv-cpu-1t:3"));
    m_rate->setObjectName(QStringLiteral("schedulingRate"));
    m_rate->setText(QStringLiteral("20"));
    m_rate->setMaximumWidth(100);
    m_newProb->setObjectName(QStringLiteral("schedulingNewProb"));
    m_newProb->setRange(0, 1);
    m_newProb->setDecimals(3);
    m_newProb->setSingleStep(0.05);
    m_newProb->setValue(0.2);
    m_duration->setObjectName(QStringLiteral("schedulingDuration"));
    m_duration->setRange(0.1, 3600);
    m_duration->setValue(60);
    m_duration->setSuffix(tr(" s"));
    m_seed->setObjectName(QStringLiteral("schedulingSeed"));
    m_seed->setRange(0, 1 << 30);
    m_seed->setValue(1);
    m_trace->setObjectName(QStringLiteral("schedulingTrace"));
    m_trace->setPlaceholderText(tr("optional CSV: time_s[,model id or name]; replaces the Poisson arrivals"));
    m_policies->setObjectName(QStringLiteral("schedulingPolicies"));
    m_policies->setFlow(QListView::LeftToRight);
    m_policies->setMaximumHeight(m_policies->fontMetrics().height() * 2 + 12);
    for (const char *name : kPolicyNames) {
        auto *item = new QListWidgetItem(QString::fromLatin1(name), m_policies);
        item->setFlags(Qt::ItemIsEnabled | Qt::ItemIsUserCheckable);
        item->setCheckState(Qt::Checked);
    }
    m_runButton->setObjectName(QStringLiteral("schedulingRun"));
    m_saveButton->setObjectName(QStringLiteral("schedulingSave"));
    m_saveButton->setEnabled(false);
    m_replayPolicy->setObjectName(QStringLiteral("schedulingReplayPolicy"));
    m_playButton->setObjectName(QStringLiteral("schedulingPlay"));
    m_playButton->setEnabled(false);
    m_speed->setObjectName(QStringLiteral("schedulingSpeed"));
    for (double f : {1.0, 2.0, 5.0, 10.0, 20.0, 50.0, 100.0})
        m_speed->addItem(tr("%1x").arg(f), f);
    m_speed->addItem(tr("maximum"), 0.0);
    m_speed->setCurrentIndex(3);
    m_speedFactor = 10;

    auto *layout = new QVBoxLayout(this);
    auto *form = new QFormLayout;
    form->addRow(tr("Cluster:"), m_cluster);
    auto *workRow = new QHBoxLayout;
    workRow->addWidget(m_rate);
    workRow->addWidget(new QLabel(tr("new-network probability p:")));
    workRow->addWidget(m_newProb);
    workRow->addWidget(new QLabel(tr("duration:")));
    workRow->addWidget(m_duration);
    workRow->addWidget(new QLabel(tr("seed:")));
    workRow->addWidget(m_seed);
    workRow->addStretch(1);
    form->addRow(tr("Rate T (tasks/s):"), workRow);
    auto *traceRow = new QHBoxLayout;
    traceRow->addWidget(m_trace, 1);
    auto *browse = new QPushButton(tr("Browse..."));
    traceRow->addWidget(browse);
    form->addRow(tr("Trace:"), traceRow);
    auto *policyRow = new QHBoxLayout;
    policyRow->addWidget(m_policies, 1);
    policyRow->addWidget(m_runButton);
    policyRow->addWidget(m_saveButton);
    form->addRow(tr("Policies:"), policyRow);
    auto *replayRow = new QHBoxLayout;
    replayRow->addWidget(m_replayPolicy);
    replayRow->addWidget(m_playButton);
    auto *restart = new QPushButton(tr("Restart"));
    replayRow->addWidget(restart);
    replayRow->addWidget(new QLabel(tr("Speed:")));
    replayRow->addWidget(m_speed);
    auto *exportButton = new QPushButton(tr("Export figures..."));
    replayRow->addWidget(exportButton);
    replayRow->addStretch(1);
    form->addRow(tr("Replay:"), replayRow);
    layout->addLayout(form);

    m_banner->setObjectName(QStringLiteral("schedulingBanner"));
    m_banner->setVisible(false);
    m_banner->setWordWrap(true);
    m_banner->setStyleSheet(QStringLiteral("QLabel { background: #fdecea; color: #611a15; padding: 6px; }"));
    layout->addWidget(m_banner);
    m_summary->setObjectName(QStringLiteral("schedulingSummary"));
    m_summary->setWordWrap(true);
    m_summary->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_summary->setText(tr("Describe a cluster and a workload and press Run simulation; the event log of each policy "
                          "can then be replayed."));
    layout->addWidget(m_summary);

    for (QChartView *v : {m_tps, m_awt, m_load, m_compare}) {
        v->setRenderHint(QPainter::Antialiasing);
        v->setMinimumSize(260, 200);
    }
    m_ganttView->setObjectName(QStringLiteral("schedulingGantt"));
    auto *top = new QSplitter(Qt::Horizontal);
    top->addWidget(m_tps);
    top->addWidget(m_awt);
    auto *middle = new QSplitter(Qt::Horizontal);
    middle->addWidget(m_load);
    middle->addWidget(m_compare);
    auto *charts = new QSplitter(Qt::Vertical);
    charts->addWidget(top);
    charts->addWidget(middle);
    charts->addWidget(m_ganttView);
    layout->addWidget(charts, 1);

    m_timer->setInterval(kTickMs);
    connect(m_timer, &QTimer::timeout, this, &SchedulingView::tick);
    connect(m_runButton, &QPushButton::clicked, this, &SchedulingView::run);
    connect(m_saveButton, &QPushButton::clicked, this, [this] { saveToProject(); });
    connect(m_playButton, &QPushButton::clicked, this, [this] { isPlaying() ? pause() : play(); });
    connect(restart, &QPushButton::clicked, this, [this] {
        restartReplay();
        play();
    });
    connect(m_replayPolicy, &QComboBox::currentIndexChanged, this, [this] {
        restartReplay();
        play();
    });
    connect(m_speed, &QComboBox::currentIndexChanged, this,
            [this] { m_speedFactor = m_speed->currentData().toDouble(); });
    connect(browse, &QPushButton::clicked, this, [this] {
        const QString f = QFileDialog::getOpenFileName(this, tr("Arrival trace"), {}, tr("CSV files (*.csv);;All files (*)"));
        if (!f.isEmpty())
            m_trace->setText(f);
    });
    connect(exportButton, &QPushButton::clicked, this, [this] {
        const QString dir = QFileDialog::getExistingDirectory(this, tr("Export the scheduling figures to"));
        if (dir.isEmpty())
            return;
        for (const QString &suffix : {QStringLiteral("png"), QStringLiteral("svg"), QStringLiteral("pdf")})
            if (const QString e = exportFigures(dir, suffix); !e.isEmpty()) {
                showError(tr("Could not export the figures: %1").arg(e));
                return;
            }
    });
    // Inline validation as you type.
    connect(m_cluster, &QLineEdit::textChanged, this, [this] { validate(nullptr, nullptr); });
    connect(m_rate, &QLineEdit::textChanged, this, [this] { validate(nullptr, nullptr); });
    prepareReplay();
}

SchedulingView::~SchedulingView() = default;

void SchedulingView::setProject(const QString &path) { m_project = path; }
void SchedulingView::setCluster(const QString &spec) { m_cluster->setText(spec); }
void SchedulingView::setRate(const QString &tasksPerSecond) { m_rate->setText(tasksPerSecond); }

void SchedulingView::setWorkload(double newProb, double durationSeconds, int seed)
{
    m_newProb->setValue(newProb);
    m_duration->setValue(durationSeconds);
    m_seed->setValue(seed);
}

void SchedulingView::setPolicies(const QStringList &names)
{
    for (int i = 0; i < m_policies->count(); ++i) {
        QListWidgetItem *item = m_policies->item(i);
        item->setCheckState(names.contains(item->text()) ? Qt::Checked : Qt::Unchecked);
    }
}

void SchedulingView::setSpeed(double factor)
{
    m_speedFactor = factor;
    const QSignalBlocker block(m_speed);
    const int i = m_speed->findData(factor > 0 ? factor : 0.0);
    if (i >= 0)
        m_speed->setCurrentIndex(i);
}

bool SchedulingView::validate(sched::Cluster *cluster, double *rate)
{
    sched::Cluster c;
    try {
        c = sched::parseCluster(m_cluster->text().toStdString(), kBandwidthMBps);
    } catch (const std::exception &e) {
        showError(tr("Cluster not understood: %1. Give nodes as platform:count, e.g. torch-cpu-1t:3,opencv-cpu-1t:3.")
                      .arg(QString::fromStdString(e.what())));
        return false;
    }
    bool ok = false;
    const double r = m_rate->text().trimmed().toDouble(&ok);
    if (!ok || !std::isfinite(r) || r < 0) {
        showError(tr("The rate T must be a number of tasks per second >= 0 (got '%1').").arg(m_rate->text()));
        return false;
    }
    m_banner->setVisible(false);
    if (cluster)
        *cluster = std::move(c);
    if (rate)
        *rate = r;
    return true;
}

bool SchedulingView::run()
{
    db::SchedulingSpec spec;
    double rate = 0;
    if (!validate(nullptr, &rate))
        return false;
    spec.nodes = m_cluster->text().trimmed().toStdString();
    spec.bandwidthMBps = kBandwidthMBps;
    spec.policies.clear();
    for (int i = 0; i < m_policies->count(); ++i)
        if (m_policies->item(i)->checkState() == Qt::Checked)
            spec.policies.push_back(m_policies->item(i)->text().toStdString());
    if (spec.policies.empty()) {
        showError(tr("No policy chosen: check at least one policy to simulate."));
        return false;
    }
    spec.workload.rate = rate;
    spec.workload.newProb = m_newProb->value();
    spec.workload.duration = m_duration->value();
    spec.workload.variantSigma = kVariantSigma;
    spec.workload.deadlineSlack = kSlack;
    spec.predictionError = kPredictionError;
    spec.seed = uint64_t(m_seed->value());
    if (const QString trace = m_trace->text().trimmed(); !trace.isEmpty()) {
        QFile file(trace);
        if (!file.open(QIODevice::ReadOnly)) {
            showError(tr("Cannot read the trace %1: %2").arg(trace, file.errorString()));
            return false;
        }
        spec.traceCsv = file.readAll().toStdString();
        spec.traceName = trace.toStdString();
    }
    const QString project = m_project;
    QStringList names;
    for (const auto &p : spec.policies)
        names << QString::fromStdString(p);
    startJob(tr("Scheduling: %1 at T = %2").arg(names.join(QLatin1Char(','))).arg(rate),
             tr("Simulating %1 on %2...").arg(names.join(QStringLiteral(", ")), m_cluster->text()),
             [project, spec](JobContext &ctx) { return simulateRun(project, spec, ctx); });
    return true;
}

void SchedulingView::openExperiment(qint64 id)
{
    const QString project = m_project;
    startJob(tr("Scheduling: reopen experiment %1").arg(id), tr("Reopening the stored experiment %1...").arg(id),
             [project, id](JobContext &ctx) { return reopenRun(project, id, ctx); });
}

void SchedulingView::openNewestExperiment()
{
    if (m_run || m_running)
        return;
    const int generation = m_job;
    openStoredWhenIdle(
        m_jobsModel, this, tr("Scheduling: look for stored experiments"), m_project,
        [](db::Database &d) { return db::newestExperiment(d, "scheduling"); },
        [this, generation] { return generation == m_job && !(m_run || m_running); },
        [this](qint64 id) { openExperiment(id); });
}

void SchedulingView::startJob(const QString &jobName, const QString &status,
                              std::function<SchedulingRun(JobContext &)> work)
{
    pause();
    const int job = ++m_job;
    m_running = true;
    m_runButton->setEnabled(false);
    m_saveButton->setEnabled(false);
    m_summary->setText(status);
    m_jobsModel->start<SchedulingRun>(
        jobName, std::move(work), this,
        [this, job](SchedulingRun r) {
            if (job != m_job)
                return; // a newer run superseded this one
            m_running = false;
            m_runButton->setEnabled(true);
            if (r.cancelled) {
                m_summary->setText(tr("The simulation was cancelled."));
                return;
            }
            m_run = std::make_shared<const SchedulingRun>(std::move(r));
            showSpec(m_run->spec);
            m_saveButton->setEnabled(m_run->experimentId == 0);
            showResult();
            Q_EMIT finished();
        },
        [this, job](QString e) {
            if (job != m_job)
                return;
            m_running = false;
            m_runButton->setEnabled(true);
            showError(tr("The simulation failed: %1\nCheck the cluster's platforms against the project's measurements "
                         "and run again.").arg(e));
            Q_EMIT failed(e);
        });
}

// The form shows what a reopened experiment was run with.
void SchedulingView::showSpec(const db::SchedulingSpec &spec)
{
    const QSignalBlocker b1(m_cluster), b2(m_rate);
    m_cluster->setText(QString::fromStdString(spec.nodes));
    m_rate->setText(QString::number(spec.workload.rate));
    m_newProb->setValue(spec.workload.newProb);
    m_duration->setValue(spec.workload.duration);
    m_seed->setValue(int(spec.seed));
    m_trace->setText(QString::fromStdString(spec.traceName));
    QStringList names;
    for (const auto &p : spec.policies)
        names << QString::fromStdString(p);
    setPolicies(names);
}

bool SchedulingView::saveToProject(const QString &name)
{
    if (!m_run || m_running) {
        showError(tr("Nothing to save: run a simulation first."));
        return false;
    }
    const auto run = m_run;
    const QString project = m_project;
    const QString title = name.isEmpty()
        ? tr("%1 at T = %2, p = %3").arg(QString::fromStdString(run->spec.nodes)).arg(run->spec.workload.rate)
              .arg(run->spec.workload.newProb)
        : name;
    m_saveButton->setEnabled(false);
    m_jobsModel->start<qint64>(
        tr("Save scheduling experiment %1").arg(title),
        [project, run, title](JobContext &) -> qint64 {
            db::Database d = db::openExistingProject(project.toStdString());
            return db::saveSchedulingExperiment(d, title.toStdString(), run->spec, *run);
        },
        this,
        [this, title](qint64 id) {
            m_summary->setText(m_summary->text() + QLatin1Char('\n') + tr("Saved as experiment %1 '%2'.").arg(id).arg(title));
            Q_EMIT saved(id);
        },
        [this](QString e) {
            m_saveButton->setEnabled(true);
            showError(tr("Could not save the experiment: %1").arg(e));
            Q_EMIT failed(e);
        });
    return true;
}

void SchedulingView::showResult()
{
    m_banner->setVisible(false);
    QStringList lines;
    if (m_run->experimentId > 0)
        lines << tr("Stored experiment %1 '%2', run again: every event log equals the stored one.")
                     .arg(m_run->experimentId).arg(m_run->experimentName);
    lines << tr("%1 tasks of %2 models on %3 nodes.").arg(m_run->work.size()).arg(m_run->models).arg(m_run->cluster.size());
    for (const auto &p : m_run->policies)
        lines << tr("%1: TPS %2 tasks/s, AWT %3 ms, load std %4, deadline misses %5%")
                     .arg(QString::fromStdString(p.name))
                     .arg(p.metrics.tps, 0, 'f', 2)
                     .arg(p.metrics.awt * 1000, 0, 'g', 4)
                     .arg(p.metrics.loadStd, 0, 'f', 3)
                     .arg(p.metrics.missRate * 100, 0, 'f', 1);
    m_summary->setText(lines.join(QLatin1Char('\n')));
    {
        const QSignalBlocker block(m_replayPolicy);
        m_replayPolicy->clear();
        for (const auto &p : m_run->policies)
            m_replayPolicy->addItem(QString::fromStdString(p.name));
    }
    m_playButton->setEnabled(!m_run->policies.empty());
    drawCompare();
    restartReplay();
    play();
}

void SchedulingView::showError(const QString &message)
{
    m_banner->setText(message);
    m_banner->setVisible(true);
}

QString SchedulingView::errorText() const { return m_banner->isVisibleTo(this) ? m_banner->text() : QString(); }
QString SchedulingView::replayPolicy() const { return m_replayPolicy->currentText(); }
bool SchedulingView::isPlaying() const { return m_timer->isActive(); }
QChart *SchedulingView::tpsChart() const { return m_tps->chart(); }
QChart *SchedulingView::awtChart() const { return m_awt->chart(); }
QChart *SchedulingView::loadChart() const { return m_load->chart(); }
QChart *SchedulingView::compareChart() const { return m_compare->chart(); }

} // namespace sniper::views
