#include "onnx/shapeinference.h"

#include "onnx/shapecontext.h"

#include <algorithm>
#include <cmath>

namespace sniper::onnx {

using namespace detail;

namespace {

void inferGemm(const Ctx &c)
{
    const Shape &a = c.shape(0), &b = c.shape(1);
    if (a.size() != 2 || b.size() != 2)
        c.fail("Gemm expects 2-D inputs, got " + shapeString(a) + " and " + shapeString(b));
    bool ta = c.n.attrInt("transA", 0), tb = c.n.attrInt("transB", 0);
    int64_t m = ta ? a[1] : a[0], k = ta ? a[0] : a[1];
    int64_t kb = tb ? b[1] : b[0], nn = tb ? b[0] : b[1];
    if (k != kb)
        c.fail("inner dimensions differ: " + shapeString(a) + " and " + shapeString(b));
    c.set(0, c.in(0).dtype, {m, nn});
}

void inferMatMul(const Ctx &c)
{
    Shape a = c.shape(0), b = c.shape(1);
    if (a.empty() || b.empty())
        c.fail("MatMul does not take scalars");
    bool va = a.size() == 1, vb = b.size() == 1;
    if (va)
        a.insert(a.begin(), 1);
    if (vb)
        b.push_back(1);
    if (a.back() != b[b.size() - 2])
        c.fail("inner dimensions differ: " + shapeString(c.shape(0)) + " and " + shapeString(c.shape(1)));
    Shape batchA(a.begin(), a.end() - 2), batchB(b.begin(), b.end() - 2);
    Shape out = broadcastShapes(batchA, batchB, c.where);
    if (!va)
        out.push_back(a[a.size() - 2]);
    if (!vb)
        out.push_back(b.back());
    c.set(0, c.in(0).dtype, out);
}

void inferConcat(const Ctx &c)
{
    Shape out = c.shape(0);
    int64_t axis = c.axis(c.n.attrInt("axis", 0), int64_t(out.size()));
    for (size_t i = 1; i < c.n.inputs.size(); ++i) {
        const Shape &s = c.shape(i);
        if (s.size() != out.size())
            c.fail("inputs have different ranks: " + shapeString(out) + " and " + shapeString(s));
        for (size_t d = 0; d < s.size(); ++d) {
            if (int64_t(d) == axis)
                out[d] += s[d];
            else if (s[d] != out[d])
                c.fail("input " + std::to_string(i) + " shape " + shapeString(s) + " does not match " + shapeString(c.shape(0)) +
                       " outside axis " + std::to_string(axis));
        }
    }
    c.set(0, c.in(0).dtype, out);
}

void inferSplit(const Ctx &c)
{
    const Shape &x = c.shape(0);
    int64_t axis = c.axis(c.n.attrInt("axis", 0), int64_t(x.size()));
    std::vector<int64_t> sizes;
    if (c.opset >= 13 && c.has(1))
        sizes = c.ints(1, "split");
    else if (c.opset < 13)
        sizes = c.n.attrInts("split");
    size_t parts = c.n.outputs.size();
    if (sizes.empty()) {
        int64_t chunk = (x[axis] + int64_t(parts) - 1) / int64_t(parts);
        for (size_t i = 0; i < parts; ++i)
            sizes.push_back(std::min(chunk, x[axis] - chunk * int64_t(i)));
    }
    int64_t total = 0;
    for (int64_t s : sizes)
        total += s;
    if (sizes.size() != parts || total != x[axis])
        c.fail("split sizes do not add up to dimension " + std::to_string(x[axis]));
    for (size_t i = 0; i < parts; ++i) {
        Shape s = x;
        s[axis] = sizes[i];
        c.set(i, c.in(0).dtype, s);
    }
}

void inferSlice(const Ctx &c)
{
    const Shape &x = c.shape(0);
    std::vector<int64_t> starts, ends, axes, steps;
    if (c.opset >= 10) {
        starts = c.ints(1, "starts");
        ends = c.ints(2, "ends");
        if (c.has(3))
            axes = c.ints(3, "axes");
        if (c.has(4))
            steps = c.ints(4, "steps");
    } else {
        starts = c.n.attrInts("starts");
        ends = c.n.attrInts("ends");
        axes = c.n.attrInts("axes");
    }
    if (axes.empty())
        for (size_t i = 0; i < starts.size(); ++i)
            axes.push_back(int64_t(i));
    if (steps.empty())
        steps.assign(starts.size(), 1);
    if (ends.size() != starts.size() || axes.size() != starts.size() || steps.size() != starts.size())
        c.fail("starts, ends, axes and steps differ in length");
    Shape out = x;
    for (size_t i = 0; i < starts.size(); ++i) {
        int64_t a = c.axis(axes[i], int64_t(x.size()));
        int64_t dim = x[a], step = steps[i];
        if (step == 0)
            c.fail("slice step is 0");
        auto clampIndex = [&](int64_t v, bool isEnd) {
            if (v < 0)
                v += dim;
            if (step > 0)
                return std::clamp<int64_t>(v, 0, dim);
            return isEnd ? std::clamp<int64_t>(v, -1, dim - 1) : std::clamp<int64_t>(v, 0, dim - 1);
        };
        int64_t s = clampIndex(starts[i], false), e = clampIndex(ends[i], true);
        int64_t len = step > 0 ? (e - s + step - 1) / step : (s - e + (-step) - 1) / (-step);
        out[a] = std::max<int64_t>(0, len);
    }
    c.set(0, c.in(0).dtype, out);
}

void inferReshape(const Ctx &c)
{
    const Shape &x = c.shape(0);
    std::vector<int64_t> target = c.opset >= 5 ? c.ints(1, "shape") : c.n.attrInts("shape");
    bool allowZero = c.n.attrInt("allowzero", 0) != 0;
    Shape out;
    int64_t inferred = -1, known = 1;
    for (size_t i = 0; i < target.size(); ++i) {
        int64_t d = target[i];
        if (d == 0 && !allowZero) {
            if (i >= x.size())
                c.fail("shape copies dimension " + std::to_string(i) + " that the input does not have");
            d = x[i];
        }
        if (d == -1) {
            if (inferred >= 0)
                c.fail("shape has more than one -1");
            inferred = int64_t(i);
            out.push_back(1);
            continue;
        }
        if (d < 0)
            c.fail("shape has a negative dimension " + std::to_string(d));
        known *= d;
        out.push_back(d);
    }
    int64_t total = numElements(x);
    if (inferred >= 0) {
        if (known == 0 || total % known != 0)
            c.fail("cannot reshape " + shapeString(x) + " to " + shapeString(target));
        out[inferred] = total / known;
    } else if (numElements(out) != total) {
        c.fail("cannot reshape " + shapeString(x) + " (" + std::to_string(total) + " elements) to " + shapeString(out));
    }
    c.set(0, c.in(0).dtype, out);
}

void inferReduce(const Ctx &c, int64_t axesInputSince)
{
    const Shape &x = c.shape(0);
    auto axes = c.axesFromAttrOrInput(1, axesInputSince);
    bool keep = c.n.attrInt("keepdims", 1) != 0;
    if (axes.empty() && c.n.attrInt("noop_with_empty_axes", 0)) {
        c.same();
        return;
    }
    std::vector<bool> reduce(x.size(), axes.empty());
    for (int64_t a : axes)
        reduce[c.axis(a, int64_t(x.size()))] = true;
    Shape out;
    for (size_t i = 0; i < x.size(); ++i) {
        if (!reduce[i])
            out.push_back(x[i]);
        else if (keep)
            out.push_back(1);
    }
    c.set(0, c.in(0).dtype, out);
}

void inferResize(const Ctx &c)
{
    const Shape &x = c.shape(0);
    Shape out = x;
    // Resize: X, roi, scales, sizes (opset 11+); Upsample / Resize-10: X, scales.
    size_t scalesIdx = (c.n.kind == OpKind::Resize && c.opset >= 11) ? 2 : 1;
    size_t sizesIdx = 3;
    if (c.n.kind == OpKind::Resize && c.has(sizesIdx) && !c.in(sizesIdx).shape.empty() && c.in(sizesIdx).elements() > 0) {
        auto sizes = c.ints(sizesIdx, "sizes");
        if (sizes.size() != x.size())
            c.fail("sizes rank differs from input rank");
        out = sizes;
    } else if (c.has(scalesIdx)) {
        auto scales = c.doubles(scalesIdx, "scales");
        if (scales.size() != x.size())
            c.fail("scales rank differs from input rank");
        for (size_t i = 0; i < x.size(); ++i)
            out[i] = int64_t(std::floor(double(x[i]) * scales[i]));
    } else {
        auto sc = c.n.attribute("scales");
        if (!sc || sc->floats.size() != x.size())
            c.fail("scales are missing");
        for (size_t i = 0; i < x.size(); ++i)
            out[i] = int64_t(std::floor(double(x[i]) * sc->floats[i]));
    }
    c.set(0, c.in(0).dtype, out);
}

void inferNode(const Ctx &c)
{
    const Node &n = c.n;
    switch (n.kind) {
    case OpKind::Conv: return inferConv(c);
    case OpKind::ConvTranspose: return inferConvTranspose(c);
    case OpKind::MaxPool: case OpKind::AveragePool: case OpKind::LpPool: return inferPool(c);
    case OpKind::GlobalAveragePool: case OpKind::GlobalMaxPool: {
        Shape s = c.shape(0);
        if (s.size() < 3)
            c.fail("global pooling needs a rank >= 3 input, got " + shapeString(s));
        std::fill(s.begin() + 2, s.end(), 1);
        return c.set(0, c.in(0).dtype, s);
    }
    case OpKind::Gemm: return inferGemm(c);
    case OpKind::MatMul: return inferMatMul(c);
    case OpKind::BatchNormalization: case OpKind::InstanceNormalization: case OpKind::GroupNormalization: {
        if (c.rank(0) < 2)
            c.fail("normalization needs a rank >= 2 input");
        int64_t channels = c.shape(0)[1];
        if (n.kind == OpKind::BatchNormalization)
            for (size_t i = 1; i < 5 && c.has(i); ++i)
                if (c.in(i).elements() != channels)
                    c.fail("parameter '" + c.in(i).name + "' has " + std::to_string(c.in(i).elements()) +
                           " elements, expected " + std::to_string(channels) + " channels");
        c.same();
        for (size_t i = 1; i < n.outputs.size(); ++i)
            c.set(i, c.in(0).dtype, {channels});
        return;
    }
    case OpKind::LayerNormalization: {
        c.same();
        Shape stat = c.shape(0);
        int64_t axis = c.axis(n.attrInt("axis", -1), int64_t(stat.size()));
        for (size_t i = size_t(axis); i < stat.size(); ++i)
            stat[i] = 1;
        c.set(1, c.in(0).dtype, stat);
        c.set(2, c.in(0).dtype, stat);
        return;
    }
    case OpKind::LRN:
    case OpKind::Relu: case OpKind::LeakyRelu: case OpKind::Sigmoid: case OpKind::HardSigmoid:
    case OpKind::HardSwish: case OpKind::Tanh: case OpKind::Clip: case OpKind::Elu: case OpKind::Selu:
    case OpKind::Softplus: case OpKind::Mish: case OpKind::Gelu: case OpKind::Erf:
    case OpKind::Softmax: case OpKind::LogSoftmax: case OpKind::Sqrt: case OpKind::Exp: case OpKind::Log:
    case OpKind::Neg: case OpKind::Abs: case OpKind::Reciprocal: case OpKind::Floor: case OpKind::Ceil:
    case OpKind::Identity: case OpKind::Not:
        return c.same();
    case OpKind::Dropout:
        c.same();
        return c.set(1, DType::Bool, c.shape(0));
    case OpKind::PRelu:
    case OpKind::Add: case OpKind::Sub: case OpKind::Mul: case OpKind::Div: case OpKind::Pow:
        return c.set(0, c.in(0).dtype, broadcastShapes(c.shape(0), c.shape(1), c.where));
    case OpKind::Min: case OpKind::Max: case OpKind::Sum: case OpKind::Mean: {
        Shape s = c.shape(0);
        for (size_t i = 1; i < n.inputs.size(); ++i)
            s = broadcastShapes(s, c.shape(i), c.where);
        return c.set(0, c.in(0).dtype, s);
    }
    case OpKind::Equal: case OpKind::Less: case OpKind::Greater:
        return c.set(0, DType::Bool, broadcastShapes(c.shape(0), c.shape(1), c.where));
    case OpKind::Where:
        return c.set(0, c.in(1).dtype,
                     broadcastShapes(c.shape(0), broadcastShapes(c.shape(1), c.shape(2), c.where), c.where));
    case OpKind::Concat: return inferConcat(c);
    case OpKind::Split: return inferSplit(c);
    case OpKind::Slice: return inferSlice(c);
    case OpKind::Gather: {
        const Shape &data = c.shape(0);
        if (data.empty())
            c.fail("Gather needs data of rank >= 1");
        int64_t axis = c.axis(n.attrInt("axis", 0), int64_t(data.size()));
        Shape out(data.begin(), data.begin() + axis);
        for (int64_t d : c.shape(1))
            out.push_back(d);
        out.insert(out.end(), data.begin() + axis + 1, data.end());
        return c.set(0, c.in(0).dtype, out);
    }
    case OpKind::Transpose: {
        const Shape &x = c.shape(0);
        auto perm = n.attrInts("perm");
        if (perm.empty())
            for (size_t i = 0; i < x.size(); ++i)
                perm.insert(perm.begin(), int64_t(i));
        if (perm.size() != x.size())
            c.fail("perm has " + std::to_string(perm.size()) + " entries for a rank " + std::to_string(x.size()) + " input");
        Shape out;
        for (int64_t p : perm)
            out.push_back(x[c.axis(p, int64_t(x.size()))]);
        return c.set(0, c.in(0).dtype, out);
    }
    case OpKind::Reshape: return inferReshape(c);
    case OpKind::Flatten: {
        const Shape &x = c.shape(0);
        int64_t axis = n.attrInt("axis", 1);
        if (axis < 0)
            axis += int64_t(x.size());
        if (axis < 0 || axis > int64_t(x.size()))
            c.fail("axis " + std::to_string(axis) + " is out of range");
        Shape out{numElements(Shape(x.begin(), x.begin() + axis)), numElements(Shape(x.begin() + axis, x.end()))};
        return c.set(0, c.in(0).dtype, out);
    }
    case OpKind::Squeeze: {
        const Shape &x = c.shape(0);
        auto axes = c.axesFromAttrOrInput(1, 13);
        std::vector<bool> drop(x.size(), false);
        if (axes.empty())
            for (size_t i = 0; i < x.size(); ++i)
                drop[i] = x[i] == 1;
        for (int64_t a : axes) {
            int64_t ax = c.axis(a, int64_t(x.size()));
            if (x[ax] != 1)
                c.fail("cannot squeeze axis " + std::to_string(ax) + " of size " + std::to_string(x[ax]));
            drop[ax] = true;
        }
        Shape out;
        for (size_t i = 0; i < x.size(); ++i)
            if (!drop[i])
                out.push_back(x[i]);
        return c.set(0, c.in(0).dtype, out);
    }
    case OpKind::Unsqueeze: {
        const Shape &x = c.shape(0);
        auto axes = c.axesFromAttrOrInput(1, 13);
        int64_t r = int64_t(x.size() + axes.size());
        std::vector<bool> inserted(size_t(r), false);
        for (int64_t a : axes)
            inserted[c.axis(a, r)] = true;
        Shape out;
        size_t j = 0;
        for (int64_t i = 0; i < r; ++i)
            out.push_back(inserted[i] ? 1 : (j < x.size() ? x[j++] : 1));
        return c.set(0, c.in(0).dtype, out);
    }
    case OpKind::Shape: {
        int64_t r = int64_t(c.rank(0));
        int64_t start = n.attrInt("start", 0), end = n.attrInt("end", r);
        start = std::clamp<int64_t>(start < 0 ? start + r : start, 0, r);
        end = std::clamp<int64_t>(end < 0 ? end + r : end, 0, r);
        return c.set(0, DType::Int64, {std::max<int64_t>(0, end - start)});
    }
    case OpKind::Cast:
        return c.set(0, DType(n.attrInt("to", 1)), c.shape(0));
    case OpKind::ConstantOfShape: {
        auto dims = c.ints(0, "shape");
        const Attribute *value = n.attribute("value");
        return c.set(0, value ? value->tensorType : DType::Float, dims);
    }
    case OpKind::Expand: {
        auto dims = c.ints(1, "shape");
        return c.set(0, c.in(0).dtype, broadcastShapes(c.shape(0), dims, c.where));
    }
    case OpKind::Tile: {
        auto reps = c.ints(1, "repeats");
        Shape out = c.shape(0);
        if (reps.size() != out.size())
            c.fail("repeats length differs from input rank");
        for (size_t i = 0; i < out.size(); ++i)
            out[i] *= reps[i];
        return c.set(0, c.in(0).dtype, out);
    }
    case OpKind::Range: {
        auto start = c.doubles(0, "start"), limit = c.doubles(1, "limit"), delta = c.doubles(2, "delta");
        if (start.size() != 1 || limit.size() != 1 || delta.size() != 1 || delta[0] == 0)
            c.fail("Range needs scalar start, limit and a non-zero delta");
        int64_t count = std::max<int64_t>(0, int64_t(std::ceil((limit[0] - start[0]) / delta[0])));
        return c.set(0, c.in(0).dtype, {count});
    }
    case OpKind::Pad: {
        Shape out = c.shape(0);
        std::vector<int64_t> pads = c.opset >= 11 ? c.ints(1, "pads") : n.attrInts("pads");
        std::vector<int64_t> axes;
        if (c.opset >= 18 && c.has(3))
            axes = c.ints(3, "axes");
        else
            for (size_t i = 0; i < out.size(); ++i)
                axes.push_back(int64_t(i));
        if (pads.size() != 2 * axes.size())
            c.fail("pads has " + std::to_string(pads.size()) + " entries, expected " + std::to_string(2 * axes.size()));
        for (size_t i = 0; i < axes.size(); ++i) {
            int64_t a = c.axis(axes[i], int64_t(out.size()));
            out[a] += pads[i] + pads[i + axes.size()];
        }
        return c.set(0, c.in(0).dtype, out);
    }
    case OpKind::ReduceSum: return inferReduce(c, 13);
    case OpKind::ReduceMean: case OpKind::ReduceMax: case OpKind::ReduceMin: return inferReduce(c, 18);
    case OpKind::Resize: case OpKind::Upsample: return inferResize(c);
    case OpKind::Constant: case OpKind::Unknown:
        break;
    }
    c.fail("operator '" + n.opType + "' has no shape inference");
}

} // namespace

Shape broadcastShapes(const Shape &a, const Shape &b, const std::string &where)
{
    Shape out(std::max(a.size(), b.size()), 1);
    for (size_t i = 0; i < out.size(); ++i) {
        int64_t da = i < out.size() - a.size() ? 1 : a[i - (out.size() - a.size())];
        int64_t db = i < out.size() - b.size() ? 1 : b[i - (out.size() - b.size())];
        if (da != db && da != 1 && db != 1)
            throw Error("shapes " + shapeString(a) + " and " + shapeString(b) + " do not broadcast", where);
        out[i] = da == 1 ? db : da;
    }
    return out;
}

int64_t normalizeAxis(int64_t axis, int64_t rank, const std::string &where)
{
    if (axis < -rank || axis >= rank)
        throw Error("axis " + std::to_string(axis) + " is out of range for rank " + std::to_string(rank), where);
    return axis < 0 ? axis + rank : axis;
}

void inferNodeShapes(Graph &g, const Node &node, int64_t opset)
{
    Ctx c{g, node, opset, "node '" + node.name + "' (" + node.opType + ")"};
    inferNode(c);
}

} // namespace sniper::onnx
