#include "graph/cost.h"

#include "graph/graph.h"

#include <unordered_set>

namespace sniper::graph {

namespace {

int64_t product(const Shape &s, size_t from)
{
    int64_t p = 1;
    for (size_t i = from; i < s.size(); ++i)
        p *= s[i];
    return p;
}

const Value *input(const Graph &g, const Node &n, size_t i)
{
    return i < n.inputs.size() && n.inputs[i] >= 0 ? &g.values[n.inputs[i]] : nullptr;
}

// MACs of the four operators SPEC §2 counts; everything else has none.
int64_t nodeMacs(const Graph &g, const Node &n, int64_t outElements)
{
    const Value *a = input(g, n, 0);
    const Value *b = input(g, n, 1);
    if (!a || !b)
        return 0;
    switch (n.kind) {
    case OpKind::Conv: // every output element accumulates Cin/group * prod(kernel) products
        return outElements * product(b->shape, 1);
    case OpKind::ConvTranspose: // every input element scatters into Cout/group * prod(kernel) outputs
        return a->elements() * product(b->shape, 1);
    case OpKind::Gemm: {
        if (a->shape.size() != 2)
            return 0;
        int64_t k = n.attrInt("transA", 0) ? a->shape[0] : a->shape[1];
        return outElements * k;
    }
    case OpKind::MatMul:
        return a->shape.empty() ? 0 : outElements * a->shape.back();
    default:
        return 0;
    }
}

// FLOPs: 2 per MAC, plus a per-element estimate for the other operators (docs/features.md).
int64_t nodeFlops(const Graph &g, const Node &n, int64_t macs, int64_t inElements, int64_t outElements)
{
    switch (opInfo(n.kind).category) {
    case OpCategory::Conv:
    case OpCategory::Linear:
    case OpCategory::MatMul: {
        bool hasBias = input(g, n, 2) != nullptr; // Conv B, Gemm C
        return 2 * macs + (hasBias ? outElements : 0);
    }
    case OpCategory::Norm:
        return n.kind == OpKind::BatchNormalization ? 2 * outElements : 5 * outElements;
    case OpCategory::Pool: {
        int64_t window = product(n.attrInts("kernel_shape"), 0);
        return outElements * window;
    }
    case OpCategory::GlobalPool:
    case OpCategory::Reduce:
        return inElements;
    case OpCategory::Softmax:
        return 3 * outElements;
    case OpCategory::Activation:
    case OpCategory::Elementwise:
        return outElements;
    case OpCategory::Concat:
    case OpCategory::DataMovement:
    case OpCategory::Shape:
    case OpCategory::Other:
        return 0;
    }
    return 0;
}

} // namespace

GraphCost computeCosts(const Graph &g)
{
    GraphCost total;
    total.nodes.resize(g.nodes.size());
    std::unordered_set<int> counted;
    for (size_t i = 0; i < g.nodes.size(); ++i) {
        const Node &n = g.nodes[i];
        NodeCost &c = total.nodes[i];
        for (int in : n.inputs) {
            if (in < 0)
                continue;
            const Value &v = g.values[in];
            if (v.isConstant) {
                c.paramBytes += v.bytes();
                if (v.isParameter && counted.insert(in).second)
                    c.params += v.elements();
            } else {
                c.inputElements += v.elements();
                c.inputBytes += v.bytes();
            }
        }
        for (int out : n.outputs) {
            c.outputElements += g.values[out].elements();
            c.outputBytes += g.values[out].bytes();
        }
        int64_t firstOut = n.outputs.empty() ? 0 : g.values[n.outputs[0]].elements();
        c.macs = nodeMacs(g, n, firstOut);
        c.flops = nodeFlops(g, n, c.macs, c.inputElements, firstOut);
        total.macs += c.macs;
        total.flops += c.flops;
        total.params += c.params;
        total.memoryAccess += c.memoryAccess();
        total.activationElements += c.outputElements;
    }
    return total;
}

} // namespace sniper::graph
