#pragma once

// Scheduling policies behind one interface (SPEC §10). Add one by subclassing Policy and
// registering its name in makePolicy(). Every policy only picks nodes that can run the task.

#include "sched/simulator.h"

#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace sniper::sched {

class Policy {
public:
    virtual ~Policy() = default;
    virtual std::string_view name() const = 0;
    virtual void reset(const SimContext &) { }
    // Called once per arriving task, in arrival order, at ctx.now = its arrival.
    virtual Decision dispatch(const SimContext &ctx, int task) = 0;
};

// Polling [Sniper §2]: round robin over the nodes that can run the task; FIFO queues.
class PollingPolicy final : public Policy {
public:
    std::string_view name() const override { return "polling"; }
    void reset(const SimContext &) override { m_next = 0; }
    Decision dispatch(const SimContext &ctx, int task) override;

private:
    int m_next = 0;
};

// EDF [Sniper §2]: not time-aware; the node with the fewest tasks (queued + running), queues
// ordered by absolute deadline.
class EdfPolicy final : public Policy {
public:
    std::string_view name() const override { return "edf"; }
    Decision dispatch(const SimContext &ctx, int task) override;
};

// Minimum expected completion time: the node whose estimated free time + predicted Td+Ti+Tb
// is least (prediction; the measurement when the predictor has none); FIFO queues.
class MectPolicy final : public Policy {
public:
    std::string_view name() const override { return "mect"; }
    Decision dispatch(const SimContext &ctx, int task) override;
};

// The time-aware scheduler shared by SLO-Scheduler and Sniper (see docs/scheduling.md):
// Least Laxity First with the extra limits of Sniper §3.4 as we read them:
//  1. only nodes that can run the model; 2. the node of least estimated completion time
//  (Eq. 2's objective, greedily); 3. each queue served by least laxity Tm - (Tw + est);
//  4. a task that would miss Tm on its node even if served next is queued behind every task
//  that still can meet it (Eq. 2's constraint first: hopeless tasks do not push feasible ones late).
// A task whose latency is unknown is placed as Polling would (round robin, FIFO key).
class TimeAwarePolicy : public Policy {
public:
    enum class Source { Measured, Predicted };
    explicit TimeAwarePolicy(Source source) : m_source(source) { }
    std::string_view name() const override { return m_source == Source::Measured ? "slo" : "sniper"; }
    void reset(const SimContext &ctx) override;
    Decision dispatch(const SimContext &ctx, int task) override;

private:
    Source m_source;
    int m_next = 0;
    std::vector<double> m_meanMs; // per table platform: mean measured latency (guess for unknowns)
};

// SLO-Scheduler (MVSP-like, Sniper §2/§4.3): time-aware on measured latencies only.
class SloPolicy final : public TimeAwarePolicy {
public:
    SloPolicy() : TimeAwarePolicy(Source::Measured) { }
};

// Sniper §3.4: time-aware on predicted latencies (every task, fresh variants included).
class SniperPolicy final : public TimeAwarePolicy {
public:
    SniperPolicy() : TimeAwarePolicy(Source::Predicted) { }
};

// "polling", "edf", "slo", "sniper", "mect". Throws sniper::Error for an unknown name.
std::unique_ptr<Policy> makePolicy(std::string_view name);
std::vector<std::string> policyNames();

} // namespace sniper::sched
