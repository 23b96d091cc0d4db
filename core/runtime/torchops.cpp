#include "runtime/torchops.h"

#include "common/error.h"

#include <ATen/ATen.h>

#include <cmath>
#include <limits>

namespace sniper::runtime {

using namespace sniper::graph;

namespace {

struct Args {
    const Graph &g;
    const Node &n;
    const std::vector<at::Tensor> &v;

    bool has(size_t i) const { return i < n.inputs.size() && n.inputs[i] >= 0; }
    const at::Tensor &in(size_t i) const { return v[n.inputs[i]]; }
    const Value &value(size_t i) const { return g.values[n.inputs[i]]; }
    const Shape &outShape(size_t i = 0) const { return g.values[n.outputs[i]].shape; }
    std::vector<int64_t> ints(size_t i) const
    {
        at::Tensor t = in(i).to(at::kLong).contiguous();
        return std::vector<int64_t>(t.data_ptr<int64_t>(), t.data_ptr<int64_t>() + t.numel());
    }
    std::string where() const { return "node '" + n.name + "' (" + n.opType + ")"; }
};

using Out = std::vector<at::Tensor>;

int64_t axisOf(int64_t a, int64_t rank) { return a < 0 ? a + rank : a; }

// Applies ONNX pads [b1..bn, e1..en] on the trailing spatial dims with a constant value.
at::Tensor padSpatial(const at::Tensor &x, const std::vector<int64_t> &pads, double value)
{
    size_t sp = pads.size() / 2;
    std::vector<int64_t> torchPads; // last dim first: (begin, end) pairs
    for (size_t i = sp; i-- > 0;) {
        torchPads.push_back(pads[i]);
        torchPads.push_back(pads[i + sp]);
    }
    return at::constant_pad_nd(x, torchPads, value);
}

// Resolves auto_pad / pads for Conv and the pools into explicit [begins..., ends...].
std::vector<int64_t> explicitPads(const Args &a, const std::vector<int64_t> &kernel, const std::vector<int64_t> &strides,
                                  const std::vector<int64_t> &dil)
{
    size_t sp = kernel.size();
    std::string autoPad = a.n.attrString("auto_pad", "NOTSET");
    if (autoPad == "SAME_UPPER" || autoPad == "SAME_LOWER") {
        const Shape &x = a.value(0).shape;
        std::vector<int64_t> pads(2 * sp, 0);
        for (size_t i = 0; i < sp; ++i) {
            int64_t in = x[i + 2], out = (in + strides[i] - 1) / strides[i];
            int64_t total = std::max<int64_t>(0, (out - 1) * strides[i] + (kernel[i] - 1) * dil[i] + 1 - in);
            int64_t small = total / 2, big = total - small;
            pads[i] = autoPad == "SAME_UPPER" ? small : big;
            pads[i + sp] = autoPad == "SAME_UPPER" ? big : small;
        }
        return pads;
    }
    if (autoPad == "VALID")
        return std::vector<int64_t>(2 * sp, 0);
    return a.n.attrInts("pads", std::vector<int64_t>(2 * sp, 0));
}

bool symmetric(const std::vector<int64_t> &pads)
{
    size_t sp = pads.size() / 2;
    for (size_t i = 0; i < sp; ++i)
        if (pads[i] != pads[i + sp])
            return false;
    return true;
}

Out conv(const Args &a)
{
    const at::Tensor &x = a.in(0), &w = a.in(1);
    size_t sp = size_t(w.dim() - 2);
    std::vector<int64_t> kernel(w.sizes().begin() + 2, w.sizes().end());
    auto strides = a.n.attrInts("strides", std::vector<int64_t>(sp, 1));
    auto dil = a.n.attrInts("dilations", std::vector<int64_t>(sp, 1));
    auto pads = explicitPads(a, kernel, strides, dil);
    at::Tensor input = x;
    std::vector<int64_t> pad(pads.begin(), pads.begin() + long(sp));
    if (!symmetric(pads)) {
        input = padSpatial(x, pads, 0.0);
        pad.assign(sp, 0);
    }
    at::Tensor bias = a.has(2) ? a.in(2) : at::Tensor();
    return {at::convolution(input, w, bias, strides, pad, dil, false, std::vector<int64_t>(sp, 0), a.n.attrInt("group", 1))};
}

int64_t floorDiv2(int64_t v) { return v >= 0 ? v / 2 : -((-v + 1) / 2); }

Out convTranspose(const Args &a)
{
    const at::Tensor &x = a.in(0), &w = a.in(1);
    size_t sp = size_t(w.dim() - 2);
    auto strides = a.n.attrInts("strides", std::vector<int64_t>(sp, 1));
    auto dil = a.n.attrInts("dilations", std::vector<int64_t>(sp, 1));
    auto pads = a.n.attrInts("pads", std::vector<int64_t>(2 * sp, 0));
    auto outPad = a.n.attrInts("output_padding", std::vector<int64_t>(sp, 0));
    std::string autoPad = a.n.attrString("auto_pad", "NOTSET");
    bool fromShape = !a.n.attrInts("output_shape").empty() || autoPad == "SAME_UPPER" || autoPad == "SAME_LOWER";
    // The unpadded transposed convolution, then ONNX's pads applied as crops (or extensions
    // for negative totals), then the bias: handles asymmetric pads and output_shape alike.
    at::Tensor y = at::convolution(x, w, at::Tensor(), strides, std::vector<int64_t>(sp, 0), dil, true,
                                   std::vector<int64_t>(sp, 0), a.n.attrInt("group", 1));
    const Shape &want = a.outShape();
    std::vector<int64_t> torchPads(2 * sp, 0); // last spatial dim first
    for (size_t i = 0; i < sp; ++i) {
        int64_t begin = pads[i], end = pads[i + sp] - outPad[i];
        if (fromShape) {
            int64_t total = y.size(int64_t(i + 2)) + outPad[i] - want[i + 2];
            begin = autoPad == "SAME_UPPER" ? floorDiv2(total) : total - floorDiv2(total);
            end = total - begin - outPad[i];
        }
        torchPads[2 * (sp - 1 - i)] = -begin;
        torchPads[2 * (sp - 1 - i) + 1] = -end;
    }
    y = at::constant_pad_nd(y, torchPads, 0.0);
    if (a.has(2)) {
        std::vector<int64_t> shape(size_t(y.dim()), 1);
        shape[1] = y.size(1);
        y = y + a.in(2).reshape(shape);
    }
    return {y.contiguous()};
}

Out pool(const Args &a, bool isMax)
{
    const at::Tensor &x = a.in(0);
    auto kernel = a.n.attrInts("kernel_shape");
    size_t sp = kernel.size();
    auto strides = a.n.attrInts("strides", std::vector<int64_t>(sp, 1));
    auto dil = a.n.attrInts("dilations", std::vector<int64_t>(sp, 1));
    auto pads = explicitPads(a, kernel, strides, dil);
    bool ceil = a.n.attrInt("ceil_mode", 0) != 0;
    const Shape &want = a.outShape();
    at::Tensor input = x;
    std::vector<int64_t> pad(pads.begin(), pads.begin() + long(sp));
    bool needExplicit = !symmetric(pads);
    for (size_t i = 0; i < sp && !needExplicit; ++i)
        needExplicit = pad[i] * 2 > kernel[i]; // ATen limits padding to half the kernel
    if (isMax && !at::isFloatingType(x.scalar_type())) {
        // ATen pools floats only; integers round-trip exactly through double.
        std::vector<at::Tensor> casted = a.v;
        casted[a.n.inputs[0]] = x.to(at::kDouble);
        Args da{a.g, a.n, casted};
        return {pool(da, true)[0].to(x.scalar_type())};
    }
    if (isMax) {
        if (needExplicit) {
            input = padSpatial(x, pads, -std::numeric_limits<double>::infinity());
            pad.assign(sp, 0);
        }
        at::Tensor y;
        if (sp == 1)
            y = at::max_pool1d(input, kernel, strides, pad, dil, ceil);
        else if (sp == 2)
            y = at::max_pool2d(input, kernel, strides, pad, dil, ceil);
        else
            y = at::max_pool3d(input, kernel, strides, pad, dil, ceil);
        return {y.narrow(-1, 0, want.back())};
    }
    bool includePad = a.n.attrInt("count_include_pad", 0) != 0;
    auto avg = [&](const at::Tensor &t, const std::vector<int64_t> &p, bool include) {
        if (sp == 1)
            return at::avg_pool1d(t, kernel, strides, p, ceil, include);
        if (sp == 2)
            return at::avg_pool2d(t, kernel, strides, p, ceil, include);
        return at::avg_pool3d(t, kernel, strides, p, ceil, include);
    };
    if (!needExplicit)
        return {avg(x, pad, includePad)};
    // Asymmetric padding: sum over the padded window divided by the count of counted cells.
    at::Tensor padded = padSpatial(x, pads, 0.0);
    at::Tensor sums = avg(padded, std::vector<int64_t>(sp, 0), true);
    if (includePad)
        return {sums};
    at::Tensor ones = padSpatial(at::ones_like(x.select(1, 0).unsqueeze(1)), pads, 0.0);
    at::Tensor counts = avg(ones, std::vector<int64_t>(sp, 0), true);
    return {sums / counts};
}

at::Tensor hardSigmoid(const at::Tensor &x, double alpha, double beta) { return at::clamp(x * alpha + beta, 0.0, 1.0); }

at::Tensor reduce(const Args &a)
{
    const at::Tensor &x = a.in(0);
    std::vector<int64_t> axes;
    bool axesAsInput = a.n.kind == OpKind::ReduceSum ? a.g.opset >= 13 : a.g.opset >= 18;
    if (axesAsInput) {
        if (a.has(1))
            axes = a.ints(1);
    } else {
        axes = a.n.attrInts("axes");
    }
    bool keep = a.n.attrInt("keepdims", 1) != 0;
    if (axes.empty()) {
        if (a.n.attrInt("noop_with_empty_axes", 0))
            return x;
        for (int64_t i = 0; i < x.dim(); ++i)
            axes.push_back(i);
    }
    for (int64_t &ax : axes)
        ax = axisOf(ax, x.dim());
    switch (a.n.kind) {
    case OpKind::ReduceMean: return at::mean(x, axes, keep);
    case OpKind::ReduceSum: return at::sum(x, axes, keep);
    case OpKind::ReduceMax: return x.numel() ? at::amax(x, axes, keep) : x.reshape(a.outShape());
    default: return x.numel() ? at::amin(x, axes, keep) : x.reshape(a.outShape());
    }
}

// Softmax before opset 13 flattens to 2-D at `axis`.
at::Tensor softmax(const Args &a, bool log)
{
    const at::Tensor &x = a.in(0);
    if (a.g.opset < 13) {
        int64_t axis = axisOf(a.n.attrInt("axis", 1), x.dim());
        int64_t outer = 1;
        for (int64_t i = 0; i < axis; ++i)
            outer *= x.size(i);
        at::Tensor flat = x.reshape({outer, -1});
        at::Tensor y = log ? at::log_softmax(flat, 1) : at::softmax(flat, 1);
        return y.reshape(x.sizes());
    }
    int64_t axis = axisOf(a.n.attrInt("axis", -1), x.dim());
    return log ? at::log_softmax(x, axis) : at::softmax(x, axis);
}

at::Tensor slice(const Args &a)
{
    at::Tensor x = a.in(0);
    std::vector<int64_t> starts, ends, axes, steps;
    if (a.g.opset >= 10) {
        starts = a.ints(1);
        ends = a.ints(2);
        if (a.has(3))
            axes = a.ints(3);
        if (a.has(4))
            steps = a.ints(4);
    } else {
        starts = a.n.attrInts("starts");
        ends = a.n.attrInts("ends");
        axes = a.n.attrInts("axes");
    }
    for (size_t i = 0; i < starts.size(); ++i) {
        int64_t ax = axisOf(axes.empty() ? int64_t(i) : axes[i], x.dim());
        int64_t step = steps.empty() ? 1 : steps[i], dim = x.size(ax);
        int64_t s = starts[i] < 0 ? starts[i] + dim : starts[i];
        int64_t e = ends[i] < 0 ? ends[i] + dim : ends[i];
        if (step > 0) {
            s = std::clamp<int64_t>(s, 0, dim);
            e = std::clamp<int64_t>(e, 0, dim);
            x = x.slice(ax, s, std::max(s, e), step);
        } else {
            s = std::clamp<int64_t>(s, -1, dim - 1);
            e = std::clamp<int64_t>(e, -1, dim - 1);
            // Walk backwards: flip, then slice forwards.
            at::Tensor f = x.flip({ax});
            int64_t fs = dim - 1 - s, fe = dim - 1 - e;
            x = fs >= fe ? f.slice(ax, 0, 0) : f.slice(ax, fs, fe, -step);
        }
    }
    return x.contiguous();
}

at::Tensor gather(const Args &a)
{
    const at::Tensor &x = a.in(0);
    int64_t axis = axisOf(a.n.attrInt("axis", 0), x.dim());
    at::Tensor idx = a.in(1).to(at::kLong);
    idx = at::where(idx < 0, idx + x.size(axis), idx);
    return x.index_select(axis, idx.flatten()).reshape(a.outShape());
}

at::Tensor padOp(const Args &a)
{
    const at::Tensor &x = a.in(0);
    std::vector<int64_t> pads = a.g.opset >= 11 ? a.ints(1) : a.n.attrInts("pads");
    std::string mode = a.n.attrString("mode", "constant");
    double value = a.g.opset >= 11 ? (a.has(2) && a.in(2).numel() ? a.in(2).item<double>() : 0.0) : a.n.attrFloat("value", 0);
    int64_t r = x.dim();
    std::vector<int64_t> axes;
    if (a.g.opset >= 18 && a.has(3))
        axes = a.ints(3);
    else
        for (int64_t i = 0; i < r; ++i)
            axes.push_back(i);
    std::vector<int64_t> full(size_t(2 * r), 0);
    for (size_t i = 0; i < axes.size(); ++i) {
        int64_t ax = axisOf(axes[i], r);
        full[size_t(ax)] = pads[i];
        full[size_t(ax + r)] = pads[i + axes.size()];
    }
    if (mode == "constant")
        return padSpatial(x, full, value);
    // reflect / edge: gather each padded dimension through an index map.
    at::Tensor y = x;
    for (int64_t ax = 0; ax < r; ++ax) {
        int64_t b = full[size_t(ax)], e = full[size_t(ax + r)], n = y.size(ax);
        if (b == 0 && e == 0)
            continue;
        std::vector<int64_t> idx;
        for (int64_t i = -b; i < n + e; ++i) {
            int64_t j = i;
            if (mode == "edge") {
                j = std::clamp<int64_t>(i, 0, n - 1);
            } else {
                int64_t period = std::max<int64_t>(1, 2 * (n - 1));
                j = ((i % period) + period) % period;
                if (j >= n)
                    j = period - j;
            }
            idx.push_back(j);
        }
        y = y.index_select(ax, at::tensor(idx, at::kLong));
    }
    return y.contiguous();
}

at::Tensor clip(const Args &a)
{
    const at::Tensor &x = a.in(0);
    c10::optional<at::Scalar> lo, hi;
    if (a.g.opset >= 11) {
        if (a.has(1))
            lo = a.in(1).item();
        if (a.has(2))
            hi = a.in(2).item();
    } else {
        lo = a.n.attrFloat("min", -std::numeric_limits<double>::infinity());
        hi = a.n.attrFloat("max", std::numeric_limits<double>::infinity());
    }
    if (!lo && !hi)
        return x.clone();
    return at::clamp(x, lo, hi);
}

at::Tensor binary(const Args &a)
{
    const at::Tensor &x = a.in(0), &y = a.in(1);
    switch (a.n.kind) {
    case OpKind::Add: return x + y;
    case OpKind::Sub: return x - y;
    case OpKind::Mul: return x * y;
    case OpKind::Div:
        return at::isIntegralType(x.scalar_type(), true) ? at::div(x, y, "trunc") : x / y;
    case OpKind::Pow: return at::pow(x, y).to(x.scalar_type());
    case OpKind::Equal: return at::eq(x, y);
    case OpKind::Less: return at::lt(x, y);
    case OpKind::Greater: return at::gt(x, y);
    case OpKind::PRelu: return at::where(x >= 0, x, x * y);
    default: throw Error("not a binary operator", a.where());
    }
}

at::Tensor variadic(const Args &a)
{
    at::Tensor acc = a.in(0);
    for (size_t i = 1; i < a.n.inputs.size(); ++i) {
        const at::Tensor &t = a.in(i);
        switch (a.n.kind) {
        case OpKind::Min: acc = at::minimum(acc, t); break;
        case OpKind::Max: acc = at::maximum(acc, t); break;
        default: acc = acc + t; break;
        }
    }
    if (a.n.kind == OpKind::Mean)
        acc = acc / double(a.n.inputs.size());
    return acc.expand(a.outShape()).contiguous();
}

at::Tensor resize(const Args &a)
{
    const at::Tensor &x = a.in(0);
    std::string mode = a.n.attrString("mode", "nearest");
    const Shape &out = a.outShape();
    std::vector<int64_t> size(out.begin() + 2, out.end());
    if (mode == "nearest")
        return x.dim() == 4 ? at::upsample_nearest2d(x, size) : at::upsample_nearest1d(x, size);
    bool align = a.n.attrString("coordinate_transformation_mode", "half_pixel") == "align_corners";
    return at::upsample_bilinear2d(x, size, align);
}

} // namespace

std::vector<at::Tensor> runTorchNode(const Graph &g, const Node &n, const std::vector<at::Tensor> &values)
{
    Args a{g, n, values};
    switch (n.kind) {
    case OpKind::Conv: return conv(a);
    case OpKind::ConvTranspose: return convTranspose(a);
    case OpKind::Gemm: {
        at::Tensor A = n.attrInt("transA", 0) ? a.in(0).t() : a.in(0);
        at::Tensor B = n.attrInt("transB", 0) ? a.in(1).t() : a.in(1);
        at::Tensor y = at::mm(A, B) * n.attrFloat("alpha", 1.0);
        if (a.has(2))
            y = y + a.in(2) * n.attrFloat("beta", 1.0);
        return {y.contiguous()};
    }
    case OpKind::MatMul: return {at::matmul(a.in(0), a.in(1))};
    case OpKind::BatchNormalization:
        return {at::batch_norm(a.in(0), a.in(1), a.in(2), a.in(3), a.in(4), false, 0.0, n.attrFloat("epsilon", 1e-5), false)};
    case OpKind::LayerNormalization: {
        const at::Tensor &x = a.in(0);
        int64_t axis = axisOf(n.attrInt("axis", -1), x.dim());
        std::vector<int64_t> normShape(x.sizes().begin() + axis, x.sizes().end());
        at::Tensor bias = a.has(2) ? a.in(2) : at::Tensor();
        auto [y, mean, rstd] = at::native_layer_norm(x, normShape, a.in(1), bias, n.attrFloat("epsilon", 1e-5));
        return {y, mean.reshape(a.outShape(1 < n.outputs.size() ? 1 : 0)), rstd.reshape(a.outShape(2 < n.outputs.size() ? 2 : 0))};
    }
    case OpKind::InstanceNormalization:
        return {at::instance_norm(a.in(0), a.in(1), a.in(2), {}, {}, true, 0.0, n.attrFloat("epsilon", 1e-5), false)};
    case OpKind::LRN: {
        const at::Tensor &x = a.in(0);
        int64_t size = n.attrInt("size", 1);
        at::Tensor sq = (x * x).unsqueeze(1);
        sq = at::constant_pad_nd(sq, {0, 0, 0, 0, (size - 1) / 2, size / 2}, 0.0);
        at::Tensor sum = at::avg_pool3d(sq, {size, 1, 1}, {1, 1, 1}, {0, 0, 0}, false, true).squeeze(1) * double(size);
        return {x / at::pow(n.attrFloat("bias", 1.0) + n.attrFloat("alpha", 1e-4) / double(size) * sum, n.attrFloat("beta", 0.75))};
    }
    case OpKind::MaxPool: return pool(a, true);
    case OpKind::AveragePool: return pool(a, false);
    case OpKind::GlobalAveragePool: {
        std::vector<int64_t> dims;
        for (int64_t d = 2; d < a.in(0).dim(); ++d)
            dims.push_back(d);
        return {at::mean(a.in(0), dims, true)};
    }
    case OpKind::GlobalMaxPool: {
        std::vector<int64_t> dims;
        for (int64_t d = 2; d < a.in(0).dim(); ++d)
            dims.push_back(d);
        return {at::amax(a.in(0), dims, true)};
    }
    case OpKind::Relu: return {at::relu(a.in(0))};
    case OpKind::LeakyRelu: return {at::leaky_relu(a.in(0), n.attrFloat("alpha", 0.01))};
    case OpKind::Sigmoid: return {at::sigmoid(a.in(0))};
    case OpKind::HardSigmoid: return {hardSigmoid(a.in(0), n.attrFloat("alpha", 0.2), n.attrFloat("beta", 0.5))};
    case OpKind::HardSwish: return {a.in(0) * hardSigmoid(a.in(0), 1.0 / 6.0, 0.5)};
    case OpKind::Tanh: return {at::tanh(a.in(0))};
    case OpKind::Clip: return {clip(a)};
    case OpKind::Elu: {
        double alpha = n.attrFloat("alpha", 1.0);
        return {at::where(a.in(0) > 0, a.in(0), alpha * (at::exp(a.in(0)) - 1))};
    }
    case OpKind::Selu: {
        double alpha = n.attrFloat("alpha", 1.67326319217681884765625), gamma = n.attrFloat("gamma", 1.05070102214813232421875);
        return {gamma * at::where(a.in(0) > 0, a.in(0), alpha * (at::exp(a.in(0)) - 1))};
    }
    case OpKind::Softplus: return {at::log1p(at::exp(a.in(0)))};
    case OpKind::Mish: return {a.in(0) * at::tanh(at::log1p(at::exp(a.in(0))))};
    case OpKind::Gelu: return {at::gelu(a.in(0), n.attrString("approximate", "none"))};
    case OpKind::Erf: return {at::erf(a.in(0))};
    case OpKind::Softmax: return {softmax(a, false)};
    case OpKind::LogSoftmax: return {softmax(a, true)};
    case OpKind::Add: case OpKind::Sub: case OpKind::Mul: case OpKind::Div: case OpKind::Pow:
    case OpKind::Equal: case OpKind::Less: case OpKind::Greater: case OpKind::PRelu:
        return {binary(a)};
    case OpKind::Min: case OpKind::Max: case OpKind::Sum: case OpKind::Mean: return {variadic(a)};
    case OpKind::Sqrt: return {at::sqrt(a.in(0))};
    case OpKind::Exp: return {at::exp(a.in(0))};
    case OpKind::Log: return {at::log(a.in(0))};
    case OpKind::Neg: return {at::neg(a.in(0))};
    case OpKind::Abs: return {at::abs(a.in(0))};
    case OpKind::Reciprocal: return {at::reciprocal(a.in(0))};
    case OpKind::Floor: return {at::floor(a.in(0))};
    case OpKind::Ceil: return {at::ceil(a.in(0))};
    case OpKind::Not: return {at::logical_not(a.in(0))};
    case OpKind::Where: return {at::where(a.in(0).to(at::kBool), a.in(1), a.in(2))};
    case OpKind::Concat: {
        std::vector<at::Tensor> parts;
        for (size_t i = 0; i < n.inputs.size(); ++i)
            if (a.in(i).numel() > 0 || n.inputs.size() == 1)
                parts.push_back(a.in(i));
        int64_t axis = axisOf(n.attrInt("axis", 0), int64_t(a.outShape().size()));
        return {parts.empty() ? at::empty(a.outShape(), a.in(0).options()) : at::cat(parts, axis)};
    }
    case OpKind::Split: {
        int64_t axis = axisOf(n.attrInt("axis", 0), a.in(0).dim());
        std::vector<int64_t> sizes;
        for (int o : n.outputs)
            sizes.push_back(g.values[o].shape[size_t(axis)]);
        auto parts = at::split_with_sizes(a.in(0), sizes, axis);
        Out out;
        for (auto &p : parts)
            out.push_back(p.contiguous());
        return out;
    }
    case OpKind::Slice: return {slice(a)};
    case OpKind::Gather: return {gather(a)};
    case OpKind::Transpose: {
        auto perm = n.attrInts("perm");
        if (perm.empty())
            for (int64_t i = a.in(0).dim() - 1; i >= 0; --i)
                perm.push_back(i);
        return {a.in(0).permute(perm).contiguous()};
    }
    case OpKind::Pad: return {padOp(a)};
    case OpKind::Resize: case OpKind::Upsample: return {resize(a)};
    case OpKind::Tile: return {a.in(0).repeat(a.ints(1))};
    case OpKind::Expand: return {a.in(0).expand(a.outShape()).contiguous()};
    case OpKind::ReduceMean: case OpKind::ReduceSum: case OpKind::ReduceMax: case OpKind::ReduceMin: return {reduce(a)};
    case OpKind::Reshape: case OpKind::Flatten: case OpKind::Squeeze: case OpKind::Unsqueeze:
        return {a.in(0).reshape(a.outShape())};
    case OpKind::Identity: return {a.in(0)};
    case OpKind::Dropout: return {a.in(0), at::ones(a.in(0).sizes(), a.in(0).options().dtype(at::kBool))};
    case OpKind::Cast: {
        const Value &out = g.values[n.outputs[0]];
        at::ScalarType t = out.dtype == DType::Float ? at::kFloat : out.dtype == DType::Double ? at::kDouble
                         : out.dtype == DType::Int64 ? at::kLong : out.dtype == DType::Int32 ? at::kInt
                         : out.dtype == DType::Bool ? at::kBool : out.dtype == DType::Int8 ? at::kChar
                         : out.dtype == DType::UInt8 ? at::kByte : out.dtype == DType::Float16 ? at::kHalf
                         : out.dtype == DType::Int16 ? at::kShort : at::kFloat;
        return {a.in(0).to(t)};
    }
    case OpKind::Shape: {
        const Shape &s = a.value(0).shape;
        auto out = g.values[n.outputs[0]].shape[0];
        int64_t r = int64_t(s.size());
        int64_t start = n.attrInt("start", 0);
        start = std::clamp<int64_t>(start < 0 ? start + r : start, 0, r);
        return {at::tensor(std::vector<int64_t>(s.begin() + start, s.begin() + start + out), at::kLong)};
    }
    default:
        break;
    }
    throw Error("operator '" + n.opType + "' has no LibTorch kernel here", a.where());
}

std::vector<OpKind> torchClaimedOperators()
{
    return {OpKind::Conv, OpKind::ConvTranspose, OpKind::Gemm, OpKind::MatMul, OpKind::BatchNormalization,
            OpKind::LayerNormalization, OpKind::InstanceNormalization, OpKind::LRN, OpKind::MaxPool, OpKind::AveragePool,
            OpKind::GlobalAveragePool, OpKind::GlobalMaxPool, OpKind::Relu, OpKind::LeakyRelu, OpKind::PRelu,
            OpKind::Sigmoid, OpKind::HardSigmoid, OpKind::HardSwish, OpKind::Tanh, OpKind::Clip, OpKind::Elu,
            OpKind::Selu, OpKind::Softplus, OpKind::Mish, OpKind::Gelu, OpKind::Erf, OpKind::Softmax, OpKind::LogSoftmax,
            OpKind::Add, OpKind::Sub, OpKind::Mul, OpKind::Div, OpKind::Pow, OpKind::Sqrt, OpKind::Exp, OpKind::Log,
            OpKind::Neg, OpKind::Abs, OpKind::Reciprocal, OpKind::Min, OpKind::Max, OpKind::Sum, OpKind::Mean,
            OpKind::Floor, OpKind::Ceil, OpKind::Equal, OpKind::Less, OpKind::Greater, OpKind::Not, OpKind::Where,
            OpKind::Concat, OpKind::ReduceMean, OpKind::ReduceSum, OpKind::ReduceMax, OpKind::ReduceMin, OpKind::Pad,
            OpKind::Slice, OpKind::Split, OpKind::Gather, OpKind::Transpose, OpKind::Tile, OpKind::Expand,
            OpKind::Reshape, OpKind::Flatten, OpKind::Squeeze, OpKind::Unsqueeze, OpKind::Identity, OpKind::Dropout,
            OpKind::Shape, OpKind::Cast, OpKind::Constant, OpKind::ConstantOfShape, OpKind::Range};
}

std::string torchUnsupported(const Graph &g, const Node &n)
{
    const std::string where = " at node '" + n.name + "'";
    auto claimed = torchClaimedOperators();
    bool known = std::find(claimed.begin(), claimed.end(), n.kind) != claimed.end() ||
                 n.kind == OpKind::Resize || n.kind == OpKind::Upsample;
    if (!known)
        return "operator '" + n.opType + "'" + where + " is not supported by torch-cpu";
    for (int v : n.inputs)
        if (v >= 0 && (g.values[v].dtype == DType::String || g.values[v].dtype == DType::UInt16 ||
                       g.values[v].dtype == DType::UInt32 || g.values[v].dtype == DType::UInt64))
            return "operator '" + n.opType + "'" + where + " uses the data type " + dtypeName(g.values[v].dtype) +
                   ", which torch-cpu does not support";
    auto isGraphOutput = [&](int v) { return std::find(g.outputs.begin(), g.outputs.end(), v) != g.outputs.end(); };
    if (n.kind == OpKind::MaxPool && n.outputs.size() > 1 &&
        (!g.values[n.outputs[1]].consumers.empty() || isGraphOutput(n.outputs[1])))
        return "operator 'MaxPool'" + where + " uses its Indices output, which torch-cpu does not support";
    if (n.kind == OpKind::BatchNormalization && n.attrInt("training_mode", 0) != 0)
        return "operator 'BatchNormalization'" + where + " runs in training mode; torch-cpu runs inference only";
    if (n.kind == OpKind::Dropout && n.inputs.size() > 2 && n.inputs[2] >= 0) {
        const Value &mode = g.values[n.inputs[2]];
        bool off = mode.isConstant && mode.hasData() && !mode.data->empty() && (*mode.data)[0] == 0;
        if (!off)
            return "operator 'Dropout'" + where + " may run in training mode; torch-cpu runs inference only";
    }
    if ((n.kind == OpKind::Resize || n.kind == OpKind::Upsample)) {
        std::string mode = n.attrString("mode", "nearest");
        int64_t rank = n.inputs.empty() ? 0 : int64_t(g.values[n.inputs[0]].shape.size());
        if (mode == "cubic" || (mode == "linear" && rank != 4) || (mode != "nearest" && mode != "linear"))
            return "operator '" + n.opType + "'" + where + " with mode '" + mode + "' is not supported by torch-cpu";
    }
    if (n.kind == OpKind::Pad) {
        std::string mode = n.attrString("mode", "constant");
        if (mode != "constant" && mode != "reflect" && mode != "edge")
            return "operator 'Pad'" + where + " with mode '" + mode + "' is not supported by torch-cpu";
    }
    return {};
}

} // namespace sniper::runtime
