#pragma once

// The project's PRNG engine: xoshiro256** seeded with splitmix64. std:: distributions differ
// between standard libraries, so seeded results (generated networks, event logs) draw from
// this engine and compute their own distributions.

#include <cstdint>

namespace sniper {

// splitmix64 (Steele, Lea, Flood 2014): advances `state` and returns the next output.
inline uint64_t splitmix64(uint64_t &state)
{
    uint64_t z = (state += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
}

class Xoshiro256 {
public:
    explicit Xoshiro256(uint64_t seed)
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

    // Uniform in [0, n) by Lemire's multiply-shift; the bias (< n / 2^64) is irrelevant here.
    uint64_t below(uint64_t n) { return uint64_t((unsigned __int128)next() * n >> 64); }

private:
    static uint64_t rotl(uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }
    uint64_t m_s[4];
};

} // namespace sniper
