// The random network generator (SPEC §4, Ace-Sniper Table IV): 10,000 networks from one seed are
// valid, reproducible byte for byte, cover every value of every range, survive an ONNX round trip
// with the same costs, stay within MACs budgets; specs round-trip through JSON and bad ones are
// rejected with the field and the reason.

#include "common/error.h"
#include "generator/generator.h"
#include "graph/cost.h"
#include "onnx/onnxexport.h"
#include "onnx/onnximport.h"

#include <nlohmann/json.hpp>

#include <QtTest>

#include <algorithm>
#include <map>
#include <set>

using namespace sniper;
using namespace sniper::generator;

namespace {

constexpr uint64_t kSeed = 20240601;
constexpr int kCount = 10000;

uint64_t fnv1a(const std::string &bytes, uint64_t h = 0xcbf29ce484222325ull)
{
    for (unsigned char c : bytes)
        h = (h ^ c) * 0x100000001b3ull;
    return h;
}

// Everything "valid" means, checked on one network; returns "" or what is wrong.
std::string problem(const GeneratedNetwork &net, const GeneratorSpec &spec)
{
    static const std::set<std::string> allowed{"Conv", "BatchNormalization", "Relu", "Clip", "LeakyRelu",
                                               "Sigmoid", "Tanh", "Elu", "HardSigmoid", "MaxPool", "AveragePool",
                                               "GlobalAveragePool", "Flatten", "Gemm", "Add", "Concat"};
    const graph::Graph &g = net.graph;
    if (g.inputs.size() != 1 || g.outputs.size() != 1 || g.values[g.outputs[0]].name != "output")
        return "inputs/outputs";
    const graph::Shape &in = g.values[g.inputs[0]].shape;
    const NetworkParams &p = net.params;
    if (in != graph::Shape{spec.batch, p.inputChannels, p.inputPlane, p.inputPlane})
        return "input shape " + graph::shapeString(in);
    auto inList = [](const std::vector<int64_t> &v, int64_t x) { return std::find(v.begin(), v.end(), x) != v.end(); };
    if (!inList(spec.inputPlanes, p.inputPlane) || !inList(spec.outputPlanes, p.outputPlane) ||
        !inList(spec.inputChannels, p.inputChannels) || p.blocks.empty() || p.blocks.back().plane != p.outputPlane)
        return "Table IV ranges";
    if (int(p.blocks.size()) < spec.minBlocks || int(p.blocks.size()) > spec.maxBlocks)
        return "block count";
    for (const graph::Node &n : g.nodes) {
        if (!allowed.count(n.opType) || n.kind == graph::OpKind::Unknown)
            return "operator " + n.opType;
        for (int o : n.outputs) {
            const graph::Value &v = g.values[o];
            if (v.shape.empty() || v.producer < 0)
                return "value " + v.name + " has no shape";
            for (int64_t d : v.shape)
                if (d <= 0)
                    return "value " + v.name + " shape " + graph::shapeString(v.shape);
            if (v.shape.size() == 4 && v.shape[1] > spec.maxChannels)
                return "value " + v.name + " wider than max_channels";
        }
        for (int i : n.inputs) {
            const graph::Value &v = g.values[i];
            if (v.isConstant && v.hasData() && v.elements() != 1) // only Clip's scalar bounds carry data
                return "constant " + v.name + " has data";
            if (!v.isConstant && v.producer < 0 && i != g.inputs[0])
                return "value " + v.name + " is never produced";
        }
    }
    const graph::GraphCost cost = graph::computeCosts(g);
    if (cost.macs != net.macs)
        return "MACs " + std::to_string(net.macs) + " vs computeCosts " + std::to_string(cost.macs);
    if (spec.maxMacs > 0 && cost.macs > spec.maxMacs)
        return "over budget";
    return {};
}

// Counts of each sampled value of each Table IV parameter.
struct Distribution {
    std::map<std::string, std::map<std::string, int>> counts;
    void add(const char *param, const std::string &value) { ++counts[param][value]; }
    void add(const char *param, int64_t value) { add(param, std::to_string(value)); }

