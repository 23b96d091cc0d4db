// core/sched: hand-checked scenarios, queueing theory, determinism, policy equivalences, bad input.

#include "common/error.h"
#include "sched/sched.h"

#include <QtTest>

#include <algorithm>
#include <cmath>
#include <sstream>

using namespace sniper::sched;

namespace {

// Two nodes: A runs m1 (100 ms) and m3 (30 ms); B runs m1 (200 ms) and m2 (50 ms).
LatencyTable handTable()
{
    LatencyTable t;
    t.set(1, "a", 100);
    t.set(1, "b", 200);
    t.set(2, "b", 50);
    t.set(3, "a", 30);
    t.set(2, "a", -1); // unsupported
    return t;
}

Cluster handCluster()
{
    return { { "a", 0.0 }, { "b", 0.0 } };
}

Trace handTrace()
{
    std::istringstream in("time_s,model\n0.00,1\n0.01,1\n0.02,2\n0.03,1\n0.04,3\n");
    LatencyTable t = handTable();
    return parseTraceCsv(in, t);
}

struct Run {
    Workload work;
    EventLog log;
    Metrics metrics;
};

Run runOnce(const Cluster &cluster, const LatencyTable &table, const WorkloadConfig &config, uint64_t seed,
    std::string_view policy, const Predictor &predictor)
{
    Run r;
    r.work = generateWorkload(cluster, table, config, seed);
    auto p = makePolicy(policy);
    r.log = simulate(cluster, table, r.work, *p, predictor);
    r.metrics = computeMetrics(r.log, r.work, int(cluster.size()));
    return r;
}

// A heterogeneous cluster with partial compatibility, for the randomized checks.
LatencyTable randomTable()
{
    LatencyTable t;
    const char *platforms[] = { "p0", "p1", "p2" };
    for (int m = 0; m < 12; ++m)
        for (int p = 0; p < 3; ++p)
            t.set(100 + m, platforms[p], (m + p) % 5 == 4 ? -1.0 : 5.0 + 7.0 * ((m * 3 + p * 5) % 11));
    return t;
}
Cluster randomCluster()
{
    return parseCluster("p0:3,p1:3,p2:4", 100.0);
}

} // namespace

class TestSched : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void handChecked_data();
    void handChecked();
    void queueingTheory_data();
    void queueingTheory();
    void sameSeedSameLog();
    void sniperEqualsSloWithPerfectPredictions();
    void sloIsPollingWhenEverythingIsNew();
    void compatibilityRespected();
    void sniperBeatsSloWhenManyNetworksAreNew();
    void badInput();
    void sweepAndFigures();
};

void TestSched::handChecked_data()
{
    QTest::addColumn<QByteArray>("policy");
    QTest::addColumn<QList<int>>("nodes");
    QTest::addColumn<QList<double>>("starts");
    QTest::addColumn<double>("awt");
    QTest::addColumn<double>("missRate");
    QTest::addColumn<double>("makespan"); // TPS = 5 / makespan
    // Tm = 5 x fastest latency: deadlines 0.5, 0.51, 0.27, 0.53, 0.19 s. Derivations in
    // docs/scheduling.md ("Hand-checked scenario").
    QTest::addRow("polling") << QByteArray("polling") << QList<int> { 0, 1, 1, 0, 0 }
                             << QList<double> { 0, 0.01, 0.21, 0.1, 0.2 } << 0.084 << 0.2 << 0.26;
    QTest::addRow("edf") << QByteArray("edf") << QList<int> { 0, 1, 1, 0, 0 }
                         << QList<double> { 0, 0.01, 0.21, 0.13, 0.1 } << 0.07 << 0.0 << 0.26;
    QTest::addRow("slo") << QByteArray("slo") << QList<int> { 0, 0, 1, 1, 0 }
                         << QList<double> { 0, 0.13, 0.02, 0.07, 0.1 } << 0.044 << 0.0 << 0.27;
    QTest::addRow("sniper") << QByteArray("sniper") << QList<int> { 0, 0, 1, 1, 0 }
                            << QList<double> { 0, 0.13, 0.02, 0.07, 0.1 } << 0.044 << 0.0 << 0.27;
    QTest::addRow("mect") << QByteArray("mect") << QList<int> { 0, 0, 1, 1, 0 }
                          << QList<double> { 0, 0.1, 0.02, 0.07, 0.2 } << 0.058 << 0.2 << 0.27;
}

