// The Training view (issue 10 item 1), offscreen: a small NNS+HRM (PCN) trained on a copy of the
// demo project in a background job, with one loss point per epoch in both series, the held-out
// metrics table, scatter and CDF, export and "Save to project"; a long training cancelled after
// its 2nd epoch stops within one epoch; bad hyper-parameters show an inline error; the GUI thread
// stays responsive while training; the module-level study on a synthetic sample set fills the
// Table 5 and auto-selection tables and is stored as an experiment.

#include "jobs.h"
#include "mainwindow.h"
#include "modulestudymodels.h"
#include "trainingmetricsmodel.h"
#include "trainingview.h"

#include "collections.h"
#include "database.h"
#include "defaultproject.h"
#include "modulesamples.h"

#include <QAbstractItemModelTester>
#include <QChart>
#include <QElapsedTimer>
#include <QFile>
#include <QFileInfo>
#include <QSignalSpy>
#include <QTabWidget>
#include <QTemporaryDir>
#include <QTimer>
#include "guiprobe.h"

#include <QtTest>

#include <random>

using namespace sniper;


class TestTrainingView : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void trainSmallPcn();
    void cancelStopsWithinOneEpoch();
    void badHyperParameterShowsInlineError_data();
    void badHyperParameterShowsInlineError();
    void unknownDatasetShowsInlineError();
    void trainingKeepsTheGuiResponsive();
    void moduleStudyFillsTable5AndSelection();
    void moduleStudyWithoutSamplesShowsInlineError();
    void mainWindowHasTheTab();

private:
    void prepare(views::TrainingView &view, const QString &epochs, const QString &patience);
    QTemporaryDir m_dir;
    QString m_project;
};

void TestTrainingView::initTestCase()
{
    QCoreApplication::setOrganizationName(QStringLiteral("sniper-tests"));
    QVERIFY(m_dir.isValid());
    m_project = m_dir.filePath(QStringLiteral("demo.sniper"));
    db::gunzipFile(db::bundledProjectPath(), m_project.toStdString()); // generated-300 on two platforms
}

void TestTrainingView::prepare(views::TrainingView &view, const QString &epochs, const QString &patience)
{
    view.setProject(m_project);
    view.setDatasets(QStringLiteral("generated-300"));
    view.setPlatforms({});
    view.setPredictor(int(view.predictorNames().indexOf(QStringLiteral("NNS+HRM (PCN)"))));
    view.setHyperParameters(epochs, QStringLiteral("0.002"), QStringLiteral("64"), patience, QStringLiteral("20"),
                            QStringLiteral("1"));
    view.setSplit(QStringLiteral("2026"), QStringLiteral("0.2"));
}

