// Stored experiments and predictors (datasets/experimentstore.h, datasets/predictorstore.h): the
// demo bundle holds one of each; a scheduling experiment reopens to the same event logs and is
// refused once the project's latencies change; a partition example round-trips its profile; a
// stored predictor, evaluated again on its held-out split, gives the metrics stored with it; and
// broken records fail with errors that name the experiment, the predictor or the field.

#include "collections.h"
#include "dbtestutil.h"
#include "defaultproject.h"
#include "experimentstore.h"
#include "predict/evaluation.h"
#include "predict/metrics.h"
#include "predict/pcn.h"
#include "predict/predictor.h"
#include "predictdata.h"
#include "predictorstore.h"

#include <QTemporaryDir>
#include <QtTest>

#include <sqlite3.h>

#include <cmath>
#include <string>

using namespace sniper;
using dbtest::messageOf;

namespace {

void execSql(const std::string &path, const char *sql)
{
    sqlite3 *db = nullptr;
    QCOMPARE(sqlite3_open(path.c_str(), &db), SQLITE_OK);
    char *error = nullptr;
    const int rc = sqlite3_exec(db, sql, nullptr, nullptr, &error);
    const std::string message = error ? error : "";
    sqlite3_free(error);
    sqlite3_close(db);
    QVERIFY2(rc == SQLITE_OK, message.c_str());
}

db::SchedulingSpec smallSpec()
{
    db::SchedulingSpec s;
    s.nodes = "torch-cpu-1t:2,opencv-cpu-1t:2";
    s.workload.rate = 15;
    s.workload.newProb = 0.2;
    s.workload.duration = 10;
    s.seed = 7;
    return s;
}

} // namespace

class TestExperimentStore : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void init();
    void demoBundleHasStoredResults();
    void schedulingReopensToTheSameEventLogs();
    void schedulingRefusedAfterLatenciesChange();
    void schedulingSpecRoundTripAndBadConfigs();
    void cancelledSimulationIsNotSaved();
    void partitionRoundTrip();
    void storedPredictorGivesItsStoredMetrics();
    void storedPredictorOnTheZoo();
    void brokenPredictorNamesIt();

private:
    QTemporaryDir m_dir;
    std::string m_path;
};

void TestExperimentStore::init()
{
    QVERIFY(m_dir.isValid());
    m_path = m_dir.filePath(QStringLiteral("demo.sniper")).toStdString();
    QFile::remove(QString::fromStdString(m_path));
    db::gunzipFile(db::bundledProjectPath(), m_path);
}

void TestExperimentStore::demoBundleHasStoredResults()
{
    db::Database d = db::openProject(m_path);
    QVERIFY(db::newestNetworkPredictor(d).has_value());
    const auto sched = db::newestExperiment(d, "scheduling");
    const auto part = db::newestExperiment(d, "partition");
    QVERIFY(sched && part);
    // The demo's stored scheduling experiment is reproducible on the bundled latencies.
    const db::SchedulingOutcome out = db::reopenSchedulingExperiment(d, *sched);
    QCOMPARE(out.policies.size(), size_t(5));
    QVERIFY(out.work.size() > 100);
    // Its partition example names a model the bundle has, wherever the bundle was made.
    const db::StoredPartition p = db::loadPartitionExperiment(d, *part);
    QVERIFY(QFileInfo::exists(QString::fromStdString(db::resolveModelPath(p.spec.model, db::bundledModelsDir()))));
    QVERIFY(p.profile.merged.cuts.size() >= 2);
}

