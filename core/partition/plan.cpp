// Cut search (JPS Algorithm 2), the two partition types and the baselines LO, CO, PO, BF.

#include "partition/partition.h"

#include "common/error.h"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <limits>

namespace sniper::partition {

namespace {

void checkInput(const std::vector<double> &f, const std::vector<double> &g, int n)
{
    if (n < 1)
        throw Error("the number of jobs must be at least 1, got " + std::to_string(n));
    if (f.empty() || f.size() != g.size())
        throw Error("the profile has no cut point (f has " + std::to_string(f.size()) + " values, g has "
            + std::to_string(g.size()) + ")");
}

Plan samePlan(const char *method, const std::vector<double> &f, const std::vector<double> &g, int n, int cut)
{
    Plan p;
    p.method = method;
    p.jobCut.assign(n, cut);
    std::vector<StageJob> jobs(n, StageJob { f[cut], g[cut], cut });
    p.schedule = johnsonSchedule(jobs);
    p.makespan = p.schedule.makespan;
    return p;
}

// Johnson's order puts m communication-heavy jobs (a1 < b1) before n - m computation-heavy
// ones (a2 >= b2); the flow-shop makespan max_k(sum a_<=k + sum b_>=k) then has two candidates.
double twoTypeMakespan(double a1, double b1, int m, double a2, double b2, int n)
{
    const int r = n - m;
    double best = 0;
    if (m > 0)
        best = std::max(best, a1 + m * b1 + r * b2);
    if (r > 0)
        best = std::max(best, m * a1 + r * a2 + b2);
    return best;
}

} // namespace

double CommModel::ms(int64_t bytes) const
{
    return w0Ms + w1 * double(bytes) * 8.0 / bandwidthBps * 1000.0;
}

CommFit fitCommModel(const std::vector<std::pair<int64_t, double>> &samples, double bandwidthBps)
{
    if (!(bandwidthBps > 0))
        throw Error("bandwidth must be positive, got " + std::to_string(bandwidthBps) + " bit/s");
    if (samples.size() < 2)
        throw Error("fitting w0, w1 needs at least 2 transfers, got " + std::to_string(samples.size()));
    const double n = double(samples.size());
    double sx = 0, sy = 0, sxx = 0, sxy = 0;
    for (const auto &[bytes, ms] : samples) {
        const double x = double(bytes) * 8.0 / bandwidthBps * 1000.0; // ideal ms at the bandwidth
        sx += x, sy += ms, sxx += x * x, sxy += x * ms;
    }
    const double den = n * sxx - sx * sx;
    if (den <= 0)
        throw Error("fitting w0, w1 needs transfers of at least two different sizes");
    CommFit fit;
    fit.model.bandwidthBps = bandwidthBps;
    fit.model.w1 = (n * sxy - sx * sy) / den;
    fit.model.w0Ms = (sy - fit.model.w1 * sx) / n;
    double ssr = 0, sst = 0;
    for (const auto &[bytes, ms] : samples) {
        const double e = ms - fit.model.ms(bytes);
        ssr += e * e;
        sst += (ms - sy / n) * (ms - sy / n);
    }
    fit.r2 = sst > 0 ? 1.0 - ssr / sst : 1.0;
    fit.rmseMs = std::sqrt(ssr / n);
    fit.samples = int(samples.size());
    return fit;
}

double parseBandwidth(const std::string &text)
{
    std::string t;
    for (char c : text)
        if (!std::isspace(static_cast<unsigned char>(c)))
            t += char(std::tolower(static_cast<unsigned char>(c)));
    if (t == "3g")
        return 1.1e6;
    if (t == "4g")
        return 5.85e6;
    if (t == "wifi" || t == "wi-fi")
        return 18.88e6;
    size_t used = 0;
    double value = 0;
    try {
        value = std::stod(t, &used);
    } catch (const std::exception &) {
        throw Error("bandwidth '" + text + "' is not a number with a unit (e.g. 5.85Mbps, 800kbps, 3G, 4G, wifi)");
    }
    const std::string unit = t.substr(used);
    double scale = 0;
    if (unit == "mbps" || unit == "mbit/s" || unit == "mb/s" || unit == "mbit")
        scale = 1e6;
    else if (unit == "kbps" || unit == "kbit/s" || unit == "kbit")
        scale = 1e3;
    else if (unit == "gbps" || unit == "gbit/s")
        scale = 1e9;
    else if (unit == "bps" || unit == "bit/s")
        scale = 1;
    else
        throw Error("bandwidth '" + text + "' has unit '" + unit + "'; use Mbps, kbps, Gbps or bps");
    if (!(value > 0) || !std::isfinite(value))
        throw Error("bandwidth must be positive, got '" + text + "'");
    return value * scale;
}

int binarySearchCut(const std::vector<double> &f, const std::vector<double> &g)
{
    if (f.empty() || f.size() != g.size())
        throw Error("the profile has no cut point");
    // JPS Alg. 2: invariant f(l-1) < g(l-1) and f(r) >= g(r); the last cut (local-only) has g = 0.
    int l = 0, r = int(f.size()) - 1;
    while (l < r) {
        const int mid = (l + r) / 2;
        if (f[mid] < g[mid])
            l = mid + 1;
        else
            r = mid;
    }
    return l;
}

int scanCut(const std::vector<double> &f, const std::vector<double> &g)
{
    for (size_t c = 0; c < f.size(); ++c)
        if (f[c] >= g[c])
            return int(c);
    return int(f.size()) - 1;
}

double partitionRatio(const std::vector<double> &f, const std::vector<double> &g, int l)
{
    if (l <= 0 || l >= int(f.size()))
        return 0;
    const double den = g[l - 1] - f[l - 1];
    return den > 0 ? std::floor((f[l] - g[l]) / den) : 0;
}

Plan planJps(const std::vector<double> &f, const std::vector<double> &g, int n)
{
    checkInput(f, g, n);
    const int l = binarySearchCut(f, g);
    Plan p;
    p.method = "JPS";
    p.cutRight = l;
    p.cutLeft = l > 0 ? l - 1 : l;
    p.ratio = partitionRatio(f, g, l);
    // The paper's ratio fixes how many jobs take l*-1; we evaluate every split m in O(1) each
    // (closed form above) and keep the best, which includes the ratio's split.
    int bestM = 0;
    double best = std::numeric_limits<double>::infinity();
    const int maxM = l > 0 ? n : 0;
    for (int m = 0; m <= maxM; ++m) {
        const double ms = twoTypeMakespan(f[p.cutLeft], g[p.cutLeft], m, f[l], g[l], n);
        if (ms < best)
            best = ms, bestM = m;
    }
    p.jobsLeft = bestM;
    p.jobsRight = n - bestM;
    std::vector<StageJob> jobs;
    jobs.reserve(n);
    for (int j = 0; j < n; ++j) {
        const int c = j < bestM ? p.cutLeft : l;
        jobs.push_back({ f[c], g[c], c });
        p.jobCut.push_back(c);
    }
    p.schedule = johnsonSchedule(jobs);
    p.makespan = p.schedule.makespan;
    return p;
}

Plan planLocalOnly(const std::vector<double> &f, const std::vector<double> &g, int n)
{
    checkInput(f, g, n);
    return samePlan("LO", f, g, n, int(f.size()) - 1);
}

Plan planCloudOnly(const std::vector<double> &f, const std::vector<double> &g, int n)
{
    checkInput(f, g, n);
    return samePlan("CO", f, g, n, 0);
}

Plan planPartitionOnly(const std::vector<double> &f, const std::vector<double> &g, int n)
{
    checkInput(f, g, n);
    int best = 0;
    for (int c = 1; c < int(f.size()); ++c)
        if (f[c] + g[c] < f[best] + g[best])
            best = c;
    return samePlan("PO", f, g, n, best);
}

Plan planBruteForce(const std::vector<double> &f, const std::vector<double> &g, int n)
{
    checkInput(f, g, n);
    const int k = int(f.size());
    double combos = 1; // C(n + k - 1, n) multisets of cuts
    for (int i = 1; i <= n; ++i)
        combos = combos * (k - 1 + i) / i;
    if (combos > 2e6)
        throw Error("brute force over " + std::to_string(int64_t(combos))
            + " cut assignments is too large (n = " + std::to_string(n) + ", cuts = " + std::to_string(k) + ")");
    // Identical jobs: a multiset of cuts, ordered optimally by Johnson's rule.
    Plan best;
    best.method = "BF";
    best.makespan = std::numeric_limits<double>::infinity();
    std::vector<int> cuts(n, 0);
    std::vector<StageJob> jobs(n);
    while (true) {
        for (int j = 0; j < n; ++j)
            jobs[j] = { f[cuts[j]], g[cuts[j]], cuts[j] };
        Schedule s = johnsonSchedule(jobs);
        if (s.makespan < best.makespan) {
            best.makespan = s.makespan;
            best.schedule = std::move(s);
            best.jobCut = cuts;
        }
        int i = n - 1; // next non-decreasing sequence
        while (i >= 0 && cuts[i] == k - 1)
            --i;
        if (i < 0)
            break;
        ++cuts[i];
        for (int j = i + 1; j < n; ++j)
            cuts[j] = cuts[i];
    }
    return best;
}

const Plan *PlanComparison::find(const std::string &method) const
{
    for (const Plan &p : plans)
        if (p.method == method)
            return &p;
    return nullptr;
}

PlanComparison comparePlans(const Profile &p, const CommModel &comm, int n, const CompareOptions &o)
{
    PlanComparison c;
    profileCurves(p, comm, c.f, c.g);
    c.plans = { planLocalOnly(c.f, c.g, n), planCloudOnly(c.f, c.g, n), planPartitionOnly(c.f, c.g, n),
        planJps(c.f, c.g, n) };
    double combos = 1; // C(n + k - 1, n), as in planBruteForce
    for (int i = 1; i <= n && combos <= o.bruteForceMaxAssignments; ++i)
        combos = combos * (double(c.f.size()) - 1 + i) / i;
    if (n <= o.bruteForceMaxJobs && combos <= o.bruteForceMaxAssignments)
        c.plans.push_back(planBruteForce(c.f, c.g, n));
    return c;
}

} // namespace sniper::partition
