#pragma once

// Counts, sizes and MACs span orders of magnitude: the predictors see sign(v) * log(1 + |v|).

#include <cmath>

namespace sniper::predict {

inline double signedLog1p(double v) { return v < 0 ? -std::log1p(-v) : std::log1p(v); }

} // namespace sniper::predict
