#pragma once

// ATen kernels of the IR operators, internal to the torch runtime (.cpp files only see ATen).

#include "graph/graph.h"

#include <string>
#include <vector>

namespace at {
class Tensor;
}

namespace sniper::runtime {

// Runs one node; `values` holds a tensor per IR value (inputs filled).
std::vector<at::Tensor> runTorchNode(const graph::Graph &g, const graph::Node &n, const std::vector<at::Tensor> &values);

// Empty when the node can run here, else why not (operator, node, variant).
std::string torchUnsupported(const graph::Graph &g, const graph::Node &n);

// The operators this executor claims (all variants over the supported data types).
std::vector<graph::OpKind> torchClaimedOperators();

} // namespace sniper::runtime
