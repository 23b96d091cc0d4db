// NNS feature extraction (SPEC §3, Ace-Sniper Table III) on small hand-built graphs.

#include <QtTest>

#include <cmath>
#include <cstring>
#include <fstream>
#include <map>
#include <set>
#include <sstream>

#include "common/error.h"
#include "features/features.h"
#include "graph/analysis.h"
#include "graph/cost.h"
#include "graph/graph.h"

using namespace sniper;
using namespace sniper::features;

namespace {

// Builds a graph value by value; shapes are given, not inferred.
class Builder {
public:
    int input(const graph::Shape &shape)
    {
        const int v = value(shape);
        m_g.inputs.push_back(v);
        return v;
    }
    int param(const graph::Shape &shape) { return constant(shape, true); }
    int constant(const graph::Shape &shape, bool parameter = false, std::shared_ptr<const graph::Bytes> data = {})
    {
        const int v = value(shape);
        graph::Value &val = m_g.values[size_t(v)];
        val.isConstant = true;
        val.isParameter = parameter;
        val.data = std::move(data);
        return v;
    }
    template <typename T>
    int scalars(const std::vector<T> &xs, graph::DType t)
    {
        auto bytes = std::make_shared<graph::Bytes>(xs.size() * sizeof(T));
        std::memcpy(bytes->data(), xs.data(), bytes->size());
        const int v = constant(xs.size() == 1 ? graph::Shape{} : graph::Shape{int64_t(xs.size())}, false, bytes);
        m_g.values[size_t(v)].dtype = t;
        return v;
    }
    int node(const char *op, std::vector<int> inputs, const graph::Shape &out, std::vector<graph::Attribute> attrs = {})
    {
        graph::Node n;
        n.name = std::string(op) + "_" + std::to_string(m_g.nodes.size());
        n.opType = op;
        n.kind = graph::opKindFromName(op);
        n.inputs = std::move(inputs);
        n.outputs = {value(out)};
        n.attributes = std::move(attrs);
        m_g.nodes.push_back(std::move(n));
        return m_g.nodes.back().outputs[0];
    }
    // Conv with "same" padding: weight [cout, cin/group, kh, kw] and a bias.
    int conv(int x, int64_t cout, int64_t kh, int64_t kw, int64_t group = 1, int64_t dilation = 1, int64_t stride = 1)
    {
        const graph::Shape s = m_g.values[size_t(x)].shape; // a copy: param() grows values
        const int64_t cin = s[1];
        const int w = param({cout, cin / group, kh, kw});
        const int b = param({cout});
        const graph::Shape out{s[0], cout, (s[2] - 1) / stride + 1, (s[3] - 1) / stride + 1};
        return node("Conv", {x, w, b}, out,
                    {ints("kernel_shape", {kh, kw}), ints("dilations", {dilation, dilation}), integer("group", group),
                     ints("strides", {stride, stride})});
    }
    graph::Graph finish(int output)
    {
        m_g.outputs = {output};
        m_g.finalize();
        return std::move(m_g);
    }

    static graph::Attribute attr(const char *n, graph::Attribute::Kind k)
    {
        graph::Attribute a;
        a.name = n;
        a.kind = k;
        return a;
    }
    static graph::Attribute integer(const char *n, int64_t i) { auto a = attr(n, graph::Attribute::Kind::Int); a.i = i; return a; }
    static graph::Attribute real(const char *n, double f) { auto a = attr(n, graph::Attribute::Kind::Float); a.f = f; return a; }
    static graph::Attribute ints(const char *n, std::vector<int64_t> v)
    {
        auto a = attr(n, graph::Attribute::Kind::Ints);
        a.ints = std::move(v);
        return a;
    }

private:
    int value(const graph::Shape &shape)
    {
        graph::Value v;
        v.name = "v" + std::to_string(m_g.values.size());
        v.shape = shape;
        return m_g.addValue(std::move(v));
    }
    graph::Graph m_g;
};

Features extract(const graph::Graph &g, const FeatureOptions &opt = {})
{
    return extractFeatures(g, graph::computeCosts(g), opt);
}

const char *const kConvBuckets[] = {"n_conv1x1", "n_conv3x3", "n_conv5x5", "n_conv7x7", "n_conv_other",
                                    "n_conv_depthwise", "n_conv_grouped", "n_conv_atrous3x3"};

// stem 3x3 -> relu -> {1x1, 3x3} -> Add -> GlobalAveragePool -> Flatten -> Gemm
graph::Graph twoBranchBlock()
{
    Builder b;
    const int x = b.input({1, 16, 56, 56});
    const int stem = b.node("Relu", {b.conv(x, 32, 3, 3)}, {1, 32, 56, 56});
    const int a = b.conv(stem, 64, 1, 1);
    const int c = b.conv(stem, 64, 3, 3);
    const int sum = b.node("Add", {a, c}, {1, 64, 56, 56});
    const int gap = b.node("GlobalAveragePool", {sum}, {1, 64, 1, 1});
    const int flat = b.node("Flatten", {gap}, {1, 64}, {Builder::integer("axis", 1)});
    const int fc = b.node("Gemm", {flat, b.param({10, 64}), b.param({10})}, {1, 10}, {Builder::integer("transB", 1)});
    return b.finish(fc);
}

} // namespace

