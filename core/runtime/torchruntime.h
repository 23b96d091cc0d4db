#pragma once

// torch-cpu-Nt platforms. The header stays free of LibTorch.

#include "runtime/runtime.h"

namespace sniper::runtime {

class TorchRuntime : public Runtime {
public:
    TorchRuntime(std::string id, int threads);
    PlatformInfo info() const override;
    std::string unsupportedReason(const graph::Graph &g) const override;
    std::unique_ptr<PreparedModel> prepare(const graph::Graph &g, uint64_t seed = 1) override;

private:
    std::string m_id;
    int m_threads;
};


} // namespace sniper::runtime