void TestSched::handChecked()
{
    QFETCH(QByteArray, policy);
    QFETCH(QList<int>, nodes);
    QFETCH(QList<double>, starts);
    QFETCH(double, awt);
    QFETCH(double, missRate);
    QFETCH(double, makespan);
    const LatencyTable table = handTable();
    const Trace trace = handTrace();
    WorkloadConfig c;
    c.trace = &trace;
    c.deadlineSlack = 5;
    const Run r = runOnce(handCluster(), table, c, 1, policy.toStdString(), perfectPredictor(table));
    QCOMPARE(int(r.log.size()), 5);
    for (int i = 0; i < 5; ++i) {
        QCOMPARE(r.log.node[size_t(i)], nodes[i]);
        QVERIFY2(std::abs(r.log.start[size_t(i)] - starts[i]) < 1e-9, qPrintable(QStringLiteral("task %1").arg(i)));
    }
    QVERIFY(std::abs(r.metrics.awt - awt) < 1e-9);
    QVERIFY(std::abs(r.metrics.missRate - missRate) < 1e-12);
    QVERIFY(std::abs(r.metrics.tps - 5 / makespan) < 1e-6);
}

void TestSched::queueingTheory_data()
{
    QTest::addColumn<bool>("exponential");
    QTest::addRow("M/M/1") << true;
    QTest::addRow("M/D/1") << false;
}

void TestSched::queueingTheory()
{
    // One node, Poisson arrivals at rho = 0.7, service mean 1 ms; Pollaczek-Khinchine:
    // Wq = rho / (mu (1 - rho)) x (1 + Cs^2) / 2, Cs^2 = 1 (exponential) or 0 (deterministic).
    // 10 seeds x 500,000 tasks = 5,000,000 tasks: the relative standard error of the mean wait is
    // about 1.8% x sqrt(200,000 / 5,000,000) = 0.36% for M/M/1 (SPEC §10; less for M/D/1). The
    // tolerance, 1.5%, is about 4 standard errors: a false failure about once in 30,000 runs.
    QFETCH(bool, exponential);
    LatencyTable table;
    table.set(1, "cpu", 1.0);
    const Cluster cluster { { "cpu", 0.0 } };
    const double mu = 1000, lambda = 700, rho = lambda / mu;
    const double expected = rho / (mu * (1 - rho)) * (exponential ? 1.0 : 0.5);
    WorkloadConfig c;
    c.rate = lambda;
    c.duration = 1e9;
    c.maxTasks = 500'000;
    c.deadlineMs = 1e9;
    c.service = exponential ? ServiceDistribution::Exponential : ServiceDistribution::Deterministic;
    const int seeds = 10;
    double sum = 0, sumSq = 0;
    for (int s = 0; s < seeds; ++s) {
        const Run r = runOnce(cluster, table, c, 1000 + uint64_t(s), "polling", {});
        sum += r.metrics.awt;
        sumSq += r.metrics.awt * r.metrics.awt;
    }
    const double mean = sum / seeds;
    const double se = std::sqrt((sumSq / seeds - mean * mean) / (seeds - 1));
    const double rel = std::abs(mean - expected) / expected;
    qInfo("Wq simulated %.6g s, Pollaczek-Khinchine %.6g s, relative error %.3f%%, empirical SE %.3f%%", mean, expected,
        100 * rel, 100 * se / expected);
    QVERIFY2(rel < 0.015, "mean waiting time outside 1.5% (about 4 standard errors) of the P-K value");
}

void TestSched::sameSeedSameLog()
{
    const LatencyTable table = randomTable();
    const Cluster cluster = randomCluster();
    WorkloadConfig c;
    c.rate = 60;
    c.duration = 200;
    c.newProb = 0.3;
    c.dataMin = 1;
    c.dataMax = 4;
    const Predictor pred = noisyPredictor(table, 0.1, 7);
    for (const auto &name : policyNames()) {
        const Run a = runOnce(cluster, table, c, 42, name, pred);
        const Run b = runOnce(cluster, table, c, 42, name, pred);
        const Run other = runOnce(cluster, table, c, 43, name, pred);
        QVERIFY(a.work.size() > 10000);
        QCOMPARE(a.log.hash(a.work), b.log.hash(b.work));
        QVERIFY(a.log.hash(a.work) != other.log.hash(other.work));
    }
}

