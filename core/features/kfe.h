#pragma once

// Key Feature Extraction: Algorithm 1 of Sniper (DAC'22) and Ace-Sniper (TCAD'23).
// Greedy selection of the feature most Pearson-correlated with the current target, where the
// target becomes the residual of a least-squares fit of the latency on the features chosen so far.

#include <cstddef>
#include <vector>

namespace sniper::features {

// Row-major: one row per network, one column per feature (e.g. featureTable() order).
struct Matrix {
    int rows = 0, cols = 0;
    std::vector<double> data;
    double at(int r, int c) const { return data[size_t(r) * cols + c]; }
};

struct KfeResult {
    std::vector<int> selected;         // column indices in pick order (K_F)
    std::vector<double> coefficients;  // OLS coefficients of `selected`, same order, final fit
    double intercept = 0;
    std::vector<double> residualTrace; // RMS of the latency residual after each pick
    std::vector<double> pearson;       // |r| of each pick with the target at its step
};

// Picks up to k features. Stops early when no non-constant column is left or the residual is
// explained (no remaining column has |r| > 1e-9). Deterministic: ties go to the lower column.
// Throws sniper::Error for an empty matrix, a size mismatch, k < 1, fewer than 2 rows,
// a non-finite value, or a constant latency.
KfeResult keyFeatureExtraction(const Matrix &features, const std::vector<double> &latency, int k);

} // namespace sniper::features
