#pragma once

// Gradient-boosted regression trees (and XGBoost's random-forest mode) through XGBoost's C API.
// The XGBoost handles stay behind this header: callers see rows of doubles and model bytes.

#include <cstddef>
#include <cstdint>
#include <vector>

#include "features/kfe.h" // sniper::features::Matrix (row-major rows x cols)

namespace sniper::predict {

struct GbtOptions {
    int rounds = 400;
    int maxDepth = 6;
    double eta = 0.1;
    double subsample = 0.8;
    double colsampleByTree = 1.0;
    double minChildWeight = 1;
    double lambda = 1; // L2 regularisation of leaf weights
    uint64_t seed = 0;
    int threads = 1;
    int earlyStoppingRounds = 30; // on validation RMSE, when validation data is given; 0 = off
    // XGBoost random-forest mode: num_parallel_tree = forestTrees, one round, eta 1,
    // subsample 0.8, colsample_bynode 0.8 (rounds, eta, subsample and early stopping are ignored).
    bool randomForest = false;
    int forestTrees = 100;
};

// Owns one XGBoost BoosterHandle; movable, not copyable.
class XgbBooster {
public:
    XgbBooster() = default;
    explicit XgbBooster(void *handle) : m_handle(handle) {}
    ~XgbBooster();
    XgbBooster(XgbBooster &&other) noexcept : m_handle(other.m_handle) { other.m_handle = nullptr; }
    XgbBooster &operator=(XgbBooster &&other) noexcept;
    XgbBooster(const XgbBooster &) = delete;
    XgbBooster &operator=(const XgbBooster &) = delete;
    void *get() const { return m_handle; }

private:
    void *m_handle = nullptr;
};

class GradientBoostedTrees {
public:
    // Squared-error regression with the hist tree method; deterministic for a seed and threads = 1.
    // With validation data, stops after earlyStoppingRounds rounds without a lower validation RMSE
    // and keeps the trees up to the best round. Throws sniper::Error on bad input or XGBoost failure.
    void fit(const features::Matrix &x, const std::vector<double> &y, const GbtOptions &o = {},
             const features::Matrix *validX = nullptr, const std::vector<double> *validY = nullptr);
    std::vector<double> predict(const features::Matrix &x) const;

    std::vector<uint8_t> save() const;                                 // XGBoost JSON model
    static GradientBoostedTrees load(const std::vector<uint8_t> &bytes); // throws sniper::Error
    size_t modelSizeBytes() const;
    int cols() const { return m_cols; }
    bool fitted() const { return m_booster.get() != nullptr; }
    int bestIteration() const { return m_bestIteration; } // 0-based round kept last

private:
    XgbBooster m_booster;
    int m_cols = 0;
    int m_bestIteration = -1;
};

} // namespace sniper::predict