void TestExperimentStore::schedulingReopensToTheSameEventLogs()
{
    db::Database d = db::openProject(m_path);
    const db::SchedulingSpec spec = smallSpec();
    int calls = 0;
    const db::SchedulingOutcome run = db::runScheduling(d, spec, [&](int done, int total) {
        ++calls;
        return done <= total;
    });
    QCOMPARE(calls, int(spec.policies.size()) + 1);
    QCOMPARE(run.cluster.size(), size_t(4));
    const int64_t id = db::saveSchedulingExperiment(d, "small", spec, run);
    const auto record = db::ExperimentRepository(d).find(id);
    QVERIFY(record);
    QCOMPARE(record->kind, std::string("scheduling"));
    QCOMPARE(record->results["tasks"].get<size_t>(), run.work.size());
    const db::SchedulingOutcome again = db::reopenSchedulingExperiment(d, id);
    QCOMPARE(again.policies.size(), run.policies.size());
    for (size_t i = 0; i < run.policies.size(); ++i) {
        QCOMPARE(again.policies[i].name, run.policies[i].name);
        QCOMPARE(again.policies[i].log.hash(again.work), run.policies[i].log.hash(run.work));
        QCOMPARE(again.policies[i].metrics.awt, run.policies[i].metrics.awt);
        QCOMPARE(record->results["policies"][run.policies[i].name]["tps"].get<double>(), run.policies[i].metrics.tps);
    }
    QCOMPARE(db::newestExperiment(d, "scheduling").value(), id);
}

void TestExperimentStore::schedulingRefusedAfterLatenciesChange()
{
    int64_t id = 0;
    {
        db::Database d = db::openProject(m_path);
        id = db::saveSchedulingExperiment(d, "small", smallSpec(), db::runScheduling(d, smallSpec()));
    }
    execSql(m_path, "UPDATE measurements SET median_ms = median_ms * 3 WHERE platform_id = 'opencv-cpu-1t'");
    db::Database d = db::openProject(m_path);
    const std::string e = messageOf([&] { db::reopenSchedulingExperiment(d, id); });
    QVERIFY2(e.find("experiment " + std::to_string(id) + " 'small'") != std::string::npos, e.c_str());
    QVERIFY2(e.find("latencies changed") != std::string::npos, e.c_str());
}

void TestExperimentStore::schedulingSpecRoundTripAndBadConfigs()
{
    db::SchedulingSpec s = smallSpec();
    s.traceCsv = "time_s\n0.5\n1.0\n";
    s.traceName = "arrivals.csv";
    s.workload.service = sched::ServiceDistribution::Exponential;
    const db::SchedulingSpec back = db::schedulingSpecFromJson(db::schedulingSpecJson(s));
    QCOMPARE(back.nodes, s.nodes);
    QCOMPARE(back.policies, s.policies);
    QCOMPARE(back.seed, s.seed);
    QCOMPARE(back.workload.rate, s.workload.rate);
    QCOMPARE(back.workload.duration, s.workload.duration);
    QCOMPARE(back.traceCsv, s.traceCsv);
    QVERIFY(back.workload.service == sched::ServiceDistribution::Exponential);

    auto j = db::schedulingSpecJson(s);
    j.erase("nodes");
    QVERIFY(messageOf([&] { db::schedulingSpecFromJson(j); }).find("missing field 'nodes'") != std::string::npos);
    j = db::schedulingSpecJson(s);
    j["rate"] = "fast";
    QVERIFY(messageOf([&] { db::schedulingSpecFromJson(j); }).find("field 'rate' has the wrong type") != std::string::npos);

    db::Database d = db::openProject(m_path);
    db::ExperimentRecord broken;
    broken.name = "hand-edited";
    broken.kind = "scheduling";
    broken.config = {{"nodes", "torch-cpu-1t:1"}};
    const int64_t id = db::ExperimentRepository(d).insert(broken);
    std::string e = messageOf([&] { db::reopenSchedulingExperiment(d, id); });
    QVERIFY2(e.find("'hand-edited'") != std::string::npos && e.find("missing field") != std::string::npos, e.c_str());
    e = messageOf([&] { db::reopenSchedulingExperiment(d, 999999); });
    QVERIFY2(e.find("experiment 999999: no such experiment") != std::string::npos, e.c_str());
    e = messageOf([&] { db::loadPartitionExperiment(d, id); });
    QVERIFY2(e.find("is a 'scheduling' experiment, not 'partition'") != std::string::npos, e.c_str());
    db::SchedulingSpec unknown = smallSpec();
    unknown.policies = {"fifo"};
    QVERIFY(messageOf([&] { db::runScheduling(d, unknown); }).find("fifo") != std::string::npos);
    db::SchedulingSpec nowhere = smallSpec();
    nowhere.nodes = "torch-gpu:2";
    e = messageOf([&] { db::runScheduling(d, nowhere); });
    QVERIFY2(e.find("no model of the project has a measured latency") != std::string::npos, e.c_str());
}

