// NAS-Bench-201 networks (SPEC §6 third-party tables): the cell parser is strict and says where a
// string is wrong; the CIFAR-10 networks have exactly the parameters and MACs of the PyTorch model
// (tests/tools/nb201_reference.py, Debian's python3-torch); all 15,625 cells build; deterministic.

#include "common/error.h"
#include "generator/nasbench201.h"
#include "graph/cost.h"
#include "onnx/onnxexport.h"
#include "onnx/onnximport.h"

#include <nlohmann/json.hpp>

#include <QProcess>
#include <QtTest>

using namespace sniper;
using namespace sniper::generator;

namespace {

const char *kBest = "|nor_conv_3x3~0|+|nor_conv_3x3~0|nor_conv_3x3~1|+|nor_conv_3x3~0|nor_conv_3x3~1|nor_conv_3x3~2|";
const char *kEmpty = "|none~0|+|none~0|none~1|+|none~0|none~1|none~2|";
const char *kReadme = "|nor_conv_3x3~0|+|nor_conv_3x3~0|avg_pool_3x3~1|+|skip_connect~0|nor_conv_3x3~1|skip_connect~2|";
// Node 1 is zero ('none' only): the conv from it still runs, as NAS-Bench-201's Zero op gives x * 0.
const char *kZeroNode = "|none~0|+|nor_conv_1x1~0|nor_conv_3x3~1|+|avg_pool_3x3~0|none~1|nor_conv_1x1~2|";
const char *kSkips = "|skip_connect~0|+|skip_connect~0|skip_connect~1|+|skip_connect~0|skip_connect~1|skip_connect~2|";

} // namespace

class TestNasBench201 : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void reference_data();
    void reference();
    void malformed_data();
    void malformed();
    void allCells();
    void deterministicAndRoundTrip();
    void batch();

private:
    nlohmann::json m_reference; // cell -> {params, macs} from PyTorch
    QString m_referenceError;
};

void TestNasBench201::initTestCase()
{
    QProcess py;
    py.start(QStringLiteral(SNIPER_PYTHON),
             {QStringLiteral(SNIPER_SOURCE_DIR "/tests/tools/nb201_reference.py"), QLatin1String(kBest),
              QLatin1String(kEmpty), QLatin1String(kReadme), QLatin1String(kZeroNode), QLatin1String(kSkips)});
    if (!py.waitForFinished(120000) || py.exitStatus() != QProcess::NormalExit || py.exitCode() != 0) {
        m_referenceError = QStringLiteral("nb201_reference.py failed: ") + QString::fromLocal8Bit(py.readAllStandardError());
        return;
    }
    m_reference = nlohmann::json::parse(py.readAllStandardOutput().toStdString());
}

void TestNasBench201::reference_data()
{
    QTest::addColumn<QString>("cell");
    QTest::addColumn<qlonglong>("publishedParams"); // NAS-Bench-201's own table, where known (0: none)
    QTest::addRow("all conv3x3") << kBest << 1531546LL;
    QTest::addRow("all none") << kEmpty << 73306LL;
    QTest::addRow("README example") << kReadme << 0LL;
    QTest::addRow("zero node") << kZeroNode << 0LL;
    QTest::addRow("all skip") << kSkips << 0LL;
}

void TestNasBench201::reference()
{
    QFETCH(QString, cell);
    QFETCH(qlonglong, publishedParams);
    const std::string text = cell.toStdString();
    QVERIFY(isNasBench201Cell(text));
    QCOMPARE(nasBench201CellString(parseNasBench201Cell(text)), text);
    const graph::Graph g = nasBench201Network(text);
    const graph::GraphCost cost = graph::computeCosts(g);
    QCOMPARE(g.values[g.outputs[0]].shape, (graph::Shape{1, 10}));
    if (publishedParams)
        QCOMPARE(qlonglong(cost.params), publishedParams);
    if (!m_referenceError.isEmpty())
        QSKIP(qPrintable(m_referenceError));
    const auto &ref = m_reference.at(text);
    QCOMPARE(qlonglong(cost.params), qlonglong(ref.at("params").get<int64_t>()));
    QCOMPARE(qlonglong(cost.macs), qlonglong(ref.at("macs").get<int64_t>()));
}

