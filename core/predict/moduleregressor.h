#pragma once

// The regression models of the module-level framework (the paper's §2.2-2.3, §3.1; SPEC §8):
// MEDN and its ablations MEDN-D (no reconstruction decoder), MEDN-XI (no inferable parameters),
// MEDN-XM (no measurable parameters), MEDN-R (sampling parameters only); random forest (XGBoost
// random-forest mode); MLP; linear regression. One trained regressor predicts one module.
// Inputs are min-max scaled on the training split; the target is the standardized log latency.

#include "predict/modules.h"
#include "predict/pcn.h" // TrainingReport

#include <nlohmann/json_fwd.hpp>

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace sniper::predict::modules {

enum class RegressorKind : uint8_t { Medn, MednD, MednXI, MednXM, MednR, Rf, Mlp, Lr };
const std::vector<RegressorKind> &allRegressorKinds(); // Table 5 / Fig. 4 order
const char *regressorKindName(RegressorKind k);        // "MEDN", "MEDN-D", ..., "RF", "MLP", "LR"
RegressorKind parseRegressorKind(std::string_view name); // case-insensitive; throws naming the choices
unsigned regressorGroups(RegressorKind k);             // the parameter groups a regressor reads
bool isDeep(RegressorKind k);                          // trained by epochs (MEDN*, MLP)

// Everything configurable; defaults follow the paper: 500 epochs at lr 0.005 (early stopping on
// validation allowed), MEDN encoder and loss weight from Table 4 per module when not given.
struct RegressorOptions {
    int epochs = 500;
    double lr = 0.005;
    int batch = 64;
    int patience = 60;                 // epochs without a better validation loss; 0 = off
    std::vector<int> mednEncoder;      // empty: Table 4 of the module
    double reconstructionWeight = -1;  // < 0: Table 4 of the module
    std::vector<int> mlpHidden{128, 128, 16};
    int forestTrees = 100;
    int forestDepth = 12;
    double ridge = 1e-8;               // LR: a tiny L2 term keeps collinear inputs solvable
    uint64_t seed = 1;
};
nlohmann::json optionsToJson(const RegressorOptions &o);
RegressorOptions optionsFromJson(const nlohmann::json &j); // throws sniper::Error naming a bad field

// Table 4 of the paper: encoder hidden dims and reconstruction : prediction weight. Composites
// use their first module's row (conv for conv+*, bn for bn+relu).
std::vector<int> table4Encoder(ModuleKind k);
double table4Weight(ModuleKind k);

class ModuleRegressor {
public:
    ModuleRegressor();
    ~ModuleRegressor();
    ModuleRegressor(ModuleRegressor &&) noexcept;
    ModuleRegressor &operator=(ModuleRegressor &&) noexcept;

    // Trains on `train`, early-stops on `validation` (samples of one module, non-empty, positive
    // latencies). Throws sniper::Error for unusable data. `progress` as in PcnModel::fit.
    static ModuleRegressor train(ModuleKind module, RegressorKind kind, const std::vector<ModuleSample> &train,
                                 const std::vector<ModuleSample> &validation, const RegressorOptions &options,
                                 const std::function<bool(int, double, double)> &progress = {});

    ModuleKind module() const;
    RegressorKind kind() const;
    std::vector<std::string> featureNames() const;
    const TrainingReport &report() const;

    // Latencies (ms) of samples of this regressor's module; throws sniper::Error for another module.
    std::vector<double> predict(const std::vector<ModuleSample> &samples) const;
    size_t sizeBytes() const; // what the regressor needs to predict, as stored (weights, trees, coefficients)

    std::vector<uint8_t> save() const;
    static ModuleRegressor load(const std::vector<uint8_t> &bytes); // throws sniper::Error when corrupt

private:
    struct Impl;
    std::unique_ptr<Impl> d;
};

} // namespace sniper::predict::modules
