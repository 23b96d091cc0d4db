#pragma once

// The scheduler's draws on the shared xoshiro256** engine, computed here so that
// seed -> event log is the same with every standard library.

#include "common/xoshiro.h"

#include <cmath>
#include <cstdint>

namespace sniper::sched {

using sniper::splitmix64;

// Mixes several values into one seed (independent streams per sweep cell, per noise key).
inline uint64_t mixSeed(uint64_t a, uint64_t b)
{
    uint64_t s = a ^ (b * 0xD1B54A32D192ED03ull);
    return splitmix64(s);
}

class Rng : public Xoshiro256 {
public:
    using Xoshiro256::Xoshiro256;

    // Uniform in (0, 1): 53 random bits, never 0 (safe for log).
    double uniform() { return (double(next() >> 11) + 0.5) * 0x1.0p-53; }
    double exponential(double mean) { return -mean * std::log(uniform()); }
    // Standard normal by Box-Muller (one value per call; the second is dropped to stay stateless).
    double normal()
    {
        const double u = uniform(), v = uniform();
        return std::sqrt(-2.0 * std::log(u)) * std::cos(6.283185307179586 * v);
    }
};

} // namespace sniper::sched
