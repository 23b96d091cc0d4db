#pragma once

// What one latency measurement is (SPEC §5): the protocol it followed, its statistics, and the
// measurable parameters of the machine when it was taken. Shared by runtimes, campaigns, the
// database and the board agent; no heavy includes.

#include <cstdint>
#include <limits>
#include <string>

namespace sniper::runtime {

// Adaptive repetition: warm up, then repeat until the 95% confidence half-width of the median is
// below `targetRelativeHalfWidth` of the median, or a cap of runs or seconds is reached.
// Contention gate (docs/runtime.md): a short fixed compute kernel (the probe) is timed between
// blocks of timed runs; a block whose probe readings, before and after it, both read more than
// `gateThreshold` times the platform's calibrated uncontended time is discarded. A measurement
// that keeps fewer than min(minRuns, 3) runs, or whose kept blocks' median probe ratio is above
// `gateMedianThreshold` (a mild slow phase that no single reading shows), is contended: a
// campaign defers it and retries it later, at most `maxRetries` times within `retryCapSeconds`.
struct MeasurementProtocol {
    int batch = 1;
    int warmupRuns = 3;
    int minRuns = 10;
    int maxRuns = 200;
    double maxSeconds = 5.0;
    double targetRelativeHalfWidth = 0.02;
    // The runs of a measurement span at least this long (unless maxRuns comes first), so a small
    // network is not timed in one instant of a machine whose speed wanders over seconds.
    double minSeconds = 0.5;
    bool gate = true;                 // probe the platform and discard contended blocks
    double gateThreshold = 1.08;      // probe ratio above which a block is contended
    double gateMedianThreshold = 1.05; // median ratio of the kept blocks above which the whole measurement is
    int maxRetries = 4;               // deferrals of a contended measurement
    double retryCapSeconds = 600.0;   // from a round's first try; after that it is stored contended
    // Rounds (docs/runtime.md, "Rounds"): a campaign measures each pair in `rounds` separate
    // windows, each with its own preparation and at least `roundGapSeconds` after the previous
    // one (other pairs are measured in between), so neither a slow phase of the machine nor an
    // unlucky placement of the network's buffers falls on all of them. The pair's value is its
    // clean round with the lowest median; when the two lowest disagree by more than
    // `roundAgreement`, another round is taken, up to `maxRounds`. The caps above are per round.
    int rounds = 2;
    int maxRounds = 3;
    double roundAgreement = 0.03;
    double roundGapSeconds = 20.0;
};

// How clean a measurement's runs were (docs/runtime.md). NaN probe values where no probe ran
// (gate off, imported rows).
struct ContentionEvidence {
    double probeRatio = std::numeric_limits<double>::quiet_NaN();      // median probe / calibrated, kept blocks
    double probeBaselineMs = std::numeric_limits<double>::quiet_NaN(); // the calibrated uncontended probe time
    int runsDiscarded = 0;            // timed runs dropped because a probe read contended
    int retries = 0;                  // times a campaign deferred it before this result
    bool contended = false;           // no clean window within the caps: kept, but not learned from
    int rounds = 1;                   // clean rounds taken (the value is the fastest of them)
    // (second-lowest - lowest) / lowest of the rounds' medians; NaN with one round.
    double roundSpread = std::numeric_limits<double>::quiet_NaN();
};

struct LatencyStats {
    double medianMs = 0;
    double meanMs = 0;
    double stdMs = 0;
    double minMs = 0;
    double p90Ms = 0;
    double ciHalfWidthMs = 0; // 95% confidence half-width of the median
    int runs = 0;
    bool converged = false;   // the half-width target was met before a cap
};

// Read at sample time; NaN where the machine does not expose the value.
struct MeasurableParams {
    static constexpr double kUnknown = std::numeric_limits<double>::quiet_NaN();
    double availableMemoryMb = kUnknown;
    double cpuUtilization = kUnknown; // 0..1 over the measurement window, all cores
    double loadAverage1 = kUnknown;
    double cpuFrequencyMhz = kUnknown;
};

enum class MeasurementStatus { Ok, Unsupported, Error };

struct Measurement {
    std::string platform;             // platform id, e.g. "torch-cpu-1t"
    MeasurementStatus status = MeasurementStatus::Ok;
    std::string message;              // for Unsupported: the operator and node; for Error: what failed
    LatencyStats stats;
    MeasurementProtocol protocol;
    MeasurableParams environment;
    ContentionEvidence evidence;
    int64_t timestampMs = 0;          // Unix epoch milliseconds
    // Ok and not contended: what predictors learn from.
    bool clean() const { return status == MeasurementStatus::Ok && !evidence.contended; }
};

} // namespace sniper::runtime
