#include "predict/metrics.h"

#include "common/error.h"

#include <algorithm>
#include <cmath>
#include <numeric>

namespace sniper::predict {

namespace {

std::vector<double> averageRanks(const std::vector<double> &v)
{
    std::vector<size_t> order(v.size());
    std::iota(order.begin(), order.end(), size_t{0});
    std::stable_sort(order.begin(), order.end(), [&](size_t a, size_t b) { return v[a] < v[b]; });
    std::vector<double> rank(v.size());
    for (size_t i = 0; i < order.size();) {
        size_t j = i;
        while (j + 1 < order.size() && v[order[j + 1]] == v[order[i]])
            ++j;
        const double r = 0.5 * double(i + j) + 1.0;
        for (size_t t = i; t <= j; ++t)
            rank[order[t]] = r;
        i = j + 1;
    }
    return rank;
}

double pearson(const std::vector<double> &a, const std::vector<double> &b)
{
    const double n = double(a.size());
    const double ma = std::accumulate(a.begin(), a.end(), 0.0) / n;
    const double mb = std::accumulate(b.begin(), b.end(), 0.0) / n;
    double sab = 0, saa = 0, sbb = 0;
    for (size_t i = 0; i < a.size(); ++i) {
        sab += (a[i] - ma) * (b[i] - mb);
        saa += (a[i] - ma) * (a[i] - ma);
        sbb += (b[i] - mb) * (b[i] - mb);
    }
    if (saa <= 0 || sbb <= 0)
        return 0;
    return sab / std::sqrt(saa * sbb);
}

} // namespace

double spearman(const std::vector<double> &a, const std::vector<double> &b)
{
    if (a.size() != b.size())
        throw Error(std::to_string(a.size()) + " values against " + std::to_string(b.size()), "spearman");
    if (a.size() < 2)
        return 0;
    return pearson(averageRanks(a), averageRanks(b));
}

Metrics computeMetrics(const std::vector<double> &predicted, const std::vector<double> &measured)
{
    if (predicted.size() != measured.size())
        throw Error(std::to_string(predicted.size()) + " predictions for " + std::to_string(measured.size()) +
                        " measurements",
                    "metrics");
    if (measured.empty())
        throw Error("no samples to evaluate", "metrics");
    Metrics m;
    m.n = measured.size();
    double sumAbsRel = 0, sumSq = 0, mean = 0;
    size_t in5 = 0, in10 = 0, in15 = 0, in20 = 0;
    for (size_t i = 0; i < m.n; ++i) {
        const double y = measured[i], p = predicted[i];
        if (!(y > 0) || !std::isfinite(y))
            throw Error("measured latency " + std::to_string(y) + " is not positive", "sample " + std::to_string(i));
        if (!std::isfinite(p))
            throw Error("prediction is not finite", "sample " + std::to_string(i));
        const double rel = std::abs(p - y) / y - 1e-12; // 1.1 vs 1.0 counts as within ±10%
        sumAbsRel += rel + 1e-12;
        sumSq += (p - y) * (p - y);
        mean += y;
        in5 += rel <= 0.05;
        in10 += rel <= 0.10;
        in15 += rel <= 0.15;
        in20 += rel <= 0.20;
    }
    mean /= double(m.n);
    double ssTot = 0;
    for (double y : measured)
        ssTot += (y - mean) * (y - mean);
    const double n = double(m.n);
    m.mape = 100.0 * sumAbsRel / n;
    m.rmse = std::sqrt(sumSq / n);
    m.r2 = ssTot > 0 ? 1.0 - sumSq / ssTot : 0.0;
    m.acc5 = 100.0 * double(in5) / n;
    m.acc10 = 100.0 * double(in10) / n;
    m.acc15 = 100.0 * double(in15) / n;
    m.acc20 = 100.0 * double(in20) / n;
    m.spearman = spearman(predicted, measured);
    return m;
}

std::vector<std::string> metricNames()
{
    return {"n", "mape_pct", "rmse_ms", "r2", "acc5_pct", "acc10_pct", "acc15_pct", "acc20_pct", "spearman"};
}

std::vector<double> metricValues(const Metrics &m)
{
    return {double(m.n), m.mape, m.rmse, m.r2, m.acc5, m.acc10, m.acc15, m.acc20, m.spearman};
}

} // namespace sniper::predict
