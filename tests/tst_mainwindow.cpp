// The first workbench window, offscreen: a model opens in the background and fills the node and
// feature tables; a broken file shows the inline error banner and the window keeps working.

#include "features/features.h"
#include "features/inspect.h"
#include "featuretablemodel.h"
#include "graphview.h"
#include "mainwindow.h"
#include "nodetablemodel.h"

#include <QAbstractItemModelTester>
#include <QGraphicsItem>
#include <QGraphicsScene>
#include <QLabel>
#include <QSignalSpy>
#include <QTableView>
#include <QtTest>

using namespace sniper;

class TestMainWindow : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void opensModelInBackground();
    void brokenFileShowsBanner();
    void modelsPassTester();
};

static QString model(const char *name)
{
    return QStringLiteral(SNIPER_SOURCE_DIR "/datasets/models/") + QLatin1String(name) + QStringLiteral(".onnx");
}

void TestMainWindow::opensModelInBackground()
{
    views::MainWindow w;
    w.show();
    QSignalSpy loaded(&w, &views::MainWindow::modelLoaded);
    w.openModel(model("resnet50"));
    QVERIFY(loaded.wait(10000));
    auto *nodes = w.findChild<QTableView *>(QStringLiteral("nodeTable"));
    auto *feats = w.findChild<QTableView *>(QStringLiteral("featureTable"));
    QVERIFY(nodes && feats);
    QVERIFY(nodes->model()->rowCount() > 100);
    QCOMPARE(feats->model()->rowCount(), int(features::featureTable().size()));
    QVERIFY(!w.findChild<QLabel *>(QStringLiteral("modelBanner"))->isVisible());

    // The graph: one selectable item per layer node, the critical path marked.
    auto report = features::inspectModel(model("resnet50").toStdString());
    auto *graph = w.findChild<views::GraphView *>();
    QVERIFY(graph);
    int boxes = 0, critical = 0;
    for (QGraphicsItem *it : graph->scene()->items()) {
        if (!(it->flags() & QGraphicsItem::ItemIsSelectable))
            continue;
        ++boxes;
        critical += it->data(views::GraphView::kCriticalRole).toBool();
    }
    QCOMPARE(boxes, int(report.dag.layers.size()));
    QCOMPARE(critical, int(report.criticalPath.nodes.size()));
    QVERIFY(graph->find(QStringLiteral("Gemm")));
    QCOMPARE(graph->scene()->selectedItems().size(), qsizetype(1));
}

void TestMainWindow::brokenFileShowsBanner()
{
    views::MainWindow w;
    w.show();
    QSignalSpy failed(&w, &views::MainWindow::modelFailed);
    w.openModel(QStringLiteral(SNIPER_SOURCE_DIR "/tests/data/not_a_model.onnx"));
    QVERIFY(failed.wait(10000));
    auto *banner = w.findChild<QLabel *>(QStringLiteral("modelBanner"));
    QVERIFY(banner->isVisible());
    QVERIFY2(banner->text().contains(QStringLiteral("not_a_model.onnx")), qPrintable(banner->text()));
    // Still usable: a good model opens afterwards and hides the banner.
    QSignalSpy loaded(&w, &views::MainWindow::modelLoaded);
    w.openModel(model("resnet18"));
    QVERIFY(loaded.wait(10000));
    QVERIFY(!banner->isVisible());
}

void TestMainWindow::modelsPassTester()
{
    auto report = std::make_shared<const features::ModelReport>(
        features::inspectModel(model("squeezenet1_1").toStdString()));
    views::NodeTableModel nodes;
    views::FeatureTableModel feats;
    QAbstractItemModelTester t1(&nodes, QAbstractItemModelTester::FailureReportingMode::QtTest);
    QAbstractItemModelTester t2(&feats, QAbstractItemModelTester::FailureReportingMode::QtTest);
    nodes.setReport(report);
    feats.setReport(report);
    QCOMPARE(nodes.rowCount(), int(report->graph.nodes.size()));
    nodes.setReport(nullptr);
    QCOMPARE(nodes.rowCount(), 0);
}

QTEST_MAIN(TestMainWindow)
#include "tst_mainwindow.moc"
