#pragma once

// Reads the training data of network-level latency predictors (core/predict/data.h) from the
// project database: the NNS features and median latencies of the members of named datasets.

#include "database.h"
#include "predict/data.h"

#include <string>
#include <vector>

namespace sniper::db {

struct LatencyQuery {
    std::vector<std::string> datasets;  // dataset names; members in dataset order, deduplicated
    std::string sourcePrefix;           // or: every model whose source starts with this (e.g. "nasbench201:")
    std::vector<std::string> platforms; // empty: every platform with at least one measurement of them
    int batch = 1;                      // 0: every batch, as platforms "<id>@<batch>" (batch > 1)
    std::string extractorVersion;       // empty: featureExtractorVersion()
    bool includeContended = false;      // contended measurements (no clean window) are skipped by default
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
