#pragma once

// opencv-cpu-Nt platforms: the model exported by our ONNX writer, run by OpenCV's dnn module —
// a second framework with its own kernels and its own unsupported operators. No OpenCV types
// in this header.

#include "runtime/runtime.h"

namespace sniper::runtime {

class OpenCvRuntime : public Runtime {
public:
    OpenCvRuntime(std::string id, int threads);
    PlatformInfo info() const override;
    // OpenCV decides what it supports only when it loads a model, so this tries to load and run it.
    std::string unsupportedReason(const graph::Graph &g) const override;
    std::unique_ptr<PreparedModel> prepare(const graph::Graph &g, uint64_t seed = 1) override;

private:
    std::string m_id;
    int m_threads;
};

} // namespace sniper::runtime
