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
struct MeasurementProtocol {
    int batch = 1;
    int warmupRuns = 3;
    int minRuns = 10;
    int maxRuns = 200;
    double maxSeconds = 10.0;
    double targetRelativeHalfWidth = 0.02;
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
    int64_t timestampMs = 0;          // Unix epoch milliseconds
};

} // namespace sniper::runtime
