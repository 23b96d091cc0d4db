// The Partition view (issue 10 item 4), offscreen: AlexNet's layers measured on torch-cpu-1t in a
// background job, the JPS cut at 3G and at Wi-Fi re-planned from the slider without measuring
// again, the makespan order JPS <= PO <= LO, the charts and the DAG mark, and inline errors.

#include "graphview.h"
#include "jobs.h"
#include "partitionview.h"

#include "testgraphs.h"

#include "onnx/onnxexport.h"

#include <QAbstractBarSeries>
#include <QBarSet>
#include <QChart>
#include <QComboBox>
#include <QGraphicsItem>
#include <QGraphicsScene>
#include <QLineEdit>
#include <QLineSeries>
#include <QSignalSpy>
#include <QSlider>
#include <QSpinBox>
#include <QTemporaryDir>
#include <QtTest>

#include <cmath>

using namespace sniper;

class TestPartitionView : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void sliderScale_data();
    void sliderScale();
    void alexnetCutFollowsBandwidth();
    void zeroBandwidthShowsInlineError();
    void unreadableModelShowsInlineError();
    void graphWithoutCutShowsInlineError();

private:
    static QString alexnet() { return QStringLiteral(SNIPER_SOURCE_DIR "/datasets/models/alexnet.onnx"); }
    // Measures `view`'s model in its background job and waits for the result; `ok`: it succeeded.
    static void measure(views::PartitionView &view, bool &ok);
};

void TestPartitionView::measure(views::PartitionView &view, bool &ok)
{
    ok = false;
    QSignalSpy done(&view, &views::PartitionView::measured);
    QSignalSpy failed(&view, &views::PartitionView::measureFailed);
    view.measure();
    QVERIFY(view.isMeasuring()); // the GUI thread does not wait for the job
    QTRY_VERIFY_WITH_TIMEOUT(done.count() + failed.count() > 0, 240000);
    QVERIFY(!view.isMeasuring());
    ok = done.count() == 1;
}

void TestPartitionView::sliderScale_data()
{
    QTest::addColumn<double>("bps");
    QTest::addRow("3G") << views::PartitionView::k3G;
    QTest::addRow("4G") << views::PartitionView::k4G;
    QTest::addRow("Wi-Fi") << views::PartitionView::kWifi;
    QTest::addRow("0.1 Mbps") << 1e5;
    QTest::addRow("100 Mbps") << 1e8;
}

void TestPartitionView::sliderScale()
{
    QFETCH(double, bps);
    const int p = views::PartitionView::sliderPosition(bps);
    QVERIFY(p >= 0 && p <= views::PartitionView::kSliderSteps);
    // Log scale: one step is 3 decades / 1000, under 0.7% of the value.
    QVERIFY2(std::abs(views::PartitionView::sliderBandwidth(p) / bps - 1) < 0.007, qPrintable(QString::number(p)));
}

void TestPartitionView::alexnetCutFollowsBandwidth()
{
    views::JobsModel jobs;
    views::PartitionView view(&jobs);
    view.resize(1200, 800);
    view.show();
    QCOMPARE(view.modelChoice()->currentText(), QStringLiteral("alexnet")); // bundled, chosen by default
    view.setModelPath(alexnet());
    view.setPlatform(QStringLiteral("torch-cpu-1t"));
    view.setJobCount(100);
    QVERIFY(!view.isMeasured());
    QCOMPARE(view.cutIndex(), -1);
    bool ok = false;
    measure(view, ok);
    QVERIFY(ok);
    QVERIFY2(view.errorText().isEmpty(), qPrintable(view.errorText()));
    QCOMPARE(jobs.rowCount(), 1);

    view.setBandwidth(views::PartitionView::k3G);
    const int cut3g = view.cutIndex();
    const QString name3g = view.cutName();
    QVERIFY(cut3g >= 0);
    QVERIFY(!name3g.isEmpty());
    const double jps3g = view.makespan(QStringLiteral("JPS"));
    QVERIFY(view.makespan(QStringLiteral("JPS")) <= view.makespan(QStringLiteral("PO")) + 1e-9);
    QVERIFY(view.makespan(QStringLiteral("PO")) <= view.makespan(QStringLiteral("LO")) + 1e-9);
    QVERIFY(std::isfinite(view.makespan(QStringLiteral("CO"))));
    QVERIFY(std::isnan(view.makespan(QStringLiteral("BF")))); // n = 100: no brute force
    qInfo("3G: cut %d after %s, JPS %.1f ms, PO %.1f ms, LO %.1f ms", cut3g, qPrintable(name3g), jps3g,
          view.makespan(QStringLiteral("PO")), view.makespan(QStringLiteral("LO")));

    // Moving the slider re-plans at once on the measured profile: no new job.
    QSignalSpy planned(&view, &views::PartitionView::planned);
    view.slider()->setValue(views::PartitionView::sliderPosition(views::PartitionView::kWifi));
    QCOMPARE(planned.count(), 1);
    QCOMPARE(jobs.rowCount(), 1);
    QVERIFY(std::abs(view.bandwidth() / views::PartitionView::kWifi - 1) < 0.007);
    const int cutWifi = view.cutIndex();
    qInfo("Wi-Fi: cut %d after %s, JPS %.1f ms, PO %.1f ms, LO %.1f ms", cutWifi, qPrintable(view.cutName()),
          view.makespan(QStringLiteral("JPS")), view.makespan(QStringLiteral("PO")),
          view.makespan(QStringLiteral("LO")));
    QVERIFY2(cutWifi != cut3g, qPrintable(view.cutName()));
    QVERIFY(cutWifi < cut3g); // a faster link offloads earlier
    QVERIFY(view.makespan(QStringLiteral("JPS")) < jps3g);
    QVERIFY(view.makespan(QStringLiteral("JPS")) <= view.makespan(QStringLiteral("PO")) + 1e-9);
    QVERIFY(view.makespan(QStringLiteral("PO")) <= view.makespan(QStringLiteral("LO")) + 1e-9);

    // The charts: f and g over every cut with l* marked; one bar per method.
    const auto series = view.curvesChart()->series();
    QVERIFY(series.size() >= 3);
    QCOMPARE(qobject_cast<QLineSeries *>(series[0])->count(), int(view.comparison()->f.size()));
    bool marked = false;
    for (QAbstractSeries *s : series)
        marked = marked || s->name().contains(QStringLiteral("l* = cut %1").arg(cutWifi));
    QVERIFY(marked);
    auto *bars = qobject_cast<QAbstractBarSeries *>(view.makespanChart()->series().value(0));
    QVERIFY(bars);
    QCOMPARE(bars->barSets().value(0)->count(), 4); // JPS, PO, LO, CO
    QVERIFY(!view.ganttScene()->items().isEmpty());
    // The DAG: boxes after the cut are marked as cloud nodes, the others not.
    QVERIFY(view.graphView());
    int cloud = 0, device = 0;
    for (QGraphicsItem *it : view.graphView()->scene()->items())
        if (it->data(views::GraphView::kNodeRole).isValid())
            (it->data(views::PartitionView::kCloudRole).toBool() ? cloud : device)++;
    QVERIFY(cloud > 0);
    QVERIFY(device > 0);

    // Few jobs: brute force joins. The view shows the library's plans on its own f and g, JPS never
    // below brute force (JPS equal to it where Theorem 5.3 holds: tests/tst_partition.cpp).
    view.setJobCount(4);
    QVERIFY(std::isfinite(view.makespan(QStringLiteral("BF"))));
    {
        const auto &f = view.comparison()->f, &g = view.comparison()->g;
        const double bf = partition::planBruteForce(f, g, 4).makespan, jps = partition::planJps(f, g, 4).makespan;
        QCOMPARE(view.makespan(QStringLiteral("BF")), bf);
        QCOMPARE(view.makespan(QStringLiteral("JPS")), jps);
        QVERIFY2(jps >= bf - 1e-9, qPrintable(QStringLiteral("JPS %1 ms, brute force %2 ms").arg(jps).arg(bf)));
    }
    QCOMPARE(qobject_cast<QAbstractBarSeries *>(view.makespanChart()->series().value(0))->barSets().value(0)->count(),
             5);
    // The job count is validated: at least 1.
    view.jobCount()->setValue(0);
    QCOMPARE(view.jobCount()->value(), 1);
}

