// The repositories of the Network Characteristic Database (SPEC §6): structs in, structs out;
// measurements keyed by (model, platform, batch) with explicit re-measure; campaign resume.

#include "collections.h"
#include "dbtestutil.h"

#include <QtTest>

#include <cmath>
#include <filesystem>

using namespace dbtest;
namespace fs = std::filesystem;

class TestRepositories : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void init();
    void measurementRoundTrip();
    void remeasureIsExplicit();
    void listFilters();
    void modelUpsertDedupes();
    void featuresStoredByName();
    void datasetsPredictorsExperiments();
    void runsResume();

private:
    QTemporaryDir m_dir;
    std::string m_path;
};

void TestRepositories::init()
{
    QVERIFY(m_dir.isValid());
    static int counter = 0;
    m_path = m_dir.filePath(QStringLiteral("project%1.sniperdb").arg(++counter)).toStdString();
}

void TestRepositories::measurementRoundTrip()
{
    makeProject(m_path);
    Database db = Database::open(m_path);
    const int64_t model = ModelRepository(db).list().front().id;
    MeasurementRepository repo(db);
    const runtime::Measurement m = measurementOn("torch-cpu-1t", 12.5, 8);
    QVERIFY(!repo.exists(model, "torch-cpu-1t", 8));
    QVERIFY(repo.insert(model, m));
    QVERIFY(repo.exists(model, "torch-cpu-1t", 8));

    const auto r = repo.find(model, "torch-cpu-1t", 8);
    QVERIFY(r);
    QCOMPARE(r->modelName, std::string("tiny"));
    QCOMPARE(r->batch(), 8);
    const auto &got = r->measurement;
    QCOMPARE(got.stats.medianMs, 12.5);
    QCOMPARE(got.stats.p90Ms, m.stats.p90Ms);
    QCOMPARE(got.stats.runs, 25);
    QVERIFY(got.stats.converged);
    QCOMPARE(got.protocol.maxRuns, m.protocol.maxRuns);
    QCOMPARE(got.environment.availableMemoryMb, 2048.0);
    QVERIFY(std::isnan(got.environment.cpuUtilization)); // unknown stays unknown
    QCOMPARE(got.timestampMs, m.timestampMs);

    runtime::Measurement unsupported;
    unsupported.platform = "torch-cpu-1t";
    unsupported.protocol.batch = 2;
    unsupported.status = runtime::MeasurementStatus::Unsupported;
    unsupported.message = "GridSample at node /grid";
    unsupported.stats.medianMs = runtime::MeasurableParams::kUnknown;
    QVERIFY(repo.insert(model, unsupported));
    const auto u = repo.find(model, "torch-cpu-1t", 2);
    QCOMPARE(u->measurement.status, runtime::MeasurementStatus::Unsupported);
    QCOMPARE(u->measurement.message, unsupported.message);
    QVERIFY(std::isnan(u->measurement.stats.medianMs));
}

void TestRepositories::remeasureIsExplicit()
{
    makeProject(m_path);
    Database db = Database::open(m_path);
    const int64_t model = ModelRepository(db).list().front().id;
    MeasurementRepository repo(db);
    const std::string msg = messageOf([&] { repo.insert(model, measurementOn("torch-cpu-1t", 3.0)); });
    QVERIFY2(contains(msg, "already measured") && contains(msg, "Replace"), msg.c_str());
    QVERIFY(!repo.insert(model, measurementOn("torch-cpu-1t", 3.0), OnConflict::Skip));
    QCOMPARE(repo.find(model, "torch-cpu-1t", 1)->measurement.stats.medianMs, 1.5);
    QVERIFY(repo.insert(model, measurementOn("torch-cpu-1t", 3.0), OnConflict::Replace));
    QCOMPARE(repo.find(model, "torch-cpu-1t", 1)->measurement.stats.medianMs, 3.0);
    QCOMPARE(repo.count(), 1);
}

