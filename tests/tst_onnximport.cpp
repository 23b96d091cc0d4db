// ONNX import: shape folding, symbolic dims, external data, export, and every kind of bad input
// (SPEC §14). Runs under ASan+UBSan too (label "importer").

#include "common/error.h"
#include "graph/cost.h"
#include "onnx/onnxexport.h"
#include "onnx/onnximport.h"

#include <onnx/onnx_pb.h>

#include <QTemporaryDir>
#include <QtTest>

#include <filesystem>
#include <fstream>
#include <random>

using namespace sniper;
using namespace sniper::graph;

namespace {

::onnx::ValueInfoProto *addInput(::onnx::GraphProto *g, const std::string &name, std::vector<std::string> dims)
{
    auto *in = g->add_input();
    in->set_name(name);
    auto *tt = in->mutable_type()->mutable_tensor_type();
    tt->set_elem_type(::onnx::TensorProto::FLOAT);
    for (const auto &d : dims) {
        auto *dim = tt->mutable_shape()->add_dim();
        if (!d.empty() && (std::isdigit(static_cast<unsigned char>(d[0])) || d[0] == '-'))
            dim->set_dim_value(std::stoll(d));
        else
            dim->set_dim_param(d);
    }
    return in;
}

::onnx::TensorProto *addWeight(::onnx::GraphProto *g, const std::string &name, std::vector<int64_t> dims, bool withData = true)
{
    auto *t = g->add_initializer();
    t->set_name(name);
    t->set_data_type(::onnx::TensorProto::FLOAT);
    int64_t n = 1;
    for (int64_t d : dims) {
        t->add_dims(d);
        n *= d;
    }
    if (withData)
        for (int64_t i = 0; i < n; ++i)
            t->add_float_data(float(i % 7) * 0.1f);
    return t;
}

::onnx::NodeProto *addNode(::onnx::GraphProto *g, const std::string &op, std::vector<std::string> in,
                           std::vector<std::string> out, const std::string &name = {})
{
    auto *n = g->add_node();
    n->set_op_type(op);
    n->set_name(name.empty() ? op + std::to_string(g->node_size()) : name);
    for (auto &s : in)
        n->add_input(s);
    for (auto &s : out)
        n->add_output(s);
    return n;
}

void addInts(::onnx::NodeProto *n, const std::string &name, std::vector<int64_t> v)
{
    auto *a = n->add_attribute();
    a->set_name(name);
    a->set_type(::onnx::AttributeProto::INTS);
    for (int64_t x : v)
        a->add_ints(x);
}

// input [N,3,8,8] -> Conv(4, 3x3, pad 1) -> Relu -> output; optionally with symbolic dims.
::onnx::ModelProto convModel(std::vector<std::string> inputDims = {"1", "3", "8", "8"}, int64_t opset = 13)
{
    ::onnx::ModelProto m;
    m.set_ir_version(7);
    m.add_opset_import()->set_version(opset);
    auto *g = m.mutable_graph();
    g->set_name("conv");
    addInput(g, "x", inputDims);
    addWeight(g, "w", {4, 3, 3, 3});
    auto *conv = addNode(g, "Conv", {"x", "w"}, {"c"}, "conv0");
    addInts(conv, "kernel_shape", {3, 3});
    addInts(conv, "pads", {1, 1, 1, 1});
    addNode(g, "Relu", {"c"}, {"y"}, "relu0");
    g->add_output()->set_name("y");
    return m;
}

std::string serialize(const ::onnx::ModelProto &m)
{
    std::string s;
    m.SerializeToString(&s);
    return s;
}

Graph importBytes(const std::string &bytes, const sniper::onnx::ImportOptions &o = {}, const std::string &dir = {})
{
    return sniper::onnx::importOnnxBuffer(bytes.data(), bytes.size(), o, "test.onnx", dir);
}

// convModel() with its weight tensor 'w' stored as external data at `location`.
::onnx::ModelProto externalWeights(const std::string &location)
{
    auto m = convModel();
    auto *w = m.mutable_graph()->mutable_initializer(0);
    w->clear_float_data();
    w->set_data_location(::onnx::TensorProto::EXTERNAL);
    auto *loc = w->add_external_data();
    loc->set_key("location");
    loc->set_value(location);
    return m;
}

#define EXPECT_ERROR(expr, ...)                                                                     \
    do {                                                                                            \
        try {                                                                                       \
            expr;                                                                                   \
            QFAIL("no error for: " #expr);                                                          \
        } catch (const sniper::Error &e) {                                                          \
            for (const char *needle : {__VA_ARGS__})                                                \
                QVERIFY2(std::string(e.what()).find(needle) != std::string::npos,                   \
                         qPrintable(QStringLiteral("'%1' lacks '%2'").arg(QString::fromStdString(e.what()), \
                                                                           QString::fromLatin1(needle)))); \
        }                                                                                           \
    } while (0)

} // namespace

class TestOnnxImport : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void importsSmallModel();
    void symbolicDims();
    void shapeSubgraphIsFolded();
    void structureOnlyInitializers();
    void deduplicatedInitializersCountPerUse();
    void externalData();
    void exportRoundTripPassesChecker();
    void parseShapeText();
    // bad input
    void emptyFile();
    void truncatedFile();
    void randomBytes();
    void cycle();
    void unknownOperator();
    void negativeDims();
    void absurdDims();
    void symbolicDimWithoutValue();
    void externalDataOutsideFolder_data();
    void externalDataOutsideFolder();
    void externalDataBadRange_data();
    void externalDataBadRange();
    void externalDataSymlinkEscapes();
    void inlinePayloadDisagreesWithDims();
    void channelMismatchNamesNode();
    void undefinedValue();
    void unsupportedOpset();
    void missingFile();
};

