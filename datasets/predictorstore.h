#pragma once

// Storing trained network-level latency predictors (SPEC §7) in the project database: the one
// place `sniper train`, `sniper evaluate` and the workbench's Training view share.

#include "database.h"
#include "predict/evaluation.h"
#include "predict/metrics.h"

#include <nlohmann/json.hpp>

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace sniper::predict {
class NetworkPredictor;
struct TrainingReport;
}

namespace sniper::db {

// {"n", "mape", "rmse", "r2", "acc5", "acc10", "acc15", "acc20", "spearman"}.
nlohmann::json metricsJson(const predict::Metrics &m);
// The stored metrics of a predictor: the "all" and per-platform rows of `rows` keyed by subject
// ("all" for the overall row); quartile and per-network rows are left out.
nlohmann::json predictorMetricsJson(const std::vector<predict::MetricsRow> &rows);

// Inserts `p` as a "network" predictor (name: `name`, or the configuration's name when empty);
// returns its id. The training report (epochs, per-epoch losses, seconds) joins `training` as
// "report", so a reopened predictor shows its loss curves.
int64_t storeNetworkPredictor(Database &project, const predict::NetworkPredictor &p, const std::string &name,
                              const nlohmann::json &metrics, const nlohmann::json &training);

nlohmann::json trainingReportJson(const predict::TrainingReport &r);
predict::TrainingReport trainingReportFromJson(const nlohmann::json &j);

// A stored network predictor, reopened.
struct StoredNetworkPredictor {
    int64_t id = 0;
    std::string name;
    std::shared_ptr<const predict::NetworkPredictor> predictor;
    nlohmann::json training; // datasets, platforms, split_seed, test_fraction, networks, report
    nlohmann::json metrics;  // as stored
};
// Throws sniper::Error naming the predictor when it is missing, not "network" or its weights do
// not load.
StoredNetworkPredictor loadNetworkPredictor(Database &project, int64_t id);
std::optional<int64_t> newestNetworkPredictor(Database &project);
// The project's newest network predictor applied to one model's features (featureTable() order):
// its latency on every platform it knows and whether the model is inside its training range.
// std::nullopt when the project has no network predictor. The workbench's model view shows it.
struct ModelPrediction {
    int64_t predictorId = 0;
    std::string predictorName;
    std::vector<std::pair<std::string, double>> latencyMs; // platform, ms
    std::string range;                                     // predict::rangeSummary
    bool inside = true;
};
std::optional<ModelPrediction> predictWithNewest(Database &project, const std::vector<double> &features);

// Predictions of `p` on the held-out split it was trained with (the training record's datasets,
// platforms, split seed and test fraction). Throws sniper::Error when the record lacks them or
// the datasets no longer have as many networks as at training time (the split would differ).
std::vector<predict::PredictionRow> heldOutPredictions(Database &project, const StoredNetworkPredictor &p);

} // namespace sniper::db
