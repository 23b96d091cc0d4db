#include "trainingview.h"
#include "viewutil.h"

#include "jobs.h"
#include "modulestudymodels.h"
#include "trainingmetricsmodel.h"
#include "trainingrun.h"

#include "database.h"
#include "defaultproject.h"
#include "predict/evaluation.h"
#include "predict/experiment.h"
#include "predict/export.h"
#include "predict/predictor.h"
#include "predictdata.h"
#include "modulesamples.h"
#include "predictorstore.h"

#include <QChartView>
#include <QComboBox>
#include <QFileDialog>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QLineSeries>
#include <QPushButton>
#include <QSplitter>
#include <QTabWidget>
#include <QTableView>
#include <QTimer>
#include <QVBoxLayout>
#include <QValueAxis>

#include <cmath>
#include <functional>

namespace sniper::views {

namespace {

QLineEdit *field(const char *objectName, const QString &value, int width = 90)
{
    auto *e = new QLineEdit(value);
    e->setObjectName(QString::fromLatin1(objectName));
    e->setMaximumWidth(width);
    return e;
}

} // namespace

TrainingView::TrainingView(JobsModel *jobs, QWidget *parent)
    : QWidget(parent), m_jobsModel(jobs), m_predictor(new QComboBox),
      m_datasets(field("trainingDatasets", QStringLiteral("generated-300"), 400)),
      m_platforms(field("trainingPlatforms", {}, 400)), m_moduleSet(field("trainingModuleSet", QStringLiteral("modules"), 400)), m_splitSeed(field("trainingSplitSeed", QStringLiteral("2026"))),
      m_testFraction(field("trainingTestFraction", QStringLiteral("0.2"))),
      m_epochs(field("trainingEpochs", QStringLiteral("400"))), m_lr(field("trainingLearningRate", QStringLiteral("0.002"))),
      m_batch(field("trainingBatch", QStringLiteral("128"))), m_patience(field("trainingPatience", QStringLiteral("40"))),
      m_references(field("trainingReferences", QStringLiteral("100"))), m_seed(field("trainingSeed", QStringLiteral("1"))),
      m_trainButton(new QPushButton(tr("Train"))), m_cancelButton(new QPushButton(tr("Cancel"))),
      m_saveButton(new QPushButton(tr("Save to project"))), m_exportButton(new QPushButton(tr("Export..."))),
      m_banner(new QLabel), m_status(new QLabel), m_loss(new QChartView), m_scatter(new QChartView),
      m_cdf(new QChartView), m_table(new QTableView), m_metrics(new TrainingMetricsModel(this)),
      m_studyModel(new ModuleStudyModel(this)), m_selectionModel(new ModuleSelectionModel(this)), m_results(new QTabWidget),
      m_poll(new QTimer(this))
{
    m_predictor->setObjectName(QStringLiteral("trainingPredictor"));
    for (const auto &c : predict::paperPredictors(predict::PredictorConfig{}))
        m_predictor->addItem(QString::fromStdString(c.name()));
    m_predictor->addItem(tr("Module-level study (MEDN framework)"));
    m_predictor->setCurrentIndex(m_predictor->findText(QStringLiteral("NNS+HRM (PCN)")));
    m_platforms->setPlaceholderText(tr("every measured platform"));
    m_datasets->setPlaceholderText(tr("datasets of random networks, comma-separated"));
    m_trainButton->setObjectName(QStringLiteral("trainingTrain"));
    m_cancelButton->setObjectName(QStringLiteral("trainingCancel"));
    m_cancelButton->setEnabled(false);
    m_saveButton->setObjectName(QStringLiteral("trainingSave"));
    m_saveButton->setEnabled(false);
    m_exportButton->setObjectName(QStringLiteral("trainingExport"));
    m_exportButton->setEnabled(false);

    auto *layout = new QVBoxLayout(this);
    auto *form = new QFormLayout;
    form->addRow(tr("Predictor:"), m_predictor);
    form->addRow(tr("Datasets:"), m_datasets);
    form->addRow(tr("Platforms:"), m_platforms);
    form->addRow(tr("Module set:"), m_moduleSet);
    auto *splitRow = new QHBoxLayout;
    splitRow->addWidget(m_splitSeed);
    splitRow->addWidget(new QLabel(tr("test fraction:")));
    splitRow->addWidget(m_testFraction);
    splitRow->addStretch(1);
    form->addRow(tr("Split seed:"), splitRow);
    auto *hyper = new QHBoxLayout;
    hyper->addWidget(m_epochs);
    for (auto [label, edit] : {std::pair{tr("learning rate:"), m_lr}, {tr("batch:"), m_batch},
                               {tr("patience:"), m_patience}, {tr("references d:"), m_references},
                               {tr("seed:"), m_seed}}) {
        hyper->addWidget(new QLabel(label));
        hyper->addWidget(edit);
    }
    hyper->addStretch(1);
    form->addRow(tr("Epochs:"), hyper);
    auto *buttons = new QHBoxLayout;
    for (QPushButton *b : {m_trainButton, m_cancelButton, m_saveButton, m_exportButton})
        buttons->addWidget(b);
    buttons->addStretch(1);
    form->addRow(QString(), buttons);
    layout->addLayout(form);

    m_banner->setObjectName(QStringLiteral("trainingBanner"));
    m_banner->setVisible(false);
    m_banner->setWordWrap(true);
    m_banner->setStyleSheet(QStringLiteral("QLabel { background: #fdecea; color: #611a15; padding: 6px; }"));
    layout->addWidget(m_banner);
    m_status->setObjectName(QStringLiteral("trainingStatus"));
    m_status->setWordWrap(true);
    m_status->setText(tr("Choose a predictor, the datasets and the hyper-parameters and press Train."));
    layout->addWidget(m_status);

    // The loss chart: train and validation loss, one point per epoch.
    auto *lossChart = new QChart;
    lossChart->setTitle(tr("Loss per epoch"));
    auto *trainSeries = new QLineSeries;
    trainSeries->setName(tr("train"));
    auto *validSeries = new QLineSeries;
    validSeries->setName(tr("validation"));
    lossChart->addSeries(trainSeries);
    lossChart->addSeries(validSeries);
    auto *epochAxis = new QValueAxis;
    epochAxis->setTitleText(tr("epoch"));
    epochAxis->setLabelFormat(QStringLiteral("%d"));
    epochAxis->setRange(0, 10);
    auto *lossAxis = new QValueAxis;
    lossAxis->setTitleText(tr("loss (MSE, normalized)"));
    lossAxis->setRange(0, 1);
    lossChart->addAxis(epochAxis, Qt::AlignBottom);
    lossChart->addAxis(lossAxis, Qt::AlignLeft);
    for (QLineSeries *s : {trainSeries, validSeries}) {
        s->attachAxis(epochAxis);
        s->attachAxis(lossAxis);
    }
    m_loss->setChart(lossChart);
    for (QChartView *v : {m_loss, m_scatter, m_cdf}) {
        v->setRenderHint(QPainter::Antialiasing);
        v->setMinimumSize(260, 200);
    }
    m_table->setObjectName(QStringLiteral("trainingMetrics"));
    m_table->setModel(m_metrics);
    m_table->horizontalHeader()->setStretchLastSection(true);
    m_table->verticalHeader()->hide();
    m_results->setObjectName(QStringLiteral("trainingResults"));
    m_results->addTab(m_table, tr("Metrics"));
    for (auto [model, title] : {std::pair<QAbstractItemModel *, QString>{m_studyModel, tr("Table 5")},
                                {m_selectionModel, tr("Auto-selection")}}) {
        auto *t = new QTableView;
        t->setModel(model);
        t->horizontalHeader()->setStretchLastSection(true);
        t->verticalHeader()->hide();
        m_results->addTab(t, title);
    }
    auto *top = new QSplitter(Qt::Horizontal);
    top->addWidget(m_loss);
    top->addWidget(m_results);
    auto *bottom = new QSplitter(Qt::Horizontal);
    bottom->addWidget(m_scatter);
    bottom->addWidget(m_cdf);
    auto *charts = new QSplitter(Qt::Vertical);
    charts->addWidget(top);
    charts->addWidget(bottom);
    layout->addWidget(charts, 1);
    drawScatter();
    drawCdf();

    m_poll->setInterval(50);
    connect(m_poll, &QTimer::timeout, this, &TrainingView::drainFeed);
    connect(m_trainButton, &QPushButton::clicked, this, &TrainingView::train);
    connect(m_cancelButton, &QPushButton::clicked, this, &TrainingView::cancel);
    connect(m_saveButton, &QPushButton::clicked, this, [this] { saveToProject(); });
    connect(m_exportButton, &QPushButton::clicked, this, [this] {
        QString f = QFileDialog::getSaveFileName(this, tr("Export the predictor"), {}, tr("ONNX model (*.onnx)"));
        if (f.isEmpty())
            return;
        if (f.endsWith(QLatin1String(".onnx")) || f.endsWith(QLatin1String(".json")))
            f.chop(5);
        if (const QString e = exportTo(f); !e.isEmpty())
            showError(tr("Could not export the predictor: %1").arg(e));
        else
            m_status->setText(tr("Exported %1.onnx and %1.json.").arg(f));
    });
    connect(m_predictor, &QComboBox::currentIndexChanged, this, [this] {
        updateFields();
        validate(nullptr);
    });
    updateFields();
    // Inline validation as you type.
    for (QLineEdit *e : {m_datasets, m_splitSeed, m_testFraction, m_epochs, m_lr, m_batch, m_patience, m_references, m_seed})
        connect(e, &QLineEdit::textChanged, this, [this] { validate(nullptr); });
}

TrainingView::~TrainingView()
{
    if (m_feed) { // let a running job stop at its next epoch
        std::lock_guard lock(m_feed->mutex);
        m_feed->cancel = true;
    }
}

void TrainingView::setProject(const QString &path) { m_project = path; }
void TrainingView::setPredictor(int index) { m_predictor->setCurrentIndex(index); }
void TrainingView::setModuleSet(const QString &name) { m_moduleSet->setText(name); }
int TrainingView::moduleStudyIndex() const { return m_predictor->count() - 1; }
bool TrainingView::isModuleStudy() const { return m_predictor->currentIndex() == moduleStudyIndex(); }

// The module-level study takes a sample set and one platform; the network level takes datasets.
void TrainingView::updateFields()
{
    const bool study = isModuleStudy();
    m_moduleSet->setEnabled(study);
    for (QLineEdit *e : {m_datasets, m_testFraction, m_references})
        e->setEnabled(!study);
    m_platforms->setPlaceholderText(study ? tr("one platform (default torch-cpu-1t)") : tr("every measured platform"));
}
void TrainingView::setDatasets(const QString &s) { m_datasets->setText(s); }
void TrainingView::setPlatforms(const QString &s) { m_platforms->setText(s); }

QStringList TrainingView::predictorNames() const
{
    QStringList out;
    for (int i = 0; i < m_predictor->count(); ++i)
        out << m_predictor->itemText(i);
    return out;
}

void TrainingView::setHyperParameters(const QString &epochs, const QString &learningRate, const QString &batch,
                                      const QString &patience, const QString &references, const QString &seed)
{
    m_epochs->setText(epochs);
    m_lr->setText(learningRate);
    m_batch->setText(batch);
    m_patience->setText(patience);
    m_references->setText(references);
    m_seed->setText(seed);
}

void TrainingView::setSplit(const QString &splitSeed, const QString &testFraction)
{
    m_splitSeed->setText(splitSeed);
    m_testFraction->setText(testFraction);
}

bool TrainingView::validate(TrainInput *in)
{
    const auto whole = [this](QLineEdit *e, const QString &name, int *out) {
        bool ok = false;
        const int v = e->text().trimmed().toInt(&ok);
        if (!ok || v < 1) {
            showError(tr("%1 must be a whole number >= 1 (got '%2').").arg(name, e->text()));
            return false;
        }
        *out = v;
        return true;
    };
    const auto seed = [this](QLineEdit *e, const QString &name, uint64_t *out) {
        bool ok = false;
        const qulonglong v = e->text().trimmed().toULongLong(&ok);
        if (!ok) {
            showError(tr("%1 must be a whole number >= 0 (got '%2').").arg(name, e->text()));
            return false;
        }
        *out = v;
        return true;
    };
    const bool study = isModuleStudy();
    if (study && m_moduleSet->text().trimmed().isEmpty()) {
        showError(tr("No module set given: name a module sample set of the project (sniper modules sample)."));
        return false;
    }
    if (study && splitList(m_platforms->text()).size() > 1) {
        showError(tr("The module-level study runs on one platform: name a single platform."));
        return false;
    }
    if (!study && splitList(m_datasets->text()).empty()) {
        showError(tr("No dataset given: name at least one dataset of the project, e.g. generated-300."));
        return false;
    }
    predict::PredictorConfig c;
    if (!study)
        c = predict::paperPredictors(predict::PredictorConfig{}).at(size_t(std::max(0, m_predictor->currentIndex())));
    uint64_t splitSeed = 0;
    if (!seed(m_splitSeed, tr("The split seed"), &splitSeed))
        return false;
    bool ok = false;
    const double fraction = m_testFraction->text().trimmed().toDouble(&ok);
    if (!study && (!ok || !std::isfinite(fraction) || fraction <= 0 || fraction > 0.8)) {
        showError(tr("The test fraction must be a number in (0, 0.8] (got '%1').").arg(m_testFraction->text()));
        return false;
    }
    if (!whole(m_epochs, tr("Epochs"), &c.pcn.epochs))
        return false;
    const double lr = m_lr->text().trimmed().toDouble(&ok);
    if (!ok || !std::isfinite(lr) || lr <= 0) {
        showError(tr("The learning rate must be a number > 0, e.g. 0.002 (got '%1').").arg(m_lr->text()));
        return false;
    }
    c.pcn.lr = lr;
    if (!whole(m_batch, tr("The batch"), &c.pcn.batch) || !whole(m_patience, tr("The patience"), &c.pcn.patience) ||
        !whole(m_references, tr("The reference count d"), &c.referenceCount) || !seed(m_seed, tr("The seed"), &c.seed))
        return false;
    c.pcn.seed = c.seed;
    m_banner->setVisible(false);
    if (in) {
        in->project = m_project.isEmpty() ? QString::fromStdString(db::defaultProjectPath()) : m_project;
        in->datasets = splitList(m_datasets->text());
        in->platforms = splitList(m_platforms->text());
        in->config = c;
        in->splitSeed = splitSeed;
        in->testFraction = fraction;
        in->moduleStudy = study;
        in->moduleSet = m_moduleSet->text().trimmed().toStdString();
        in->studyPlatform = in->platforms.empty() ? std::string("torch-cpu-1t") : in->platforms.front();
        in->regressor.epochs = c.pcn.epochs;
        in->regressor.lr = c.pcn.lr;
        in->regressor.batch = c.pcn.batch;
        in->regressor.patience = c.pcn.patience;
        in->regressor.seed = c.seed;
    }
    return true;
}

bool TrainingView::train()
{
    if (m_training)
        return false;
    TrainInput in;
    if (!validate(&in))
        return false;
    const QString name = in.moduleStudy ? tr("module-level study") : QString::fromStdString(in.config.name());
    startJob(tr("Training: %1 on %2").arg(name, in.moduleStudy ? m_moduleSet->text() : m_datasets->text()),
             tr("Training %1...").arg(name), true,
             [in](const std::shared_ptr<EpochFeed> &feed, JobContext &ctx) {
                 return in.moduleStudy ? runModuleStudy(in, feed, ctx) : trainRun(in, feed, ctx);
             });
    return true;
}

void TrainingView::openPredictor(qint64 id)
{
    if (m_training)
        return;
    const QString project = m_project;
    startJob(tr("Training: open predictor %1").arg(id), tr("Opening the stored predictor %1...").arg(id), false,
             [project, id](const std::shared_ptr<EpochFeed> &feed, JobContext &ctx) { return reopenRun(project, id, feed, ctx); });
}

void TrainingView::openNewestPredictor()
{
    if (m_run || m_training)
        return;
    const int generation = m_job;
    openStoredWhenIdle(
        m_jobsModel, this, tr("Training: look for stored predictors"), m_project,
        [](db::Database &d) { return db::newestNetworkPredictor(d); },
        [this, generation] { return generation == m_job && !(m_run || m_training); },
        [this](qint64 id) { openPredictor(id); });
}

void TrainingView::startJob(const QString &jobName, const QString &status, bool cancellable,
                            std::function<TrainingRun(const std::shared_ptr<EpochFeed> &, JobContext &)> work)
{
    for (QAbstractSeries *s : m_loss->chart()->series())
        static_cast<QLineSeries *>(s)->clear();
    m_lossTop = 0;
    m_run.reset();
    m_metrics->setRows({});
    m_studyModel->setRows({});
    m_selectionModel->setSelections({}, {});
    drawScatter();
    drawCdf();
    m_feed = std::make_shared<EpochFeed>();
    m_cancelEpoch = -1;
    const int job = ++m_job;
    m_training = true;
    m_trainButton->setEnabled(false);
    m_cancelButton->setEnabled(cancellable);
    m_saveButton->setEnabled(false);
    m_exportButton->setEnabled(false);
    m_status->setText(status);
    m_poll->start();
    const auto finish = [this] {
        m_poll->stop();
        drainFeed();
        m_training = false;
        m_trainButton->setEnabled(true);
        m_cancelButton->setEnabled(false);
    };
    m_jobId = m_jobsModel->start<TrainingRun>(
        jobName, [feed = m_feed, work = std::move(work)](JobContext &ctx) { return work(feed, ctx); }, this,
        [this, job, finish](TrainingRun r) {
            if (job != m_job)
                return;
            finish();
            m_run = std::make_shared<const TrainingRun>(std::move(r));
            showResult();
            Q_EMIT finished();
        },
        [this, job, finish](QString e) {
            if (job != m_job)
                return;
            finish();
            m_status->clear();
            showError(tr("The training failed: %1\nCheck the datasets and platforms against the project and the "
                         "reference count d against the number of training networks, then train again.").arg(e));
            Q_EMIT failed(e);
        });
}

void TrainingView::cancel()
{
    if (!m_training || !m_feed)
        return;
    {
        std::lock_guard lock(m_feed->mutex);
        m_feed->cancel = true;
        m_cancelEpoch = int(m_feed->train.size());
    }
    m_jobsModel->cancel(m_jobId);
    m_cancelButton->setEnabled(false);
    m_status->setText(tr("Cancelling at the end of the epoch..."));
}

void TrainingView::showResult()
{
    m_banner->setVisible(false);
    if (m_run->cancelled) {
        m_status->setText(tr("Training cancelled after %1 epochs; nothing was evaluated or stored.").arg(trainPointCount()));
        drawScatter();
        drawCdf();
        return;
    }
    if (m_run->study) {
        m_studyModel->setRows(m_run->study->rows);
        m_selectionModel->setSelections(m_run->timeSelection, m_run->spaceSelection);
        m_results->setCurrentIndex(1);
        m_status->setText(tr("Module-level study of set %1 on %2: %3 regressors trained over %4 epochs.")
                              .arg(QString::fromStdString(m_run->moduleSet), QString::fromStdString(m_run->study->platform))
                              .arg(m_run->study->rows.size())
                              .arg(trainPointCount()));
        m_saveButton->setEnabled(true);
        drawScatter();
        drawCdf();
        return;
    }
    m_results->setCurrentIndex(0);
    const predict::TrainingReport &rep = m_run->report;
    m_metrics->setRows(m_run->metrics);
    m_table->resizeColumnsToContents();
    QString mape;
    for (const auto &r : m_run->metrics)
        if (r.scope == "all")
            mape = QString::number(r.metrics.mape, 'f', 2);
    const QString stored = m_run->predictorId > 0
        ? tr("Stored predictor %1 '%2', evaluated again on its held-out split. ").arg(m_run->predictorId).arg(m_run->predictorName)
        : QString();
    const QString name = QString::fromStdString(m_run->predictor->config().name());
    if (rep.epochs > 0 || rep.trainSamples > 0)
        m_status->setText(stored + tr("Trained %1 in %2 s: %3 epochs (best %4) on %5 samples. Held-out MAPE %6%.")
                              .arg(name)
                              .arg(rep.seconds, 0, 'f', 1)
                              .arg(rep.epochs)
                              .arg(rep.bestEpoch)
                              .arg(rep.trainSamples)
                              .arg(mape));
    else // stored before predictors kept their training report
        m_status->setText(stored + tr("%1: no training report was stored with it. Held-out MAPE %2%.").arg(name, mape));
    m_saveButton->setEnabled(m_run->predictorId == 0);
    m_exportButton->setEnabled(true);
    drawScatter();
    drawCdf();
}

bool TrainingView::saveToProject(const QString &name)
{
    if (m_run && m_run->study) {
        auto run = m_run;
        m_saveButton->setEnabled(false);
        m_jobsModel->start<qint64>(
            tr("Save module study of %1").arg(QString::fromStdString(run->moduleSet)),
            [run](JobContext &) -> qint64 {
                db::Database project = db::openProject(run->project.toStdString());
                return db::saveModuleStudy(project, run->moduleSet, *run->study, run->studyOptions);
            },
            this,
            [this](qint64 id) {
                m_saveButton->setEnabled(true);
                m_status->setText(tr("Stored the study as experiment %1 in the project.").arg(id));
                Q_EMIT saved(id);
            },
            [this](QString e) {
                m_saveButton->setEnabled(true);
                showError(tr("Could not store the study: %1").arg(e));
                Q_EMIT failed(e);
            });
        return true;
    }
    if (!m_run || !m_run->predictor) {
        showError(tr("Nothing to save: train a predictor first."));
        return false;
    }
    auto run = m_run;
    m_saveButton->setEnabled(false);
    m_jobsModel->start<qint64>(
        tr("Save predictor %1").arg(QString::fromStdString(run->predictor->config().name())),
        [run, name = name.toStdString()](JobContext &) -> qint64 {
            db::Database project = db::openProject(run->project.toStdString());
            return db::storeNetworkPredictor(project, *run->predictor, name, db::predictorMetricsJson(run->metrics),
                                             run->training);
        },
        this,
        [this](qint64 id) {
            m_saveButton->setEnabled(true);
            m_status->setText(tr("Stored as predictor %1 in the project.").arg(id));
            Q_EMIT saved(id);
        },
        [this](QString e) {
            m_saveButton->setEnabled(true);
            showError(tr("Could not store the predictor: %1").arg(e));
            Q_EMIT failed(e);
        });
    return true;
}

QString TrainingView::exportTo(const QString &pathWithoutExtension)
{
    if (m_run && m_run->study)
        return tr("export writes network-level predictors; the module-level study is stored with Save to project");
    if (!m_run || !m_run->predictor)
        return tr("nothing to export: train a predictor first");
    try {
        predict::exportPredictor(*m_run->predictor, pathWithoutExtension.toStdString());
    } catch (const std::exception &e) {
        return QString::fromStdString(e.what());
    }
    return {};
}

void TrainingView::showError(const QString &message)
{
    m_banner->setText(message);
    m_banner->setVisible(true);
}

bool TrainingView::isFinished() const { return m_run && !m_run->cancelled; }
bool TrainingView::wasCancelled() const { return m_run && m_run->cancelled; }
int TrainingView::trainPointCount() const { return static_cast<QLineSeries *>(m_loss->chart()->series().value(0))->count(); }
int TrainingView::validationPointCount() const
{
    return static_cast<QLineSeries *>(m_loss->chart()->series().value(1))->count();
}
int TrainingView::reportedEpochs() const
{
    if (!m_feed)
        return 0;
    std::lock_guard lock(m_feed->mutex);
    return int(m_feed->train.size());
}
int TrainingView::metricsRowCount() const { return m_metrics->rowCount(); }
QString TrainingView::statusText() const { return m_status->text(); }
QString TrainingView::errorText() const { return m_banner->isVisibleTo(this) ? m_banner->text() : QString(); }
QChart *TrainingView::lossChart() const { return m_loss->chart(); }
QChart *TrainingView::scatterChart() const { return m_scatter->chart(); }
QChart *TrainingView::cdfChart() const { return m_cdf->chart(); }

} // namespace sniper::views
