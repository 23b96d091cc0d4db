// The contention gate of the measurement protocol and the measurement history (docs/runtime.md,
// docs/database.md): a test platform whose speed the test switches mid-measurement, so contended
// runs are discarded, the flag is set when no clean window exists, and the evidence stored is the
// evidence measured; every measurement of a pair is kept, the current value is the latest clean
// one, and a version-3 project migrates without losing a row. Deferral, retries and rounds:
// tst_retryqueue.cpp.

#include "builders.h"
#include "contentiontest.h"
#include "collections.h"
#include "dbtestutil.h"
#include "features/features.h"
#include "modulesamples.h"
#include "predictdata.h"
#include "schema.h"

#include "runtime/contention.h"
#include "runtime/protocol.h"

#include <QtTest>

#include <nlohmann/json.hpp>
#include <sqlite3.h>

#include <atomic>
#include <chrono>
#include <cstdlib>
#include <cmath>
#include <functional>
#include <memory>

using namespace dbtest;
using namespace sniper::runtime;

class TestContention : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void init();
    void uncontendedKeepsEveryRun();
    void environmentTurnsTheGateOff();
    void probeBaselineIsRemembered();
    void contendedRunsAreDiscarded();
    void noCleanWindowIsFlagged();
    void mostlyDiscardedIsFlagged();
    void mildSlowPhaseIsContended();
    void slowNetworkIsNotContended();
    void gateOffCountsEveryRun();
    void baselineFollowsAFasterMachine();
    void referenceProbeRunsOnEveryLocalPlatform();
    void evidenceIsStored();
    void historyKeepsEveryMeasurement();
    void refiningKeepsTheFastest();
    void loaderSkipsContended();
    void loaderStatistic();
    void version3ProjectMigrates();

private:
    QTemporaryDir m_dir;
    std::string m_path;
};

void TestContention::initTestCase()
{
    ::unsetenv("SNIPER_NO_GATE"); // CTest turns the gate off for every other test
    ::setenv("SNIPER_PROBE_DIR", m_dir.filePath(QStringLiteral("probe")).toLocal8Bit().constData(), 1);
    QVERIFY(!gateDisabledByEnvironment());
}

void TestContention::init()
{
    QVERIFY(m_dir.isValid());
    static int counter = 0;
    m_path = m_dir.filePath(QStringLiteral("project%1.sniperdb").arg(++counter)).toStdString();
}

void TestContention::uncontendedKeepsEveryRun()
{
    Machine machine;
    TestProbe probe(machine);
    probe.calibrate(0.05);
    TestModel model(machine, 1.0);
    const Measurement m = measurePrepared(model, gated(), "test", {}, &probe);
    QCOMPARE(int(m.status), int(MeasurementStatus::Ok));
    QVERIFY(!m.evidence.contended);
    QCOMPARE(m.evidence.runsDiscarded, 0);
    QVERIFY2(std::abs(m.evidence.probeRatio - 1) < 0.08, std::to_string(m.evidence.probeRatio).c_str());
    QVERIFY(std::abs(m.evidence.probeBaselineMs - 0.05) < 0.01);
    QVERIFY(std::abs(m.stats.medianMs - 1.0) < 0.05);
    QVERIFY(m.clean());
}

void TestContention::environmentTurnsTheGateOff()
{
    Machine machine;
    TestProbe probe(machine);
    probe.calibrate(0.05);
    machine.slowdown = 1.5;
    ::setenv("SNIPER_NO_GATE", "1", 1);
    TestModel model(machine, 1.0);
    const Measurement m = measurePrepared(model, gated(), "test", {}, &probe);
    ::unsetenv("SNIPER_NO_GATE");
    QVERIFY(!m.protocol.gate); // stored as measured
    QVERIFY(!m.evidence.contended);
    QCOMPARE(m.evidence.runsDiscarded, 0);
}

