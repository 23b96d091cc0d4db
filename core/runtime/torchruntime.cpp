// torch-cpu-*: the IR executed node by node with LibTorch's ATen operators (SPEC §5).

#include "runtime/torchruntime.h"

#include "common/error.h"
#include "runtime/torchops.h"

#include <ATen/ATen.h>
#include <ATen/Parallel.h>
#include <torch/version.h>

#include <algorithm>
#include <chrono>
#include <cstring>

namespace sniper::runtime {

using namespace sniper::graph;

at::ScalarType toScalarType(DType t)
{
    switch (t) {
    case DType::Float: return at::kFloat;
    case DType::Double: return at::kDouble;
    case DType::Int64: return at::kLong;
    case DType::Int32: return at::kInt;
    case DType::Int16: return at::kShort;
    case DType::Int8: return at::kChar;
    case DType::UInt8: return at::kByte;
    case DType::Bool: return at::kBool;
    case DType::Float16: return at::kHalf;
    case DType::BFloat16: return at::kBFloat16;
    default: throw UnsupportedError(std::string("data type ") + dtypeName(t) + " is not supported by LibTorch here");
    }
}

DType fromScalarType(at::ScalarType t)
{
    switch (t) {
    case at::kFloat: return DType::Float;
    case at::kDouble: return DType::Double;
    case at::kLong: return DType::Int64;
    case at::kInt: return DType::Int32;
    case at::kShort: return DType::Int16;
    case at::kChar: return DType::Int8;
    case at::kByte: return DType::UInt8;
    case at::kBool: return DType::Bool;
    case at::kHalf: return DType::Float16;
    case at::kBFloat16: return DType::BFloat16;
    default: return DType::Undefined;
    }
}

at::Tensor toTensor(DType dtype, const Shape &shape, const Bytes &bytes)
{
    auto t = at::empty(shape, at::TensorOptions().dtype(toScalarType(dtype)));
    if (!bytes.empty())
        std::memcpy(t.data_ptr(), bytes.data(), std::min<size_t>(bytes.size(), t.nbytes()));
    return t;
}

HostTensor toHost(const at::Tensor &tensor)
{
    at::Tensor t = tensor.contiguous();
    HostTensor h;
    h.dtype = fromScalarType(t.scalar_type());
    h.shape.assign(t.sizes().begin(), t.sizes().end());
    h.bytes.resize(t.nbytes());
    if (t.nbytes())
        std::memcpy(h.bytes.data(), t.data_ptr(), t.nbytes());
    return h;
}

namespace {

class TorchPrepared : public PreparedModel {
public:
    TorchPrepared(Graph g, int threads, uint64_t seed) : m_g(std::move(g)), m_threads(threads)
    {
        at::set_num_threads(m_threads);
        fillRandomWeights(m_g, seed);
        m_values.resize(m_g.values.size());
        for (size_t v = 0; v < m_g.values.size(); ++v) {
            const Value &val = m_g.values[v];
            if (val.isConstant)
                m_values[v] = toTensor(val.dtype, val.shape, *val.data);
        }
        // Free every activation after its last consumer runs.
        m_lastUse.assign(m_g.values.size(), -1);
        for (size_t n = 0; n < m_g.nodes.size(); ++n)
            for (int in : m_g.nodes[n].inputs)
                if (in >= 0)
                    m_lastUse[in] = int(n);
        for (int o : m_g.outputs)
            m_lastUse[o] = int(m_g.nodes.size());
        // Fixed inputs for timed runs: seeded normal values.
        at::manual_seed(seed);
        for (int in : m_g.inputs) {
            const Value &v = m_g.values[in];
            at::Tensor t = isFloating(v.dtype) ? at::randn(v.shape, at::TensorOptions().dtype(toScalarType(v.dtype)))
                                               : at::zeros(v.shape, at::TensorOptions().dtype(toScalarType(v.dtype)));
            m_fixedInputs.push_back(t);
        }
    }

    std::vector<HostTensor> run(const std::vector<HostTensor> &inputs) override
    {
        if (inputs.size() != m_g.inputs.size())
            throw Error("expected " + std::to_string(m_g.inputs.size()) + " inputs, got " + std::to_string(inputs.size()),
                        m_g.name);
        std::vector<at::Tensor> in;
        for (size_t i = 0; i < inputs.size(); ++i) {
            const Value &v = m_g.values[m_g.inputs[i]];
            if (inputs[i].shape != v.shape)
                throw Error("input '" + v.name + "' has shape " + shapeString(inputs[i].shape) + ", expected " +
                            shapeString(v.shape), m_g.name);
            in.push_back(toTensor(inputs[i].dtype, inputs[i].shape, inputs[i].bytes));
        }
        std::vector<at::Tensor> out = execute(in);
        std::vector<HostTensor> result;
        for (const at::Tensor &t : out)
            result.push_back(toHost(t));
        return result;
    }