void TestNasBench201::malformed_data()
{
    QTest::addColumn<QString>("cell");
    QTest::addColumn<QString>("message");
    QTest::addRow("empty") << "" << "empty";
    QTest::addRow("no leading bar") << "nor_conv_3x3~0|+|none~0|none~1|+|none~0|none~1|none~2|"
                                    << "at character 1: found 'n' where '|' opening node 1";
    QTest::addRow("unknown op") << "|conv~0|+|none~0|none~1|+|none~0|none~1|none~2|"
                                << "at character 2: edge 1 of node 1: unknown operation 'conv'";
    QTest::addRow("no tilde") << "|none~0|+|none~0|none1|+|none~0|none~1|none~2|"
                              << "at character 18: edge 2 of node 2 'none1': expected op~source";
    QTest::addRow("source not earlier") << "|none~0|+|none~0|none~2|+|none~0|none~1|none~2|"
                                        << "at character 23: edge 2 of node 2 'none~2': source 2 is not an earlier node";
    QTest::addRow("sources out of order") << "|none~0|+|none~1|none~0|+|none~0|none~1|none~2|"
                                          << "edge 1 of node 2 'none~1': expected the edge from node 0";
    QTest::addRow("missing edge") << "|none~0|+|none~0|+|none~0|none~1|none~2|"
                                  << "at character 18: edge 2 of node 2: expected 'op~1|'";
    QTest::addRow("extra edge") << "|none~0|none~0|+|none~0|none~1|+|none~0|none~1|none~2|"
                                << "at character 9: node 1 has more than 1 edge(s)";
    QTest::addRow("two nodes") << "|none~0|+|none~0|none~1|" << "the string ends where '+' between node 2 and node 3";
    QTest::addRow("four nodes") << "|none~0|+|none~0|none~1|+|none~0|none~1|none~2|+|none~0|"
                                << "at character 48: the cell has more than three nodes";
    QTest::addRow("no closing bar") << "|none~0|+|none~0|none~1|+|none~0|none~1|none~2"
                                    << "edge 3 of node 3 'none~2': missing the closing '|'";
    QTest::addRow("bad source") << "|none~x|+|none~0|none~1|+|none~0|none~1|none~2|"
                                << "at character 7: edge 1 of node 1 'none~x': the source must be a node number";
    QTest::addRow("trailing text") << "|none~0|+|none~0|none~1|+|none~0|none~1|none~2| "
                                   << "at character 48: unexpected text after node 3";
}

void TestNasBench201::malformed()
{
    QFETCH(QString, cell);
    QFETCH(QString, message);
    const std::string text = cell.toStdString();
    QVERIFY(!isNasBench201Cell(text));
    try {
        nasBench201Network(text);
        QFAIL("a malformed cell was accepted");
    } catch (const Error &e) {
        QVERIFY2(QString::fromStdString(e.problem()).contains(message), e.what());
        QCOMPARE(e.location(), "NAS-Bench-201 cell '" + text + "'");
    }
}

// The whole search space (5^6 = 15,625 cells, the rows of datasets/nb201-help) builds with shapes.
void TestNasBench201::allCells()
{
    int64_t minParams = INT64_MAX, maxParams = 0;
    for (int code = 0; code < 15625; ++code) {
        NasBench201Cell cell;
        int c = code;
        for (int i = 1; i <= 3; ++i)
            for (int j = 0; j < i; ++j, c /= 5)
                cell.edges[size_t(i - 1)][size_t(j)] = Nb201Op(c % 5);
        const std::string text = nasBench201CellString(cell);
        QVERIFY(isNasBench201Cell(text));
        const graph::Graph g = nasBench201Network(cell);
        for (const graph::Node &n : g.nodes)
            for (int o : n.outputs)
                QVERIFY(!g.values[o].shape.empty());
        QCOMPARE(g.values[g.outputs[0]].shape, (graph::Shape{1, 10}));
        const int64_t params = graph::computeCosts(g).params;
        minParams = std::min(minParams, params);
        maxParams = std::max(maxParams, params);
    }
    // NAS-Bench-201's range: 0.073 MB (all none) to 1.531 MB (all conv3x3).
    QCOMPARE(minParams, int64_t(73306));
    QCOMPARE(maxParams, int64_t(1531546));
}

void TestNasBench201::deterministicAndRoundTrip()
{
    for (const char *cell : {kReadme, kZeroNode, kEmpty}) {
        const graph::Graph a = nasBench201Network(cell), b = nasBench201Network(cell);
        const std::string bytes = onnx::exportOnnx(a);
        QCOMPARE(onnx::exportOnnx(b), bytes);
        onnx::ImportOptions opt;
        opt.loadWeights = false;
        const graph::Graph back = onnx::importOnnxBuffer(bytes.data(), bytes.size(), opt, cell);
        const graph::GraphCost ca = graph::computeCosts(a), cb = graph::computeCosts(back);
        QCOMPARE(cb.params, ca.params);
        QCOMPARE(cb.macs, ca.macs);
        QCOMPARE(back.nodes.size(), a.nodes.size());
    }
    // ONNX's checker and strict shape inference accept the network (weights zero-filled).
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const std::string path = dir.filePath(QStringLiteral("zero-node.onnx")).toStdString();
    onnx::ExportOptions zeroFill;
    zeroFill.zeroFillMissingData = true;
    onnx::exportOnnxFile(nasBench201Network(kZeroNode), path, zeroFill);
    try {
        onnx::checkOnnxFile(path);
    } catch (const Error &e) {
        QFAIL(e.what());
    }
}

void TestNasBench201::batch()
{
    const graph::GraphCost one = graph::computeCosts(nasBench201Network(kReadme, 1));
    const graph::Graph g = nasBench201Network(kReadme, 4);
    QCOMPARE(g.values[g.inputs[0]].shape, (graph::Shape{4, 3, 32, 32}));
    QCOMPARE(graph::computeCosts(g).macs, 4 * one.macs);
    QVERIFY_THROWS_EXCEPTION(Error, nasBench201Network(kReadme, 0));
}

QTEST_APPLESS_MAIN(TestNasBench201)
#include "tst_nasbench201.moc"
