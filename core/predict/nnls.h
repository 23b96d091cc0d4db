#pragma once

// Non-negative least squares for HRM's general fit (docs/predictors.md).

#include <vector>

namespace sniper::predict {

// HRM's general fit (Eq. 8): target_i ~ sum_j w_j rows_ij + w_0 with w >= 0 (every cost costs
// time), minimizing relative errors (row i weighted by 1 / target_i), with a ridge penalty on the
// feature weights (augmented rows); Lawson & Hanson NNLS. Returns the weights, intercept last.
std::vector<double> generalFit(const std::vector<std::vector<double>> &rows, const std::vector<double> &target,
                               double penalty);

} // namespace sniper::predict
