// The layered layout of the model view: every edge points downwards, boxes in a layer never
// overlap, long edges get bends, and the densely connected DenseNet-201 lays out too.

#include "testgraphs.h"

#include "graph/analysis.h"
#include "graph/layout.h"
#include "onnx/onnximport.h"

#include <QtTest>

using namespace sniper;
using namespace sniper::graph;

namespace {

void checkLayout(const LayerDag &dag, const GraphLayout &l)
{
    QCOMPARE(l.nodes.size(), dag.layers.size());
    for (size_t i = 0; i < dag.layers.size(); ++i)
        for (int s : dag.succ[i])
            QVERIFY2(l.nodes[i].layer < l.nodes[size_t(s)].layer, "an edge does not point downwards");
    std::map<int, std::vector<const LayoutNode *>> byLayer;
    for (const auto &n : l.nodes)
        byLayer[n.layer].push_back(&n);
    for (auto &[layer, nodes] : byLayer) {
        std::sort(nodes.begin(), nodes.end(), [](auto *a, auto *b) { return a->x < b->x; });
        for (size_t i = 1; i < nodes.size(); ++i)
            QVERIFY2(nodes[i - 1]->x + nodes[i - 1]->width <= nodes[i]->x + 1e-6, "boxes overlap in a layer");
    }
    for (const auto &e : l.edges) {
        const auto &a = l.nodes[size_t(e.from)], &b = l.nodes[size_t(e.to)];
        QVERIFY(e.points.size() >= 2);
        QCOMPARE(e.points.front().y, a.y + a.height);
        QCOMPARE(e.points.back().y, b.y);
        QCOMPARE(int(e.points.size()), b.layer - a.layer + 1); // one bend per crossed layer
        for (const auto &p : e.points)
            QVERIFY(p.x >= -1e-6 && p.x <= l.width + 1e-6);
    }
}

} // namespace

class TestLayout : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void smallBranchedGraph();
    void untangledCrossingIsRemoved();
    void bundledModels_data();
    void bundledModels();
    void cancelStops();
};

void TestLayout::smallBranchedGraph()
{
    test::GraphBuilder b;
    int x = b.relu(b.input({1, 4, 8, 8}));
    int y = b.add(x, b.conv(b.conv(x, 4, 3), 4, 3)); // a residual: x -> add spans two layers
    Graph g = b.finish({b.relu(y)});
    LayerDag dag = buildLayerDag(g);
    GraphLayout l = layeredLayout(dag);
    checkLayout(dag, l);
    QCOMPARE(l.layers, 5);
    QCOMPARE(l.dummies, int64_t(2)); // the skip edge crosses the two conv layers
    QCOMPARE(l.crossings, 0);
}

void TestLayout::untangledCrossingIsRemoved()
{
    // Two chains whose initial order crosses: a1->b2, a2->b1.
    LayerDag dag;
    dag.layers = {0, 1, 2, 3};
    dag.succ = {{3}, {2}, {}, {}};
    dag.pred = {{}, {}, {1}, {0}};
    GraphLayout l = layeredLayout(dag);
    QCOMPARE(l.crossings, 0);
    checkLayout(dag, l);
}

void TestLayout::bundledModels_data()
{
    QTest::addColumn<QString>("model");
    for (const char *m : {"resnet50", "googlenet", "inception_v3", "densenet201", "vit_b_16", "shufflenet_v2_x1_0"})
        QTest::addRow("%s", m) << QString::fromLatin1(m);
}

void TestLayout::bundledModels()
{
    QFETCH(QString, model);
    onnx::ImportOptions o;
    o.loadWeights = false;
    Graph g = onnx::importOnnxFile(std::string(SNIPER_SOURCE_DIR) + "/datasets/models/" + model.toStdString() + ".onnx", o);
    LayerDag dag = buildLayerDag(g);
    GraphLayout l = layeredLayout(dag);
    QVERIFY(!l.cancelled);
    checkLayout(dag, l);
}

void TestLayout::cancelStops()
{
    onnx::ImportOptions o;
    o.loadWeights = false;
    Graph g = onnx::importOnnxFile(std::string(SNIPER_SOURCE_DIR) + "/datasets/models/densenet201.onnx", o);
    std::atomic<bool> cancel{true};
    GraphLayout l = layeredLayout(buildLayerDag(g), {}, &cancel);
    QVERIFY(l.cancelled);
}

QTEST_APPLESS_MAIN(TestLayout)
#include "tst_layout.moc"
