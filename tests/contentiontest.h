#pragma once

// Test doubles of the contention gate (tst_contention, tst_retryqueue): a platform whose speed the
// test switches mid-measurement, a model and a probe that run at that speed, and the protocols.

#include "runtime/contention.h"
#include "runtime/protocol.h"

#include <atomic>
#include <chrono>
#include <vector>

using namespace sniper::runtime;

namespace {

// Busy-waits `ms` of wall time: exact whatever the scheduler does, unlike a sleep.
inline void spinMs(double ms)
{
    const auto until = std::chrono::steady_clock::now() + std::chrono::duration<double, std::milli>(ms);
    while (std::chrono::steady_clock::now() < until) {
    }
}

// The machine's speed as the test sets it: 1 is uncontended, 1.5 a tenant taking a third.
struct Machine {
    std::atomic<double> slowdown{1.0};
    // Optional switch: after this many model runs, the slowdown becomes `then`.
    std::atomic<int> switchAfterRuns{-1};
    std::atomic<double> then{1.0};
    std::atomic<int> runs{0};
};

class TestModel : public PreparedModel {
public:
    TestModel(Machine &m, double ms) : m_machine(m), m_ms(ms) {}
    std::vector<HostTensor> run(const std::vector<HostTensor> &) override { return {}; }
    void runTimed() override
    {
        if (++m_machine.runs == m_machine.switchAfterRuns)
            m_machine.slowdown = m_machine.then.load();
        spinMs(m_ms * m_machine.slowdown);
    }

private:
    Machine &m_machine;
    double m_ms;
};

class TestProbe : public ContentionProbe {
public:
    explicit TestProbe(Machine &m) : m_machine(m) {}

protected:
    void runOnce() override { spinMs(0.05 * m_machine.slowdown); }

private:
    Machine &m_machine;
};

inline MeasurementProtocol gated()
{
    MeasurementProtocol p;
    p.warmupRuns = 0;
    p.minRuns = 10;
    p.maxRuns = 80;
    p.maxSeconds = 0.5;
    p.targetRelativeHalfWidth = 0; // never converges early: every test runs to a cap
    p.gate = true;
    p.gateThreshold = 1.08;
    p.maxRetries = 2;
    p.retryCapSeconds = 60;
    p.rounds = 1; // one round per measurement, unless a test asks for more
    p.roundGapSeconds = 0.05;
    return p;
}

// gated() in rounds, as campaigns measure: 2, up to 3 when the two fastest differ by over 3%.
inline MeasurementProtocol inRounds(double maxSeconds)
{
    MeasurementProtocol p = gated();
    p.maxSeconds = maxSeconds;
    p.rounds = 2;
    p.maxRounds = 3;
    p.roundAgreement = 0.03;
    return p;
}

} // namespace