    void record(const NetworkParams &p)
    {
        add("input_planes", p.inputPlane);
        add("output_planes", p.outputPlane);
        add("input_channels", p.inputChannels);
        for (const BlockParams &b : p.blocks) {
            add("connections", connectionName(b.connection));
            add("branches", b.branches);
            for (const LayerParams &l : b.layers) {
                add("layer_types", layerTypeName(l.type));
                if (l.type == LayerType::Conv) {
                    add("output_channels", l.outChannels);
                    add("kernels", l.kernel);
                    add("strides", l.stride);
                    if (l.kernel > 1) {
                        add("dilations", l.dilation);
                        add("depthwise", l.depthwise ? "yes" : "no");
                    }
                } else if (l.type == LayerType::Pool) {
                    add("kernels", l.kernel);
                    add("strides", l.stride);
                }
            }
        }
        if (p.classifier)
            add("layer_types", "full");
    }
};

} // namespace

class TestGenerator : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void tenThousand();
    void seedsAndNames();
    void goldenDigest();
    void budget_data();
    void budget();
    void impossibleBudget();
    void customSpec_data();
    void customSpec();
    void onnxChecker();
    void specJsonRoundTrip();
    void badSpec_data();
    void badSpec();
};

void TestGenerator::tenThousand()
{
    const GeneratorSpec spec;
    Distribution dist;
    uint64_t hash1 = 0xcbf29ce484222325ull;
    std::vector<int64_t> macs;
    macs.reserve(kCount);
    size_t nodes = 0, values = 0, blocks = 0;
    for (int i = 0; i < kCount; ++i) {
        const GeneratedNetwork net = generateNetwork(spec, networkSeed(kSeed, i));
        const std::string why = problem(net, spec);
        QVERIFY2(why.empty(), qPrintable(QString::fromStdString(net.name + ": " + why)));
        const std::string bytes = onnx::exportOnnx(net.graph);
        hash1 = fnv1a(bytes, hash1);
        dist.record(net.params);
        macs.push_back(net.macs);
        nodes += net.graph.nodes.size();
        values += net.graph.values.size();
        blocks += net.params.blocks.size();
        if (i % (kCount / 200) == 0) { // a sample of 200 survives export + import with the same costs
            onnx::ImportOptions opt;
            opt.loadWeights = false;
            const graph::Graph back = onnx::importOnnxBuffer(bytes.data(), bytes.size(), opt, net.name);
            const graph::GraphCost a = graph::computeCosts(net.graph), b = graph::computeCosts(back);
            QCOMPARE(b.macs, a.macs);
            QCOMPARE(b.params, a.params);
            QCOMPARE(back.nodes.size(), net.graph.nodes.size());
        }
    }
    // A second run gives byte-identical ONNX for all 10,000.
    uint64_t hash2 = 0xcbf29ce484222325ull;
    for (int i = 0; i < kCount; ++i)
        hash2 = fnv1a(onnx::exportOnnx(generateNetwork(spec, networkSeed(kSeed, i)).graph), hash2);
    QCOMPARE(hash2, hash1);
    // generateNetworks is the same sequence.
    const auto batch = generateNetworks(spec, kSeed, 50);
    for (int i = 0; i < 50; ++i)
        QCOMPARE(onnx::exportOnnx(batch[size_t(i)].graph),
                 onnx::exportOnnx(generateNetwork(spec, networkSeed(kSeed, i)).graph));

    // Every value of every Table IV range (and the extensions) occurs; the distribution is printed.
    auto expect = [&](const char *param, const std::vector<std::string> &values) {
        QString line = QStringLiteral("%1:").arg(QLatin1String(param));
        for (const auto &[v, n] : dist.counts[param])
            line += QStringLiteral(" %1=%2").arg(QString::fromStdString(v)).arg(n);
        qInfo().noquote() << line;
        for (const std::string &v : values)
            QVERIFY2(dist.counts[param][v] > 0, qPrintable(QStringLiteral("%1 never drew %2").arg(
                                                    QLatin1String(param), QString::fromStdString(v))));
    };
    auto str = [](const auto &v) {
        std::vector<std::string> s;
        for (const auto &x : v)
            s.push_back(std::to_string(x));
        return s;
    };
    expect("input_planes", str(spec.inputPlanes));
    expect("output_planes", str(spec.outputPlanes));
    expect("input_channels", str(spec.inputChannels));
    expect("output_channels", str(spec.outputChannels));
    expect("layer_types", spec.layerTypes);
    expect("kernels", str(spec.kernels));
    expect("strides", str(spec.strides));
    expect("branches", str(spec.branches));
    expect("connections", spec.connections);
    expect("dilations", str(spec.dilations));
    expect("depthwise", {"yes", "no"});
    std::sort(macs.begin(), macs.end());
    qInfo("MACs: min %lld, median %lld, p90 %lld, max %lld", (long long)macs.front(),
          (long long)macs[macs.size() / 2], (long long)macs[macs.size() * 9 / 10], (long long)macs.back());
    qInfo("per network: %.1f blocks, %.1f nodes, %.1f values", double(blocks) / kCount, double(nodes) / kCount,
          double(values) / kCount);
}

