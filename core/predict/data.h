#pragma once

// The training data of network-level latency predictors (SPEC §7): NNS feature vectors of a
// set of networks and their measured latencies on a set of platforms. Filled from the project
// database by datasets/predictdata.h, or by tests and experiments directly.

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace sniper::predict {

struct LatencyData {
    std::vector<std::string> networks;         // model names, one per row
    std::vector<int64_t> modelIds;             // database ids (0 when not from a database)
    std::vector<std::vector<double>> features; // per network, features::featureTable() order
    std::vector<std::string> platforms;
    std::vector<double> latencyMs;             // networks x platforms, row-major; NaN = not measured

    size_t networkCount() const { return networks.size(); }
    size_t platformCount() const { return platforms.size(); }
    double latency(size_t network, size_t platform) const { return latencyMs[network * platforms.size() + platform]; }
    bool measured(size_t network, size_t platform) const;
    int platformIndex(const std::string &platform) const; // -1 if absent

    // Throws sniper::Error when the sizes disagree, a feature vector has the wrong length or a
    // non-finite value, or a latency is not positive (NaN is allowed: not measured).
    void validate() const;
};

// Networks split 7:1:2 by default (SPEC §7), seeded: the same seed and count give the same split.
struct Split {
    std::vector<int> train, validation, test; // network rows, each sorted
};
Split splitNetworks(size_t networks, uint64_t seed, double validationFraction = 0.1, double testFraction = 0.2);

} // namespace sniper::predict
