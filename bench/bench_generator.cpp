// SPEC §13: the random network generator makes >= 10,000 valid networks/s on one core.
// Run: build/bench/bench_generator   (items_per_second = networks/s)

#include "generator/generator.h"
#include "generator/nasbench201.h"
#include "graph/cost.h"
#include "onnx/onnxexport.h"

#include <benchmark/benchmark.h>

namespace {

using namespace sniper::generator;

// One valid network (graph built with shape inference, finalized) per iteration, default spec.
void generateDefault(benchmark::State &state)
{
    const GeneratorSpec spec;
    uint64_t seed = 0;
    int64_t nodes = 0;
    for (auto _ : state) {
        GeneratedNetwork net = generateNetwork(spec, networkSeed(1, int(seed++)));
        nodes += int64_t(net.graph.nodes.size());
        benchmark::DoNotOptimize(net.graph.nodes.data());
    }
    state.SetItemsProcessed(state.iterations());
    state.counters["nodes/network"] = double(nodes) / double(state.iterations());
}
BENCHMARK(generateDefault);

// The same with a MACs budget of 1 G (re-sampled blocks, fallbacks).
void generateBudget(benchmark::State &state)
{
    GeneratorSpec spec;
    spec.maxMacs = 1'000'000'000;
    uint64_t seed = 0;
    for (auto _ : state) {
        GeneratedNetwork net = generateNetwork(spec, networkSeed(2, int(seed++)));
        benchmark::DoNotOptimize(net.graph.nodes.data());
    }
    state.SetItemsProcessed(state.iterations());
}
BENCHMARK(generateBudget);

// Generation + costs + ONNX serialization: what `sniper generate` does per network.
void generateAndExport(benchmark::State &state)
{
    const GeneratorSpec spec;
    uint64_t seed = 0;
    for (auto _ : state) {
        GeneratedNetwork net = generateNetwork(spec, networkSeed(3, int(seed++)));
        auto cost = sniper::graph::computeCosts(net.graph);
        std::string bytes = sniper::onnx::exportOnnx(net.graph);
        benchmark::DoNotOptimize(bytes.data());
        benchmark::DoNotOptimize(cost.macs);
    }
    state.SetItemsProcessed(state.iterations());
}
BENCHMARK(generateAndExport);

void nasBench201(benchmark::State &state)
{
    const std::string cell = "|nor_conv_3x3~0|+|nor_conv_3x3~0|avg_pool_3x3~1|+|skip_connect~0|nor_conv_3x3~1|skip_connect~2|";
    for (auto _ : state) {
        auto g = nasBench201Network(cell);
        benchmark::DoNotOptimize(g.nodes.data());
    }
    state.SetItemsProcessed(state.iterations());
}
BENCHMARK(nasBench201);

} // namespace

BENCHMARK_MAIN();
