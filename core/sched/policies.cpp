#include "sched/policies.h"

#include "common/error.h"

#include <cmath>
#include <limits>

namespace sniper::sched {

namespace {

// Round robin over the nodes that can run the task, from `next`.
int roundRobin(const SimContext &ctx, int task, int &next)
{
    const int n = ctx.nodes();
    for (int k = 0; k < n; ++k) {
        const int j = (next + k) % n;
        if (ctx.canRun(task, j)) {
            next = (j + 1) % n;
            return j;
        }
    }
    return -1; // the simulator reports it
}

constexpr double kHopeless = 1e9; // s: pushes a task behind every feasible one (limit 4)

} // namespace

Decision PollingPolicy::dispatch(const SimContext &ctx, int task)
{
    return { roundRobin(ctx, task, m_next), ctx.work->arrival[size_t(task)], 0.0 };
}

Decision EdfPolicy::dispatch(const SimContext &ctx, int task)
{
    int best = -1;
    for (int j = 0; j < ctx.nodes(); ++j)
        if (ctx.canRun(task, j) && (best < 0 || ctx.load[size_t(j)] < ctx.load[size_t(best)]))
            best = j;
    return { best, ctx.work->deadline[size_t(task)], 0.0 };
}

Decision MectPolicy::dispatch(const SimContext &ctx, int task)
{
    const double d = ctx.work->data[size_t(task)];
    int best = -1;
    double bestFinish = std::numeric_limits<double>::infinity(), bestEst = 0;
    for (int j = 0; j < ctx.nodes(); ++j) {
        if (!ctx.canRun(task, j))
            continue;
        const int p = ctx.nodePlatform[size_t(j)];
        double ms = ctx.predictedMs(task, p);
        if (std::isnan(ms))
            ms = ctx.measuredMs(task, p);
        if (std::isnan(ms))
            ms = ctx.table->at(ctx.work->model[size_t(task)], p); // the base's latency: a last resort
        const double est = d * (ms / 1000.0 + ctx.nodeTx[size_t(j)]);
        const double finish = ctx.estimatedFree(j) + est;
        if (finish < bestFinish) {
            bestFinish = finish;
            best = j;
            bestEst = est;
        }
    }
    return { best, ctx.work->arrival[size_t(task)], bestEst };
}

void TimeAwarePolicy::reset(const SimContext &ctx)
{
    m_next = 0;
    m_meanMs.assign(size_t(ctx.table->platformCount()), 0.0);
    for (int p = 0; p < ctx.table->platformCount(); ++p) {
        double sum = 0;
        int count = 0;
        for (int m = 0; m < ctx.table->modelCount(); ++m)
            if (ctx.table->runs(m, p)) {
                sum += ctx.table->at(m, p);
                ++count;
            }
        m_meanMs[size_t(p)] = count ? sum / count : 0.0;
    }
}

Decision TimeAwarePolicy::dispatch(const SimContext &ctx, int task)
{
    const size_t t = size_t(task);
    const double d = ctx.work->data[t];
    int best = -1;
    double bestFinish = std::numeric_limits<double>::infinity(), bestEst = 0;
    bool known = true;
    for (int j = 0; j < ctx.nodes() && known; ++j) {
        if (!ctx.canRun(task, j))
            continue;
        const int p = ctx.nodePlatform[size_t(j)];
        const double ms = m_source == Source::Measured ? ctx.measuredMs(task, p) : ctx.predictedMs(task, p);
        if (std::isnan(ms)) {
            known = false;
            break;
        }
        const double est = d * (ms / 1000.0 + ctx.nodeTx[size_t(j)]);
        const double finish = ctx.estimatedFree(j) + est;
        if (finish < bestFinish) { // limits 1 and 2
            bestFinish = finish;
            best = j;
            bestEst = est;
        }
    }
    if (!known) { // never measured (SLO) or not predictable: placed as polling would
        const int j = roundRobin(ctx, task, m_next);
        const int p = j >= 0 ? ctx.nodePlatform[size_t(j)] : 0;
        const double guess = j >= 0 ? d * (m_meanMs[size_t(p)] / 1000.0 + ctx.nodeTx[size_t(j)]) : 0.0;
        return { j, ctx.work->arrival[t], guess };
    }
    const double deadline = ctx.work->deadline[t];
    double key = deadline - bestEst; // limit 3: laxity at time x is key - x
    const double runEnd = ctx.runEnd[size_t(best)];
    if ((runEnd > ctx.now ? runEnd : ctx.now) + bestEst > deadline)
        key += kHopeless; // limit 4: late even if served next
    return { best, key, bestEst };
}

std::unique_ptr<Policy> makePolicy(std::string_view name)
{
    if (name == "polling")
        return std::make_unique<PollingPolicy>();
    if (name == "edf")
        return std::make_unique<EdfPolicy>();
    if (name == "slo")
        return std::make_unique<SloPolicy>();
    if (name == "sniper")
        return std::make_unique<SniperPolicy>();
    if (name == "mect")
        return std::make_unique<MectPolicy>();
    throw Error("unknown policy '" + std::string(name) + "' (known: polling, edf, slo, sniper, mect)", "policy");
}

std::vector<std::string> policyNames()
{
    return { "polling", "edf", "slo", "sniper", "mect" };
}

} // namespace sniper::sched
