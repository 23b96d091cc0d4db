#pragma once

// Static shape and dtype inference for every operator in graph/ops.h. Internal to the importer.

#include "graph/graph.h"

namespace sniper::onnx {

// Sets dtype and shape of the node's outputs from its inputs (and the data of constant inputs
// where the output shape depends on values, e.g. Reshape). Throws sniper::Error naming the node.
void inferNodeShapes(graph::Graph &g, const graph::Node &node, int64_t opset);

// Multidirectional (numpy) broadcasting; throws sniper::Error with `where` on mismatch.
graph::Shape broadcastShapes(const graph::Shape &a, const graph::Shape &b, const std::string &where);

// Normalizes a possibly negative axis against rank; throws on out-of-range.
int64_t normalizeAxis(int64_t axis, int64_t rank, const std::string &where);

} // namespace sniper::onnx
