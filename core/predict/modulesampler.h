#pragma once

// Module datasets (the paper's §2.2, Fig. 2): draw sampling parameters, build the module, time
// it on a local platform under the measurement protocol, read the measurable parameters M and
// U, and hand each sample to a sink as it is measured (the database commits it). In "dynamic
// environment" mode a background thread runs random module inference jobs on the same platform
// during a random share of the samples, as the paper does, and the samples record it.

#include "predict/modules.h"
#include "runtime/measurement.h"

#include <functional>
#include <string>
#include <vector>

namespace sniper::predict::modules {

struct SamplingOptions {
    ModuleKind module = ModuleKind::Conv;
    std::string platform = "torch-cpu-1t";
    int64_t first = 0, count = 100; // sample indices [first, first + count): a resumed run starts later
    uint64_t seed = 1;
    SamplingRanges ranges;
    runtime::MeasurementProtocol protocol = defaultModuleProtocol();
    bool dynamic = false;
    double backgroundShare = 0.5; // dynamic mode: fraction of samples timed under background load

    static runtime::MeasurementProtocol defaultModuleProtocol(); // 1 warm-up, 3..7 runs, 0.1 s, 3%
};

struct SamplingResult {
    int64_t measured = 0;
    std::vector<std::string> failures; // "sample 12 (conv N=.. ): reason"
    bool cancelled = false;
};

// Throws sniper::Error for an unknown platform or invalid ranges. A sample the platform cannot
// run is reported in failures and skipped. `progress(done, total)` returning false cancels.
SamplingResult sampleModules(const SamplingOptions &options, const std::function<void(const ModuleSample &)> &sink,
                             const std::function<bool(int64_t, int64_t)> &progress = {});

} // namespace sniper::predict::modules
