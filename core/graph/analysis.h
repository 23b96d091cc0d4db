#pragma once

// Structural queries on the layer DAG (SPEC §2): critical path, branches, line structure.
// The layer DAG contracts non-layer nodes (Reshape, Flatten, ...) away: layer A precedes
// layer B when a path of non-layer nodes leads from an output of A to an input of B.

#include <cstdint>
#include <vector>

namespace sniper::graph {

struct Graph;
struct GraphCost;

struct LayerDag {
    std::vector<int> layers;                 // node indices of layers, topological
    std::vector<std::vector<int>> succ;      // per layer position: successor positions
    std::vector<std::vector<int>> pred;
};
LayerDag buildLayerDag(const Graph &g);

struct CriticalPath {
    std::vector<int> nodes;   // node indices of layers, input to output
    int64_t macs = 0;
    int64_t params = 0;
};
// The input->output path with the most MACs; ties broken by more layers.
CriticalPath criticalPath(const Graph &g, const GraphCost &cost, const LayerDag &dag);

// Largest number of layers that can run in parallel: the widest antichain of the layer DAG.
int maxBranches(const LayerDag &dag);
int maxOutDegree(const LayerDag &dag);

// True when every layer has at most one layer predecessor and one successor.
bool isLineStructure(const LayerDag &dag);

// A branch region: between two layers where the DAG has a single frontier, the number of
// parallel paths (>= 2) and the layers inside. Regions are reported in topological order.
struct BranchRegion {
    int fork = -1;       // node index of the layer that feeds the branches (-1: graph input)
    int join = -1;       // node index of the layer that merges them (-1: graph output)
    int width = 0;       // widest antichain inside the region
    std::vector<int> nodes;
};
std::vector<BranchRegion> branchRegions(const LayerDag &dag);

} // namespace sniper::graph
