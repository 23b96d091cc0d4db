#include "sched/workload.h"

#include "common/error.h"
#include "sched/rng.h"

#include <algorithm>
#include <charconv>
#include <cmath>

namespace sniper::sched {

namespace {

std::string_view trim(std::string_view s)
{
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t'))
        s.remove_prefix(1);
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r'))
        s.remove_suffix(1);
    return s;
}

bool parseDouble(std::string_view s, double &v)
{
    auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
    return ec == std::errc() && p == s.data() + s.size();
}

} // namespace

Trace parseTraceCsv(std::istream &in, const LatencyTable &table, const std::string &where)
{
    Trace t;
    std::string line;
    int lineNo = 0;
    bool any = false;
    while (std::getline(in, line)) {
        ++lineNo;
        std::string_view s = trim(line);
        if (s.empty() || s.front() == '#')
            continue;
        const size_t comma = s.find(',');
        std::string_view first = trim(s.substr(0, comma));
        double time = 0;
        if (!parseDouble(first, time)) {
            if (!any && t.arrival.empty() && lineNo == 1 && !first.empty() && std::isalpha(uint8_t(first.front()))) {
                any = true; // a header
                continue;
            }
            throw Error(
                "line " + std::to_string(lineNo) + ": '" + std::string(first) + "' is not a time in seconds", where);
        }
        any = true;
        if (!std::isfinite(time) || time < 0)
            throw Error("line " + std::to_string(lineNo) + ": the time must be finite and >= 0", where);
        if (!t.arrival.empty() && time < t.arrival.back())
            throw Error("line " + std::to_string(lineNo) + ": times must not decrease", where);
        int model = -1;
        if (comma != std::string_view::npos) {
            std::string_view m = trim(s.substr(comma + 1));
            if (m.find(',') != std::string_view::npos)
                throw Error("line " + std::to_string(lineNo) + ": expected 'time[,model]'", where);
            int64_t id = 0;
            auto [p, ec] = std::from_chars(m.data(), m.data() + m.size(), id);
            if (ec == std::errc() && p == m.data() + m.size())
                model = table.modelIndex(id);
            else
                for (int i = 0; i < table.modelCount(); ++i)
                    if (table.modelName(i) == m)
                        model = i;
            if (model < 0)
                throw Error("line " + std::to_string(lineNo) + ": unknown model '" + std::string(m) + "'", where);
        }
        t.arrival.push_back(time);
        t.model.push_back(model);
    }
    if (t.arrival.empty())
        throw Error("the trace has no arrivals", where);
    return t;
}

Workload generateWorkload(const Cluster &cluster, const LatencyTable &table, const WorkloadConfig &c, uint64_t seed)
{
    if (cluster.empty())
        throw Error("the cluster is empty", "workload");
    if (!(c.rate >= 0) || !std::isfinite(c.rate))
        throw Error("the arrival rate must be >= 0, got " + std::to_string(c.rate), "workload");
    if (!(c.duration >= 0) || !std::isfinite(c.duration))
        throw Error("the duration must be >= 0", "workload");
    if (!(c.newProb >= 0 && c.newProb <= 1))
        throw Error("the new-network probability p must be in [0, 1]", "workload");
    if (c.dataMin < 1 || c.dataMax < c.dataMin)
        throw Error("data D must satisfy 1 <= min <= max", "workload");
    if (table.modelCount() == 0)
        throw Error("the latency table has no models", "workload");

    // Per model: which cluster platforms run it, and its fastest latency (for Tm).
    std::vector<int> nodePlatform;
    for (const Node &n : cluster)
        nodePlatform.push_back(table.platformIndex(n.platform));
    std::vector<double> fastest(size_t(table.modelCount()), kUnknown);
    std::vector<double> fastestTransfer(size_t(table.modelCount()), 0);
    for (int m = 0; m < table.modelCount(); ++m)
        for (size_t j = 0; j < cluster.size(); ++j) {
            const int p = nodePlatform[j];
            if (p < 0 || !table.runs(m, p))
                continue;
            const double bw = cluster[j].bandwidthMBps;
            const double tx = bw > 0 ? (c.inputBytes + c.outputBytes) / (bw * 1e6) : 0.0;
            const double t = table.at(m, p) / 1000.0 + tx;
            if (!(fastest[size_t(m)] <= t)) {
                fastest[size_t(m)] = t;
                fastestTransfer[size_t(m)] = tx;
            }
        }
    auto unrunnable = [&](int m) {
        return Error("no node of the cluster can run model '" + table.modelName(m) + "' (id "
                + std::to_string(table.modelId(m)) + ")",
            "workload");
    };

    // Model choice: cumulative weights over models.
    std::vector<double> cumulative;
    double total = 0;
    for (int m = 0; m < table.modelCount(); ++m) {
        double w = c.modelWeights.empty() ? (std::isnan(fastest[size_t(m)]) ? 0.0 : 1.0) : c.modelWeights[size_t(m)];
        if (w > 0 && std::isnan(fastest[size_t(m)]))
            throw unrunnable(m);
        total += std::max(0.0, w);
        cumulative.push_back(total);
    }
    if (!c.trace && total <= 0)
        throw Error("no model of the latency table runs on any node of the cluster", "workload");

    Rng rng(seed);
    Workload w;
    w.inputBytes = c.inputBytes;
    w.outputBytes = c.outputBytes;
    double expectedTasks = c.trace ? double(c.trace->arrival.size()) : c.rate * c.duration * 1.05 + 16;
    if (c.maxTasks >= 0)
        expectedTasks = std::min(expectedTasks, double(c.maxTasks));
    const size_t expected = size_t(std::min(expectedTasks, 1e8));
    for (auto *v : { &w.arrival, &w.deadline, &w.factor, &w.jitter })
        v->reserve(expected);
    w.model.reserve(expected);
    w.modelId.reserve(expected);
    w.data.reserve(expected);
    w.variant.reserve(expected);
    int64_t variants = 0;
    double t = 0;
    for (size_t i = 0;; ++i) {
        if (c.maxTasks >= 0 && int64_t(i) >= c.maxTasks)
            break;
        int m = -1;
        if (c.trace) {
            if (i >= c.trace->arrival.size())
                break;
            t = c.trace->arrival[i];
            m = c.trace->model[i];
            if (m >= 0 && std::isnan(fastest[size_t(m)]))
                throw unrunnable(m);
        } else {
            if (c.rate <= 0)
                break;
            t += rng.exponential(1.0 / c.rate);
            if (t > c.duration)
                break;
        }
        if (m < 0 && cumulative.size() == 1) {
            m = 0; // one model: no draw
        } else if (m < 0) {
            if (total <= 0)
                throw Error("no model of the latency table runs on any node of the cluster", "workload");
            const double u = rng.uniform() * total;
            m = int(std::upper_bound(cumulative.begin(), cumulative.end(), u) - cumulative.begin());
            m = std::min(m, table.modelCount() - 1);
        }
        const int d
            = c.dataMax == c.dataMin ? c.dataMin : c.dataMin + int(rng.below(uint64_t(c.dataMax - c.dataMin + 1)));
        const bool fresh = c.newProb > 0 && rng.uniform() < c.newProb;
        const double factor = fresh ? std::exp(c.variantSigma * rng.normal()) : 1.0;
        const double jitter = c.service == ServiceDistribution::Exponential ? rng.exponential(1.0) : 1.0;
        const double tm = c.deadlineMs > 0 ? c.deadlineMs / 1000.0
                                           : c.deadlineSlack
                * (d * (fastest[size_t(m)] - fastestTransfer[size_t(m)]) * factor + d * fastestTransfer[size_t(m)]);
        w.arrival.push_back(t);
        w.deadline.push_back(t + tm);
        w.model.push_back(m);
        w.modelId.push_back(fresh ? kVariantIdBase + variants++ : table.modelId(m));
        w.factor.push_back(factor);
        w.jitter.push_back(jitter);
        w.data.push_back(d);
        w.variant.push_back(fresh ? 1 : 0);
    }
    return w;
}

} // namespace sniper::sched
