#include "profilingview.h"

#include "jobs.h"

#include "builders.h"
#include "campaign.h"
#include "collections.h"
#include "common/error.h"
#include "database.h"
#include "generator/generatorspec.h"
#include "measurements.h"
#include "runs.h"
#include "runtime/runtime.h"

#include <nlohmann/json.hpp>

#include <QCheckBox>
#include <QComboBox>
#include <QDoubleSpinBox>
#include <QFormLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QProgressBar>
#include <QPushButton>
#include <QSpinBox>
#include <QTimer>
#include <QVBoxLayout>

#include <mutex>

namespace sniper::views {

// Per-platform counters shared between the campaign job and the view's 10 Hz refresh.
struct CampaignProgress {
    std::mutex mutex;
    std::map<std::string, std::pair<int64_t, int64_t>> perPlatform; // done, total
};

namespace {

// "14, 28, 56" -> JSON array of numbers (or strings for the named lists).
nlohmann::json parseList(const QString &text, bool numbers)
{
    nlohmann::json out = nlohmann::json::array();
    for (const QString &part : text.split(QLatin1Char(','), Qt::SkipEmptyParts)) {
        const QString t = part.trimmed();
        if (!numbers) {
            out.push_back(t.toStdString());
            continue;
        }
        bool ok = false;
        const qlonglong v = t.toLongLong(&ok);
        if (!ok)
            throw Error("'" + t.toStdString() + "' is not a whole number");
        out.push_back(v);
    }
    return out;
}

} // namespace

ProfilingView::ProfilingView(JobsModel *jobs, QWidget *parent)
    : QWidget(parent), m_jobs(jobs), m_style(new QComboBox), m_families(new QLineEdit), m_minMacs(new QLineEdit),
      m_maxMacs(new QLineEdit), m_count(new QSpinBox),
      m_seed(new QLineEdit(QStringLiteral("1"))), m_dataset(new QLineEdit(QStringLiteral("generated"))),
      m_specStatus(new QLabel), m_generate(new QPushButton(tr("Generate"))), m_warmup(new QSpinBox),
      m_minRuns(new QSpinBox), m_maxRuns(new QSpinBox), m_maxSeconds(new QDoubleSpinBox), m_target(new QDoubleSpinBox),
      m_profileDataset(new QLineEdit), m_profile(new QPushButton(tr("Profile"))),
      m_resume(new QPushButton(tr("Resume"))), m_cancel(new QPushButton(tr("Cancel"))), m_log(new QPlainTextEdit),
      m_banner(new QLabel)
{
    // The style: realistic (torchvision-like families, the default for training sets) or
    // Ace-Sniper Table IV's ranges, each a comma-separated list (the defaults are the paper's).
    const generator::GeneratorSpec defaults;
    const nlohmann::json spec = generator::specToJson(defaults);
    auto *ranges = new QGroupBox(tr("Generated networks"));
    auto *form = new QFormLayout(ranges);
    m_style->setObjectName(QStringLiteral("style"));
    m_style->addItem(tr("Realistic (torchvision block families)"), QStringLiteral("realistic"));
    m_style->addItem(tr("Random (Ace-Sniper Table IV)"), QStringLiteral("table4"));
    form->addRow(tr("Style"), m_style);
    m_families->setObjectName(QStringLiteral("families"));
    QString families;
    for (const auto &f : generator::realisticFamilies())
        families += (families.isEmpty() ? QString() : QStringLiteral(", ")) + QString::fromStdString(f);
    m_families->setText(families);
    form->addRow(tr("Families"), m_families);
    m_minMacs->setObjectName(QStringLiteral("min_macs"));
    m_minMacs->setText(QString::number(generator::realisticSpec().minMacs));
    form->addRow(tr("Smallest MACs"), m_minMacs);
    connect(m_families, &QLineEdit::textChanged, this, &ProfilingView::validate);
    connect(m_minMacs, &QLineEdit::textChanged, this, &ProfilingView::validate);
    const std::pair<const char *, const char *> fields[] = {
        {"input_planes", QT_TR_NOOP("Input planes")},     {"output_planes", QT_TR_NOOP("Output planes")},
        {"input_channels", QT_TR_NOOP("Input channels")}, {"output_channels", QT_TR_NOOP("Output channels")},
        {"layer_types", QT_TR_NOOP("Layer types")},       {"kernels", QT_TR_NOOP("Kernels")},
        {"strides", QT_TR_NOOP("Strides")},               {"branches", QT_TR_NOOP("Branches")},
        {"connections", QT_TR_NOOP("Connections")},       {"dilations", QT_TR_NOOP("Dilations")}};
    for (const auto &[key, label] : fields) {
        QString value;
        if (spec.contains(key))
            for (const auto &v : spec[key])
                value += (value.isEmpty() ? QString() : QStringLiteral(", ")) +
                         (v.is_string() ? QString::fromStdString(v.get<std::string>()) : QString::number(v.get<int64_t>()));
        auto *edit = new QLineEdit(value);
        edit->setObjectName(QLatin1String(key));
        connect(edit, &QLineEdit::textChanged, this, &ProfilingView::validate);
        m_ranges[QLatin1String(key)] = edit;
        form->addRow(tr(label), edit);
    }
    m_maxMacs->setObjectName(QStringLiteral("max_macs"));
    connect(m_maxMacs, &QLineEdit::textChanged, this, &ProfilingView::validate);
    form->addRow(tr("MACs budget (0: none)"), m_maxMacs);
    connect(m_style, &QComboBox::currentIndexChanged, this, &ProfilingView::styleChanged);
    m_count->setRange(1, 100000);
    m_count->setValue(100);
    form->addRow(tr("Networks"), m_count);
    form->addRow(tr("Seed"), m_seed);
    form->addRow(tr("Dataset name"), m_dataset);
    m_specStatus->setObjectName(QStringLiteral("specStatus"));
    m_specStatus->setWordWrap(true);
    form->addRow(m_specStatus);
    form->addRow(m_generate);
    connect(m_generate, &QPushButton::clicked, this, &ProfilingView::generate);

    auto *campaign = new QGroupBox(tr("Profiling campaign"));
    auto *cform = new QFormLayout(campaign);
    for (const auto &id : runtime::localPlatformIds()) {
        auto *box = new QCheckBox(QString::fromStdString(id));
        box->setChecked(id.find("-1t") != std::string::npos);
        auto *bar = new QProgressBar;
        bar->setObjectName(QString::fromStdString("progress-" + id));
        bar->setFormat(QStringLiteral("%v / %m"));
        bar->setValue(0);
        auto *row = new QHBoxLayout;
        row->addWidget(box);
        row->addWidget(bar, 1);
        cform->addRow(row);
        m_platforms[id] = box;
        m_bars[id] = bar;
    }
    m_warmup->setRange(0, 100);
    m_warmup->setValue(3);
    m_minRuns->setRange(1, 10000);
    m_minRuns->setValue(10);
    m_maxRuns->setRange(1, 100000);
    m_maxRuns->setValue(200);
    m_maxSeconds->setRange(0.1, 3600);
    m_maxSeconds->setValue(10);
    m_target->setRange(0.1, 50);
    m_target->setValue(2);
    m_target->setSuffix(QStringLiteral(" %"));
    cform->addRow(tr("Warm-up runs"), m_warmup);
    cform->addRow(tr("Minimum runs"), m_minRuns);
    cform->addRow(tr("Maximum runs"), m_maxRuns);
    cform->addRow(tr("Time cap per measurement (s)"), m_maxSeconds);
    cform->addRow(tr("Target 95% CI half-width of the median"), m_target);
    m_profileDataset->setPlaceholderText(tr("all models"));
    cform->addRow(tr("Dataset"), m_profileDataset);
    auto *buttons = new QHBoxLayout;
    buttons->addWidget(m_profile);
    buttons->addWidget(m_resume);
    buttons->addWidget(m_cancel);
    cform->addRow(buttons);
    m_cancel->setEnabled(false);
    connect(m_profile, &QPushButton::clicked, this, [this] { profile(false); });
    connect(m_resume, &QPushButton::clicked, this, [this] { profile(true); });
    connect(m_cancel, &QPushButton::clicked, this, &ProfilingView::cancel);

    m_log->setReadOnly(true);
    m_log->setObjectName(QStringLiteral("campaignLog"));
    m_log->setMaximumBlockCount(5000);
    m_banner->setObjectName(QStringLiteral("errorBanner"));
    m_banner->setVisible(false);
    m_banner->setWordWrap(true);
    m_banner->setStyleSheet(QStringLiteral("QLabel { background: #fdecea; color: #611a15; padding: 6px; }"));
    connect(m_jobs, &JobsModel::logLine, this, [this](int id, const QString &line) {
        if (id == m_job)
            m_log->appendPlainText(line);
    });
    auto *timer = new QTimer(this);
    timer->setInterval(100);
    connect(timer, &QTimer::timeout, this, &ProfilingView::refreshProgress);
    timer->start();

    auto *left = new QVBoxLayout;
    left->addWidget(ranges);
    left->addStretch();
    auto *right = new QVBoxLayout;
    right->addWidget(campaign);
    right->addWidget(m_log, 1);
    auto *columns = new QHBoxLayout;
    columns->addLayout(left, 1);
    columns->addLayout(right, 1);
    auto *layout = new QVBoxLayout(this);
    layout->addWidget(m_banner);
    layout->addLayout(columns, 1);
    styleChanged();
}

void ProfilingView::styleChanged()
{
    const bool realistic = m_style->currentData().toString() == QLatin1String("realistic");
    for (const auto &[key, edit] : m_ranges)
        edit->setEnabled(!realistic);
    m_families->setEnabled(realistic);
    m_minMacs->setEnabled(realistic);
    // Each style's own budget: 20 G for realistic networks, 300 M for quick Table IV sets.
    m_maxMacs->setText(QString::number(realistic ? generator::realisticSpec().maxMacs : 300'000'000));
    validate();
}

nlohmann::json ProfilingView::formSpec() const
{
    const bool realistic = m_style->currentData().toString() == QLatin1String("realistic");
    nlohmann::json spec = generator::specToJson(realistic ? generator::realisticSpec() : generator::GeneratorSpec{});
    auto field = [](const char *key, const QLineEdit *edit, bool numbers) {
        try {
            return parseList(edit->text(), numbers);
        } catch (const Error &e) {
            throw Error(e.problem(), key);
        }
    };
    auto whole = [](const char *key, const QLineEdit *edit, const char *what) {
        bool ok = false;
        const qlonglong v = edit->text().trimmed().toLongLong(&ok);
        if (!ok || v < 0)
            throw Error(std::string("must be a whole number of MACs") + what, key);
        return v;
    };
    if (realistic) {
        spec["families"] = field("families", m_families, false);
        spec["min_macs"] = whole("min_macs", m_minMacs, "");
    } else {
        for (const auto &[key, edit] : m_ranges) {
            const bool named = key == QLatin1String("layer_types") || key == QLatin1String("connections");
            spec[key.toStdString()] = field(key.toStdString().c_str(), edit, !named);
        }
    }
    spec["max_macs"] = whole("max_macs", m_maxMacs, realistic ? "" : ", 0 for no budget");
    generator::specFromJson(spec); // the library's own validation, with the field's name
    return spec;
}

ProfilingView::~ProfilingView() = default;

void ProfilingView::setProject(const QString &path)
{
    m_path = path;
}

void ProfilingView::validate()
{
    m_specError.clear();
    try {
        formSpec();
    } catch (const Error &e) {
        m_specError = QString::fromStdString(e.what());
    }
    m_specStatus->setText(m_specError.isEmpty() ? tr("Ranges are valid.") : tr("Invalid: %1").arg(m_specError));
    m_specStatus->setStyleSheet(m_specError.isEmpty() ? QString() : QStringLiteral("color: #b71c1c;"));
    m_generate->setEnabled(m_specError.isEmpty());
}

void ProfilingView::generate()
{
    if (!m_specError.isEmpty())
        return;
    if (m_path.isEmpty()) {
        m_banner->setText(tr("Open or create a project first (File menu)."));
        m_banner->setVisible(true);
        return;
    }
    const auto parsed = generator::specFromJson(formSpec());
    const uint64_t seed = m_seed->text().toULongLong();
    const int count = m_count->value();
    m_job = m_jobs->start<int64_t>(
        tr("Generate %1 networks").arg(count),
        [p = m_path.toStdString(), parsed, seed, count, name = m_dataset->text().toStdString()](JobContext &ctx) {
            db::Database d = db::Database::open(p, db::OpenMode::ExistingOnly);
            auto r = db::addGeneratedNetworks(d, parsed, seed, count, name,
                                              [&ctx](int64_t done, int64_t total) { ctx.setProgress(done, total); },
                                              ctx.cancelFlag());
            ctx.log(tr("%1 networks in dataset '%2' (%3 new)")
                        .arg(r.modelIds.size()).arg(QString::fromStdString(name)).arg(r.created));
            return r.created;
        },
        this, [this](int64_t) { Q_EMIT projectChanged(); },
        [this](QString e) {
            m_banner->setText(tr("Generation failed: %1").arg(e));
            m_banner->setVisible(true);
        });
}

void ProfilingView::profile(bool resume)
{
    if (m_path.isEmpty()) {
        m_banner->setText(tr("Open or create a project first (File menu)."));
        m_banner->setVisible(true);
        return;
    }
    m_banner->setVisible(false);
    devices::CampaignSpec spec;
    for (const auto &[id, box] : m_platforms)
        if (box->isChecked())
            spec.platforms.push_back(id);
    if (spec.platforms.empty() && !resume) {
        m_banner->setText(tr("Choose at least one platform."));
        m_banner->setVisible(true);
        return;
    }
    spec.protocol.warmupRuns = m_warmup->value();
    spec.protocol.minRuns = m_minRuns->value();
    spec.protocol.maxRuns = std::max(m_maxRuns->value(), m_minRuns->value());
    spec.protocol.maxSeconds = m_maxSeconds->value();
    spec.protocol.targetRelativeHalfWidth = m_target->value() / 100.0;
    auto progress = std::make_shared<CampaignProgress>();
    m_progress = progress;
    m_profile->setEnabled(false);
    m_resume->setEnabled(false);
    m_cancel->setEnabled(true);
    m_job = m_jobs->start<devices::CampaignResult>(
        resume ? tr("Resume profiling") : tr("Profile on %1 platforms").arg(spec.platforms.size()),
        [p = m_path.toStdString(), spec, resume, progress, dataset = m_profileDataset->text().toStdString()](
            JobContext &ctx) mutable {
            db::Database d = db::Database::open(p, db::OpenMode::ExistingOnly);
            int64_t run = 0;
            if (resume) {
                auto unfinished = devices::unfinishedCampaign(d);
                if (!unfinished)
                    throw Error("there is no unfinished campaign to resume");
                run = *unfinished;
            } else {
                if (!dataset.empty()) {
                    db::DatasetRepository datasets(d);
                    auto ds = datasets.findByName(dataset);
                    if (!ds)
                        throw Error("no dataset named '" + dataset + "'");
                    for (const auto &m : datasets.members(ds->id))
                        spec.modelIds.push_back(m.modelId);
                }
                run = devices::createCampaign(d, spec);
            }
            return devices::runCampaign(d, run, [&](const devices::CampaignEvent &e) {
                ctx.setProgress(e.done, e.total);
                if (e.kind == devices::CampaignEvent::Kind::Result || e.kind == devices::CampaignEvent::Kind::Skipped) {
                    std::lock_guard lock(progress->mutex);
                    auto &pp = progress->perPlatform[e.platform];
                    ++pp.first;
                }
                if (e.kind == devices::CampaignEvent::Kind::Started) {
                    std::lock_guard lock(progress->mutex);
                    for (const auto &item : db::RunRepository(d).items(run))
                        ++progress->perPlatform[item.platform].second;
                    for (const auto &item : db::RunRepository(d).items(run))
                        if (item.state != db::ItemState::Pending)
                            ++progress->perPlatform[item.platform].first;
                }
                if (e.kind == devices::CampaignEvent::Kind::Result && e.measurement) {
                    const auto &m = *e.measurement;
                    ctx.log(m.status == runtime::MeasurementStatus::Ok
                                ? tr("%1 on %2: %3 ms (%4 runs)")
                                      .arg(QString::fromStdString(e.modelName), QString::fromStdString(e.platform))
                                      .arg(m.stats.medianMs, 0, 'f', 3).arg(m.stats.runs)
                                : tr("%1 on %2: %3 — %4")
                                      .arg(QString::fromStdString(e.modelName), QString::fromStdString(e.platform),
                                           QString::fromLatin1(db::statusName(m.status)),
                                           QString::fromStdString(m.message.substr(0, 200))));
                }
            }, ctx.cancelFlag());
        },
        this,
        [this](devices::CampaignResult r) {
            refreshProgress();
            m_log->appendPlainText(tr("run %1: %2 measured, %3 unsupported, %4 failed, %5 already present%6")
                                       .arg(r.runId).arg(r.measured).arg(r.unsupported).arg(r.failed).arg(r.alreadyPresent)
                                       .arg(r.cancelled ? tr(" — cancelled; Resume continues it") : QString()));
            m_profile->setEnabled(true);
            m_resume->setEnabled(true);
            m_cancel->setEnabled(false);
            Q_EMIT projectChanged();
            Q_EMIT campaignFinished(r.cancelled);
        },
        [this](QString e) {
            m_banner->setText(tr("Profiling failed: %1").arg(e));
            m_banner->setVisible(true);
            m_profile->setEnabled(true);
            m_resume->setEnabled(true);
            m_cancel->setEnabled(false);
        });
}

void ProfilingView::cancel()
{
    if (m_job)
        m_jobs->cancel(m_job);
}

void ProfilingView::refreshProgress()
{
    if (!m_progress)
        return;
    std::lock_guard lock(m_progress->mutex);
    for (const auto &[platform, counts] : m_progress->perPlatform) {
        auto it = m_bars.find(platform);
        if (it == m_bars.end())
            continue;
        it->second->setMaximum(int(std::max<int64_t>(1, counts.second)));
        it->second->setValue(int(counts.first));
    }
}

} // namespace sniper::views
