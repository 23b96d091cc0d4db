#pragma once

// The generator's own PRNG: xoshiro256** seeded with splitmix64. std:: distributions differ
// between standard libraries, so every draw is computed here to keep seed -> network stable
// on every platform (SPEC §4: same seed -> byte-identical ONNX).

#include <cstdint>
#include <vector>

namespace sniper::generator {

// splitmix64 (Steele, Lea, Flood 2014): advances `state` and returns the next output.
inline uint64_t splitmix64(uint64_t &state)
{
    uint64_t z = (state += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
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

    // Uniform in [0, n) by Lemire's multiply-shift; the bias (< n / 2^64) is irrelevant here.
    uint64_t below(uint64_t n) { return uint64_t((unsigned __int128)next() * n >> 64); }
    // Uniform integer in [lo, hi].
    int range(int lo, int hi) { return lo + int(below(uint64_t(hi - lo) + 1)); }
    // Uniform double in [0, 1) from the top 53 bits.
    double uniform() { return double(next() >> 11) * 0x1.0p-53; }
    bool chance(double p) { return p > 0 && uniform() < p; }

    template <class T>
    const T &pick(const std::vector<T> &v) { return v[below(v.size())]; }

private:
    static uint64_t rotl(uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }
    uint64_t m_s[4];
};

} // namespace sniper::generator
