// The realistic style of the generator (docs/generator.md, issue "Predictions that hold on real
// networks"): every family builds valid, reproducible networks whose MACs, depth, widths and
// inputs span the zoo's ranges; they survive an ONNX round trip and ONNX's checker, and run in
// LibTorch (and, for the convolutional families, in OpenCV dnn); the spec round-trips (bad
// realistic specs are rows of tst_generator's badSpec); the coverage report's percentiles and
// outside lists are right.

#include "common/error.h"
#include "features/coverage.h"
#include "features/features.h"
#include "generator/generator.h"
#include "graph/cost.h"
#include "onnx/onnxexport.h"
#include "onnx/onnximport.h"
#include "runtime/runtime.h"

#include <nlohmann/json.hpp>

#include <QtTest>

#include <algorithm>
#include <cmath>
#include <map>
#include <set>

using namespace sniper;
using namespace sniper::generator;

namespace {

// Shapes inferred and positive everywhere, the output [batch, classes], MACs as computeCosts
// counts them and inside the spec's range. Returns "" or what is wrong.
std::string problem(const GeneratedNetwork &net, const GeneratorSpec &spec)
{
    const graph::Graph &g = net.graph;
    if (g.inputs.size() != 1 || g.outputs.size() != 1 || g.values[g.outputs[0]].name != "output")
        return "inputs/outputs";
    if (g.values[g.outputs[0]].shape != graph::Shape{spec.batch, net.params.classes})
        return "output shape " + graph::shapeString(g.values[g.outputs[0]].shape);
    for (const graph::Node &n : g.nodes) {
        if (n.kind == graph::OpKind::Unknown)
            return "operator " + n.opType;
        for (int o : n.outputs) {
            const graph::Value &v = g.values[o];
            if (v.shape.empty() && n.kind != graph::OpKind::ReduceMean)
                return n.opType + " output " + v.name + " has no shape";
            for (int64_t d : v.shape)
                if (d <= 0)
                    return n.opType + " output " + v.name + " shape " + graph::shapeString(v.shape);
            if (v.shape.size() == 4 && v.shape[1] > spec.maxChannels && n.kind != graph::OpKind::Transpose)
                return n.opType + " output " + v.name + " wider than max_channels";
        }
    }
    const graph::GraphCost cost = graph::computeCosts(g);
    if (cost.macs != net.macs)
        return "MACs " + std::to_string(net.macs) + " vs computeCosts " + std::to_string(cost.macs);
    if (cost.macs < spec.minMacs || cost.macs > spec.maxMacs)
        return "MACs " + std::to_string(cost.macs) + " outside the spec";
    return {};
}

// A spec of small networks (quick to run): one 64-pixel input, 5-40 M MACs.
GeneratorSpec smallSpec()
{
    GeneratorSpec s = realisticSpec();
    s.inputPlanes = {64};
    s.minMacs = 5'000'000;
    s.maxMacs = 40'000'000;
    return s;
}

// The first network of each family among the seeds of `spec`.
std::map<std::string, GeneratedNetwork> onePerFamily(const GeneratorSpec &spec)
{
    std::map<std::string, GeneratedNetwork> out;
    for (int i = 0; i < 400 && out.size() < realisticFamilies().size(); ++i) {
        GeneratedNetwork net = generateNetwork(spec, networkSeed(5, i));
        out.emplace(net.params.family, std::move(net));
    }
    return out;
}

} // namespace

class TestRealistic : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void spansTheZoo();
    void reproducible();
    void onnxRoundTripAndChecker();
    void runsInBothRuntimes();
    void specJson();
    void coverageReport();
};

