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

std::vector<double> sortedCopy(std::vector<double> v)
{
    std::sort(v.begin(), v.end());
    return v;
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

namespace {

// The stopping rule on the samples kept so far: the 95% half-width of the median within target.
bool targetMet(std::vector<double> sorted, double target)
{
    std::sort(sorted.begin(), sorted.end());
    auto [lo, hi] = medianCiRanks(sorted.size());
    return 0.5 * (sorted[hi] - sorted[lo]) <= target * median(sorted);
}

// Statistics of the kept samples plus the protocol's evidence.
void finish(Measurement &m, const std::vector<double> &samples, bool converged, const CpuUtilization &cpu,
            std::vector<double> *keptRunsMs)
{
    if (keptRunsMs)
        *keptRunsMs = samples;
    m.stats = computeStats(samples);
    m.stats.converged = converged;
    m.environment.cpuUtilization = cpu.stop();
}

} // namespace

Measurement measurePrepared(PreparedModel &prepared, const MeasurementProtocol &protocol, const std::string &platform,
                            const CancelFn &cancelled, ContentionProbe *probe, std::vector<double> *keptRunsMs)
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
    const int maxRuns = std::max(1, protocol.maxRuns);
    const int enoughAtCap = std::max(1, std::min(protocol.minRuns, 3));
    std::vector<double> samples;
    samples.reserve(size_t(maxRuns));
    auto timedRun = [&] {
        const auto t0 = Clock::now();
        prepared.runTimed();
        return std::chrono::duration<double, std::milli>(Clock::now() - t0).count();
    };
    auto isCancelled = [&] {
        if (!(cancelled && cancelled()))
            return false;
        m.status = MeasurementStatus::Error;
        m.message = "cancelled";
        return true;
    };
    const auto start = Clock::now();
    auto seconds = [&] { return std::chrono::duration<double>(Clock::now() - start).count(); };

    if (!protocol.gate || !probe || gateDisabledByEnvironment()) {
        m.protocol.gate = false; // stored as measured: without the gate
        while (int(samples.size()) < maxRuns) {
            if (isCancelled())
                return m;
            samples.push_back(timedRun());
            if (int(samples.size()) >= protocol.minRuns && seconds() >= protocol.minSeconds &&
                targetMet(samples, protocol.targetRelativeHalfWidth)) {
                finish(m, samples, true, cpu, keptRunsMs);
                return m;
            }
            if (seconds() >= protocol.maxSeconds && int(samples.size()) >= enoughAtCap)
                break;
        }
        finish(m, samples, false, cpu, keptRunsMs);
        return m;
    }

    // Gated: blocks of runs between two probe readings; a block is kept when the lower of its two
    // readings is within the threshold and the higher within the threshold + kTransitionMargin.
    // The lower one, because a single reading right after a network run scatters ~10% above the
    // calibrated time even on an idle machine (docs/runtime.md), while a contended phase (seconds
    // to minutes, 1.2-1.65x) raises both; the margin drops a block during which a phase began.
    // A block lasts at least kBlockProbeCost probe readings, so the probe costs at most about
    // 1/kBlockProbeCost of the time.
    constexpr double kBlockProbeCost = 40.0;
    constexpr double kTransitionMargin = 0.15;
    constexpr int kEarlyBlocks = 4;
    if (!probe->calibrated())
        probe->calibrate();
    const double threshold = protocol.gateThreshold > 1.0 ? protocol.gateThreshold : 1.08;
    const double medianThreshold = protocol.gateMedianThreshold > 1.0 ? protocol.gateMedianThreshold : threshold;
    auto reading = [&] {
        const auto t0 = Clock::now();
        const double ratio = probe->ratio(probe->readMs());
        return std::pair{ratio, std::chrono::duration<double, std::milli>(Clock::now() - t0).count()};
    };
    auto [before, probeCostMs] = reading();
    std::vector<double> all, keptRatios;
    bool converged = false;
    int blocks = 0;
    while (int(samples.size()) < maxRuns) {
        std::vector<double> block;
        const auto blockStart = Clock::now();
        do {
            if (isCancelled())
                return m;
            block.push_back(timedRun());
        } while (int(samples.size() + block.size()) < maxRuns &&
                 std::chrono::duration<double, std::milli>(Clock::now() - blockStart).count() <
                     kBlockProbeCost * probeCostMs);
        const auto [after, cost] = reading();
        probeCostMs = cost;
        ++blocks;
        all.insert(all.end(), block.begin(), block.end());
        const double ratio = std::min(before, after);
        if (ratio <= threshold && std::max(before, after) <= threshold + kTransitionMargin) {
            samples.insert(samples.end(), block.begin(), block.end());
            keptRatios.push_back(ratio);
        } else {
            m.evidence.runsDiscarded += int(block.size());
        }
        before = after;
        if (int(samples.size()) >= protocol.minRuns && seconds() >= protocol.minSeconds &&
            targetMet(samples, protocol.targetRelativeHalfWidth)) {
            converged = true;
            break;
        }
        if (seconds() >= protocol.maxSeconds && int(samples.size()) >= enoughAtCap)
            break;
        if (seconds() >= protocol.maxSeconds * 2 && m.evidence.runsDiscarded > 0)
            break; // no clean window: contended (a network merely slower than the cap goes on, as ungated)
        // Give up early on a window that is already contended by the rules below (more runs
        // discarded than kept, or a kept-block median probe ratio above the median threshold) and
        // not recovering: after minSeconds and kEarlyBlocks blocks, twice as many runs discarded
        // as kept, or the kept blocks' median ratio above the threshold. The campaign defers it
        // at once instead of spending the rest of the window on runs it would not use.
        if (seconds() >= protocol.minSeconds && blocks >= kEarlyBlocks &&
            (m.evidence.runsDiscarded > 2 * int(samples.size()) ||
             (int(keptRatios.size()) >= kEarlyBlocks && median(sortedCopy(keptRatios)) > medianThreshold)))
            break;
    }
    m.evidence.probeBaselineMs = probe->baselineMs();
    if (int(samples.size()) >= enoughAtCap) {
        m.evidence.probeRatio = keptRatios.empty() ? NAN : median(sortedCopy(keptRatios));
        // Contended also when more runs were discarded than kept: in a window that was mostly
        // contended, the few blocks whose probe readings happened to pass are not trusted (seen
        // here: a network kept 41% slow after 1,114 of its runs were discarded, docs/runtime.md).
        const bool mostlyDiscarded = m.evidence.runsDiscarded > int(samples.size());
        m.evidence.contended = m.evidence.probeRatio > medianThreshold || mostlyDiscarded; // or a mild slow phase
        finish(m, samples, converged, cpu, keptRunsMs);
    } else {
        // Kept and shown, but not learned from: the statistics of every run, flagged.
        m.evidence.contended = true;
        m.evidence.probeRatio = before;
        finish(m, all, false, cpu, keptRunsMs);
    }
    return m;
}

Measurement measureGraph(Runtime &runtime, const graph::Graph &g, const MeasurementProtocol &protocol, uint64_t seed,
                         const CancelFn &cancelled, ContentionProbe *probe, std::vector<double> *keptRunsMs)
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
        return measurePrepared(*prepared, protocol, m.platform, cancelled, probe, keptRunsMs);
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