void TestPartitionView::zeroBandwidthShowsInlineError()
{
    views::JobsModel jobs;
    views::PartitionView view(&jobs);
    view.setModelPath(alexnet());
    bool ok = false;
    measure(view, ok);
    QVERIFY(ok);
    view.setBandwidth(views::PartitionView::k4G);
    QVERIFY(view.cutIndex() >= 0);
    view.setBandwidth(0);
    QVERIFY2(view.errorText().contains(QStringLiteral("positive")), qPrintable(view.errorText()));
    QCOMPARE(view.cutIndex(), -1);
    // A good value clears the banner and plans again.
    view.setBandwidth(views::PartitionView::k4G);
    QVERIFY(view.errorText().isEmpty());
    QVERIFY(view.cutIndex() >= 0);
    // Typed: "0Mbps" is refused by partition::parseBandwidth, inline; "2.5Mbps" plans.
    auto *edit = view.findChild<QLineEdit *>(QStringLiteral("partitionBandwidthEdit"));
    QVERIFY(edit);
    edit->setText(QStringLiteral("0Mbps"));
    QTest::keyClick(edit, Qt::Key_Return);
    QVERIFY2(view.errorText().contains(QStringLiteral("0Mbps")), qPrintable(view.errorText()));
    QCOMPARE(view.cutIndex(), -1);
    edit->setText(QStringLiteral("2.5Mbps"));
    QTest::keyClick(edit, Qt::Key_Return);
    QVERIFY(view.errorText().isEmpty());
    QCOMPARE(view.bandwidth(), 2.5e6);
    QVERIFY(view.cutIndex() >= 0);
}

void TestPartitionView::unreadableModelShowsInlineError()
{
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("broken.onnx"));
    QFile f(path);
    QVERIFY(f.open(QIODevice::WriteOnly));
    f.write("this is not a protobuf");
    f.close();
    views::JobsModel jobs;
    views::PartitionView view(&jobs);
    view.setModelPath(path);
    bool ok = true;
    measure(view, ok);
    QVERIFY(!ok);
    QVERIFY2(view.errorText().contains(QStringLiteral("broken.onnx")), qPrintable(view.errorText()));
    QVERIFY(!view.isMeasured());
    QCOMPARE(view.cutIndex(), -1);
}

void TestPartitionView::graphWithoutCutShowsInlineError()
{
    // Shape operators only (Flatten, Identity): no layer, so no cut point (partition::buildProfile).
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("shapes.onnx"));
    test::GraphBuilder b;
    const int x = b.node("Identity", {b.flatten(b.input({1, 3, 4, 4}))});
    onnx::exportOnnxFile(b.finish({x}), path.toStdString());
    views::JobsModel jobs;
    views::PartitionView view(&jobs);
    view.setModelPath(path);
    bool ok = true;
    measure(view, ok);
    QVERIFY(!ok);
    QVERIFY2(view.errorText().contains(QStringLiteral("no valid cut point")), qPrintable(view.errorText()));
    QCOMPARE(view.cutIndex(), -1);
}

QTEST_MAIN(TestPartitionView)
#include "tst_partitionview.moc"
