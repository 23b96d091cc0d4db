#pragma once

// Evaluates a node whose inputs are all constants with data (the shape subgraphs that
// exporters emit: Shape -> Gather -> Concat -> Reshape ...). Internal to the importer.

#include "graph/graph.h"

namespace sniper::onnx {

// Largest constant the importer computes; bigger folded values keep their shape only.
constexpr int64_t kMaxFoldElements = int64_t(1) << 24;

// Whether the importer folds a node whose inputs are all constants: its operator has an
// evaluator here and its outputs are small. Decided without looking at data, so a
// structure-only model folds exactly like the full one.
bool isFoldable(const graph::Graph &g, const graph::Node &node);

// Fills the data of the node's outputs (their dtype and shape are already inferred).
// Returns false when the operator has no evaluator here; the outputs then stay data-less.
bool evaluateConstantNode(graph::Graph &g, const graph::Node &node);

// Element access helpers shared with shape inference.
std::vector<double> toDoubles(const graph::Value &v);
std::vector<int64_t> toInts(const graph::Value &v);
std::shared_ptr<const graph::Bytes> fromDoubles(graph::DType t, const std::vector<double> &x);

} // namespace sniper::onnx
