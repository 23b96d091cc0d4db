#pragma once

// The module-level framework's experiments (the paper's §2.2, §2.4, §3; SPEC §8): train every
// regressor on every module with a seeded 7:1:2 split, measure P10/P20 accuracy, R², RMSE, time
// per sample and size (Table 5, Fig. 4), auto-select one regressor per module (Algorithm 1,
// Table 6), and predict whole networks as the sum of their modules' predictions.

#include "predict/moduleregressor.h"

#include <nlohmann/json_fwd.hpp>

#include <cmath>
#include <functional>
#include <map>
#include <string>
#include <vector>

namespace sniper::predict::modules {

struct ModuleEvaluation {
    ModuleKind module = ModuleKind::Conv;
    RegressorKind regressor = RegressorKind::Medn;
    size_t trainSamples = 0, validationSamples = 0, testSamples = 0;
    double p10 = 0, p20 = 0;       // fraction of test samples within ±10% / ±20% (0..1)
    double r2 = 0, rmseMs = 0, mape = 0;
    double p10Loaded = NAN, p10Idle = NAN; // P10 on test samples timed with / without background load
    double timePerSampleMs = 0;    // batched prediction of the test split, one thread
    double sizeKb = 0;
    double trainSeconds = 0;
    int epochs = 0;
};

struct ModuleSplit {
    std::vector<ModuleSample> train, validation, test;
};
// Seeded 7:1:2 (by default) split of one module's samples; throws for fewer than 10 samples.
ModuleSplit splitSamples(const std::vector<ModuleSample> &samples, uint64_t seed, double validationFraction = 0.1,
                         double testFraction = 0.2);

// Metrics of predictions against measured latencies (test split).
ModuleEvaluation evaluatePredictions(const std::vector<ModuleSample> &test, const std::vector<double> &predictedMs);

struct StudyOptions {
    std::vector<ModuleKind> modules;        // empty: every module with samples
    std::vector<RegressorKind> regressors;  // empty: all eight
    RegressorOptions regressor;
    uint64_t splitSeed = 2026;
};

struct ModuleStudy {
    std::string platform;
    std::vector<ModuleEvaluation> rows;     // module-major, regressors in StudyOptions order
    std::vector<ModuleRegressor> trained;   // same order as rows
    const ModuleRegressor *find(ModuleKind m, RegressorKind r) const;
};

// Trains and evaluates. Throws sniper::Error when a requested module has no samples (naming it)
// or too few to split. `log` receives one line per trained regressor; `progress(module,
// regressor, epoch, trainLoss, validLoss)` returning false cancels.
using StudyProgress = std::function<bool(ModuleKind, RegressorKind, int, double, double)>;
ModuleStudy runStudy(const std::string &platform, const std::map<ModuleKind, std::vector<ModuleSample>> &samples,
                     const StudyOptions &options, const std::function<void(const std::string &)> &log = {},
                     const StudyProgress &progress = {});

// Algorithm 1: per module, keep the regressors within epsAcc of the best accuracy (P20, or P10),
// of those the ones within epsR2 of the best R², then the least time per sample (time-efficient)
// or the smallest model (space-efficient). Ties keep the earlier regressor.
enum class SelectionObjective { Time, Space };
struct SelectionOptions {
    double epsAcc = 0.05, epsR2 = 0.05;
    SelectionObjective objective = SelectionObjective::Time;
    bool useP10 = false;
};
std::map<ModuleKind, RegressorKind> autoSelect(const std::vector<ModuleEvaluation> &rows, const SelectionOptions &o);
SelectionObjective parseObjective(const std::string &s); // "time" | "space"

// A selection set's accuracy against a single regressor for every module (Table 6): mean over
// modules of P20 and R², and the mean percentage difference against `baseline`.
struct SelectionSummary {
    std::string scheme;
    std::map<ModuleKind, RegressorKind> selection;
    double meanP10 = 0, meanP20 = 0, meanR2 = 0, meanTimeMs = 0, meanSizeKb = 0;
    double accDiffPercent = 0, r2DiffPercent = 0; // vs the baseline scheme
};
std::vector<SelectionSummary> compareSelections(const std::vector<ModuleEvaluation> &rows,
                                                const std::vector<std::pair<std::string, std::map<ModuleKind, RegressorKind>>> &schemes,
                                                const std::string &baseline);

// Markdown tables: Table 5 (Acc = P20, R², Tps, Size per module x regressor, with the paper's
// "Avg diff% vs. MEDN" row), Fig. 4 (ablation means), Table 6 (selection sets), the dynamic
// environment P10 (loaded vs idle test samples) of MEDN vs MEDN-XM.
std::string table5Markdown(const std::vector<ModuleEvaluation> &rows);
std::string ablationMarkdown(const std::vector<ModuleEvaluation> &rows);
std::string table6Markdown(const std::vector<SelectionSummary> &summaries);
std::string dynamicMarkdown(const std::vector<ModuleEvaluation> &rows);
std::string evaluationsCsv(const std::vector<ModuleEvaluation> &rows, const std::string &platform);
nlohmann::json evaluationToJson(const ModuleEvaluation &e);

// ---- whole networks as sums of modules ---------------------------------------------------

// One module found in a network, with the node names it covers.
struct NetworkModule {
    ModuleSample sample;        // parameters (M and U left 0: filled at prediction time)
    std::vector<std::string> nodes;
    int64_t groups = 1;         // grouped conv: predicted as one conv of Ci/g -> Co (the same MACs)
    bool approximated = false;  // non-square kernel or input, dilation, or a global pool mapped onto the grid
};
struct NetworkDecomposition {
    std::vector<NetworkModule> modules;
    std::map<std::string, int> uncoveredOps; // operator type -> count of nodes not in any module
    double coveredMacsFraction = 0;          // of graph::computeCosts' MACs
};
// Greedy in topological order: Conv [+ BatchNormalization] [+ Relu], BatchNormalization [+ Relu]
// (each fused only when the next node is the sole consumer), Gemm / 2-D MatMul with a constant
// weight, MaxPool, AveragePool, GlobalAveragePool (an average pool with K = L, S = L).
NetworkDecomposition decomposeNetwork(const graph::Graph &g);

// The selected regressor of each module for one platform: predicts modules and, by summing,
// whole networks. Module parameters outside the sampled ranges are an error unless the caller
// allows extrapolation; network prediction counts them and predicts each at the nearest sampled
// parameters (clampToRanges) scaled by the ratio of the MACs, since regressors extrapolate badly.
class ModuleSetPredictor {
public:
    ModuleSetPredictor() = default;
    ModuleSetPredictor(std::string platform, SamplingRanges ranges, std::string scheme);
    ModuleSetPredictor(ModuleSetPredictor &&) noexcept = default;
    ModuleSetPredictor &operator=(ModuleSetPredictor &&) noexcept = default;

