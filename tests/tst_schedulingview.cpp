// The Scheduling view (issue 10 item 3), offscreen: a small seeded experiment on the demo project's
// torch-cpu-1t / opencv-cpu-1t latencies simulated in a background job, its event log replayed to
// the end at maximum speed (one chart point per step, the end values equal to the library's
// metrics), pause, figure export, inline errors for bad inputs, and a GUI thread that stays
// responsive while replaying.

#include "jobs.h"
#include "mainwindow.h"
#include "schedulingview.h"

#include "defaultproject.h"

#include <QAbstractBarSeries>
#include <QBarSet>
#include <QChart>
#include <QComboBox>
#include <QElapsedTimer>
#include <QFile>
#include <QFileInfo>
#include <QLineSeries>
#include <QSignalSpy>
#include <QTabWidget>
#include <QTemporaryDir>
#include <QTimer>
#include "guiprobe.h"

#include <QtTest>

#include <cmath>

using namespace sniper;


class TestSchedulingView : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void runAndReplayToTheEnd();
    void badInputShowsInlineError_data();
    void badInputShowsInlineError();
    void platformWithoutLatenciesShowsInlineError();
    void replayKeepsTheGuiResponsive();
    void mainWindowHasTheTab();

private:
    // A small seeded experiment on the demo project; `ok`: the job succeeded.
    void simulate(views::SchedulingView &view, bool &ok);
    QTemporaryDir m_dir;
    QString m_project;
};

void TestSchedulingView::initTestCase()
{
    QCoreApplication::setOrganizationName(QStringLiteral("sniper-tests"));
    QVERIFY(m_dir.isValid());
    m_project = m_dir.filePath(QStringLiteral("demo.sniper"));
    db::gunzipFile(db::bundledProjectPath(), m_project.toStdString()); // torch-cpu-1t, opencv-cpu-1t measured
}

void TestSchedulingView::simulate(views::SchedulingView &view, bool &ok)
{
    ok = false;
    view.setProject(m_project);
    view.setCluster(QStringLiteral("torch-cpu-1t:2,opencv-cpu-1t:2"));
    view.setRate(QStringLiteral("8"));
    view.setWorkload(0.2, 20, 3);
    QSignalSpy done(&view, &views::SchedulingView::finished);
    QSignalSpy failed(&view, &views::SchedulingView::failed);
    QVERIFY(view.run());
    QVERIFY(view.isRunning()); // the GUI thread does not wait for the job
    QTRY_VERIFY_WITH_TIMEOUT(done.count() + failed.count() > 0, 60000);
    QVERIFY(!view.isRunning());
    ok = done.count() == 1;
}

