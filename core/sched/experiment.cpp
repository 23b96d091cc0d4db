#include "sched/experiment.h"

#include "common/error.h"
#include "sched/policies.h"
#include "sched/rng.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <map>
#include <sstream>

namespace sniper::sched {

namespace {

// Two-sided 95% Student t quantile for k - 1 degrees of freedom.
double t95(int k)
{
    static const double table[] = { 0, 12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228, 2.201,
        2.179, 2.160, 2.145, 2.131, 2.120, 2.110, 2.101, 2.093 };
    const int df = k - 1;
    return df < 1 ? 0.0 : df < 20 ? table[df] : 1.96;
}

std::string num(double v)
{
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.6g", v);
    return buf;
}

} // namespace

Estimate estimate(const std::vector<double> &v)
{
    Estimate e;
    if (v.empty())
        return e;
    for (double x : v)
        e.mean += x;
    e.mean /= double(v.size());
    if (v.size() > 1) {
        double var = 0;
        for (double x : v)
            var += (x - e.mean) * (x - e.mean);
        var /= double(v.size() - 1);
        e.ci95 = t95(int(v.size())) * std::sqrt(var / double(v.size()));
    }
    return e;
}

std::vector<SweepRow> runSweep(const Cluster &cluster, const LatencyTable &table, const Predictor &predictor,
    const SweepConfig &c, const std::function<void(int, int)> &progress)
{
    if (c.seeds < 1)
        throw Error("at least one seed is needed", "sweep");
    std::vector<std::unique_ptr<Policy>> policies;
    for (const auto &name : c.policies)
        policies.push_back(makePolicy(name));
    for (double r : c.rates)
        if (!(r >= 0) || !std::isfinite(r))
            throw Error("rates must be >= 0, got " + num(r), "sweep");
    std::vector<SweepRow> rows;
    const int total = int(c.rates.size() * c.newProbs.size()) * c.seeds;
    int done = 0;
    for (size_t pi = 0; pi < c.newProbs.size(); ++pi)
        for (size_t ri = 0; ri < c.rates.size(); ++ri) {
            std::vector<std::vector<double>> tps(policies.size()), awt(policies.size()), load(policies.size()),
                miss(policies.size()), p95(policies.size());
            for (int s = 0; s < c.seeds; ++s) {
                WorkloadConfig wc = c.workload;
                wc.rate = c.rates[ri];
                wc.newProb = c.newProbs[pi];
                const uint64_t seed = mixSeed(mixSeed(mixSeed(c.seed, pi), ri), uint64_t(s));
                const Workload work = generateWorkload(cluster, table, wc, seed);
                for (size_t k = 0; k < policies.size(); ++k) {
                    const EventLog log = simulate(cluster, table, work, *policies[k], predictor);
                    const Metrics m = computeMetrics(log, work, int(cluster.size()));
                    tps[k].push_back(m.tps);
                    awt[k].push_back(m.awt);
                    load[k].push_back(m.loadStd);
                    miss[k].push_back(m.missRate);
                    p95[k].push_back(m.p95);
                }
                if (progress)
                    progress(++done, total);
            }
            for (size_t k = 0; k < policies.size(); ++k)
                rows.push_back({ c.policies[k], c.rates[ri], c.newProbs[pi], c.seeds, estimate(tps[k]),
                    estimate(awt[k]), estimate(load[k]), estimate(miss[k]), estimate(p95[k]) });
        }
    return rows;
}

void writeSweepCsv(std::ostream &out, const std::vector<SweepRow> &rows)
{
    out << "policy,rate,new_prob,seeds,tps,tps_ci95,awt_s,awt_ci95,load_std,load_std_ci95,miss_rate,miss_rate_ci95,"
           "p95_s,p95_ci95\n";
    for (const auto &r : rows)
        out << r.policy << ',' << num(r.rate) << ',' << num(r.newProb) << ',' << r.seeds << ',' << num(r.tps.mean)
            << ',' << num(r.tps.ci95) << ',' << num(r.awt.mean) << ',' << num(r.awt.ci95) << ',' << num(r.loadStd.mean)
            << ',' << num(r.loadStd.ci95) << ',' << num(r.missRate.mean) << ',' << num(r.missRate.ci95) << ','
            << num(r.p95.mean) << ',' << num(r.p95.ci95) << '\n';
}

std::string sweepSvg(const std::vector<SweepRow> &rows, SweepMetric metric, double fixedValue, bool overP)
{
    auto value = [metric](const SweepRow &r) -> const Estimate & {
        switch (metric) {
        case SweepMetric::Tps:
            return r.tps;
        case SweepMetric::LoadStd:
            return r.loadStd;
        case SweepMetric::MissRate:
            return r.missRate;
        case SweepMetric::P95:
            return r.p95;
        case SweepMetric::Awt:
            break;
        }
        return r.awt;
    };
    const char *label = metric == SweepMetric::Tps ? "TPS (tasks/s)"
        : metric == SweepMetric::LoadStd           ? "std of node load"
        : metric == SweepMetric::MissRate          ? "deadline-miss rate"
        : metric == SweepMetric::P95               ? "p95 response (s)"
                                                   : "AWT (s)";
    std::map<std::string, std::vector<std::pair<double, Estimate>>> series;
    std::vector<std::string> order;
    for (const auto &r : rows) {
        if (std::abs((overP ? r.rate : r.newProb) - fixedValue) > 1e-9)
            continue;
        if (!series.count(r.policy))
            order.push_back(r.policy);
        series[r.policy].push_back({ overP ? r.newProb : r.rate, value(r) });
    }
    double x0 = 1e300, x1 = -1e300, y1 = 0;
    for (auto &[name, pts] : series)
        for (auto &[x, e] : pts) {
            x0 = std::min(x0, x);
            x1 = std::max(x1, x);
            y1 = std::max(y1, e.mean + e.ci95);
        }
    if (x1 <= x0)
        x1 = x0 + 1;
    if (y1 <= 0)
        y1 = 1;
    const double decade = std::pow(10.0, std::floor(std::log10(y1))); // a round top for the y axis
    for (double m : { 1.0, 2.0, 2.5, 5.0, 10.0 })
        if (m * decade >= y1 * (1 - 1e-12)) {
            y1 = m * decade;
            break;
        }
    const double W = 480, H = 320, L = 60, R = 110, T = 20, B = 45;
    auto px = [&](double x) { return L + (x - x0) / (x1 - x0) * (W - L - R); };
    auto py = [&](double y) { return H - B - y / y1 * (H - T - B); };
    std::ostringstream s;
    s << "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"" << W << "\" height=\"" << H
      << "\" font-family=\"Times New Roman, serif\" font-size=\"12\">\n<rect width=\"100%\" height=\"100%\" "
         "fill=\"white\"/>\n";
    s << "<line x1=\"" << L << "\" y1=\"" << H - B << "\" x2=\"" << W - R << "\" y2=\"" << H - B
      << "\" stroke=\"black\"/>\n<line x1=\"" << L << "\" y1=\"" << T << "\" x2=\"" << L << "\" y2=\"" << H - B
      << "\" stroke=\"black\"/>\n";
    for (int i = 0; i <= 4; ++i) {
        const double xv = x0 + (x1 - x0) * i / 4, yv = y1 * i / 4;
        s << "<text x=\"" << px(xv) << "\" y=\"" << H - B + 15 << "\" text-anchor=\"middle\">" << num(xv)
          << "</text>\n";
        s << "<text x=\"" << L - 5 << "\" y=\"" << py(yv) + 4 << "\" text-anchor=\"end\">" << num(yv) << "</text>\n";
    }
    s << "<text x=\"" << (L + W - R) / 2 << "\" y=\"" << H - 8 << "\" text-anchor=\"middle\">"
      << (overP ? "new-network probability p" : "T (tasks/s)") << "</text>\n";
    s << "<text transform=\"translate(14," << (T + H - B) / 2 << ") rotate(-90)\" text-anchor=\"middle\">" << label
      << "</text>\n";
    static const char *dash[] = { "", "6,3", "2,2", "8,3,2,3", "1,4" };
    static const char *gray[] = { "#000000", "#404040", "#707070", "#202020", "#909090" };
    for (size_t k = 0; k < order.size(); ++k) {
        const auto &pts = series[order[k]];
        const char *color = gray[k % 5];
        s << "<polyline fill=\"none\" stroke=\"" << color << "\" stroke-dasharray=\"" << dash[k % 5] << "\" points=\"";
        for (auto &[x, e] : pts)
            s << px(x) << ',' << py(e.mean) << ' ';
        s << "\"/>\n";
        for (auto &[x, e] : pts) {
            const double cx = px(x), cy = py(e.mean);
            if (e.ci95 > 0)
                s << "<line x1=\"" << cx << "\" y1=\"" << py(e.mean - e.ci95) << "\" x2=\"" << cx << "\" y2=\""
                  << py(e.mean + e.ci95) << "\" stroke=\"" << color << "\"/>\n";
            switch (k % 5) { // markers: circle, square, triangle, diamond, cross
            case 0:
                s << "<circle cx=\"" << cx << "\" cy=\"" << cy << "\" r=\"3\" fill=\"white\" stroke=\"black\"/>\n";
                break;
            case 1:
                s << "<rect x=\"" << cx - 3 << "\" y=\"" << cy - 3 << "\" width=\"6\" height=\"6\" fill=\"black\"/>\n";
                break;
            case 2:
                s << "<path d=\"M" << cx << ',' << cy - 4 << " l4,7 h-8 z\" fill=\"white\" stroke=\"black\"/>\n";
                break;
            case 3:
                s << "<path d=\"M" << cx << ',' << cy - 4 << " l4,4 l-4,4 l-4,-4 z\" fill=\"black\"/>\n";
                break;
            default:
                s << "<path d=\"M" << cx - 3 << ',' << cy - 3 << " l6,6 m-6,0 l6,-6\" stroke=\"black\"/>\n";
                break;
            }
        }
        const double ly = T + 15 + 18 * double(k);
        s << "<line x1=\"" << W - R + 10 << "\" y1=\"" << ly << "\" x2=\"" << W - R + 35 << "\" y2=\"" << ly
          << "\" stroke=\"" << color << "\" stroke-dasharray=\"" << dash[k % 5] << "\"/>\n<text x=\"" << W - R + 40
          << "\" y=\"" << ly + 4 << "\">" << order[k] << "</text>\n";
    }
    s << "</svg>\n";
    return s.str();
}

} // namespace sniper::sched
