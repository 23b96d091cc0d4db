#include "graph/ops.h"

#include <algorithm>
#include <array>

namespace sniper::graph {

namespace {
constexpr std::array kOps = {
#define SNIPER_OP_INFO(name, cat, layer) OpInfo{#name, OpCategory::cat, layer},
    SNIPER_OPS(SNIPER_OP_INFO)
#undef SNIPER_OP_INFO
    OpInfo{"Unknown", OpCategory::Other, true},
};
} // namespace

const OpInfo &opInfo(OpKind kind)
{
    return kOps[static_cast<size_t>(kind)];
}

OpKind opKindFromName(std::string_view name)
{
    for (size_t i = 0; i + 1 < kOps.size(); ++i)
        if (kOps[i].name == name)
            return static_cast<OpKind>(i);
    return OpKind::Unknown;
}

const char *categoryName(OpCategory c)
{
    switch (c) {
    case OpCategory::Conv: return "conv";
    case OpCategory::Linear: return "linear";
    case OpCategory::MatMul: return "matmul";
    case OpCategory::Norm: return "norm";
    case OpCategory::Pool: return "pool";
    case OpCategory::GlobalPool: return "global-pool";
    case OpCategory::Activation: return "activation";
    case OpCategory::Elementwise: return "elementwise";
    case OpCategory::Concat: return "concat";
    case OpCategory::Reduce: return "reduce";
    case OpCategory::Softmax: return "softmax";
    case OpCategory::DataMovement: return "data-movement";
    case OpCategory::Shape: return "shape";
    case OpCategory::Other: return "other";
    }
    return "other";
}

} // namespace sniper::graph
