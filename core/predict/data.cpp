#include "predict/data.h"

#include "common/error.h"
#include "common/xoshiro.h"
#include "features/features.h"

#include <algorithm>
#include <cmath>
#include <numeric>

namespace sniper::predict {

bool LatencyData::measured(size_t network, size_t platform) const
{
    const double y = latency(network, platform);
    return std::isfinite(y) && y > 0;
}

int LatencyData::platformIndex(const std::string &platform) const
{
    const auto it = std::find(platforms.begin(), platforms.end(), platform);
    return it == platforms.end() ? -1 : int(it - platforms.begin());
}

void LatencyData::validate() const
{
    const size_t width = features::featureTable().size();
    if (networks.empty())
        throw Error("no networks", "latency data");
    if (platforms.empty())
        throw Error("no platforms", "latency data");
    if (features.size() != networks.size())
        throw Error(std::to_string(features.size()) + " feature vectors for " + std::to_string(networks.size()) +
                        " networks",
                    "latency data");
    if (!modelIds.empty() && modelIds.size() != networks.size())
        throw Error("model ids do not match the networks", "latency data");
    if (latencyMs.size() != networks.size() * platforms.size())
        throw Error(std::to_string(latencyMs.size()) + " latencies for " + std::to_string(networks.size()) + " x " +
                        std::to_string(platforms.size()) + " (networks x platforms)",
                    "latency data");
    for (size_t n = 0; n < networks.size(); ++n) {
        if (features[n].size() != width)
            throw Error(std::to_string(features[n].size()) + " features, expected " + std::to_string(width),
                        "network '" + networks[n] + "'");
        for (size_t f = 0; f < width; ++f)
            if (!std::isfinite(features[n][f]))
                throw Error(std::string("feature ") + features::featureTable()[f].name + " is missing or not finite",
                            "network '" + networks[n] + "'");
        for (size_t p = 0; p < platforms.size(); ++p) {
            const double y = latency(n, p);
            if (!std::isnan(y) && !(y > 0 && std::isfinite(y)))
                throw Error("latency " + std::to_string(y) + " ms is not positive",
                            "network '" + networks[n] + "' on " + platforms[p]);
        }
    }
}

Split splitNetworks(size_t networks, uint64_t seed, double validationFraction, double testFraction)
{
    if (validationFraction < 0 || testFraction < 0 || validationFraction + testFraction >= 1)
        throw Error("validation and test fractions must be non-negative and leave training data", "split");
    std::vector<int> order(networks);
    std::iota(order.begin(), order.end(), 0);
    Xoshiro256 rng(seed);
    for (size_t i = networks; i > 1; --i) // Fisher-Yates
        std::swap(order[i - 1], order[rng.below(i)]);
    const size_t nTest = size_t(std::llround(testFraction * double(networks)));
    const size_t nValid = size_t(std::llround(validationFraction * double(networks)));
    Split s;
    s.test.assign(order.begin(), order.begin() + long(nTest));
    s.validation.assign(order.begin() + long(nTest), order.begin() + long(nTest + nValid));
    s.train.assign(order.begin() + long(nTest + nValid), order.end());
    std::sort(s.test.begin(), s.test.end());
    std::sort(s.validation.begin(), s.validation.end());
    std::sort(s.train.begin(), s.train.end());
    return s;
}

} // namespace sniper::predict