void TestRealistic::spansTheZoo()
{
    const GeneratorSpec spec = realisticSpec();
    constexpr int kNetworks = 500;
    std::map<std::string, int> families;
    std::set<int64_t> planes;
    std::vector<double> macs, layers;
    int64_t widest = 0;
    for (int i = 0; i < kNetworks; ++i) {
        const GeneratedNetwork net = generateNetwork(spec, networkSeed(2026, i));
        const std::string why = problem(net, spec);
        if (!why.empty())
            QFAIL(qPrintable(QString::fromStdString(net.name + " (" + net.params.family + "): " + why)));
        ++families[net.params.family];
        planes.insert(net.params.inputPlane);
        macs.push_back(double(net.macs));
        const features::Features f = features::extractFeatures(net.graph, graph::computeCosts(net.graph));
        layers.push_back(f.value("num_layers"));
        for (int64_t w : net.params.stageWidths)
            widest = std::max(widest, w);
    }
    for (const std::string &family : realisticFamilies()) {
        qInfo("%-10s %d networks", family.c_str(), families[family]);
        QVERIFY2(families[family] >= 25, family.c_str()); // 50 expected of each
    }
    QCOMPARE(planes.size(), spec.inputPlanes.size());
    const double p5 = features::percentile(macs, 5), p95 = features::percentile(macs, 95);
    qInfo("MACs: min %.3g, p5 %.3g, median %.3g, p95 %.3g, max %.3g", features::percentile(macs, 0), p5,
          features::percentile(macs, 50), p95, features::percentile(macs, 100));
    qInfo("layers: min %.0f, median %.0f, max %.0f; widest stage %lld", features::percentile(layers, 0),
          features::percentile(layers, 50), features::percentile(layers, 100), (long long)widest);
    // The zoo's range (squeezenet1_1 0.35 G ... vgg16 15.5 G MACs; 20 to 600 layers) is covered
    // with room on both sides, and the MACs draw is about log-uniform.
    QVERIFY(p5 < 1e8);
    QVERIFY(p95 > 1e10);
    QVERIFY(features::percentile(macs, 50) > 5e8 && features::percentile(macs, 50) < 2e9);
    QVERIFY(features::percentile(layers, 0) <= 30);
    QVERIFY(features::percentile(layers, 100) >= 600);
    QCOMPARE(widest, spec.maxChannels);
}

void TestRealistic::reproducible()
{
    const GeneratorSpec spec = realisticSpec();
    for (int i = 0; i < 20; ++i) {
        const uint64_t seed = networkSeed(99, i);
        QCOMPARE(onnx::exportOnnx(generateNetwork(spec, seed).graph), onnx::exportOnnx(generateNetwork(spec, seed).graph));
    }
    // Guards realistic datasets already generated: update only together with kGeneratorVersion.
    uint64_t h = 0xcbf29ce484222325ull;
    for (int i = 0; i < 50; ++i)
        for (unsigned char c : paramsToJson(generateNetwork(spec, networkSeed(42, i)).params).dump())
            h = (h ^ c) * 0x100000001b3ull;
    qInfo("golden digest %016llx", (unsigned long long)h);
    QCOMPARE(kGeneratorVersion, 2);
    QCOMPARE(h, uint64_t(0xef5bcbd84ef6f9c7ull));
    // The same networks through generateNetworks.
    const auto batch = generateNetworks(spec, 42, 3);
    QCOMPARE(batch[2].name, generateNetwork(spec, networkSeed(42, 2)).name);
    QCOMPARE(batch[2].macs, generateNetwork(spec, networkSeed(42, 2)).macs);
}

void TestRealistic::onnxRoundTripAndChecker()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    onnx::ExportOptions zeroFill;
    zeroFill.zeroFillMissingData = true;
    const auto nets = onePerFamily(smallSpec());
    QCOMPARE(nets.size(), realisticFamilies().size());
    for (const auto &[family, net] : nets) {
        const graph::GraphCost before = graph::computeCosts(net.graph);
        const std::string bytes = onnx::exportOnnx(net.graph);
        const graph::Graph back = onnx::importOnnxBuffer(bytes.data(), bytes.size(), {}, family);
        const graph::GraphCost after = graph::computeCosts(back);
        QVERIFY2(after.macs == before.macs, family.c_str());
        QVERIFY2(after.params == before.params, family.c_str());
        const std::string path = dir.filePath(QString::fromStdString(family + ".onnx")).toStdString();
        onnx::exportOnnxFile(net.graph, path, zeroFill);
        try {
            onnx::checkOnnxFile(path);
        } catch (const Error &e) {
            QFAIL(qPrintable(QString::fromStdString(family + ": " + e.what())));
        }
    }
}

