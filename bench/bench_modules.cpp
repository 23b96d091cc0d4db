// Module-level regressors: prediction time per sample, batched on one thread, for each of the
// eight regressors on a conv dataset (SPEC §8; target: MEDN <= 0.05 ms per sample batched).
// The regressors are trained briefly on seeded synthetic conv samples; prediction cost does not
// depend on how well they were trained. Run: build/bench/bench_modules

#include "predict/moduleregressor.h"
#include "predict/modulestudy.h"

#include <benchmark/benchmark.h>

#include <cmath>
#include <map>
#include <memory>
#include <random>

namespace {

using namespace sniper::predict::modules;

std::vector<ModuleSample> convSamples(int count, unsigned seed)
{
    std::mt19937_64 rng(seed);
    std::uniform_real_distribution<double> u01(0.0, 1.0);
    SamplingRanges r;
    std::vector<ModuleSample> out;
    for (int i = 0; i < count; ++i) {
        ModuleSample s;
        s.kind = ModuleKind::Conv;
        s.index = i;
        s.params = sampleParamsAt(ModuleKind::Conv, r, seed, i);
        s.utilization = u01(rng);
        s.memoryMb = 16000 + 4000 * u01(rng);
        s.latencyMs = 0.01 + 2e-8 * double(moduleMacs(ModuleKind::Conv, s.params)) * (1 + 0.5 * s.utilization);
        out.push_back(s);
    }
    return out;
}

const ModuleSplit &split()
{
    static const ModuleSplit s = splitSamples(convSamples(10000, 11), 2026);
    return s;
}

const ModuleRegressor &trained(RegressorKind k)
{
    // Never destroyed: LibTorch's and XGBoost's globals may be gone before static destructors run.
    static auto *cache = new std::map<RegressorKind, std::unique_ptr<ModuleRegressor>>;
    auto &slot = (*cache)[k];
    if (!slot) {
        RegressorOptions o;
        o.epochs = 3;
        slot = std::make_unique<ModuleRegressor>(
            ModuleRegressor::train(ModuleKind::Conv, k, split().train, split().validation, o));
    }
    return *slot;
}

// Batched prediction of the 2,000-sample test split; items = samples.
void BM_PredictPerSample(benchmark::State &state)
{
    const auto kind = allRegressorKinds()[size_t(state.range(0))];
    const ModuleRegressor &r = trained(kind);
    const auto &test = split().test;
    for (auto _ : state)
        benchmark::DoNotOptimize(r.predict(test));
    state.SetItemsProcessed(int64_t(state.iterations()) * int64_t(test.size()));
    state.SetLabel(std::string(regressorKindName(kind)) + ", " + std::to_string(r.sizeBytes() / 1024) + " KB");
}
BENCHMARK(BM_PredictPerSample)->DenseRange(0, 7)->Unit(benchmark::kMillisecond);

// One MEDN training epoch on the 7,000 conv training samples (Table 4 conv configuration).
void BM_MednEpoch(benchmark::State &state)
{
    RegressorOptions o;
    o.epochs = 1;
    for (auto _ : state)
        benchmark::DoNotOptimize(ModuleRegressor::train(ModuleKind::Conv, RegressorKind::Medn, split().train,
                                                        split().validation, o));
}
BENCHMARK(BM_MednEpoch)->Unit(benchmark::kMillisecond)->Iterations(3);

} // namespace

BENCHMARK_MAIN();
