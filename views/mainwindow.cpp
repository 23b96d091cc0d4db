#include "mainwindow.h"

#include "featuretablemodel.h"
#include "graphview.h"
#include "nodetablemodel.h"

#include "common/error.h"
#include "features/inspect.h"
#include "graph/layout.h"

#include <QFileDialog>
#include <QFutureWatcher>
#include <QHeaderView>
#include <QLabel>
#include <QMenuBar>
#include <QSplitter>
#include <QStatusBar>
#include <QTabWidget>
#include <QTableView>
#include <QVBoxLayout>
#include <QtConcurrent>

namespace sniper::views {

namespace {
// A job's outcome: the report, or the message of the error that stopped it.
struct LoadResult {
    std::shared_ptr<const features::ModelReport> report;
    std::shared_ptr<const graph::GraphLayout> layout;
    QString error;
};
} // namespace

MainWindow::MainWindow(QWidget *parent)
    : QMainWindow(parent), m_nodes(new NodeTableModel(this)), m_features(new FeatureTableModel(this)),
      m_graph(new GraphView(this)), m_banner(new QLabel(this)), m_summary(new QLabel(this))
{
    setWindowTitle(tr("Sniper Workbench"));
    auto *central = new QWidget(this);
    auto *layout = new QVBoxLayout(central);
    m_banner->setObjectName(QStringLiteral("errorBanner"));
    m_banner->setVisible(false);
    m_banner->setWordWrap(true);
    m_banner->setStyleSheet(QStringLiteral("QLabel { background: #fdecea; color: #611a15; padding: 6px; }"));
    layout->addWidget(m_banner);
    m_summary->setText(tr("Open an ONNX model (File > Open Model...) to see its nodes and NNS features."));
    layout->addWidget(m_summary);
    auto *tabs = new QTabWidget(central);
    tabs->setObjectName(QStringLiteral("modelTabs"));
    tabs->addTab(m_graph, tr("Graph"));
    auto *split = new QSplitter(Qt::Horizontal);
    auto *nodeView = new QTableView(split);
    nodeView->setObjectName(QStringLiteral("nodeTable"));
    nodeView->setModel(m_nodes);
    nodeView->horizontalHeader()->setStretchLastSection(true);
    auto *featureView = new QTableView(split);
    featureView->setObjectName(QStringLiteral("featureTable"));
    featureView->setModel(m_features);
    featureView->horizontalHeader()->setStretchLastSection(true);
    split->addWidget(nodeView);
    split->addWidget(featureView);
    tabs->addTab(split, tr("Nodes and features"));
    layout->addWidget(tabs, 1);
    setCentralWidget(central);

    auto *file = menuBar()->addMenu(tr("&File"));
    file->addAction(tr("&Open Model..."), QKeySequence::Open, this, [this] {
        QString path = QFileDialog::getOpenFileName(this, tr("Open ONNX model"), QString(), tr("ONNX models (*.onnx)"));
        if (!path.isEmpty())
            openModel(path);
    });
    file->addAction(tr("&Quit"), QKeySequence::Quit, this, &QWidget::close);
    resize(1200, 760);
}

MainWindow::~MainWindow() = default;

void MainWindow::openModel(const QString &path)
{
    const int job = ++m_job;
    statusBar()->showMessage(tr("Importing %1...").arg(path));
    auto *watcher = new QFutureWatcher<LoadResult>(this);
    connect(watcher, &QFutureWatcher<LoadResult>::finished, this, [this, watcher, job, path] {
        watcher->deleteLater();
        if (job != m_job)
            return; // a newer request superseded this one
        LoadResult r = watcher->result();
        if (r.report) {
            showReport(r.report);
            m_graph->setModel(r.report, r.layout);
            Q_EMIT modelLoaded(path);
        } else {
            showError(r.error);
            Q_EMIT modelFailed(r.error);
        }
    });
    watcher->setFuture(QtConcurrent::run([p = path.toStdString()] {
        LoadResult r;
        try {
            auto report = std::make_shared<const features::ModelReport>(features::inspectModel(p));
            r.layout = std::make_shared<const graph::GraphLayout>(graph::layeredLayout(report->dag));
            r.report = report;
        } catch (const std::exception &e) {
            r.error = QString::fromStdString(e.what());
        }
        return r;
    }));
}

void MainWindow::showReport(std::shared_ptr<const features::ModelReport> report)
{
    m_banner->setVisible(false);
    m_nodes->setReport(report);
    m_features->setReport(report);
    m_summary->setText(tr("%1: %2 nodes, %3 layers, %4 parameters, %5 GMACs, critical path %6 layers")
                           .arg(QString::fromStdString(report->source))
                           .arg(report->graph.nodes.size())
                           .arg(report->dag.layers.size())
                           .arg(report->cost.params)
                           .arg(double(report->cost.macs) / 1e9, 0, 'f', 3)
                           .arg(report->criticalPath.nodes.size()));
    statusBar()->showMessage(tr("Model loaded"), 3000);
}

void MainWindow::showError(const QString &message)
{
    m_banner->setText(tr("Could not open the model: %1\nCheck that the file is an ONNX model with static input shapes "
                         "and try again.").arg(message));
    m_banner->setVisible(true);
    statusBar()->clearMessage();
}

} // namespace sniper::views
