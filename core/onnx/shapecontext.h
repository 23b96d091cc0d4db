#pragma once

// Internal to shape inference: the per-node context and the windowed operators (Conv,
// ConvTranspose, pools), kept in their own file.

#include "common/error.h"
#include "graph/graph.h"
#include "onnx/constantfold.h"
#include "onnx/shapeinference.h"

#include <string>
#include <vector>

namespace sniper::onnx::detail {

using namespace sniper::graph;

// The largest tensor the IR accepts: beyond this a dimension is "absurd" (SPEC §14).
constexpr int64_t kMaxDim = int64_t(1) << 31;
constexpr int64_t kMaxElements = int64_t(1) << 40;

struct Ctx {
    Graph &g;
    const Node &n;
    int64_t opset;
    std::string where;

    [[noreturn]] void fail(const std::string &what) const { throw Error(what, where); }

    bool has(size_t i) const { return i < n.inputs.size() && n.inputs[i] >= 0; }
    const Value &in(size_t i) const
    {
        if (!has(i))
            fail("required input " + std::to_string(i) + " is missing");
        return g.values[n.inputs[i]];
    }
    const Shape &shape(size_t i) const { return in(i).shape; }
    size_t rank(size_t i) const { return in(i).shape.size(); }
    Value &out(size_t i) const
    {
        if (i >= n.outputs.size())
            fail("output " + std::to_string(i) + " is missing");
        return g.values[n.outputs[i]];
    }
    void set(size_t i, DType t, Shape s) const
    {
        if (i >= n.outputs.size())
            return;
        for (int64_t d : s) {
            if (d < 0)
                fail("computed a negative dimension " + std::to_string(d) + " for output '" + out(i).name + "'");
            if (d > kMaxDim)
                fail("computed an absurd dimension " + std::to_string(d) + " for output '" + out(i).name + "'");
        }
        if (numElements(s) > kMaxElements)
            fail("output '" + out(i).name + "' would have an absurd size " + shapeString(s));
        out(i).dtype = t;
        out(i).shape = std::move(s);
    }
    void same(size_t outIdx = 0, size_t inIdx = 0) const { set(outIdx, in(inIdx).dtype, shape(inIdx)); }

    // Values of a constant integer input (e.g. Reshape's shape): must be known at import.
    std::vector<int64_t> ints(size_t i, const char *what) const
    {
        const Value &v = in(i);
        if (!v.isConstant || !v.hasData())
            fail(std::string("the ") + what + " input '" + v.name +
                 "' is not a constant: shapes must be static (give input shapes, or export with constant folding)");
        return toInts(v);
    }
    std::vector<double> doubles(size_t i, const char *what) const
    {
        const Value &v = in(i);
        if (!v.isConstant || !v.hasData())
            fail(std::string("the ") + what + " input '" + v.name + "' is not a constant");
        return toDoubles(v);
    }
    int64_t axis(int64_t a, int64_t r) const { return normalizeAxis(a, r, where); }
    std::vector<int64_t> axesFromAttrOrInput(size_t inputIdx, int64_t inputSinceOpset) const
    {
        if (opset >= inputSinceOpset)
            return has(inputIdx) ? ints(inputIdx, "axes") : std::vector<int64_t>{};
        return n.attrInts("axes");
    }
};

void inferConv(const Ctx &c);
void inferConvTranspose(const Ctx &c);
void inferPool(const Ctx &c);

} // namespace sniper::onnx::detail