void TestContention::probeBaselineIsRemembered()
{
    // A run that calibrates in a slow phase uses the faster baseline an earlier run remembered.
    forgetProbeBaseline("test-platform");
    Machine machine;
    TestProbe fast(machine);
    fast.calibrate(0.05);
    fast.remember("test-platform");
    const double uncontended = fast.baselineMs();
    machine.slowdown = 1.4;
    TestProbe slow(machine);
    slow.calibrate(0.05);
    QVERIFY(slow.baselineMs() > uncontended * 1.3);
    slow.remember("test-platform");
    QCOMPARE(slow.baselineMs(), uncontended);
    // Far faster than now (> 1.8x): the hardware changed, the old value is dropped.
    machine.slowdown = 3.0;
    TestProbe changed(machine);
    changed.calibrate(0.05);
    changed.remember("test-platform");
    QVERIFY(changed.baselineMs() > uncontended * 2.5);
    QVERIFY(forgetProbeBaseline("test-platform"));
    QVERIFY(!forgetProbeBaseline("test-platform"));
}

void TestContention::contendedRunsAreDiscarded()
{
    // Slow (1.5x) from the start, uncontended after the 30th run: the slow runs are dropped.
    Machine machine;
    TestProbe probe(machine);
    probe.calibrate(0.05);
    machine.slowdown = 1.5;
    machine.switchAfterRuns = 30;
    machine.then = 1.0;
    TestModel model(machine, 1.0);
    const Measurement m = measurePrepared(model, gated(), "test", {}, &probe);
    QCOMPARE(int(m.status), int(MeasurementStatus::Ok));
    QVERIFY(!m.evidence.contended);
    QVERIFY2(m.evidence.runsDiscarded >= 29, std::to_string(m.evidence.runsDiscarded).c_str());
    QCOMPARE(m.stats.runs + m.evidence.runsDiscarded, machine.runs.load());
    QVERIFY2(m.stats.p90Ms < 1.2, std::to_string(m.stats.p90Ms).c_str()); // no slow run was kept
    QVERIFY(std::abs(m.stats.medianMs - 1.0) < 0.05);
    QVERIFY(m.evidence.probeRatio <= 1.08);
}

void TestContention::noCleanWindowIsFlagged()
{
    Machine machine;
    TestProbe probe(machine);
    probe.calibrate(0.05);
    machine.slowdown = 1.5;
    TestModel model(machine, 1.0);
    const Measurement m = measurePrepared(model, gated(), "test", {}, &probe);
    QCOMPARE(int(m.status), int(MeasurementStatus::Ok));
    QVERIFY(m.evidence.contended);
    QVERIFY(!m.clean());
    QCOMPARE(m.evidence.runsDiscarded, machine.runs.load());
    QCOMPARE(m.stats.runs, machine.runs.load()); // kept and shown: the statistics of every run
    QVERIFY(std::abs(m.stats.medianMs - 1.5) < 0.08);
    QVERIFY2(std::abs(m.evidence.probeRatio - 1.5) < 0.1, std::to_string(m.evidence.probeRatio).c_str());
}

void TestContention::mostlyDiscardedIsFlagged()
{
    // Slow for the first 60 runs, then clean until 20 runs are kept: more runs were discarded
    // than kept, so the measurement is contended (deferred and retried by a campaign).
    Machine machine;
    TestProbe probe(machine);
    probe.calibrate(0.05);
    machine.slowdown = 1.5;
    machine.switchAfterRuns = 60;
    machine.then = 1.0;
    MeasurementProtocol p = gated();
    p.maxRuns = 20;
    TestModel model(machine, 1.0);
    const Measurement m = measurePrepared(model, p, "test", {}, &probe);
    QCOMPARE(int(m.status), int(MeasurementStatus::Ok));
    QVERIFY2(m.evidence.runsDiscarded > m.stats.runs,
             (std::to_string(m.evidence.runsDiscarded) + " discarded, " + std::to_string(m.stats.runs) + " kept").c_str());
    QVERIFY(m.stats.runs >= 3);
    QVERIFY(m.evidence.contended);
    QVERIFY(!m.clean());
}

void TestContention::mildSlowPhaseIsContended()
{
    // 6% slower for the whole measurement: no block crosses the 1.08 gate, but the kept blocks'
    // median ratio is above gateMedianThreshold (1.05).
    Machine machine;
    TestProbe probe(machine);
    probe.calibrate(0.05);
    machine.slowdown = 1.065;
    TestModel model(machine, 1.0);
    const Measurement m = measurePrepared(model, gated(), "test", {}, &probe);
    QCOMPARE(m.evidence.runsDiscarded, 0);
    QVERIFY2(m.evidence.probeRatio > 1.05 && m.evidence.probeRatio < 1.08, std::to_string(m.evidence.probeRatio).c_str());
    QVERIFY(m.evidence.contended);
    QVERIFY(!m.clean());
}

