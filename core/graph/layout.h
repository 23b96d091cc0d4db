#pragma once

// A layered (Sugiyama-style) drawing of the layer DAG for the model view (SPEC §12): longest-path
// layering, dummy nodes on long edges, barycenter sweeps against crossings, and a compacting
// coordinate pass. Graphviz's dot needs minutes on DenseNet-201; this needs milliseconds.
// Pure geometry, no Qt: the GUI turns it into scene items.

#include <atomic>
#include <cstdint>
#include <vector>

namespace sniper::graph {

struct LayerDag;

struct LayoutOptions {
    double nodeWidth = 150;   // layer boxes
    double nodeHeight = 34;
    double layerGap = 46;     // vertical space between layers
    double nodeGap = 22;      // horizontal space between neighbours
    double dummyWidth = 8;    // the slot a long edge takes in a layer it crosses
    int sweeps = 6;           // barycenter passes (down and up count as one each)
};

struct Point {
    double x = 0, y = 0;
};

struct LayoutNode {
    int node = -1;   // IR node index (a layer)
    int layer = 0;   // rank, 0 at the inputs
    double x = 0, y = 0, width = 0, height = 0; // top-left corner and size
};

struct LayoutEdge {
    int from = -1, to = -1;      // positions in GraphLayout::nodes
    std::vector<Point> points;   // polyline from the bottom of `from` to the top of `to`
};

struct GraphLayout {
    std::vector<LayoutNode> nodes; // one per layer of the DAG, in LayerDag order
    std::vector<LayoutEdge> edges;
    double width = 0, height = 0;
    int layers = 0;
    int64_t dummies = 0;          // slots of long edges
    int crossings = -1;           // edge crossings between adjacent layers after the sweeps
    bool cancelled = false;
};

// Lays out the layer DAG; checks `cancel` between passes (a cancelled layout is partial).
GraphLayout layeredLayout(const LayerDag &dag, const LayoutOptions &options = {},
                          const std::atomic<bool> *cancel = nullptr);

} // namespace sniper::graph
