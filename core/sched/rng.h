#pragma once

// The scheduler's own PRNG: xoshiro256** seeded by splitmix64, and the few distributions it
// needs, computed here so that seed -> event log is the same with every standard library.

#include <cmath>
#include <cstdint>

namespace sniper::sched {

inline uint64_t splitmix64(uint64_t &state)
{
    uint64_t z = (state += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
}

// Mixes several values into one seed (independent streams per sweep cell, per noise key).
inline uint64_t mixSeed(uint64_t a, uint64_t b)
{
    uint64_t s = a ^ (b * 0xD1B54A32D192ED03ull);
    return splitmix64(s);
}

class Rng {
public:
    explicit Rng(uint64_t seed)
    {
        for (uint64_t &s : m_s)
            s = splitmix64(seed);
    }

    // xoshiro256** 1.0 (Blackman, Vigna 2018).
    uint64_t next()
    {
        const uint64_t result = rotl(m_s[1] * 5, 7) * 9;
        const uint64_t t = m_s[1] << 17;
        m_s[2] ^= m_s[0];
        m_s[3] ^= m_s[1];
        m_s[1] ^= m_s[2];
        m_s[0] ^= m_s[3];
        m_s[2] ^= t;
        m_s[3] = rotl(m_s[3], 45);
        return result;
    }
    // Uniform in (0, 1): 53 random bits, never 0 (safe for log).
    double uniform() { return (double(next() >> 11) + 0.5) * 0x1.0p-53; }
    // Uniform integer in [0, n).
    uint64_t below(uint64_t n) { return uint64_t((unsigned __int128)next() * n >> 64); }
    double exponential(double mean) { return -mean * std::log(uniform()); }
    // Standard normal by Box-Muller (one value per call; the second is dropped to stay stateless).
    double normal()
    {
        const double u = uniform(), v = uniform();
        return std::sqrt(-2.0 * std::log(u)) * std::cos(6.283185307179586 * v);
    }

private:
    static uint64_t rotl(uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }
    uint64_t m_s[4];
};

} // namespace sniper::sched