void TestContention::slowNetworkIsNotContended()
{
    // Runs longer than the cap on a clean machine: fewer than 3 runs by 2 x maxSeconds, none
    // discarded. It goes on to 3 runs, as ungated, and is not contended.
    Machine machine;
    TestProbe probe(machine);
    probe.calibrate(0.05);
    MeasurementProtocol p = gated();
    p.maxSeconds = 0.05;
    TestModel model(machine, 60.0);
    const Measurement m = measurePrepared(model, p, "test", {}, &probe);
    QVERIFY(!m.evidence.contended);
    QCOMPARE(m.evidence.runsDiscarded, 0);
    QCOMPARE(m.stats.runs, 3);
}

void TestContention::gateOffCountsEveryRun()
{
    Machine machine;
    TestProbe probe(machine);
    probe.calibrate(0.05);
    machine.slowdown = 1.5;
    MeasurementProtocol p = gated();
    p.gate = false;
    TestModel model(machine, 1.0);
    const Measurement m = measurePrepared(model, p, "test", {}, &probe);
    QVERIFY(!m.evidence.contended);
    QCOMPARE(m.evidence.runsDiscarded, 0);
    QVERIFY(std::isnan(m.evidence.probeRatio));
    QVERIFY(std::abs(m.stats.medianMs - 1.5) < 0.08);
}

void TestContention::baselineFollowsAFasterMachine()
{
    // Calibrated while contended: 50 fast readings in a row lower the baseline; fewer do not.
    Machine machine;
    TestProbe probe(machine);
    machine.slowdown = 1.5;
    probe.calibrate(0.05);
    const double slow = probe.baselineMs();
    machine.slowdown = 1.0;
    double ratio = 1;
    for (int i = 0; i < 40; ++i)
        ratio = probe.ratio(probe.readMs());
    QCOMPARE(probe.baselineMs(), slow);
    for (int i = 0; i < 11; ++i)
        ratio = probe.ratio(probe.readMs());
    QVERIFY2(probe.baselineMs() < slow / 1.3, std::to_string(probe.baselineMs()).c_str());
    QVERIFY(std::abs(ratio - 1) < 0.08);
}

void TestContention::referenceProbeRunsOnEveryLocalPlatform()
{
    for (const auto &id : localPlatformIds()) {
        auto rt = createRuntime(id);
        auto probe = makeReferenceProbe(*rt);
        probe->calibrate(0.2);
        QVERIFY2(probe->baselineMs() > 0 && probe->baselineMs() < 50, id.c_str());
        const double r = probe->ratio(probe->readMs());
        qInfo("%s: reference probe %.3f ms, a reading at %.2fx", id.c_str(), probe->baselineMs(), r);
        QVERIFY(r > 0.5 && r < 20);
    }
    const graph::Graph g = probeGraph();
    QCOMPARE(g.nodes.size(), size_t(4));
}

void TestContention::evidenceIsStored()
{
    Machine machine;
    TestProbe probe(machine);
    probe.calibrate(0.05);
    machine.slowdown = 1.5;
    machine.switchAfterRuns = 20;
    TestModel model(machine, 1.0);
    Measurement m = measurePrepared(model, gated(), "torch-cpu-1t", {}, &probe);
    m.evidence.retries = 2;
    m.evidence.rounds = 3;
    m.evidence.roundSpread = 0.0125;
    QVERIFY(m.evidence.runsDiscarded > 0);

    makeProject(m_path);
    Database db = Database::open(m_path);
    const int64_t id = ModelRepository(db).list().front().id;
    MeasurementRepository repo(db);
    QVERIFY(repo.insert(id, m, OnConflict::Replace));
    const auto r = repo.find(id, "torch-cpu-1t", 1);
    QVERIFY(r);
    const auto &e = r->measurement.evidence;
    QCOMPARE(e.runsDiscarded, m.evidence.runsDiscarded);
    QCOMPARE(e.retries, 2);
    QCOMPARE(e.contended, false);
    QCOMPARE(e.probeRatio, m.evidence.probeRatio);
    QCOMPARE(e.probeBaselineMs, m.evidence.probeBaselineMs);
    QCOMPARE(e.rounds, 3);
    QCOMPARE(e.roundSpread, 0.0125);
    QCOMPARE(r->measurement.protocol.gate, true);
    QCOMPARE(r->measurement.protocol.rounds, 1);
    QCOMPARE(r->measurement.protocol.roundAgreement, gated().roundAgreement);
    QCOMPARE(r->measurement.protocol.gateThreshold, 1.08);
    QCOMPARE(r->measurement.protocol.maxRetries, 2);

    // Round trip through the JSON form every dialect uses.
    const auto back = evidenceFromJson(evidenceToJson(e));
    QCOMPARE(back.runsDiscarded, e.runsDiscarded);
    QCOMPARE(back.probeRatio, e.probeRatio);
    QCOMPARE(back.rounds, 3);
    QCOMPARE(back.roundSpread, 0.0125);
    QVERIFY(std::isnan(evidenceFromJson(nlohmann::json::object()).probeRatio));
    QCOMPARE(evidenceFromJson(nlohmann::json::object()).rounds, 1);
}

