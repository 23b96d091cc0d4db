// Graph IR queries and costs on hand-built graphs with known answers.

#include "testgraphs.h"

#include "common/error.h"
#include "graph/analysis.h"
#include "graph/cost.h"

#include <QtTest>

using namespace sniper;
using namespace sniper::graph;
using sniper::test::GraphBuilder;

class TestGraph : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void convAndGemmCosts();
    void criticalPathPrefersMacsThenLayers();
    void maxBranchesIsWidestAntichain_data();
    void maxBranchesIsWidestAntichain();
    void lineStructure();
    void branchRegions();
    void cycleIsReportedWithNode();
    void nonLayerNodesAreContracted();
};

void TestGraph::convAndGemmCosts()
{
    GraphBuilder b;
    int x = b.input({1, 3, 32, 32});
    int c = b.conv(x, 16, 3, 2);      // 16x16x16 out, 3*9 MACs each
    int g = b.gemm(b.flatten(b.gap(c)), 10);
    Graph graph = b.finish({g});
    GraphCost cost = computeCosts(graph);
    QCOMPARE(cost.nodes[0].macs, int64_t(16 * 16 * 16 * 3 * 9));
    QCOMPARE(cost.nodes[0].params, int64_t(16 * 3 * 9 + 16));
    QCOMPARE(cost.nodes[3].macs, int64_t(16 * 10));
    QCOMPARE(cost.macs, int64_t(16 * 16 * 16 * 27 + 160));
    QCOMPARE(cost.params, int64_t(16 * 27 + 16 + 160 + 10));
    // FLOPs: 2 per MAC plus the bias add.
    QCOMPARE(cost.nodes[0].flops, int64_t(2 * 16 * 16 * 16 * 27 + 16 * 16 * 16));
    // Memory access: weights + input + output bytes.
    QCOMPARE(cost.nodes[0].memoryAccess(), int64_t(4 * (16 * 27 + 16) + 4 * 3 * 32 * 32 + 4 * 16 * 16 * 16));
}

void TestGraph::criticalPathPrefersMacsThenLayers()
{
    GraphBuilder b;
    int x = b.input({1, 8, 16, 16});
    int heavy = b.conv(x, 8, 5);              // one heavy layer
    int light = b.relu(b.relu(b.conv(x, 8, 1))); // three light layers
    int out = b.add(heavy, light);
    Graph g = b.finish({out});
    GraphCost cost = computeCosts(g);
    LayerDag dag = buildLayerDag(g);
    CriticalPath cp = criticalPath(g, cost, dag);
    QCOMPARE(cp.nodes.size(), size_t(2));
    QCOMPARE(g.nodes[cp.nodes[0]].opType, std::string("Conv"));
    QCOMPARE(cp.macs, cost.nodes[cp.nodes[0]].macs);

    // Equal MACs on both sides: the longer branch wins.
    GraphBuilder t;
    int y = t.input({1, 8, 16, 16});
    int a = t.conv(y, 8, 3);
    int bb = t.relu(t.relu(t.conv(y, 8, 3)));
    Graph g2 = t.finish({t.add(a, bb)});
    GraphCost c2 = computeCosts(g2);
    CriticalPath cp2 = criticalPath(g2, c2, buildLayerDag(g2));
    QCOMPARE(cp2.nodes.size(), size_t(4));
}

void TestGraph::maxBranchesIsWidestAntichain_data()
{
    QTest::addColumn<int>("branches");
    QTest::addColumn<int>("depth");
    QTest::addRow("chain") << 1 << 3;
    QTest::addRow("two") << 2 << 2;
    QTest::addRow("three deep") << 3 << 3;
    QTest::addRow("five") << 5 << 1;
}

void TestGraph::maxBranchesIsWidestAntichain()
{
    QFETCH(int, branches);
    QFETCH(int, depth);
    GraphBuilder b;
    int x = b.relu(b.input({1, 4, 8, 8}));
    std::vector<int> ends;
    for (int i = 0; i < branches; ++i) {
        int y = x;
        for (int d = 0; d < depth; ++d)
            y = b.conv(y, 4, 3);
        ends.push_back(y);
    }
    int out = branches > 1 ? b.concat(ends) : ends[0];
    Graph g = b.finish({out});
    LayerDag dag = buildLayerDag(g);
    QCOMPARE(maxBranches(dag), branches);
    QCOMPARE(maxOutDegree(dag), branches);
}

void TestGraph::lineStructure()
{
    GraphBuilder b;
    int x = b.input({1, 3, 16, 16});
    Graph line = b.finish({b.gemm(b.flatten(b.relu(b.conv(x, 4, 3))), 2)});
    QVERIFY(isLineStructure(buildLayerDag(line)));

    GraphBuilder r;
    int y = r.relu(r.input({1, 4, 8, 8}));
    Graph residual = r.finish({r.add(y, r.conv(y, 4, 3))});
    QVERIFY(!isLineStructure(buildLayerDag(residual)));
}

void TestGraph::branchRegions()
{
    GraphBuilder b;
    int x = b.relu(b.input({1, 4, 8, 8}));
    int joined = b.concat({b.conv(x, 4, 1), b.conv(b.conv(x, 4, 1), 4, 3), b.maxpool(x, 3, 1)});
    int y = b.relu(joined);
    Graph g = b.finish({b.add(y, b.conv(y, 12, 3))});
    auto regions = graph::branchRegions(buildLayerDag(g));
    // The residual add after the concat has no parallel layers (its skip is an edge), so one region.
    QCOMPARE(regions.size(), size_t(1));
    QCOMPARE(regions[0].width, 3);
    QCOMPARE(regions[0].nodes.size(), size_t(4));
    QCOMPARE(g.nodes[regions[0].fork].opType, std::string("Relu"));
    QCOMPARE(g.nodes[regions[0].join].opType, std::string("Concat"));
}

void TestGraph::cycleIsReportedWithNode()
{
    GraphBuilder b;
    int x = b.input({1, 4});
    int a = b.node("Relu", {x});
    int c = b.node("Relu", {a});
    Graph g = b.graph();
    g.nodes[0].inputs[0] = c; // a -> c -> a
    g.outputs = {c};
    try {
        g.finalize();
        QFAIL("a cycle was accepted");
    } catch (const Error &e) {
        QVERIFY2(std::string(e.what()).find("cycle") != std::string::npos, e.what());
        QVERIFY2(std::string(e.what()).find("Relu_") != std::string::npos, e.what());
    }
}

void TestGraph::nonLayerNodesAreContracted()
{
    GraphBuilder b;
    int x = b.input({1, 4, 8, 8});
    int c = b.conv(x, 4, 3);
    int f = b.flatten(c); // not a layer
    Graph g = b.finish({b.gemm(f, 3)});
    LayerDag dag = buildLayerDag(g);
    QCOMPARE(dag.layers.size(), size_t(2));
    QCOMPARE(dag.succ[0], std::vector<int>{1});
}

QTEST_APPLESS_MAIN(TestGraph)
#include "tst_graph.moc"
