// The demo (issue 10 item 5), offscreen: the main window on a fresh copy of the bundled default
// project, as `./scripts/run.sh` starts it, shows the stored results at once without any user
// action: the Training view the stored NNS+HRM (PCN) predictor (its loss curves, one point per
// stored epoch, and its held-out metrics), the Scheduling view the stored experiment (simulated
// again, checked against the stored event logs and replayed), the Partition view the AlexNet
// example (its cut and makespans). The project tree reopens them, too.

#include "mainwindow.h"
#include "partitionview.h"
#include "projectmodel.h"
#include "schedulingview.h"
#include "trainingview.h"

#include "defaultproject.h"
#include "experimentstore.h"
#include "predictorstore.h"

#include <QSignalSpy>
#include <QSpinBox>
#include <QTabWidget>
#include <QTemporaryDir>
#include <QTreeView>
#include <QtTest>

#include <cmath>

using namespace sniper;

class TestDemo : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void everyViewShowsTheStoredResults();
    void projectTreeReopensThem();

private:
    QTemporaryDir m_dir;
    QString m_project;
};

void TestDemo::initTestCase()
{
    QCoreApplication::setOrganizationName(QStringLiteral("sniper-tests"));
    QCoreApplication::setApplicationName(QStringLiteral("tst_demo"));
    QVERIFY(m_dir.isValid());
    m_project = m_dir.filePath(QStringLiteral("default.sniper"));
    db::gunzipFile(db::bundledProjectPath(), m_project.toStdString());
}

void TestDemo::everyViewShowsTheStoredResults()
{
    views::MainWindow w;
    auto *training = w.findChild<views::TrainingView *>();
    auto *scheduling = w.findChild<views::SchedulingView *>();
    auto *partition = w.findChild<views::PartitionView *>();
    QVERIFY(training && scheduling && partition);
    QSignalSpy trained(training, &views::TrainingView::finished);
    QSignalSpy simulated(scheduling, &views::SchedulingView::finished);
    QSignalSpy replayed(scheduling, &views::SchedulingView::replayDone);
    QSignalSpy measured(partition, &views::PartitionView::measured);
    scheduling->setSpeed(0); // the demo plays at 10x; the test at maximum speed
    w.openProject(m_project);
    QTRY_COMPARE_WITH_TIMEOUT(trained.count(), 1, 60000);
    QTRY_COMPARE_WITH_TIMEOUT(simulated.count(), 1, 60000);
    QTRY_COMPARE_WITH_TIMEOUT(measured.count(), 1, 60000);

    // Training: the stored predictor with the loss of every stored epoch and its held-out metrics.
    db::Database d = db::openProject(m_project.toStdString());
    const db::StoredNetworkPredictor stored = db::loadNetworkPredictor(d, *db::newestNetworkPredictor(d));
    const int epochs = stored.training["report"]["epochs"].get<int>();
    QVERIFY(epochs > 0);
    QCOMPARE(training->trainPointCount(), epochs);
    QCOMPARE(training->validationPointCount(), epochs);
    QVERIFY(training->metricsRowCount() >= 3); // all, per platform
    QVERIFY2(training->statusText().contains(QStringLiteral("Stored predictor")), qPrintable(training->statusText()));
    QVERIFY(training->errorText().isEmpty());

    // Scheduling: the stored experiment, reproduced, then replayed to the end.
    QVERIFY(scheduling->result());
    QCOMPARE(scheduling->result()->experimentId, *db::newestExperiment(d, "scheduling"));
    QCOMPARE(scheduling->result()->policies.size(), size_t(5));
    QVERIFY(scheduling->errorText().isEmpty());
    QTRY_VERIFY_WITH_TIMEOUT(replayed.count() >= 1, 60000);
    QCOMPARE(scheduling->replayStep(), views::SchedulingView::kReplaySteps);

    // Partition: the AlexNet example as stored, planned for its bandwidth and job count.
    const db::StoredPartition example = db::loadPartitionExperiment(d, *db::newestExperiment(d, "partition"));
    QVERIFY(partition->isMeasured());
    QCOMPARE(partition->bandwidth(), example.spec.bandwidthBps);
    QCOMPARE(partition->jobCount()->value(), example.spec.jobs);
    QVERIFY(partition->cutIndex() >= 0);
    QVERIFY(partition->makespan(QStringLiteral("JPS")) <= partition->makespan(QStringLiteral("LO")));
    QVERIFY(partition->graphView());
    QVERIFY(partition->errorText().isEmpty());
}

void TestDemo::projectTreeReopensThem()
{
    views::MainWindow w;
    auto *scheduling = w.findChild<views::SchedulingView *>();
    auto *partition = w.findChild<views::PartitionView *>();
    auto *tabs = w.findChild<QTabWidget *>(QStringLiteral("views"));
    auto *tree = w.findChild<QTreeView *>(QStringLiteral("projectTree"));
    QVERIFY(scheduling && partition && tabs && tree);
    QSignalSpy opened(&w, &views::MainWindow::projectOpened);
    QSignalSpy simulated(scheduling, &views::SchedulingView::finished);
    QSignalSpy measured(partition, &views::PartitionView::measured);
    w.openProject(m_project);
    QTRY_COMPARE_WITH_TIMEOUT(opened.count(), 1, 30000);
    QTRY_COMPARE_WITH_TIMEOUT(simulated.count(), 1, 60000);
    QTRY_COMPARE_WITH_TIMEOUT(measured.count(), 1, 60000);

    QAbstractItemModel *model = tree->model();
    const QModelIndex experiments = model->index(views::ProjectTreeModel::Experiments, 0);
    QVERIFY(model->rowCount(experiments) >= 2);
    for (int i = 0; i < model->rowCount(experiments); ++i) {
        const QModelIndex item = model->index(i, 0, experiments);
        const QString kind = item.data(views::ProjectTreeModel::KeyRole).toString();
        if (kind == QLatin1String("scheduling")) {
            Q_EMIT tree->activated(item);
            QCOMPARE(tabs->currentWidget(), scheduling);
            QTRY_COMPARE_WITH_TIMEOUT(simulated.count(), 2, 60000);
        } else if (kind == QLatin1String("partition")) {
            Q_EMIT tree->activated(item);
            QCOMPARE(tabs->currentWidget(), partition);
            QTRY_COMPARE_WITH_TIMEOUT(measured.count(), 2, 60000);
        }
    }
    QCOMPARE(simulated.count(), 2);
    QCOMPARE(measured.count(), 2);
}

QTEST_MAIN(TestDemo)
#include "tst_demo.moc"
