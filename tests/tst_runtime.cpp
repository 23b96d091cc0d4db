// Local platforms: every runtime runs real models, disagrees only within float tolerance, reports
// what it cannot run as "unsupported", and the measurement protocol gives sound statistics.

#include "common/error.h"
#include "onnx/onnximport.h"
#include "runtime/protocol.h"
#include "runtime/runtime.h"

#include <QtTest>

#include <chrono>
#include <cmath>

using namespace sniper;
using namespace sniper::runtime;

namespace {

graph::Graph bundled(const char *name)
{
    onnx::ImportOptions o;
    o.loadWeights = false;
    return onnx::importOnnxFile(std::string(SNIPER_SOURCE_DIR) + "/datasets/models/" + name + ".onnx", o);
}

double maxRelativeDifference(const std::vector<float> &a, const std::vector<float> &b)
{
    double diff = 0, scale = 0;
    for (size_t i = 0; i < a.size(); ++i) {
        diff = std::max(diff, double(std::fabs(a[i] - b[i])));
        scale = std::max(scale, double(std::fabs(b[i])));
    }
    return diff / std::max(scale, 1e-30);
}

std::vector<HostTensor> seededInputs(const graph::Graph &g)
{
    std::vector<HostTensor> in;
    for (int v : g.inputs) {
        std::vector<float> x(size_t(g.values[v].elements()));
        for (size_t i = 0; i < x.size(); ++i)
            x[i] = float(std::sin(double(i) * 0.37));
        in.push_back(HostTensor::fromFloats(g.values[v].shape, x));
    }
    return in;
}

// Busy-waits 0.5 ms a run: a model whose runs are as steady as the clock.
class SteadyModel : public PreparedModel {
public:
    std::vector<HostTensor> run(const std::vector<HostTensor> &) override { return {}; }
    void runTimed() override
    {
        const auto until = std::chrono::steady_clock::now() + std::chrono::microseconds(500);
        while (std::chrono::steady_clock::now() < until) {
        }
    }
};

} // namespace

class TestRuntime : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void platformsAreListed();
    void unknownPlatformIsAnError();
    void runsModel_data();
    void runsModel();
    void torchAndOpenCvAgree();
    void unsupportedIsReportedNotThrown();
    void statisticsOfKnownSamples();
    void protocolStopsAtTarget();
    void protocolStopsEarlyOnSteadyRuns();
};

void TestRuntime::platformsAreListed()
{
    auto ids = localPlatformIds();
    QCOMPARE(ids.size(), size_t(4));
    QCOMPARE(ids[0], std::string("torch-cpu-1t"));
    for (const auto &id : ids) {
        auto rt = createRuntime(id);
        PlatformInfo info = rt->info();
        QCOMPARE(info.id, id);
        QVERIFY(!info.framework.empty());
        QVERIFY2(info.blas.find("BLAS") != std::string::npos, info.blas.c_str());
    }
}

void TestRuntime::unknownPlatformIsAnError()
{
    try {
        createRuntime("tpu-9000");
        QFAIL("accepted an unknown platform");
    } catch (const Error &e) {
        QVERIFY(std::string(e.what()).find("unknown platform 'tpu-9000'") != std::string::npos);
    }
}

void TestRuntime::runsModel_data()
{
    QTest::addColumn<QString>("platform");
    QTest::addColumn<QString>("model");
    for (const auto &p : localPlatformIds())
        for (const char *m : {"squeezenet1_1", "resnet18", "googlenet"})
            QTest::addRow("%s %s", p.c_str(), m) << QString::fromStdString(p) << QString::fromLatin1(m);
}

void TestRuntime::runsModel()
{
    QFETCH(QString, platform);
    QFETCH(QString, model);
    graph::Graph g = bundled(model.toLatin1().constData());
    auto rt = createRuntime(platform.toStdString());
    auto prepared = rt->prepare(g, 7);
    auto out = prepared->run(seededInputs(g));
    QCOMPARE(out.size(), size_t(1));
    QCOMPARE(out[0].shape, (graph::Shape{1, 1000}));
    for (float v : out[0].toFloats())
        QVERIFY(std::isfinite(v));
}

void TestRuntime::torchAndOpenCvAgree()
{
    graph::Graph g = bundled("resnet18");
    auto inputs = seededInputs(g);
    auto t = createRuntime("torch-cpu-1t")->prepare(g, 3)->run(inputs);
    auto c = createRuntime("opencv-cpu-1t")->prepare(g, 3)->run(inputs);
    double rel = maxRelativeDifference(c[0].toFloats(), t[0].toFloats());
    qInfo("resnet18 opencv vs torch: max relative difference %.3g", rel);
    QVERIFY(rel < 1e-4);
}

