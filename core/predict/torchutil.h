#pragma once

// Internal to core/predict: what the LibTorch regressors (pcn.cpp, medn.cpp) share. Include only
// from .cpp files that already include <torch/torch.h>.

#include "common/error.h"
#include "runtime/runtime.h"

#include <torch/torch.h>

#include <cstdint>
#include <sstream>
#include <string>
#include <vector>

namespace sniper::predict::torchutil {

// Runs a block with LibTorch on one thread and restores the caller's setting.
class OneThread {
public:
    // ATen's intra-op pool and OpenBLAS' own pool (GEMMs of the Linear layers) both.
    OneThread() : m_previous(at::get_num_threads()), m_previousBlas(runtime::blasThreads())
    {
        at::set_num_threads(1);
        runtime::setBlasThreads(1);
    }
    ~OneThread()
    {
        at::set_num_threads(m_previous);
        runtime::setBlasThreads(m_previousBlas);
    }
    OneThread(const OneThread &) = delete;
    OneThread &operator=(const OneThread &) = delete;

private:
    int m_previous, m_previousBlas;
};

// A module's weights as a LibTorch archive, and back; `what` names the weights in errors.
inline std::vector<uint8_t> saveWeights(const torch::nn::Module &module)
{
    torch::serialize::OutputArchive archive;
    module.save(archive);
    std::ostringstream os;
    archive.save_to(os);
    const std::string s = os.str();
    return {s.begin(), s.end()};
}

inline void loadWeights(torch::nn::Module &module, const std::vector<uint8_t> &bytes, const char *what)
{
    if (bytes.empty())
        throw Error("the weights are empty", what);
    try {
        std::istringstream is(std::string(bytes.begin(), bytes.end()));
        torch::serialize::InputArchive archive;
        archive.load_from(is);
        module.load(archive);
    } catch (const c10::Error &e) {
        throw Error(std::string("cannot read the LibTorch archive: ") + e.what_without_backtrace(), what);
    }
}

// Early stopping keeps the weights of the best validation epoch: a copy, and putting it back.
inline std::vector<torch::Tensor> snapshot(const torch::nn::Module &module)
{
    std::vector<torch::Tensor> out;
    for (const auto &p : module.parameters())
        out.push_back(p.detach().clone());
    return out;
}

inline void restore(torch::nn::Module &module, const std::vector<torch::Tensor> &weights)
{
    if (weights.empty())
        return;
    torch::NoGradGuard noGrad;
    auto params = module.parameters();
    for (size_t i = 0; i < params.size(); ++i)
        params[i].copy_(weights[i]);
}

} // namespace sniper::predict::torchutil