void TestOnnxImport::importsSmallModel()
{
    Graph g = importBytes(serialize(convModel()));
    QCOMPARE(g.nodes.size(), size_t(2));
    QCOMPARE(g.values[g.outputs[0]].shape, (Shape{1, 4, 8, 8}));
    GraphCost c = computeCosts(g);
    QCOMPARE(c.macs, int64_t(4 * 8 * 8 * 27));
    QCOMPARE(c.params, int64_t(4 * 27));
}

void TestOnnxImport::symbolicDims()
{
    auto bytes = serialize(convModel({"batch", "3", "height", "width"}));
    sniper::onnx::ImportOptions o;
    o.dimValues = {{"height", 16}, {"width", 12}};
    Graph g = importBytes(bytes, o);
    QCOMPARE(g.values[g.outputs[0]].shape, (Shape{1, 4, 16, 12})); // batch defaults to 1
    sniper::onnx::ImportOptions s;
    s.inputShapes[""] = {2, 3, 10, 10};
    Graph g2 = importBytes(bytes, s);
    QCOMPARE(g2.values[g2.outputs[0]].shape, (Shape{2, 4, 10, 10}));
}

void TestOnnxImport::shapeSubgraphIsFolded()
{
    // x[1,4,6,6] -> Shape -> Gather(0) -> Unsqueeze -> Concat(-1) -> Reshape: the exporter pattern.
    ::onnx::ModelProto m;
    m.set_ir_version(7);
    m.add_opset_import()->set_version(13);
    auto *g = m.mutable_graph();
    addInput(g, "x", {"1", "4", "6", "6"});
    addNode(g, "Shape", {"x"}, {"s"});
    auto *idx = g->add_initializer();
    idx->set_name("zero");
    idx->set_data_type(::onnx::TensorProto::INT64);
    idx->add_int64_data(0);
    addNode(g, "Gather", {"s", "zero"}, {"n"});
    auto *axes = g->add_initializer();
    axes->set_name("axes");
    axes->set_data_type(::onnx::TensorProto::INT64);
    axes->add_dims(1);
    axes->add_int64_data(0);
    addNode(g, "Unsqueeze", {"n", "axes"}, {"n1"});
    auto *minus = g->add_initializer();
    minus->set_name("minus");
    minus->set_data_type(::onnx::TensorProto::INT64);
    minus->add_dims(1);
    minus->add_int64_data(-1);
    auto *cat = addNode(g, "Concat", {"n1", "minus"}, {"shape"});
    auto *axis = cat->add_attribute();
    axis->set_name("axis");
    axis->set_type(::onnx::AttributeProto::INT);
    axis->set_i(0);
    addNode(g, "Reshape", {"x", "shape"}, {"r"});
    addNode(g, "Relu", {"r"}, {"y"});
    g->add_output()->set_name("y");
    Graph ir;
    try {
        ir = importBytes(serialize(m));
    } catch (const Error &e) {
        QFAIL(e.what());
    }
    QCOMPARE(ir.nodes.size(), size_t(2)); // Reshape + Relu; the shape chain is folded away
    QCOMPARE(ir.values[ir.outputs[0]].shape, (Shape{1, 144}));
}

