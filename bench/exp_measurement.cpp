// Measurement experiments of the "Run and measure networks" issue (run by hand, minutes):
//  1. heterogeneity: over N generated networks, the latency ratios opencv-cpu-1t / torch-cpu-1t,
//     torch-cpu-1t / torch-cpu-Nt and opencv-cpu-1t / opencv-cpu-Nt (5th-95th percentiles);
//  2. repeatability ("repeat-only"): M networks measured in two passes started >= 10 minutes
//     apart, platforms interleaved, with the contention gate, deferral and rounds of a campaign;
//     the shares whose two stored values are within 3% and 5%, and the time per measurement.
//  3. drift ("drift" mode): the first `networks` networks measured again and again on the first
//     platform, `repeat` rounds, each round preceded by a latency-bound scalar loop and a
//     throughput-bound AVX2 loop; shows whether the machine's speed holds still, and for what,
//     and with the gate, how many runs were discarded in each round.

#include "generator/generator.h"
#include "onnx/onnximport.h"
#include "runtime/protocol.h"
#include "runtime/retryqueue.h"
#include "runtime/runtime.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <map>
#include <numeric>
#include <thread>
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

// The wall time of one call of `f`, in ms.
template <class F> double timedMs(F &&f)
{
    const auto t0 = std::chrono::steady_clock::now();
    f();
    return elapsedMs(t0);
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

// Deferral as a campaign does it: contended measurements are retried after the others.
struct Item {
    size_t network;
    std::string platform;
};

struct PassResult {
    std::map<std::string, std::vector<double>> median; // platform -> per network (NaN: unsupported): the stored value
    std::map<std::string, std::vector<double>> firstRound; // the median of the first clean round alone
    std::map<std::string, std::vector<double>> minimum;    // the fastest kept run of the stored round
    int discarded = 0, retries = 0, contended = 0, rounds = 0;
    double seconds = 0;
};

// Kept runs of every round, one line each, for estimators computed afterwards:
// "pass platform network round ms ms ms ..." (appended to $EXP_ROUNDS_FILE when set).
void dumpRound(const char *label, const std::string &platform, size_t network, int round, const std::vector<double> &runs)
{
    static FILE *out = [] {
        const char *path = std::getenv("EXP_ROUNDS_FILE");
        return path && *path ? std::fopen(path, "a") : nullptr;
    }();
    if (!out)
        return;
    std::fprintf(out, "%s\t%s\t%zu\t%d", label, platform.c_str(), network, round);
    for (double ms : runs)
        std::fprintf(out, "\t%.5f", ms);
    std::fprintf(out, "\n");
    std::fflush(out);
}

PassResult measurePass(const std::vector<graph::Graph> &nets, const std::vector<std::string> &platforms,
                       std::map<std::string, std::unique_ptr<runtime::Runtime>> &rts,
                       std::map<std::string, std::unique_ptr<runtime::ContentionProbe>> &probes,
                       const runtime::MeasurementProtocol &protocol, const char *label)
{
    PassResult r;
    const auto t0 = std::chrono::steady_clock::now();
    using Queue = runtime::RetryQueue<Item>;
    Queue queue(protocol);
    for (size_t i = 0; i < nets.size(); ++i) {
        for (size_t k = 0; k < platforms.size(); ++k) // interleaved: network i starts with platform i mod P
            queue.push({i, platforms[(i + k) % platforms.size()]});
        for (const auto &p : platforms) {
            r.median[p].push_back(NAN);
            r.firstRound[p].push_back(NAN);
            r.minimum[p].push_back(NAN);
        }
    }
    size_t done = 0;
    while (auto e = queue.next()) {
        auto probe = probes.find(e->item.platform);
        std::vector<double> kept;
        auto m = runtime::measureGraph(*rts[e->item.platform], nets[e->item.network], protocol, 1, {},
                                       probe == probes.end() ? nullptr : probe->second.get(), &kept);
        const int round = int(e->rounds.size());
        if (m.clean()) {
            dumpRound(label, e->item.platform, e->item.network, round, kept);
            if (round == 0)
                r.firstRound[e->item.platform][e->item.network] = m.stats.medianMs;
        }
        const auto settled = queue.settle(*e, m);
        if (settled == Queue::Settled::Retry) {
            std::fprintf(stderr, "%s: network %zu on %s contended (probe %.2fx), deferred\n", label, e->item.network,
                         e->item.platform.c_str(), m.evidence.probeRatio);
            continue;
        }
        if (settled == Queue::Settled::NextRound)
            continue;
        r.discarded += m.evidence.runsDiscarded;
        r.retries += m.evidence.retries;
        r.contended += m.evidence.contended;
        r.rounds += m.evidence.rounds;
        const bool ok = m.clean();
        r.median[e->item.platform][e->item.network] = ok ? m.stats.medianMs : NAN;
        r.minimum[e->item.platform][e->item.network] = ok ? m.stats.minMs : NAN;
        if (++done % 20 == 0)
            std::fprintf(stderr, "%s: %zu/%zu measured (%.0f s)\n", label, done, nets.size() * platforms.size(),
                         elapsedMs(t0) / 1000);
    }
    r.seconds = elapsedMs(t0) / 1000;
    return r;
}

// Two passes over the same networks, the second started at least `gapMinutes` after the first.
int repeatability(const std::vector<graph::Graph> &nets, const std::vector<std::string> &platforms,
                  std::map<std::string, std::unique_ptr<runtime::Runtime>> &rts,
                  std::map<std::string, std::unique_ptr<runtime::ContentionProbe>> &probes,
                  const runtime::MeasurementProtocol &protocol, double gapMinutes)
{
    const auto start = std::chrono::steady_clock::now();
    PassResult a = measurePass(nets, platforms, rts, probes, protocol, "pass 1");
    const double wait = gapMinutes * 60 - elapsedMs(start) / 1000;
    if (wait > 0) {
        std::fprintf(stderr, "waiting %.0f s so the passes start %.0f minutes apart\n", wait, gapMinutes);
        std::this_thread::sleep_for(std::chrono::duration<double>(wait));
    }
    PassResult b = measurePass(nets, platforms, rts, probes, protocol, "pass 2");
    std::printf("## Repeatability: %zu networks, two passes started %.1f min apart, gate %s\n\n", nets.size(),
                std::max(gapMinutes, a.seconds / 60), protocol.gate ? "on" : "off");
    std::printf("| platform | compared | within 3%% | within 5%% | median diff | p95 diff | max diff |\n"
                "|---|---|---|---|---|---|---|\n");
    // One row per estimator: how many networks the two passes agree on, and by how much.
    auto row = [&](const std::string &label, const std::vector<double> &x, const std::vector<double> &y) {
        std::vector<double> diffs;
        for (size_t i = 0; i < x.size(); ++i)
            if (std::isfinite(x[i]) && std::isfinite(y[i]))
                diffs.push_back(std::fabs(y[i] - x[i]) / x[i]);
        const auto within = [&](double t) { return std::count_if(diffs.begin(), diffs.end(), [t](double d) { return d <= t; }); };
        std::printf("| %s | %zu | %ld | %ld | %.2f%% | %.2f%% | %.2f%% |\n", label.c_str(), diffs.size(), long(within(0.03)),
                    long(within(0.05)), 100 * percentile(diffs, 0.5), 100 * percentile(diffs, 0.95),
                    100 * percentile(diffs, 1.0));
    };
    for (const auto &p : platforms) {
        row(p, a.median[p], b.median[p]);
        row(p + ", first round alone", a.firstRound[p], b.firstRound[p]);
        row(p + ", fastest run", a.minimum[p], b.minimum[p]);
        for (size_t i = 0; i < nets.size(); ++i)
            if (std::isfinite(a.median[p][i]) && std::isfinite(b.median[p][i]) &&
                std::fabs(b.median[p][i] - a.median[p][i]) / a.median[p][i] > 0.05)
                std::printf("  over 5%%: %s %.3f -> %.3f ms\n", nets[i].name.c_str(), a.median[p][i], b.median[p][i]);
    }
    for (const auto *r : {&a, &b})
        std::printf("\npass %d: %.0f s (%.2f s per measurement), %d rounds, %d runs discarded, %d retries, %d contended",
                    r == &a ? 1 : 2, r->seconds, r->seconds / double(nets.size() * platforms.size()), r->rounds,
                    r->discarded, r->retries, r->contended);
    std::printf("\n");
    return 0;
}

int drift(const std::vector<graph::Graph> &nets, runtime::Runtime &rt, runtime::ContentionProbe *probe,
          const runtime::MeasurementProtocol &protocol, int rounds)
{
    std::printf("## Drift on %s: %zu networks, %d rounds, gate %s (medians in ms; change against round 0; "
                "[discarded runs / retries / rounds])\n\n",
                rt.info().id.c_str(), nets.size(), rounds, probe && protocol.gate ? "on" : "off");
    std::vector<double> first;
    std::vector<std::vector<double>> all(nets.size());
    const auto start = std::chrono::steady_clock::now();
    for (int r = 0; r < rounds; ++r) {
        std::printf("round %2d t=%4.0fs | scalar %.1f ms | simd %.3f ms |", r, elapsedMs(start) / 1000, scalarChainMs(),
                    simdThroughputMs());
        // Each round measures every network as a campaign does: deferral, and with the gate its
        // rounds of measurement (the value is the fastest clean one).
        runtime::RetryQueue<size_t> queue(protocol, 5.0);
        for (size_t i = 0; i < nets.size(); ++i)
            queue.push(i);
        std::vector<runtime::Measurement> results(nets.size());
        while (auto e = queue.next()) {
            auto m = runtime::measureGraph(rt, nets[e->item], protocol, 1, {}, probe);
            if (!queue.defer(*e, m))
                results[e->item] = m;
        }
        for (size_t i = 0; i < nets.size(); ++i) {
            const auto &m = results[i];
            const double ms = m.clean() ? m.stats.medianMs : NAN;
            if (r == 0)
                first.push_back(ms);
            all[i].push_back(ms);
            std::printf(" %.3f (%+.1f%%) [%d/%d/%d]", ms, 100 * (ms / first[i] - 1), m.evidence.runsDiscarded,
                        m.evidence.retries, m.evidence.rounds);
        }
        std::printf("\n");
        std::fflush(stdout);
    }
    std::printf("\nper network: spread (max/min - 1) and largest deviation from the network's median over all rounds\n");
    for (size_t i = 0; i < nets.size(); ++i) {
        std::vector<double> v;
        for (double x : all[i])
            if (std::isfinite(x))
                v.push_back(x);
        const double med = percentile(v, 0.5);
        double dev = 0;
        for (double x : v)
            dev = std::max(dev, std::fabs(x / med - 1));
        std::printf("  network %zu: %zu rounds, median %.3f ms, spread %.1f%%, max deviation %.1f%%\n", i, v.size(), med,
                    100 * (percentile(v, 1.0) / percentile(v, 0.0) - 1), 100 * dev);
    }
    return 0;
}

} // namespace

