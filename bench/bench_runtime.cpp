// SPEC §13: profiling loop overhead vs a bare timing loop of the same runtime <= 5%.
// The loops run the same prepared model; compare the per-run times they report (gatedLoop: the
// contention gate on, the probe readings between blocks of runs counted in its time):
//   build/bench/bench_runtime --benchmark_repetitions=5 --benchmark_report_aggregates_only=true
// The scaling/ rows time the same models on the 1- and 2-thread platforms (on an idle machine:
// 2t must not be slower than 1t):  build/bench/bench_runtime --benchmark_filter=scaling

#include "onnx/onnximport.h"
#include "runtime/contention.h"
#include "runtime/protocol.h"
#include "runtime/runtime.h"

#include <benchmark/benchmark.h>

#include <chrono>
#include <memory>

namespace {

constexpr int kRuns = 20;

std::unique_ptr<sniper::runtime::PreparedModel> prepare(const std::string &platform, const std::string &model)
{
    sniper::onnx::ImportOptions o;
    o.loadWeights = false;
    auto g = sniper::onnx::importOnnxFile(std::string(SNIPER_SOURCE_DIR) + "/datasets/models/" + model + ".onnx", o);
    return sniper::runtime::createRuntime(platform)->prepare(g, 1);
}

// The bare loop: a steady_clock around each call and nothing else.
void bareLoop(benchmark::State &state, const std::string &platform, const std::string &model)
{
    auto prepared = prepare(platform, model);
    prepared->runTimed();
    double total = 0;
    int64_t runs = 0;
    for (auto _ : state) {
        for (int i = 0; i < kRuns; ++i) {
            auto t0 = std::chrono::steady_clock::now();
            prepared->runTimed();
            total += std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
            ++runs;
        }
    }
    state.counters["per_run_ms"] = total / double(runs);
}

// Our protocol: the same number of timed runs, with the median/CI bookkeeping and the
// measurable-parameter reads; the target is unreachable so it always does kRuns runs.
void protocolLoop(benchmark::State &state, const std::string &platform, const std::string &model)
{
    auto prepared = prepare(platform, model);
    prepared->runTimed();
    sniper::runtime::MeasurementProtocol p;
    p.warmupRuns = 0;
    p.minRuns = kRuns;
    p.maxRuns = kRuns;
    p.maxSeconds = 1e9;
    p.targetRelativeHalfWidth = 1e-12;
    double total = 0;
    int64_t iterations = 0;
    for (auto _ : state) {
        auto t0 = std::chrono::steady_clock::now();
        auto m = sniper::runtime::measurePrepared(*prepared, p, platform);
        total += std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
        ++iterations;
        benchmark::DoNotOptimize(m.stats.medianMs);
    }
    state.counters["per_run_ms"] = total / double(iterations * kRuns);
}

// The protocol with the contention gate and the probe campaigns use (ComputeProbe): a probe
// reading between blocks of runs. Its per-run time is the whole measurement's time over every
// timed run, kept or discarded, so the probe's cost is in it.
void gatedLoop(benchmark::State &state, const std::string &platform, const std::string &model)
{
    auto prepared = prepare(platform, model);
    prepared->runTimed();
    sniper::runtime::ComputeProbe probe;
    probe.calibrate(1.0);
    sniper::runtime::MeasurementProtocol p;
    p.warmupRuns = 0;
    p.minRuns = kRuns;
    p.maxRuns = kRuns;
    p.maxSeconds = 1e9;
    p.targetRelativeHalfWidth = 1e-12;
    p.gate = true;
    double total = 0;
    int64_t runs = 0, discarded = 0;
    for (auto _ : state) {
        auto t0 = std::chrono::steady_clock::now();
        auto m = sniper::runtime::measurePrepared(*prepared, p, platform, {}, &probe);
        total += std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
        runs += m.stats.runs + (m.evidence.contended ? 0 : m.evidence.runsDiscarded);
        discarded += m.evidence.runsDiscarded;
        benchmark::DoNotOptimize(m.stats.medianMs);
    }
    state.counters["per_run_ms"] = total / double(runs);
    state.counters["discarded"] = double(discarded);
}

} // namespace

BENCHMARK_CAPTURE(gatedLoop, torch_squeezenet, std::string("torch-cpu-1t"), std::string("squeezenet1_1"))
    ->Unit(benchmark::kMillisecond)->Iterations(10);
BENCHMARK_CAPTURE(gatedLoop, opencv_squeezenet, std::string("opencv-cpu-1t"), std::string("squeezenet1_1"))
    ->Unit(benchmark::kMillisecond)->Iterations(10);
// A small network (a few ms): many runs per probe block, the probe's worst share.
BENCHMARK_CAPTURE(bareLoop, torch_mobilenet_v3_small, std::string("torch-cpu-1t"), std::string("mobilenet_v3_small"))
    ->Unit(benchmark::kMillisecond)->Iterations(10);
BENCHMARK_CAPTURE(gatedLoop, torch_mobilenet_v3_small, std::string("torch-cpu-1t"), std::string("mobilenet_v3_small"))
    ->Unit(benchmark::kMillisecond)->Iterations(10);
BENCHMARK_CAPTURE(bareLoop, torch_squeezenet, std::string("torch-cpu-1t"), std::string("squeezenet1_1"))
    ->Unit(benchmark::kMillisecond)->Iterations(10);
BENCHMARK_CAPTURE(protocolLoop, torch_squeezenet, std::string("torch-cpu-1t"), std::string("squeezenet1_1"))
    ->Unit(benchmark::kMillisecond)->Iterations(10);
BENCHMARK_CAPTURE(bareLoop, opencv_squeezenet, std::string("opencv-cpu-1t"), std::string("squeezenet1_1"))
    ->Unit(benchmark::kMillisecond)->Iterations(10);
BENCHMARK_CAPTURE(protocolLoop, opencv_squeezenet, std::string("opencv-cpu-1t"), std::string("squeezenet1_1"))
    ->Unit(benchmark::kMillisecond)->Iterations(10);

// 1t vs 2t of each runtime on a conv-heavy and a GEMM-heavy model.
BENCHMARK_CAPTURE(bareLoop, scaling/torch_1t_resnet18, std::string("torch-cpu-1t"), std::string("resnet18"))
    ->Unit(benchmark::kMillisecond)->Iterations(3);
BENCHMARK_CAPTURE(bareLoop, scaling/torch_2t_resnet18, std::string("torch-cpu-2t"), std::string("resnet18"))
    ->Unit(benchmark::kMillisecond)->Iterations(3);
BENCHMARK_CAPTURE(bareLoop, scaling/torch_1t_alexnet, std::string("torch-cpu-1t"), std::string("alexnet"))
    ->Unit(benchmark::kMillisecond)->Iterations(3);
BENCHMARK_CAPTURE(bareLoop, scaling/torch_2t_alexnet, std::string("torch-cpu-2t"), std::string("alexnet"))
    ->Unit(benchmark::kMillisecond)->Iterations(3);
BENCHMARK_CAPTURE(bareLoop, scaling/opencv_1t_resnet18, std::string("opencv-cpu-1t"), std::string("resnet18"))
    ->Unit(benchmark::kMillisecond)->Iterations(3);
BENCHMARK_CAPTURE(bareLoop, scaling/opencv_2t_resnet18, std::string("opencv-cpu-2t"), std::string("resnet18"))
    ->Unit(benchmark::kMillisecond)->Iterations(3);

BENCHMARK_MAIN();
