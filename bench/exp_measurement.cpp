// Measurement experiments of the "Run and measure networks" issue (run by hand, minutes):
//  1. heterogeneity: over N generated networks, the latency ratios opencv-cpu-1t / torch-cpu-1t,
//     torch-cpu-1t / torch-cpu-Nt and opencv-cpu-1t / opencv-cpu-Nt (5th-95th percentiles);
//  2. repeatability: the first M networks measured twice in one run on torch-cpu-1t; the share
//     whose two medians are within 3%.
// Usage: exp_measurement [networks=200] [repeat=100] [seed=7] [max_macs=300000000] [repeat-only]
// With "repeat-only" only the first platform is measured (the first `repeat` networks, twice).

#include "generator/generator.h"
#include "runtime/protocol.h"
#include "runtime/runtime.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <map>
#include <memory>
#include <string>

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

} // namespace

int main(int argc, char **argv)
{
    int networks = argc > 1 ? std::atoi(argv[1]) : 200;
    int repeat = argc > 2 ? std::atoi(argv[2]) : 100;
    uint64_t seed = argc > 3 ? std::strtoull(argv[3], nullptr, 10) : 7;
    int64_t maxMacs = argc > 4 ? std::atoll(argv[4]) : 300'000'000;
    const bool repeatOnly = argc > 5 && std::string(argv[5]) == "repeat-only";
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