void TestSchedulingView::runAndReplayToTheEnd()
{
    views::JobsModel jobs;
    views::SchedulingView view(&jobs);
    view.resize(1200, 900);
    view.show();
    view.setSpeed(0); // maximum
    QSignalSpy replayed(&view, &views::SchedulingView::replayDone);
    bool ok = false;
    simulate(view, ok);
    QVERIFY2(ok, qPrintable(view.errorText()));
    QVERIFY2(view.errorText().isEmpty(), qPrintable(view.errorText()));
    const views::SchedulingRun *run = view.result();
    QVERIFY(run);
    QCOMPARE(run->cluster.size(), size_t(4));
    QCOMPARE(run->policies.size(), size_t(5));
    QVERIFY(run->work.size() > 50); // ~8 tasks/s for 20 s
    QCOMPARE(view.replayPolicy(), QStringLiteral("polling"));

    // The replay starts by itself and ends; one point per step in every live series.
    QVERIFY(view.isPlaying());
    QTRY_VERIFY_WITH_TIMEOUT(replayed.count() == 1, 30000);
    QVERIFY(view.replayFinished());
    QVERIFY(!view.isPlaying());
    QCOMPARE(view.replayStep(), views::SchedulingView::kReplaySteps);
    QCOMPARE(view.replayStepCount(), views::SchedulingView::kReplaySteps);
    const QList<int> lengths = view.seriesLengths();
    QCOMPARE(lengths.size(), 2 + 4); // TPS, AWT, one load series per node
    for (int n : lengths)
        QCOMPARE(n, view.replayStep());
    // At the end every task has finished: the live values are the library's metrics.
    const sched::Metrics &m = run->policies[0].metrics;
    for (const auto &p : run->policies)
        qInfo("%s: TPS %.2f, AWT %.4f s, load std %.4f, miss %.4f", p.name.c_str(), p.metrics.tps, p.metrics.awt,
              p.metrics.loadStd, p.metrics.missRate);
    auto *tps = qobject_cast<QLineSeries *>(view.tpsChart()->series().value(0));
    auto *awt = qobject_cast<QLineSeries *>(view.awtChart()->series().value(0));
    QVERIFY(tps && awt);
    QVERIFY(std::abs(tps->at(tps->count() - 1).y() - m.tps) <= 1e-9 * m.tps);
    QVERIFY(std::abs(awt->at(awt->count() - 1).y() - 1000 * m.awt) <= 1e-6 * (1 + 1000 * m.awt));
    for (const QPointF &p : qobject_cast<QLineSeries *>(view.loadChart()->series().value(0))->points())
        QVERIFY(p.y() >= -1e-9 && p.y() <= 1 + 1e-9);
    QCOMPARE(view.ganttBarCount(), int(run->work.size()));
    // The policy comparison: one AWT bar per policy.
    auto *bars = qobject_cast<QAbstractBarSeries *>(view.compareChart()->series().value(0));
    QVERIFY(bars);
    QCOMPARE(bars->barSets().value(0)->count(), 5);

    // Another policy: the replay restarts from zero; pause stops it where it is.
    view.setSpeed(1); // slow enough to pause half-way
    auto *choice = view.findChild<QComboBox *>(QStringLiteral("schedulingReplayPolicy"));
    QVERIFY(choice);
    choice->setCurrentIndex(3);
    QCOMPARE(view.replayPolicy(), QStringLiteral("sniper"));
    QVERIFY(view.replayStep() < views::SchedulingView::kReplaySteps);
    QTRY_VERIFY_WITH_TIMEOUT(view.replayStep() > 0, 10000);
    view.pause();
    const int at = view.replayStep();
    QTest::qWait(100);
    QCOMPARE(view.replayStep(), at);
    QVERIFY(!view.replayFinished());
    for (int n : view.seriesLengths())
        QCOMPARE(n, at);
    view.setSpeed(0);
    view.play();
    QTRY_VERIFY_WITH_TIMEOUT(view.replayFinished(), 30000);
    for (int n : view.seriesLengths())
        QCOMPARE(n, views::SchedulingView::kReplaySteps);

    // The figures export through the figure module.
    QTemporaryDir out;
    QCOMPARE(view.exportFigures(out.path(), QStringLiteral("svg")), QString());
    for (const char *name : {"tps", "awt", "load", "awt_per_policy", "gantt"})
        QVERIFY2(QFileInfo(out.filePath(QStringLiteral("scheduling_%1.svg").arg(QLatin1String(name)))).size() > 0, name);
    QCOMPARE(jobs.rowCount(), 1);
}

void TestSchedulingView::badInputShowsInlineError_data()
{
    QTest::addColumn<QString>("cluster");
    QTest::addColumn<QString>("rate");
    QTest::addColumn<QString>("message");
    QTest::addRow("empty cluster") << QStringLiteral(" , ") << QStringLiteral("10") << QStringLiteral("cluster is empty");
    QTest::addRow("bad count") << QStringLiteral("torch-cpu-1t:x") << QStringLiteral("10")
                               << QStringLiteral("non-negative integer");
    QTest::addRow("negative rate") << QStringLiteral("torch-cpu-1t:2") << QStringLiteral("-5")
                                   << QStringLiteral("'-5'");
    QTest::addRow("rate not a number") << QStringLiteral("torch-cpu-1t:2") << QStringLiteral("fast")
                                       << QStringLiteral("'fast'");
}

