#include "onnx/shapecontext.h"

namespace sniper::onnx::detail {

namespace {

int64_t outSpatial(int64_t in, int64_t k, int64_t s, int64_t d, int64_t pb, int64_t pe, bool ceil, const Ctx &c)
{
    if (s <= 0 || d <= 0 || k <= 0)
        c.fail("kernel, stride and dilation must be positive");
    int64_t eff = (k - 1) * d + 1;
    int64_t span = in + pb + pe - eff;
    if (span < 0)
        c.fail("kernel " + std::to_string(eff) + " is larger than the padded input " + std::to_string(in + pb + pe));
    int64_t out = ceil ? (span + s - 1) / s + 1 : span / s + 1;
    if (ceil && (out - 1) * s >= in + pb) // the last window must start inside the input (PyTorch's rule)
        --out;
    return out;
}

// Shared spatial arithmetic of Conv and the pools: auto_pad, pads, strides, dilations.
Shape windowedSpatial(const Ctx &c, const Shape &x, const std::vector<int64_t> &kernel, bool ceil)
{
    size_t sp = kernel.size();
    if (x.size() != sp + 2)
        c.fail("input rank " + std::to_string(x.size()) + " does not match a " + std::to_string(sp) + "-D kernel");
    auto strides = c.n.attrInts("strides", std::vector<int64_t>(sp, 1));
    auto dil = c.n.attrInts("dilations", std::vector<int64_t>(sp, 1));
    auto pads = c.n.attrInts("pads", std::vector<int64_t>(2 * sp, 0));
    if (strides.size() != sp || dil.size() != sp || pads.size() != 2 * sp)
        c.fail("strides/dilations/pads do not match the kernel rank");
    std::string autoPad = c.n.attrString("auto_pad", "NOTSET");
    Shape out;
    for (size_t i = 0; i < sp; ++i) {
        int64_t in = x[i + 2];
        if (autoPad == "SAME_UPPER" || autoPad == "SAME_LOWER") {
            int64_t o = (in + strides[i] - 1) / strides[i];
            out.push_back(o);
        } else if (autoPad == "VALID") {
            out.push_back(outSpatial(in, kernel[i], strides[i], dil[i], 0, 0, ceil, c));
        } else {
            out.push_back(outSpatial(in, kernel[i], strides[i], dil[i], pads[i], pads[i + sp], ceil, c));
        }
    }
    return out;
}

} // namespace

void inferConv(const Ctx &c)
{
    const Shape &x = c.shape(0), &w = c.shape(1);
    if (x.size() < 3 || w.size() != x.size())
        c.fail("Conv expects input and weight of equal rank >= 3, got " + shapeString(x) + " and " + shapeString(w));
    int64_t group = c.n.attrInt("group", 1);
    if (group <= 0 || x[1] != w[1] * group)
        c.fail("input channels " + std::to_string(x[1]) + " do not match weight " + shapeString(w) +
               " with group " + std::to_string(group));
    std::vector<int64_t> kernel(w.begin() + 2, w.end());
    Shape out{x[0], w[0]};
    for (int64_t d : windowedSpatial(c, x, kernel, false))
        out.push_back(d);
    c.set(0, c.in(0).dtype, out);
}

void inferConvTranspose(const Ctx &c)
{
    const Shape &x = c.shape(0), &w = c.shape(1);
    if (x.size() < 3 || w.size() != x.size())
        c.fail("ConvTranspose expects input and weight of equal rank >= 3");
    int64_t group = c.n.attrInt("group", 1);
    if (x[1] != w[0])
        c.fail("input channels " + std::to_string(x[1]) + " do not match weight " + shapeString(w));
    size_t sp = x.size() - 2;
    auto strides = c.n.attrInts("strides", std::vector<int64_t>(sp, 1));
    auto dil = c.n.attrInts("dilations", std::vector<int64_t>(sp, 1));
    auto pads = c.n.attrInts("pads", std::vector<int64_t>(2 * sp, 0));
    auto outPad = c.n.attrInts("output_padding", std::vector<int64_t>(sp, 0));
    auto outShape = c.n.attrInts("output_shape");
    std::string autoPad = c.n.attrString("auto_pad", "NOTSET");
    Shape out{x[0], w[1] * group};
    for (size_t i = 0; i < sp; ++i) {
        if (outShape.empty() && (autoPad == "SAME_UPPER" || autoPad == "SAME_LOWER"))
            out.push_back(x[i + 2] * strides[i]);
        else if (!outShape.empty())
            out.push_back(outShape[outShape.size() - sp + i]);
        else
            out.push_back(strides[i] * (x[i + 2] - 1) + outPad[i] + (w[i + 2] - 1) * dil[i] + 1 - pads[i] - pads[i + sp]);
    }
    c.set(0, c.in(0).dtype, out);
}

void inferPool(const Ctx &c)
{
    auto kernel = c.n.attrInts("kernel_shape");
    if (kernel.empty())
        c.fail("kernel_shape attribute is missing");
    const Shape &x = c.shape(0);
    Shape out{x.size() > 0 ? x[0] : 0, x.size() > 1 ? x[1] : 0};
    for (int64_t d : windowedSpatial(c, x, kernel, c.n.attrInt("ceil_mode", 0) != 0))
        out.push_back(d);
    c.set(0, c.in(0).dtype, out);
    c.set(1, DType::Int64, out); // MaxPool's optional Indices
}

} // namespace sniper::onnx::detail
