// Which resource a slow phase takes (docs/runtime.md, "Phases the compute probe does not see"):
// the fastest of five passes of three loops, repeated `readings` times a `gap` seconds apart.
//   fma    independent multiply-adds on eight registers: vector throughput, no memory traffic
//   l3     eight sums over a 4 MB array: cache-resident reads
//   stream a strided read and a copy of 64 MB: memory bandwidth
// Usage: exp_memprobe [readings=5] [gap_seconds=0]

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <thread>
#include <vector>

namespace {

using Clock = std::chrono::steady_clock;

double msSince(Clock::time_point t0)
{
    return std::chrono::duration<double, std::milli>(Clock::now() - t0).count();
}

volatile float g_sink = 0; // keeps the loops from being optimized away

} // namespace

int main(int argc, char **argv)
{
    const int readings = argc > 1 ? std::atoi(argv[1]) : 5;
    const double gap = argc > 2 ? std::atof(argv[2]) : 0.0;
    std::vector<float> big(size_t(16) << 20, 1.0f), copy(big.size()), mid(size_t(1) << 20, 1.0f);
    std::printf("reading,stream_64mb_ms,l3_4mb_ms,fma_ms\n");
    for (int r = 0; r < readings; ++r) {
        double stream = 1e30, l3 = 1e30, fma = 1e30;
        for (int pass = 0; pass < 5; ++pass) {
            auto t0 = Clock::now();
            float s = 0;
            for (size_t i = 0; i < big.size(); i += 16)
                s += big[i];
            std::memcpy(copy.data(), big.data(), big.size() * sizeof(float));
            stream = std::min(stream, msSince(t0));
            t0 = Clock::now();
            for (int q = 0; q < 8; ++q)
                for (float v : mid)
                    s += v * 1.0001f;
            l3 = std::min(l3, msSince(t0));
            t0 = Clock::now();
            float a[8] = {1, 2, 3, 4, 5, 6, 7, 8};
            for (int q = 0; q < 2'000'000; ++q)
                for (float &x : a)
                    x = x * 0.9999f + 0.0001f;
            fma = std::min(fma, msSince(t0));
            g_sink = s + a[0] + copy[size_t(pass)];
        }
        std::printf("%d,%.2f,%.2f,%.2f\n", r, stream, l3, fma);
        std::fflush(stdout);
        if (gap > 0 && r + 1 < readings)
            std::this_thread::sleep_for(std::chrono::duration<double>(gap));
    }
    return 0;
}