void TestSched::sniperEqualsSloWithPerfectPredictions()
{
    const LatencyTable table = randomTable();
    const Cluster cluster = randomCluster();
    WorkloadConfig c;
    c.duration = 300;
    c.dataMax = 3;
    for (double rate : { 20.0, 80.0, 200.0 }) { // light to overloaded
        c.rate = rate;
        const Run slo = runOnce(cluster, table, c, 9, "slo", perfectPredictor(table));
        const Run sniper = runOnce(cluster, table, c, 9, "sniper", perfectPredictor(table));
        QCOMPARE(sniper.log.node, slo.log.node);
        QCOMPARE(sniper.log.start, slo.log.start);
    }
}

void TestSched::sloIsPollingWhenEverythingIsNew()
{
    const LatencyTable table = randomTable();
    const Cluster cluster = randomCluster();
    WorkloadConfig c;
    c.rate = 80;
    c.duration = 300;
    c.newProb = 1.0;
    const Run slo = runOnce(cluster, table, c, 5, "slo", perfectPredictor(table));
    const Run polling = runOnce(cluster, table, c, 5, "polling", perfectPredictor(table));
    QCOMPARE(slo.log.node, polling.log.node);
    QCOMPARE(slo.log.start, polling.log.start);
    QCOMPARE(slo.metrics.awt, polling.metrics.awt);
    QCOMPARE(slo.metrics.tps, polling.metrics.tps);
    QCOMPARE(slo.metrics.missRate, polling.metrics.missRate);
    QCOMPARE(slo.metrics.p99, polling.metrics.p99);
}

void TestSched::compatibilityRespected()
{
    const LatencyTable table = randomTable();
    const Cluster cluster = randomCluster();
    WorkloadConfig c;
    c.rate = 100;
    c.duration = 100;
    c.newProb = 0.5;
    for (const auto &name : policyNames()) {
        const Run r = runOnce(cluster, table, c, 3, name, noisyPredictor(table, 0.2, 1));
        for (size_t i = 0; i < r.log.size(); ++i) {
            const int p = table.platformIndex(cluster[size_t(r.log.node[i])].platform);
            QVERIFY(table.runs(r.work.model[i], p));
            QVERIFY(r.log.start[i] >= r.work.arrival[i]);
        }
    }
}

void TestSched::sniperBeatsSloWhenManyNetworksAreNew()
{
    // The papers' claim on a toy cluster near saturation: at p = 0.8 Sniper's AWT (5 seeds, common
    // random numbers) is below SLO-Scheduler's.
    const LatencyTable table = randomTable();
    const Cluster cluster = randomCluster();
    SweepConfig s;
    s.policies = { "slo", "sniper" };
    s.rates = { 150 };
    s.newProbs = { 0.8 };
    s.workload.duration = 200;
    const auto rows = runSweep(cluster, table, noisyPredictor(table, 0.08, 2), s);
    QCOMPARE(rows.size(), size_t(2));
    QVERIFY2(rows[1].awt.mean < rows[0].awt.mean,
        qPrintable(QStringLiteral("sniper %1 s, slo %2 s").arg(rows[1].awt.mean).arg(rows[0].awt.mean)));
}

