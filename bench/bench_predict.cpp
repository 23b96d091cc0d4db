// Latency predictors: Bayesian ridge fit on 10,000 x 40 (target <= 50 ms), XGBoost prediction,
// PCN prediction throughput (target >= 100,000 per second, one thread) and PCN training time on
// 23,000 samples.
// Run: build/bench/bench_predict

#include "predict/bayesridge.h"
#include "predict/gbt.h"
#include "predict/pcn.h"

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

// PCN with the default sizes on 24 network features, 18 general values (NNS+HRM has 20) and 8
// singular latencies, inputs uniform in [0, 1] (values do not change the cost).
predict::PcnBatch pcnBatch(size_t rows, bool withTarget, unsigned seed)
{
    std::mt19937_64 rng(seed);
    std::uniform_real_distribution<float> u(0.f, 1.f);
    predict::PcnBatch b;
    b.rows = rows;
    b.network.resize(rows * 24);
    b.platform.resize(rows * 26);
    b.prior.resize(rows);
    for (float &v : b.network)
        v = u(rng);
    for (float &v : b.platform)
        v = u(rng);
    for (size_t r = 0; r < rows; ++r) {
        b.prior[r] = u(rng);
        if (withTarget) // a smooth function of the inputs, so training converges as on real data
            b.target.push_back(b.prior[r] + 0.3f * b.network[r * 24] * b.platform[r * 26 + 18] - 0.2f * b.network[r * 24 + 5]);
    }
    return b;
}

void BM_PcnPredict(benchmark::State &state)
{
    predict::PcnModel model(24, 18, 8, predict::PcnOptions{});
    auto batch = pcnBatch(size_t(state.range(0)), false, 3);
    for (size_t r = 1; r < batch.rows; ++r) // one platform, as NetworkPredictor::predict asks
        std::copy(batch.platform.begin(), batch.platform.begin() + 26, batch.platform.begin() + long(r * 26));
    for (auto _ : state)
        benchmark::DoNotOptimize(model.predict(batch));
    state.SetItemsProcessed(int64_t(state.iterations()) * state.range(0));
}
BENCHMARK(BM_PcnPredict)->Arg(100000)->Unit(benchmark::kMillisecond);

void BM_PcnTrain23k(benchmark::State &state)
{
    const auto train = pcnBatch(23000, true, 4), valid = pcnBatch(2300, true, 5);
    for (auto _ : state) {
        predict::PcnModel model(24, 18, 8, predict::PcnOptions{});
        const auto report = model.fit(train, valid);
        state.counters["epochs"] = report.epochs;
        state.counters["seconds_per_epoch"] = report.seconds / report.epochs;
    }
}
BENCHMARK(BM_PcnTrain23k)->Iterations(1)->Unit(benchmark::kSecond);

BENCHMARK_MAIN();
