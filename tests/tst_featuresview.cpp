// The features view (issue 9 point 4), offscreen: models side by side in one table, the
// layer-type and data-flow charts, and Key Feature Extraction on a project's dataset and
// platform as a background job. Every item model runs under QAbstractItemModelTester.

#include "featuresview.h"
#include "jobs.h"
#include "kfepanel.h"

#include "builders.h"
#include "database.h"
#include "features/features.h"
#include "features/inspect.h"
#include "measurements.h"
#include "models.h"

#include <QAbstractItemModelTester>
#include <QBarCategoryAxis>
#include <QBarSet>
#include <QAbstractBarSeries>
#include <QChart>
#include <QComboBox>
#include <QLabel>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QtTest>

using namespace sniper;

class TestFeaturesView : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void comparisonModel();
    void chartsCompareModels();
    void kfeOnProject();
    void kfePanelRunsAsJob();
    void kfePanelReportsMissingData();

private:
    static features::Features featuresOf(const char *model);
    QTemporaryDir m_dir;
    QString m_project;
    int64_t m_emptyDataset = 0;
};

features::Features TestFeaturesView::featuresOf(const char *model)
{
    return features::inspectModel(std::string(SNIPER_SOURCE_DIR "/datasets/models/") + model + ".onnx").features;
}

void TestFeaturesView::initTestCase()
{
    // A project with 12 generated networks whose "measured" latency is a linear function of
    // their MACs on platform "fake-1", and a second dataset without measurements.
    m_project = m_dir.filePath(QStringLiteral("kfe.sniper"));
    db::Database d = db::Database::open(m_project.toStdString());
    generator::GeneratorSpec spec;
    spec.maxMacs = 20'000'000;
    const auto built = db::addGeneratedNetworks(d, spec, 7, 12, "generated");
    QCOMPARE(built.modelIds.size(), size_t(12));
    db::PlatformRepository(d).ensure({"fake-1", nlohmann::json::object(), 0});
    db::FeatureRepository feats(d);
    db::MeasurementRepository measurements(d);
    const int macs = features::featureIndex("total_macs");
    for (int64_t id : built.modelIds) {
        runtime::Measurement m;
        m.platform = "fake-1";
        m.stats.medianMs = 0.5 + 1e-6 * feats.get(id, db::featureExtractorVersion())->values[size_t(macs)];
        m.stats.runs = 10;
        measurements.insert(id, m);
    }
    db::addGeneratedNetworks(d, spec, 8, 2, "unmeasured");
}

void TestFeaturesView::comparisonModel()
{
    views::FeatureComparisonModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    QCOMPARE(model.rowCount(), 0);
    model.setModels({{QStringLiteral("resnet18"), featuresOf("resnet18")},
                     {QStringLiteral("mobilenet_v2"), featuresOf("mobilenet_v2")}});
    QCOMPARE(model.rowCount(), int(features::featureTable().size()));
    QCOMPARE(model.columnCount(), views::FeatureComparisonModel::FirstModel + 2);
    QCOMPARE(model.headerData(views::FeatureComparisonModel::FirstModel + 1, Qt::Horizontal).toString(),
             QStringLiteral("mobilenet_v2"));
    const int layers = features::featureIndex("num_layers");
    QCOMPARE(model.index(layers, views::FeatureComparisonModel::Name).data().toString(), QStringLiteral("num_layers"));
    QCOMPARE(model.index(layers, views::FeatureComparisonModel::FirstModel).data().toDouble(),
             featuresOf("resnet18").value("num_layers"));
    model.setModels({});
    QCOMPARE(model.rowCount(), 0);
}

