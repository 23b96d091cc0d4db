#include "screenshottour.h"

#include "featuresview.h"
#include "graphview.h"
#include "jobs.h"
#include "kfepanel.h"
#include "mainwindow.h"
#include "partitionview.h"
#include "profilingview.h"
#include "schedulingview.h"
#include "devicesview.h"
#include "trainingview.h"

#include <QApplication>
#include <QComboBox>
#include <QDir>
#include <QDockWidget>
#include <QElapsedTimer>
#include <QTabWidget>
#include <QTableView>
#include <QThread>

#include <cstdio>
#include <functional>

namespace sniper::views {

namespace {
// Runs the event loop until `done` or `ms` elapse.
bool waitUntil(const std::function<bool()> &done, int ms)
{
    QElapsedTimer t;
    t.start();
    while (!done() && t.elapsed() < ms) {
        QApplication::processEvents(QEventLoop::AllEvents, 50);
        QThread::msleep(10);
    }
    return done();
}

bool waitIdle(MainWindow &w, int ms = 60000)
{
    waitUntil([] { return false; }, 300); // let queued job starts happen
    return waitUntil([&w] { return w.jobs()->runningCount() == 0; }, ms);
}

bool save(QWidget *widget, const QString &dir, const QString &name)
{
    waitUntil([] { return false; }, 300); // charts animate their first layout
    const QString file = QDir(dir).filePath(name + QStringLiteral(".png"));
    const bool ok = widget->grab().save(file);
    std::fprintf(stderr, "%s %s\n", ok ? "wrote" : "FAILED", qPrintable(file));
    return ok;
}
} // namespace

int runScreenshotTour(MainWindow &w, const QString &dir, const QStringList &models)
{
    QDir().mkpath(dir);
    int failures = 0;
    auto *views = w.findChild<QTabWidget *>(QStringLiteral("views"));
    auto *modelTabs = w.findChild<QTabWidget *>(QStringLiteral("modelTabs"));
    if (!views || !modelTabs || models.isEmpty())
        return 2;
    w.resize(1440, 900);
    waitIdle(w);

    QObject scope; // context of the connections below: they end with this function
    int loaded = 0;
    QObject::connect(&w, &MainWindow::modelLoaded, &scope, [&loaded] { ++loaded; });
    if (models.size() > 1) { // the second model first, pinned for the comparison
        w.openModel(models[1]);
        waitUntil([&] { return loaded > 0; }, 60000);
        w.featuresView()->pinCurrent();
    }
    loaded = 0;
    w.openModel(models[0]);
    waitUntil([&] { return loaded > 0; }, 60000);
    waitIdle(w);
    views->setCurrentIndex(0);
    modelTabs->setCurrentIndex(0);
    if (auto *graph = w.findChild<GraphView *>()) {
        graph->find(QStringLiteral("Conv"));
        graph->fitAll();
    }
    failures += !save(&w, dir, QStringLiteral("model-graph"));
    modelTabs->setCurrentIndex(1);
    failures += !save(&w, dir, QStringLiteral("model-nodes-features"));
    modelTabs->setCurrentIndex(0);

    views->setCurrentWidget(w.featuresView());
    KfePanel *kfe = w.featuresView()->kfe();
    if (kfe->datasetBox()->count() > 0 && kfe->platformBox()->count() > 0) {
        const int generated = kfe->datasetBox()->findText(QStringLiteral("generated"), Qt::MatchStartsWith);
        kfe->datasetBox()->setCurrentIndex(generated >= 0 ? generated : 0);
        const int torch = kfe->platformBox()->findText(QStringLiteral("torch-cpu-1t"));
        kfe->platformBox()->setCurrentIndex(torch >= 0 ? torch : 0);
        bool finished = false;
        QObject::connect(kfe, &KfePanel::finished, &scope, [&finished] { finished = true; });
        kfe->run();
        waitUntil([&] { return finished; }, 60000);
    }
    failures += !save(&w, dir, QStringLiteral("features"));

    views->setCurrentIndex(views->indexOf(w.featuresView()) + 1); // datasets
    waitIdle(w);
    failures += !save(&w, dir, QStringLiteral("datasets"));
    if (auto *profiling = w.findChild<ProfilingView *>()) { // a finished generation job in the log and jobs panel
        views->setCurrentWidget(profiling);
        profiling->generate();
        waitIdle(w, 180000);
    }
    failures += !save(&w, dir, QStringLiteral("profiling"));

    // Partition, Scheduling and Training show what the project stores (the demo project: an
    // AlexNet example, a finished experiment and a trained predictor, opened with the project);
    // a project without them gets a fresh measurement, simulation and training instead.
    PartitionView *partition = w.partitionView();
    views->setCurrentWidget(partition);
    if (!partition->isMeasured()) { // AlexNet (the view's default model) on torch-cpu-1t, 100 jobs over 4G
        partition->setPlatform(QStringLiteral("torch-cpu-1t"));
        partition->setJobCount(100);
        partition->measure();
        waitUntil([&] { return partition->isMeasured(); }, 120000);
        partition->setBandwidth(PartitionView::k4G);
    }
    failures += !save(&w, dir, QStringLiteral("partition"));

    SchedulingView *scheduling = w.schedulingView();
    views->setCurrentWidget(scheduling);
    if (scheduling->hasResult() || scheduling->run()) { // the default cluster and workload, every policy
        waitUntil([&] { return scheduling->hasResult() && !scheduling->isRunning(); }, 120000);
        scheduling->setSpeed(0);
        scheduling->play();
        waitUntil([&] { return scheduling->replayFinished(); }, 60000);
    }
    failures += !save(&w, dir, QStringLiteral("scheduling"));

    TrainingView *training = w.trainingView();
    views->setCurrentWidget(training);
    if (!training->isFinished() && training->train()) // NNS+HRM (PCN) on the demo's generated networks
        waitUntil([&] { return !training->isTraining() && training->isFinished(); }, 300000);
    failures += !save(&w, dir, QStringLiteral("training"));

    views->setCurrentWidget(w.devicesView()); // the boards of the project (none in the demo) and the form
    failures += !save(&w, dir, QStringLiteral("devices"));
    if (auto *jobs = w.findChild<QDockWidget *>(QStringLiteral("jobsDock"))) {
        jobs->setMinimumHeight(360); // every job of the tour in view
        if (auto *table = jobs->findChild<QTableView *>(QStringLiteral("jobsTable")))
            table->scrollToBottom();
        failures += !save(&w, dir, QStringLiteral("jobs"));
        jobs->setMinimumHeight(0);
    }
    return failures == 0 ? 0 : 1;
}

} // namespace sniper::views