void TestRuntime::unsupportedIsReportedNotThrown()
{
    graph::Graph g = bundled("mobilenet_v2");
    auto rt = createRuntime("opencv-cpu-1t");
    MeasurementProtocol p;
    p.minRuns = 2;
    p.maxRuns = 3;
    Measurement m = measureGraph(*rt, g, p);
    qInfo("opencv on mobilenet_v2: %s", m.message.c_str());
    QCOMPARE(int(m.status), int(MeasurementStatus::Unsupported));
    QVERIFY(!m.message.empty());
    QVERIFY(!rt->unsupportedReason(g).empty());
    QVERIFY(createRuntime("torch-cpu-1t")->unsupportedReason(g).empty());
}

void TestRuntime::statisticsOfKnownSamples()
{
    LatencyStats s = computeStats({5, 1, 4, 2, 3, 10, 6, 7, 8, 9});
    QCOMPARE(s.runs, 10);
    QCOMPARE(s.medianMs, 5.5);
    QCOMPARE(s.minMs, 1.0);
    QCOMPARE(s.meanMs, 5.5);
    QCOMPARE(s.p90Ms, 9.0);
    QVERIFY(std::abs(s.stdMs - 3.0276503540974917) < 1e-12);
    // n = 10: ranks 5 -+ 1.96 sqrt(10) / 2 = 1.90 .. 8.10, so the 2nd and 10th order statistics.
    QCOMPARE(s.ciHalfWidthMs, (10.0 - 2.0) / 2);
}

void TestRuntime::protocolStopsAtTarget()
{
    graph::Graph g = bundled("squeezenet1_1");
    auto rt = createRuntime("torch-cpu-1t");
    MeasurementProtocol p;
    p.warmupRuns = 2;
    p.minRuns = 8;
    p.maxRuns = 60;
    p.maxSeconds = 5;
    p.targetRelativeHalfWidth = 0.05;
    Measurement m = measureGraph(*rt, g, p);
    QCOMPARE(int(m.status), int(MeasurementStatus::Ok));
    QVERIFY(m.stats.runs >= p.minRuns && m.stats.runs <= p.maxRuns);
    QVERIFY(m.stats.minMs <= m.stats.medianMs && m.stats.medianMs <= m.stats.p90Ms);
    if (m.stats.converged)
        QVERIFY(m.stats.ciHalfWidthMs <= 0.05 * m.stats.medianMs + 1e-12);
    QVERIFY(m.environment.availableMemoryMb > 0);
    QVERIFY(m.environment.loadAverage1 >= 0);
    QVERIFY(m.timestampMs > 0);
    qInfo("squeezenet1_1 torch-cpu-1t: median %.2f ms over %d runs (half-width %.3f ms)", m.stats.medianMs,
          m.stats.runs, m.stats.ciHalfWidthMs);
}

void TestRuntime::protocolStopsEarlyOnSteadyRuns()
{
    // Steady runs meet the half-width target as soon as the rule may stop: at minRuns...
    SteadyModel model;
    MeasurementProtocol p;
    p.warmupRuns = 0;
    p.minRuns = 20; // ranks 5 and 15 bound the interval: five slow runs at either end do not matter
    p.maxRuns = 1000;
    p.maxSeconds = 5;
    p.minSeconds = 0;
    p.targetRelativeHalfWidth = 0.5;
    p.gate = false;
    Measurement m = measurePrepared(model, p, "test");
    QVERIFY(m.stats.converged);
    QCOMPARE(m.stats.runs, 20);
    QVERIFY(m.stats.ciHalfWidthMs <= 0.5 * m.stats.medianMs);
    // ... or, with a minimum window, at the first run after it.
    p.minSeconds = 0.1;
    m = measurePrepared(model, p, "test");
    QVERIFY(m.stats.converged);
    QVERIFY2(m.stats.runs * m.stats.meanMs >= 90.0, std::to_string(m.stats.runs).c_str()); // 100 ms less the loop's own time
    QVERIFY2(m.stats.runs <= 201, std::to_string(m.stats.runs).c_str()); // 0.5 ms at least per run
}

QTEST_APPLESS_MAIN(TestRuntime)
#include "tst_runtime.moc"
