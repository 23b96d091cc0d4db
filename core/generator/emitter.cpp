#include "generator/emitter.h"

#include "onnx/shapeinference.h"

#include <cstring>
#include <string>

namespace sniper::generator {

using namespace sniper::graph;

namespace {

Attribute intAttr(const char *name, int64_t i)
{
    Attribute a;
    a.name = name;
    a.kind = Attribute::Kind::Int;
    a.i = i;
    return a;
}

Attribute intsAttr(const char *name, int64_t x, size_t count)
{
    Attribute a;
    a.name = name;
    a.kind = Attribute::Kind::Ints;
    a.ints.assign(count, x);
    return a;
}

Attribute floatAttr(const char *name, double f)
{
    Attribute a;
    a.name = name;
    a.kind = Attribute::Kind::Float;
    a.f = f;
    return a;
}

// Short names keep std::string in its small buffer: "t12" activations, "w34" weights.
std::string indexName(char prefix, size_t index)
{
    std::string s(1, prefix);
    s += std::to_string(index);
    return s;
}

} // namespace

Emitter::Emitter(Graph &g, int64_t opset) : m_g(g)
{
    m_g.opset = opset;
}

int Emitter::input(Shape shape, const char *name)
{
    Value v;
    v.name = name;
    v.shape = std::move(shape);
    int id = m_g.addValue(std::move(v));
    m_g.inputs.push_back(id);
    return id;
}

int Emitter::param(Shape shape, bool isParameter)
{
    Value v;
    v.name = indexName('w', m_g.values.size());
    v.shape = std::move(shape);
    v.isConstant = true;
    // Same rule as the importer: floating constants with > 1 element, BN statistics excluded.
    v.isParameter = isParameter && numElements(v.shape) > 1;
    return m_g.addValue(std::move(v));
}

int Emitter::scalar(float value)
{
    Value v;
    v.name = indexName('c', m_g.values.size());
    v.isConstant = true;
    auto bytes = std::make_shared<Bytes>(sizeof(float));
    std::memcpy(bytes->data(), &value, sizeof(float));
    v.data = std::move(bytes);
    return m_g.addValue(std::move(v));
}

int Emitter::ints(const std::vector<int64_t> &values)
{
    Value v;
    v.name = indexName('c', m_g.values.size());
    v.dtype = DType::Int64;
    v.shape = {int64_t(values.size())};
    v.isConstant = true;
    auto bytes = std::make_shared<Bytes>(values.size() * sizeof(int64_t));
    if (!values.empty())
        std::memcpy(bytes->data(), values.data(), values.size() * sizeof(int64_t));
    v.data = std::move(bytes);
    return m_g.addValue(std::move(v));
}

int Emitter::parameter(Shape shape)
{
    return param(std::move(shape));
}

int Emitter::nodeV(OpKind kind, std::vector<int> inputs, std::vector<Attribute> attrs)
{
    Value &out = m_g.values.emplace_back();
    out.name = indexName('t', m_g.values.size() - 1);
    const int y = int(m_g.values.size()) - 1;
    Node &n = m_g.nodes.emplace_back();
    n.kind = kind;
    n.opType = opInfo(kind).name;
    n.name.reserve(n.opType.size() + 6);
    n.name += n.opType;
    n.name += '_';
    n.name += std::to_string(m_g.nodes.size() - 1);
    n.inputs = std::move(inputs);
    n.attributes = std::move(attrs);
    n.outputs.push_back(y);
    onnx::inferNodeShapes(m_g, n, m_g.opset);
    return y;
}

int Emitter::node(OpKind kind, std::initializer_list<int> inputs, std::vector<Attribute> attrs)
{
    return nodeV(kind, std::vector<int>(inputs), std::move(attrs));
}

void Emitter::reserve(size_t nodes, size_t values)
{
    m_g.nodes.reserve(nodes);
    m_g.values.reserve(values);
}

int Emitter::conv(int x, int64_t cout, int64_t kernel, int64_t stride, int64_t dilation, int64_t group, bool bias)
{
    const int64_t pad = dilation * (kernel - 1) / 2;
    return convRect(x, cout, kernel, kernel, stride, pad, pad, group, bias, dilation);
}

int Emitter::convRect(int x, int64_t cout, int64_t kh, int64_t kw, int64_t stride, int64_t padH, int64_t padW,
                      int64_t group, bool bias, int64_t dilation)
{
    const int64_t cin = channels(x);
    int w = param({cout, cin / group, kh, kw});
    int b = bias ? param({cout}) : -1;
    std::vector<Attribute> attrs;
    attrs.reserve(5);
    attrs.push_back(intsAttr("dilations", dilation, 2));
    attrs.push_back(intAttr("group", group));
    Attribute k = intsAttr("kernel_shape", kh, 2);
    k.ints[1] = kw;
    attrs.push_back(std::move(k));
    Attribute pads = intsAttr("pads", padH, 4);
    pads.ints[1] = pads.ints[3] = padW;
    attrs.push_back(std::move(pads));
    attrs.push_back(intsAttr("strides", stride, 2));
    int y = bias ? node(OpKind::Conv, {x, w, b}, std::move(attrs)) : node(OpKind::Conv, {x, w}, std::move(attrs));
    // docs/graph-and-onnx.md: Conv MACs = out elements x Cin/group x kernel.
    m_macs += m_g.values[y].elements() * (cin / group) * kh * kw;
    return y;
}

int Emitter::batchNorm(int x)
{
    const int64_t c = channels(x);
    int scale = param({c}), bias = param({c});
    int mean = param({c}, false), var = param({c}, false); // running statistics are buffers
    return node(OpKind::BatchNormalization, {x, scale, bias, mean, var}, {floatAttr("epsilon", 1e-5)});
}

int Emitter::layerNorm(int x)
{
    const int64_t c = shape(x).back();
    const int mean = node(OpKind::ReduceMean, {x}, {intsAttr("axes", -1, 1)});
    const int centered = node(OpKind::Sub, {x, mean});
    const int square = node(OpKind::Pow, {centered, scalar(2.0f)});
    const int var = node(OpKind::ReduceMean, {square}, {intsAttr("axes", -1, 1)});
    const int std = node(OpKind::Sqrt, {node(OpKind::Add, {var, scalar(1e-6f)})});
    const int normed = node(OpKind::Div, {centered, std});
    return node(OpKind::Add, {node(OpKind::Mul, {normed, param({c})}), param({c})});
}

int Emitter::activation(int x, Activation a)
{
    switch (a) {
    case Activation::Relu: return node(OpKind::Relu, {x});
    case Activation::Relu6:
        if (m_clipMin < 0) {
            m_clipMin = scalar(0.0f);
            m_clipMax = scalar(6.0f);
        }
        return node(OpKind::Clip, {x, m_clipMin, m_clipMax});
    case Activation::LeakyRelu: return node(OpKind::LeakyRelu, {x}, {floatAttr("alpha", 0.01)});
    case Activation::Sigmoid: return node(OpKind::Sigmoid, {x});
    case Activation::Tanh: return node(OpKind::Tanh, {x});
    case Activation::Elu: return node(OpKind::Elu, {x});
    case Activation::HardSigmoid: return node(OpKind::HardSigmoid, {x});
    case Activation::HardSwish:
        return node(OpKind::Mul, {x, node(OpKind::HardSigmoid, {x}, {floatAttr("alpha", 1.0 / 6.0), floatAttr("beta", 0.5)})});
    case Activation::Silu: return node(OpKind::Mul, {x, node(OpKind::Sigmoid, {x})});
    case Activation::Gelu: {
        const int erf = node(OpKind::Erf, {node(OpKind::Div, {x, scalar(1.41421356f)})});
        return node(OpKind::Mul, {node(OpKind::Mul, {x, node(OpKind::Add, {erf, scalar(1.0f)})}), scalar(0.5f)});
    }
    }
    return x;
}

int Emitter::pool(int x, bool max, int64_t kernel, int64_t stride, int64_t pad)
{
    std::vector<Attribute> attrs;
    attrs.reserve(3);
    attrs.push_back(intsAttr("kernel_shape", kernel, 2));
    attrs.push_back(intsAttr("pads", pad, 4));
    attrs.push_back(intsAttr("strides", stride, 2));
    return node(max ? OpKind::MaxPool : OpKind::AveragePool, {x}, std::move(attrs));
}

int Emitter::globalAveragePool(int x)
{
    return node(OpKind::GlobalAveragePool, {x});
}

int Emitter::flatten(int x)
{
    return node(OpKind::Flatten, {x}, {intAttr("axis", 1)});
}

int Emitter::gemm(int x, int64_t outFeatures)
{
    const int64_t k = shape(x)[1];
    int w = param({outFeatures, k}), b = param({outFeatures});
    int y = node(OpKind::Gemm, {x, w, b}, {intAttr("transB", 1)});
    m_macs += m_g.values[y].elements() * k;
    return y;
}

int Emitter::linear(int x, int64_t outFeatures)
{
    const int64_t k = shape(x).back();
    int y = node(OpKind::MatMul, {x, param({k, outFeatures})});
    m_macs += m_g.values[y].elements() * k;
    return node(OpKind::Add, {y, param({outFeatures})});
}

int Emitter::matmul(int a, int b)
{
    const int64_t k = shape(a).back();
    int y = node(OpKind::MatMul, {a, b});
    m_macs += m_g.values[y].elements() * k;
    return y;
}

int Emitter::reshape(int x, const std::vector<int64_t> &shape)
{
    return node(OpKind::Reshape, {x, ints(shape)});
}

int Emitter::transpose(int x, const std::vector<int64_t> &perm)
{
    Attribute a = intsAttr("perm", 0, 0);
    a.ints = perm;
    return node(OpKind::Transpose, {x}, {std::move(a)});
}

int Emitter::slice(int x, int64_t axis, int64_t begin, int64_t end)
{
    return node(OpKind::Slice, {x, ints({begin}), ints({end}), ints({axis})});
}

int Emitter::softmax(int x, int64_t axis)
{
    return node(OpKind::Softmax, {x}, {intAttr("axis", axis)});
}

int Emitter::reduceMean(int x, const std::vector<int64_t> &axes, bool keepDims)
{
    Attribute a = intsAttr("axes", 0, 0);
    a.ints = axes;
    return node(OpKind::ReduceMean, {x}, {std::move(a), intAttr("keepdims", keepDims ? 1 : 0)});
}

int Emitter::add(int a, int b)
{
    return node(OpKind::Add, {a, b});
}

int Emitter::mul(int a, int b)
{
    return node(OpKind::Mul, {a, b});
}

int Emitter::concat(std::vector<int> xs)
{
    return nodeV(OpKind::Concat, std::move(xs), {intAttr("axis", 1)});
}

void Emitter::rollback(const Mark &m)
{
    m_g.values.resize(m.values);
    m_g.nodes.resize(m.nodes);
    m_macs = m.macs;
    if (m_clipMin >= int(m.values))
        m_clipMin = m_clipMax = -1;
}

} // namespace sniper::generator
