#pragma once

// Per-node and per-graph costs (SPEC §2): MACs, FLOPs, parameters, activations, memory access.

#include <cstdint>
#include <vector>

namespace sniper::graph {

struct Graph;

struct NodeCost {
    int64_t macs = 0;          // multiply-accumulates of Conv, ConvTranspose, Gemm, MatMul
    int64_t flops = 0;         // floating-point operations of every op (2 per MAC plus the rest)
    int64_t params = 0;        // parameter elements first used by this node
    int64_t inputElements = 0; // activation (non-constant) inputs
    int64_t outputElements = 0;
    int64_t inputBytes = 0;
    int64_t outputBytes = 0;
    int64_t paramBytes = 0;
    int64_t memoryAccess() const { return paramBytes + inputBytes + outputBytes; } // bytes
};

struct GraphCost {
    std::vector<NodeCost> nodes; // indexed like Graph::nodes
    int64_t macs = 0;
    int64_t flops = 0;
    int64_t params = 0;
    int64_t memoryAccess = 0;    // bytes: params + every node's inputs and outputs
    int64_t activationElements = 0;
};

GraphCost computeCosts(const Graph &g);

} // namespace sniper::graph
