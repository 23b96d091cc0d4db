#include "runtime/opencvruntime.h"

#include "common/error.h"
#include "onnx/onnxexport.h"

#include <opencv2/core.hpp>
#include <opencv2/core/utils/logger.hpp>
#include <opencv2/dnn.hpp>

#include <cstring>
#include <random>

namespace sniper::runtime {

using namespace sniper::graph;

namespace {

// OpenCV's messages span lines with "> " prefixes; one line reads better in tables and logs.
std::string oneLine(const std::string &text)
{
    std::string out;
    bool space = false;
    for (char c : text) {
        if (c == '\n' || c == '\r' || c == '>' || c == ' ' || c == '\t') {
            space = !out.empty();
            continue;
        }
        if (space)
            out += ' ';
        space = false;
        out += c;
    }
    return out;
}

cv::Mat toMat(const HostTensor &t)
{
    std::vector<int> dims(t.shape.begin(), t.shape.end());
    if (dims.empty())
        dims.push_back(1);
    std::vector<float> values = t.toFloats();
    cv::Mat m(int(dims.size()), dims.data(), CV_32F);
    std::memcpy(m.ptr<float>(), values.data(), values.size() * 4);
    return m;
}

class OpenCvPrepared : public PreparedModel {
public:
    OpenCvPrepared(const Graph &source, int threads, uint64_t seed) : m_threads(threads)
    {
        cv::utils::logging::setLogLevel(cv::utils::logging::LOG_LEVEL_SILENT);
        Graph g = source;
        fillRandomWeights(g, seed);
        std::string bytes = onnx::exportOnnx(g);
        cv::setNumThreads(m_threads);
        try {
            m_net = cv::dnn::readNetFromONNX(bytes.data(), bytes.size());
            m_net.setPreferableBackend(cv::dnn::DNN_BACKEND_OPENCV);
            m_net.setPreferableTarget(cv::dnn::DNN_TARGET_CPU);
        } catch (const cv::Exception &e) {
            throw UnsupportedError("OpenCV dnn cannot load the model: " + oneLine(e.err));
        }
        for (int in : g.inputs)
            m_inputNames.push_back(g.values[in].name);
        for (int out : g.outputs) {
            m_outputNames.push_back(g.values[out].name);
            m_outputShapes.push_back(g.values[out].shape);
        }
        std::mt19937 rng{static_cast<uint32_t>(seed)};
        std::normal_distribution<float> dist;
        for (int in : g.inputs) {
            std::vector<float> v(size_t(g.values[in].elements()));
            for (float &x : v)
                x = dist(rng);
            m_fixed.push_back(toMat(HostTensor::fromFloats(g.values[in].shape, v)));
        }
        // The first forward pass allocates and may reveal unsupported layers.
        try {
            forward(m_fixed);
        } catch (const cv::Exception &e) {
            throw UnsupportedError("OpenCV dnn cannot run the model: " + oneLine(e.err));
        }
    }

    std::vector<HostTensor> run(const std::vector<HostTensor> &inputs) override
    {
        std::vector<cv::Mat> mats;
        for (const HostTensor &t : inputs)
            mats.push_back(toMat(t));
        std::vector<cv::Mat> outs;
        try {
            outs = forward(mats);
        } catch (const cv::Exception &e) {
            throw Error("OpenCV dnn failed: " + oneLine(e.err));
        }
        std::vector<HostTensor> result;
        for (size_t i = 0; i < outs.size(); ++i) {
            cv::Mat m = outs[i].isContinuous() ? outs[i] : outs[i].clone();
            std::vector<float> v(m.ptr<float>(), m.ptr<float>() + m.total());
            Shape shape = int64_t(v.size()) == numElements(m_outputShapes[i]) ? m_outputShapes[i] : Shape{int64_t(v.size())};
            result.push_back(HostTensor::fromFloats(shape, v));
        }
        return result;
    }

    void runTimed() override { forward(m_fixed); }

private:
    std::vector<cv::Mat> forward(const std::vector<cv::Mat> &inputs)
    {
        cv::setNumThreads(m_threads);
        setBlasThreads(m_threads);
        for (size_t i = 0; i < inputs.size() && i < m_inputNames.size(); ++i)
            m_net.setInput(inputs[i], m_inputNames[i]);
        std::vector<cv::Mat> outs;
        m_net.forward(outs, m_outputNames);
        return outs;
    }

    int m_threads;
    cv::dnn::Net m_net;
    std::vector<std::string> m_inputNames, m_outputNames;
    std::vector<Shape> m_outputShapes;
    std::vector<cv::Mat> m_fixed;
};

} // namespace

OpenCvRuntime::OpenCvRuntime(std::string id, int threads) : m_id(std::move(id)), m_threads(threads) {}

PlatformInfo OpenCvRuntime::info() const
{
    PlatformInfo p;
    p.id = m_id;
    p.framework = std::string("OpenCV ") + CV_VERSION + " dnn (its own CPU kernels)";
    p.device = cpuModelName();
    p.blas = blasLibrary();
    p.threads = m_threads;
    return p;
}

std::string OpenCvRuntime::unsupportedReason(const Graph &g) const
{
    try {
        OpenCvPrepared probe(g, m_threads, 1);
    } catch (const UnsupportedError &e) {
        return e.what();
    }
    return {};
}

std::unique_ptr<PreparedModel> OpenCvRuntime::prepare(const Graph &g, uint64_t seed)
{
    return std::make_unique<OpenCvPrepared>(g, m_threads, seed);
}

} // namespace sniper::runtime
