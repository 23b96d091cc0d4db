#pragma once

// The "inspect a model" job shared by the CLI (`sniper inspect`, `sniper features`) and the
// GUI: import, costs, structure queries and NNS features in one immutable report.

#include "features/features.h"
#include "graph/analysis.h"
#include "graph/cost.h"
#include "graph/graph.h"
#include "onnx/onnximport.h"

#include <nlohmann/json_fwd.hpp>

#include <functional>
#include <iosfwd>
#include <string>
#include <vector>

namespace sniper::features {

struct ModelReport {
    std::string source;            // file path or label
    graph::Graph graph;
    graph::GraphCost cost;
    graph::LayerDag dag;
    graph::CriticalPath criticalPath;
    bool lineStructure = false;
    std::vector<graph::BranchRegion> branches;
    Features features;
};

ModelReport analyzeGraph(graph::Graph g, const std::string &source, const FeatureOptions &opt = {});
ModelReport inspectModel(const std::string &path, const onnx::ImportOptions &importOptions = {},
                         const FeatureOptions &opt = {});

nlohmann::json reportToJson(const ModelReport &r, bool withNodes = true);
void printReport(const ModelReport &r, std::ostream &out, bool withNodes = true);

// Features of every *.onnx file in a folder (sorted by name). A file that fails to import is
// reported in `errors` with its message; the others are still processed.
struct FolderFeatures {
    std::vector<std::string> files;
    std::vector<Features> features;
    std::vector<std::string> errors;
};
using ProgressFn = std::function<bool(size_t done, size_t total, const std::string &file)>; // false: cancel
FolderFeatures featuresOfFolder(const std::string &dir, const onnx::ImportOptions &importOptions = {},
                                const FeatureOptions &opt = {}, const ProgressFn &progress = {});

// CSV: model, then one column per feature in featureTable() order (structure_class among them),
// then required_operators (';'-separated).
void writeFeaturesCsv(const FolderFeatures &rows, std::ostream &out);

} // namespace sniper::features