void TestTrainingView::trainSmallPcn()
{
    views::JobsModel jobs;
    views::TrainingView view(&jobs);
    view.resize(1200, 900);
    view.show();
    QAbstractItemModelTester tester(view.metricsModel(), QAbstractItemModelTester::FailureReportingMode::QtTest);
    QCOMPARE(view.predictorNames().size(), 8); // Fig. 9: 2 platform inputs x 3 network inputs, GBT; the study
    QCOMPARE(view.moduleStudyIndex(), 7);
    prepare(view, QStringLiteral("8"), QStringLiteral("40"));
    QSignalSpy done(&view, &views::TrainingView::finished);
    QSignalSpy failed(&view, &views::TrainingView::failed);
    QVERIFY(view.train());
    QVERIFY(view.isTraining()); // the GUI thread does not wait for the job
    QTRY_VERIFY_WITH_TIMEOUT(done.count() + failed.count() > 0, 300000);
    QVERIFY2(failed.isEmpty(), qPrintable(view.errorText()));
    QVERIFY(!view.isTraining());
    QVERIFY(view.isFinished());
    QVERIFY(!view.wasCancelled());
    qInfo("%s", qPrintable(view.statusText()));
    // One point per epoch in both series.
    QCOMPARE(view.trainPointCount(), 8);
    QCOMPARE(view.validationPointCount(), 8);
    // The held-out metrics: all platforms first, then per platform (and quartiles).
    QVERIFY(view.metricsRowCount() >= 3);
    const auto &rows = view.metricsModel()->rows();
    QCOMPARE(QString::fromStdString(rows.front().scope), QStringLiteral("all"));
    QVERIFY(rows.front().metrics.n > 0);
    QVERIFY(std::isfinite(rows.front().metrics.mape));
    const QModelIndex mape = view.metricsModel()->index(0, views::TrainingMetricsModel::Mape);
    QCOMPARE(mape.data(Qt::UserRole).toDouble(), rows.front().metrics.mape);
    // Scatter: one series per platform plus y = x; CDF: one per platform.
    QCOMPARE(view.scatterChart()->series().size(), 3);
    QCOMPARE(view.cdfChart()->series().size(), 2);
    QVERIFY(view.errorText().isEmpty());

    // Export (ONNX + card) and Save to project.
    QTemporaryDir out;
    const QString base = out.filePath(QStringLiteral("pcn"));
    QCOMPARE(view.exportTo(base), QString());
    QVERIFY(QFileInfo(base + QStringLiteral(".onnx")).size() > 0);
    QVERIFY(QFileInfo(base + QStringLiteral(".json")).size() > 0);
    QSignalSpy saved(&view, &views::TrainingView::saved);
    QVERIFY(view.saveToProject(QStringLiteral("gui-pcn")));
    QTRY_VERIFY_WITH_TIMEOUT(saved.count() == 1, 60000);
    db::Database project = db::openProject(m_project.toStdString());
    bool found = false;
    for (const auto &r : db::PredictorRepository(project).list("network"))
        found = found || (r.name == "gui-pcn" && r.id == saved.first().first().toLongLong() && r.metrics.contains("all"));
    QVERIFY(found);
}

void TestTrainingView::cancelStopsWithinOneEpoch()
{
    views::JobsModel jobs;
    views::TrainingView view(&jobs);
    prepare(view, QStringLiteral("100000"), QStringLiteral("100000")); // would run for hours
    QSignalSpy done(&view, &views::TrainingView::finished);
    QVERIFY(view.train());
    QElapsedTimer clock;
    clock.start();
    while (view.reportedEpochs() < 2 && clock.elapsed() < 300000)
        QTest::qWait(1);
    QVERIFY(view.reportedEpochs() >= 2);
    view.cancel();
    const int at = view.cancelEpoch();
    QVERIFY(at >= 2);
    QTRY_VERIFY_WITH_TIMEOUT(done.count() == 1, 120000);
    qInfo("cancelled at epoch %d, stopped after %d", at, view.trainPointCount());
    QVERIFY(view.wasCancelled());
    QVERIFY(!view.isFinished());
    QVERIFY(view.trainPointCount() <= at + 1);
    QCOMPARE(view.validationPointCount(), view.trainPointCount());
    QVERIFY2(view.statusText().contains(QStringLiteral("cancelled")), qPrintable(view.statusText()));
    QCOMPARE(view.metricsRowCount(), 0);
    QVERIFY(!view.saveToProject());
    QCOMPARE(jobs.state(1), views::JobsModel::JobState::Cancelled);
}

void TestTrainingView::badHyperParameterShowsInlineError_data()
{
    QTest::addColumn<QString>("epochs");
    QTest::addColumn<QString>("lr");
    QTest::addColumn<QString>("batch");
    QTest::addColumn<QString>("testFraction");
    QTest::addColumn<QString>("message");
    const QString ok = QStringLiteral("8"), lr = QStringLiteral("0.002"), tf = QStringLiteral("0.2");
    QTest::addRow("zero epochs") << QStringLiteral("0") << lr << ok << tf << QStringLiteral("Epochs must be");
    QTest::addRow("negative learning rate") << ok << QStringLiteral("-0.1") << ok << tf
                                            << QStringLiteral("learning rate must be");
    QTest::addRow("batch not a number") << ok << lr << QStringLiteral("big") << tf << QStringLiteral("'big'");
    QTest::addRow("test fraction too large") << ok << lr << ok << QStringLiteral("1.5")
                                             << QStringLiteral("test fraction");
}