// Usage: exp_measurement [networks] [repeat] [seed] [max_macs] [mode] [platforms] [gate|nogate] [gap_minutes] [models_dir]
//   mode "repeat-only": two passes over the first `repeat` networks (or the ONNX models of
//   models_dir) on `platforms` (comma-separated, default torch-cpu-1t), started gap_minutes
//   apart (default 10); "drift": `repeat` rounds of the first `networks` networks on the first
//   of `platforms`. The gate (contention probe, deferral, rounds) is on unless "nogate".
//   Environment: EXP_ROUNDS sets the protocol's rounds (1: one round per measurement, as before
//   rounds); EXP_ROUNDS_FILE, in repeat-only mode, receives every clean round's kept runs.
//   "trace": `repeat` seconds of probe reading / AVX2 loop / 4 MB and 64 MB memory sums / one run of
//   network 0, one line each;
//   "ctx": the compute probe and the runtime's reference kernel read back to back, then between
//   runs of network 0 (2 s phases); "prepare": `repeat` fresh preparations of each network;
//   "prepare-pair": each fresh preparation timed alternately with one kept for the whole run;
//   "probe-runs": `repeat` seconds of 12 single probe runs and 3 runs of network 1, one line each.
int main(int argc, char **argv)
{
    int networks = argc > 1 ? std::atoi(argv[1]) : 200;
    int repeat = argc > 2 ? std::atoi(argv[2]) : 100;
    uint64_t seed = argc > 3 ? std::strtoull(argv[3], nullptr, 10) : 7;
    int64_t maxMacs = argc > 4 ? std::atoll(argv[4]) : 300'000'000;
    const std::string mode = argc > 5 ? argv[5] : "";
    const std::string platformList = argc > 6 ? argv[6] : "torch-cpu-1t";
    const bool gate = !(argc > 7 && std::string(argv[7]) == "nogate");
    const double gapMinutes = argc > 8 ? std::atof(argv[8]) : 10.0;
    const std::string modelsDir = argc > 9 ? argv[9] : "";
    const bool repeatOnly = mode == "repeat-only";
    if (repeatOnly)
        networks = std::min(networks, repeat);

    generator::GeneratorSpec spec;
    spec.maxMacs = maxMacs;
    runtime::MeasurementProtocol protocol; // the defaults: 3 warm-up, 10-200 runs, 2% target, 0.5-5 s, 2-3 rounds
    if (const char *rounds = std::getenv("EXP_ROUNDS"); rounds && *rounds) // e.g. 1 to compare with one round
        protocol.rounds = std::max(1, std::atoi(rounds));
    protocol.gate = gate;
    auto ids = runtime::localPlatformIds();
    std::map<std::string, std::unique_ptr<runtime::Runtime>> rts;
    for (const auto &id : ids)
        rts[id] = runtime::createRuntime(id);

    if (repeatOnly || mode == "drift" || mode == "trace" || mode == "ctx" || mode == "prepare" ||
        mode == "prepare-pair" || mode == "probe-runs") {
        std::vector<std::string> platforms;
        for (size_t pos = 0; pos <= platformList.size();) {
            const size_t comma = std::min(platformList.find(',', pos), platformList.size());
            platforms.push_back(platformList.substr(pos, comma - pos));
            pos = comma + 1;
        }
        std::map<std::string, std::unique_ptr<runtime::ContentionProbe>> probes;
        for (const auto &p : platforms) {
            if (!rts.count(p))
                rts[p] = runtime::createRuntime(p);
            if ((gate && mode != "prepare") || mode == "trace" || mode == "ctx") {
                probes[p] = runtime::calibratedProbe(*rts[p], p);
                std::fprintf(stderr, "%s: probe calibrated at %.3f ms\n", p.c_str(), probes[p]->baselineMs());
            }
        }
        std::vector<graph::Graph> graphs;
        if (!modelsDir.empty()) {
            std::vector<std::filesystem::path> files;
            for (const auto &e : std::filesystem::directory_iterator(modelsDir))
                if (e.path().extension() == ".onnx")
                    files.push_back(e.path());
            std::sort(files.begin(), files.end());
            for (const auto &f : files)
                graphs.push_back(onnx::importOnnxFile(f.string()));
        } else {
            for (auto &n : generator::generateNetworks(spec, seed, repeatOnly ? repeat : networks))
                graphs.push_back(std::move(n.graph));
        }
        if (mode == "prepare") { // the first `networks` networks, `repeat` fresh preparations each
            for (size_t i = 0; i < graphs.size(); ++i) {
                std::printf("network %zu:", i);
                for (int k = 0; k < repeat; ++k) {
                    runtime::MeasurementProtocol p = protocol;
                    p.maxSeconds = 1;
                    auto m = runtime::measureGraph(*rts[platforms[0]], graphs[i], p, 1, {},
                                                   probes.count(platforms[0]) ? probes[platforms[0]].get() : nullptr);
                    std::printf(" %.3f", m.stats.medianMs);
                }
                std::printf("\n");
                std::fflush(stdout);
            }
            return 0;
        }
        if (mode == "prepare-pair") { // a fresh preparation against one kept for the whole run, read alternately
            for (size_t i = 0; i < graphs.size(); ++i) {
                auto kept = rts[platforms[0]]->prepare(graphs[i], 1);
                for (int k = 0; k < repeat; ++k) {
                    auto fresh = rts[platforms[0]]->prepare(graphs[i], 1);
                    std::vector<double> a, b;
                    for (int r = 0; r < 3; ++r) {
                        kept->runTimed();
                        fresh->runTimed();
                    }
                    const auto t0 = std::chrono::steady_clock::now();
                    while (elapsedMs(t0) < 1000 || a.size() < 5) {
                        a.push_back(timedMs([&] { kept->runTimed(); }));
                        b.push_back(timedMs([&] { fresh->runTimed(); }));
                    }
                    const double ratio = probes.count(platforms[0]) ? probes[platforms[0]]->ratio(probes[platforms[0]]->readMs()) : NAN;
                    std::printf("network %zu prep %2d: kept median %.3f ms, fresh median %.3f ms (fresh/kept %.3f), probe %.3f\n",
                                i, k, percentile(a, 0.5), percentile(b, 0.5), percentile(b, 0.5) / percentile(a, 0.5), ratio);
                    std::fflush(stdout);
                }
            }
            return 0;
        }
        if (mode == "probe-runs") { // single probe runs between runs of network 1: which statistic tracks it
            struct OpenProbe : runtime::ComputeProbe {
                using runtime::ComputeProbe::runOnce;
            } probe;
            auto prepared = rts[platforms[0]]->prepare(graphs[std::min<size_t>(1, graphs.size() - 1)], 1);
            std::vector<double> net, mins, meds, means;
            const auto t0 = std::chrono::steady_clock::now();
            while (elapsedMs(t0) < repeat * 1000.0) {
                std::vector<double> runs;
                probe.runOnce();
                for (int i = 0; i < 12; ++i)
                    runs.push_back(timedMs([&] { probe.runOnce(); }));
                std::vector<double> n;
                for (int i = 0; i < 3; ++i)
                    n.push_back(timedMs([&] { prepared->runTimed(); }));
                net.push_back(percentile(n, 0.5));
                mins.push_back(percentile(runs, 0));
                meds.push_back(percentile(runs, 0.5));
                means.push_back(std::accumulate(runs.begin(), runs.end(), 0.0) / double(runs.size()));
                std::printf("%.2f min %.4f median %.4f mean %.4f net %.3f\n", elapsedMs(t0) / 1000, mins.back(),
                            meds.back(), means.back(), net.back());
            }
            return 0;
        }
        if (mode == "ctx") { // probe readings back to back, then between network runs, then back to back
            auto prepared = rts[platforms[0]]->prepare(graphs[0], 1);
            auto &probe = *probes[platforms[0]];
            auto reference = runtime::makeReferenceProbe(*rts[platforms[0]]);
            for (int phase = 0; phase < 6; ++phase) {
                std::vector<double> v, r;
                const auto t0 = std::chrono::steady_clock::now();
                while (elapsedMs(t0) < 2000) {
                    v.push_back(probe.readMs());
                    r.push_back(reference->readMs());
                    if (phase % 2)
                        prepared->runTimed();
                }
                std::printf("phase %d (%s): %zu readings; compute probe p10 %.4f median %.4f ms; reference kernel "
                            "p10 %.4f median %.4f ms\n",
                            phase, phase % 2 ? "between network runs" : "back to back", v.size(), percentile(v, 0.1),
                            percentile(v, 0.5), percentile(r, 0.1), percentile(r, 0.5));
            }
            return 0;
        }
        if (mode == "trace") { // probe reading, AVX2 loop, memory reads and one run of network 0, interleaved
            auto prepared = rts[platforms[0]]->prepare(graphs[0], 1);
            auto &probe = *probes[platforms[0]];
            // Memory-bound companions of the compute probe: the fastest of three sums over a 4 MB
            // buffer (cache-resident on most hosts) and one sum over 64 MB (from DRAM).
            std::vector<double> cacheBuffer(size_t(4) << 17, 1.0), dramBuffer(size_t(64) << 17, 1.0);
            auto sumMs = [](const std::vector<double> &v) {
                return timedMs([&] {
                    volatile double sum = std::accumulate(v.begin(), v.end(), 0.0);
                    (void)sum;
                });
            };
            const auto t0 = std::chrono::steady_clock::now();
            while (elapsedMs(t0) < repeat * 1000.0) {
                const double p = probe.readMs();
                const double simd = simdThroughputMs();
                double cache = sumMs(cacheBuffer);
                for (int k = 0; k < 2; ++k)
                    cache = std::min(cache, sumMs(cacheBuffer));
                const double dram = sumMs(dramBuffer);
                const double net = timedMs([&] { prepared->runTimed(); });
                std::printf("%.2f probe %.4f ratio %.3f simd %.4f cache %.4f dram %.3f net %.3f\n", elapsedMs(t0) / 1000, p,
                            p / probe.baselineMs(), simd, cache, dram, net);
            }
            return 0;
        }
        if (mode == "drift")
            return drift(graphs, *rts[platforms[0]], gate ? probes[platforms[0]].get() : nullptr, protocol, repeat);
        return repeatability(graphs, platforms, rts, probes, protocol, gapMinutes);
    }

    std::map<std::string, std::vector<double>> median; // platform -> per network (NaN: unsupported)
    std::vector<generator::GeneratedNetwork> nets = generator::generateNetworks(spec, seed, networks);
    protocol.gate = false; // the heterogeneity table below predates the gate
    for (int i = 0; i < networks; ++i) {
        for (const auto &id : ids) {
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
    std::printf("## Heterogeneity over %d generated networks (seed %llu, max %lld MACs)\n\n", networks,
                (unsigned long long)seed, (long long)maxMacs);
    std::printf("| ratio | networks | p5 | median | p95 |\n|---|---|---|---|---|\n");
    ratio(ids[2], ids[0]);
    ratio(ids[0], ids[1]);
    ratio(ids[2], ids[3]);
    ratio(ids[3], ids[1]);
    return 0;
}
