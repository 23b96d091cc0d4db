#pragma once

// Metrics of one run (SPEC §10, Sniper §2): TPS, AWT, standard deviation of node load,
// deadline-miss rate, response-time percentiles, per-node utilization over time.

#include "sched/simulator.h"

#include <vector>

namespace sniper::sched {

struct Metrics {
    int64_t tasks = 0;
    double makespan = 0; // s: last completion - first arrival
    double tps = 0; // tasks / makespan
    double awt = 0; // mean Tw (s)
    double meanResponse = 0; // mean Tr (s)
    double loadStd = 0; // std over nodes of utilization (busy time / makespan)
    double missRate = 0; // fraction with Tr > Tm
    double p50 = 0, p95 = 0, p99 = 0; // Tr percentiles (s), nearest rank
    std::vector<double> utilization; // per node
};

Metrics computeMetrics(const EventLog &log, const Workload &work, int nodes);

// Busy fraction of each node in consecutive bins of `binSeconds` from time 0: [node][bin].
std::vector<std::vector<double>> utilizationOverTime(const EventLog &log, int nodes, double binSeconds);

} // namespace sniper::sched
