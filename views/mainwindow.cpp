#include "mainwindow.h"

#include "aboutdialog.h"
#include "datasetsview.h"
#include "devicesview.h"
#include "featuresview.h"
#include "inputshapedialog.h"
#include "featuretablemodel.h"
#include "graphview.h"
#include "jobs.h"
#include "nodetablemodel.h"
#include "partitionview.h"
#include "profilingview.h"
#include "projectmodel.h"
#include "schedulingview.h"
#include "trainingview.h"
#include "settings.h"
#include "translation.h"

#include "common/error.h"
#include "database.h"
#include "defaultproject.h"
#include "predictorstore.h"
#include "features/inspect.h"
#include "builders.h"
#include "graph/layout.h"
#include "models.h"
#include "onnx/onnximport.h"

#include <QApplication>
#include <QActionGroup>
#include <QDockWidget>
#include <QDragEnterEvent>
#include <QDropEvent>
#include <QFileInfo>
#include <QMimeData>
#include <QFileDialog>
#include <QHeaderView>
#include <QLabel>
#include <QMenuBar>
#include <QPushButton>
#include <QSplitter>
#include <QStatusBar>
#include <QTabWidget>
#include <QTableView>
#include <QTreeView>
#include <QVBoxLayout>

namespace sniper::views {

namespace {

// A loaded model: the report and its layout, both computed off the GUI thread.
struct LoadedModel {
    std::shared_ptr<const features::ModelReport> report;
    std::shared_ptr<const graph::GraphLayout> layout;
};

LoadedModel analyze(graph::Graph g, const std::string &label)
{
    LoadedModel m;
    auto report = std::make_shared<const features::ModelReport>(features::analyzeGraph(std::move(g), label));
    m.layout = std::make_shared<const graph::GraphLayout>(graph::layeredLayout(report->dag));
    m.report = report;
    return m;
}

QLabel *makeBanner(QWidget *parent)
{
    auto *banner = new QLabel(parent);
    banner->setObjectName(QStringLiteral("modelBanner"));
    banner->setVisible(false);
    banner->setWordWrap(true);
    banner->setStyleSheet(QStringLiteral("QLabel { background: #fdecea; color: #611a15; padding: 6px; }"));
    return banner;
}

} // namespace

MainWindow::MainWindow(QWidget *parent)
    : QMainWindow(parent), m_jobs(new JobsModel(this)), m_project(new ProjectTreeModel(this)),
      m_datasets(new DatasetsView(m_jobs)), m_profiling(new ProfilingView(m_jobs)),
      m_featuresView(new FeaturesView(m_jobs)), m_partition(new PartitionView(m_jobs)),
      m_scheduling(new SchedulingView(m_jobs)), m_training(new TrainingView(m_jobs)),
      m_devices(new DevicesView(m_jobs)),
      m_nodes(new NodeTableModel(this)), m_features(new FeatureTableModel(this)), m_graph(new GraphView(this)),
      m_banner(makeBanner(this)), m_summary(new QLabel(this)),
      m_prediction(new QLabel(this))
{
    setWindowTitle(tr("Sniper Workbench"));
    // The model view: summary, graph, node and feature tables.
    auto *modelPage = new QWidget;
    auto *layout = new QVBoxLayout(modelPage);
    layout->addWidget(m_banner);
    m_summary->setText(tr("Open an ONNX model (File > Open Model...) or double-click a model in the project."));
    m_summary->setWordWrap(true);
    layout->addWidget(m_summary);
    m_prediction->setObjectName(QStringLiteral("modelPrediction"));
    m_prediction->setWordWrap(true);
    m_prediction->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_prediction->setVisible(false);
    layout->addWidget(m_prediction);
    auto *tabs = new QTabWidget;
    tabs->setObjectName(QStringLiteral("modelTabs"));
    tabs->addTab(m_graph, tr("Graph"));
    auto *split = new QSplitter(Qt::Horizontal);
    auto *nodeView = new QTableView(split);
    nodeView->setObjectName(QStringLiteral("nodeTable"));
    nodeView->setModel(m_nodes);
    nodeView->horizontalHeader()->setStretchLastSection(true);
    nodeView->setWordWrap(false);
    nodeView->horizontalHeader()->resizeSection(0, 240);
    auto *featureView = new QTableView(split);
    featureView->setObjectName(QStringLiteral("featureTable"));
    featureView->setModel(m_features);
    featureView->horizontalHeader()->setStretchLastSection(true);
    featureView->setWordWrap(false);
    featureView->horizontalHeader()->resizeSection(0, 200);
    split->addWidget(nodeView);
    split->addWidget(featureView);
    tabs->addTab(split, tr("Nodes and features"));
    layout->addWidget(tabs, 1);

    auto *views = new QTabWidget;
    views->setObjectName(QStringLiteral("views"));
    views->addTab(modelPage, tr("Model"));
    views->addTab(m_featuresView, tr("Features"));
    views->addTab(m_datasets, tr("Datasets"));
    views->addTab(m_profiling, tr("Generator and profiling"));
    views->addTab(m_partition, tr("Partition"));
    views->addTab(m_scheduling, tr("Scheduling"));
    views->addTab(m_training, tr("Training"));
    views->addTab(m_devices, tr("Devices"));
    setCentralWidget(views);

    // Docks: the project explorer and the jobs panel.
    auto *tree = new QTreeView;
    tree->setObjectName(QStringLiteral("projectTree"));
    tree->setModel(m_project);
    tree->header()->setSectionResizeMode(0, QHeaderView::ResizeToContents);
    connect(tree, &QTreeView::activated, this, [this, views](const QModelIndex &index) {
        const int category = index.data(ProjectTreeModel::CategoryRole).toInt();
        const qint64 id = index.data(ProjectTreeModel::IdRole).toLongLong();
        const QString kind = index.data(ProjectTreeModel::KeyRole).toString();
        if (index.parent().isValid() && category == ProjectTreeModel::Models) {
            views->setCurrentIndex(0);
            openProjectModel(id);
        } else if (index.parent().isValid() && category == ProjectTreeModel::Predictors && kind == QLatin1String("network")) {
            views->setCurrentWidget(m_training);
            m_training->openPredictor(id);
        } else if (index.parent().isValid() && category == ProjectTreeModel::Experiments && kind == QLatin1String("scheduling")) {
            views->setCurrentWidget(m_scheduling);
            m_scheduling->openExperiment(id);
        } else if (index.parent().isValid() && category == ProjectTreeModel::Experiments && kind == QLatin1String("partition")) {
            views->setCurrentWidget(m_partition);
            m_partition->openExperiment(id);
        } else if (index.parent().isValid()) {
            views->setCurrentIndex(views->indexOf(m_datasets));
        }
    });
    auto *projectDock = new QDockWidget(tr("Project"), this);
    projectDock->setObjectName(QStringLiteral("projectDock"));
    projectDock->setWidget(tree);
    addDockWidget(Qt::LeftDockWidgetArea, projectDock);

    auto *jobsPanel = new QWidget;
    auto *jobsLayout = new QVBoxLayout(jobsPanel);
    auto *jobsView = new QTableView;
    jobsView->setObjectName(QStringLiteral("jobsTable"));
    jobsView->setModel(m_jobs);
    jobsView->horizontalHeader()->setStretchLastSection(true);
    jobsView->setSelectionBehavior(QAbstractItemView::SelectRows);
    jobsView->setWordWrap(false);
    jobsView->verticalHeader()->hide();
    jobsView->verticalHeader()->setDefaultSectionSize(jobsView->fontMetrics().height() + 8);
    jobsView->horizontalHeader()->resizeSection(JobsModel::Name, 520);
    jobsView->horizontalHeader()->resizeSection(JobsModel::State, 160);
    auto *cancel = new QPushButton(tr("Cancel selected job"));
    connect(cancel, &QPushButton::clicked, this, [this, jobsView] {
        const QModelIndex i = jobsView->currentIndex();
        if (i.isValid())
            m_jobs->cancel(m_jobs->data(m_jobs->index(i.row(), 0), Qt::UserRole).toInt());
    });
    jobsLayout->addWidget(jobsView);
    jobsLayout->addWidget(cancel);
    auto *jobsDock = new QDockWidget(tr("Jobs"), this);
    jobsDock->setObjectName(QStringLiteral("jobsDock"));
    jobsDock->setWidget(jobsPanel);
    addDockWidget(Qt::BottomDockWidgetArea, jobsDock);
    resizeDocks({jobsDock}, {190}, Qt::Vertical);
    resizeDocks({projectDock}, {260}, Qt::Horizontal);

    connect(m_datasets, &DatasetsView::projectChanged, this, &MainWindow::refreshProject);
    connect(m_profiling, &ProfilingView::projectChanged, this, &MainWindow::refreshProject);
    connect(m_training, &TrainingView::saved, this, &MainWindow::refreshProject);
    connect(this, &MainWindow::modelLoaded, m_partition, &PartitionView::setCurrentModel);
    buildMenus();
    setAcceptDrops(true);
    m_prompt = [this](const QString &file, const QString &reason) {
        InputShapeDialog dialog(file, reason, this);
        return dialog.exec() == QDialog::Accepted ? dialog.shape() : QString();
    };
    resize(1360, 860);
    if (!Settings::windowGeometry().isEmpty())
        restoreGeometry(Settings::windowGeometry());
    if (!Settings::windowState().isEmpty())
        restoreState(Settings::windowState());
}

MainWindow::~MainWindow()
{
    Settings::setWindowGeometry(saveGeometry());
    Settings::setWindowState(saveState());
    m_jobs->cancelAll();
}

void MainWindow::buildMenus()
{
    auto *file = menuBar()->addMenu(tr("&File"));
    file->addAction(tr("&New Project..."), QKeySequence::New, this, [this] {
        QString path = QFileDialog::getSaveFileName(this, tr("New project"), QString(), tr("Projects (*.sniper)"));
        if (!path.isEmpty())
            openProject(path.endsWith(QLatin1String(".sniper")) ? path : path + QStringLiteral(".sniper"));
    });
    file->addAction(tr("Open &Project..."), QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_O), this, [this] {
        QString path = QFileDialog::getOpenFileName(this, tr("Open project"), QString(), tr("Projects (*.sniper);;All files (*)"));
        if (!path.isEmpty())
            openProject(path);
    });
    auto *recent = file->addMenu(tr("&Recent Projects"));
    connect(recent, &QMenu::aboutToShow, this, [this, recent] {
        recent->clear();
        for (const QString &p : Settings::recentProjects())
            recent->addAction(p, this, [this, p] { openProject(p); });
    });
    file->addAction(tr("Open &Default Project"), this,
                    [this] { openProject(QString::fromStdString(db::defaultProjectPath())); });
    file->addSeparator();
    file->addAction(tr("&Open Model..."), QKeySequence::Open, this, [this] {
        QString path = QFileDialog::getOpenFileName(this, tr("Open ONNX model"), QString(), tr("ONNX models (*.onnx)"));
        if (!path.isEmpty())
            openModel(path);
    });
    file->addSeparator();
    file->addAction(tr("&Quit"), QKeySequence::Quit, this, &QWidget::close);
    auto *view = menuBar()->addMenu(tr("&View"));
    for (QDockWidget *dock : findChildren<QDockWidget *>())
        view->addAction(dock->toggleViewAction());
    view->addSeparator();
    buildLanguageMenu(view->addMenu(tr("&Language")));
    auto *help = menuBar()->addMenu(tr("&Help"));
    help->addAction(tr("&About Sniper Workbench"), this, &MainWindow::showAbout);
}

