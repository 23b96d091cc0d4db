#include "onnx/constantfold.h"

#include "common/error.h"
#include "onnx/shapeinference.h"

#include <algorithm>
#include <cmath>
#include <cstring>

namespace sniper::onnx {

using namespace sniper::graph;

namespace {

template <typename T>
void readAs(const Bytes &b, std::vector<double> &out)
{
    size_t n = b.size() / sizeof(T);
    out.resize(n);
    for (size_t i = 0; i < n; ++i) {
        T x;
        std::memcpy(&x, b.data() + i * sizeof(T), sizeof(T));
        out[i] = double(x);
    }
}

template <typename T>
void writeAs(const std::vector<double> &x, Bytes &b)
{
    b.resize(x.size() * sizeof(T));
    for (size_t i = 0; i < x.size(); ++i) {
        T v = T(x[i]);
        std::memcpy(b.data() + i * sizeof(T), &v, sizeof(T));
    }
}

bool numericType(DType t)
{
    switch (t) {
    case DType::Float: case DType::Double: case DType::Int64: case DType::Int32: case DType::Int8:
    case DType::UInt8: case DType::Bool: case DType::Int16: case DType::UInt16: case DType::UInt32:
    case DType::UInt64:
        return true;
    default:
        return false;
    }
}

// Element index of `out` position mapped into an input broadcast to out's shape.
struct Broadcaster {
    std::vector<int64_t> strides; // input strides aligned to the output rank (0 for broadcast dims)
    Broadcaster(const Shape &in, const Shape &out) : strides(out.size(), 0)
    {
        int64_t s = 1;
        for (size_t i = 0; i < in.size(); ++i) {
            size_t oi = out.size() - 1 - i, ii = in.size() - 1 - i;
            strides[oi] = in[ii] == 1 ? 0 : s;
            s *= in[ii];
        }
    }
};

// Visits every output element with the matching element index of each input.
template <typename F>
void forEachBroadcast(const Shape &out, const std::vector<Broadcaster> &ins, F &&f)
{
    int64_t total = numElements(out);
    std::vector<int64_t> idx(out.size(), 0);
    std::vector<int64_t> off(ins.size(), 0);
    for (int64_t e = 0; e < total; ++e) {
        f(e, off);
        for (int64_t d = int64_t(out.size()) - 1; d >= 0; --d) {
            ++idx[d];
            for (size_t k = 0; k < ins.size(); ++k)
                off[k] += ins[k].strides[d];
            if (idx[d] < out[d])
                break;
            for (size_t k = 0; k < ins.size(); ++k)
                off[k] -= ins[k].strides[d] * out[d];
            idx[d] = 0;
        }
    }
}

double binary(OpKind k, double a, double b, bool integer)
{
    switch (k) {
    case OpKind::Add: return a + b;
    case OpKind::Sub: return a - b;
    case OpKind::Mul: return a * b;
    case OpKind::Div: return integer ? (b == 0 ? 0 : std::trunc(a / b)) : a / b;
    case OpKind::Pow: return std::pow(a, b);
    case OpKind::Min: return std::min(a, b);
    case OpKind::Max: return std::max(a, b);
    case OpKind::Equal: return a == b;
    case OpKind::Less: return a < b;
    case OpKind::Greater: return a > b;
    default: return 0;
    }
}

double unary(OpKind k, double a)
{
    switch (k) {
    case OpKind::Neg: return -a;
    case OpKind::Sqrt: return std::sqrt(a);
    case OpKind::Abs: return std::fabs(a);
    case OpKind::Floor: return std::floor(a);
    case OpKind::Ceil: return std::ceil(a);
    case OpKind::Not: return a == 0;
    case OpKind::Relu: return a > 0 ? a : 0;
    case OpKind::Exp: return std::exp(a);
    case OpKind::Reciprocal: return 1.0 / a;
    case OpKind::Identity: case OpKind::Cast: case OpKind::Dropout: return a;
    default: return a;
    }
}

// Copies elements of x (any dtype) by index map: out[i] = x[map[i]].
std::shared_ptr<const Bytes> gatherBytes(const Value &x, const std::vector<int64_t> &map)
{
    int es = dtypeSize(x.dtype);
    auto out = std::make_shared<Bytes>(map.size() * size_t(es));
    for (size_t i = 0; i < map.size(); ++i)
        std::memcpy(out->data() + i * es, x.data->data() + map[i] * es, size_t(es));
    return out;
}

std::vector<int64_t> stridesOf(const Shape &s)
{
    std::vector<int64_t> st(s.size(), 1);
    for (int64_t i = int64_t(s.size()) - 2; i >= 0; --i)
        st[i] = st[i + 1] * s[i + 1];
    return st;
}

// Index maps of the data-movement operators (input element for each output element).
bool movementMap(const Graph &g, const Node &n, const Value &x, const Value &out, size_t outIdx,
                 std::vector<int64_t> &map)
{
    const Shape &os = out.shape;
    int64_t total = numElements(os);
    map.resize(size_t(total));
    auto inStrides = stridesOf(x.shape);
    auto outStrides = stridesOf(os);
    auto unravel = [&](int64_t e, std::vector<int64_t> &idx) {
        for (size_t d = 0; d < os.size(); ++d) {
            idx[d] = outStrides.empty() ? 0 : e / outStrides[d];
            e %= outStrides[d];
        }
    };
    std::vector<int64_t> idx(os.size());
    switch (n.kind) {
    case OpKind::Identity: case OpKind::Reshape: case OpKind::Flatten: case OpKind::Squeeze:
    case OpKind::Unsqueeze: case OpKind::Dropout:
        for (int64_t e = 0; e < total; ++e)
            map[e] = e;
        return true;
    case OpKind::Transpose: {
        auto perm = n.attrInts("perm");
        if (perm.empty())
            for (size_t i = 0; i < x.shape.size(); ++i)
                perm.insert(perm.begin(), int64_t(i));
        for (int64_t e = 0; e < total; ++e) {
            unravel(e, idx);
            int64_t src = 0;
            for (size_t d = 0; d < os.size(); ++d)
                src += idx[d] * inStrides[perm[d]];
            map[e] = src;
        }
        return true;
    }
    case OpKind::Expand: {
        Broadcaster b(x.shape, os);
        forEachBroadcast(os, {b}, [&](int64_t e, const std::vector<int64_t> &off) { map[e] = off[0]; });
        return true;
    }
    case OpKind::Gather: {
        int64_t axis = normalizeAxis(n.attrInt("axis", 0), int64_t(x.shape.size()), n.name);
        std::vector<int64_t> ind = toInts(g.values[n.inputs[1]]);
        int64_t dim = x.shape[axis];
        int64_t outer = numElements(Shape(x.shape.begin(), x.shape.begin() + axis));
        int64_t inner = numElements(Shape(x.shape.begin() + axis + 1, x.shape.end()));
        int64_t e = 0;
        for (int64_t o = 0; o < outer; ++o)
            for (int64_t i : ind) {
                if (i < 0)
                    i += dim;
                if (i < 0 || i >= dim)
                    throw Error("index " + std::to_string(i) + " is out of range for dimension " + std::to_string(dim),
                                "node '" + n.name + "' (Gather)");
                for (int64_t k = 0; k < inner; ++k)
                    map[e++] = (o * dim + i) * inner + k;
            }
        return true;
    }
    case OpKind::Slice: case OpKind::Split: {
        // Both take a box of the input: recover each output axis' start and step.
        std::vector<int64_t> start(os.size(), 0), step(os.size(), 1);
        if (n.kind == OpKind::Split) {
            int64_t axis = normalizeAxis(n.attrInt("axis", 0), int64_t(x.shape.size()), n.name);
            for (size_t k = 0; k < outIdx; ++k)
                start[axis] += g.values[n.outputs[k]].shape[axis];
        } else {
            std::vector<int64_t> starts = toInts(g.values[n.inputs[1]]);
            std::vector<int64_t> axes, steps;
            if (n.inputs.size() > 3 && n.inputs[3] >= 0)
                axes = toInts(g.values[n.inputs[3]]);
            if (n.inputs.size() > 4 && n.inputs[4] >= 0)
                steps = toInts(g.values[n.inputs[4]]);
            for (size_t i = 0; i < starts.size(); ++i) {
                int64_t a = normalizeAxis(axes.empty() ? int64_t(i) : axes[i], int64_t(x.shape.size()), n.name);
                int64_t st = steps.empty() ? 1 : steps[i], dim = x.shape[a];
                int64_t s = starts[i] < 0 ? starts[i] + dim : starts[i];
                start[a] = st > 0 ? std::clamp<int64_t>(s, 0, dim) : std::clamp<int64_t>(s, 0, dim - 1);
                step[a] = st;
            }
        }
        for (int64_t e = 0; e < total; ++e) {
            unravel(e, idx);
            int64_t src = 0;
            for (size_t d = 0; d < os.size(); ++d)
                src += (start[d] + idx[d] * step[d]) * inStrides[d];
            map[e] = src;
        }
        return true;
    }
    default:
        return false;
    }
}

} // namespace

std::vector<double> toDoubles(const Value &v)
{
    std::vector<double> out;
    if (!v.data)
        return out;
    switch (v.dtype) {
    case DType::Float: readAs<float>(*v.data, out); break;
    case DType::Double: readAs<double>(*v.data, out); break;
    case DType::Int64: readAs<int64_t>(*v.data, out); break;
    case DType::Int32: readAs<int32_t>(*v.data, out); break;
    case DType::Int16: readAs<int16_t>(*v.data, out); break;
    case DType::UInt16: readAs<uint16_t>(*v.data, out); break;
    case DType::UInt32: readAs<uint32_t>(*v.data, out); break;
    case DType::UInt64: readAs<uint64_t>(*v.data, out); break;
    case DType::Int8: readAs<int8_t>(*v.data, out); break;
    case DType::UInt8: case DType::Bool: readAs<uint8_t>(*v.data, out); break;
    default: break;
    }
    return out;
}

std::vector<int64_t> toInts(const Value &v)
{
    if (v.dtype == DType::Int64 && v.data) {
        std::vector<int64_t> out(v.data->size() / 8);
        std::memcpy(out.data(), v.data->data(), out.size() * 8);
        return out;
    }
    std::vector<int64_t> out;
    for (double d : toDoubles(v))
        out.push_back(int64_t(d));
    return out;
}

std::shared_ptr<const Bytes> fromDoubles(DType t, const std::vector<double> &x)
{
    auto b = std::make_shared<Bytes>();
    switch (t) {
    case DType::Float: writeAs<float>(x, *b); break;
    case DType::Double: writeAs<double>(x, *b); break;
    case DType::Int64: writeAs<int64_t>(x, *b); break;
    case DType::Int32: writeAs<int32_t>(x, *b); break;
    case DType::Int16: writeAs<int16_t>(x, *b); break;
    case DType::UInt16: writeAs<uint16_t>(x, *b); break;
    case DType::UInt32: writeAs<uint32_t>(x, *b); break;
    case DType::UInt64: writeAs<uint64_t>(x, *b); break;
    case DType::Int8: writeAs<int8_t>(x, *b); break;
    case DType::UInt8: case DType::Bool: writeAs<uint8_t>(x, *b); break;
    default: return nullptr;
    }
    return b;
}

bool isFoldable(const Graph &g, const Node &n)
{
    for (int o : n.outputs)
        if (g.values[o].elements() > kMaxFoldElements)
            return false;
    switch (n.kind) {
    case OpKind::Shape: case OpKind::Add: case OpKind::Sub: case OpKind::Mul: case OpKind::Div: case OpKind::Pow:
    case OpKind::Min: case OpKind::Max: case OpKind::Equal: case OpKind::Less: case OpKind::Greater:
    case OpKind::Where: case OpKind::Neg: case OpKind::Sqrt: case OpKind::Abs: case OpKind::Floor: case OpKind::Ceil:
    case OpKind::Not: case OpKind::Relu: case OpKind::Exp: case OpKind::Reciprocal: case OpKind::ConstantOfShape:
    case OpKind::Range: case OpKind::Concat: case OpKind::Identity: case OpKind::Reshape: case OpKind::Flatten:
    case OpKind::Squeeze: case OpKind::Unsqueeze: case OpKind::Transpose: case OpKind::Expand: case OpKind::Gather:
    case OpKind::Slice: case OpKind::Split:
        break;
    case OpKind::Cast:
        return g.values[n.outputs[0]].dtype != DType::String && g.values[n.inputs[0]].dtype != DType::String;
    case OpKind::Dropout: // the mask output has another dtype; fold only the plain form
        return n.outputs.size() == 1;
    default:
        return false;
    }
    for (int in : n.inputs)
        if (in >= 0 && (g.values[in].dtype == DType::String || dtypeSize(g.values[in].dtype) == 0))
            return false;
    return (n.inputs.size() <= 2 || n.kind == OpKind::Where || n.kind == OpKind::Concat || n.kind == OpKind::Slice ||
            n.kind == OpKind::Range || n.kind == OpKind::Split) &&
           !(n.inputs.size() != 2 && (n.kind == OpKind::Min || n.kind == OpKind::Max));
}

bool evaluateConstantNode(Graph &g, const Node &n)
{
    for (int o : n.outputs)
        if (g.values[o].elements() > kMaxFoldElements)
            return false;
    if (n.kind == OpKind::Shape) {
        const Value &x = g.values[n.inputs[0]];
        int64_t r = int64_t(x.shape.size());
        int64_t start = n.attrInt("start", 0), end = n.attrInt("end", r);
        start = std::clamp<int64_t>(start < 0 ? start + r : start, 0, r);
        end = std::clamp<int64_t>(end < 0 ? end + r : end, 0, r);
        std::vector<double> dims(x.shape.begin() + start, x.shape.begin() + std::max(start, end));
        g.values[n.outputs[0]].data = fromDoubles(DType::Int64, dims);
        return true;
    }
    for (int in : n.inputs)
        if (in >= 0 && !g.values[in].hasData())
            return false;
    if (n.inputs.empty() || n.inputs[0] < 0)
        return false;
    const Value &x = g.values[n.inputs[0]];
    switch (n.kind) {
    case OpKind::Add: case OpKind::Sub: case OpKind::Mul: case OpKind::Div: case OpKind::Pow:
    case OpKind::Min: case OpKind::Max: case OpKind::Equal: case OpKind::Less: case OpKind::Greater: {
        if (n.inputs.size() != 2 || !numericType(x.dtype))
            return false;
        const Value &y = g.values[n.inputs[1]];
        Value &out = g.values[n.outputs[0]];
        auto a = toDoubles(x), b = toDoubles(y);
        std::vector<double> r(size_t(out.elements()));
        bool integer = !isFloating(x.dtype);
        forEachBroadcast(out.shape, {Broadcaster(x.shape, out.shape), Broadcaster(y.shape, out.shape)},
                         [&](int64_t e, const std::vector<int64_t> &off) { r[e] = binary(n.kind, a[off[0]], b[off[1]], integer); });
        out.data = fromDoubles(out.dtype, r);
        return true;
    }
    case OpKind::Where: {
        const Value &a = g.values[n.inputs[1]], &b = g.values[n.inputs[2]];
        Value &out = g.values[n.outputs[0]];
        auto cond = toDoubles(x), va = toDoubles(a), vb = toDoubles(b);
        std::vector<double> r(size_t(out.elements()));
        forEachBroadcast(out.shape, {Broadcaster(x.shape, out.shape), Broadcaster(a.shape, out.shape), Broadcaster(b.shape, out.shape)},
                         [&](int64_t e, const std::vector<int64_t> &off) { r[e] = cond[off[0]] != 0 ? va[off[1]] : vb[off[2]]; });
        out.data = fromDoubles(out.dtype, r);
        return true;
    }
    case OpKind::Neg: case OpKind::Sqrt: case OpKind::Abs: case OpKind::Floor: case OpKind::Ceil:
    case OpKind::Not: case OpKind::Cast: case OpKind::Relu: case OpKind::Exp: case OpKind::Reciprocal: {
        if (!numericType(x.dtype))
            return false;
        Value &out = g.values[n.outputs[0]];
        auto a = toDoubles(x);
        for (double &v : a)
            v = unary(n.kind, v);
        out.data = fromDoubles(out.dtype, a);
        return out.data != nullptr;
    }
    case OpKind::ConstantOfShape: {
        Value &out = g.values[n.outputs[0]];
        const Attribute *value = n.attribute("value");
        double fill = 0;
        if (value && value->tensorData) {
            Value tmp;
            tmp.dtype = value->tensorType;
            tmp.data = value->tensorData;
            auto d = toDoubles(tmp);
            fill = d.empty() ? 0 : d[0];
        }
        out.data = fromDoubles(out.dtype, std::vector<double>(size_t(out.elements()), fill));
        return out.data != nullptr;
    }
    case OpKind::Range: {
        Value &out = g.values[n.outputs[0]];
        double start = toDoubles(x)[0], delta = toDoubles(g.values[n.inputs[2]])[0];
        std::vector<double> r(size_t(out.elements()));
        for (size_t i = 0; i < r.size(); ++i)
            r[i] = start + double(i) * delta;
        out.data = fromDoubles(out.dtype, r);
        return true;
    }
    case OpKind::Concat: {
        Value &out = g.values[n.outputs[0]];
        int64_t axis = normalizeAxis(n.attrInt("axis", 0), int64_t(out.shape.size()), n.name);
        int64_t outer = numElements(Shape(out.shape.begin(), out.shape.begin() + axis));
        int es = dtypeSize(out.dtype);
        auto bytes = std::make_shared<Bytes>();
        bytes->reserve(size_t(out.bytes()));
        for (int64_t o = 0; o < outer; ++o) {
            for (int in : n.inputs) {
                const Value &v = g.values[in];
                int64_t chunk = numElements(Shape(v.shape.begin() + axis, v.shape.end())) * es;
                const uint8_t *src = v.data->data() + o * chunk;
                bytes->insert(bytes->end(), src, src + chunk);
            }
        }
        out.data = bytes;
        return true;
    }
    default: {
        for (size_t k = 0; k < n.outputs.size(); ++k) {
            Value &out = g.values[n.outputs[k]];
            std::vector<int64_t> map;
            if (out.dtype != x.dtype || !movementMap(g, n, x, out, k, map))
                return false;
            out.data = gatherBytes(x, map);
        }
        return true;
    }
    }
}

} // namespace sniper::onnx
