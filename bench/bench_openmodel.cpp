// SPEC §12/§13, the workbench issue: opening a model in the model view = import + features +
// layered layout + building the scene + the first paint of the view, <= 1 s for ResNet-152
// (DenseNet-201 and ViT-B/16 must open too). Offscreen Qt; run by hand:
//   QT_QPA_PLATFORM=offscreen build/bench/bench_openmodel

#include "features/inspect.h"
#include "graph/layout.h"
#include "graphview.h"

#include <QApplication>
#include <QGraphicsScene>
#include <QPixmap>

#include <benchmark/benchmark.h>

#include <cstdlib>
#include <memory>

namespace {

void openModel(benchmark::State &state, const std::string &name)
{
    sniper::onnx::ImportOptions o;
    o.loadWeights = false;
    const std::string path = std::string(SNIPER_SOURCE_DIR) + "/datasets/models/" + name + ".onnx";
    for (auto _ : state) {
        auto report = std::make_shared<const sniper::features::ModelReport>(sniper::features::inspectModel(path, o));
        auto layout = std::make_shared<const sniper::graph::GraphLayout>(sniper::graph::layeredLayout(report->dag));
        sniper::views::GraphView view;
        view.resize(1280, 800);
        view.setModel(report, layout);
        const QPixmap frame = view.grab(); // the first paint
        benchmark::DoNotOptimize(frame.cacheKey());
        state.counters["scene_items"] = double(view.scene()->items().size());
    }
}

} // namespace

BENCHMARK_CAPTURE(openModel, resnet152, std::string("resnet152"))->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(openModel, densenet201, std::string("densenet201"))->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(openModel, vit_b_16, std::string("vit_b_16"))->Unit(benchmark::kMillisecond);

int main(int argc, char **argv)
{
    if (!std::getenv("QT_QPA_PLATFORM"))
        setenv("QT_QPA_PLATFORM", "offscreen", 1);
    QApplication app(argc, argv);
    benchmark::Initialize(&argc, argv);
    benchmark::RunSpecifiedBenchmarks();
    benchmark::Shutdown();
    return 0;
}
