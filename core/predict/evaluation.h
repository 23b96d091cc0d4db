#pragma once

// Evaluation of latency predictors (SPEC §7, Ace-Sniper §V-B): predictions on held-out
// networks, metrics per predictor / platform / latency quartile / network, and the paper-style
// figures (Fig. 9 accuracy bars, Fig. 10 predicted vs measured) as SVG.

#include "predict/data.h"
#include "predict/metrics.h"

#include <iosfwd>
#include <string>
#include <vector>

namespace sniper::predict {

class NetworkPredictor;

struct PredictionRow {
    std::string predictor, network, platform;
    double measuredMs = 0, predictedMs = 0;
};

struct MetricsRow {
    std::string predictor;
    std::string scope;    // "all", "platform", "quartile", "network"
    std::string subject;  // "" (all), a platform, "<platform> Q1".."Q4", or a network name
    Metrics metrics;
};

// Predictions of `p` for every measured (row, platform) pair of `rows` on the platforms the
// predictor knows (others are skipped).
std::vector<PredictionRow> predictRows(const NetworkPredictor &p, const LatencyData &data, const std::vector<int> &rows,
                                       const std::string &label);

// Per predictor: over all samples, per platform, per platform latency quartile (Table VI style)
// and, when `perNetwork`, per network across platforms (Table V style).
std::vector<MetricsRow> summarize(const std::vector<PredictionRow> &rows, bool perNetwork = false);

void writePredictionsCsv(std::ostream &out, const std::vector<PredictionRow> &rows);
void writeMetricsCsv(std::ostream &out, const std::vector<MetricsRow> &rows);
// A Markdown table of the rows with the given scope (all rows when scope is empty).
std::string metricsMarkdown(const std::vector<MetricsRow> &rows, const std::string &scope);

// Fig. 9: ±5/±10/±15% accuracy bars, one group per threshold, one bar per predictor ("all" rows).
std::string accuracyBarsSvg(const std::vector<MetricsRow> &rows, const std::string &title);
// Fig. 10: predicted vs measured latency, log-log, one marker shape per platform, y = x and ±15% lines.
std::string predictedVsMeasuredSvg(const std::vector<PredictionRow> &rows, const std::string &predictor,
                                   const std::string &title);

} // namespace sniper::predict