void TestExperimentStore::cancelledSimulationIsNotSaved()
{
    db::Database d = db::openProject(m_path);
    const db::SchedulingOutcome run = db::runScheduling(d, smallSpec(), [](int done, int) { return done < 3; });
    QVERIFY(run.cancelled);
    QCOMPARE(run.policies.size(), size_t(2));
    QVERIFY(messageOf([&] { db::saveSchedulingExperiment(d, "x", smallSpec(), run); }).find("cancelled") != std::string::npos);
}

void TestExperimentStore::partitionRoundTrip()
{
    db::Database d = db::openProject(m_path);
    partition::MeasuredProfile m;
    m.raw.model = "tiny";
    m.raw.layers = 3;
    m.raw.lineStructure = false;
    m.raw.cuts = {{"input", 0, 602112, 4.5}, {"conv1", 2.25, 401408, 3}, {"fc", 6.5, 0, 0}};
    m.merged = m.raw;
    m.merged.cuts.erase(m.merged.cuts.begin() + 1);
    const db::PartitionSpec spec {"/nowhere/alexnet.onnx", "torch-cpu-1t", "opencv-cpu-1t", 1.1e6, 12};
    const int64_t id = db::savePartitionExperiment(d, "tiny example", spec, m);
    const db::StoredPartition s = db::loadPartitionExperiment(d, id);
    QCOMPARE(s.name, std::string("tiny example"));
    QCOMPARE(s.spec.jobs, 12);
    QCOMPARE(s.spec.bandwidthBps, 1.1e6);
    QCOMPARE(s.spec.cloudPlatform, std::string("opencv-cpu-1t"));
    QCOMPARE(s.profile.raw.cuts.size(), size_t(3));
    QCOMPARE(s.profile.merged.cuts.size(), size_t(2));
    QCOMPARE(s.profile.raw.cuts[1].after, std::string("conv1"));
    QCOMPARE(s.profile.raw.cuts[1].bytes, int64_t(401408));
    QCOMPARE(s.profile.raw.cuts[0].cloudMs, 4.5);
    QVERIFY(!s.profile.raw.lineStructure);
    // A project made elsewhere: the model is found by name among the bundled models.
    const std::string resolved = db::resolveModelPath(s.spec.model, db::bundledModelsDir());
    QVERIFY2(QFileInfo(QString::fromStdString(resolved)).isFile(), resolved.c_str());
    QCOMPARE(db::resolveModelPath("/nowhere/missing.onnx", db::bundledModelsDir()), std::string("/nowhere/missing.onnx"));

    QVERIFY(messageOf([&] { db::savePartitionExperiment(d, "bad", {"m.onnx", "torch-cpu-1t", "", 0, 1}, m); })
                .find("bandwidth > 0") != std::string::npos);
    db::ExperimentRecord broken;
    broken.name = "no cuts";
    broken.kind = "partition";
    broken.config = {{"model", "m.onnx"}, {"platform", "torch-cpu-1t"}, {"bandwidth_bps", 1e6}, {"jobs", 2}};
    broken.results = {{"raw", {{"cuts", nlohmann::json::array()}}}, {"merged", {{"cuts", nlohmann::json::array()}}}};
    const int64_t bad = db::ExperimentRepository(d).insert(broken);
    const std::string e = messageOf([&] { db::loadPartitionExperiment(d, bad); });
    QVERIFY2(e.find("'no cuts', raw profile: field 'cuts' must be a non-empty array") != std::string::npos, e.c_str());
}

