// The first workbench window, offscreen: a model opens in the background and fills the node and
// feature tables; a broken file shows the inline error banner and the window keeps working.
// Drag-and-drop import, the input-shape prompt for symbolic dims and the About dialog.

#include "features/features.h"
#include "features/inspect.h"
#include "featuretablemodel.h"
#include "graphview.h"
#include "aboutdialog.h"
#include "inputshapedialog.h"
#include "jobs.h"
#include "mainwindow.h"
#include "nodetablemodel.h"

#include "builders.h"
#include "database.h"
#include "defaultproject.h"
#include "models.h"

#include <onnx/onnx_pb.h>

#include <QAbstractItemModelTester>
#include <QGraphicsItem>
#include <QGraphicsScene>
#include <QLabel>
#include <QSignalSpy>
#include <QDialogButtonBox>
#include <QLineEdit>
#include <QPushButton>
#include <QMimeData>
#include <QTableView>
#include <QTableWidget>
#include <QTemporaryDir>
#include <QtTest>

#include <fstream>

using namespace sniper;

class TestMainWindow : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void opensModelInBackground();
    void openModelShowsPredictedLatency();
    void brokenFileShowsBanner();
    void modelsPassTester();
    void dropNonOnnxShowsMessage();
    void dropCorruptOnnxShowsMessage();
    void dropImportsIntoProject();
    void symbolicDimsAskForShape();
    void inputShapeDialogValidates();
    void aboutListsLibraryVersions();
};

namespace {
// input x[N,3,H,W] -> Relu -> y: opens only once H and W are given.
QString writeSymbolicModel(const QString &dir)
{
    ::onnx::ModelProto m;
    m.set_ir_version(7);
    m.add_opset_import()->set_version(13);
    auto *g = m.mutable_graph();
    g->set_name("symbolic");
    auto *in = g->add_input();
    in->set_name("x");
    auto *tt = in->mutable_type()->mutable_tensor_type();
    tt->set_elem_type(::onnx::TensorProto::FLOAT);
    for (const char *d : {"N", "3", "H", "W"}) {
        auto *dim = tt->mutable_shape()->add_dim();
        if (d[0] == '3')
            dim->set_dim_value(3);
        else
            dim->set_dim_param(d);
    }
    auto *n = g->add_node();
    n->set_op_type("Relu");
    n->set_name("relu0");
    n->add_input("x");
    n->add_output("y");
    g->add_output()->set_name("y");
    const QString path = dir + QStringLiteral("/symbolic.onnx");
    std::ofstream(path.toStdString(), std::ios::binary) << m.SerializeAsString();
    return path;
}

void dropOn(views::MainWindow &w, const QStringList &paths)
{
    QList<QUrl> urls;
    for (const QString &p : paths)
        urls << QUrl::fromLocalFile(p);
    QMimeData mime;
    mime.setUrls(urls);
    QDragEnterEvent enter(QPoint(10, 10), Qt::CopyAction, &mime, Qt::LeftButton, Qt::NoModifier);
    QCoreApplication::sendEvent(&w, &enter);
    QVERIFY(enter.isAccepted());
    QDropEvent drop(QPointF(10, 10), Qt::CopyAction, &mime, Qt::LeftButton, Qt::NoModifier);
    QCoreApplication::sendEvent(&w, &drop);
}
} // namespace

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

