#pragma once

// Reads the training data of network-level latency predictors (core/predict/data.h) from the
// project database: the NNS features and latencies of the members of named datasets.

#include "database.h"
#include "predict/data.h"

#include <nlohmann/json_fwd.hpp>

#include <string>
#include <string_view>
#include <vector>

namespace sniper::db {

// Which statistic of a measurement's timed runs is the network's latency (docs/predictors.md,
// "Which latency"). Fastest: the fastest timed run (min_ms), the default: on a shared or throttling
// platform it is the one that repeats (interference only ever adds time). Median: median_ms, as
// predictors trained before this choice existed used. A measurement without min_ms falls back to
// its median.
enum class LatencyStatistic { Fastest, Median };
const char *latencyStatisticName(LatencyStatistic s);       // "fastest", "median"
LatencyStatistic parseLatencyStatistic(std::string_view s); // throws sniper::Error naming the choices
// The statistic a stored training record was trained on: its "statistic" field, or Median for a
// record written before the field existed. Throws sniper::Error for an unknown value.
LatencyStatistic trainingStatistic(const nlohmann::json &training);

struct LatencyQuery {
    std::vector<std::string> datasets;  // dataset names; members in dataset order, deduplicated
    std::string sourcePrefix;           // or: every model whose source starts with this (e.g. "nasbench201:")
    std::vector<std::string> platforms; // empty: every platform with at least one measurement of them
    int batch = 1;                      // 0: every batch, as platforms "<id>@<batch>" (batch > 1)
    std::string extractorVersion;       // empty: featureExtractorVersion()
    bool includeContended = false;      // contended measurements (no clean window) are skipped by default
    LatencyStatistic statistic = LatencyStatistic::Fastest;
};

struct LatencyLoad {
    predict::LatencyData data;
    size_t withoutFeatures = 0;    // members skipped: no feature vector of that extractor version
    size_t withoutMeasurement = 0; // members skipped: measured on none of the platforms
    size_t contendedSkipped = 0;   // measurements skipped because they are flagged contended
};

// Throws sniper::Error for an unknown dataset or platform, or when nothing usable is left.
LatencyLoad loadLatencyData(Database &db, const LatencyQuery &query);

// `sniper generate --report`: how well dataset `generated` covers dataset `reference` (the zoo),
// feature by feature, plus ms per GFLOP on every platform where both have clean measurements
// (features::coverage; docs/generator.md). Markdown. Throws sniper::Error for an unknown
// dataset or one whose members have no features.
std::string coverageReport(Database &db, const std::string &generated, const std::string &reference);

} // namespace sniper::db