void TestExperimentStore::storedPredictorGivesItsStoredMetrics()
{
    db::Database d = db::openProject(m_path);
    const auto id = db::newestNetworkPredictor(d);
    QVERIFY(id);
    const db::StoredNetworkPredictor p = db::loadNetworkPredictor(d, *id);
    QVERIFY(p.predictor);
    const predict::TrainingReport report = db::trainingReportFromJson(p.training["report"]);
    QVERIFY(report.epochs > 0);
    QCOMPARE(report.trainLoss.size(), size_t(report.epochs));
    QCOMPARE(report.validationLoss.size(), size_t(report.epochs));
    const auto rows = db::heldOutPredictions(d, p);
    QCOMPARE(rows.size(), p.metrics["all"]["n"].get<size_t>());
    for (const auto &m : predict::summarize(rows))
        if (m.scope == "all") {
            const double stored = p.metrics["all"]["mape"].get<double>();
            // Float32 PCN: the thread count of the evaluating process changes summation order.
            QVERIFY2(std::abs(m.metrics.mape - stored) <= 1e-4 * stored,
                     qPrintable(QStringLiteral("MAPE %1, stored %2").arg(m.metrics.mape).arg(stored)));
        }
    // The split depends on the network count: a dataset that grew is refused, not silently re-split.
    db::StoredNetworkPredictor grown = p;
    grown.training["networks"] = 301;
    const std::string e = messageOf([&] { db::heldOutPredictions(d, grown); });
    QVERIFY2(e.find("not the same") != std::string::npos, e.c_str());
}

// The bundled predictor, trained on realistic generated networks only, re-evaluated on the
// bundle's measurements of the 21 torchvision models (each the fastest of five passes) (docs/predictors.md, "Real networks"):
// no zoo model is in its training data, and its MAPE and rank correlation hold per platform.
void TestExperimentStore::storedPredictorOnTheZoo()
{
    db::Database d = db::openProject(m_path);
    const db::StoredNetworkPredictor p = db::loadNetworkPredictor(d, *db::newestNetworkPredictor(d));
    QCOMPARE(p.training["datasets"], nlohmann::json::array({"realistic-300"}));
    db::LatencyQuery q;
    q.datasets = {"torchvision-zoo"};
    q.statistic = db::trainingStatistic(p.training); // the latency it learned: each measurement's fastest run
    QCOMPARE(q.statistic, db::LatencyStatistic::Fastest);
    const predict::LatencyData zoo = db::loadLatencyData(d, q).data;
    QCOMPARE(zoo.networkCount(), size_t(21));
    for (size_t k = 0; k < zoo.platformCount(); ++k) {
        std::vector<double> predicted, measured;
        for (size_t n = 0; n < zoo.networkCount(); ++n)
            if (zoo.measured(n, k)) {
                predicted.push_back(p.predictor->predict(zoo.features[n], zoo.platforms[k]));
                measured.push_back(zoo.latency(n, k));
            }
        const predict::Metrics m = predict::computeMetrics(predicted, measured);
        qInfo("%s: %zu zoo models, MAPE %.2f%%, rho %.3f", zoo.platforms[k].c_str(), measured.size(), m.mape, m.spearman);
        QVERIFY(measured.size() >= 18); // OpenCV 4.6 runs neither ConvNeXt, ViT nor this MobileNetV2 export
        // Seen when the bundle was made (2026-12-07): 11.58 % / rho 0.974 on torch-cpu-1t, 12.44 % /
        // 0.996 on opencv-cpu-1t. The stored weights fix the predictions up to float order, so the
        // margin is small; a regression of the predictor or of the bundle's data fails here.
        QVERIFY2(m.mape < 14, zoo.platforms[k].c_str());
        QVERIFY2(m.spearman > 0.96, zoo.platforms[k].c_str());
    }
}

void TestExperimentStore::brokenPredictorNamesIt()
{
    db::Database d = db::openProject(m_path);
    db::PredictorRecord r;
    r.name = "damaged";
    r.kind = "network";
    r.weights = {1, 2, 3, 4};
    const int64_t id = db::PredictorRepository(d).insert(r);
    std::string e = messageOf([&] { db::loadNetworkPredictor(d, id); });
    QVERIFY2(e.find("predictor " + std::to_string(id)) != std::string::npos, e.c_str());
    e = messageOf([&] { db::loadNetworkPredictor(d, 424242); });
    QVERIFY2(e.find("predictor 424242") != std::string::npos && e.find("no such predictor") != std::string::npos, e.c_str());
}

QTEST_GUILESS_MAIN(TestExperimentStore)
#include "tst_experimentstore.moc"
