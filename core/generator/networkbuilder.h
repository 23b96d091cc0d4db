#pragma once

// Internal to core/generator: one whole-network sampling of the random network generator
// (Ace-Sniper Table IV): plan each block from the spec, emit it with shape inference, keep it
// if it fits the MACs budget. generator.cpp drives the attempts; docs/generator.md the rules.

#include "generator/emitter.h"
#include "generator/generator.h"
#include "generator/rng.h"

#include <vector>

namespace sniper::generator {

// The spec in the form the hot path wants: enums, filtered lists, precomputed reachability.
struct CompiledSpec {
    explicit CompiledSpec(const GeneratorSpec &spec); // validates the spec

    const GeneratorSpec &s;
    bool conv = false, pool = false, norm = false, full = false, add = false;
    std::vector<LayerType> blockTypes, strideTypes;
    std::vector<Connection> connections;
    std::vector<char> poolMax;
    std::vector<int64_t> poolKernels;
    int64_t minWidth = 0, headReserve = 0;
    std::vector<std::vector<int64_t>> reachable; // output planes per input plane
};

class NetworkBuilder {
public:
    NetworkBuilder(const CompiledSpec &c, Rng &rng) : m_c(c), m_s(c.s), m_rng(rng) {}

    // One whole-network sampling into `out`; false if it could not stay within the budget.
    // `small` takes the smallest input plane, channels and block count (late budget attempts).
    bool build(GeneratedNetwork &out, bool small);

private:
    LayerParams sampleLayer(LayerType type, int branch, int64_t stride, int64_t width);
    void sampleBranch(BlockParams &b, int branch, int64_t stride, int64_t width, bool needConv);
    BlockParams planBlock(int64_t cin, int64_t stride, int64_t plane);
    BlockParams cheapestBlock(int64_t cin, int64_t stride, int64_t plane);
    int emitBlock(Emitter &e, int x, const BlockParams &b);
    int emitBranch(Emitter &e, int x, const LayerParams *l, size_t n);
    int shortcut(Emitter &e, int x, int64_t width, int64_t stride, bool add);

    const CompiledSpec &m_c;
    const GeneratorSpec &m_s;
    Rng &m_rng;
    Activation m_act = Activation::Relu;
};

} // namespace sniper::generator
