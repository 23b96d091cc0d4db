#pragma once

// NNS network features (SPEC §3): the six dimensions of Ace-Sniper Table III plus the
// FLOPs&AMC baseline. Every feature is named and defined once, in featureTable();
// docs/features.md carries the same table and explains the choices made.

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace sniper::graph {
struct Graph;
struct GraphCost;
struct LayerDag;
struct CriticalPath;
} // namespace sniper::graph

namespace sniper::features {

// Ace-Sniper Table III dimensions; Baseline holds the FLOPs&AMC features (Ace-Sniper §V-A).
enum class Dimension { NetworkStructure, Calculation, Parameters, LayerProportions, DataFlow, Dependency, Baseline };
const char *dimensionName(Dimension d); // "network structure", "calculation", ...

struct FeatureDef {
    const char *name;       // snake_case, stable: stored in databases and CSV headers
    Dimension dimension;
    const char *definition; // one line, for tooltips and docs
    const char *paper;      // where the feature comes from, e.g. "Ace-Sniper Table III"
};

// The one feature table, in a stable order: Features::values follows it.
const std::vector<FeatureDef> &featureTable();
int featureIndex(std::string_view name); // -1 if unknown

// Structure Checker (Sniper §3.2, Ace-Sniper §IV-D) thresholds on total MACs:
// small < smallMacs <= medium < largeMacs <= large. Defaults: the "mobile setting" of NAS
// papers (< 600 M MACs) is small; ResNet-50-class (about 4 G) is medium; ResNet-101/VGG is large.
struct FeatureOptions {
    int64_t smallMacs = 600'000'000;
    int64_t largeMacs = 5'000'000'000;
};

struct Features {
    std::vector<double> values;                 // featureTable() order
    int structureClass = 0;                     // 0 small, 1 medium, 2 large (Structure Checker)
    std::vector<std::string> requiredOperators; // sorted unique ONNX op types (Dependency)

    double value(std::string_view name) const;  // throws sniper::Error for unknown names
};

// One pass over the nodes plus one layer DAG, one critical path and one antichain search.
// Throws sniper::Error when cost does not belong to g or the options are inconsistent.
Features extractFeatures(const graph::Graph &g, const graph::GraphCost &cost, const FeatureOptions &opt = {});
// The same, reusing the layer DAG and critical path a caller already computed (inspect's ModelReport).
Features extractFeatures(const graph::Graph &g, const graph::GraphCost &cost, const graph::LayerDag &dag,
                         const graph::CriticalPath &cp, const FeatureOptions &opt = {});

// Structure Checker class of a network with the given total MACs (0 small, 1 medium, 2 large).
int structureClass(int64_t totalMacs, const FeatureOptions &opt = {});

} // namespace sniper::features