class TestFeatures : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void table();
    void tableMatchesDocs();
    void twoBranchBlock_data();
    void twoBranchBlock();
    void convKinds_data();
    void convKinds();
    void fcVersusAttention();
    void layerKinds_data();
    void layerKinds();
    void dataFlowBuckets_data();
    void dataFlowBuckets();
    void structureChecker_data();
    void structureChecker();
    void emptyGraphIsFinite();
    void badInput();
};

void TestFeatures::table()
{
    const auto &t = featureTable();
    QVERIFY(t.size() >= 85);
    std::set<std::string> names;
    for (size_t i = 0; i < t.size(); ++i) {
        const std::string name = t[i].name;
        QVERIFY2(names.insert(name).second, name.c_str());
        for (char ch : name)
            QVERIFY2((ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9') || ch == '_', name.c_str());
        QVERIFY(std::strlen(t[i].definition) > 5);
        QVERIFY(std::strlen(t[i].paper) > 5);
        QVERIFY(!std::strchr(t[i].definition, '|')); // the docs table would break
        QCOMPARE(featureIndex(name), int(i));
    }
    QCOMPARE(featureIndex("no_such_feature"), -1);
    // Every layer-kind count has its share right after it.
    for (size_t i = 0; i < t.size(); ++i)
        if (std::strncmp(t[i].name, "n_", 2) == 0 && t[i].dimension == Dimension::LayerProportions)
            QCOMPARE(featureIndex(std::string("r_") + (t[i].name + 2)), int(i + 1));
}

// docs/features.md has one row "| `name` | dimension | definition | paper |" per feature.
void TestFeatures::tableMatchesDocs()
{
    std::ifstream in(SNIPER_SOURCE_DIR "/docs/features.md");
    QVERIFY2(in.is_open(), "cannot open " SNIPER_SOURCE_DIR "/docs/features.md");
    std::map<std::string, std::string> documented; // name -> dimension
    std::string line;
    while (std::getline(in, line)) {
        if (line.rfind("| `", 0) != 0)
            continue;
        std::vector<std::string> cells;
        std::stringstream ss(line.substr(1));
        for (std::string cell; std::getline(ss, cell, '|');) {
            const size_t b = cell.find_first_not_of(" `"), e = cell.find_last_not_of(" `");
            cells.push_back(b == std::string::npos ? std::string() : cell.substr(b, e - b + 1));
        }
        QVERIFY2(cells.size() >= 4, line.c_str());
        QVERIFY2(documented.emplace(cells[0], cells[1]).second, ("documented twice: " + cells[0]).c_str());
    }
    for (const FeatureDef &d : featureTable()) {
        const auto it = documented.find(d.name);
        QVERIFY2(it != documented.end(), (std::string("not in docs/features.md: ") + d.name).c_str());
        QCOMPARE(it->second, std::string(dimensionName(d.dimension)));
    }
    for (const auto &[name, dim] : documented)
        QVERIFY2(featureIndex(name) >= 0, ("docs/features.md names an unknown feature: " + name).c_str());
}

void TestFeatures::twoBranchBlock_data()
{
    QTest::addColumn<QByteArray>("name");
    QTest::addColumn<double>("expected");
    const auto row = [](const char *name, double v) { QTest::newRow(name) << QByteArray(name) << v; };
    // MACs: stem 56*56*32 * 16*9, 1x1 56*56*64 * 32, 3x3 56*56*64 * 32*9, Gemm 10*64.
    const double stem = 14'450'688, c1 = 6'422'528, c3 = 57'802'752, fc = 640;
    const double pStem = 4640, p1 = 2112, p3 = 18496, pFc = 650;
    row("num_layers", 7.0); // Flatten is not a layer
    row("max_branches", 2.0);
    row("max_out_degree", 2.0);
    row("critical_path_layers", 6.0);
    row("critical_path_layer_ratio", 6.0 / 7);
    row("total_macs", stem + c1 + c3 + fc);
    row("critical_path_macs", stem + c3 + fc);
    row("critical_path_mac_ratio", (stem + c3 + fc) / (stem + c1 + c3 + fc));
    row("mean_macs_per_layer", (stem + c1 + c3 + fc) / 7);
    row("conv_macs", stem + c1 + c3);
    row("fc_macs", fc);
    row("total_params", pStem + p1 + p3 + pFc);
    row("critical_path_params", pStem + p3 + pFc);
    row("critical_path_param_ratio", (pStem + p3 + pFc) / (pStem + p1 + p3 + pFc));
    row("conv_params", pStem + p1 + p3);
    row("fc_params", pFc);
    row("n_conv3x3", 2.0);
    row("r_conv3x3", 2.0 / 7);
    row("n_conv1x1", 1.0);
    row("n_relu", 1.0);
    row("n_add", 1.0);
    row("n_globalpool", 1.0);
    row("n_fc", 1.0);
    row("r_fc", 1.0 / 7);
    row("n_attention_matmul", 0.0);
    row("n_conv_depthwise", 0.0);
    // stem, relu, both branches and Add at 56x56; the pooled 1x1 map falls in bucket 7; Gemm is 2-D.
    row("n_plane_56", 5.0);
    row("n_plane_7", 1.0);
    row("n_plane_224", 0.0);
    row("n_ch_32", 2.0);
    row("n_ch_64", 4.0);
    row("structure_class", 0.0);
    row("num_operator_types", 6.0);
}

void TestFeatures::twoBranchBlock()
{
    QFETCH(QByteArray, name);
    QFETCH(double, expected);
    const graph::Graph g = ::twoBranchBlock();
    const Features f = extract(g);
    QCOMPARE(f.values.size(), featureTable().size());
    QCOMPARE(f.value(name.toStdString()), expected);

    const graph::GraphCost cost = graph::computeCosts(g);
    QCOMPARE(f.value("total_flops"), double(cost.flops));
    QCOMPARE(f.value("memory_access_cost"), double(cost.memoryAccess));
    const std::vector<std::string> ops{"Add", "Conv", "Flatten", "Gemm", "GlobalAveragePool", "Relu"};
    QCOMPARE(f.requiredOperators, ops);
    // The overload that reuses a caller's layer DAG and critical path gives the same vector.
    const graph::LayerDag dag = graph::buildLayerDag(g);
    const Features reused = extractFeatures(g, cost, dag, graph::criticalPath(g, cost, dag));
    QCOMPARE(reused.values, f.values);
}

void TestFeatures::convKinds_data()
{
    QTest::addColumn<int>("cin");
    QTest::addColumn<int>("cout");
    QTest::addColumn<int>("kh");
    QTest::addColumn<int>("kw");
    QTest::addColumn<int>("group");
    QTest::addColumn<int>("dilation");
    QTest::addColumn<QByteArray>("bucket");
    QTest::addColumn<double>("macs"); // on a 14x14 output
    QTest::addRow("1x1") << 32 << 64 << 1 << 1 << 1 << 1 << QByteArray("n_conv1x1") << 196.0 * 64 * 32;
    QTest::addRow("3x3") << 32 << 64 << 3 << 3 << 1 << 1 << QByteArray("n_conv3x3") << 196.0 * 64 * 32 * 9;
    QTest::addRow("5x5") << 32 << 64 << 5 << 5 << 1 << 1 << QByteArray("n_conv5x5") << 196.0 * 64 * 32 * 25;
    QTest::addRow("7x7") << 3 << 64 << 7 << 7 << 1 << 1 << QByteArray("n_conv7x7") << 196.0 * 64 * 3 * 49;
    QTest::addRow("1x7 is other") << 32 << 32 << 1 << 7 << 1 << 1 << QByteArray("n_conv_other") << 196.0 * 32 * 32 * 7;
    QTest::addRow("9x9 is other") << 32 << 32 << 9 << 9 << 1 << 1 << QByteArray("n_conv_other") << 196.0 * 32 * 32 * 81;
    // Depthwise and grouped convs leave the kernel buckets: each conv is in exactly one bucket.
    QTest::addRow("depthwise 3x3") << 32 << 32 << 3 << 3 << 32 << 1 << QByteArray("n_conv_depthwise") << 196.0 * 32 * 9;
    QTest::addRow("depthwise 5x5 x2") << 32 << 64 << 5 << 5 << 32 << 1 << QByteArray("n_conv_depthwise") << 196.0 * 64 * 25;
    QTest::addRow("depthwise dilated") << 32 << 32 << 3 << 3 << 32 << 2 << QByteArray("n_conv_depthwise") << 196.0 * 32 * 9;
    QTest::addRow("grouped 3x3") << 32 << 64 << 3 << 3 << 4 << 1 << QByteArray("n_conv_grouped") << 196.0 * 64 * 8 * 9;
    QTest::addRow("atrous 3x3") << 32 << 64 << 3 << 3 << 1 << 2 << QByteArray("n_conv_atrous3x3") << 196.0 * 64 * 32 * 9;
    QTest::addRow("dilated 5x5 is other") << 32 << 64 << 5 << 5 << 1 << 2 << QByteArray("n_conv_other") << 196.0 * 64 * 32 * 25;
    QTest::addRow("dilated 1x1 is 1x1") << 32 << 64 << 1 << 1 << 1 << 2 << QByteArray("n_conv1x1") << 196.0 * 64 * 32;
}

void TestFeatures::convKinds()
{
    QFETCH(int, cin);
    QFETCH(int, cout);
    QFETCH(int, kh);
    QFETCH(int, kw);
    QFETCH(int, group);
    QFETCH(int, dilation);
    QFETCH(QByteArray, bucket);
    QFETCH(double, macs);
    Builder b;
    const int y = b.conv(b.input({1, cin, 14, 14}), cout, kh, kw, group, dilation);
    const Features f = extract(b.finish(y));
    for (const char *name : kConvBuckets)
        QCOMPARE(f.value(name), bucket == name ? 1.0 : 0.0);
    QCOMPARE(f.value("r_" + bucket.mid(2).toStdString()), 1.0);
    QCOMPARE(f.value("conv_macs"), macs);
    QCOMPARE(f.value("total_macs"), macs);
    QCOMPARE(f.value("conv_params"), f.value("total_params"));
    QCOMPARE(f.value("n_plane_14"), 1.0);
}

// Linear layers (MatMul with a constant weight, directly or through Transpose) are FC;
// a MatMul of two activations is attention (ViT's Q.K^T and A.V).
void TestFeatures::fcVersusAttention()
{
    Builder b;
    const int x = b.input({1, 4, 8});
    const int q = b.node("MatMul", {x, b.param({8, 8})}, {1, 4, 8});
    const int wT = b.node("Transpose", {b.param({8, 8})}, {8, 8}, {Builder::ints("perm", {1, 0})});
    const int k = b.node("MatMul", {x, wT}, {1, 4, 8});
    const int kT = b.node("Transpose", {k}, {1, 8, 4}, {Builder::ints("perm", {0, 2, 1})});
    const int scores = b.node("MatMul", {q, kT}, {1, 4, 4});
    const int attn = b.node("Softmax", {scores}, {1, 4, 4}, {Builder::integer("axis", -1)});
    const int ctx = b.node("MatMul", {attn, q}, {1, 4, 8});
    const int out = b.node("Gemm", {b.node("Flatten", {ctx}, {1, 32}), b.param({32, 10})}, {1, 10});
    const Features f = extract(b.finish(out));
    QCOMPARE(f.value("n_fc"), 3.0);
    QCOMPARE(f.value("n_attention_matmul"), 2.0);
    QCOMPARE(f.value("n_softmax"), 1.0);
    QCOMPARE(f.value("fc_macs"), 2.0 * 4 * 8 * 8 + 32 * 10);
    QCOMPARE(f.value("total_params"), 2.0 * 64 + 320);
    QCOMPARE(f.value("total_macs"), 2.0 * 4 * 8 * 8 + 4 * 4 * 8 + 4 * 8 * 4 + 32 * 10);
    QCOMPARE(f.value("conv_macs"), 0.0);
    // Six 3-D [N, T, C] outputs: plane sqrt(4) = 2 (or sqrt(8) for K^T) -> bucket 7, channels 4 or 8 -> 3.
    QCOMPARE(f.value("n_plane_7"), 6.0);
    QCOMPARE(f.value("n_ch_3"), 6.0);
    QCOMPARE(f.value("num_layers"), 8.0);
}

// One layer on a [1, 32, 28, 28] input; exactly one layer-kind count is 1 (or none is).
void TestFeatures::layerKinds_data()
{
    QTest::addColumn<QByteArray>("op");
    QTest::addColumn<int>("variant"); // what the node gets beside its input, see layerKinds()
    QTest::addColumn<QByteArray>("feature");
    const auto row = [](const char *tag, const char *op, int variant, const char *feature) {
        QTest::newRow(tag) << QByteArray(op) << variant << QByteArray(feature);
    };
    row("GlobalAveragePool", "GlobalAveragePool", 0, "n_globalpool");
    row("GlobalMaxPool", "GlobalMaxPool", 0, "n_globalpool");
    row("ReduceMean 2,3", "ReduceMean", 5, "n_globalpool");
    row("ReduceMean -1,-2", "ReduceMean", 6, "n_globalpool");
    row("ReduceMax 3,2 as input (opset 18)", "ReduceMax", 7, "n_globalpool");
    row("ReduceMean channels", "ReduceMean", 8, "");
    row("ReduceMean H only", "ReduceMean", 9, "");
    row("ReduceSum 2,3", "ReduceSum", 5, "");
    row("AveragePool", "AveragePool", 0, "n_avgpool");
    row("MaxPool", "MaxPool", 0, "n_maxpool");
    row("BatchNormalization", "BatchNormalization", 0, "n_norm");
    row("LayerNormalization", "LayerNormalization", 0, "n_norm");
    row("Concat", "Concat", 0, "n_concat");
    row("Sum", "Sum", 0, "n_add");
    row("Mul", "Mul", 0, "n_mul");
    row("Sub", "Sub", 0, "");
    row("Relu", "Relu", 0, "n_relu");
    row("Sigmoid", "Sigmoid", 0, "n_sigmoid");
    row("HardSigmoid", "HardSigmoid", 0, "n_hardsigmoid");
    row("HardSwish", "HardSwish", 0, "n_hardswish");
    row("Tanh", "Tanh", 0, "n_tanh");
    row("Clip 0,6", "Clip", 1, "n_clip_relu6");
    row("Clip 0,1", "Clip", 2, "n_other_activation");
    row("Clip structure-only", "Clip", 3, "n_clip_relu6");
    row("Clip opset 6 attributes", "Clip", 4, "n_clip_relu6");
    row("Clip unbounded", "Clip", 0, "n_other_activation");
    row("Erf", "Erf", 0, "n_gelu_erf");
    row("Gelu", "Gelu", 0, "n_gelu_erf");
    row("Softmax", "Softmax", 0, "n_softmax");
    row("LogSoftmax", "LogSoftmax", 0, "n_softmax");
    row("LeakyRelu", "LeakyRelu", 0, "n_other_activation");
    row("Mish", "Mish", 0, "n_other_activation");
    row("Transpose", "Transpose", 0, "");
}

void TestFeatures::layerKinds()
{
    QFETCH(QByteArray, op);
    QFETCH(int, variant);
    QFETCH(QByteArray, feature);
    Builder b;
    std::vector<int> inputs{b.input({1, 32, 28, 28})};
    std::vector<graph::Attribute> attrs;
    const std::vector<std::vector<int64_t>> axes{{2, 3}, {-1, -2}, {3, 2}, {1}, {2}};
    switch (variant) {
    case 1: // Clip bounds as inputs (opset 11+)
    case 2:
        inputs.push_back(b.scalars(std::vector<float>{0.0f}, graph::DType::Float));
        inputs.push_back(b.scalars(std::vector<float>{variant == 1 ? 6.0f : 1.0f}, graph::DType::Float));
        break;
    case 3: // bounds whose data a structure-only file dropped
        inputs.push_back(b.constant({}));
        inputs.push_back(b.constant({}));
        break;
    case 4: attrs = {Builder::real("min", 0.0), Builder::real("max", 6.0)}; break;
    case 7: inputs.push_back(b.scalars(axes[2], graph::DType::Int64)); break;
    case 5: case 6: case 8: case 9: attrs = {Builder::ints("axes", axes[size_t(variant == 5 ? 0 : variant - 5)])}; break;
    default: break;
    }
    const Features f = extract(b.finish(b.node(op.constData(), inputs, {1, 32, 28, 28}, attrs)));
    QCOMPARE(f.value("num_layers"), 1.0);
    for (const FeatureDef &d : featureTable()) {
        if (d.dimension != Dimension::LayerProportions)
            continue;
        const std::string name = d.name;
        const std::string count = "n_" + name.substr(2);
        QCOMPARE(f.value(name), count == feature.toStdString() ? 1.0 : 0.0);
    }
}

void TestFeatures::dataFlowBuckets_data()
{
    QTest::addColumn<QList<qint64>>("shape");
    QTest::addColumn<QByteArray>("plane"); // empty: not a feature map
    QTest::addColumn<QByteArray>("channels");
    QTest::addRow("224 x 3") << QList<qint64>{1, 3, 224, 224} << QByteArray("n_plane_224") << QByteArray("n_ch_3");
    QTest::addRow("112 x 64") << QList<qint64>{1, 64, 112, 112} << QByteArray("n_plane_112") << QByteArray("n_ch_64");
    QTest::addRow("plane 9 -> 7") << QList<qint64>{1, 9, 9, 9} << QByteArray("n_plane_7") << QByteArray("n_ch_3");
    QTest::addRow("plane 10 -> 14") << QList<qint64>{1, 10, 10, 10} << QByteArray("n_plane_14") << QByteArray("n_ch_32");
    QTest::addRow("plane 19/20") << QList<qint64>{1, 45, 19, 20} << QByteArray("n_plane_14") << QByteArray("n_ch_32");
    QTest::addRow("plane 20, ch 46") << QList<qint64>{1, 46, 20, 20} << QByteArray("n_plane_28") << QByteArray("n_ch_64");
    QTest::addRow("plane 158, ch 724") << QList<qint64>{1, 724, 158, 158} << QByteArray("n_plane_112") << QByteArray("n_ch_512");
    QTest::addRow("plane 159, ch 725") << QList<qint64>{1, 725, 159, 159} << QByteArray("n_plane_224") << QByteArray("n_ch_1024");
    QTest::addRow("plane 299, ch 2048") << QList<qint64>{1, 2048, 299, 299} << QByteArray("n_plane_224") << QByteArray("n_ch_1024");
    QTest::addRow("ViT tokens 197 x 768") << QList<qint64>{1, 197, 768} << QByteArray("n_plane_14") << QByteArray("n_ch_1024");
    QTest::addRow("tokens 50 x 256") << QList<qint64>{1, 50, 256} << QByteArray("n_plane_7") << QByteArray("n_ch_256");
    QTest::addRow("2-D vector") << QList<qint64>{1, 1000} << QByteArray() << QByteArray();
}

void TestFeatures::dataFlowBuckets()
{
    QFETCH(QList<qint64>, shape);
    QFETCH(QByteArray, plane);
    QFETCH(QByteArray, channels);
    Builder b;
    const graph::Shape s(shape.begin(), shape.end());
    const Features f = extract(b.finish(b.node("Relu", {b.input(s)}, s)));
    double planes = 0, chans = 0;
    for (const FeatureDef &d : featureTable()) {
        const std::string name = d.name;
        if (name.rfind("n_plane_", 0) == 0) {
            QCOMPARE(f.value(name), name == plane.toStdString() ? 1.0 : 0.0);
            planes += f.value(name);
        } else if (name.rfind("n_ch_", 0) == 0) {
            QCOMPARE(f.value(name), name == channels.toStdString() ? 1.0 : 0.0);
            chans += f.value(name);
        }
    }
    QCOMPARE(planes, plane.isEmpty() ? 0.0 : 1.0);
    QCOMPARE(chans, channels.isEmpty() ? 0.0 : 1.0);
}

void TestFeatures::structureChecker_data()
{
    QTest::addColumn<qint64>("macs");
    QTest::addColumn<qint64>("small");
    QTest::addColumn<qint64>("large");
    QTest::addColumn<int>("expected");
    const FeatureOptions d;
    QTest::addRow("shufflenet 0.145 G") << qint64(145'000'000) << qint64(d.smallMacs) << qint64(d.largeMacs) << 0;
    QTest::addRow("mobilenet_v2 0.301 G") << qint64(300'774'272) << qint64(d.smallMacs) << qint64(d.largeMacs) << 0;
    QTest::addRow("at small threshold") << qint64(d.smallMacs) << qint64(d.smallMacs) << qint64(d.largeMacs) << 1;
    QTest::addRow("resnet50 4.09 G") << qint64(4'089'184'256) << qint64(d.smallMacs) << qint64(d.largeMacs) << 1;
    QTest::addRow("vgg16 15.5 G") << qint64(15'470'264'320) << qint64(d.smallMacs) << qint64(d.largeMacs) << 2;
    QTest::addRow("custom: 1 G small") << qint64(999'999'999) << qint64(1'000'000'000) << qint64(2'000'000'000) << 0;
    QTest::addRow("custom: large") << qint64(2'000'000'000) << qint64(1'000'000'000) << qint64(2'000'000'000) << 2;
}

void TestFeatures::structureChecker()
{
    QFETCH(qint64, macs);
    QFETCH(qint64, small);
    QFETCH(qint64, large);
    QFETCH(int, expected);
    FeatureOptions opt;
    opt.smallMacs = small;
    opt.largeMacs = large;
    QCOMPARE(structureClass(macs, opt), expected);
    // Through extractFeatures: the two-branch block has 78.7 M MACs.
    opt.smallMacs = 0;
    opt.largeMacs = 78'676'609;
    const Features f = extract(::twoBranchBlock(), opt);
    QCOMPARE(f.structureClass, 1);
    QCOMPARE(f.value("structure_class"), 1.0);
}

void TestFeatures::emptyGraphIsFinite()
{
    for (const graph::Graph &g : {graph::Graph{}, ::twoBranchBlock()}) {
        const Features f = extract(g);
        QCOMPARE(f.values.size(), featureTable().size());
        for (size_t i = 0; i < f.values.size(); ++i)
            QVERIFY2(std::isfinite(f.values[i]), featureTable()[i].name);
    }
    const Features empty = extract(graph::Graph{});
    QCOMPARE(empty.value("num_layers"), 0.0);
    QCOMPARE(empty.value("critical_path_mac_ratio"), 0.0);
    QVERIFY(empty.requiredOperators.empty());
}

void TestFeatures::badInput()
{
    const graph::Graph g = ::twoBranchBlock();
    try {
        extractFeatures(g, graph::GraphCost{});
        QFAIL("mismatched cost accepted");
    } catch (const Error &e) {
        QVERIFY2(std::string(e.what()).find("cost table has 0 nodes") != std::string::npos, e.what());
    }
    FeatureOptions opt;
    opt.smallMacs = 10;
    opt.largeMacs = 5;
    try {
        extract(g, opt);
        QFAIL("inconsistent thresholds accepted");
    } catch (const Error &e) {
        QVERIFY2(std::string(e.what()).find("thresholds") != std::string::npos, e.what());
    }
    try {
        Builder small;
        const graph::Graph other = small.finish(small.node("Relu", {small.input({1, 8})}, {1, 8}));
        const graph::LayerDag dag = graph::buildLayerDag(g); // 7 layers, but `other` has 1 node
        extractFeatures(other, graph::computeCosts(other), dag, graph::CriticalPath{});
        QFAIL("layer DAG of another graph accepted");
    } catch (const Error &e) {
        QVERIFY2(std::string(e.what()).find("layer DAG does not belong") != std::string::npos, e.what());
    }
    const Features f = extract(g);
    try {
        f.value("n_conv4x4");
        QFAIL("unknown feature accepted");
    } catch (const Error &e) {
        QVERIFY2(std::string(e.what()).find("unknown feature 'n_conv4x4'") != std::string::npos, e.what());
    }
    try {
        Features{}.value("total_macs");
        QFAIL("empty feature vector read");
    } catch (const Error &e) {
        QVERIFY2(std::string(e.what()).find("no features") != std::string::npos, e.what());
    }
}

QTEST_APPLESS_MAIN(TestFeatures)
#include "tst_features.moc"
