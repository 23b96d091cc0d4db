#pragma once

// Accuracy metrics of latency predictors (SPEC §7): MAPE, RMSE, R², ±5/10/15/20% accuracy,
// Spearman rank correlation. One function computes them all so every report agrees.

#include <cstddef>
#include <string>
#include <vector>

namespace sniper::predict {

struct Metrics {
    size_t n = 0;
    double mape = 0;      // mean |pred - true| / true, in percent
    double rmse = 0;      // same unit as the latencies (ms)
    double r2 = 0;        // coefficient of determination
    double acc5 = 0, acc10 = 0, acc15 = 0, acc20 = 0; // percent of samples within ±x%
    double spearman = 0;  // rank correlation, average ranks for ties
};

// Throws sniper::Error when the sizes differ, the input is empty, or a measured latency is not
// positive and finite (a relative error needs a positive denominator).
Metrics computeMetrics(const std::vector<double> &predicted, const std::vector<double> &measured);

// Spearman's rho with average ranks for ties; 0 when either side is constant.
double spearman(const std::vector<double> &a, const std::vector<double> &b);

// Column names and values in one order, for CSV and Markdown tables.
std::vector<std::string> metricNames();
std::vector<double> metricValues(const Metrics &m);

} // namespace sniper::predict
