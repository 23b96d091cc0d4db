#pragma once

// Network-level latency predictors of Sniper and Ace-Sniper (SPEC §7): a network representation
// (FLOPs, FLOPs&AMC or NNS features) and a platform representation (HELP: latencies of a fixed
// set of reference networks; HRM: general + special performance characterization, Ace-Sniper
// Eq. 6-11) fed to a regressor (PCN, or gradient-boosted trees). One class covers Ace-Sniper
// Fig. 9's six predictors and the XGBoost baseline; see docs/predictors.md.

#include "predict/data.h"
#include "predict/pcn.h"

#include <nlohmann/json_fwd.hpp>

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace sniper::predict {

enum class NetworkInput { Flops, FlopsAmc, Nns };
enum class PlatformInput { Help, Hrm };
enum class Regressor { Pcn, Gbt };
const char *networkInputName(NetworkInput n);   // "flops", "flops-amc", "nns"
const char *platformInputName(PlatformInput p); // "help", "hrm"
const char *regressorName(Regressor r);         // "pcn", "gbt"
NetworkInput parseNetworkInput(std::string_view s); // throws sniper::Error naming the choices
PlatformInput parsePlatformInput(std::string_view s);
Regressor parseRegressor(std::string_view s);

struct PredictorConfig {
    NetworkInput network = NetworkInput::Nns;
    PlatformInput platform = PlatformInput::Hrm;
    Regressor regressor = Regressor::Pcn;
    int maxFeatures = 24;     // NNS: features kept by key feature extraction (KFE) for the regressor
    int referenceCount = 100; // d: reference networks (Eq. 7), drawn from the training split
    int singularCount = 8;    // l: singular reference networks of HRM's special part (Eq. 10)
    int helpCount = 10;       // HELP: reference networks whose latencies are the platform embedding
    double ridge = 1e-3;      // L2 penalty of HRM's general fit (few-shot fits have d = 10 rows)
    PcnOptions pcn;
    uint64_t seed = 1;        // reference set choice, PCN initialization and batch order
    std::string name() const; // e.g. "NNS+HRM (PCN)"
};
nlohmann::json configToJson(const PredictorConfig &c);
PredictorConfig configFromJson(const nlohmann::json &j); // throws sniper::Error naming bad fields

// How one platform is represented (Ace-Sniper Eq. 6: V_h = [H_g, H_s]).
struct PlatformEmbedding {
    std::string name;
    double logMin = 0, logMax = 1;  // Eq. 11 normalization bounds: log latency over the reference networks
    double latencyScale = 1;        // median reference latency (ms): the unit of the general fit
    std::vector<double> general;    // H_g: non-negative coefficients of the general fit of latency on the
                                    // cost features (generalFeatureNames()), intercept last (HRM only)
    std::vector<double> special;    // H_s (HRM) or the HELP latencies, normalized
    double correctionWeight = 1;    // HRM: share of the regressor's correction over the prior that is kept
                                    // (1 for trained platforms; few-shot: chosen by leave-one-out)
};

// Whether a network lies inside the predictor's training range (docs/predictors.md, "Safe
// extrapolation"): every regressor feature within the training minimum and maximum.
struct RangeCheck {
    bool inside = true;
    std::vector<std::string> outside; // features outside, by how far, farthest first
    double distance = 0;              // farthest excursion, in training spans (0 inside)
    double correctionKept = 1;        // HRM: share of the regressor's correction kept (1 inside)
};

// Outside the training range an HRM predictor keeps 1 / (1 + distance / kShrinkSpan) of its
// correction over HRM's prior: a network a quarter-span out keeps half, one span out a fifth.
inline constexpr double kShrinkSpan = 0.25;
// One or two lines for people: "inside the training range", or the features outside and the rule
// applied (the shrink for HRM predictors, the clamp for HELP ones). `sniper predict` and the
// workbench's model view print it.
std::string rangeSummary(const RangeCheck &range, bool hrm);

// Safe: the rule above (the default everywhere). Raw: the regressor's output as is, to compare.
enum class Extrapolation { Safe, Raw };

class NetworkPredictor {
public:
    NetworkPredictor();
    ~NetworkPredictor();
    NetworkPredictor(NetworkPredictor &&) noexcept;
    NetworkPredictor &operator=(NetworkPredictor &&) noexcept;

    // Trains on `split.train` networks, early-stops on `split.validation`, on every platform of
    // `data` (a platform needs all of its reference networks measured). Throws sniper::Error
    // for unusable data. `progress(epoch, trainLoss, validLoss)` returning false stops training.
    static NetworkPredictor train(const LatencyData &data, const Split &split, const PredictorConfig &config,
                                  const std::function<bool(int, double, double)> &progress = {});

    const PredictorConfig &config() const;
    std::vector<std::string> platforms() const;
    bool hasPlatform(std::string_view platform) const;
    const PlatformEmbedding &embedding(std::string_view platform) const;
    std::vector<std::string> featureNames() const;        // the regressor's network inputs, in order
    std::vector<std::string> generalFeatureNames() const; // inputs of HRM's general fit (Eq. 8)
    const std::vector<std::string> &referenceNetworks() const;
    const TrainingReport &report() const;

    // Latencies (ms) of networks given by their full feature vectors (featureTable() order) on a
    // known platform. Throws sniper::Error for an unknown platform or a missing/non-finite feature.
    // Outside the training range (rangeCheck) HRM predictors shrink their correction toward the
    // prior by kShrinkSpan's rule; HELP predictors see the features clamped to the range.
    std::vector<double> predict(const std::vector<std::vector<double>> &features, std::string_view platform,
                                Extrapolation mode = Extrapolation::Safe) const;
    double predict(const std::vector<double> &features, std::string_view platform,
                   Extrapolation mode = Extrapolation::Safe) const;
    // Which features of each network lie outside the training range, and the rule applied.
    std::vector<RangeCheck> rangeCheck(const std::vector<std::vector<double>> &features) const;
    RangeCheck rangeCheck(const std::vector<double> &features) const;
    // HRM's general fit alone (Eq. 8-9), the prior the regressor corrects; throws for HELP embeddings.
    std::vector<double> predictPrior(const std::vector<std::vector<double>> &features, std::string_view platform) const;

    // Few-shot: adds (or replaces) an unseen platform from its latencies on the reference networks
    // (referenceNetworks() order); the regressor is not retrained.
    void addPlatform(const std::string &name, const std::vector<double> &referenceLatencyMs);
    // The same, given also the reference networks' features (featureTable() order, one vector per
    // reference network): HRM predictors then choose the platform's correction weight by
    // leave-one-out over the reference networks (docs/predictors.md, "Unseen platforms").
    void addPlatform(const std::string &name, const std::vector<double> &referenceLatencyMs,
                     const std::vector<std::vector<double>> &referenceFeatures);

    // The regressor's inputs for ONNX export: scaled network inputs of raw feature vectors, and
    // the platform vector of a platform; the general-fit scale of each general feature.
    std::vector<float> networkInputs(const std::vector<double> &features) const;
    std::vector<float> platformVector(std::string_view platform) const;
    const std::vector<double> &generalScale() const;
    const PcnModel *pcn() const; // null for gradient-boosted trees

    // The JSON card: features and their order, scaling, platforms and embeddings, reference
    // networks, training data and report. save() = card + regressor weights in one blob.
    nlohmann::json card() const;
    std::vector<uint8_t> save() const;
    static NetworkPredictor load(const std::vector<uint8_t> &bytes); // throws sniper::Error when corrupt
    void setTrainingInfo(const nlohmann::json &info);                // stored in the card ("training")

private:
    struct Impl;
    std::unique_ptr<Impl> d;
};

} // namespace sniper::predict