void TestSchedulingView::badInputShowsInlineError()
{
    QFETCH(QString, cluster);
    QFETCH(QString, rate);
    QFETCH(QString, message);
    views::JobsModel jobs;
    views::SchedulingView view(&jobs);
    view.setProject(m_project);
    view.setCluster(cluster);
    view.setRate(rate);
    // Shown as you type, and again on Run, which starts no job.
    QVERIFY2(view.errorText().contains(message), qPrintable(view.errorText()));
    QVERIFY(!view.run());
    QVERIFY2(view.errorText().contains(message), qPrintable(view.errorText()));
    QCOMPARE(jobs.rowCount(), 0);
    QVERIFY(!view.isRunning());
    // A good value clears the banner.
    view.setCluster(QStringLiteral("torch-cpu-1t:2"));
    view.setRate(QStringLiteral("10"));
    QVERIFY(view.errorText().isEmpty());
    // No policy checked: refused inline too.
    view.setPolicies({});
    QVERIFY(!view.run());
    QVERIFY2(view.errorText().contains(QStringLiteral("No policy")), qPrintable(view.errorText()));
}

void TestSchedulingView::platformWithoutLatenciesShowsInlineError()
{
    views::JobsModel jobs;
    views::SchedulingView view(&jobs);
    view.setProject(m_project);
    view.setCluster(QStringLiteral("no-such-platform:2"));
    QSignalSpy failed(&view, &views::SchedulingView::failed);
    QVERIFY(view.run());
    QTRY_VERIFY_WITH_TIMEOUT(failed.count() == 1, 60000);
    QVERIFY2(view.errorText().contains(QStringLiteral("measured latency")), qPrintable(view.errorText()));
    QVERIFY(!view.hasResult());
    QCOMPARE(view.replayStepCount(), 0);
}

void TestSchedulingView::replayKeepsTheGuiResponsive()
{
    views::JobsModel jobs;
    views::SchedulingView view(&jobs);
    view.resize(1200, 900);
    view.show();
    view.setSpeed(0);
    bool ok = false;
    simulate(view, ok);
    QVERIFY(ok);
    view.pause();
    view.restartReplay();

    // As tests/tst_responsiveness.cpp: a 10 ms timer; run-queue waits (a busy machine) not counted.
    test::EventLoopGapProbe probe([&] { return view.isPlaying(); });
    QSignalSpy replayed(&view, &views::SchedulingView::replayDone);
    view.play();
    probe.start();
    QVERIFY(replayed.wait(30000));
    probe.stop();
    const qint64 worstMs = probe.worstMs();
    const int ticks = probe.ticks();
    qInfo("%d ticks while replaying; worst gap %lld ms (%lld ms including run-queue waits)", ticks, worstMs,
          probe.worstRawMs());
    QVERIFY(view.replayFinished());
    QVERIFY2(worstMs <= 50, qPrintable(QStringLiteral("GUI event loop gap of %1 ms").arg(worstMs)));
    QVERIFY2(ticks >= 10, "the replay finished before the timer could measure it");
}

void TestSchedulingView::mainWindowHasTheTab()
{
    views::MainWindow w;
    auto *tabs = w.findChild<QTabWidget *>(QStringLiteral("views"));
    QVERIFY(tabs);
    QVERIFY(w.schedulingView());
    const int i = tabs->indexOf(w.schedulingView());
    QVERIFY(i >= 0);
    QCOMPARE(tabs->tabText(i), QStringLiteral("Scheduling"));
}

QTEST_MAIN(TestSchedulingView)
#include "tst_schedulingview.moc"