    void add(ModuleRegressor regressor); // replaces the module's regressor
    const std::string &platform() const { return m_platform; }
    const std::string &scheme() const { return m_scheme; }
    const SamplingRanges &ranges() const { return m_ranges; }
    std::vector<ModuleKind> modules() const;
    const ModuleRegressor &regressor(ModuleKind m) const; // throws naming the module when absent

    // M and U of the sample are used as given. Throws sniper::Error for a module without a
    // regressor, or (unless extrapolate) parameters outside the sampled ranges.
    double predictModule(const ModuleSample &s, bool extrapolate = false) const;

    struct NetworkPrediction {
        double latencyMs = 0;
        size_t modules = 0, outOfRange = 0;
        NetworkDecomposition decomposition;
    };
    // Sum of the modules' predictions with M and U given (the machine's state); modules whose
    // kind has no regressor are an error naming it.
    NetworkPrediction predictNetwork(const graph::Graph &g, double memoryMb, double utilization) const;

    std::vector<uint8_t> save() const;
    static ModuleSetPredictor load(const std::vector<uint8_t> &bytes); // throws sniper::Error when corrupt

private:
    std::string m_platform, m_scheme;
    SamplingRanges m_ranges;
    std::map<ModuleKind, ModuleRegressor> m_regressors;
};

} // namespace sniper::predict::modules