void TestRepositories::listFilters()
{
    Database db = Database::open(m_path);
    ModelRepository models(db);
    PlatformRepository(db).upsert({"a", {}, 0});
    PlatformRepository(db).upsert({"b", {}, 0});
    MeasurementRepository repo(db);
    Transaction tx(db); // batched explicitly
    for (int i = 0; i < 5; ++i) {
        const int64_t id = models.upsert(named("m" + std::to_string(i))).id;
        repo.insert(id, measurementOn("a", 1.0 + i));
        repo.insert(id, measurementOn("b", 2.0 + i, 4));
    }
    tx.commit();
    MeasurementFilter f;
    QCOMPARE(repo.count(f), 10);
    f.platform = "b";
    QCOMPARE(repo.count(f), 5);
    f.batch = 4;
    QCOMPARE(repo.list(f).size(), size_t(5));
    f.batch = 1;
    QCOMPARE(repo.count(f), 0);
    MeasurementFilter page;
    page.limit = 3;
    page.offset = 8;
    QCOMPARE(repo.list(page).size(), size_t(2));
    const auto stats = db.stats();
    QCOMPARE(stats.schemaVersion, kSchemaVersion);
    QVERIFY(std::find(stats.rows.begin(), stats.rows.end(), std::pair<std::string, int64_t>("measurements", 10))
            != stats.rows.end());
}

void TestRepositories::modelUpsertDedupes()
{
    Database db = Database::open(m_path);
    ModelRepository models(db);
    ModelRecord cell;
    cell.name = "nb201-1";
    cell.source = "nasbench201:|none~0|+|none~0|none~1|+|none~0|none~1|none~2|";
    cell.contentHash = sourceHash(cell.source);
    const auto first = models.upsert(cell);
    QVERIFY(first.created);
    QCOMPARE(models.find(first.id)->onnxBytes, 0); // a model row may lack ONNX
    cell.name = "renamed";
    cell.onnx = {1, 2, 3};
    cell.inputShape = {1, 3, 32, 32};
    const auto second = models.upsert(cell);
    QVERIFY(!second.created);
    QCOMPARE(second.id, first.id);
    const auto stored = models.find(first.id);
    QCOMPARE(stored->name, std::string("nb201-1")); // identity kept
    QCOMPARE(stored->onnxBytes, 3);                  // missing blob filled in
    QCOMPARE(stored->inputShape, (std::vector<int64_t>{1, 3, 32, 32}));
    QCOMPARE(models.onnx(first.id), (Blob{1, 2, 3}));
    QCOMPARE(models.list("nasbench201:").size(), size_t(1));
    QCOMPARE(models.list("file:").size(), size_t(0));

    const auto file = models.addOnnxFile(std::string(SNIPER_SOURCE_DIR) + "/datasets/models/squeezenet1_1.onnx");
    QVERIFY(file.created);
    const auto sq = models.find(file.id);
    QCOMPARE(sq->name, std::string("squeezenet1_1"));
    QCOMPARE(sq->inputShape, (std::vector<int64_t>{1, 3, 224, 224}));
    QCOMPARE(sq->contentHash.size(), size_t(64));
    QVERIFY(!models.addOnnxFile(std::string(SNIPER_SOURCE_DIR) + "/datasets/models/squeezenet1_1.onnx").created);
    const std::string bad = std::string(SNIPER_SOURCE_DIR) + "/tests/data/not_a_model.onnx";
    QVERIFY(contains(messageOf([&] { models.addOnnxFile(bad); }), "not_a_model.onnx"));
    QCOMPARE(models.count(), 2);
}

void TestRepositories::featuresStoredByName()
{
    Database db = Database::open(m_path);
    const int64_t id = ModelRepository(db).upsert(named("f")).id;
    const auto &table = features::featureTable();
    features::Features f;
    for (size_t i = 0; i < table.size(); ++i)
        f.values.push_back(double(i) * 1.5);
    f.values[2] = std::nan("");
    f.structureClass = 1;
    f.requiredOperators = {"Conv", "Relu"};
    FeatureRepository repo(db);
    repo.put(id, "v1", f);
    const auto got = repo.get(id, "v1");
    QVERIFY(got);
    QCOMPARE(got->values.size(), table.size());
    QCOMPARE(got->values[5], 7.5);
    QVERIFY(std::isnan(got->values[2]));
    QCOMPARE(got->structureClass, 1);
    QCOMPARE(got->requiredOperators, f.requiredOperators);
    QVERIFY(!repo.get(id, "v2"));
    QCOMPARE(repo.modelsWithout("v2"), std::vector<int64_t>{id});
    QVERIFY(repo.modelsWithout("v1").empty());

    const int64_t filled = fillMissingFeatures(db, "v2", [&](const ModelRecord &m) {
        return m.id == id ? std::optional(f) : std::nullopt;
    });
    QCOMPARE(filled, 1);
    QCOMPARE(repo.count(), 2);
    QCOMPARE(repo.list("v2").size(), size_t(1));
}

