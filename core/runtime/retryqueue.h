#pragma once

// The order of a campaign's measurements (docs/runtime.md, "Contention gate" and "Rounds"),
// used by local campaigns, the board agent and the experiments:
// - Deferral: a measurement that found no clean window goes to the back of the queue and is
//   tried again after the others, no sooner than a back-off of 10 s, 20 s, 40 s ... after its
//   last try, at most protocol.maxRetries times and within protocol.retryCapSeconds of its
//   round's first try. After that it is stored, flagged contended.
// - Rounds: with the gate on, a clean measurement goes back for another round, due
//   protocol.roundGapSeconds later (the others are measured meanwhile), until it has
//   protocol.rounds clean rounds whose two lowest medians agree within protocol.roundAgreement,
//   or protocol.maxRounds. The value stored is the clean round with the lowest median.

#include "runtime/measurement.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <deque>
#include <functional>
#include <optional>
#include <thread>
#include <vector>

namespace sniper::runtime {

template <class T>
class RetryQueue {
public:
    using Clock = std::chrono::steady_clock;
    struct Entry {
        T item;
        int retries = 0;                  // deferrals of the current round
        int totalRetries = 0, discarded = 0; // over all rounds
        Clock::time_point firstTry{}, notBefore{};
        std::vector<Measurement> rounds;  // the clean rounds so far
    };
    enum class Settled { Store, Retry, NextRound };

    explicit RetryQueue(const MeasurementProtocol &protocol, double firstBackoffSeconds = 10.0)
        : m_protocol(protocol), m_backoff(firstBackoffSeconds)
    {
    }

    void push(T item) { m_queue.push_back(Entry{std::move(item), 0, 0, 0, {}, {}, {}}); }
    bool empty() const { return m_queue.empty(); }
    size_t size() const { return m_queue.size(); }

    // The first entry whose back-off has passed; when none has, sleeps (in slices of at most
    // 200 ms, asking `cancelled`) until the earliest is due. nullopt when empty or cancelled.
    std::optional<Entry> next(const std::function<bool()> &cancelled = {})
    {
        while (!m_queue.empty()) {
            const auto now = Clock::now();
            auto earliest = m_queue.begin();
            for (auto it = m_queue.begin(); it != m_queue.end(); ++it) {
                if (it->notBefore <= now) {
                    Entry e = std::move(*it);
                    m_queue.erase(it);
                    if (e.firstTry == Clock::time_point{})
                        e.firstTry = now;
                    return e;
                }
                if (it->notBefore < earliest->notBefore)
                    earliest = it;
            }
            if (cancelled && cancelled())
                return std::nullopt;
            std::this_thread::sleep_for(std::min<Clock::duration>(earliest->notBefore - now, std::chrono::milliseconds(200)));
        }
        return std::nullopt;
    }

    // After measuring `e`: Retry when `m` is contended and may be retried, NextRound when it is
    // clean and another round is due (both put `e` back in the queue); otherwise Store, with `m`
    // replaced by the value to store: the fastest clean round, carrying the evidence of all
    // rounds (runs discarded and retries summed, rounds and their spread).
    Settled settle(Entry e, Measurement &m)
    {
        const auto now = Clock::now();
        e.discarded += m.evidence.runsDiscarded;
        const bool gated = m.protocol.gate;
        if (m.evidence.contended && gated && e.retries < m_protocol.maxRetries) {
            const double sinceFirst = std::chrono::duration<double>(now - e.firstTry).count();
            const double wait = m_backoff * double(1 << std::min(e.retries, 16));
            if (sinceFirst + wait <= m_protocol.retryCapSeconds) {
                ++e.retries;
                ++e.totalRetries;
                e.notBefore = now + seconds(wait);
                m_queue.push_back(std::move(e));
                return Settled::Retry;
            }
        }
        if (m.clean() && gated) {
            e.rounds.push_back(m);
            if (needsRound(e.rounds)) {
                e.retries = 0;
                e.firstTry = {}; // the retry cap counts from the next round's first try
                e.notBefore = now + seconds(m_protocol.roundGapSeconds);
                m_queue.push_back(std::move(e));
                return Settled::NextRound;
            }
        }
        if (!e.rounds.empty() && (m.clean() || m.evidence.contended)) {
            // The fastest clean round (a later round that stayed contended does not replace it).
            sortByMedian(e.rounds);
            const double spread = e.rounds.size() > 1 ? e.rounds[1].stats.medianMs / e.rounds[0].stats.medianMs - 1 : NAN;
            m = e.rounds.front();
            m.evidence.rounds = int(e.rounds.size());
            m.evidence.roundSpread = spread;
        }
        m.evidence.retries = e.totalRetries;
        m.evidence.runsDiscarded = e.discarded;
        return Settled::Store;
    }

    // settle() for callers that only need to know whether `e` went back to the queue.
    bool defer(Entry e, Measurement &m) { return settle(std::move(e), m) != Settled::Store; }

private:
    static void sortByMedian(std::vector<Measurement> &r)
    {
        std::sort(r.begin(), r.end(), [](const Measurement &a, const Measurement &b) { return a.stats.medianMs < b.stats.medianMs; });
    }

    static Clock::duration seconds(double s)
    {
        return std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(s));
    }

    // Whether clean rounds `r` call for another: fewer than protocol.rounds, or the two lowest
    // medians further apart than protocol.roundAgreement while fewer than protocol.maxRounds.
    bool needsRound(std::vector<Measurement> r) const
    {
        const int want = std::max(1, m_protocol.rounds);
        if (int(r.size()) < want)
            return true;
        if (int(r.size()) >= std::max(want, m_protocol.maxRounds) || r.size() < 2)
            return false;
        sortByMedian(r);
        return r[1].stats.medianMs > r[0].stats.medianMs * (1 + m_protocol.roundAgreement);
    }

    MeasurementProtocol m_protocol;
    double m_backoff;
    std::deque<Entry> m_queue;
};

} // namespace sniper::runtime