void TestRealistic::runsInBothRuntimes()
{
    const auto nets = onePerFamily(smallSpec());
    auto torch = runtime::createRuntime("torch-cpu-1t");
    auto opencv = runtime::createRuntime("opencv-cpu-1t");
    // OpenCV 4.6 cannot import the zoo's ConvNeXt and ViT either (Erf, LayerNorm over the last axis).
    const std::set<std::string> opencvOptional{"convnext", "vit"};
    for (const auto &[family, net] : nets) {
        const graph::Shape &in = net.graph.values[net.graph.inputs[0]].shape;
        const runtime::HostTensor x =
            runtime::HostTensor::fromFloats(in, std::vector<float>(size_t(graph::numElements(in)), 0.5f));
        auto run = [&](runtime::Runtime &rt) {
            auto prepared = rt.prepare(net.graph, 1);
            const auto out = prepared->run({x});
            QVERIFY2(out.size() == 1, family.c_str());
            QVERIFY2(out[0].shape == (graph::Shape{1, net.params.classes}), family.c_str());
            for (float v : out[0].toFloats())
                QVERIFY2(std::isfinite(v), family.c_str());
        };
        run(*torch);
        const std::string why = opencv->unsupportedReason(net.graph);
        if (opencvOptional.count(family) && !why.empty()) {
            qInfo("opencv-cpu-1t: %s unsupported: %s", family.c_str(), why.c_str());
            continue;
        }
        try {
            run(*opencv);
        } catch (const std::exception &e) {
            if (!opencvOptional.count(family))
                QFAIL(qPrintable(QString::fromStdString(family + " on opencv-cpu-1t: " + e.what())));
            qInfo("opencv-cpu-1t: %s fails: %s", family.c_str(), e.what());
        }
    }
}

void TestRealistic::specJson()
{
    const GeneratorSpec r = realisticSpec();
    const nlohmann::json j = specToJson(r);
    QCOMPARE(j["style"].get<std::string>(), std::string("realistic"));
    QCOMPARE(specToJson(specFromJson(nlohmann::json::parse(j.dump()))), j);
    // Missing fields keep the realistic defaults, not Table IV's.
    const GeneratorSpec partial =
        specFromJson(nlohmann::json::parse(R"({"style": "realistic", "families": ["vit", "dense"]})"));
    QCOMPARE(partial.inputPlanes, r.inputPlanes);
    QCOMPARE(partial.maxMacs, r.maxMacs);
    QCOMPARE(partial.families, (std::vector<std::string>{"vit", "dense"}));
    for (int i = 0; i < 10; ++i) {
        const std::string family = generateNetwork(partial, networkSeed(3, i)).params.family;
        QVERIFY(family == "vit" || family == "dense");
    }
    // A Table IV spec stored before version 2 (no style) still reads as Table IV.
    QCOMPARE(specFromJson(nlohmann::json::parse(R"({"generator_version": 1, "kernels": [3]})")).style,
             std::string("table4"));
    QVERIFY(paramsToJson(generateNetwork(partial, 1).params).contains("stage_depths"));
}

void TestRealistic::coverageReport()
{
    features::CoverageColumn c;
    c.name = "total_macs";
    c.key = true;
    for (int i = 0; i <= 100; ++i)
        c.generated.push_back(double(i)); // p1 = 1, p99 = 99
    c.generated.push_back(std::nan(""));  // not counted
    c.reference = {0.5, 1.0, 50.0, 99.0, 99.5, std::nan("")};
    features::CoverageColumn other = c;
    other.name = "fc_macs";
    other.key = false;
    other.reference = {50, 50, 50, 50, 50, 1000};
    const features::CoverageReport r = features::coverage({c, other}, {"a", "b", "c", "d", "e", "f"});
    QCOMPARE(r.rows[0].generatedCount, 101);
    QCOMPARE(r.rows[0].referenceCount, 5);
    QCOMPARE(r.rows[0].p1, 1.0);
    QCOMPARE(r.rows[0].p99, 99.0);
    QCOMPARE(r.rows[0].outside, (std::vector<std::string>{"a", "e"}));
    QCOMPARE(r.rows[1].outside, (std::vector<std::string>{"f"}));
    // Only key rows decide "inside on every key feature": b, c, d, f (f has no key value).
    QCOMPARE(r.referenceInsideAllKey, 4);
    const std::string md = features::coverageMarkdown(r, "gen", "zoo");
    QVERIFY2(md.find("4 of 6 inside") != std::string::npos, md.c_str());
    QVERIFY2(md.find("| total_macs | 1 | 50 | 99 | 0.5 | 50 | 99.5 | 3/5 | a, e |") != std::string::npos,
             md.c_str());
    try {
        features::coverage({c}, {"only-one"});
        QFAIL("accepted a column with the wrong length");
    } catch (const Error &e) {
        QVERIFY(std::string(e.what()).find("6 reference values for 1") != std::string::npos);
    }
}

QTEST_GUILESS_MAIN(TestRealistic)
#include "tst_realistic.moc"