void MainWindow::buildLanguageMenu(QMenu *menu)
{
    menu->setObjectName(QStringLiteral("languageMenu"));
    auto *group = new QActionGroup(menu);
    const QString current = Settings::language();
    for (const QString &language : availableLanguages()) {
        QAction *a = menu->addAction(languageName(language));
        a->setData(language);
        a->setCheckable(true);
        a->setChecked(language == current);
        group->addAction(a);
        connect(a, &QAction::triggered, this, [this, language] {
            Settings::setLanguage(language);
            statusBar()->showMessage(tr("The language changes when the workbench restarts."), 8000);
        });
    }
}

void MainWindow::showAbout()
{
    auto *dialog = new AboutDialog(this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    dialog->open();
}

void MainWindow::dragEnterEvent(QDragEnterEvent *event)
{
    if (event->mimeData()->hasUrls())
        event->acceptProposedAction();
}

void MainWindow::dropEvent(QDropEvent *event)
{
    QStringList paths;
    for (const QUrl &url : event->mimeData()->urls())
        if (url.isLocalFile())
            paths << url.toLocalFile();
    if (paths.isEmpty())
        return;
    event->acceptProposedAction();
    importFiles(paths);
}

void MainWindow::importFiles(const QStringList &paths)
{
    QStringList models, rejected;
    for (const QString &p : paths)
        (QFileInfo(p).suffix().compare(QLatin1String("onnx"), Qt::CaseInsensitive) == 0 && QFileInfo(p).isFile()
             ? models
             : rejected)
            << p;
    if (!rejected.isEmpty()) {
        QStringList names;
        for (const QString &p : rejected)
            names << QFileInfo(p).fileName();
        showError(tr("Not imported: %1. Only ONNX models (.onnx files) can be dropped here; export other formats "
                     "to ONNX first.").arg(names.join(QStringLiteral(", "))));
    }
    if (models.isEmpty())
        return;
    openModel(models.constFirst());
    if (m_projectPath.isEmpty())
        return;
    m_jobs->start<db::BuildResult>(
        tr("Import %n model(s)", nullptr, int(models.size())),
        [p = m_projectPath.toStdString(), files = models](JobContext &ctx) {
            db::Database d = db::openProject(p);
            db::BuildResult all;
            for (int i = 0; i < files.size() && !ctx.isCancelled(); ++i) {
                auto r = db::addOnnxFolder(d, files[i].toStdString(), "imported", "imported");
                all.modelIds.insert(all.modelIds.end(), r.modelIds.begin(), r.modelIds.end());
                all.created += r.created;
                all.errors.insert(all.errors.end(), r.errors.begin(), r.errors.end());
                ctx.setProgress(i + 1, files.size());
            }
            return all;
        },
        this,
        [this](db::BuildResult r) {
            if (!r.errors.empty()) {
                QStringList errors;
                for (const auto &e : r.errors)
                    errors << QString::fromStdString(e);
                showError(tr("Some files were not added to the project: %1").arg(errors.join(QStringLiteral("; "))));
            }
            refreshProject();
            Q_EMIT filesImported(int(r.modelIds.size()));
        },
        [this](QString e) { showError(tr("Could not add the models to the project: %1").arg(e)); });
}

void MainWindow::openProject(const QString &path)
{
    statusBar()->showMessage(tr("Opening project %1...").arg(path));
    m_jobs->start<ProjectSnapshot>(
        tr("Open project %1").arg(path),
        [p = path.toStdString()](JobContext &) {
            { db::Database created = db::openProject(p); } // creates it, from the bundle for the default project
            return readProjectSnapshot(p);
        },
        this,
        [this, path](ProjectSnapshot s) {
            m_projectPath = path;
            Settings::setLastProject(path);
            Settings::addRecentProject(path);
            m_project->setSnapshot(std::make_shared<const ProjectSnapshot>(std::move(s)));
            m_datasets->setProject(path);
            m_profiling->setProject(path);
            m_featuresView->setProject(path);
            m_scheduling->setProject(path);
            m_training->setProject(path);
            m_partition->setProject(path);
            m_devices->setProject(path);
            // What the project has stored shows at once: its newest predictor, scheduling
            // experiment and partition example (the demo project has one of each).
            m_training->openNewestPredictor();
            m_scheduling->openNewestExperiment();
            m_partition->openNewestExperiment();
            setWindowTitle(tr("Sniper Workbench — %1").arg(path));
            statusBar()->showMessage(tr("Project opened"), 3000);
            Q_EMIT projectOpened(path);
        },
        [this, path](QString e) {
            showError(tr("Could not open the project %1: %2. Choose another file (File > Open Project) or create "
                         "a new one.").arg(path, e));
            Q_EMIT projectFailed(e);
        });
}

void MainWindow::refreshProject()
{
    if (m_projectPath.isEmpty())
        return;
    m_jobs->start<ProjectSnapshot>(
        tr("Refresh project"), [p = m_projectPath.toStdString()](JobContext &) { return readProjectSnapshot(p); }, this,
        [this](ProjectSnapshot s) {
            m_project->setSnapshot(std::make_shared<const ProjectSnapshot>(std::move(s)));
            m_datasets->reload();
            m_featuresView->setProject(m_projectPath);
        });
}

void MainWindow::openModel(const QString &path, const QString &inputShape)
{
    const int job = ++m_job;
    statusBar()->showMessage(tr("Importing %1...").arg(path));
    m_jobs->start<LoadedModel>(
        tr("Open %1").arg(path),
        [p = path.toStdString(), shape = inputShape.toStdString()](JobContext &) {
            onnx::ImportOptions o;
            o.loadWeights = false; // the view needs shapes only
            if (!shape.empty())
                o.inputShapes[""] = onnx::parseShape(shape);
            return analyze(onnx::importOnnxFile(p, o), p);
        },
        this,
        [this, job, path](LoadedModel m) {
            if (job != m_job)
                return; // a newer request superseded this one
            showReport(m.report);
            m_graph->setModel(m.report, m.layout);
            Q_EMIT modelLoaded(path);
        },
        [this, job, path, inputShape](QString e) {
            if (job != m_job)
                return;
            // The importer names symbolic dimensions it cannot resolve: ask for the shape once.
            if (inputShape.isEmpty() && e.contains(QLatin1String("symbolic dimension")) && m_prompt) {
                QMetaObject::invokeMethod(this, [this, path, e] {
                    const QString shape = m_prompt(path, e);
                    if (!shape.isEmpty())
                        openModel(path, shape);
                    else {
                        showError(tr("Not opened: %1 needs an input shape.").arg(path));
                        Q_EMIT modelFailed(e);
                    }
                }, Qt::QueuedConnection);
                return;
            }
            showError(tr("Could not open the model: %1\nCheck that the file is an ONNX model with static input "
                         "shapes and try again.").arg(e));
            Q_EMIT modelFailed(e);
        });
}

void MainWindow::openProjectModel(qint64 modelId)
{
    if (m_projectPath.isEmpty())
        return;
    const int job = ++m_job;
    m_jobs->start<LoadedModel>(
        tr("Open model %1").arg(modelId),
        [p = m_projectPath.toStdString(), modelId](JobContext &) {
            db::Database d = db::Database::open(p, db::OpenMode::ReadOnly);
            db::ModelRepository models(d);
            auto record = models.find(modelId);
            if (!record)
                throw Error("no model with id " + std::to_string(modelId) + " in the project");
            db::Blob blob = models.onnx(modelId);
            if (blob.empty())
                throw Error("the project stores no ONNX file for this model", record->name);
            onnx::ImportOptions o;
            o.loadWeights = false;
            return analyze(onnx::importOnnxBuffer(blob.data(), blob.size(), o, record->name), record->name);
        },
        this,
        [this, job](LoadedModel m) {
            if (job != m_job)
                return;
            showReport(m.report);
            m_graph->setModel(m.report, m.layout);
            Q_EMIT modelLoaded(QString::fromStdString(m.report->source));
        },
        [this, job](QString e) {
            if (job != m_job)
                return;
            showError(tr("Could not open the model: %1").arg(e));
            Q_EMIT modelFailed(e);
        });
}

void MainWindow::showReport(std::shared_ptr<const features::ModelReport> report)
{
    m_banner->setVisible(false);
    m_nodes->setReport(report);
    m_features->setReport(report);
    m_featuresView->setCurrent(QFileInfo(QString::fromStdString(report->source)).completeBaseName(), report->features);
    m_summary->setText(tr("%1: %2 nodes, %3 layers, %4 parameters, %5 GMACs, critical path %6 layers")
                           .arg(QString::fromStdString(report->source))
                           .arg(report->graph.nodes.size())
                           .arg(report->dag.layers.size())
                           .arg(report->cost.params)
                           .arg(double(report->cost.macs) / 1e9, 0, 'f', 3)
                           .arg(report->criticalPath.nodes.size()));
    statusBar()->showMessage(tr("Model loaded"), 3000);
    predictOpenModel(report);
}

void MainWindow::predictOpenModel(std::shared_ptr<const features::ModelReport> report)
{
    m_prediction->setVisible(!m_projectPath.isEmpty());
    if (m_projectPath.isEmpty())
        return;
    m_prediction->setText(tr("Predicting the latency with the project's newest predictor..."));
    m_prediction->setStyleSheet(QString());
    m_jobs->start<std::optional<db::ModelPrediction>>(
        tr("Predict %1").arg(QString::fromStdString(report->source)),
        [p = m_projectPath.toStdString(), features = report->features.values](JobContext &) {
            db::Database d = db::Database::open(p, db::OpenMode::ExistingOnly);
            return db::predictWithNewest(d, features);
        },
        this,
        [this, report](std::optional<db::ModelPrediction> r) {
            if (m_summary->text().indexOf(QString::fromStdString(report->source)) != 0)
                return; // another model was opened meanwhile
            if (!r) {
                m_prediction->setText(tr("No trained latency predictor in the project (Training view, or sniper train)."));
                return;
            }
            QStringList parts;
            for (const auto &[platform, ms] : r->latencyMs)
                parts << tr("%1 %2 ms").arg(QString::fromStdString(platform)).arg(ms, 0, 'f', 1);
            m_prediction->setText(tr("Predicted latency (%1): %2")
                                      .arg(QString::fromStdString(r->predictorName), parts.join(QStringLiteral(", "))) +
                                  QLatin1Char('\n') + QString::fromStdString(r->range));
            // Outside the training range: the amber of a warning, not the red of an error.
            m_prediction->setStyleSheet(r->inside ? QString() : QStringLiteral("QLabel { background: #fff4e5; color: #663c00; }"));
        },
        [this](QString e) { m_prediction->setText(tr("Could not predict the latency: %1").arg(e)); });
}

void MainWindow::showError(const QString &message)
{
    m_banner->setText(message);
    m_banner->setVisible(true);
    statusBar()->clearMessage();
}

} // namespace sniper::views