void TestGenerator::seedsAndNames()
{
    const GeneratorSpec spec;
    const GeneratedNetwork a = generateNetwork(spec, 0x1234abcd);
    QCOMPARE(a.name, std::string("gen-000000001234abcd"));
    QCOMPARE(a.graph.name, a.name);
    QCOMPARE(a.seed, uint64_t(0x1234abcd));
    // Different seeds give different networks; the per-network seeds differ.
    std::set<std::string> seen;
    for (int i = 0; i < 100; ++i)
        seen.insert(onnx::exportOnnx(generateNetwork(spec, networkSeed(7, i)).graph));
    QCOMPARE(seen.size(), size_t(100));
    QVERIFY(networkSeed(7, 0) != networkSeed(8, 0));
    QCOMPARE(paramsToJson(a.params)["blocks"].size(), a.params.blocks.size());
}

// Guards datasets already generated: the same (spec, seed) must keep giving the same networks.
// Update the constant only together with kGeneratorVersion.
void TestGenerator::goldenDigest()
{
    const GeneratorSpec spec;
    uint64_t h = 0xcbf29ce484222325ull;
    for (int i = 0; i < 100; ++i)
        h = fnv1a(paramsToJson(generateNetwork(spec, networkSeed(42, i)).params).dump(), h);
    qInfo("golden digest %016llx", (unsigned long long)h);
    QCOMPARE(kGeneratorVersion, 2); // version 2 added the realistic style; Table IV networks did not change
    QCOMPARE(h, uint64_t(0xc21c6decd3621345ull));
}

void TestGenerator::budget_data()
{
    QTest::addColumn<qlonglong>("maxMacs");
    QTest::addRow("3M (classifier + MAC-free blocks)") << 3'000'000LL;
    QTest::addRow("50M") << 50'000'000LL;
    QTest::addRow("600M") << 600'000'000LL;
    QTest::addRow("5G") << 5'000'000'000LL;
}

void TestGenerator::budget()
{
    QFETCH(qlonglong, maxMacs);
    GeneratorSpec spec;
    spec.maxMacs = maxMacs;
    int64_t largest = 0;
    int fallbacks = 0;
    for (int i = 0; i < 500; ++i) {
        const GeneratedNetwork net = generateNetwork(spec, networkSeed(99, i));
        const std::string why = problem(net, spec);
        QVERIFY2(why.empty(), qPrintable(QString::fromStdString(net.name + ": " + why)));
        QVERIFY(net.macs <= maxMacs);
        largest = std::max(largest, net.macs);
        for (const BlockParams &b : net.params.blocks)
            fallbacks += b.fallback;
    }
    qInfo("budget %lld: largest %lld MACs, %d fallback blocks in 500 networks", maxMacs, (long long)largest,
          fallbacks);
    QVERIFY(largest > maxMacs / 10); // the budget limits, it does not flatten everything
}

void TestGenerator::impossibleBudget()
{
    GeneratorSpec spec;
    spec.layerTypes = {"conv"}; // no MAC-free block to fall back on
    spec.inputPlanes = {224};
    spec.outputPlanes = {224};
    spec.inputChannels = {512};
    spec.maxMacs = 1000;
    try {
        generateNetwork(spec, 1);
        QFAIL("an impossible budget was met");
    } catch (const Error &e) {
        QCOMPARE(e.location(), std::string("max_macs"));
        QVERIFY(e.problem().find("no network within the budget") != std::string::npos);
    }
}