void TestFeaturesView::chartsCompareModels()
{
    views::JobsModel jobs;
    views::FeaturesView view(&jobs);
    view.setCurrent(QStringLiteral("resnet18"), featuresOf("resnet18"));
    view.pinCurrent();
    view.setCurrent(QStringLiteral("mobilenet_v2"), featuresOf("mobilenet_v2"));
    QCOMPARE(view.comparison()->columnCount(), views::FeatureComparisonModel::FirstModel + 2);
    // Current model first, the pinned one beside it; pinning twice does not duplicate.
    QCOMPARE(view.comparison()->headerData(views::FeatureComparisonModel::FirstModel, Qt::Horizontal).toString(),
             QStringLiteral("mobilenet_v2"));
    view.pinCurrent();
    view.pinCurrent();
    QCOMPARE(view.comparison()->columnCount(), views::FeatureComparisonModel::FirstModel + 2);

    for (QChart *chart : {view.layerChart(), view.dataFlowChart()}) {
        QCOMPARE(chart->series().size(), 1);
        auto *bars = qobject_cast<QAbstractBarSeries *>(chart->series().first());
        QVERIFY(bars);
        QCOMPARE(bars->count(), 2); // one bar set per model
        auto *axis = qobject_cast<QBarCategoryAxis *>(chart->axes(Qt::Vertical).first());
        QVERIFY(axis && axis->count() > 2);
        QCOMPARE(bars->barSets().first()->count(), axis->count());
    }
    // Depthwise convolutions appear because MobileNetV2 has them; the 1x1 and 3x3 kinds too.
    auto *layerAxis = qobject_cast<QBarCategoryAxis *>(view.layerChart()->axes(Qt::Vertical).first());
    QVERIFY(layerAxis->categories().contains(QStringLiteral("conv_depthwise")));
    QVERIFY(layerAxis->categories().contains(QStringLiteral("conv3x3")));
    auto *flowAxis = qobject_cast<QBarCategoryAxis *>(view.dataFlowChart()->axes(Qt::Vertical).first());
    QVERIFY(flowAxis->categories().contains(QStringLiteral("plane 56")));
    QVERIFY(flowAxis->categories().contains(QStringLiteral("ch 64")));

    view.clearPinned();
    QCOMPARE(view.comparison()->columnCount(), views::FeatureComparisonModel::FirstModel + 1);
}

void TestFeaturesView::kfeOnProject()
{
    const views::KfeRun run = views::runKfeOnProject(m_project.toStdString(), "generated", "fake-1", 5);
    QCOMPARE(run.networks, 12);
    QVERIFY(!run.result.selected.empty());
    // The latency is linear in total MACs: the first pick explains it (a MACs feature, residual ~0).
    const int first = run.featureIds[size_t(run.result.selected.front())];
    const QString name = QString::fromLatin1(features::featureTable()[size_t(first)].name);
    QVERIFY2(name.contains(QLatin1String("macs")), qPrintable(name));
    QVERIFY2(run.result.residualTrace.front() < 1e-6, qPrintable(QString::number(run.result.residualTrace.front())));
    QVERIFY_THROWS_EXCEPTION(std::exception, views::runKfeOnProject(m_project.toStdString(), "unmeasured", "fake-1", 5));
    QVERIFY_THROWS_EXCEPTION(std::exception, views::runKfeOnProject(m_project.toStdString(), "nope", "fake-1", 5));
}

void TestFeaturesView::kfePanelRunsAsJob()
{
    views::JobsModel jobs;
    views::KfePanel panel(&jobs);
    QAbstractItemModelTester tester(panel.result(), QAbstractItemModelTester::FailureReportingMode::QtTest);
    QSignalSpy loaded(&panel, &views::KfePanel::choicesLoaded);
    panel.setProject(m_project);
    QVERIFY(loaded.wait(10000));
    QCOMPARE(panel.datasetBox()->count(), 2);
    QCOMPARE(panel.platformBox()->currentText(), QStringLiteral("fake-1"));
    panel.datasetBox()->setCurrentText(QStringLiteral("generated"));
    QSignalSpy finished(&panel, &views::KfePanel::finished);
    panel.run();
    QVERIFY(finished.wait(30000));
    QCOMPARE(finished.first().first().toBool(), true);
    QVERIFY(panel.result()->rowCount() >= 1);
    QCOMPARE(panel.result()->columnCount(), int(views::KfeResultModel::ColumnCount));
    QVERIFY(panel.result()->index(0, views::KfeResultModel::Feature).data().toString().contains(QLatin1String("macs")));
    QCOMPARE(panel.residualChart()->series().size(), 2); // the trace line and its points
    QVERIFY(panel.findChild<QLabel *>(QStringLiteral("kfeStatus"))->text().contains(QStringLiteral("12")));
}

void TestFeaturesView::kfePanelReportsMissingData()
{
    views::JobsModel jobs;
    views::KfePanel panel(&jobs);
    QSignalSpy loaded(&panel, &views::KfePanel::choicesLoaded);
    panel.setProject(m_project);
    QVERIFY(loaded.wait(10000));
    panel.datasetBox()->setCurrentText(QStringLiteral("unmeasured"));
    QSignalSpy finished(&panel, &views::KfePanel::finished);
    panel.run();
    QVERIFY(finished.wait(30000));
    QCOMPARE(finished.first().first().toBool(), false);
    const QString status = panel.findChild<QLabel *>(QStringLiteral("kfeStatus"))->text();
    QVERIFY2(status.contains(QStringLiteral("unmeasured")), qPrintable(status));
    QCOMPARE(panel.result()->rowCount(), 0);
}

QTEST_MAIN(TestFeaturesView)
#include "tst_featuresview.moc"