void TestSched::badInput()
{
    const LatencyTable table = handTable();
    auto throwsWith = [](auto f, const char *needle) {
        try {
            f();
        } catch (const sniper::Error &e) {
            return std::string(e.what()).find(needle) != std::string::npos;
        }
        return false;
    };
    // Empty cluster.
    QVERIFY(throwsWith([] { parseCluster(" , "); }, "empty"));
    QVERIFY(throwsWith([] { parseCluster("a:x"); }, "non-negative integer"));
    QVERIFY(throwsWith([&] { generateWorkload({}, table, {}, 1); }, "cluster is empty"));
    // A model no node can run: m2 only runs on b, the cluster only has a.
    WorkloadConfig w;
    w.modelWeights = { 1, 1, 1 };
    QVERIFY(throwsWith([&] { generateWorkload({ { "a", 0 } }, table, w, 1); }, "no node of the cluster can run model"));
    std::istringstream traceIn("0.1,2\n");
    const Trace trace = parseTraceCsv(traceIn, table);
    WorkloadConfig wt;
    wt.trace = &trace;
    QVERIFY(throwsWith(
        [&] {
            generateWorkload({ { "a", 0 } }, table, wt, 1);
        },
        "no node of the cluster can run model"));
    // Negative rates.
    WorkloadConfig neg;
    neg.rate = -5;
    QVERIFY(throwsWith([&] { generateWorkload(handCluster(), table, neg, 1); }, "rate must be >= 0"));
    SweepConfig s;
    s.rates = { 10, -1 };
    QVERIFY(throwsWith([&] { runSweep(handCluster(), table, {}, s); }, "rates must be >= 0"));
    QVERIFY(throwsWith([] { makePolicy("fifo"); }, "unknown policy"));
    // Malformed traces name the line.
    auto parse = [&](const char *text) {
        return [&table, text] {
            std::istringstream in(text);
            parseTraceCsv(in, table, "t.csv");
        };
    };
    QVERIFY(throwsWith(parse("time\n0.1\n0.2\nabc\n"), "t.csv: line 4: 'abc' is not a time"));
    QVERIFY(throwsWith(parse("0.1\n0.3\n0.2\n"), "line 3: times must not decrease"));
    QVERIFY(throwsWith(parse("0.1,1\n0.2,99\n"), "line 2: unknown model '99'"));
    QVERIFY(throwsWith(parse("0.1,1,3\n"), "line 1: expected 'time[,model]'"));
    QVERIFY(throwsWith(parse("-1\n"), "line 1: the time must be finite"));
    QVERIFY(throwsWith(parse("# nothing\n"), "no arrivals"));
}

void TestSched::sweepAndFigures()
{
    const LatencyTable table = randomTable();
    SweepConfig s;
    s.rates = { 20, 40 };
    s.newProbs = { 0, 0.5 };
    s.seeds = 3;
    s.workload.duration = 50;
    const auto rows = runSweep(randomCluster(), table, perfectPredictor(table), s);
    QCOMPARE(rows.size(), size_t(2 * 2 * 5));
    for (const auto &r : rows) {
        QVERIFY(r.tps.mean > 0);
        QVERIFY(r.awt.ci95 >= 0);
    }
    // The interval's formula on a known sample: mean 3, s = sqrt(2.5), t(0.975, 4) = 2.776.
    const Estimate e = estimate({ 1, 2, 3, 4, 5 });
    QCOMPARE(e.mean, 3.0);
    QVERIFY(std::abs(e.ci95 - 2.776 * std::sqrt(2.5 / 5)) < 1e-12);
    QCOMPARE(estimate({ 7 }).ci95, 0.0);
    // Three seeds draw different workloads, so some interval is wider than zero; one seed gives none.
    QVERIFY(std::any_of(rows.begin(), rows.end(), [](const SweepRow &r) { return r.tps.ci95 > 0; }));
    s.seeds = 1;
    for (const auto &r : runSweep(randomCluster(), table, perfectPredictor(table), s))
        QCOMPARE(r.tps.ci95, 0.0);
    std::ostringstream csv;
    writeSweepCsv(csv, rows);
    const std::string text = csv.str();
    QCOMPARE(std::count(text.begin(), text.end(), '\n'), long(rows.size() + 1));
    const std::string svg = sweepSvg(rows, SweepMetric::Awt, 0.5);
    QVERIFY(svg.rfind("<svg", 0) == 0);
    QVERIFY(svg.find("sniper") != std::string::npos);
    QVERIFY(svg.find("serif") != std::string::npos);
    // Utilization over time covers every busy second.
    WorkloadConfig c;
    c.rate = 30;
    c.duration = 20;
    const Run r = runOnce(randomCluster(), table, c, 1, "polling", {});
    const auto u = utilizationOverTime(r.log, 10, 1.0);
    double busy = 0, expected = 0;
    for (const auto &node : u)
        for (double b : node) {
            QVERIFY(b >= 0 && b <= 1 + 1e-9);
            busy += b;
        }
    for (size_t i = 0; i < r.log.size(); ++i)
        expected += r.log.finish[i] - r.log.start[i];
    QVERIFY(std::abs(busy - expected) < 1e-6);
}

QTEST_GUILESS_MAIN(TestSched)
#include "tst_sched.moc"
