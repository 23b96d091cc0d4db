// GUI responsiveness (issue 9 acceptance): while a profiling job measures 5 generated networks
// on the local platforms, a 10 ms timer in the GUI thread never sees a gap over 50 ms.
// The machine may be busy (other builds, a measurement job): a gap counts only the time the GUI
// thread was not waiting on the CPU run queue (Linux schedstat), so a loaded machine does not
// fail the test while the GUI thread blocking on a job still would. Guards the stall found with
// it: jobs on QThreadPool::globalInstance() starved Qt 6.4's threaded raster painting.

#include "jobs.h"
#include "mainwindow.h"
#include "profilingview.h"

#include "builders.h"
#include "database.h"

#include <QElapsedTimer>
#include <QFile>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTimer>
#include "guiprobe.h"

#include <QtTest>

using namespace sniper;

using sniper::test::runQueueWaitNs;

class TestResponsiveness : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void eventLoopStaysResponsiveDuringProfiling();
};

void TestResponsiveness::eventLoopStaysResponsiveDuringProfiling()
{
    QCoreApplication::setOrganizationName(QStringLiteral("sniper-tests"));
    QTemporaryDir dir;
    const QString project = dir.filePath(QStringLiteral("r.sniper"));
    {
        db::Database d = db::Database::open(project.toStdString());
        generator::GeneratorSpec spec;
        spec.maxMacs = 5'000'000;
        QCOMPARE(db::addGeneratedNetworks(d, spec, 5, 5, "five").modelIds.size(), size_t(5));
    }
    views::MainWindow w;
    w.show();
    QSignalSpy opened(&w, &views::MainWindow::projectOpened);
    w.openProject(project);
    QVERIFY(opened.wait(10000));
    auto *profiling = w.findChild<views::ProfilingView *>();
    QVERIFY(profiling);

    QElapsedTimer clock;
    clock.start();
    qint64 lastNs = -1, lastWait = 0, worstMs = 0, worstRawMs = 0;
    int ticks = 0, allTicks = 0;
    QTimer timer;
    timer.setTimerType(Qt::PreciseTimer);
    timer.setInterval(10);
    auto running = [&] {
        const int id = profiling->runningJob();
        return id != 0 && w.jobs()->state(id) == views::JobsModel::JobState::Running;
    };
    connect(&timer, &QTimer::timeout, this, [&] {
        const qint64 now = clock.nsecsElapsed(), wait = runQueueWaitNs();
        ++allTicks;
        if (!running()) { // measure only while the job runs
            lastNs = -1;
            return;
        }
        if (lastNs >= 0) {
            const qint64 raw = (now - lastNs) / 1'000'000;
            const qint64 queued = wait >= 0 && lastWait >= 0 ? (wait - lastWait) / 1'000'000 : 0;
            worstRawMs = std::max(worstRawMs, raw);
            worstMs = std::max(worstMs, raw - queued);
            ++ticks;
        }
        lastNs = now;
        lastWait = wait;
    });
    timer.start();
    QSignalSpy finished(profiling, &views::ProfilingView::campaignFinished);
    profiling->profile(false);
    QVERIFY(running());
    lastNs = clock.nsecsElapsed(); // the first gap starts with the job
    lastWait = runQueueWaitNs();
    QVERIFY(finished.wait(300000));
    timer.stop();
    QCOMPARE(finished.first().first().toBool(), false);
    qInfo("%d of %d ticks while profiling; worst gap %lld ms (%lld ms including run-queue waits)", ticks, allTicks,
          worstMs, worstRawMs);
    QVERIFY2(worstMs <= 50, qPrintable(QStringLiteral("GUI event loop gap of %1 ms").arg(worstMs)));
    QVERIFY2(ticks >= 10, "the job finished before the timer could measure it");
}

QTEST_MAIN(TestResponsiveness)
#include "tst_responsiveness.moc"
