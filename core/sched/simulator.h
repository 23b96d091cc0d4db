#pragma once

// Discrete-event simulation of Ace-Sniper §III-A: each arriving task is dispatched by a policy to
// one node's queue; each node serves its queue one task at a time in the policy's key order
// (no preemption). Tr = Tw + Td + Ti + Tb (Eq. 1). Flat arrays, a binary heap of completion
// events, one pending arrival: no allocation per event.

#include "sched/latency.h"
#include "sched/workload.h"

#include <cstdint>
#include <vector>

namespace sniper::sched {

class Policy;

// What a policy sees when it dispatches: the cluster, the task, and each node's state as the
// scheduler estimates it (from the estimates the policy gave when it dispatched earlier tasks).
struct SimContext {
    const Cluster *cluster = nullptr;
    const LatencyTable *table = nullptr;
    const Workload *work = nullptr;
    std::vector<int> nodePlatform; // table platform index per node (-1: platform not in the table)
    std::vector<double> nodeTx; // Td + Tb of one inference on each node (s)
    std::vector<double> predBase; // predicted ms of the known models, model-major
    const Predictor *predictor = nullptr;

    double now = 0;
    std::vector<double> runEnd; // estimated end of the task running on each node (s)
    std::vector<double> queuedEst; // sum of the estimates of the tasks queued on each node (s)
    std::vector<int32_t> load; // tasks queued + running on each node

    int nodes() const { return int(nodePlatform.size()); }
    bool canRun(int task, int node) const
    {
        const int p = nodePlatform[size_t(node)];
        return p >= 0 && table->runs(work->model[size_t(task)], p);
    }
    double estimatedFree(int node) const
    {
        return (runEnd[size_t(node)] > now ? runEnd[size_t(node)] : now) + queuedEst[size_t(node)];
    }
    // Single-inference latency (ms) as measured (NaN for a fresh variant: never measured).
    double measuredMs(int task, int platform) const
    {
        return work->variant[size_t(task)] ? kUnknown : table->at(work->model[size_t(task)], platform);
    }
    // Single-inference latency (ms) as the predictor says (NaN without a predictor).
    double predictedMs(int task, int platform) const;
};

// One decision: the node, the key its queue is ordered by (smaller first; ties by arrival
// order), and the scheduler's estimate of the task's time on that node (s) for later decisions.
struct Decision {
    int node = -1;
    double key = 0;
    double estimate = 0;
};

// The compact event log: per task (in arrival order) its node, start and finish. With the
// workload's arrivals it replays every event (arrival, start, completion).
struct EventLog {
    std::vector<int32_t> node;
    std::vector<double> start; // s; Tw = start - arrival
    std::vector<double> finish; // s; Tr = finish - arrival
    size_t size() const { return node.size(); }
    // FNV-1a over every task's (arrival, model id, node, start, finish): the determinism check.
    uint64_t hash(const Workload &work) const;
};

// Runs the workload through `policy`. `predictor` serves policies that use predictions
// (Sniper, MECT); may be empty. Throws sniper::Error when the policy picks a node that cannot
// run the task (a policy bug) or the cluster is empty.
EventLog simulate(const Cluster &cluster, const LatencyTable &table, const Workload &work, Policy &policy,
    const Predictor &predictor = {});

} // namespace sniper::sched
