#pragma once

// Sniper's single-platform predictor (Sniper §3.2-3.3, Ace-Sniper §IV-B "Based on the above
// features, we predict ... using Bayesian ridge regression on a single platform"): per platform,
// key feature extraction (Algorithm 1) picks k NNS features, then a Bayesian ridge regression of
// log latency on their sign*log1p transforms. The Structure Checker (Sniper §3.2, Ace-Sniper
// Fig. 3) sends networks below a MACs threshold here and the rest to PCN.

#include "predict/bayesridge.h"
#include "predict/data.h"

#include <nlohmann/json_fwd.hpp>

#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace sniper::predict {

class NetworkPredictor;

class KfeBayesRidge {
public:
    // One model per platform of `data` with at least k + 2 measured training networks.
    static KfeBayesRidge train(const LatencyData &data, const std::vector<int> &trainRows, int k = 7);

    bool hasPlatform(std::string_view platform) const;
    std::vector<std::string> selectedFeatures(std::string_view platform) const;
    // Throws sniper::Error for an unknown platform or a missing/non-finite feature.
    double predict(const std::vector<double> &features, std::string_view platform) const;

    nlohmann::json toJson() const;
    static KfeBayesRidge fromJson(const nlohmann::json &j); // throws sniper::Error naming bad fields

private:
    struct PlatformModel {
        std::vector<int> selected; // featureTable() columns
        BayesianRidge ridge;
    };
    const PlatformModel &find(std::string_view platform) const;
    std::map<std::string, PlatformModel, std::less<>> m_models;
};

// Routes by total MACs: below smallMacs to the Bayesian ridge, otherwise to PCN.
struct StructureChecker {
    int64_t smallMacs = 50'000'000;
    bool useLinear(const std::vector<double> &features) const;
    double predict(const KfeBayesRidge &linear, const NetworkPredictor &pcn, const std::vector<double> &features,
                   std::string_view platform) const;
};

} // namespace sniper::predict
