// Measurement experiments of the "Run and measure networks" issue (run by hand, minutes):
//  1. heterogeneity: over N generated networks, the latency ratios opencv-cpu-1t / torch-cpu-1t,
//     torch-cpu-1t / torch-cpu-Nt and opencv-cpu-1t / opencv-cpu-Nt (5th-95th percentiles);
//  2. repeatability: the first M networks measured twice in one run on torch-cpu-1t; the share
//     whose two medians are within 3%.
//  3. drift ("drift" mode): the first `networks` networks measured again and again on the first
//     platform, `repeat` rounds, each round preceded by a latency-bound scalar loop and a
//     throughput-bound AVX2 loop; shows whether the machine's speed holds still, and for what.
// Usage: exp_measurement [networks=200] [repeat=100] [seed=7] [max_macs=300000000] [repeat-only|drift]
// With "repeat-only" only the first platform is measured (the first `repeat` networks, twice).

#include "generator/generator.h"
#include "runtime/protocol.h"
#include "runtime/runtime.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <map>
#include <memory>
#include <string>

#if defined(__x86_64__)
#include <immintrin.h>
#endif

using namespace sniper;

namespace {

double percentile(std::vector<double> v, double p)
{
    if (v.empty())
        return NAN;
    std::sort(v.begin(), v.end());
    double pos = p * double(v.size() - 1);
    size_t lo = size_t(std::floor(pos)), hi = size_t(std::ceil(pos));
    return v[lo] + (v[hi] - v[lo]) * (pos - double(lo));
}

double elapsedMs(std::chrono::steady_clock::time_point since)
{
    return std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - since).count();
}

// A dependent chain of scalar multiply-adds: bound by instruction latency, not by execution
// ports, caches or memory, so another tenant on the same physical core barely slows it.
double scalarChainMs()
{
    const auto t0 = std::chrono::steady_clock::now();
    volatile double seed = 1.0;
    double y = seed;
    for (int i = 0; i < 20'000'000; ++i)
        y = y * 1.0000001 + 1e-9;
    seed = y;
    return elapsedMs(t0);
}

// Eight independent vector multiply-add chains: bound by SIMD throughput, which a busy sibling
// hyperthread on the host takes a share of. Median of 7; NaN off x86-64.
#if defined(__x86_64__)
__attribute__((target("avx2,fma"))) double simdThroughputMs()
{
    std::vector<double> t;
    __m256 acc[8];
    for (int k = 0; k < 8; ++k)
        acc[k] = _mm256_set1_ps(1.0f + 1e-3f * float(k));
    const __m256 mul = _mm256_set1_ps(0.9999999f), add = _mm256_set1_ps(1e-7f);
    for (int rep = 0; rep < 7; ++rep) {
        const auto t0 = std::chrono::steady_clock::now();
        for (int i = 0; i < 200'000; ++i)
            for (int k = 0; k < 8; ++k)
                acc[k] = _mm256_fmadd_ps(acc[k], mul, add);
        t.push_back(elapsedMs(t0));
    }
    float out[8];
    _mm256_storeu_ps(out, acc[3]);
    volatile float sink = out[0];
    (void)sink;
    return percentile(t, 0.5);
}
#else
double simdThroughputMs() { return NAN; }
#endif

int drift(const std::vector<generator::GeneratedNetwork> &nets, runtime::Runtime &rt,
          const runtime::MeasurementProtocol &protocol, int rounds)
{
    std::printf("## Drift on %s: %zu networks, %d rounds (medians in ms; change against round 0)\n\n",
                rt.info().id.c_str(), nets.size(), rounds);
    std::vector<double> first;
    for (int r = 0; r < rounds; ++r) {
        std::printf("round %2d | scalar %.1f ms | simd %.3f ms |", r, scalarChainMs(), simdThroughputMs());
        for (size_t i = 0; i < nets.size(); ++i) {
            const auto m = runtime::measureGraph(rt, nets[i].graph, protocol, 1);
            const double ms = m.status == runtime::MeasurementStatus::Ok ? m.stats.medianMs : NAN;
            if (r == 0)
                first.push_back(ms);
            std::printf(" %.3f (%+.1f%%)", ms, 100 * (ms / first[i] - 1));
        }
        std::printf("\n");
        std::fflush(stdout);
    }
    return 0;
}

} // namespace

