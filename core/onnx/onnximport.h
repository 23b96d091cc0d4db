#pragma once

// ONNX import (opset 7-18) into the graph IR, with static shapes (SPEC §2).

#include "graph/graph.h"

#include <map>
#include <string>

namespace sniper::onnx {

struct ImportOptions {
    // Shapes for graph inputs by name; "" applies to the first input ("1x3x224x224").
    std::map<std::string, graph::Shape> inputShapes;
    // Values for named symbolic dimensions ("batch" -> 1, "height" -> 224).
    std::map<std::string, int64_t> dimValues;
    // A symbolic first dimension with no value given takes this (the batch size).
    int64_t defaultBatch = 1;
    // Read initializer data (weights). Structure-only use (features) can skip it.
    bool loadWeights = true;
};

// Imports a model file. External data is read relative to the file's folder. Throws
// sniper::Error naming the file and, where it applies, the node or tensor at fault.
graph::Graph importOnnxFile(const std::string &path, const ImportOptions &options = {});

// Imports a serialized ModelProto held in memory; `baseDir` resolves external data
// (empty: external data is treated as missing); `label` names the model in errors.
graph::Graph importOnnxBuffer(const void *data, size_t size, const ImportOptions &options,
                              const std::string &label, const std::string &baseDir = {});

// Parses "1x3x224x224" (also "1,3,224,224"); throws sniper::Error on malformed text.
graph::Shape parseShape(const std::string &text);

} // namespace sniper::onnx
