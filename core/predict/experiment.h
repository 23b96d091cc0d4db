#pragma once

// The predictor comparison of Ace-Sniper §V-B (Fig. 9, Tables V-VI) as one library call:
// train each configuration on the same seeded split, predict the held-out random networks and
// optionally real networks, and write a report folder (Markdown, CSV, SVG figures).

#include "predict/data.h"
#include "predict/evaluation.h"
#include "predict/predictor.h"

#include <functional>
#include <iosfwd>
#include <string>
#include <vector>

namespace sniper::predict {

// FLOPs+HELP, FLOPs&AMC+HELP, NNS+HELP (Sniper), FLOPs+HRM, FLOPs&AMC+HRM, NNS+HRM (Ace-Sniper),
// all with PCN, plus XGBoost on NNS+HRM; each a copy of `base` with the representation changed.
std::vector<PredictorConfig> paperPredictors(const PredictorConfig &base);

struct ComparisonOptions {
    PredictorConfig base;
    std::vector<PredictorConfig> configs; // empty: paperPredictors(base)
    uint64_t splitSeed = 2026;
    double validationFraction = 0.1, testFraction = 0.2;
};

struct ComparisonResult {
    std::vector<std::string> platforms;
    size_t networks = 0;
    Split split;
    std::vector<NetworkPredictor> predictors;
    std::vector<PredictionRow> test, real;  // held-out random networks; real networks (all of them)
    std::vector<MetricsRow> metrics, realMetrics;
};

ComparisonResult comparePredictors(const LatencyData &random, const LatencyData *real, const ComparisonOptions &o,
                                   const std::function<void(const std::string &)> &log = {});

// Writes report.md, metrics.csv, predictions.csv, real-metrics.csv, real-predictions.csv and
// figures/*.svg into `folder` (created); returns the files written.
std::vector<std::string> writeComparisonReport(const std::string &folder, const ComparisonResult &r,
                                               const std::vector<std::string> &datasets);

// Unseen platforms, few-shot (Ace-Sniper §IV-B, HELP's setting): for each target platform, train
// on the other platforms with k reference networks, add the target from its k reference
// latencies only, and predict every other network on it.
struct FewShotRow {
    std::string platform;
    int k = 0;
    Metrics metrics; // over the target's non-reference networks
};
// `trainNetworks` caps the training networks (0: all, 10% of them for validation).
std::vector<FewShotRow> fewShotLeaveOneOut(const LatencyData &data, const std::vector<std::string> &targets,
                                           const std::vector<int> &ks, const PredictorConfig &base,
                                           uint64_t splitSeed, size_t trainNetworks = 0,
                                           const std::function<void(const std::string &)> &log = {});
void writeFewShotCsv(std::ostream &out, const std::vector<FewShotRow> &rows);
std::string fewShotMarkdown(const std::vector<FewShotRow> &rows);

} // namespace sniper::predict
