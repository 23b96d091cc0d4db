#pragma once

// The measurement protocol of SPEC §5: warm-up, adaptive repeats until the 95% confidence
// half-width of the median is small enough (or a cap), statistics, measurable parameters.

#include "runtime/contention.h"
#include "runtime/measurement.h"
#include "runtime/runtime.h"

#include <functional>
#include <vector>

namespace sniper::runtime {

// Statistics of latency samples (ms). The median's 95% confidence interval uses order
// statistics: ranks n/2 -+ 1.96 sqrt(n)/2 (distribution-free).
LatencyStats computeStats(std::vector<double> samplesMs);

// Available memory (MemAvailable), 1-minute load average and CPU frequency where readable.
MeasurableParams readMeasurableParams();

// Whole-machine CPU utilization between construction and stop(), from /proc/stat.
class CpuUtilization {
public:
    CpuUtilization();
    double stop() const; // 0..1, NaN if /proc/stat is not readable
private:
    uint64_t m_busy = 0, m_total = 0;
};

using CancelFn = std::function<bool()>;

// Times prepared.runTimed() under the protocol. Returns Ok with statistics (cancelled → Error).
// With protocol.gate and a probe (calibrated here if it is not yet), blocks of runs that a probe
// reading marks as contended are discarded (docs/runtime.md); a measurement left with fewer than
// min(minRuns, 3) clean runs after twice maxSeconds, with runs discarded, is flagged contended in
// its evidence and carries the statistics of all its runs. Without a probe the gate is off.
// `keptRunsMs`, when given, receives the kept runs' times in the order they were taken.
Measurement measurePrepared(PreparedModel &prepared, const MeasurementProtocol &protocol, const std::string &platform,
                            const CancelFn &cancelled = {}, ContentionProbe *probe = nullptr,
                            std::vector<double> *keptRunsMs = nullptr);

// Prepares and measures a graph on a runtime; a model the platform cannot run gives status
// Unsupported with the reason, an execution failure status Error — never an exception for those.
// The graph's first input must have the protocol's batch size as its first dimension.
Measurement measureGraph(Runtime &runtime, const graph::Graph &g, const MeasurementProtocol &protocol,
                         uint64_t seed = 1, const CancelFn &cancelled = {}, ContentionProbe *probe = nullptr,
                         std::vector<double> *keptRunsMs = nullptr);

} // namespace sniper::runtime
