#include "features/features.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <limits>
#include <unordered_map>

#include "common/error.h"
#include "graph/analysis.h"
#include "graph/cost.h"
#include "graph/graph.h"

namespace sniper::features {

namespace {

constexpr const char *kTable3 = "Ace-Sniper Table III";
constexpr const char *kExt = "SPEC §3, extends Ace-Sniper Table III";
constexpr const char *kCost = "cost breakdown, extends Ace-Sniper Table III (docs/features.md)";

// Layer kinds of the "proportion of network layer" dimension; each gives n_<kind> and r_<kind>.
// L(kind, what is counted, paper)
#define SNIPER_LAYER_KINDS(L) \
    L(norm, "normalization layers (BatchNormalization, LayerNormalization, InstanceNormalization, GroupNormalization, LRN)", kTable3) \
    L(conv1x1, "convolutions with a 1x1 kernel that are not depthwise, grouped or dilated", kTable3) \
    L(conv3x3, "convolutions with a 3x3 kernel that are not depthwise, grouped or dilated", kTable3) \
    L(conv5x5, "convolutions with a 5x5 kernel that are not depthwise, grouped or dilated", kTable3) \
    L(conv7x7, "convolutions with a 7x7 kernel that are not depthwise, grouped or dilated", kTable3) \
    L(conv_other, "other dense convolutions: non-square or other kernel sizes, 1-D/3-D kernels, dilated non-3x3", kExt) \
    L(conv_depthwise, "depthwise convolutions (group equals input channels and group > 1), any kernel", kExt) \
    L(conv_grouped, "grouped convolutions (group > 1, not depthwise), any kernel", kExt) \
    L(conv_atrous3x3, "atrous (dilated, dilation > 1) 3x3 convolutions, not depthwise or grouped", kTable3) \
    L(fc, "fully connected layers (Gemm, or MatMul with a constant weight operand)", kTable3) \
    L(concat, "Concat layers", kTable3) \
    L(add, "element-wise Add and Sum layers", kTable3) \
    L(mul, "element-wise Mul layers", kExt) \
    L(avgpool, "AveragePool layers (not global)", kTable3) \
    L(maxpool, "MaxPool layers (not global)", kTable3) \
    L(globalpool, "global pooling (GlobalAveragePool, GlobalMaxPool, ReduceMean/ReduceMax over H and W of a 4-D tensor)", kExt) \
    L(relu, "Relu activations", kExt) \
    L(sigmoid, "Sigmoid activations", kExt) \
    L(hardsigmoid, "HardSigmoid activations", kExt) \
    L(hardswish, "HardSwish activations", kExt) \
    L(tanh, "Tanh activations", kExt) \
    L(clip_relu6, "Clip activations with bounds 0 and 6 (ReLU6), or with bounds given but not stored", kExt) \
    L(gelu_erf, "GELU activations: Gelu, or the Erf node of an exported exact GELU", kExt) \
    L(softmax, "Softmax and LogSoftmax layers", kExt) \
    L(other_activation, "other activations (LeakyRelu, PRelu, Elu, Selu, Softplus, Mish, Clip with other bounds)", kExt) \
    L(attention_matmul, "MatMul (or Gemm) of two activations, as in attention", kExt)

// F(name, dimension, definition, paper)
#define SNIPER_FEATURES(F, L) \
    F(max_branches, NetworkStructure, "maximum number of branches: largest number of layers that can run in parallel (widest antichain of the layer DAG)", kTable3) \
    F(max_out_degree, NetworkStructure, "largest number of layers that directly consume one layer's outputs", kExt) \
    F(num_layers, NetworkStructure, "number of layers (nodes that compute)", kTable3) \
    F(critical_path_layers, NetworkStructure, "layers on the critical path (input-to-output path with the most MACs)", kTable3) \
    F(critical_path_param_ratio, NetworkStructure, "critical-path parameters / total parameters", kTable3) \
    F(critical_path_layer_ratio, NetworkStructure, "critical-path layers / number of layers", kTable3) \
    F(critical_path_mac_ratio, NetworkStructure, "critical-path MACs / total MACs", kTable3) \
    F(mean_macs_per_layer, NetworkStructure, "average computation of network layers: total MACs / number of layers", kTable3) \
    F(total_macs, Calculation, "total multiply-accumulates (Conv, ConvTranspose, Gemm, MatMul)", kTable3) \
    F(critical_path_macs, Calculation, "MACs of the layers on the critical path", kTable3) \
    F(conv_macs, Calculation, "MACs of convolution layers (Conv, ConvTranspose)", kTable3) \
    F(fc_macs, Calculation, "MACs of fully connected layers (Gemm, MatMul with a constant weight)", kTable3) \
    F(total_params, Parameters, "number of parameters (PyTorch sum of numel)", kTable3) \
    F(critical_path_params, Parameters, "parameters of the layers on the critical path", kTable3) \
    F(conv_params, Parameters, "parameters of convolution layers (weights and biases)", kTable3) \
    F(fc_params, Parameters, "parameters of fully connected layers (weights and biases)", kTable3) \
    SNIPER_LAYER_KINDS(L) \
    F(n_plane_7, DataFlow, "layers whose output plane is nearest (log scale) to 7 (1 to 9)", kExt) \
    F(n_plane_14, DataFlow, "layers whose output plane is nearest (log scale) to 14 (10 to 19)", kTable3) \
    F(n_plane_28, DataFlow, "layers whose output plane is nearest (log scale) to 28 (20 to 39)", kTable3) \
    F(n_plane_56, DataFlow, "layers whose output plane is nearest (log scale) to 56 (40 to 79)", kTable3) \
    F(n_plane_112, DataFlow, "layers whose output plane is nearest (log scale) to 112 (80 to 158)", kTable3) \
    F(n_plane_224, DataFlow, "layers whose output plane is nearest (log scale) to 224 (159 and more)", kTable3) \
    F(n_ch_3, DataFlow, "layers whose output channels are nearest (log scale) to 3 (1 to 9)", kTable3) \
    F(n_ch_32, DataFlow, "layers whose output channels are nearest (log scale) to 32 (10 to 45)", kTable3) \
    F(n_ch_64, DataFlow, "layers whose output channels are nearest (log scale) to 64 (46 to 90)", kTable3) \
    F(n_ch_128, DataFlow, "layers whose output channels are nearest (log scale) to 128 (91 to 181)", kTable3) \
    F(n_ch_256, DataFlow, "layers whose output channels are nearest (log scale) to 256 (182 to 362)", kTable3) \
    F(n_ch_512, DataFlow, "layers whose output channels are nearest (log scale) to 512 (363 to 724)", kTable3) \
    F(n_ch_1024, DataFlow, "layers whose output channels are 725 or more (bucket 1024+)", kExt) \
    F(conv1x1_macs, Calculation, "MACs of dense 1x1 convolutions", kCost) \
    F(conv3x3_macs, Calculation, "MACs of dense 3x3 convolutions", kCost) \
    F(conv_large_macs, Calculation, "MACs of dense convolutions with larger or other kernels (5x5, 7x7, non-square)", kCost) \
    F(conv_atrous_macs, Calculation, "MACs of atrous (dilated) 3x3 convolutions", kCost) \
    F(conv_depthwise_macs, Calculation, "MACs of depthwise convolutions", kCost) \
    F(conv_grouped_macs, Calculation, "MACs of grouped convolutions", kCost) \
    F(conv_io_elements, Calculation, "input plus output elements of dense convolutions (their activation traffic)", kCost) \
    F(depthwise_io_elements, Calculation, "input plus output elements of depthwise and grouped convolutions", kCost) \
    F(norm_elements, Calculation, "output elements of normalization layers", kCost) \
    F(cheap_activation_elements, Calculation, "output elements of ReLU and clip activations", kCost) \
    F(transcendental_elements, Calculation, "output elements of Sigmoid, Tanh, HardSigmoid, HardSwish, GELU, Softmax and other activations", kCost) \
    F(maxpool_work, Calculation, "MaxPool output elements times kernel area (comparisons)", kCost) \
    F(avgpool_work, Calculation, "AveragePool output elements times kernel area (additions)", kCost) \
    F(global_pool_elements, Calculation, "input elements of global pooling layers", kCost) \
    F(eltwise_elements, Calculation, "output elements of element-wise Add, Sum and Mul layers", kCost) \
    F(concat_elements, Calculation, "output elements of Concat layers", kCost) \
    F(other_layer_elements, Calculation, "output elements of every other layer", kCost) \
    F(structure_class, Dependency, "Structure Checker class by total MACs: 0 small, 1 medium, 2 large", "Sniper §3.2 Structure Checker") \
    F(num_operator_types, Dependency, "number of distinct ONNX operator types a platform must support", kTable3) \
    F(total_flops, Baseline, "floating-point operations of every node (2 per MAC plus the rest)", "Ace-Sniper §V-A, FLOPs baseline [19]") \
    F(memory_access_cost, Baseline, "memory access cost in bytes: parameters plus every node's inputs and outputs", "Ace-Sniper §V-A, FLOPs&AMC baseline [18]")

namespace idx {
enum Index : int {
#define SNIPER_F_ENUM(name, dim, def, paper) name,
#define SNIPER_L_ENUM(kind, what, paper) n_##kind, r_##kind,
    SNIPER_FEATURES(SNIPER_F_ENUM, SNIPER_L_ENUM)
#undef SNIPER_F_ENUM
#undef SNIPER_L_ENUM
    count
};
} // namespace idx

// Layer-kind positions, in SNIPER_LAYER_KINDS order: n_<kind> = n_norm + 2 * kind.
enum LayerKind : int {
#define SNIPER_K_ENUM(kind, what, paper) k_##kind,
    SNIPER_LAYER_KINDS(SNIPER_K_ENUM)
#undef SNIPER_K_ENUM
    kLayerKindCount,
    kNone = -1
};

constexpr int64_t kPlaneBuckets[] = {7, 14, 28, 56, 112, 224};
constexpr int64_t kChannelBuckets[] = {3, 32, 64, 128, 256, 512, 1024};

// Nearest bucket in log scale: v goes up when v^2 > b[i] * b[i+1] (ties go to the lower bucket).
template <size_t N>
int nearestBucket(int64_t v, const int64_t (&b)[N])
{
    if (v >= b[N - 1])
        return int(N - 1);
    for (size_t i = 0; i + 1 < N; ++i)
        if (v * v <= b[i] * b[i + 1])
            return int(i);
    return int(N - 1);
}

const graph::Shape *shapeOf(const graph::Graph &g, const graph::Node &n, size_t input)
{
    if (input >= n.inputs.size() || n.inputs[input] < 0)
        return nullptr;
    return &g.values[size_t(n.inputs[input])].shape;
}

// A weight operand: a constant, possibly behind Transpose/Reshape-like nodes (torch's Linear export).
bool isConstantOperand(const graph::Graph &g, int v)
{
    for (int depth = 0; depth < 8 && v >= 0; ++depth) {
        const graph::Value &val = g.values[size_t(v)];
        if (val.isConstant)
            return true;
        if (val.producer < 0)
            return false;
        const graph::Node &p = g.nodes[size_t(val.producer)];
        const bool passThrough = p.kind == graph::OpKind::Transpose || !graph::opInfo(p.kind).isLayer;
        if (!passThrough || p.inputs.empty())
            return false;
        v = p.inputs[0];
    }
    return false;
}

// A float scalar stored in a constant input (Clip bounds), if its data is there.
bool constantScalar(const graph::Graph &g, const graph::Node &n, size_t input, double &out)
{
    if (input >= n.inputs.size() || n.inputs[input] < 0)
        return false;
    const graph::Value &v = g.values[size_t(n.inputs[input])];
    const size_t size = v.hasData() ? v.data->size() : 0;
    if (v.dtype == graph::DType::Float && size >= sizeof(float)) {
        float f;
        std::memcpy(&f, v.data->data(), sizeof f);
        out = f;
        return true;
    }
    if (v.dtype == graph::DType::Double && size >= sizeof(double)) {
        std::memcpy(&out, v.data->data(), sizeof out);
        return true;
    }
    return false;
}

LayerKind convKind(const graph::Graph &g, const graph::Node &n)
{
    const graph::Shape *x = shapeOf(g, n, 0);
    const graph::Shape *w = shapeOf(g, n, 1);
    std::vector<int64_t> kernel = n.attrInts("kernel_shape");
    if (kernel.empty() && w && w->size() > 2)
        kernel.assign(w->begin() + 2, w->end());
    const int64_t group = n.attrInt("group", 1);
    const int64_t inChannels = x && x->size() > 1 ? (*x)[1] : 0;
    if (group > 1 && group == inChannels)
        return k_conv_depthwise;
    if (group > 1)
        return k_conv_grouped;
    const std::vector<int64_t> dil = n.attrInts("dilations");
    bool dilated = false;
    for (size_t i = 0; i < dil.size() && i < kernel.size(); ++i)
        dilated = dilated || (dil[i] > 1 && kernel[i] > 1); // dilation of a 1-wide axis changes nothing
    const int64_t side = kernel.size() == 2 && kernel[0] == kernel[1] ? kernel[0] : 0;
    if (dilated)
        return side == 3 ? k_conv_atrous3x3 : k_conv_other;
    switch (side) {
    case 1: return k_conv1x1;
    case 3: return k_conv3x3;
    case 5: return k_conv5x5;
    case 7: return k_conv7x7;
    default: return k_conv_other;
    }
}

bool isSpatialReduce(const graph::Graph &g, const graph::Node &n)
{
    const graph::Shape *x = shapeOf(g, n, 0);
    if (!x || x->size() != 4)
        return false;
    std::vector<int64_t> axes = n.attrInts("axes");
    if (axes.empty() && n.inputs.size() > 1 && n.inputs[1] >= 0) { // opset 18: axes is an input
        const graph::Value &a = g.values[size_t(n.inputs[1])];
        if (a.hasData() && a.dtype == graph::DType::Int64)
            for (size_t i = 0; i + 8 <= a.data->size(); i += 8) {
                int64_t v;
                std::memcpy(&v, a.data->data() + i, 8);
                axes.push_back(v);
            }
    }
    if (axes.size() != 2)
        return false;
    for (int64_t &a : axes)
        a = a < 0 ? a + 4 : a;
    std::sort(axes.begin(), axes.end());
    return axes[0] == 2 && axes[1] == 3;
}

LayerKind clipKind(const graph::Graph &g, const graph::Node &n)
{
    double lo = n.attrFloat("min", std::numeric_limits<double>::quiet_NaN());
    double hi = n.attrFloat("max", std::numeric_limits<double>::quiet_NaN());
    const bool loGiven = n.attribute("min") || (n.inputs.size() > 1 && n.inputs[1] >= 0);
    const bool hiGiven = n.attribute("max") || (n.inputs.size() > 2 && n.inputs[2] >= 0);
    const bool loKnown = n.attribute("min") || constantScalar(g, n, 1, lo);
    const bool hiKnown = n.attribute("max") || constantScalar(g, n, 2, hi);
    if (!loGiven || !hiGiven)
        return k_other_activation;
    if (!loKnown || !hiKnown) // structure-only file: ReLU6 is the Clip of the model zoos
        return k_clip_relu6;
    return lo == 0.0 && hi == 6.0 ? k_clip_relu6 : k_other_activation;
}

// The proportion bucket of one layer node (kNone: counted only in num_layers).
LayerKind layerKind(const graph::Graph &g, const graph::Node &n)
{
    using K = graph::OpKind;
    switch (graph::opInfo(n.kind).category) {
    case graph::OpCategory::Norm: return k_norm;
    case graph::OpCategory::Conv: return convKind(g, n);
    case graph::OpCategory::Concat: return k_concat;
    case graph::OpCategory::GlobalPool: return k_globalpool;
    default: break;
    }
    switch (n.kind) {
    case K::Gemm:
    case K::MatMul: {
        const bool weight = (n.inputs.size() > 0 && isConstantOperand(g, n.inputs[0]))
                            || (n.inputs.size() > 1 && isConstantOperand(g, n.inputs[1]));
        return weight ? k_fc : k_attention_matmul;
    }
    case K::Add: case K::Sum: return k_add;
    case K::Mul: return k_mul;
    case K::AveragePool: return k_avgpool;
    case K::MaxPool: return k_maxpool;
    case K::ReduceMean: case K::ReduceMax: return isSpatialReduce(g, n) ? k_globalpool : kNone;
    case K::Relu: return k_relu;
    case K::Sigmoid: return k_sigmoid;
    case K::HardSigmoid: return k_hardsigmoid;
    case K::HardSwish: return k_hardswish;
    case K::Tanh: return k_tanh;
    case K::Clip: return clipKind(g, n);
    case K::Gelu: case K::Erf: return k_gelu_erf;
    case K::Softmax: case K::LogSoftmax: return k_softmax;
    case K::LeakyRelu: case K::PRelu: case K::Elu: case K::Selu: case K::Softplus: case K::Mish:
        return k_other_activation;
    default: return kNone;
    }
}

double ratio(double num, double den) { return den > 0 ? num / den : 0.0; }

void checkCost(const graph::Graph &g, const graph::GraphCost &cost)
{
    if (cost.nodes.size() != g.nodes.size())
        throw Error("cost table has " + std::to_string(cost.nodes.size()) + " nodes but graph '" + g.name + "' has "
                        + std::to_string(g.nodes.size()) + " (costs of another graph?)",
                    "extractFeatures");
}

// The cost breakdown: where a network's MACs and activation traffic go, by layer kind.
void addCost(double *v, const graph::Node &n, LayerKind kind, const graph::NodeCost &c)
{
    const double macs = double(c.macs), io = double(c.inputElements + c.outputElements), out = double(c.outputElements);
    switch (kind) {
    case k_conv1x1: v[idx::conv1x1_macs] += macs; v[idx::conv_io_elements] += io; return;
    case k_conv3x3: v[idx::conv3x3_macs] += macs; v[idx::conv_io_elements] += io; return;
    case k_conv5x5:
    case k_conv7x7:
    case k_conv_other: v[idx::conv_large_macs] += macs; v[idx::conv_io_elements] += io; return;
    case k_conv_atrous3x3: v[idx::conv_atrous_macs] += macs; v[idx::conv_io_elements] += io; return;
    case k_conv_depthwise: v[idx::conv_depthwise_macs] += macs; v[idx::depthwise_io_elements] += io; return;
    case k_conv_grouped: v[idx::conv_grouped_macs] += macs; v[idx::depthwise_io_elements] += io; return;
    case k_norm: v[idx::norm_elements] += out; return;
    case k_relu:
    case k_clip_relu6: v[idx::cheap_activation_elements] += out; return;
    case k_sigmoid:
    case k_hardsigmoid:
    case k_hardswish:
    case k_tanh:
    case k_gelu_erf:
    case k_softmax:
    case k_other_activation: v[idx::transcendental_elements] += out; return;
    case k_avgpool:
    case k_maxpool: {
        double area = 1;
        for (int64_t k : n.attrInts("kernel_shape"))
            area *= double(k);
        v[kind == k_maxpool ? idx::maxpool_work : idx::avgpool_work] += out * area;
        return;
    }
    case k_add:
    case k_mul: v[idx::eltwise_elements] += out; return;
    case k_concat: v[idx::concat_elements] += out; return;
    default: break;
    }
    if (n.kind == graph::OpKind::GlobalAveragePool || n.kind == graph::OpKind::GlobalMaxPool)
        v[idx::global_pool_elements] += double(c.inputElements);
    else if (kind != k_fc)
        v[idx::other_layer_elements] += out;
}

} // namespace

const char *dimensionName(Dimension d)
{
    switch (d) {
    case Dimension::NetworkStructure: return "network structure";
    case Dimension::Calculation: return "calculation";
    case Dimension::Parameters: return "parameters";
    case Dimension::LayerProportions: return "layer proportions";
    case Dimension::DataFlow: return "inference data flow";
    case Dimension::Dependency: return "dependency";
    case Dimension::Baseline: return "FLOPs&AMC baseline";
    }
    return "?";
}

const std::vector<FeatureDef> &featureTable()
{
    static const std::vector<FeatureDef> table = {
#define SNIPER_F_DEF(name, dim, def, paper) {#name, Dimension::dim, def, paper},
#define SNIPER_L_DEF(kind, what, paper) \
    {"n_" #kind, Dimension::LayerProportions, "number of " what, paper}, \
    {"r_" #kind, Dimension::LayerProportions, "share of layers (n / num_layers) that are " what, paper},
        SNIPER_FEATURES(SNIPER_F_DEF, SNIPER_L_DEF)
#undef SNIPER_F_DEF
#undef SNIPER_L_DEF
    };
    return table;
}

int featureIndex(std::string_view name)
{
    static const std::unordered_map<std::string_view, int> index = [] {
        std::unordered_map<std::string_view, int> m;
        const auto &t = featureTable();
        for (size_t i = 0; i < t.size(); ++i)
            m.emplace(t[i].name, int(i));
        return m;
    }();
    const auto it = index.find(name);
    return it == index.end() ? -1 : it->second;
}

double Features::value(std::string_view name) const
{
    const int i = featureIndex(name);
    if (i < 0)
        throw Error("unknown feature '" + std::string(name) + "'", "Features::value");
    if (size_t(i) >= values.size())
        throw Error("no features extracted (the vector is empty)", "Features::value");
    return values[size_t(i)];
}

int structureClass(int64_t totalMacs, const FeatureOptions &opt)
{
    return totalMacs < opt.smallMacs ? 0 : totalMacs < opt.largeMacs ? 1 : 2;
}

Features extractFeatures(const graph::Graph &g, const graph::GraphCost &cost, const FeatureOptions &opt)
{
    checkCost(g, cost); // before buildLayerDag/criticalPath index cost by node
    const graph::LayerDag dag = graph::buildLayerDag(g);
    return extractFeatures(g, cost, dag, graph::criticalPath(g, cost, dag), opt);
}

Features extractFeatures(const graph::Graph &g, const graph::GraphCost &cost, const graph::LayerDag &dag,
                         const graph::CriticalPath &cp, const FeatureOptions &opt)
{
    checkCost(g, cost);
    if (dag.pred.size() != dag.layers.size() || dag.succ.size() != dag.layers.size() || dag.layers.size() > g.nodes.size())
        throw Error("layer DAG does not belong to graph '" + g.name + "'", "extractFeatures");
    if (opt.smallMacs < 0 || opt.largeMacs < opt.smallMacs)
        throw Error("Structure Checker thresholds must satisfy 0 <= small <= large (small "
                        + std::to_string(opt.smallMacs) + ", large " + std::to_string(opt.largeMacs) + ")",
                    "extractFeatures");

    static_assert(idx::r_attention_matmul - idx::n_norm + 1 == 2 * kLayerKindCount);
    Features f;
    f.values.assign(size_t(idx::count), 0.0);
    double *v = f.values.data();

    int64_t convMacs = 0, fcMacs = 0, convParams = 0, fcParams = 0;
    std::vector<std::string_view> ops;
    ops.reserve(g.nodes.size());
    for (size_t i = 0; i < g.nodes.size(); ++i) {
        const graph::Node &n = g.nodes[i];
        ops.push_back(n.opType.empty() ? graph::opInfo(n.kind).name : std::string_view(n.opType));
        if (!n.isLayer())
            continue;
        const graph::NodeCost &c = cost.nodes[i];
        const LayerKind kind = layerKind(g, n);
        if (kind != kNone)
            v[idx::n_norm + 2 * kind] += 1;
        addCost(v, n, kind, c);
        if (graph::opInfo(n.kind).category == graph::OpCategory::Conv) {
            convMacs += c.macs;
            convParams += c.params;
        } else if (kind == k_fc) {
            fcMacs += c.macs;
            fcParams += c.params;
        }
        // Inference data flow: NCHW planes, or sqrt(T) of [N, T, C] token sequences.
        if (n.outputs.empty() || n.outputs[0] < 0)
            continue;
        const graph::Shape &s = g.values[size_t(n.outputs[0])].shape;
        int64_t plane = 0, channels = 0;
        if (s.size() == 4) {
            plane = s[2];
            channels = s[1];
        } else if (s.size() == 3 && s[1] > 0) {
            plane = std::llround(std::sqrt(double(s[1])));
            channels = s[2];
        }
        if (plane > 0 && channels > 0) {
            v[idx::n_plane_7 + nearestBucket(plane, kPlaneBuckets)] += 1;
            v[idx::n_ch_3 + nearestBucket(channels, kChannelBuckets)] += 1;
        }
    }

    const double layers = double(dag.layers.size());
    for (int k = 0; k < kLayerKindCount; ++k)
        v[idx::r_norm + 2 * k] = ratio(v[idx::n_norm + 2 * k], layers);

    v[idx::max_branches] = graph::maxBranches(dag);
    v[idx::max_out_degree] = graph::maxOutDegree(dag);
    v[idx::num_layers] = layers;
    v[idx::critical_path_layers] = double(cp.nodes.size());
    v[idx::critical_path_param_ratio] = ratio(double(cp.params), double(cost.params));
    v[idx::critical_path_layer_ratio] = ratio(double(cp.nodes.size()), layers);
    v[idx::critical_path_mac_ratio] = ratio(double(cp.macs), double(cost.macs));
    v[idx::mean_macs_per_layer] = ratio(double(cost.macs), layers);
    v[idx::total_macs] = double(cost.macs);
    v[idx::critical_path_macs] = double(cp.macs);
    v[idx::conv_macs] = double(convMacs);
    v[idx::fc_macs] = double(fcMacs);
    v[idx::total_params] = double(cost.params);
    v[idx::critical_path_params] = double(cp.params);
    v[idx::conv_params] = double(convParams);
    v[idx::fc_params] = double(fcParams);

    std::sort(ops.begin(), ops.end());
    ops.erase(std::unique(ops.begin(), ops.end()), ops.end());
    f.requiredOperators.assign(ops.begin(), ops.end());
    f.structureClass = structureClass(cost.macs, opt);
    v[idx::structure_class] = f.structureClass;
    v[idx::num_operator_types] = double(f.requiredOperators.size());
    v[idx::total_flops] = double(cost.flops);
    v[idx::memory_access_cost] = double(cost.memoryAccess);
    return f;
}

} // namespace sniper::features
