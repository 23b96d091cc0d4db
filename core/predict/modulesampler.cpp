#include "predict/modulesampler.h"

#include "common/error.h"
#include "common/xoshiro.h"
#include "runtime/contention.h"
#include "runtime/protocol.h"
#include "runtime/runtime.h"

#include <atomic>
#include <chrono>
#include <cmath>
#include <thread>

namespace sniper::predict::modules {

runtime::MeasurementProtocol SamplingOptions::defaultModuleProtocol()
{
    runtime::MeasurementProtocol p;
    p.warmupRuns = 1;
    p.minRuns = 3;
    p.maxRuns = 7;
    p.maxSeconds = 0.1;
    p.targetRelativeHalfWidth = 0.03;
    return p;
}

namespace {

std::string describe(ModuleKind k, const ModuleParams &p)
{
    return std::string(moduleName(k)) + " N=" + std::to_string(p.n) + " L=" + std::to_string(p.l) + " Ci=" +
           std::to_string(p.ci) + " Co=" + std::to_string(p.co) + " K=" + std::to_string(p.k) + " S=" + std::to_string(p.s);
}

// Random module inference jobs on the platform while `active` is set (the paper's dynamic
// environment): a conv, linear or pool of random size, run a few times, holding a random
// amount of extra memory (0-768 MB) as another workload would.
class BackgroundLoad {
public:
    BackgroundLoad(const std::string &platform, const SamplingRanges &ranges, uint64_t seed)
        : m_runtime(runtime::createRuntime(platform)), m_ranges(ranges), m_rng(seed ^ 0xbac6u)
    {
        m_thread = std::thread([this] { loop(); });
    }
    ~BackgroundLoad()
    {
        m_stop = true;
        m_thread.join();
    }
    void setActive(bool on) { m_active = on; }

private:
    void loop()
    {
        static const ModuleKind kinds[] = {ModuleKind::ConvRelu, ModuleKind::Linear, ModuleKind::MaxPool, ModuleKind::BnRelu};
        while (!m_stop) {
            if (!m_active) {
                std::this_thread::sleep_for(std::chrono::milliseconds(2));
                continue;
            }
            try {
                const ModuleKind k = kinds[m_rng.below(4)];
                const ModuleParams p = sampleParams(k, m_ranges, m_rng);
                std::vector<char> ballast(size_t(m_rng.below(769)) << 20);
                for (size_t i = 0; i < ballast.size(); i += 4096)
                    ballast[i] = char(i);
                auto prepared = m_runtime->prepare(buildModuleGraph(k, p), m_rng.next());
                const int runs = 1 + int(m_rng.below(5));
                for (int i = 0; i < runs && m_active && !m_stop; ++i)
                    prepared->runTimed();
            } catch (const std::exception &) {
                std::this_thread::sleep_for(std::chrono::milliseconds(5)); // a job the platform refuses: try another
            }
        }
    }

    std::unique_ptr<runtime::Runtime> m_runtime;
    SamplingRanges m_ranges;
    Xoshiro256 m_rng;
    std::atomic<bool> m_active{false}, m_stop{false};
    std::thread m_thread;
};

} // namespace

SamplingResult sampleModules(const SamplingOptions &o, const std::function<void(const ModuleSample &)> &sink,
                             const std::function<bool(int64_t, int64_t)> &progress)
{
    if (o.count < 0 || o.first < 0)
        throw Error("sample count and first index must not be negative", "module sampling");
    if (!(o.backgroundShare >= 0 && o.backgroundShare <= 1))
        throw Error("the background share must be in [0, 1]", "module sampling");
    auto rt = runtime::createRuntime(o.platform);
    std::unique_ptr<BackgroundLoad> load;
    if (o.dynamic)
        load = std::make_unique<BackgroundLoad>(o.platform, o.ranges, o.seed);
    // The contention gate on samples without a deliberate background job: a contended sample is
    // measured again after a back-off (10 s, 20 s ...), at most maxRetries times, then stored flagged.
    std::unique_ptr<runtime::ContentionProbe> probe;
    if (o.protocol.gate && !runtime::gateDisabledByEnvironment())
        probe = runtime::calibratedProbe(*rt, o.platform);
    SamplingResult result;
    for (int64_t i = o.first; i < o.first + o.count; ++i) {
        if (progress && !progress(i - o.first, o.count)) {
            result.cancelled = true;
            break;
        }
        ModuleSample s;
        s.kind = o.module;
        s.index = i;
        s.params = sampleParamsAt(o.module, o.ranges, o.seed, i);
        if (load) {
            uint64_t state = o.seed ^ uint64_t(i) * 0x2545F4914F6CDD1Dull;
            const double u = double(splitmix64(state) >> 11) * 0x1.0p-53;
            s.background = u < o.backgroundShare;
            load->setActive(s.background);
            if (s.background)
                std::this_thread::sleep_for(std::chrono::milliseconds(20)); // let the job get going
        }
        runtime::MeasurementProtocol protocol = o.protocol;
        protocol.batch = int(s.params.n);
        const graph::Graph g = buildModuleGraph(o.module, s.params);
        runtime::ContentionProbe *gate = s.background ? nullptr : probe.get();
        auto m = runtime::measureGraph(*rt, g, protocol, 1, {}, gate);
        for (int retry = 0; gate && m.evidence.contended && retry < protocol.maxRetries; ++retry) {
            for (int waited = 0; waited < 10 << retry && !(progress && !progress(i - o.first, o.count)); ++waited)
                std::this_thread::sleep_for(std::chrono::seconds(1));
            m = runtime::measureGraph(*rt, g, protocol, 1, {}, gate);
        }
        if (m.status != runtime::MeasurementStatus::Ok) {
            result.failures.push_back("sample " + std::to_string(i) + " (" + describe(o.module, s.params) + "): " + m.message);
            continue;
        }
        s.latencyMs = m.stats.medianMs;
        s.probeRatio = m.evidence.probeRatio;
        s.contended = m.evidence.contended;
        s.memoryMb = std::isfinite(m.environment.availableMemoryMb) ? m.environment.availableMemoryMb : 0.0;
        s.utilization = std::isfinite(m.environment.cpuUtilization) ? m.environment.cpuUtilization : 0.0;
        sink(s);
        ++result.measured;
    }
    if (load)
        load->setActive(false);
    if (progress && !result.cancelled)
        progress(o.count, o.count);
    return result;
}

} // namespace sniper::predict::modules
