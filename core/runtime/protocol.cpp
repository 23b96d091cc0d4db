#include "runtime/protocol.h"

#include "common/error.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <fstream>
#include <numeric>
#include <sstream>

namespace sniper::runtime {

namespace {

int64_t nowMs()
{
    return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
        .count();
}

// Ranks of the distribution-free 95% CI of the median, 0-based and clamped.
std::pair<size_t, size_t> medianCiRanks(size_t n)
{
    double half = 1.96 * std::sqrt(double(n)) / 2.0;
    double lo = std::floor(double(n) / 2.0 - half);
    double hi = std::ceil(double(n) / 2.0 + half);
    return {size_t(std::max(0.0, lo)), size_t(std::min(double(n - 1), hi))};
}

double median(const std::vector<double> &sorted)
{
    size_t n = sorted.size();
    return n % 2 ? sorted[n / 2] : 0.5 * (sorted[n / 2 - 1] + sorted[n / 2]);
}

bool readCpuTimes(uint64_t &busy, uint64_t &total)
{
    std::ifstream in("/proc/stat");
    std::string cpu;
    if (!(in >> cpu) || cpu != "cpu")
        return false;
    uint64_t v, idle = 0, sum = 0;
    for (int i = 0; i < 8 && in >> v; ++i) {
        sum += v;
        if (i == 3 || i == 4) // idle, iowait
            idle += v;
    }
    busy = sum - idle;
    total = sum;
    return total > 0;
}

} // namespace

LatencyStats computeStats(std::vector<double> samples)
{
    LatencyStats s;
    if (samples.empty())
        return s;
    std::sort(samples.begin(), samples.end());
    size_t n = samples.size();
    s.runs = int(n);
    s.medianMs = median(samples);
    s.minMs = samples.front();
    s.meanMs = std::accumulate(samples.begin(), samples.end(), 0.0) / double(n);
    double var = 0;
    for (double x : samples)
        var += (x - s.meanMs) * (x - s.meanMs);
    s.stdMs = n > 1 ? std::sqrt(var / double(n - 1)) : 0.0;
    s.p90Ms = samples[std::min(n - 1, size_t(std::ceil(0.9 * double(n))) - 1)];
    auto [lo, hi] = medianCiRanks(n);
    s.ciHalfWidthMs = 0.5 * (samples[hi] - samples[lo]);
    return s;
}

MeasurableParams readMeasurableParams()
{
    MeasurableParams p;
    {
        std::ifstream in("/proc/meminfo");
        std::string key;
        double kb;
        std::string unit;
        while (in >> key >> kb) {
            std::getline(in, unit);
            if (key == "MemAvailable:") {
                p.availableMemoryMb = kb / 1024.0;
                break;
            }
        }
    }
    {
        std::ifstream in("/proc/loadavg");
        double load;
        if (in >> load)
            p.loadAverage1 = load;
    }
    {
        std::ifstream in("/sys/devices/system/cpu/cpu0/cpufreq/scaling_cur_freq");
        double khz;
        if (in >> khz)
            p.cpuFrequencyMhz = khz / 1000.0;
        else {
            std::ifstream info("/proc/cpuinfo");
            std::string line;
            while (std::getline(info, line))
                if (line.rfind("cpu MHz", 0) == 0) {
                    p.cpuFrequencyMhz = std::atof(line.substr(line.find(':') + 1).c_str());
                    break;
                }
        }
    }
    return p;
}

CpuUtilization::CpuUtilization()
{
    readCpuTimes(m_busy, m_total);
}

double CpuUtilization::stop() const
{
    uint64_t busy, total;
    if (!readCpuTimes(busy, total) || total <= m_total)
        return MeasurableParams::kUnknown;
    return double(busy - m_busy) / double(total - m_total);
}

Measurement measurePrepared(PreparedModel &prepared, const MeasurementProtocol &protocol, const std::string &platform,
                            const CancelFn &cancelled)
{
    using Clock = std::chrono::steady_clock;
    Measurement m;
    m.platform = platform;
    m.protocol = protocol;
    m.timestampMs = nowMs();
    m.environment = readMeasurableParams();
    CpuUtilization cpu;
    for (int i = 0; i < protocol.warmupRuns; ++i)
        prepared.runTimed();
    std::vector<double> samples;
    samples.reserve(size_t(std::max(1, protocol.maxRuns)));
    const auto start = Clock::now();
    std::vector<double> sorted;
    while (int(samples.size()) < std::max(1, protocol.maxRuns)) {
        if (cancelled && cancelled()) {
            m.status = MeasurementStatus::Error;
            m.message = "cancelled";
            return m;
        }
        const auto t0 = Clock::now();
        prepared.runTimed();
        const auto t1 = Clock::now();
        samples.push_back(std::chrono::duration<double, std::milli>(t1 - t0).count());
        const double elapsed = std::chrono::duration<double>(t1 - start).count();
        if (int(samples.size()) >= protocol.minRuns) {
            sorted = samples;
            std::sort(sorted.begin(), sorted.end());
            auto [lo, hi] = medianCiRanks(sorted.size());
            double half = 0.5 * (sorted[hi] - sorted[lo]);
            if (half <= protocol.targetRelativeHalfWidth * median(sorted)) {
                m.stats.converged = true;
                break;
            }
        }
        if (elapsed >= protocol.maxSeconds && int(samples.size()) >= std::min(protocol.minRuns, 3))
            break;
    }
    bool converged = m.stats.converged;
    m.stats = computeStats(samples);
    m.stats.converged = converged;
    m.environment.cpuUtilization = cpu.stop();
    return m;
}

Measurement measureGraph(Runtime &runtime, const graph::Graph &g, const MeasurementProtocol &protocol, uint64_t seed,
                         const CancelFn &cancelled)
{
    Measurement m;
    m.platform = runtime.info().id;
    m.protocol = protocol;
    m.timestampMs = nowMs();
    if (!g.inputs.empty() && !g.values[g.inputs[0]].shape.empty() && g.values[g.inputs[0]].shape[0] != protocol.batch) {
        m.status = MeasurementStatus::Error;
        m.message = "the model's batch is " + std::to_string(g.values[g.inputs[0]].shape[0]) + " but the protocol asks for " +
                    std::to_string(protocol.batch);
        return m;
    }
    try {
        auto prepared = runtime.prepare(g, seed);
        return measurePrepared(*prepared, protocol, m.platform, cancelled);
    } catch (const UnsupportedError &e) {
        m.status = MeasurementStatus::Unsupported;
        m.message = e.what();
    } catch (const std::exception &e) {
        m.status = MeasurementStatus::Error;
        m.message = e.what();
    }
    return m;
}

} // namespace sniper::runtime
