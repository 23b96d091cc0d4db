#pragma once

// Internal to core/generator: appends nodes to an IR graph with real shape inference
// (onnx::inferNodeShapes) and counts MACs as graph::computeCosts does, without any ONNX
// round trip, so the random network generator can build >= 10,000 networks/s (SPEC §13).

#include "graph/graph.h"

#include <cstdint>
#include <initializer_list>
#include <vector>

namespace sniper::generator {

// The last three are emitted as PyTorch 1.13 exports them at opset 13 (torchvision's models):
// HardSwish = x * HardSigmoid(x) (alpha 1/6), SiLU = x * Sigmoid(x), GELU = x * 0.5 * (1 + Erf(x / sqrt 2)).
enum class Activation : uint8_t { Relu, Relu6, LeakyRelu, Sigmoid, Tanh, Elu, HardSigmoid, HardSwish, Silu, Gelu };

class Emitter {
public:
    explicit Emitter(graph::Graph &g, int64_t opset = 13);

    int input(graph::Shape shape, const char *name = "input");

    // Conv with "same" padding for odd kernels (pads = dilation*(k-1)/2): out = ceil(in/stride).
    // Weights are float parameters without data (structure-only, like the importer's).
    int conv(int x, int64_t cout, int64_t kernel, int64_t stride = 1, int64_t dilation = 1, int64_t group = 1,
             bool bias = true);
    // Any kernel (kh x kw), explicit symmetric padding per axis; MACs as computeCosts counts them.
    int convRect(int x, int64_t cout, int64_t kh, int64_t kw, int64_t stride, int64_t padH, int64_t padW,
                 int64_t group = 1, bool bias = true, int64_t dilation = 1);
    int batchNorm(int x);
    // LayerNormalization over the last axis, decomposed as PyTorch exports it below opset 17:
    // ReduceMean, Sub, Pow, ReduceMean, Add eps, Sqrt, Div, Mul gamma, Add beta.
    int layerNorm(int x);
    int activation(int x, Activation a);
    // Max or average pooling with symmetric padding `pad`; AveragePool excludes the padding
    // (ONNX's count_include_pad = 0 default, PyTorch's count_include_pad=False).
    int pool(int x, bool max, int64_t kernel, int64_t stride, int64_t pad);
    int globalAveragePool(int x);
    int flatten(int x);
    int gemm(int x, int64_t outFeatures); // x: [N, K]; weight [outFeatures, K] with transB = 1, bias
    // x: [..., K] times a weight [K, outFeatures] (MatMul) plus a bias (Add): a Linear on any rank.
    int linear(int x, int64_t outFeatures);
    int matmul(int a, int b); // two activations (attention)
    int reshape(int x, const std::vector<int64_t> &shape);
    int transpose(int x, const std::vector<int64_t> &perm);
    int slice(int x, int64_t axis, int64_t begin, int64_t end);
    int softmax(int x, int64_t axis = -1);
    int reduceMean(int x, const std::vector<int64_t> &axes, bool keepDims);
    int add(int a, int b);
    int mul(int a, int b);
    int concat(std::vector<int> xs);
    int scalar(float value); // a float scalar constant with data (Clip bounds, a zero)
    int ints(const std::vector<int64_t> &values); // an int64 vector constant with data (shapes, axes)
    int parameter(graph::Shape shape);            // a float parameter without data (embeddings, scales)

    void reserve(size_t nodes, size_t values); // avoids moving nodes and values while growing

    const graph::Shape &shape(int v) const { return m_g.values[v].shape; }
    int64_t channels(int v) const { return m_g.values[v].shape[1]; }
    int64_t macs() const { return m_macs; }

    // Everything emitted after mark() can be dropped again with rollback(mark).
    struct Mark {
        size_t values = 0, nodes = 0;
        int64_t macs = 0;
    };
    Mark mark() const { return {m_g.values.size(), m_g.nodes.size(), m_macs}; }
    void rollback(const Mark &m);

private:
    int param(graph::Shape shape, bool isParameter = true);
    int node(graph::OpKind kind, std::initializer_list<int> inputs, std::vector<graph::Attribute> attrs = {});
    int nodeV(graph::OpKind kind, std::vector<int> inputs, std::vector<graph::Attribute> attrs);

    graph::Graph &m_g;
    int64_t m_macs = 0;
    int m_clipMin = -1, m_clipMax = -1; // shared Relu6 bounds, created on first use
};

} // namespace sniper::generator