int main(int argc, char **argv)
{
    int networks = argc > 1 ? std::atoi(argv[1]) : 200;
    int repeat = argc > 2 ? std::atoi(argv[2]) : 100;
    uint64_t seed = argc > 3 ? std::strtoull(argv[3], nullptr, 10) : 7;
    int64_t maxMacs = argc > 4 ? std::atoll(argv[4]) : 300'000'000;
    const std::string mode = argc > 5 ? argv[5] : "";
    const bool repeatOnly = mode == "repeat-only";
    if (repeatOnly)
        networks = std::min(networks, repeat);

    generator::GeneratorSpec spec;
    spec.maxMacs = maxMacs;
    runtime::MeasurementProtocol protocol; // the defaults: 3 warm-up, 10-200 runs, 2% target, 10 s cap
    protocol.maxSeconds = 5;
    auto ids = runtime::localPlatformIds();
    std::map<std::string, std::unique_ptr<runtime::Runtime>> rts;
    for (const auto &id : ids)
        rts[id] = runtime::createRuntime(id);

    std::map<std::string, std::vector<double>> median; // platform -> per network (NaN: unsupported)
    std::vector<generator::GeneratedNetwork> nets = generator::generateNetworks(spec, seed, networks);
    if (mode == "drift")
        return drift(nets, *rts[ids[0]], protocol, repeat);
    for (int i = 0; i < networks; ++i) {
        for (const auto &id : ids) {
            if (repeatOnly && id != ids[0]) {
                median[id].push_back(NAN);
                continue;
            }
            auto m = runtime::measureGraph(*rts[id], nets[size_t(i)].graph, protocol, 1);
            median[id].push_back(m.status == runtime::MeasurementStatus::Ok ? m.stats.medianMs : NAN);
        }
        if ((i + 1) % 20 == 0)
            std::fprintf(stderr, "measured %d/%d networks\n", i + 1, networks);
    }
    auto ratio = [&](const std::string &a, const std::string &b) {
        std::vector<double> r;
        for (size_t i = 0; i < median[a].size(); ++i)
            if (std::isfinite(median[a][i]) && std::isfinite(median[b][i]) && median[b][i] > 0)
                r.push_back(median[a][i] / median[b][i]);
        std::printf("| %s / %s | %zu | %.3f | %.3f | %.3f |\n", a.c_str(), b.c_str(), r.size(), percentile(r, 0.05),
                    percentile(r, 0.5), percentile(r, 0.95));
    };
    std::fflush(stderr);
    if (!repeatOnly) {
        std::printf("## Heterogeneity over %d generated networks (seed %llu, max %lld MACs)\n\n", networks,
                    (unsigned long long)seed, (long long)maxMacs);
        std::printf("| ratio | networks | p5 | median | p95 |\n|---|---|---|---|---|\n");
        ratio(ids[2], ids[0]);
        ratio(ids[0], ids[1]);
        ratio(ids[2], ids[3]);
        ratio(ids[3], ids[1]);
    }

    int within = 0, compared = 0;
    std::vector<double> diffs;
    for (int i = 0; i < std::min(repeat, networks); ++i) {
        auto m = runtime::measureGraph(*rts[ids[0]], nets[size_t(i)].graph, protocol, 1);
        double first = median[ids[0]][size_t(i)];
        if (m.status != runtime::MeasurementStatus::Ok || !std::isfinite(first))
            continue;
        double d = std::fabs(m.stats.medianMs - first) / first;
        diffs.push_back(d);
        ++compared;
        within += d <= 0.03;
    }
    std::printf("\n## Repeatability on %s\n\n%d of %d networks (%.1f%%) have both medians within 3%%; "
                "median difference %.2f%%, p95 %.2f%%\n",
                ids[0].c_str(), within, compared, 100.0 * within / std::max(1, compared), 100 * percentile(diffs, 0.5),
                100 * percentile(diffs, 0.95));
    return 0;
}
