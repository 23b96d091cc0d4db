#include "partitionview.h"

#include "graphview.h"
#include "jobs.h"

#include "defaultproject.h"
#include "experimentstore.h"
#include "features/inspect.h"
#include "graph/layout.h"
#include "onnx/onnximport.h"
#include "runtime/runtime.h"

#include <QChartView>
#include <QComboBox>
#include <QDir>
#include <QFileInfo>
#include <QFormLayout>
#include <QGraphicsScene>
#include <QGraphicsView>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSignalBlocker>
#include <QSlider>
#include <QSpinBox>
#include <QSplitter>
#include <QTabWidget>
#include <QVBoxLayout>

#include <algorithm>
#include <cmath>
#include <limits>
#include <unordered_map>

namespace sniper::views {

namespace {

constexpr int kPathRole = Qt::UserRole;
constexpr int kCurrentRole = Qt::UserRole + 1; // the entry of the model open in the model view
constexpr double kSliderMinBps = 1e5; // 0.1 Mbps
constexpr double kSliderDecades = 3; // to 100 Mbps
constexpr int kBruteForceMaxJobs = 8;
constexpr double kBruteForceMaxAssignments = 2e5; // keeps BF re-planning interactive

// The bundled structure-only models: $SNIPER_DATA_DIR/models, next to the demo project.
QString bundledModelsDir() { return QString::fromStdString(db::bundledModelsDir()); }

// The graph side of a profile: the cut's first node per merged cut, the report and the layout.
PartitionProfile attachGraph(graph::Graph g, const QString &path, const QString &local,
                             partition::MeasuredProfile profile)
{
    PartitionProfile r;
    r.model = path;
    r.platform = local;
    r.profile = std::move(profile);
    std::unordered_map<std::string, int> index;
    for (size_t i = 0; i < g.nodes.size(); ++i)
        index.emplace(g.nodes[i].name, int(i));
    for (const partition::CutPoint &c : r.profile.merged.cuts) {
        auto it = index.find(c.after);
        r.cutNode.push_back(it == index.end() ? 0 : it->second + 1); // "input": everything after
    }
    auto report = std::make_shared<const features::ModelReport>(features::analyzeGraph(std::move(g), path.toStdString()));
    r.layout = std::make_shared<const graph::GraphLayout>(graph::layeredLayout(report->dag));
    r.report = report;
    return r;
}

PartitionProfile measureModel(const QString &path, const QString &local, const QString &cloud, JobContext &ctx)
{
    ctx.setProgress(0, 3);
    graph::Graph g = onnx::importOnnxFile(path.toStdString());
    ctx.setProgress(1, 3);
    partition::MeasureOptions o;
    o.platform = local.toStdString();
    o.cloudPlatform = cloud.toStdString();
    partition::MeasuredProfile measured = partition::measureProfile(g, o);
    ctx.setProgress(2, 3);
    PartitionProfile r = attachGraph(std::move(g), path, local, std::move(measured));
    r.cloud = cloud;
    ctx.setProgress(3, 3);
    return r;
}

// A stored example: its profile as measured then, nothing is timed again.
PartitionProfile loadStored(const QString &project, qint64 id, JobContext &ctx)
{
    ctx.setProgress(0, 2);
    db::StoredPartition s;
    {
        db::Database d = db::openExistingProject(project.toStdString());
        s = db::loadPartitionExperiment(d, id);
    }
    const QString path = QString::fromStdString(db::resolveModelPath(s.spec.model, db::bundledModelsDir()));
    graph::Graph g = onnx::importOnnxFile(path.toStdString());
    ctx.setProgress(1, 2);
    PartitionProfile r = attachGraph(std::move(g), path, QString::fromStdString(s.spec.platform), std::move(s.profile));
    r.cloud = QString::fromStdString(s.spec.cloudPlatform);
    r.experimentId = s.id;
    r.experimentName = QString::fromStdString(s.name);
    r.bandwidthBps = s.spec.bandwidthBps;
    r.jobs = s.spec.jobs;
    ctx.setProgress(2, 2);
    return r;
}

} // namespace

int PartitionView::sliderPosition(double bps)
{
    if (!(bps > 0))
        return 0;
    const double p = std::log10(bps / kSliderMinBps) / kSliderDecades * kSliderSteps;
    return std::clamp(int(std::lround(p)), 0, kSliderSteps);
}

double PartitionView::sliderBandwidth(int position)
{
    return kSliderMinBps * std::pow(10.0, kSliderDecades * double(position) / kSliderSteps);
}

PartitionView::PartitionView(JobsModel *jobs, QWidget *parent)
    : QWidget(parent), m_jobsModel(jobs), m_model(new QComboBox), m_local(new QComboBox), m_cloud(new QComboBox),
      m_jobs(new QSpinBox), m_measure(new QPushButton(tr("Measure layers"))),
      m_saveButton(new QPushButton(tr("Save to project"))), m_slider(new QSlider(Qt::Horizontal)),
      m_bandwidthEdit(new QLineEdit), m_bandwidthLabel(new QLabel), m_banner(new QLabel), m_summary(new QLabel),
      m_curves(new QChartView), m_makespans(new QChartView), m_gantt(new QGraphicsScene(this)),
      m_ganttView(new QGraphicsView(m_gantt)), m_tabs(new QTabWidget)
{
    m_model->setObjectName(QStringLiteral("partitionModel"));
    const QDir dir(bundledModelsDir());
    for (const QFileInfo &f : dir.entryInfoList({QStringLiteral("*.onnx")}, QDir::Files, QDir::Name)) {
        m_model->addItem(f.completeBaseName(), f.absoluteFilePath());
        if (f.completeBaseName() == QLatin1String("alexnet"))
            m_model->setCurrentIndex(m_model->count() - 1);
    }
    m_local->setObjectName(QStringLiteral("partitionPlatform"));
    m_cloud->setObjectName(QStringLiteral("partitionCloud"));
    m_cloud->addItem(tr("none (cloud time negligible)"), QString());
    for (const std::string &id : runtime::localPlatformIds()) {
        m_local->addItem(QString::fromStdString(id), QString::fromStdString(id));
        m_cloud->addItem(QString::fromStdString(id), QString::fromStdString(id));
    }
    m_local->setCurrentIndex(std::max(0, m_local->findData(QStringLiteral("torch-cpu-1t"))));
    m_jobs->setObjectName(QStringLiteral("partitionJobs"));
    m_jobs->setRange(1, 10000); // the Gantt chart draws two bars per job
    m_jobs->setValue(100);
    m_measure->setObjectName(QStringLiteral("partitionMeasure"));
    m_saveButton->setObjectName(QStringLiteral("partitionSave"));
    m_saveButton->setEnabled(false);

    auto *layout = new QVBoxLayout(this);
    auto *form = new QFormLayout;
    auto *modelRow = new QHBoxLayout;
    modelRow->addWidget(m_model, 1);
    modelRow->addWidget(new QLabel(tr("Device platform:")));
    modelRow->addWidget(m_local);
    modelRow->addWidget(new QLabel(tr("Cloud platform:")));
    modelRow->addWidget(m_cloud);
    modelRow->addWidget(m_measure);
    modelRow->addWidget(m_saveButton);
    form->addRow(tr("Model:"), modelRow);
    form->addRow(tr("Jobs:"), m_jobs);
    auto *bandRow = new QHBoxLayout;
    const std::pair<QString, double> presets[] = {
        {tr("3G (1.1 Mbps)"), k3G}, {tr("4G (5.85 Mbps)"), k4G}, {tr("Wi-Fi (18.88 Mbps)"), kWifi}};
    const char *presetNames[] = {"preset3G", "preset4G", "presetWifi"};
    int i = 0;
    for (const auto &[label, bps] : presets) {
        auto *b = new QPushButton(label);
        b->setObjectName(QString::fromLatin1(presetNames[i++]));
        connect(b, &QPushButton::clicked, this, [this, bps = bps] { setBandwidth(bps); });
        bandRow->addWidget(b);
    }
    m_slider->setObjectName(QStringLiteral("partitionBandwidth"));
    m_slider->setRange(0, kSliderSteps);
    m_slider->setValue(sliderPosition(m_bps));
    m_slider->setToolTip(tr("Uplink bandwidth, log scale from 0.1 to 100 Mbps"));
    bandRow->addWidget(m_slider, 1);
    m_bandwidthLabel->setObjectName(QStringLiteral("partitionBandwidthLabel"));
    m_bandwidthLabel->setMinimumWidth(m_bandwidthLabel->fontMetrics().horizontalAdvance(QStringLiteral("000.00 Mbps")));
    bandRow->addWidget(m_bandwidthLabel);
    m_bandwidthEdit->setObjectName(QStringLiteral("partitionBandwidthEdit"));
    m_bandwidthEdit->setPlaceholderText(tr("e.g. 2.5Mbps, 800kbps"));
    m_bandwidthEdit->setMaximumWidth(160);
    bandRow->addWidget(m_bandwidthEdit);
    form->addRow(tr("Bandwidth:"), bandRow);
    layout->addLayout(form);

    m_banner->setObjectName(QStringLiteral("partitionBanner"));
    m_banner->setVisible(false);
    m_banner->setWordWrap(true);
    m_banner->setStyleSheet(QStringLiteral("QLabel { background: #fdecea; color: #611a15; padding: 6px; }"));
    layout->addWidget(m_banner);
    m_summary->setObjectName(QStringLiteral("partitionSummary"));
    m_summary->setWordWrap(true);
    m_summary->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_summary->setText(tr("Choose a model and a device platform and press Measure layers; then move the bandwidth "
                          "slider to re-plan."));
    layout->addWidget(m_summary);

    for (QChartView *v : {m_curves, m_makespans}) {
        v->setRenderHint(QPainter::Antialiasing);
        v->setMinimumSize(320, 240);
    }
    m_ganttView->setObjectName(QStringLiteral("partitionGantt"));
    m_ganttView->setRenderHint(QPainter::Antialiasing);
    auto *top = new QSplitter(Qt::Horizontal);
    top->addWidget(m_curves);
    top->addWidget(m_makespans);
    top->setSizes({620, 420});
    auto *plan = new QSplitter(Qt::Vertical);
    plan->addWidget(top);
    plan->addWidget(m_ganttView);
    plan->setSizes({420, 220});
    m_tabs->setObjectName(QStringLiteral("partitionTabs"));
    m_tabs->addTab(plan, tr("Plan"));
    auto *placeholder = new QLabel(tr("Measure a model to see its cut on the graph."));
    placeholder->setAlignment(Qt::AlignCenter);
    m_tabs->addTab(placeholder, tr("Cut on the graph"));
    layout->addWidget(m_tabs, 1);

    connect(m_measure, &QPushButton::clicked, this, &PartitionView::measure);
    connect(m_saveButton, &QPushButton::clicked, this, [this] { saveToProject(); });
    connect(m_slider, &QSlider::valueChanged, this, [this](int p) {
        m_bps = sliderBandwidth(p);
        updateBandwidthLabel();
        replan();
    });
    connect(m_bandwidthEdit, &QLineEdit::returnPressed, this, [this] {
        try {
            setBandwidth(partition::parseBandwidth(m_bandwidthEdit->text().toStdString()));
        } catch (const std::exception &e) {
            clearPlan();
            showError(tr("Bandwidth not understood: %1. Type a positive value with a unit, e.g. 5.85Mbps.")
                          .arg(QString::fromStdString(e.what())));
        }
    });
    connect(m_jobs, &QSpinBox::valueChanged, this, &PartitionView::replan);
    updateBandwidthLabel();
    drawCurves();
    drawMakespans();
}

PartitionView::~PartitionView() = default;

void PartitionView::setProject(const QString &path) { m_project = path; }

void PartitionView::setCurrentModel(const QString &path)
{
    for (int i = m_model->count() - 1; i >= 0; --i)
        if (m_model->itemData(i, kCurrentRole).toBool())
            m_model->removeItem(i);
    if (!QFileInfo(path).isFile())
        return;
    m_model->insertItem(0, tr("%1 (open model)").arg(QFileInfo(path).completeBaseName()), path);
    m_model->setItemData(0, true, kCurrentRole);
}

void PartitionView::setModelPath(const QString &path)
{
    int i = m_model->findData(path, kPathRole);
    if (i < 0) {
        m_model->addItem(QFileInfo(path).fileName(), path);
        i = m_model->count() - 1;
    }
    m_model->setCurrentIndex(i);
}

void PartitionView::setPlatform(const QString &localPlatform, const QString &cloudPlatform)
{
    if (const int i = m_local->findData(localPlatform); i >= 0)
        m_local->setCurrentIndex(i);
    m_cloud->setCurrentIndex(std::max(0, m_cloud->findData(cloudPlatform)));
}

void PartitionView::measure()
{
    const QString path = m_model->currentData(kPathRole).toString();
    const QString local = m_local->currentData().toString();
    const QString cloud = m_cloud->currentData().toString();
    if (path.isEmpty()) {
        showError(tr("No model chosen: open a model or choose one of the bundled models."));
        return;
    }
    startJob(tr("Partition: measure %1 on %2").arg(QFileInfo(path).fileName(), local),
             tr("Measuring the layers of %1 on %2...").arg(QFileInfo(path).completeBaseName(), local),
             tr("Could not measure %1 on %2").arg(QFileInfo(path).fileName(), local),
             [path, local, cloud](JobContext &ctx) { return measureModel(path, local, cloud, ctx); });
}

void PartitionView::openExperiment(qint64 id)
{
    const QString project = m_project;
    startJob(tr("Partition: open experiment %1").arg(id), tr("Opening the stored partition example %1...").arg(id),
             tr("Could not open the partition example %1").arg(id),
             [project, id](JobContext &ctx) { return loadStored(project, id, ctx); });
}

void PartitionView::openNewestExperiment()
{
    if (m_profile || m_measuring)
        return;
    const int generation = m_job;
    openStoredWhenIdle(
        m_jobsModel, this, tr("Partition: look for stored examples"), m_project,
        [](db::Database &d) { return db::newestExperiment(d, "partition"); },
        [this, generation] { return generation == m_job && !(m_profile || m_measuring); },
        [this](qint64 id) { openExperiment(id); });
}

void PartitionView::startJob(const QString &jobName, const QString &status, const QString &failure,
                             std::function<PartitionProfile(JobContext &)> work)
{
    const int job = ++m_job;
    m_measuring = true;
    m_measure->setEnabled(false);
    m_saveButton->setEnabled(false);
    m_summary->setText(status);
    m_jobsModel->start<PartitionProfile>(
        jobName, std::move(work), this,
        [this, job](PartitionProfile r) {
            if (job != m_job)
                return; // a newer measurement superseded this one
            m_measuring = false;
            m_measure->setEnabled(true);
            m_profile = std::make_shared<const PartitionProfile>(std::move(r));
            m_saveButton->setEnabled(m_profile->experimentId == 0);
            if (m_profile->experimentId > 0) { // show it as it was saved
                setModelPath(m_profile->model);
                setPlatform(m_profile->platform, m_profile->cloud);
                const QSignalBlocker block(m_jobs);
                m_jobs->setValue(m_profile->jobs);
                m_bps = m_profile->bandwidthBps;
                const QSignalBlocker blockSlider(m_slider);
                m_slider->setValue(sliderPosition(m_bps));
                updateBandwidthLabel();
            }
            if (!m_graph) {
                m_graph = new GraphView;
                QWidget *placeholder = m_tabs->widget(1);
                m_tabs->removeTab(1);
                delete placeholder;
                m_tabs->insertTab(1, m_graph, tr("Cut on the graph"));
            }
            m_graph->setModel(m_profile->report, m_profile->layout);
            replan();
            Q_EMIT measured();
        },
        [this, job, failure](QString e) {
            if (job != m_job)
                return;
            m_measuring = false;
            m_measure->setEnabled(true);
            m_profile.reset();
            if (m_graph)
                m_graph->clear();
            clearPlan();
            showError(tr("%1: %2\nChoose another model or platform and press Measure layers again.").arg(failure, e));
            Q_EMIT measureFailed(e);
        });
}

bool PartitionView::saveToProject(const QString &name)
{
    if (!m_profile || m_measuring) {
        showError(tr("Nothing to save: measure a model first."));
        return false;
    }
    const auto profile = m_profile;
    const QString project = m_project;
    const QString title = name.isEmpty()
        ? tr("%1 on %2, %3 jobs").arg(QFileInfo(profile->model).completeBaseName(), profile->platform).arg(m_jobs->value())
        : name;
    const db::PartitionSpec spec {profile->model.toStdString(), profile->platform.toStdString(),
                                  profile->cloud.toStdString(), m_bps, m_jobs->value()};
    m_saveButton->setEnabled(false);
    m_jobsModel->start<qint64>(
        tr("Save partition example %1").arg(title),
        [project, profile, title, spec](JobContext &) -> qint64 {
            db::Database d = db::openExistingProject(project.toStdString());
            return db::savePartitionExperiment(d, title.toStdString(), spec, profile->profile);
        },
        this, [this](qint64 id) { Q_EMIT saved(id); },
        [this](QString e) {
            m_saveButton->setEnabled(true);
            showError(tr("Could not save the partition example: %1").arg(e));
        });
    return true;
}

void PartitionView::setBandwidth(double bps)
{
    m_bps = bps;
    if (bps > 0 && std::isfinite(bps)) {
        const QSignalBlocker block(m_slider); // the exact preset, not the slider's nearest step
        m_slider->setValue(sliderPosition(bps));
    }
    updateBandwidthLabel();
    replan();
}

void PartitionView::setJobCount(int n) { m_jobs->setValue(n); }

void PartitionView::updateBandwidthLabel()
{
    m_bandwidthLabel->setText(tr("%1 Mbps").arg(m_bps / 1e6, 0, 'f', m_bps < 1e7 ? 2 : 1));
}

void PartitionView::replan()
{
    if (!(m_bps > 0 && std::isfinite(m_bps))) {
        clearPlan();
        showError(tr("The bandwidth must be positive (got %1 Mbps): pick a preset or move the slider.")
                      .arg(m_bps / 1e6));
        return;
    }
    if (!m_profile)
        return;
    const PartitionProfile &p = *m_profile;
    try {
        m_plan = partition::comparePlans(p.profile.merged, partition::CommModel{0, 1, m_bps}, m_jobs->value(),
                                         {kBruteForceMaxJobs, kBruteForceMaxAssignments});
    } catch (const std::exception &e) {
        clearPlan();
        showError(tr("Cannot plan %1 jobs of %2: %3").arg(m_jobs->value()).arg(QFileInfo(p.model).fileName(),
                                                                               QString::fromStdString(e.what())));
        return;
    }
    m_banner->setVisible(false);
    const partition::Plan &jps = *m_plan->find("JPS");
    const auto &cuts = p.profile.merged.cuts;
    const double lo = m_plan->find("LO")->makespan;
    const QString after = QString::fromStdString(cuts[size_t(jps.cutRight)].after);
    const QString split = jps.jobsLeft > 0
                              ? tr("%1 jobs cut after %2 (cut %3) and %4 jobs after %5 (cut %6)")
                                    .arg(jps.jobsLeft)
                                    .arg(QString::fromStdString(cuts[size_t(jps.cutLeft)].after))
                                    .arg(jps.cutLeft)
                                    .arg(jps.jobsRight)
                                    .arg(after)
                                    .arg(jps.cutRight)
                              : tr("all %1 jobs cut after %2 (cut %3)").arg(jps.jobsRight).arg(after).arg(jps.cutRight);
    m_summary->setText(tr("%1 on %2: %3 layers, %4 cut points (%5 before virtual blocks), local-only %6 ms per job. "
                          "JPS at %7 Mbps: %8; makespan %9 ms, %10% below local-only.")
                           .arg(QFileInfo(p.model).completeBaseName(), p.platform)
                           .arg(p.profile.merged.layers)
                           .arg(cuts.size())
                           .arg(p.profile.raw.cuts.size())
                           .arg(cuts.back().localMs, 0, 'f', 2)
                           .arg(m_bps / 1e6, 0, 'f', 2)
                           .arg(split)
                           .arg(jps.makespan, 0, 'f', 1)
                           .arg(lo > 0 ? 100.0 * (1.0 - jps.makespan / lo) : 0.0, 0, 'f', 1));
    drawCurves();
    drawMakespans();
    drawGantt();
    markCutOnGraph();
    Q_EMIT planned();
}

void PartitionView::clearPlan()
{
    m_plan.reset();
    drawCurves();
    drawMakespans();
    drawGantt();
    markCutOnGraph();
}

void PartitionView::showError(const QString &message)
{
    m_banner->setText(message);
    m_banner->setVisible(true);
}

QString PartitionView::errorText() const { return m_banner->isVisibleTo(this) ? m_banner->text() : QString(); }

int PartitionView::cutIndex() const
{
    const partition::Plan *p = m_plan ? m_plan->find("JPS") : nullptr;
    return p ? p->cutRight : -1;
}

int PartitionView::cutLeftIndex() const
{
    const partition::Plan *p = m_plan ? m_plan->find("JPS") : nullptr;
    return p ? p->cutLeft : -1;
}

QString PartitionView::cutName() const
{
    const int c = cutIndex();
    return c < 0 || !m_profile ? QString() : QString::fromStdString(m_profile->profile.merged.cuts[size_t(c)].after);
}

double PartitionView::makespan(const QString &method) const
{
    const partition::Plan *p = m_plan ? m_plan->find(method.toStdString()) : nullptr;
    return p ? p->makespan : std::numeric_limits<double>::quiet_NaN();
}

QChart *PartitionView::curvesChart() const { return m_curves->chart(); }
QChart *PartitionView::makespanChart() const { return m_makespans->chart(); }

} // namespace sniper::views