void TestContention::historyKeepsEveryMeasurement()
{
    makeProject(m_path); // one measurement of 'tiny' on torch-cpu-1t, clean (1.5 ms)
    Database db = Database::open(m_path);
    const int64_t id = ModelRepository(db).list().front().id;
    MeasurementRepository repo(db);
    auto at = [](double ms, int64_t t, bool contended) {
        Measurement m = measurementOn("torch-cpu-1t", ms);
        m.timestampMs = 4'000'000'000'000 + t; // after makeProject's, which is stored at "now"
        m.evidence.contended = contended;
        return m;
    };
    // A newer clean one replaces it; a newer contended one does not replace a clean one.
    QVERIFY(repo.insert(id, at(2.0, 2'000, false), OnConflict::Replace));
    QCOMPARE(repo.find(id, "torch-cpu-1t", 1)->measurement.stats.medianMs, 2.0);
    QVERIFY(repo.insert(id, at(3.0, 3'000, true), OnConflict::Replace));
    QCOMPARE(repo.find(id, "torch-cpu-1t", 1)->measurement.stats.medianMs, 2.0);
    QVERIFY(repo.insert(id, at(2.1, 4'000, false), OnConflict::Replace));
    QCOMPARE(repo.find(id, "torch-cpu-1t", 1)->measurement.stats.medianMs, 2.1);
    QCOMPARE(repo.count(), int64_t(1));
    QCOMPARE(repo.historyCount(), int64_t(3));

    const auto h = repo.history(id, "torch-cpu-1t", 1);
    QCOMPARE(h.size(), size_t(4));
    std::vector<double> medians;
    for (const auto &r : h)
        medians.push_back(r.measurement.stats.medianMs);
    QCOMPARE(medians, (std::vector<double>{1.5, 2.0, 3.0, 2.1})); // oldest first
    QVERIFY(h.back().current);
    int current = 0;
    for (const auto &r : h)
        current += r.current;
    QCOMPARE(current, 1);
    for (const auto &r : h)
        if (r.current)
            QCOMPARE(r.measurement.stats.medianMs, 2.1);
    QCOMPARE(int(std::count_if(h.begin(), h.end(), [](const auto &r) { return r.measurement.evidence.contended; })), 1);

    // A pair with only contended measurements has the latest as its current value.
    PlatformRepository(db).upsert({"opencv-cpu-1t", {}, 0});
    Measurement c1 = at(5.0, 1'000, true), c2 = at(6.0, 2'000, true);
    c1.platform = c2.platform = "opencv-cpu-1t";
    QVERIFY(repo.insert(id, c1, OnConflict::Replace));
    QVERIFY(repo.insert(id, c2, OnConflict::Replace));
    QCOMPARE(repo.find(id, "opencv-cpu-1t", 1)->measurement.stats.medianMs, 6.0);

    // Removing a pair removes its history too.
    QVERIFY(repo.remove(id, "torch-cpu-1t", 1));
    QVERIFY(repo.history(id, "torch-cpu-1t", 1).empty());
    QCOMPARE(repo.historyCount(), int64_t(1));
    QVERIFY(db.integrityCheck().ok);
}

void TestContention::refiningKeepsTheFastest()
{
    makeProject(m_path); // one measurement of 'tiny' on torch-cpu-1t, clean (median 1.5 ms, no fastest run)
    Database db = Database::open(m_path);
    const int64_t id = ModelRepository(db).list().front().id;
    MeasurementRepository repo(db);
    auto take = [](double fastestMs, double medianMs, bool contended) {
        Measurement m = measurementOn("torch-cpu-1t", medianMs);
        m.stats.minMs = fastestMs;
        m.evidence.contended = contended;
        return m;
    };
    auto current = [&] { return repo.find(id, "torch-cpu-1t", 1)->measurement.stats; };
    // Slower (a slow phase): kept in the history only. Its median is lower, but the fastest run decides.
    QVERIFY(repo.insert(id, take(1.6, 1.45, false), OnConflict::KeepFastest));
    QCOMPARE(current().medianMs, 1.5);
    // Faster: becomes current, the earlier one goes to the history.
    QVERIFY(repo.insert(id, take(1.2, 1.3, false), OnConflict::KeepFastest));
    QCOMPARE(current().minMs, 1.2);
    QCOMPARE(current().medianMs, 1.3);
    // Faster but contended: never replaces a clean one.
    QVERIFY(repo.insert(id, take(1.0, 1.1, true), OnConflict::KeepFastest));
    QCOMPARE(current().minMs, 1.2);
    // A row without a fastest run compares by its median.
    QVERIFY(repo.insert(id, take(0.0, 1.25, false), OnConflict::KeepFastest));
    QCOMPARE(current().minMs, 1.2);
    QVERIFY(repo.insert(id, take(0.0, 1.1, false), OnConflict::KeepFastest));
    QCOMPARE(current().medianMs, 1.1);
    QCOMPARE(repo.count(), int64_t(1));
    QCOMPARE(repo.historyCount(), int64_t(5)); // every measurement is kept
    QCOMPARE(repo.history(id, "torch-cpu-1t", 1).size(), size_t(6));
    // A first measurement of a pair is simply stored.
    const int64_t other = ModelRepository(db).upsert(named("other")).id;
    QVERIFY(repo.insert(other, take(2.0, 2.1, false), OnConflict::KeepFastest));
    QCOMPARE(repo.find(other, "torch-cpu-1t", 1)->measurement.stats.minMs, 2.0);
    QVERIFY(db.integrityCheck().ok);
}

namespace {

// A project with one platform and a dataset "set" of `n` networks whose features are all i + 1
// and whose one measurement on torch-cpu-1t is measurementFor(i).
void loaderProject(Database &db, int n, const std::function<Measurement(int)> &measurementFor)
{
    PlatformRepository(db).upsert({"torch-cpu-1t", {}, 0});
    DatasetRepository datasets(db);
    DatasetRecord record;
    record.name = "set";
    record.kind = "generated";
    const int64_t set = datasets.create(record);
    std::vector<DatasetMember> members;
    for (int i = 0; i < n; ++i) {
        const int64_t id = ModelRepository(db).upsert(named("net" + std::to_string(i))).id;
        members.push_back({id, ""});
        features::Features f;
        f.values.assign(features::featureTable().size(), double(i + 1));
        FeatureRepository(db).put(id, featureExtractorVersion(), f);
        MeasurementRepository(db).insert(id, measurementFor(i));
    }
    datasets.setMembers(set, members);
}

} // namespace

void TestContention::loaderSkipsContended()
{
    Database db = Database::open(m_path);
    loaderProject(db, 3, [](int i) {
        Measurement m = measurementOn("torch-cpu-1t", 1.0 + i);
        m.evidence.contended = i == 1;
        return m;
    });
    LatencyQuery q;
    q.datasets = {"set"};
    LatencyLoad load = loadLatencyData(db, q);
    QCOMPARE(load.data.networks.size(), size_t(2));
    QCOMPARE(load.contendedSkipped, size_t(1));
    q.includeContended = true;
    QCOMPARE(loadLatencyData(db, q).data.networks.size(), size_t(3));
}

void TestContention::loaderStatistic()
{
    // The loader's value of a pair: the fastest timed run by default, the median on request, and
    // the median where a row has no fastest run (rows imported from a CSV without min_ms).
    Database db = Database::open(m_path);
    loaderProject(db, 2, [](int i) {
        Measurement m = measurementOn("torch-cpu-1t", 10.0);
        m.stats.minMs = i == 0 ? 8.0 : 0.0;
        return m;
    });
    LatencyQuery q;
    q.datasets = {"set"};
    QCOMPARE(q.statistic, LatencyStatistic::Fastest);
    LatencyLoad load = loadLatencyData(db, q);
    QCOMPARE(load.data.latency(0, 0), 8.0);
    QCOMPARE(load.data.latency(1, 0), 10.0);
    q.statistic = LatencyStatistic::Median;
    load = loadLatencyData(db, q);
    QCOMPARE(load.data.latency(0, 0), 10.0);
    QCOMPARE(load.data.latency(1, 0), 10.0);

    // The statistic a stored training record names; records from before the field read as median.
    QCOMPARE(trainingStatistic(nlohmann::json{{"datasets", {"set"}}}), LatencyStatistic::Median);
    QCOMPARE(trainingStatistic(nlohmann::json{{"statistic", "fastest"}}), LatencyStatistic::Fastest);
    QCOMPARE(parseLatencyStatistic(latencyStatisticName(LatencyStatistic::Median)), LatencyStatistic::Median);
    try {
        trainingStatistic(nlohmann::json{{"statistic", "mean"}});
        QFAIL("an unknown statistic was accepted");
    } catch (const Error &e) {
        QVERIFY2(std::string(e.what()).find("'mean'") != std::string::npos, e.what());
    }
    QVERIFY_THROWS_EXCEPTION(Error, trainingStatistic(nlohmann::json{{"statistic", 3}}));
}

void TestContention::version3ProjectMigrates()
{
    // A project written by the previous schema: migrations 1-3 only, one measurement, one module sample.
    {
        sqlite3 *raw = nullptr;
        QCOMPARE(sqlite3_open(m_path.c_str(), &raw), SQLITE_OK);
        std::string sql = "PRAGMA foreign_keys = ON; BEGIN;";
        for (const auto &step : detail::migrations())
            if (step.version <= 3)
                sql += step.sql;
        sql += "INSERT INTO models (id, content_hash, name, created_ms) VALUES (1, 'h1', 'old', 1);"
               "INSERT INTO platforms (id, created_ms) VALUES ('torch-cpu-1t', 1);"
               "INSERT INTO measurements (model_id, platform_id, batch, status, median_ms, runs, measured_ms) "
               "VALUES (1, 'torch-cpu-1t', 1, 'ok', 4.25, 12, 1000);"
               "INSERT INTO module_sets (set_name, created_ms) VALUES ('s', 1);"
               "INSERT INTO module_samples (set_name, module, platform_id, idx, n, ci, memory_mb, utilization, "
               "median_ms, measured_ms) VALUES ('s', 'bn', 'torch-cpu-1t', 0, 1, 8, 100, 0.5, 0.2, 1);"
               "PRAGMA user_version = 3; PRAGMA application_id = " + std::to_string(kApplicationId) + "; COMMIT;";
        char *err = nullptr;
        const int rc = sqlite3_exec(raw, sql.c_str(), nullptr, nullptr, &err);
        QVERIFY2(rc == SQLITE_OK, err ? err : "");
        sqlite3_close(raw);
    }
    Database db = Database::open(m_path);
    QCOMPARE(db.schemaVersion(), kSchemaVersion);
    MeasurementRepository repo(db);
    const auto r = repo.find(1, "torch-cpu-1t", 1);
    QVERIFY(r);
    QCOMPARE(r->measurement.stats.medianMs, 4.25);
    QCOMPARE(r->measurement.stats.runs, 12);
    QVERIFY(!r->measurement.evidence.contended);
    QVERIFY(std::isnan(r->measurement.evidence.probeRatio));
    QCOMPARE(r->measurement.evidence.rounds, 1); // version 5: rows before it were taken in one round
    QVERIFY(std::isnan(r->measurement.evidence.roundSpread));
    QCOMPARE(repo.historyCount(), int64_t(0));
    // Re-measuring keeps the old row in the history.
    Measurement again = measurementOn("torch-cpu-1t", 4.0);
    QVERIFY(repo.insert(1, again, OnConflict::Replace));
    QCOMPARE(repo.history(1, "torch-cpu-1t", 1).size(), size_t(2));
    QCOMPARE(repo.history(1, "torch-cpu-1t", 1).front().measurement.stats.medianMs, 4.25);
    const auto samples = ModuleSampleRepository(db).load("s", predict::modules::ModuleKind::Bn, "torch-cpu-1t");
    QCOMPARE(samples.size(), size_t(1));
    QVERIFY(!samples[0].contended);
    QVERIFY(db.integrityCheck().ok);
}

QTEST_APPLESS_MAIN(TestContention)
#include "tst_contention.moc"
