#include "runtime/contention.h"

#include "generator/emitter.h"
#include "runtime/runtime.h"

#include <algorithm>
#include <cctype>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string_view>
#include <vector>

namespace sniper::runtime {

namespace {

constexpr int kReadingRuns = 6;   // a reading is the fastest of these
// Readings whose median may lower the baseline: a sustained faster state (50 readings, 0.5 s or
// more between network runs), not a moment. With 5, the baseline ratcheted 5% below the level
// calibrated over a 30-minute campaign, and the median rule then deferred measurements taken at
// the calibrated speed (docs/runtime.md).
constexpr size_t kRecent = 50;
constexpr int kMinCalibration = 15;

double medianOf(std::vector<double> v)
{
    std::sort(v.begin(), v.end());
    const size_t n = v.size();
    return n % 2 ? v[n / 2] : 0.5 * (v[n / 2 - 1] + v[n / 2]);
}

} // namespace

double ContentionProbe::readMs()
{
    using Clock = std::chrono::steady_clock;
    runOnce(); // untimed: wakes the vector units (and caches) from whatever ran before
    double best = 0;
    for (int i = 0; i < kReadingRuns; ++i) {
        const auto t0 = Clock::now();
        runOnce();
        const double ms = std::chrono::duration<double, std::milli>(Clock::now() - t0).count();
        best = i == 0 ? ms : std::min(best, ms);
    }
    return best;
}

void ContentionProbe::calibrate(double seconds)
{
    using Clock = std::chrono::steady_clock;
    std::vector<double> readings;
    const auto start = Clock::now();
    while (int(readings.size()) < kMinCalibration ||
           std::chrono::duration<double>(Clock::now() - start).count() < seconds)
        readings.push_back(readMs());
    std::sort(readings.begin(), readings.end());
    m_baselineMs = readings[readings.size() / 10];
    m_recent.clear();
}

double ContentionProbe::ratio(double readingMs)
{
    if (!calibrated())
        calibrate();
    m_recent.push_back(readingMs);
    if (m_recent.size() > kRecent)
        m_recent.pop_front();
    if (m_recent.size() == kRecent) {
        const double med = medianOf({m_recent.begin(), m_recent.end()});
        if (med < m_baselineMs) {
            m_baselineMs = med;
            save();
        }
    }
    return readingMs / m_baselineMs;
}

namespace {

std::string memoryFile(const std::string &platformId)
{
    std::string name;
    for (char c : platformId)
        name += std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_' || c == '.' ? c : '_';
    return probeMemoryDir() + "/" + name + ".txt";
}

} // namespace

bool gateDisabledByEnvironment()
{
    const char *v = std::getenv("SNIPER_NO_GATE");
    return v && *v && std::string_view(v) != "0";
}

std::string probeMemoryDir()
{
    if (const char *dir = std::getenv("SNIPER_PROBE_DIR"); dir && *dir)
        return dir;
    if (const char *cache = std::getenv("XDG_CACHE_HOME"); cache && *cache)
        return std::string(cache) + "/sniper-workbench/probe";
    const char *home = std::getenv("HOME");
    return std::string(home && *home ? home : "/tmp") + "/.cache/sniper-workbench/probe";
}

bool forgetProbeBaseline(const std::string &platformId)
{
    std::error_code ec;
    return std::filesystem::remove(memoryFile(platformId), ec);
}

void ContentionProbe::remember(const std::string &platformId)
{
    m_memoryKey = platformId;
    std::ifstream in(memoryFile(platformId));
    double saved = 0;
    if (in >> saved && saved > 0 && (m_baselineMs <= 0 || (saved < m_baselineMs && saved * 1.8 >= m_baselineMs)))
        m_baselineMs = saved;
    save();
}

void ContentionProbe::save() const
{
    if (m_memoryKey.empty() || m_baselineMs <= 0)
        return;
    // Best effort: a read-only home only loses the memory, never a measurement.
    std::error_code ec;
    std::filesystem::create_directories(probeMemoryDir(), ec);
    const std::string path = memoryFile(m_memoryKey), tmp = path + ".tmp";
    {
        std::ofstream out(tmp);
        out.precision(9);
        out << m_baselineMs << "\n";
        if (!out)
            return;
    }
    std::filesystem::rename(tmp, path, ec);
}

std::unique_ptr<ContentionProbe> calibratedProbe(Runtime &, const std::string &platformId, double seconds)
{
    try {
        auto probe = std::make_unique<ComputeProbe>();
        probe->calibrate(seconds);
        probe->remember(platformId);
        return probe;
    } catch (const std::exception &) {
        return nullptr;
    }
}

namespace {

constexpr int kComputeIterations = 10'000;

// 8 independent chains of 128-bit vector multiply-adds (GCC/Clang vector extensions: SSE on
// x86-64, NEON on ARM).
float portableLoop()
{
    typedef float v4sf __attribute__((vector_size(16)));
    v4sf acc[8];
    for (int k = 0; k < 8; ++k)
        acc[k] = v4sf{1.0f, 1.0f, 1.0f, 1.0f} + float(k) * 1e-3f;
    const v4sf mul = {0.9999999f, 0.9999999f, 0.9999999f, 0.9999999f}, add = {1e-7f, 1e-7f, 1e-7f, 1e-7f};
    for (int i = 0; i < 2 * kComputeIterations; ++i)
        for (int k = 0; k < 8; ++k)
            acc[k] = acc[k] * mul + add;
    float sum = 0;
    for (int k = 0; k < 8; ++k)
        sum += acc[k][0];
    return sum;
}

#if defined(__x86_64__) || defined(__i386__)
__attribute__((target("avx2,fma"))) float avx2Loop()
{
    typedef float v8sf __attribute__((vector_size(32)));
    v8sf acc[8];
    for (int k = 0; k < 8; ++k)
        acc[k] = v8sf{1, 1, 1, 1, 1, 1, 1, 1} + float(k) * 1e-3f;
    const v8sf mul = v8sf{1, 1, 1, 1, 1, 1, 1, 1} * 0.9999999f, add = v8sf{1, 1, 1, 1, 1, 1, 1, 1} * 1e-7f;
    for (int i = 0; i < kComputeIterations; ++i)
        for (int k = 0; k < 8; ++k)
            acc[k] = acc[k] * mul + add; // contracted to FMA under target("fma")
    float sum = 0;
    for (int k = 0; k < 8; ++k)
        sum += acc[k][0];
    return sum;
}
#endif

volatile float g_probeSink = 0;

} // namespace

ComputeProbe::ComputeProbe()
{
#if defined(__x86_64__) || defined(__i386__)
    m_avx2 = __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma");
#endif
}

void ComputeProbe::runOnce()
{
#if defined(__x86_64__) || defined(__i386__)
    if (m_avx2) {
        g_probeSink = avx2Loop();
        return;
    }
#endif
    g_probeSink = portableLoop();
}

graph::Graph probeGraph()
{
    graph::Graph g;
    g.name = "contention-probe";
    generator::Emitter e(g);
    int x = e.input({1, 32, 16, 16});
    for (int i = 0; i < 2; ++i)
        x = e.activation(e.conv(x, 32, 3), generator::Activation::Relu);
    g.values[size_t(x)].name = "output";
    g.outputs.push_back(x);
    return g;
}

PreparedProbe::PreparedProbe(std::unique_ptr<PreparedModel> model) : m_model(std::move(model)) {}

PreparedProbe::~PreparedProbe() = default;

void PreparedProbe::runOnce()
{
    m_model->runTimed();
}

std::unique_ptr<ContentionProbe> makeReferenceProbe(Runtime &runtime)
{
    auto prepared = runtime.prepare(probeGraph(), 1);
    prepared->runTimed(); // first-run allocations are not part of any reading
    return std::make_unique<PreparedProbe>(std::move(prepared));
}

} // namespace sniper::runtime
