// SPEC §12/§13: the model view's graph layout. Opening ResNet-152 <= 1 s to first paint and
// DenseNet-201 <= 2 s; the layout is the part that Graphviz's dot cannot do in time.

#include "graph/analysis.h"
#include "graph/layout.h"
#include "onnx/onnximport.h"

#include <benchmark/benchmark.h>

namespace {

void layout(benchmark::State &state, const std::string &name)
{
    sniper::onnx::ImportOptions o;
    o.loadWeights = false;
    auto g = sniper::onnx::importOnnxFile(std::string(SNIPER_SOURCE_DIR) + "/datasets/models/" + name + ".onnx", o);
    auto dag = sniper::graph::buildLayerDag(g);
    sniper::graph::GraphLayout l;
    for (auto _ : state) {
        l = sniper::graph::layeredLayout(dag);
        benchmark::DoNotOptimize(l.nodes.data());
    }
    state.counters["layers"] = double(dag.layers.size());
    state.counters["dummies"] = double(l.dummies);
    state.counters["crossings"] = double(l.crossings);
}

} // namespace

BENCHMARK_CAPTURE(layout, resnet152, std::string("resnet152"))->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(layout, densenet201, std::string("densenet201"))->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(layout, vit_b_16, std::string("vit_b_16"))->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(layout, inception_v3, std::string("inception_v3"))->Unit(benchmark::kMillisecond);

BENCHMARK_MAIN();