void TestTrainingView::badHyperParameterShowsInlineError()
{
    QFETCH(QString, epochs);
    QFETCH(QString, lr);
    QFETCH(QString, batch);
    QFETCH(QString, testFraction);
    QFETCH(QString, message);
    views::JobsModel jobs;
    views::TrainingView view(&jobs);
    prepare(view, QStringLiteral("8"), QStringLiteral("40"));
    QVERIFY(view.errorText().isEmpty());
    view.setHyperParameters(epochs, lr, batch, QStringLiteral("40"), QStringLiteral("20"), QStringLiteral("1"));
    view.setSplit(QStringLiteral("2026"), testFraction);
    // Shown as you type, and again on Train, which starts no job.
    QVERIFY2(view.errorText().contains(message), qPrintable(view.errorText()));
    QVERIFY(!view.train());
    QVERIFY2(view.errorText().contains(message), qPrintable(view.errorText()));
    QCOMPARE(jobs.rowCount(), 0);
    QVERIFY(!view.isTraining());
    // Good values clear the banner.
    prepare(view, QStringLiteral("8"), QStringLiteral("40"));
    QVERIFY(view.errorText().isEmpty());
}

void TestTrainingView::unknownDatasetShowsInlineError()
{
    views::JobsModel jobs;
    views::TrainingView view(&jobs);
    prepare(view, QStringLiteral("8"), QStringLiteral("40"));
    view.setDatasets(QStringLiteral("no-such-dataset"));
    QSignalSpy failed(&view, &views::TrainingView::failed);
    QVERIFY(view.train());
    QTRY_VERIFY_WITH_TIMEOUT(failed.count() == 1, 60000);
    QVERIFY2(view.errorText().contains(QStringLiteral("training failed")), qPrintable(view.errorText()));
    QVERIFY(!view.isFinished());
}

void TestTrainingView::trainingKeepsTheGuiResponsive()
{
    views::JobsModel jobs;
    views::TrainingView view(&jobs);
    view.resize(1200, 900);
    view.show();
    prepare(view, QStringLiteral("30"), QStringLiteral("100"));
    // As tests/tst_responsiveness.cpp: a 10 ms timer; run-queue waits (a busy machine) not counted.
    test::EventLoopGapProbe probe([&] { return view.isTraining(); });
    QSignalSpy done(&view, &views::TrainingView::finished);
    QVERIFY(view.train());
    probe.start();
    QVERIFY(done.wait(300000));
    probe.stop();
    const qint64 worstMs = probe.worstMs();
    const int ticks = probe.ticks();
    qInfo("%d ticks while training; worst gap %lld ms (%lld ms including run-queue waits)", ticks, worstMs,
          probe.worstRawMs());
    QVERIFY(view.isFinished());
    QCOMPARE(view.trainPointCount(), 30);
    QVERIFY2(worstMs <= 50, qPrintable(QStringLiteral("GUI event loop gap of %1 ms").arg(worstMs)));
    QVERIFY2(ticks >= 10, "the training finished before the timer could measure it");
}

