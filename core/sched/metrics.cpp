#include "sched/metrics.h"

#include <algorithm>
#include <cmath>

namespace sniper::sched {

Metrics computeMetrics(const EventLog &log, const Workload &work, int nodes)
{
    Metrics m;
    const size_t n = log.size();
    m.tasks = int64_t(n);
    m.utilization.assign(size_t(nodes), 0.0);
    if (n == 0)
        return m;
    std::vector<double> response(n);
    double wait = 0, resp = 0, last = 0;
    int64_t missed = 0;
    for (size_t i = 0; i < n; ++i) {
        wait += log.start[i] - work.arrival[i];
        response[i] = log.finish[i] - work.arrival[i];
        resp += response[i];
        missed += log.finish[i] > work.deadline[i];
        last = std::max(last, log.finish[i]);
        m.utilization[size_t(log.node[i])] += log.finish[i] - log.start[i];
    }
    m.makespan = last - work.arrival[0];
    m.tps = m.makespan > 0 ? double(n) / m.makespan : 0.0;
    m.awt = wait / double(n);
    m.meanResponse = resp / double(n);
    m.missRate = double(missed) / double(n);
    double mean = 0;
    for (double &u : m.utilization) {
        u = m.makespan > 0 ? u / m.makespan : 0.0;
        mean += u;
    }
    mean /= nodes;
    double var = 0;
    for (double u : m.utilization)
        var += (u - mean) * (u - mean);
    m.loadStd = std::sqrt(var / nodes);
    auto rank = [&](double q) {
        const size_t k = std::min(n - 1, size_t(std::ceil(q * double(n))) - (q > 0 ? 1 : 0));
        std::nth_element(response.begin(), response.begin() + long(k), response.end());
        return response[k];
    };
    m.p50 = rank(0.50);
    m.p95 = rank(0.95);
    m.p99 = rank(0.99);
    return m;
}

std::vector<std::vector<double>> utilizationOverTime(const EventLog &log, int nodes, double binSeconds)
{
    double last = 0;
    for (double f : log.finish)
        last = std::max(last, f);
    const size_t bins = binSeconds > 0 ? size_t(std::ceil(last / binSeconds)) + 1 : 0;
    std::vector<std::vector<double>> u(size_t(nodes), std::vector<double>(bins, 0.0));
    if (bins == 0)
        return u;
    for (size_t i = 0; i < log.size(); ++i) {
        double a = log.start[i];
        const double b = log.finish[i];
        while (a < b) {
            const size_t bin = size_t(a / binSeconds);
            const double edge = double(bin + 1) * binSeconds;
            const double end = std::min(b, edge);
            u[size_t(log.node[i])][std::min(bin, bins - 1)] += (end - a) / binSeconds;
            a = end;
        }
    }
    return u;
}

} // namespace sniper::sched