void TestOnnxImport::structureOnlyInitializers()
{
    auto m = convModel();
    m.mutable_graph()->mutable_initializer(0)->clear_float_data();
    Graph g = importBytes(serialize(m));
    int w = g.findValue("w");
    QVERIFY(w >= 0);
    QVERIFY(!g.values[w].hasData());
    QCOMPARE(computeCosts(g).params, int64_t(4 * 27));
}

// torch.onnx merges equal-valued tensors (BatchNorm ones/zeros) and re-creates each use with an
// Identity: each use is still its own PyTorch parameter, and running stats are buffers.
void TestOnnxImport::deduplicatedInitializersCountPerUse()
{
    auto m = convModel();
    auto *g = m.mutable_graph();
    g->mutable_node(1)->set_input(0, "b2"); // relu reads the second BN
    addWeight(g, "ones", {4});
    addWeight(g, "zeros", {4});
    for (const char *alias : {"var1", "scale2", "var2"})
        addNode(g, "Identity", {"ones"}, {alias});
    for (const char *alias : {"mean1", "bias2", "mean2"})
        addNode(g, "Identity", {"zeros"}, {alias});
    addNode(g, "BatchNormalization", {"c", "ones", "zeros", "mean1", "var1"}, {"b1"}, "bn1");
    addNode(g, "BatchNormalization", {"b1", "scale2", "bias2", "mean2", "var2"}, {"b2"}, "bn2");
    Graph ir = importBytes(serialize(m));
    QCOMPARE(ir.nodes.size(), size_t(4)); // conv, bn1, bn2, relu: the Identities are folded
    QCOMPARE(computeCosts(ir).params, int64_t(4 * 27 + 4 * 4));
}

void TestOnnxImport::externalData()
{
    QTemporaryDir dir;
    auto m = externalWeights("weights.bin");
    std::vector<float> values(4 * 27);
    for (size_t i = 0; i < values.size(); ++i)
        values[i] = float(i);
    // Missing file: the structure imports, the weights stay empty.
    Graph missing = importBytes(serialize(m), {}, dir.path().toStdString());
    QVERIFY(!missing.values[missing.findValue("w")].hasData());
    // Present file: the weights are read.
    std::ofstream(dir.filePath(QStringLiteral("weights.bin")).toStdString(), std::ios::binary)
        .write(reinterpret_cast<const char *>(values.data()), std::streamsize(values.size() * 4));
    Graph present = importBytes(serialize(m), {}, dir.path().toStdString());
    const Value &v = present.values[present.findValue("w")];
    QVERIFY(v.hasData());
    float last;
    std::memcpy(&last, v.data->data() + v.data->size() - 4, 4);
    QCOMPARE(last, float(values.size() - 1));
}

void TestOnnxImport::exportRoundTripPassesChecker()
{
    QTemporaryDir dir;
    Graph g = importBytes(serialize(convModel()));
    std::string path = dir.filePath(QStringLiteral("round.onnx")).toStdString();
    sniper::onnx::exportOnnxFile(g, path);
    sniper::onnx::checkOnnxFile(path);
    Graph again = sniper::onnx::importOnnxFile(path);
    QCOMPARE(again.nodes.size(), g.nodes.size());
    QCOMPARE(computeCosts(again).macs, computeCosts(g).macs);
    QCOMPARE(again.values[again.outputs[0]].shape, g.values[g.outputs[0]].shape);
}

void TestOnnxImport::parseShapeText()
{
    QCOMPARE(sniper::onnx::parseShape("1x3x224x224"), (Shape{1, 3, 224, 224}));
    QCOMPARE(sniper::onnx::parseShape("2,3,8,8"), (Shape{2, 3, 8, 8}));
    EXPECT_ERROR(sniper::onnx::parseShape("1x-3"), "malformed shape", "-3");
    EXPECT_ERROR(sniper::onnx::parseShape("1xx3"), "malformed shape");
    EXPECT_ERROR(sniper::onnx::parseShape("axb"), "malformed shape");
}

