// Latency predictors: Bayesian ridge fit on 10,000 x 40 (target <= 50 ms) and XGBoost prediction.
// Run: build/bench/bench_predict

#include "predict/bayesridge.h"
#include "predict/gbt.h"

#include <cmath>
#include <random>

#include <benchmark/benchmark.h>

namespace {

using namespace sniper;

struct Data {
    features::Matrix x;
    std::vector<double> y;
};

// rows x cols normal features, y linear in them plus a little nonlinearity and noise (seeded).
Data synthetic(int rows, int cols, unsigned seed)
{
    std::mt19937_64 rng(seed);
    std::normal_distribution<double> normal(0.0, 1.0);
    std::vector<double> w(static_cast<size_t>(cols));
    for (double &e : w)
        e = normal(rng);
    Data d;
    d.x = features::Matrix{ rows, cols, std::vector<double>(size_t(rows) * size_t(cols)) };
    for (int r = 0; r < rows; ++r) {
        double *row = d.x.data.data() + size_t(r) * size_t(cols);
        double sum = 5.0;
        for (int c = 0; c < cols; ++c) {
            row[c] = 3.0 * c + (1 + c % 4) * normal(rng);
            sum += w[size_t(c)] * row[c];
        }
        d.y.push_back(sum + std::sin(row[0]) + 0.3 * normal(rng));
    }
    return d;
}

void BM_BayesianRidgeFit(benchmark::State &state)
{
    const Data d = synthetic(10000, 40, 1);
    for (auto _ : state) {
        predict::BayesianRidge model;
        model.fit(d.x, d.y);
        benchmark::DoNotOptimize(model.intercept());
        state.counters["iterations"] = model.iterations();
    }
}
BENCHMARK(BM_BayesianRidgeFit)->Unit(benchmark::kMillisecond);

// 400 rounds of depth-6 trees on 5,000 x 40, predicting 1,000 rows per iteration (one thread).
void BM_GbtPredict(benchmark::State &state)
{
    const Data train = synthetic(5000, 40, 2);
    const Data query = synthetic(1000, 40, 3);
    predict::GradientBoostedTrees gbt;
    gbt.fit(train.x, train.y);
    for (auto _ : state)
        benchmark::DoNotOptimize(gbt.predict(query.x));
    state.SetItemsProcessed(state.iterations() * query.x.rows);
}
BENCHMARK(BM_GbtPredict)->Unit(benchmark::kMillisecond);

} // namespace

BENCHMARK_MAIN();
