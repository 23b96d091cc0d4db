#pragma once

// Module-level latency prediction (SPEC §8; Shen, Tziritas, Theodoropoulos, "Towards a flexible
// accuracy-oriented deep learning module inference latency prediction framework", §2.1): the
// nine modules, their sampling / measurable / inferable parameters (Table 3), the sampling
// ranges, and the IR graph one sample is measured as. No LibTorch here; see docs/modules.md.

#include "graph/graph.h"

#include <nlohmann/json_fwd.hpp>

#include <cstdint>
#include <string>
#include <string_view>
#include <limits>
#include <vector>

namespace sniper {
class Xoshiro256;
}

namespace sniper::predict::modules {

enum class ModuleKind : uint8_t { Conv, Bn, Linear, AvgPool, MaxPool, ConvBn, ConvRelu, ConvBnRelu, BnRelu };

const std::vector<ModuleKind> &allModuleKinds(); // Table 5 order
const char *moduleName(ModuleKind k);            // "conv", "conv+bn+relu", "avgpool", ...
ModuleKind parseModuleKind(std::string_view name); // throws sniper::Error naming the nine choices
bool hasConv(ModuleKind k);  // conv, conv+bn, conv+relu, conv+bn+relu
bool isPool(ModuleKind k);   // avgpool, maxpool

// The sampling ranges of SPEC §8 (the paper's §2.1), plus the budgets that keep one sample
// measurable on a CPU in well under a second (docs/modules.md): a sample whose MACs or whose
// input + output elements exceed the budget is drawn again.
struct SamplingRanges {
    int64_t batchMin = 1, batchMax = 64;                                   // N
    std::vector<int64_t> planes{224, 112, 56, 32, 28, 27, 14, 13, 8, 7};  // L (input height = width)
    int64_t channelsMin = 3, channelsMax = 512;                            // Ci, Co
    std::vector<int64_t> kernels{1, 3, 5, 7, 9};                           // K
    std::vector<int64_t> strides{1, 2, 4};                                 // S
    double maxMacs = 2e8;
    double maxElements = 8e6;
};
nlohmann::json rangesToJson(const SamplingRanges &r);
SamplingRanges rangesFromJson(const nlohmann::json &j); // throws sniper::Error naming a bad field

// The sampling parameters of one module instance; fields a module does not use are 0.
struct ModuleParams {
    int64_t n = 1;  // batch N
    int64_t l = 0;  // input height and width L (0 for linear)
    int64_t ci = 0; // input channels / features Ci
    int64_t co = 0; // output channels / features Co (conv, linear)
    int64_t k = 0;  // kernel K (conv, pools)
    int64_t s = 0;  // stride S (conv, pools)
    bool operator==(const ModuleParams &o) const
    {
        return n == o.n && l == o.l && ci == o.ci && co == o.co && k == o.k && s == o.s;
    }
};

// One measured sample: the module, its parameters, the measurable parameters read while it was
// timed, and the median latency.
struct ModuleSample {
    ModuleKind kind = ModuleKind::Conv;
    ModuleParams params;
    double memoryMb = 0;    // M: available memory (MemAvailable) at sample time
    double utilization = 0; // U: whole-machine CPU utilization 0..1 over the timing window
    bool background = false; // a background inference job ran while it was timed (dynamic mode)
    double latencyMs = 0;
    int64_t index = 0; // position in its sampling sequence (seeded: index i always draws the same parameters)
    double probeRatio = std::numeric_limits<double>::quiet_NaN(); // contention probe / calibrated (NaN: ungated)
    bool contended = false; // no clean window within the retries: stored, not learned from
};

// Parameter groups (Table 3). A regressor takes any union of them (MEDN-XI, -XM, -R).
enum ParamGroup : unsigned { Sampling = 1u, Measurable = 2u, Inferable = 4u, AllGroups = 7u };

// Feature names of a module for the chosen groups, e.g. conv + all: N L Ci Co K S M U Nd Nm MACs.
std::vector<std::string> featureNames(ModuleKind k, unsigned groups);
// The same features of one sample. Size-like inferable values (Nd, Nm, MACs) enter as log1p.
std::vector<double> featureVector(const ModuleSample &s, unsigned groups);

// Inferable parameters (the paper's §2.1): data size Nd (input elements), module parameters Nm
// (weights, biases, BatchNorm scale and shift: PyTorch's parameter count), multiply-accumulates.
int64_t dataSize(ModuleKind k, const ModuleParams &p);
int64_t moduleParameters(ModuleKind k, const ModuleParams &p);
int64_t moduleMacs(ModuleKind k, const ModuleParams &p);
int64_t outputPlane(ModuleKind k, const ModuleParams &p); // output height = width (0 for linear)
int64_t elements(ModuleKind k, const ModuleParams &p);    // input + output elements

// Throws sniper::Error naming the parameter, its value and the range when a used parameter is
// outside `r` (or not positive), or when an unused one is set; `where` prefixes the message.
void validateParams(ModuleKind k, const ModuleParams &p, const SamplingRanges &r, const std::string &where);

// The nearest parameters inside the ranges (each clamped to its interval, L / K / S to the
// closest sampled value, a pool's K to at most L): what a module outside the sampled space is
// predicted at before its prediction is scaled by the ratio of the MACs (ModuleSetPredictor).
ModuleParams clampToRanges(ModuleKind k, const ModuleParams &p, const SamplingRanges &r);

// Draws parameters uniformly from the ranges (N, Ci, Co uniform integers; L, K, S uniform over
// their sets; pools with K > L are not drawn), again until the budgets hold.
ModuleParams sampleParams(ModuleKind k, const SamplingRanges &r, Xoshiro256 &rng);
// The parameters of sample `index` of a sequence: seeded per index, so a resumed sampling run
// draws exactly the parameters the interrupted one would have.
ModuleParams sampleParamsAt(ModuleKind k, const SamplingRanges &r, uint64_t seed, int64_t index);

// The module as an IR graph with input [N, Ci, L, L] ([N, Ci] for linear): Conv with "same"
// padding (K / 2) and bias, BatchNormalization, Relu, Gemm, MaxPool / AveragePool with padding
// K / 2 (average excludes padding). Weights are structure-only (runtimes fill them seeded).
graph::Graph buildModuleGraph(ModuleKind k, const ModuleParams &p);

} // namespace sniper::predict::modules