// With a project open, the model view shows the project's newest predictor on the model, with
// the training-range indicator; a project without a predictor says how to get one.
void TestMainWindow::openModelShowsPredictedLatency()
{
    QTemporaryDir dir;
    const QString project = dir.filePath(QStringLiteral("demo.sniper"));
    db::gunzipFile(db::bundledProjectPath(), project.toStdString()); // its predictor: NNS+HRM (PCN), demo
    views::MainWindow w;
    QSignalSpy opened(&w, &views::MainWindow::projectOpened);
    w.openProject(project);
    QVERIFY(opened.wait(20000));
    QSignalSpy loaded(&w, &views::MainWindow::modelLoaded);
    w.openModel(model("resnet18"));
    QVERIFY(loaded.wait(10000));
    auto *label = w.findChild<QLabel *>(QStringLiteral("modelPrediction"));
    QVERIFY(label);
    QTRY_VERIFY_WITH_TIMEOUT(label->text().startsWith(QStringLiteral("Predicted latency")), 20000);
    const QString text = label->text();
    QVERIFY2(text.contains(QStringLiteral("(NNS+HRM (PCN), demo)")) && text.contains(QStringLiteral("torch-cpu-1t ")) &&
                 text.contains(QStringLiteral("opencv-cpu-1t ")) && text.contains(QStringLiteral(" ms")),
             qPrintable(text));
    QVERIFY2(text.contains(QStringLiteral("training range")), qPrintable(text));

    const QString empty = dir.filePath(QStringLiteral("empty.sniper"));
    db::Database::open(empty.toStdString());
    QSignalSpy opened2(&w, &views::MainWindow::projectOpened);
    w.openProject(empty);
    QVERIFY(opened2.wait(20000));
    QSignalSpy loaded2(&w, &views::MainWindow::modelLoaded);
    w.openModel(model("squeezenet1_1"));
    QVERIFY(loaded2.wait(10000));
    QTRY_VERIFY_WITH_TIMEOUT(label->text().startsWith(QStringLiteral("No trained latency predictor")), 20000);
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

void TestMainWindow::dropNonOnnxShowsMessage()
{
    QTemporaryDir dir;
    const QString text = dir.filePath(QStringLiteral("notes.txt"));
    QFile f(text);
    QVERIFY(f.open(QIODevice::WriteOnly));
    f.write("not a model");
    f.close();
    views::MainWindow w;
    w.show();
    dropOn(w, {text});
    auto *banner = w.findChild<QLabel *>(QStringLiteral("modelBanner"));
    QVERIFY(banner->isVisible());
    QVERIFY2(banner->text().contains(QStringLiteral("notes.txt")), qPrintable(banner->text()));
    QCOMPARE(w.jobs()->rowCount(), 0); // nothing was started
    // Still usable.
    QSignalSpy loaded(&w, &views::MainWindow::modelLoaded);
    dropOn(w, {model("resnet18")});
    QVERIFY(loaded.wait(10000));
    QVERIFY(!banner->isVisible());
}

void TestMainWindow::dropCorruptOnnxShowsMessage()
{
    views::MainWindow w;
    w.show();
    QSignalSpy failed(&w, &views::MainWindow::modelFailed);
    dropOn(w, {QStringLiteral(SNIPER_SOURCE_DIR "/tests/data/not_a_model.onnx")});
    QVERIFY(failed.wait(10000));
    auto *banner = w.findChild<QLabel *>(QStringLiteral("modelBanner"));
    QVERIFY(banner->isVisible());
    QVERIFY2(banner->text().contains(QStringLiteral("not_a_model.onnx")), qPrintable(banner->text()));
}

void TestMainWindow::dropImportsIntoProject()
{
    QTemporaryDir dir;
    const QString project = dir.filePath(QStringLiteral("drop.sniper"));
    { db::Database created = db::Database::open(project.toStdString()); }
    views::MainWindow w;
    QSignalSpy opened(&w, &views::MainWindow::projectOpened);
    w.openProject(project);
    QVERIFY(opened.wait(10000));
    QSignalSpy imported(&w, &views::MainWindow::filesImported);
    QSignalSpy loaded(&w, &views::MainWindow::modelLoaded);
    dropOn(w, {model("resnet18"), model("squeezenet1_1")});
    QVERIFY(imported.wait(30000));
    QCOMPARE(imported.first().first().toInt(), 2);
    QTRY_VERIFY_WITH_TIMEOUT(loaded.count() == 1, 10000);
    db::Database d = db::Database::open(project.toStdString(), db::OpenMode::ReadOnly);
    QCOMPARE(db::ModelRepository(d).count(), int64_t(2));
}

void TestMainWindow::symbolicDimsAskForShape()
{
    QTemporaryDir dir;
    const QString file = writeSymbolicModel(dir.path());
    views::MainWindow w;
    QStringList asked;
    w.setInputShapePrompt([&asked](const QString &path, const QString &why) {
        asked << path << why;
        return QStringLiteral("2x3x32x32");
    });
    QSignalSpy loaded(&w, &views::MainWindow::modelLoaded);
    w.openModel(file);
    QVERIFY(loaded.wait(10000));
    QCOMPARE(asked.size(), 2);
    QCOMPARE(asked[0], file);
    QVERIFY2(asked[1].contains(QStringLiteral("symbolic")), qPrintable(asked[1]));
    // The Relu's output has the shape that was entered.
    auto *nodes = w.findChild<QTableView *>(QStringLiteral("nodeTable"));
    QCOMPARE(nodes->model()->rowCount(), 1);
    const QString shape = nodes->model()->index(0, views::NodeTableModel::Output).data().toString();
    QCOMPARE(shape, QStringLiteral("2x3x32x32"));

    // Cancelling the prompt leaves an inline message, and the window keeps working.
    views::MainWindow w2;
    w2.show();
    w2.setInputShapePrompt([](const QString &, const QString &) { return QString(); });
    QSignalSpy failed(&w2, &views::MainWindow::modelFailed);
    w2.openModel(file);
    QVERIFY(failed.wait(10000));
    auto *banner = w2.findChild<QLabel *>(QStringLiteral("modelBanner"));
    QVERIFY(banner->isVisible());
    QVERIFY(banner->text().contains(QStringLiteral("symbolic.onnx")));
}

void TestMainWindow::inputShapeDialogValidates()
{
    views::InputShapeDialog dialog(QStringLiteral("m.onnx"), QStringLiteral("input 'x' has the symbolic dimension 'H'"));
    auto *ok = dialog.findChild<QDialogButtonBox *>()->button(QDialogButtonBox::Ok);
    dialog.setShape(QStringLiteral("1x3xHx224"));
    QVERIFY(!ok->isEnabled());
    dialog.setShape(QStringLiteral("1x3x64x64"));
    QVERIFY(ok->isEnabled());
    QCOMPARE(dialog.shape(), QStringLiteral("1x3x64x64"));
}

void TestMainWindow::aboutListsLibraryVersions()
{
    const QList<views::LibraryVersion> libs = views::libraryVersions();
    QStringList names;
    for (const auto &l : libs) {
        names << l.name;
        qInfo("%s %s", qPrintable(l.name), qPrintable(l.version));
        QVERIFY2(!l.version.isEmpty() && !l.version.contains(QStringLiteral("unavailable")),
                 qPrintable(l.name + QStringLiteral(": ") + l.version));
    }
    for (const char *n : {"Qt", "LibTorch", "OpenCV", "ONNX", "SQLite", "libssh", "XGBoost", "Eigen", "nlohmann_json"})
        QVERIFY2(names.contains(QLatin1String(n)), n);
    QCOMPARE(libs.first().version, QString::fromLatin1(qVersion()));
    QVERIFY(QRegularExpression(QStringLiteral("^\\d+\\.\\d+")).match(libs[1].version).hasMatch()); // LibTorch x.y
    views::AboutDialog about;
    auto *table = about.findChild<QTableWidget *>(QStringLiteral("libraryVersions"));
    QVERIFY(table);
    QCOMPARE(table->rowCount(), int(libs.size()));
}

QTEST_MAIN(TestMainWindow)
#include "tst_mainwindow.moc"