void TestRepositories::datasetsPredictorsExperiments()
{
    Database db = Database::open(m_path);
    ModelRepository models(db);
    const int64_t a = models.upsert(named("a")).id;
    const int64_t b = models.upsert(named("b")).id;
    DatasetRepository datasets(db);
    const int64_t ds = datasets.create({0, "gen-100", "generated", {{"seed", 7}, {"count", 100}}, 0});
    QVERIFY(contains(messageOf([&] { datasets.create({0, "gen-100", "generated", {}, 0}); }), "already exists"));
    datasets.setMembers(ds, {{b, "train"}, {a, "test"}});
    QCOMPARE(datasets.members(ds).front().modelId, b); // order kept
    QCOMPARE(datasets.members(ds, std::string_view("test")).size(), size_t(1));
    QCOMPARE(datasets.findByName("gen-100")->spec["seed"].get<int>(), 7);

    PredictorRepository predictors(db);
    PredictorRecord p;
    p.name = "br-torch-cpu-1t";
    p.kind = "bayesian-ridge";
    p.hyperparameters = {{"alpha", 1e-6}};
    p.weights = {9, 8, 7};
    p.metrics = {{"rmspe", 0.05}};
    p.datasetId = ds;
    const int64_t pid = predictors.insert(p);
    QCOMPARE(predictors.find(pid)->weights, p.weights);
    QVERIFY(predictors.list("bayesian-ridge").front().weights.empty());
    predictors.updateMetrics(pid, {{"rmspe", 0.04}});
    QCOMPARE(predictors.find(pid)->metrics["rmspe"].get<double>(), 0.04);

    ExperimentRepository experiments(db);
    const int64_t eid = experiments.insert({0, "edf vs llf", "scheduling", {{"tasks", 1000}}, 42, {}, {}, 0});
    experiments.updateResults(eid, {{"miss_rate", 0.1}}, {1, 2});
    const auto e = experiments.find(eid);
    QCOMPARE(e->seed, 42);
    QCOMPARE(e->resultsBlob, (Blob{1, 2}));

    QVERIFY(datasets.remove(ds));
    QVERIFY(!predictors.find(pid)->datasetId); // ON DELETE SET NULL
    QCOMPARE(models.count(), 2);               // models outlive their datasets
}

void TestRepositories::runsResume()
{
    makeProject(m_path);
    Database db = Database::open(m_path);
    const int64_t model = ModelRepository(db).list().front().id;
    const int64_t other = ModelRepository(db).upsert(named("other")).id;
    RunRepository runs(db);
    const int64_t run = runs.create("profile", {{"platforms", {"torch-cpu-1t"}}});
    runs.addItems(run, {item(model, "torch-cpu-1t", 1), item(other, "torch-cpu-1t", 1), item(other, "torch-cpu-1t", 4)});
    runs.addItems(run, {item(model, "torch-cpu-1t", 1)}); // planning twice keeps one item
    runs.setState(run, RunState::Running);
    QVERIFY(runs.find(run)->startedMs);
    runs.setItemState(run, item(model, "torch-cpu-1t", 1), ItemState::Done);
    runs.setItemState(run, item(other, "torch-cpu-1t", 4), ItemState::Failed, "out of memory");
    runs.setState(run, RunState::Cancelled, "user stopped");

    // A campaign resuming the run: what is left, and what is already measured.
    const auto pending = runs.pendingItems(run);
    QCOMPARE(pending.size(), size_t(1));
    QCOMPARE(pending.front().modelId, other);
    QCOMPARE(pending.front().batch, 1);
    QVERIFY(MeasurementRepository(db).exists(model, "torch-cpu-1t", 1));
    QVERIFY(!MeasurementRepository(db).exists(other, "torch-cpu-1t", 1));
    const RunProgress p = runs.progress(run);
    QCOMPARE(p.total(), 3);
    QCOMPARE(p.done, 1);
    QCOMPARE(p.failed, 1);
    const auto r = runs.find(run);
    QCOMPARE(r->state, RunState::Cancelled);
    QVERIFY(r->finishedMs);
    QVERIFY(contains(messageOf([&] { runs.setItemState(run, item(model, "x", 1), ItemState::Done); }), "has no item"));
}

QTEST_GUILESS_MAIN(TestRepositories)
#include "tst_repositories.moc"