    void runTimed() override { execute(m_fixedInputs); }

    std::vector<double> nodeTimesMs(int repeats) override
    {
        if (repeats < 1)
            throw Error("repeats must be at least 1, got " + std::to_string(repeats), m_g.name);
        execute(m_fixedInputs); // warm-up
        std::vector<std::vector<double>> samples(m_g.nodes.size());
        for (int r = 0; r < repeats; ++r) {
            std::vector<double> t(m_g.nodes.size(), 0.0);
            execute(m_fixedInputs, &t);
            for (size_t n = 0; n < t.size(); ++n)
                samples[n].push_back(t[n]);
        }
        std::vector<double> median(samples.size());
        for (size_t n = 0; n < samples.size(); ++n) {
            std::vector<double> &s = samples[n];
            std::nth_element(s.begin(), s.begin() + s.size() / 2, s.end());
            median[n] = s[s.size() / 2];
        }
        return median;
    }

private:
    std::vector<at::Tensor> execute(const std::vector<at::Tensor> &inputs, std::vector<double> *nodeMs = nullptr)
    {
        // ATen's intra-op threads (OpenMP) run the convolutions, pools and element-wise ops on
        // m_threads threads. OpenBLAS (GEMM) stays on one: its pthread pool busy-waits after each
        // call and, on a machine with as many cores as threads, takes the core an OpenMP worker
        // needs, so every parallel region waits for a time slice (measured: the 2-thread platform
        // was a median 1.45x slower than the 1-thread one on 30 generated networks, some 8x).
        at::set_num_threads(m_threads);
        setBlasThreads(1);
        at::NoGradGuard noGrad;
        std::vector<at::Tensor> values = m_values;
        for (size_t i = 0; i < inputs.size(); ++i)
            values[m_g.inputs[i]] = inputs[i];
        for (size_t n = 0; n < m_g.nodes.size(); ++n) {
            const Node &node = m_g.nodes[n];
            std::vector<at::Tensor> outs;
            const auto start = std::chrono::steady_clock::now();
            try {
                outs = runTorchNode(m_g, node, values);
            } catch (const c10::Error &e) {
                throw Error(std::string("LibTorch failed: ") + e.what_without_backtrace(),
                            "node '" + node.name + "' (" + node.opType + ")");
            }
            if (nodeMs)
                (*nodeMs)[n] = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
            for (size_t k = 0; k < node.outputs.size() && k < outs.size(); ++k)
                values[node.outputs[k]] = std::move(outs[k]);
            for (int in : node.inputs)
                if (in >= 0 && m_lastUse[in] == int(n) && !m_g.values[in].isConstant)
                    values[in] = at::Tensor();
        }
        std::vector<at::Tensor> out;
        for (int o : m_g.outputs)
            out.push_back(values[o]);
        return out;
    }

    Graph m_g;
    int m_threads;
    std::vector<at::Tensor> m_values;
    std::vector<int> m_lastUse;
    std::vector<at::Tensor> m_fixedInputs;
};

} // namespace

TorchRuntime::TorchRuntime(std::string id, int threads) : m_id(std::move(id)), m_threads(threads) {}

PlatformInfo TorchRuntime::info() const
{
    PlatformInfo p;
    p.id = m_id;
    p.framework = "LibTorch " + std::to_string(TORCH_VERSION_MAJOR) + "." + std::to_string(TORCH_VERSION_MINOR) + "." +
                  std::to_string(TORCH_VERSION_PATCH) + " (ATen, our IR executor)";
    p.device = cpuModelName();
    p.blas = blasLibrary();
    p.threads = m_threads;
    return p;
}

std::string TorchRuntime::unsupportedReason(const Graph &g) const
{
    for (const Node &n : g.nodes) {
        std::string why = torchUnsupported(g, n);
        if (!why.empty())
            return why;
    }
    return {};
}

std::unique_ptr<PreparedModel> TorchRuntime::prepare(const Graph &g, uint64_t seed)
{
    std::string why = unsupportedReason(g);
    if (!why.empty())
        throw UnsupportedError(why);
    return std::make_unique<TorchPrepared>(g, m_threads, seed);
}

} // namespace sniper::runtime