void TestOnnxImport::emptyFile()
{
    QTemporaryDir dir;
    std::string path = dir.filePath(QStringLiteral("empty.onnx")).toStdString();
    std::ofstream(path).close();
    EXPECT_ERROR(sniper::onnx::importOnnxFile(path), "empty", "empty.onnx");
}

void TestOnnxImport::truncatedFile()
{
    std::string bytes = serialize(convModel());
    for (size_t cut : {bytes.size() / 2, bytes.size() - 3, size_t(20)})
        EXPECT_ERROR(importBytes(bytes.substr(0, cut)), "test.onnx");
}

void TestOnnxImport::randomBytes()
{
    std::mt19937 rng(7);
    for (int trial = 0; trial < 50; ++trial) {
        std::string bytes(size_t(64 + trial * 37), '\0');
        for (char &c : bytes)
            c = char(rng() & 0xff);
        EXPECT_ERROR(importBytes(bytes), "test.onnx");
    }
}

void TestOnnxImport::cycle()
{
    auto m = convModel();
    // relu0 now feeds conv0: conv0 -> relu0 -> conv0.
    m.mutable_graph()->mutable_node(0)->set_input(0, "y");
    EXPECT_ERROR(importBytes(serialize(m)), "cycle");
}

void TestOnnxImport::unknownOperator()
{
    auto m = convModel();
    m.mutable_graph()->mutable_node(1)->set_op_type("FancyActivation");
    EXPECT_ERROR(importBytes(serialize(m)), "unsupported operator 'FancyActivation'", "relu0");
}

void TestOnnxImport::negativeDims()
{
    EXPECT_ERROR(importBytes(serialize(convModel({"1", "3", "-8", "8"}))), "negative", "input 'x'");
    auto m = convModel();
    m.mutable_graph()->mutable_initializer(0)->set_dims(0, -4);
    EXPECT_ERROR(importBytes(serialize(m)), "negative", "tensor 'w'");
}

void TestOnnxImport::absurdDims()
{
    EXPECT_ERROR(importBytes(serialize(convModel({"1", "3", "100000000000", "8"}))), "absurd", "input 'x'");
    EXPECT_ERROR(importBytes(serialize(convModel({"1000000", "3", "1000000", "1000000"}))), "absurd");
}

void TestOnnxImport::symbolicDimWithoutValue()
{
    EXPECT_ERROR(importBytes(serialize(convModel({"N", "3", "height", "8"}))), "symbolic dimension 'height'",
                 "axis 2", "--input-shape");
}

void TestOnnxImport::externalDataOutsideFolder_data()
{
    QTest::addColumn<QString>("location");
    QTest::addRow("parent") << QStringLiteral("../secret.bin");
    QTest::addRow("nested parent") << QStringLiteral("data/../../secret.bin");
    QTest::addRow("absolute") << QStringLiteral("/etc/passwd");
}

void TestOnnxImport::externalDataOutsideFolder()
{
    QFETCH(QString, location);
    auto m = externalWeights(location.toStdString());
    QTemporaryDir dir;
    EXPECT_ERROR(importBytes(serialize(m), {}, dir.path().toStdString()), "tensor 'w'", "outside the model's folder");
}

void TestOnnxImport::externalDataBadRange_data()
{
    // The weights file holds 4 * 27 floats (432 bytes), as tensor 'w' needs.
    QTest::addColumn<QString>("offset");
    QTest::addColumn<QString>("length");
    QTest::addColumn<QString>("expected");
    QTest::addRow("offset past the end") << QStringLiteral("8") << QString() << QStringLiteral("range [8, 440) lies outside 'weights.bin' (432 bytes)");
    QTest::addRow("huge offset") << QStringLiteral("9223372036854775807") << QString() << QStringLiteral("lies outside 'weights.bin'");
    QTest::addRow("length disagrees") << QStringLiteral("0") << QStringLiteral("400") << QStringLiteral("external data length 400 does not match its shape (432 bytes)");
    QTest::addRow("negative offset") << QStringLiteral("-4") << QString() << QStringLiteral("offset '-4' that is not a byte count");
    QTest::addRow("offset not a number") << QStringLiteral("12abc") << QString() << QStringLiteral("offset '12abc' that is not a byte count");
    QTest::addRow("length not a number") << QStringLiteral("0") << QStringLiteral("lots") << QStringLiteral("length 'lots' that is not a byte count");
}