void TestGenerator::customSpec_data()
{
    QTest::addColumn<QString>("json");
    QTest::addColumn<QString>("forbiddenOp"); // an operator the spec rules out
    QTest::addRow("conv only") << R"({"layer_types": ["conv"]})" << "MaxPool";
    QTest::addRow("pool only") << R"({"layer_types": ["pool"], "branches": [1]})" << "Conv";
    QTest::addRow("no conv") << R"({"layer_types": ["pool", "norm"]})" << "Conv";
    QTest::addRow("no reductions") << R"({"strides": [1], "output_planes": [14, 28, 56, 112, 224]})" << "";
    QTest::addRow("concat only, wide") << R"({"connections": ["concat"], "branches": [1, 3], "max_channels": 1024})"
                                       << "Add"; // too wide concats become chains, never adds
    QTest::addRow("conv only, one-branch blocks") << R"({"layer_types": ["conv"], "branches": [1]})"
                                                  << "BatchNormalization"; // shortcuts stay within the types
    QTest::addRow("chains") << R"({"connections": ["none"]})" << "Concat";
    QTest::addRow("all depthwise, all activations")
        << R"({"depthwise_probability": 1, "activations": ["relu", "relu6", "leakyrelu", "sigmoid", "tanh", "elu",
           "hardsigmoid"], "activation_probability": 1})" << "";
    QTest::addRow("flatten classifier, batch 4")
        << R"({"full_probability": 1, "flatten_probability": 1, "classes": [10, 100], "batch": 4})" << "";
    QTest::addRow("odd planes") << R"({"input_planes": [15, 33], "output_planes": [4, 8, 9, 17], "max_blocks": 6})"
                                << "";
    QTest::addRow("tight budget, no classifier")
        << R"({"layer_types": ["conv", "pool"], "max_macs": 2e7, "max_blocks": 20})" << "Gemm";
}

void TestGenerator::customSpec()
{
    QFETCH(QString, json);
    QFETCH(QString, forbiddenOp);
    const GeneratorSpec spec = specFromJson(nlohmann::json::parse(json.toStdString()));
    for (int i = 0; i < 300; ++i) {
        const GeneratedNetwork net = generateNetwork(spec, networkSeed(5, i));
        const std::string why = problem(net, spec);
        QVERIFY2(why.empty(), qPrintable(QString::fromStdString(net.name + ": " + why)));
        if (i < 20) { // export + import keeps the costs
            const std::string bytes = onnx::exportOnnx(net.graph);
            onnx::ImportOptions opt;
            opt.loadWeights = false;
            const graph::GraphCost a = graph::computeCosts(net.graph),
                                   b = graph::computeCosts(onnx::importOnnxBuffer(bytes.data(), bytes.size(), opt, net.name));
            QCOMPARE(b.macs, a.macs);
            QCOMPARE(b.params, a.params);
        }
        for (const graph::Node &n : net.graph.nodes)
            QVERIFY2(QString::fromStdString(n.opType) != forbiddenOp, qPrintable(QString::fromStdString(net.name)));
    }
}

// ONNX's own checker and strict shape inference agree with our shapes (weights zero-filled).
void TestGenerator::onnxChecker()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const GeneratorSpec spec = specFromJson(nlohmann::json::parse(
        R"({"max_macs": 3e8, "activations": ["relu", "relu6", "leakyrelu", "sigmoid", "tanh", "elu", "hardsigmoid"],
            "full_probability": 0.9, "flatten_probability": 0.5, "batch": 2})"));
    onnx::ExportOptions zeroFill;
    zeroFill.zeroFillMissingData = true;
    for (int i = 0; i < 30; ++i) {
        const GeneratedNetwork net = generateNetwork(spec, networkSeed(11, i));
        const std::string path = dir.filePath(QString::fromStdString(net.name + ".onnx")).toStdString();
        onnx::exportOnnxFile(net.graph, path, zeroFill);
        try {
            onnx::checkOnnxFile(path);
        } catch (const Error &e) {
            QFAIL(e.what());
        }
        QFile::remove(QString::fromStdString(path));
    }
}

void TestGenerator::specJsonRoundTrip()
{
    GeneratorSpec s;
    QCOMPARE(specToJson(specFromJson(specToJson(s))), specToJson(s));
    s.inputPlanes = {32, 64};
    s.outputPlanes = {8, 16, 32};
    s.kernels = {3};
    s.dilations = {1, 2, 4};
    s.activations = {"relu6"};
    s.depthwiseProbability = 0.5;
    s.maxMacs = 2'000'000'000;
    s.batch = 8;
    const nlohmann::json j = specToJson(s);
    QCOMPARE(j["generator_version"].get<int>(), kGeneratorVersion);
    QCOMPARE(specToJson(specFromJson(nlohmann::json::parse(j.dump()))), j);
    // Missing fields keep their defaults.
    const GeneratorSpec partial = specFromJson(nlohmann::json::parse(R"({"kernels": [3, 5]})"));
    QCOMPARE(partial.kernels, (std::vector<int64_t>{3, 5}));
    QCOMPARE(partial.inputPlanes, GeneratorSpec{}.inputPlanes);
}

