#pragma once

// Storing trained network-level latency predictors (SPEC §7) in the project database: the one
// place `sniper train`, `sniper evaluate` and the workbench's Training view share.

#include "database.h"
#include "predict/evaluation.h"
#include "predict/metrics.h"

#include <nlohmann/json.hpp>

#include <cstdint>
#include <string>
#include <vector>

namespace sniper::predict {
class NetworkPredictor;
}

namespace sniper::db {

// {"n", "mape", "rmse", "r2", "acc5", "acc10", "acc15", "acc20", "spearman"}.
nlohmann::json metricsJson(const predict::Metrics &m);
// The stored metrics of a predictor: the "all" and per-platform rows of `rows` keyed by subject
// ("all" for the overall row); quartile and per-network rows are left out.
nlohmann::json predictorMetricsJson(const std::vector<predict::MetricsRow> &rows);

// Inserts `p` as a "network" predictor (name: `name`, or the configuration's name when empty);
// returns its id.
int64_t storeNetworkPredictor(Database &project, const predict::NetworkPredictor &p, const std::string &name,
                              const nlohmann::json &metrics, const nlohmann::json &training);

} // namespace sniper::db