void TestOnnxImport::externalDataBadRange()
{
    QFETCH(QString, offset);
    QFETCH(QString, length);
    QFETCH(QString, expected);
    QTemporaryDir dir;
    std::vector<float> values(4 * 27, 1.f);
    std::ofstream(dir.filePath(QStringLiteral("weights.bin")).toStdString(), std::ios::binary)
        .write(reinterpret_cast<const char *>(values.data()), std::streamsize(values.size() * 4));
    auto m = externalWeights("weights.bin");
    auto add = [&](const char *key, const QString &value) {
        auto *kv = m.mutable_graph()->mutable_initializer(0)->add_external_data();
        kv->set_key(key);
        kv->set_value(value.toStdString());
    };
    add("offset", offset);
    if (!length.isEmpty())
        add("length", length);
    const std::string want = expected.toStdString();
    EXPECT_ERROR(importBytes(serialize(m), {}, dir.path().toStdString()), "tensor 'w'", want.c_str());
}

void TestOnnxImport::externalDataSymlinkEscapes()
{
    // weights.bin inside the model's folder is a symbolic link to a file outside it: refused, by
    // where the link leads, not by its name.
    QTemporaryDir outside, dir;
    const std::string secret = outside.filePath(QStringLiteral("secret.bin")).toStdString();
    std::vector<float> values(4 * 27, 2.f);
    std::ofstream(secret, std::ios::binary)
        .write(reinterpret_cast<const char *>(values.data()), std::streamsize(values.size() * 4));
    std::filesystem::create_symlink(secret, dir.filePath(QStringLiteral("weights.bin")).toStdString());
    auto m = externalWeights("weights.bin");
    EXPECT_ERROR(importBytes(serialize(m), {}, dir.path().toStdString()), "tensor 'w'",
                 "resolves outside the model's folder");
    // A link that stays inside the folder is followed.
    std::filesystem::remove(dir.filePath(QStringLiteral("weights.bin")).toStdString());
    std::filesystem::copy_file(secret, dir.filePath(QStringLiteral("real.bin")).toStdString());
    std::filesystem::create_symlink("real.bin", dir.filePath(QStringLiteral("weights.bin")).toStdString());
    Graph g = importBytes(serialize(m), {}, dir.path().toStdString());
    QVERIFY(g.values[g.findValue("w")].hasData());
}

void TestOnnxImport::inlinePayloadDisagreesWithDims()
{
    auto m = convModel();
    auto *w = m.mutable_graph()->mutable_initializer(0); // dims 4x3x3x3: 108 floats
    w->clear_float_data();
    w->set_raw_data(std::string(100 * 4, '\0'));
    EXPECT_ERROR(importBytes(serialize(m)), "tensor 'w' holds 400 bytes but its shape", "needs 432");
    w->clear_raw_data();
    for (int i = 0; i < 107; ++i)
        w->add_float_data(1.f);
    EXPECT_ERROR(importBytes(serialize(m)), "tensor 'w' holds 428 bytes", "needs 432");
}

void TestOnnxImport::channelMismatchNamesNode()
{
    EXPECT_ERROR(importBytes(serialize(convModel({"1", "5", "8", "8"}))), "node 'conv0' (Conv)", "input channels 5");
}

void TestOnnxImport::undefinedValue()
{
    auto m = convModel();
    m.mutable_graph()->mutable_node(1)->set_input(0, "nowhere");
    EXPECT_ERROR(importBytes(serialize(m)), "'nowhere'", "relu0");
}

void TestOnnxImport::unsupportedOpset()
{
    EXPECT_ERROR(importBytes(serialize(convModel({"1", "3", "8", "8"}, 6))), "opset 6 is not supported");
    EXPECT_ERROR(importBytes(serialize(convModel({"1", "3", "8", "8"}, 19))), "opset 19 is not supported");
}

void TestOnnxImport::missingFile()
{
    EXPECT_ERROR(sniper::onnx::importOnnxFile("/nonexistent/model.onnx"), "does not exist", "/nonexistent/model.onnx");
}

QTEST_APPLESS_MAIN(TestOnnxImport)
#include "tst_onnximport.moc"
