// SPEC §13: JPS on 1,000 jobs x 200 layers planned in <= 10 ms.

#include "partition/partition.h"

#include <benchmark/benchmark.h>

#include <random>

using namespace sniper::partition;

namespace {

Profile randomProfile(int layers, uint64_t seed)
{
    std::mt19937_64 rng(seed);
    std::uniform_real_distribution<double> u(0.0, 1.0);
    Profile p;
    p.layers = layers;
    double f = 0;
    int64_t bytes = 602112; // a 224x224x3 float input
    for (int c = 0; c <= layers; ++c) {
        CutPoint cut;
        cut.after = c == 0 ? "input" : "layer" + std::to_string(c);
        cut.localMs = f;
        cut.bytes = c == layers ? 0 : bytes;
        p.cuts.push_back(cut);
        f += 0.05 + u(rng);
        bytes = int64_t(double(bytes) * (0.7 + 0.6 * u(rng)));
    }
    return p;
}

// Profile -> virtual blocks -> f, g -> Algorithm 2 + two types -> Johnson schedule with Gantt bars.
void BM_JpsPlan(benchmark::State &state)
{
    const int jobs = int(state.range(0)), layers = int(state.range(1));
    const Profile raw = randomProfile(layers, 7);
    const CommModel comm { 1.0, 1.0, 5.85e6 };
    for (auto _ : state) {
        const Profile p = mergeVirtualBlocks(raw);
        std::vector<double> f, g;
        profileCurves(p, comm, f, g);
        Plan plan = planJps(f, g, jobs);
        benchmark::DoNotOptimize(plan.makespan);
    }
    state.SetItemsProcessed(state.iterations() * jobs);
}
BENCHMARK(BM_JpsPlan)->Args({ 1000, 200 })->Args({ 100, 200 })->Args({ 10000, 200 })->Unit(benchmark::kMillisecond);

// Johnson's rule alone on 1,000 jobs with arbitrary stage lengths.
void BM_Johnson(benchmark::State &state)
{
    std::mt19937_64 rng(3);
    std::uniform_real_distribution<double> u(0.0, 10.0);
    std::vector<StageJob> jobs(state.range(0));
    for (StageJob &j : jobs)
        j = { u(rng), u(rng), 0 };
    for (auto _ : state) {
        Schedule s = johnsonSchedule(jobs);
        benchmark::DoNotOptimize(s.makespan);
    }
}
BENCHMARK(BM_Johnson)->Arg(1000)->Unit(benchmark::kMicrosecond);

} // namespace

BENCHMARK_MAIN();
