// SPEC §13: import + all NNS features of ResNet-152 (structure-only ONNX) <= 50 ms.
// Run: build/bench/bench_import [--benchmark_filter=resnet152]

#include "features/features.h"
#include "graph/cost.h"
#include "onnx/onnximport.h"

#include <benchmark/benchmark.h>

#include <fstream>
#include <sstream>
#include <string>

namespace {

std::string modelPath(const std::string &name)
{
    return std::string(SNIPER_SOURCE_DIR) + "/datasets/models/" + name + ".onnx";
}

std::string readFile(const std::string &path)
{
    std::ifstream in(path, std::ios::binary);
    std::stringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

void importAndFeatures(benchmark::State &state, const std::string &name)
{
    const std::string path = modelPath(name);
    sniper::onnx::ImportOptions opt;
    opt.loadWeights = false;
    for (auto _ : state) {
        auto g = sniper::onnx::importOnnxFile(path, opt);
        auto cost = sniper::graph::computeCosts(g);
        auto f = sniper::features::extractFeatures(g, cost);
        benchmark::DoNotOptimize(f.values.data());
    }
    state.SetLabel(name);
}

void importOnly(benchmark::State &state, const std::string &name)
{
    const std::string bytes = readFile(modelPath(name));
    sniper::onnx::ImportOptions opt;
    opt.loadWeights = false;
    for (auto _ : state) {
        auto g = sniper::onnx::importOnnxBuffer(bytes.data(), bytes.size(), opt, name);
        benchmark::DoNotOptimize(g.nodes.data());
    }
}

void featuresOnly(benchmark::State &state, const std::string &name)
{
    sniper::onnx::ImportOptions opt;
    opt.loadWeights = false;
    auto g = sniper::onnx::importOnnxFile(modelPath(name), opt);
    for (auto _ : state) {
        auto cost = sniper::graph::computeCosts(g);
        auto f = sniper::features::extractFeatures(g, cost);
        benchmark::DoNotOptimize(f.values.data());
    }
}

} // namespace

BENCHMARK_CAPTURE(importAndFeatures, resnet152, std::string("resnet152"))->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(importAndFeatures, densenet201, std::string("densenet201"))->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(importAndFeatures, vit_b_16, std::string("vit_b_16"))->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(importOnly, resnet152, std::string("resnet152"))->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(featuresOnly, resnet152, std::string("resnet152"))->Unit(benchmark::kMillisecond);

BENCHMARK_MAIN();