void TestTrainingView::moduleStudyFillsTable5AndSelection()
{
    { // A synthetic linear-module set: latency grows with MACs, 2% noise.
        db::Database project = db::openProject(m_project.toStdString());
        db::ModuleSampleRepository repo(project);
        using namespace predict::modules;
        SamplingRanges ranges;
        repo.ensureSet("gui-modules", {{"ranges", rangesToJson(ranges)}});
        std::mt19937_64 rng(7);
        std::normal_distribution<double> noise(0.0, 0.02);
        for (int i = 0; i < 60; ++i) {
            ModuleSample s;
            s.kind = ModuleKind::Linear;
            s.index = i;
            s.params = sampleParamsAt(ModuleKind::Linear, ranges, 7, i);
            s.memoryMb = 20000;
            s.latencyMs = (0.01 + 2e-8 * double(moduleMacs(ModuleKind::Linear, s.params))) * (1 + noise(rng));
            repo.add("gui-modules", "torch-cpu-1t", s);
        }
    }
    views::JobsModel jobs;
    views::TrainingView view(&jobs);
    QAbstractItemModelTester study(view.studyModel(), QAbstractItemModelTester::FailureReportingMode::QtTest);
    QAbstractItemModelTester selection(view.selectionModel(), QAbstractItemModelTester::FailureReportingMode::QtTest);
    view.setProject(m_project);
    view.setPredictor(view.moduleStudyIndex());
    QVERIFY(view.isModuleStudy());
    view.setModuleSet(QStringLiteral("gui-modules"));
    view.setPlatforms(QStringLiteral("torch-cpu-1t"));
    view.setHyperParameters(QStringLiteral("5"), QStringLiteral("0.005"), QStringLiteral("16"), QStringLiteral("60"),
                            QStringLiteral("20"), QStringLiteral("1"));
    QSignalSpy done(&view, &views::TrainingView::finished);
    QSignalSpy failed(&view, &views::TrainingView::failed);
    QVERIFY(view.train());
    QTRY_VERIFY_WITH_TIMEOUT(done.count() + failed.count() > 0, 300000);
    QVERIFY2(failed.isEmpty(), qPrintable(view.errorText()));
    QVERIFY(view.isFinished());
    qInfo("%s", qPrintable(view.statusText()));
    QCOMPARE(view.studyModel()->rowCount(), 8); // one module x the eight regressors (Table 5)
    QCOMPARE(view.selectionModel()->rowCount(), 1);
    QCOMPARE(view.selectionModel()->index(0, 0).data().toString(), QStringLiteral("linear"));
    QVERIFY(view.trainPointCount() > 0); // the deep regressors' epochs
    QCOMPARE(view.validationPointCount(), view.trainPointCount());
    QVERIFY(!view.exportTo(m_dir.filePath(QStringLiteral("study"))).isEmpty()); // export is network-level only
    QSignalSpy saved(&view, &views::TrainingView::saved);
    QVERIFY(view.saveToProject());
    QTRY_VERIFY_WITH_TIMEOUT(saved.count() == 1, 60000);
    db::Database project = db::openProject(m_project.toStdString());
    QCOMPARE(db::loadModuleStudy(project, "gui-modules", "torch-cpu-1t").rows.size(), size_t(8));
}

void TestTrainingView::moduleStudyWithoutSamplesShowsInlineError()
{
    views::JobsModel jobs;
    views::TrainingView view(&jobs);
    view.setProject(m_project);
    view.setPredictor(view.moduleStudyIndex());
    view.setPlatforms(QStringLiteral("torch-cpu-1t,opencv-cpu-1t"));
    QVERIFY(!view.train());
    QVERIFY2(view.errorText().contains(QStringLiteral("one platform")), qPrintable(view.errorText()));
    view.setPlatforms(QStringLiteral("opencv-cpu-1t"));
    view.setModuleSet(QStringLiteral("no-such-set"));
    QSignalSpy failed(&view, &views::TrainingView::failed);
    QVERIFY(view.train());
    QTRY_VERIFY_WITH_TIMEOUT(failed.count() == 1, 60000);
    QVERIFY2(view.errorText().contains(QStringLiteral("training failed")), qPrintable(view.errorText()));
}

void TestTrainingView::mainWindowHasTheTab()
{
    views::MainWindow w;
    auto *tabs = w.findChild<QTabWidget *>(QStringLiteral("views"));
    QVERIFY(tabs);
    QVERIFY(w.trainingView());
    const int i = tabs->indexOf(w.trainingView());
    QVERIFY(i >= 0);
    QCOMPARE(tabs->tabText(i), QStringLiteral("Training"));
}

QTEST_MAIN(TestTrainingView)
#include "tst_trainingview.moc"
