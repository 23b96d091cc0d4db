#pragma once

// Builds small IR graphs by hand for unit tests, with shapes from the real shape inference.

#include "graph/graph.h"
#include "onnx/shapeinference.h"

#include <cstring>
#include <string>
#include <vector>

namespace sniper::test {

class GraphBuilder {
public:
    explicit GraphBuilder(int64_t opset = 13) { m_g.opset = opset; }

    int input(graph::Shape shape, const std::string &name = "input")
    {
        graph::Value v;
        v.name = name;
        v.shape = std::move(shape);
        int id = m_g.addValue(std::move(v));
        m_g.inputs.push_back(id);
        return id;
    }

    // A float parameter without data (structure-only), or an int64 constant with data.
    int weight(graph::Shape shape)
    {
        graph::Value v;
        v.name = "w" + std::to_string(m_g.values.size());
        v.shape = std::move(shape);
        v.isConstant = true;
        v.isParameter = graph::numElements(v.shape) > 1;
        return m_g.addValue(std::move(v));
    }
    int ints(const std::vector<int64_t> &values)
    {
        graph::Value v;
        v.name = "c" + std::to_string(m_g.values.size());
        v.dtype = graph::DType::Int64;
        v.shape = {int64_t(values.size())};
        v.isConstant = true;
        auto bytes = std::make_shared<graph::Bytes>(values.size() * 8);
        std::memcpy(bytes->data(), values.data(), bytes->size());
        v.data = bytes;
        return m_g.addValue(std::move(v));
    }

    static graph::Attribute attr(const std::string &name, int64_t i)
    {
        graph::Attribute a;
        a.name = name;
        a.kind = graph::Attribute::Kind::Int;
        a.i = i;
        return a;
    }
    static graph::Attribute attr(const std::string &name, std::vector<int64_t> ints)
    {
        graph::Attribute a;
        a.name = name;
        a.kind = graph::Attribute::Kind::Ints;
        a.ints = std::move(ints);
        return a;
    }

    std::vector<int> nodeN(const std::string &op, std::vector<int> inputs, std::vector<graph::Attribute> attrs, int outputs)
    {
        graph::Node n;
        n.opType = op;
        n.kind = graph::opKindFromName(op);
        n.name = op + "_" + std::to_string(m_g.nodes.size());
        n.inputs = std::move(inputs);
        n.attributes = std::move(attrs);
        for (int i = 0; i < outputs; ++i) {
            graph::Value v;
            v.name = n.name + "_out" + std::to_string(i);
            n.outputs.push_back(m_g.addValue(std::move(v)));
        }
        m_g.nodes.push_back(n);
        onnx::inferNodeShapes(m_g, m_g.nodes.back(), m_g.opset);
        return m_g.nodes.back().outputs;
    }
    int node(const std::string &op, std::vector<int> inputs, std::vector<graph::Attribute> attrs = {})
    {
        return nodeN(op, std::move(inputs), std::move(attrs), 1)[0];
    }

    int conv(int x, int64_t cout, int64_t k, int64_t stride = 1, int64_t group = 1, int64_t dilation = 1)
    {
        int64_t cin = m_g.values[x].shape[1];
        int64_t pad = (k - 1) * dilation / 2;
        int w = weight({cout, cin / group, k, k});
        int b = weight({cout});
        return node("Conv", {x, w, b},
                    {attr("kernel_shape", {k, k}), attr("strides", {stride, stride}), attr("pads", {pad, pad, pad, pad}),
                     attr("group", group), attr("dilations", {dilation, dilation})});
    }
    int bn(int x)
    {
        int64_t c = m_g.values[x].shape[1];
        int s = weight({c}), b = weight({c}), m = weight({c}), v = weight({c});
        return node("BatchNormalization", {x, s, b, m, v});
    }
    int relu(int x) { return node("Relu", {x}); }
    int add(int a, int b) { return node("Add", {a, b}); }
    int concat(std::vector<int> xs, int64_t axis = 1) { return node("Concat", std::move(xs), {attr("axis", axis)}); }
    int maxpool(int x, int64_t k, int64_t s)
    {
        int64_t p = (k - 1) / 2;
        return node("MaxPool", {x}, {attr("kernel_shape", {k, k}), attr("strides", {s, s}), attr("pads", {p, p, p, p})});
    }
    int gap(int x) { return node("GlobalAveragePool", {x}); }
    int flatten(int x) { return node("Flatten", {x}); }
    int gemm(int x, int64_t n)
    {
        int64_t k = m_g.values[x].shape[1];
        int w = weight({n, k}), b = weight({n});
        return node("Gemm", {x, w, b}, {attr("transB", 1)});
    }

    graph::Graph finish(std::vector<int> outputs)
    {
        m_g.outputs = std::move(outputs);
        m_g.finalize();
        return m_g;
    }

    graph::Graph &graph() { return m_g; }

private:
    graph::Graph m_g;
};

} // namespace sniper::test
