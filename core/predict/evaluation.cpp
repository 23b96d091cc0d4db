#include "predict/evaluation.h"

#include "common/error.h"
#include "common/svg.h"
#include "predict/predictor.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <ostream>
#include <set>
#include <sstream>

namespace sniper::predict {

using svg::escape;
using svg::num;
using svg::tick;

std::vector<PredictionRow> predictRows(const NetworkPredictor &p, const LatencyData &data, const std::vector<int> &rows,
                                       const std::string &label)
{
    std::vector<PredictionRow> out;
    for (size_t k = 0; k < data.platformCount(); ++k) {
        if (!p.hasPlatform(data.platforms[k]))
            continue;
        std::vector<int> measured;
        std::vector<std::vector<double>> features;
        for (int n : rows)
            if (data.measured(size_t(n), k)) {
                measured.push_back(n);
                features.push_back(data.features[size_t(n)]);
            }
        const auto y = p.predict(features, data.platforms[k]);
        for (size_t i = 0; i < measured.size(); ++i)
            out.push_back({label, data.networks[size_t(measured[i])], data.platforms[k],
                           data.latency(size_t(measured[i]), k), y[i]});
    }
    return out;
}

namespace {

Metrics metricsOf(const std::vector<const PredictionRow *> &rows)
{
    std::vector<double> p, m;
    for (const auto *r : rows) {
        p.push_back(r->predictedMs);
        m.push_back(r->measuredMs);
    }
    return computeMetrics(p, m);
}

} // namespace

std::vector<MetricsRow> summarize(const std::vector<PredictionRow> &rows, bool perNetwork)
{
    std::vector<std::string> predictors;
    for (const auto &r : rows)
        if (std::find(predictors.begin(), predictors.end(), r.predictor) == predictors.end())
            predictors.push_back(r.predictor);
    std::vector<MetricsRow> out;
    for (const auto &name : predictors) {
        std::vector<const PredictionRow *> all;
        std::map<std::string, std::vector<const PredictionRow *>> byPlatform, byNetwork;
        for (const auto &r : rows)
            if (r.predictor == name) {
                all.push_back(&r);
                byPlatform[r.platform].push_back(&r);
                byNetwork[r.network].push_back(&r);
            }
        out.push_back({name, "all", "", metricsOf(all)});
        for (const auto &[platform, list] : byPlatform)
            out.push_back({name, "platform", platform, metricsOf(list)});
        for (auto [platform, list] : byPlatform) { // quartiles of the measured latency
            std::sort(list.begin(), list.end(),
                      [](const auto *a, const auto *b) { return a->measuredMs < b->measuredMs; });
            for (size_t q = 0; q < 4; ++q) {
                const size_t lo = list.size() * q / 4, hi = list.size() * (q + 1) / 4;
                if (hi > lo)
                    out.push_back({name, "quartile", platform + " Q" + std::to_string(q + 1),
                                   metricsOf({list.begin() + long(lo), list.begin() + long(hi)})});
            }
        }
        if (perNetwork)
            for (const auto &[network, list] : byNetwork)
                out.push_back({name, "network", network, metricsOf(list)});
    }
    return out;
}

void writePredictionsCsv(std::ostream &out, const std::vector<PredictionRow> &rows)
{
    out << "predictor,network,platform,measured_ms,predicted_ms,relative_error\n";
    for (const auto &r : rows)
        out << '"' << r.predictor << "\"," << r.network << ',' << r.platform << ',' << r.measuredMs << ','
            << r.predictedMs << ',' << (r.predictedMs - r.measuredMs) / r.measuredMs << '\n';
}

void writeMetricsCsv(std::ostream &out, const std::vector<MetricsRow> &rows)
{
    out << "predictor,scope,subject";
    for (const auto &n : metricNames())
        out << ',' << n;
    out << '\n';
    for (const auto &r : rows) {
        out << '"' << r.predictor << "\"," << r.scope << ",\"" << r.subject << '"';
        for (double v : metricValues(r.metrics))
            out << ',' << v;
        out << '\n';
    }
}

std::string metricsMarkdown(const std::vector<MetricsRow> &rows, const std::string &scope)
{
    std::ostringstream o;
    o << "| Predictor | " << (scope == "all" ? "" : "Subject | ")
      << "n | MAPE % | RMSE ms | R² | ±5% | ±10% | ±15% | ±20% | Spearman ρ |\n|---|"
      << (scope == "all" ? "" : "---|") << "---:|---:|---:|---:|---:|---:|---:|---:|---:|\n";
    char buf[256];
    for (const auto &r : rows) {
        if (!scope.empty() && r.scope != scope)
            continue;
        const Metrics &m = r.metrics;
        std::snprintf(buf, sizeof buf, "%zu | %.2f | %.3g | %.3f | %.1f | %.1f | %.1f | %.1f | %.3f |", m.n, m.mape,
                      m.rmse, m.r2, m.acc5, m.acc10, m.acc15, m.acc20, m.spearman);
        o << "| " << r.predictor << " | " << (scope == "all" ? "" : r.subject + " | ") << buf << '\n';
    }
    return o.str();
}

namespace {

const char *kFills[] = {"#ffffff", "#d9d9d9", "#bdbdbd", "#969696", "#737373", "#525252", "#252525", "#000000"};
const char *kHatch[] = {"", "", "url(#hatch)", "", "url(#hatch)", "", "url(#hatch)", ""};

std::string header(double w, double h)
{
    std::ostringstream o;
    o << "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"" << w << "\" height=\"" << h << "\" viewBox=\"0 0 " << w
      << ' ' << h << "\" font-family=\"Times New Roman, serif\" font-size=\"11\">\n"
      << "<defs><pattern id=\"hatch\" width=\"4\" height=\"4\" patternUnits=\"userSpaceOnUse\">"
         "<path d=\"M0,4 L4,0\" stroke=\"black\" stroke-width=\"0.6\"/></pattern></defs>\n"
      << "<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n";
    return o.str();
}

} // namespace

std::string accuracyBarsSvg(const std::vector<MetricsRow> &rows, const std::string &title)
{
    std::vector<const MetricsRow *> all;
    for (const auto &r : rows)
        if (r.scope == "all")
            all.push_back(&r);
    const std::vector<std::string> groups{"±5%", "±10%", "±15%"};
    const double W = 520, left = 48, right = 10, top = 30, plotH = 180, legendRow = 14;
    const double legendH = legendRow * double((all.size() + 1) / 2) + 8, H = top + plotH + 24 + legendH;
    const double plotW = W - left - right, groupW = plotW / double(groups.size());
    const double barW = groupW * 0.84 / double(std::max<size_t>(all.size(), 1));
    std::ostringstream o;
    o << header(W, H) << "<text x=\"" << W / 2 << "\" y=\"16\" text-anchor=\"middle\">" << escape(title) << "</text>\n";
    for (int t = 0; t <= 5; ++t) {
        const double y = top + plotH - plotH * t / 5;
        o << "<line x1=\"" << left << "\" y1=\"" << num(y) << "\" x2=\"" << W - right << "\" y2=\"" << num(y)
          << "\" stroke=\"#e0e0e0\" stroke-width=\"0.5\"/><text x=\"" << left - 4 << "\" y=\"" << num(y + 4)
          << "\" text-anchor=\"end\">" << t * 20 << "</text>\n";
    }
    for (size_t g = 0; g < groups.size(); ++g) {
        for (size_t i = 0; i < all.size(); ++i) {
            const Metrics &m = all[i]->metrics;
            const double v = g == 0 ? m.acc5 : g == 1 ? m.acc10 : m.acc15;
            const double h = v / 100 * plotH, x = left + double(g) * groupW + groupW * 0.08 + double(i) * barW;
            for (const char *fill : {kFills[i % 8], kHatch[i % 8]})
                if (*fill)
                    o << "<rect x=\"" << num(x) << "\" y=\"" << num(top + plotH - h) << "\" width=\"" << num(barW)
                      << "\" height=\"" << num(h) << "\" fill=\"" << fill << "\" stroke=\"black\" stroke-width=\"0.5\"/>\n";
        }
        o << "<text x=\"" << num(left + (double(g) + 0.5) * groupW) << "\" y=\"" << top + plotH + 15
          << "\" text-anchor=\"middle\">" << groups[g] << " accuracy</text>\n";
    }
    o << "<line x1=\"" << left << "\" y1=\"" << top + plotH << "\" x2=\"" << W - right << "\" y2=\"" << top + plotH
      << "\" stroke=\"black\"/><line x1=\"" << left << "\" y1=\"" << top << "\" x2=\"" << left << "\" y2=\""
      << top + plotH << "\" stroke=\"black\"/>\n<text transform=\"translate(14," << top + plotH / 2
      << ") rotate(-90)\" text-anchor=\"middle\">Samples within the bound (%)</text>\n";
    for (size_t i = 0; i < all.size(); ++i) {
        const double x = left + double(i % 2) * (plotW / 2), y = top + plotH + 28 + legendRow * double(i / 2);
        for (const char *fill : {kFills[i % 8], kHatch[i % 8]})
            if (*fill)
                o << "<rect x=\"" << num(x) << "\" y=\"" << num(y) << "\" width=\"10\" height=\"10\" fill=\"" << fill
                  << "\" stroke=\"black\" stroke-width=\"0.5\"/>";
        o << "<text x=\"" << num(x + 14) << "\" y=\"" << num(y + 9) << "\">" << escape(all[i]->predictor) << "</text>\n";
    }
    o << "</svg>\n";
    return o.str();
}

std::string predictedVsMeasuredSvg(const std::vector<PredictionRow> &rows, const std::string &predictor,
                                   const std::string &title)
{
    std::vector<const PredictionRow *> mine;
    std::vector<std::string> platforms;
    double lo = INFINITY, hi = 0;
    for (const auto &r : rows)
        if (r.predictor == predictor && r.measuredMs > 0 && r.predictedMs > 0) {
            mine.push_back(&r);
            if (std::find(platforms.begin(), platforms.end(), r.platform) == platforms.end())
                platforms.push_back(r.platform);
            lo = std::min({lo, r.measuredMs, r.predictedMs});
            hi = std::max({hi, r.measuredMs, r.predictedMs});
        }
    if (mine.empty())
        throw Error("no predictions of '" + predictor + "' to plot", "figure");
    const double l0 = std::floor(std::log10(lo)), l1 = std::max(std::ceil(std::log10(hi)), l0 + 1);
    const double W = 340, H = 330, left = 52, top = 28, size = 250;
    auto px = [&](double v) { return left + (std::log10(v) - l0) / (l1 - l0) * size; };
    auto py = [&](double v) { return top + size - (std::log10(v) - l0) / (l1 - l0) * size; };
    std::ostringstream o;
    o << header(W, H) << "<text x=\"" << W / 2 << "\" y=\"16\" text-anchor=\"middle\">" << escape(title) << "</text>\n";
    o << "<rect x=\"" << left << "\" y=\"" << top << "\" width=\"" << size << "\" height=\"" << size
      << "\" fill=\"none\" stroke=\"black\"/>\n";
    for (double e = l0; e <= l1; ++e) {
        const double v = std::pow(10.0, e);
        o << "<text x=\"" << num(px(v)) << "\" y=\"" << top + size + 14 << "\" text-anchor=\"middle\">" << tick(v)
          << "</text><text x=\"" << left - 4 << "\" y=\"" << num(py(v) + 4) << "\" text-anchor=\"end\">" << tick(v)
          << "</text>\n";
    }
    const double a = std::pow(10.0, l0), b = std::pow(10.0, l1);
    o << "<line x1=\"" << num(px(a)) << "\" y1=\"" << num(py(a)) << "\" x2=\"" << num(px(b)) << "\" y2=\"" << num(py(b))
      << "\" stroke=\"black\" stroke-width=\"0.8\"/>\n";
    for (double f : {0.85, 1.15})
        o << "<line x1=\"" << num(px(a)) << "\" y1=\"" << num(py(a * f)) << "\" x2=\"" << num(px(b)) << "\" y2=\""
          << num(py(b * f)) << "\" stroke=\"black\" stroke-width=\"0.6\" stroke-dasharray=\"4,3\"/>\n";
    o << "<defs><clipPath id=\"plot\"><rect x=\"" << left << "\" y=\"" << top << "\" width=\"" << size
      << "\" height=\"" << size << "\"/></clipPath></defs>\n<g clip-path=\"url(#plot)\">\n";
    for (const auto *r : mine) {
        const size_t k = size_t(std::find(platforms.begin(), platforms.end(), r->platform) - platforms.begin());
        const double x = px(r->measuredMs), y = py(r->predictedMs);
        switch (k % 4) {
        case 0: o << "<circle cx=\"" << num(x) << "\" cy=\"" << num(y) << "\" r=\"2\" fill=\"none\" stroke=\"black\" stroke-width=\"0.5\"/>\n"; break;
        case 1: o << "<rect x=\"" << num(x - 2) << "\" y=\"" << num(y - 2) << "\" width=\"4\" height=\"4\" fill=\"#737373\"/>\n"; break;
        case 2: o << "<path d=\"M" << num(x) << ',' << num(y - 2.5) << " l2.2,4.2 h-4.4 z\" fill=\"none\" stroke=\"black\" stroke-width=\"0.5\"/>\n"; break;
        default: o << "<path d=\"M" << num(x - 2) << ',' << num(y - 2) << " l4,4 M" << num(x - 2) << ',' << num(y + 2) << " l4,-4\" stroke=\"black\" stroke-width=\"0.6\"/>\n"; break;
        }
    }
    o << "</g>\n";
    for (size_t k = 0; k < platforms.size(); ++k) {
        const double x = left + 6, y = top + 12 + 13 * double(k);
        o << "<text x=\"" << num(x + 8) << "\" y=\"" << num(y + 4) << "\">" << (k % 4 == 0 ? "○" : k % 4 == 1 ? "■" : k % 4 == 2 ? "△" : "×")
          << ' ' << escape(platforms[k]) << "</text>\n";
    }
    o << "<text x=\"" << left + size / 2 << "\" y=\"" << H - 20 << "\" text-anchor=\"middle\">Measured latency (ms)</text>\n"
      << "<text transform=\"translate(14," << top + size / 2 << ") rotate(-90)\" text-anchor=\"middle\">Predicted latency (ms)</text>\n"
      << "<text x=\"" << left + size << "\" y=\"" << H - 6 << "\" text-anchor=\"end\" font-size=\"9\">dashed: ±15%</text>\n</svg>\n";
    return o.str();
}

} // namespace sniper::predict
