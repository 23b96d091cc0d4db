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
    std::string latencyNote; // which latency of a measurement was learned (db::LatencyStatistic), for the report
};

ComparisonResult comparePredictors(const LatencyData &random, const LatencyData *real, const ComparisonOptions &o,
                                   const std::function<void(const std::string &)> &log = {});

// Writes report.md, metrics.csv, predictions.csv, real-metrics.csv, real-predictions.csv and
// figures/*.svg into `folder` (created); returns the files written.
std::vector<std::string> writeComparisonReport(const std::string &folder, const ComparisonResult &r,
                                               const std::vector<std::string> &datasets);

// Unseen platforms, few-shot (Ace-Sniper §IV-B, HELP's setting): for each target platform, train
// on the other platforms with k reference networks, add the target from its k reference
// latencies only, and predict the query networks on it.
struct FewShotRow {
    std::string platform;
    int k = 0;
    Metrics metrics; // over the target's query networks
    Metrics prior;   // HRM's general fit alone on the same networks (n = 0 for HELP embeddings)
};
struct FewShotOptions {
    std::vector<int> ks{10};
    PredictorConfig base;
    uint64_t splitSeed = 2026;
    size_t trainNetworks = 0;   // a seeded subset of the training pool (0: all of it; 10% for validation)
    std::vector<int> trainPool; // network rows to train on (empty: every network not in the query pool)
    std::vector<int> queryPool; // rows scored on the target (empty: every non-reference network)
    double queryTrim = 0;       // drop this fraction of the query pool at each end of the target's latency
};
std::vector<FewShotRow> fewShotLeaveOneOut(const LatencyData &data, const std::vector<std::string> &targets,
                                           const FewShotOptions &options,
                                           const std::function<void(const std::string &)> &log = {});

// HELP's meta-test protocol on NAS-Bench-201 (HELP's loader.py): train on cells 0-899, score
// cells 900-1899 less the 10% fastest and 10% slowest on the target. Networks are found by the
// names the latency-table import gives them (`nb201-<index>`); throws if any is missing.
void useHelpProtocol(const LatencyData &data, FewShotOptions &options);

void writeFewShotCsv(std::ostream &out, const std::vector<FewShotRow> &rows);
std::string fewShotMarkdown(const std::vector<FewShotRow> &rows);

} // namespace sniper::predict
