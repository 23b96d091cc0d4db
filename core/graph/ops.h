#pragma once

// The operator table: every ONNX operator the IR understands, its category and
// whether it is a "layer" (a node that computes) in the sense of SPEC §3.

#include <cstdint>
#include <string_view>

namespace sniper::graph {

enum class OpCategory : uint8_t {
    Conv, Linear, MatMul, Norm, Pool, GlobalPool, Activation, Elementwise, Concat,
    Reduce, Softmax, DataMovement, Shape, Other,
};

// X(name, category, isLayer)
#define SNIPER_OPS(X) \
    X(Conv, Conv, true) X(ConvTranspose, Conv, true) \
    X(Gemm, Linear, true) X(MatMul, MatMul, true) \
    X(BatchNormalization, Norm, true) X(LayerNormalization, Norm, true) \
    X(InstanceNormalization, Norm, true) X(GroupNormalization, Norm, true) X(LRN, Norm, true) \
    X(MaxPool, Pool, true) X(AveragePool, Pool, true) X(LpPool, Pool, true) \
    X(GlobalAveragePool, GlobalPool, true) X(GlobalMaxPool, GlobalPool, true) \
    X(Relu, Activation, true) X(LeakyRelu, Activation, true) X(PRelu, Activation, true) \
    X(Sigmoid, Activation, true) X(HardSigmoid, Activation, true) X(HardSwish, Activation, true) \
    X(Tanh, Activation, true) X(Clip, Activation, true) X(Elu, Activation, true) \
    X(Selu, Activation, true) X(Softplus, Activation, true) X(Mish, Activation, true) \
    X(Gelu, Activation, true) X(Erf, Activation, true) \
    X(Softmax, Softmax, true) X(LogSoftmax, Softmax, true) \
    X(Add, Elementwise, true) X(Sub, Elementwise, true) X(Mul, Elementwise, true) \
    X(Div, Elementwise, true) X(Pow, Elementwise, true) X(Sqrt, Elementwise, true) \
    X(Exp, Elementwise, true) X(Log, Elementwise, true) X(Neg, Elementwise, true) \
    X(Abs, Elementwise, true) X(Reciprocal, Elementwise, true) X(Min, Elementwise, true) \
    X(Max, Elementwise, true) X(Sum, Elementwise, true) X(Mean, Elementwise, true) \
    X(Floor, Elementwise, true) X(Ceil, Elementwise, true) \
    X(Equal, Elementwise, true) X(Less, Elementwise, true) X(Greater, Elementwise, true) \
    X(Not, Elementwise, true) X(Where, Elementwise, true) \
    X(Concat, Concat, true) \
    X(ReduceMean, Reduce, true) X(ReduceSum, Reduce, true) X(ReduceMax, Reduce, true) \
    X(ReduceMin, Reduce, true) \
    X(Pad, DataMovement, true) X(Slice, DataMovement, true) X(Split, DataMovement, true) \
    X(Gather, DataMovement, true) X(Transpose, DataMovement, true) X(Resize, DataMovement, true) \
    X(Upsample, DataMovement, true) X(Tile, DataMovement, true) X(Expand, DataMovement, true) \
    X(Reshape, Shape, false) X(Flatten, Shape, false) X(Squeeze, Shape, false) \
    X(Unsqueeze, Shape, false) X(Identity, Shape, false) X(Dropout, Shape, false) \
    X(Shape, Shape, false) X(Constant, Shape, false) X(ConstantOfShape, Shape, false) \
    X(Cast, Shape, false) X(Range, Shape, false)

enum class OpKind : uint16_t {
#define SNIPER_OP_ENUM(name, cat, layer) name,
    SNIPER_OPS(SNIPER_OP_ENUM)
#undef SNIPER_OP_ENUM
    Unknown,
};

struct OpInfo {
    std::string_view name;
    OpCategory category;
    bool isLayer;
};

const OpInfo &opInfo(OpKind kind);
OpKind opKindFromName(std::string_view name); // OpKind::Unknown if not supported
const char *categoryName(OpCategory c);

} // namespace sniper::graph