void TestGenerator::badSpec_data()
{
    QTest::addColumn<QString>("json");
    QTest::addColumn<QString>("field");
    QTest::addColumn<QString>("why");
    QTest::addRow("empty list") << R"({"input_planes": []})" << "input_planes" << "empty";
    QTest::addRow("negative channels") << R"({"output_channels": [32, -64]})" << "output_channels" << "-64 is outside";
    QTest::addRow("unknown layer type") << R"({"layer_types": ["conv", "attention"]})" << "layer_types"
                                        << "unknown value 'attention'";
    QTest::addRow("norm only") << R"({"layer_types": ["norm", "full"]})" << "layer_types" << "needs conv or pool";
    QTest::addRow("even kernel") << R"({"kernels": [1, 4]})" << "kernels" << "even kernel 4";
    QTest::addRow("stride 3") << R"({"strides": [1, 3]})" << "strides" << "3 is outside 1..2";
    QTest::addRow("no stride 1") << R"({"strides": [2]})" << "strides" << "must contain 1";
    QTest::addRow("duplicate") << R"({"branches": [1, 1]})" << "branches" << "appears twice";
    QTest::addRow("unknown connection") << R"({"connections": ["mul"]})" << "connections" << "unknown value 'mul'";
    QTest::addRow("probability") << R"({"depthwise_probability": 1.5})" << "depthwise_probability"
                                 << "not a probability";
    QTest::addRow("blocks") << R"({"min_blocks": 5, "max_blocks": 3})" << "max_blocks" << "below min_blocks";
    QTest::addRow("unreachable output") << R"({"output_planes": [300]})" << "output_planes" << "no output plane";
    QTest::addRow("unused output") << R"({"input_planes": [28], "output_planes": [14, 56]})" << "output_planes"
                                   << "56 is not reachable";
    QTest::addRow("unknown field") << R"({"kernel": [3]})" << "kernel" << "unknown field";
    QTest::addRow("wrong type") << R"({"kernels": "3"})" << "kernels" << "expected a list of integers";
    QTest::addRow("fraction") << R"({"batch": 2.5})" << "batch" << "expected an integer";
    QTest::addRow("string in ints") << R"({"strides": [1, "2"]})" << "strides" << "expected a list of integers";
    QTest::addRow("negative budget") << R"({"max_macs": -1})" << "max_macs" << "negative";
    QTest::addRow("budget below classifier") << R"({"max_macs": 1000})" << "max_macs" << "classifier";
    QTest::addRow("max channels") << R"({"max_channels": 100})" << "max_channels" << "below the widest";
    QTest::addRow("pool type") << R"({"pool_types": ["min"]})" << "pool_types" << "unknown value 'min'";
    QTest::addRow("activation") << R"({"activations": ["swish"]})" << "activations" << "unknown value 'swish'";
    QTest::addRow("version") << R"({"generator_version": 99})" << "generator_version" << "not a generator version";
    QTest::addRow("not an object") << R"([1, 2])" << "spec" << "JSON object";
    // The realistic style (tst_realistic).
    QTest::addRow("unknown style") << R"({"style": "nasnet"})" << "style" << "unknown style 'nasnet'";
    QTest::addRow("unknown family") << R"({"style": "realistic", "families": ["lstm"]})" << "families"
                                    << "unknown value 'lstm'";
    QTest::addRow("empty families") << R"({"style": "realistic", "families": []})" << "families" << "empty";
    QTest::addRow("realistic plane") << R"({"style": "realistic", "input_planes": [224, 100]})" << "input_planes"
                                     << "100 is not a multiple of 32";
    QTest::addRow("no MACs range") << R"({"style": "realistic", "min_macs": 1e9, "max_macs": 1.5e9})" << "max_macs"
                                   << "not at least twice";
    QTest::addRow("tiny MACs") << R"({"style": "realistic", "min_macs": 10})" << "min_macs" << "below 1,000,000";
}

void TestGenerator::badSpec()
{
    QFETCH(QString, json);
    QFETCH(QString, field);
    QFETCH(QString, why);
    try {
        specFromJson(nlohmann::json::parse(json.toStdString()));
        QFAIL("the spec was accepted");
    } catch (const Error &e) {
        QCOMPARE(QString::fromStdString(e.location()), field);
        QVERIFY2(QString::fromStdString(e.problem()).contains(why), e.what());
    }
    // The struct path (GUI forms, CLI flags) gives the same error as the JSON path.
    if (field == QLatin1String("batch")) {
        GeneratorSpec s;
        s.batch = 0;
        QVERIFY_THROWS_EXCEPTION(Error, validateSpec(s));
    }
}

QTEST_APPLESS_MAIN(TestGenerator)
#include "tst_generator.moc"
