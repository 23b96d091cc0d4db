#pragma once

// The generator's draws on the shared xoshiro256** engine, so seed -> network is stable on
// every platform (SPEC §4: same seed -> byte-identical ONNX).

#include "common/xoshiro.h"

#include <vector>

namespace sniper::generator {

using sniper::splitmix64;

class Rng : public Xoshiro256 {
public:
    using Xoshiro256::Xoshiro256;

    // Uniform integer in [lo, hi].
    int range(int lo, int hi) { return lo + int(below(uint64_t(hi - lo) + 1)); }
    // Uniform double in [0, 1) from the top 53 bits.
    double uniform() { return double(next() >> 11) * 0x1.0p-53; }
    bool chance(double p) { return p > 0 && uniform() < p; }

    template <class T>
    const T &pick(const std::vector<T> &v) { return v[below(v.size())]; }
};

} // namespace sniper::generator
