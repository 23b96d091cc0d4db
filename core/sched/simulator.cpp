#include "sched/simulator.h"

#include "common/error.h"
#include "sched/policies.h"

#include <algorithm>
#include <cstring>

namespace sniper::sched {

double SimContext::predictedMs(int task, int platform) const
{
    const size_t t = size_t(task);
    if (!work->variant[t])
        return predBase.empty() ? kUnknown
                                : predBase[size_t(work->model[t]) * size_t(table->platformCount()) + size_t(platform)];
    if (!predictor || !*predictor)
        return kUnknown;
    ModelRef ref { work->modelId[t], table->modelId(work->model[t]), work->factor[t] };
    return (*predictor)(ref, table->platform(platform));
}

uint64_t EventLog::hash(const Workload &work) const
{
    uint64_t h = 1469598103934665603ull;
    auto mix = [&h](const void *p, size_t n) {
        const auto *b = static_cast<const unsigned char *>(p);
        for (size_t i = 0; i < n; ++i)
            h = (h ^ b[i]) * 1099511628211ull;
    };
    for (size_t i = 0; i < size(); ++i) {
        mix(&work.arrival[i], sizeof(double));
        mix(&work.modelId[i], sizeof(int64_t));
        mix(&node[i], sizeof(int32_t));
        mix(&start[i], sizeof(double));
        mix(&finish[i], sizeof(double));
    }
    return h;
}

namespace {

struct QueueEntry {
    double key;
    uint32_t task;
};
// Min-heap order for std::push_heap (which builds a max-heap).
inline bool later(const QueueEntry &a, const QueueEntry &b)
{
    return a.key > b.key || (a.key == b.key && a.task > b.task);
}

struct Completion {
    double time;
    int32_t node;
};
inline bool laterCompletion(const Completion &a, const Completion &b)
{
    return a.time > b.time || (a.time == b.time && a.node > b.node);
}

} // namespace

EventLog simulate(
    const Cluster &cluster, const LatencyTable &table, const Workload &work, Policy &policy, const Predictor &predictor)
{
    if (cluster.empty())
        throw Error("the cluster is empty", "simulate");
    const size_t n = work.size();
    const int nodes = int(cluster.size());

    SimContext ctx;
    ctx.cluster = &cluster;
    ctx.table = &table;
    ctx.work = &work;
    ctx.predictor = &predictor;
    for (const Node &node : cluster) {
        ctx.nodePlatform.push_back(table.platformIndex(node.platform));
        ctx.nodeTx.push_back(
            node.bandwidthMBps > 0 ? (work.inputBytes + work.outputBytes) / (node.bandwidthMBps * 1e6) : 0.0);
    }
    if (predictor) {
        ctx.predBase.resize(size_t(table.modelCount()) * size_t(table.platformCount()));
        for (int m = 0; m < table.modelCount(); ++m)
            for (int p = 0; p < table.platformCount(); ++p)
                ctx.predBase[size_t(m) * size_t(table.platformCount()) + size_t(p)]
                    = predictor(ModelRef { table.modelId(m), table.modelId(m), 1.0 }, table.platform(p));
    }
    ctx.runEnd.assign(size_t(nodes), 0.0);
    ctx.queuedEst.assign(size_t(nodes), 0.0);
    ctx.load.assign(size_t(nodes), 0);
    policy.reset(ctx);

    EventLog log;
    log.node.assign(n, -1);
    log.start.assign(n, 0.0);
    log.finish.assign(n, 0.0);
    std::vector<double> estimate(n, 0.0);

    std::vector<std::vector<QueueEntry>> queues(static_cast<size_t>(nodes));
    for (auto &q : queues)
        q.reserve(64);
    std::vector<uint8_t> busy(size_t(nodes), 0);
    std::vector<Completion> events; // binary heap, at most one completion per node
    events.reserve(size_t(nodes));

    auto startNext = [&](int j, double now) {
        auto &q = queues[size_t(j)];
        if (q.empty()) {
            busy[size_t(j)] = 0;
            return;
        }
        std::pop_heap(q.begin(), q.end(), later);
        const uint32_t t = q.back().task;
        q.pop_back();
        const double d = work.data[t];
        const double ti
            = d * table.at(work.model[t], ctx.nodePlatform[size_t(j)]) / 1000.0 * work.factor[t] * work.jitter[t];
        const double service = ti + d * ctx.nodeTx[size_t(j)]; // Td + Ti + Tb (Eq. 1)
        log.start[t] = now;
        log.finish[t] = now + service;
        busy[size_t(j)] = 1;
        ctx.queuedEst[size_t(j)] -= estimate[t];
        if (q.empty())
            ctx.queuedEst[size_t(j)] = 0; // no drift from rounding
        ctx.runEnd[size_t(j)] = now + estimate[t];
        events.push_back({ now + service, j });
        std::push_heap(events.begin(), events.end(), laterCompletion);
    };

    size_t next = 0;
    while (next < n || !events.empty()) {
        if (next < n && (events.empty() || work.arrival[next] < events.front().time)) {
            const uint32_t t = uint32_t(next++);
            ctx.now = work.arrival[t];
            const Decision d = policy.dispatch(ctx, int(t));
            if (d.node < 0 || d.node >= nodes || !ctx.canRun(int(t), d.node))
                throw Error("policy '" + std::string(policy.name()) + "' chose a node that cannot run task "
                        + std::to_string(t),
                    "simulate");
            log.node[t] = d.node;
            estimate[t] = d.estimate;
            ctx.queuedEst[size_t(d.node)] += d.estimate;
            ++ctx.load[size_t(d.node)];
            auto &q = queues[size_t(d.node)];
            q.push_back({ d.key, t });
            std::push_heap(q.begin(), q.end(), later);
            if (!busy[size_t(d.node)])
                startNext(d.node, ctx.now);
        } else {
            std::pop_heap(events.begin(), events.end(), laterCompletion);
            const Completion c = events.back();
            events.pop_back();
            ctx.now = c.time;
            --ctx.load[size_t(c.node)];
            startNext(c.node, c.time);
        }
    }
    return log;
}

} // namespace sniper::sched
