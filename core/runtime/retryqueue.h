#pragma once

// Deferral of contended measurements (docs/runtime.md, "Contention gate"): a measurement that
// found no clean window goes to the back of the queue and is tried again after the others, no
// sooner than a back-off of 10 s, 20 s, 40 s ... after its last try, at most
// protocol.maxRetries times and within protocol.retryCapSeconds of its first try. After that
// it is stored, flagged contended. Used by local campaigns and by the board agent.

#include "runtime/measurement.h"

#include <chrono>
#include <deque>
#include <functional>
#include <optional>
#include <thread>

namespace sniper::runtime {

template <class T>
class RetryQueue {
public:
    using Clock = std::chrono::steady_clock;
    struct Entry {
        T item;
        int retries = 0;
        Clock::time_point firstTry{}, notBefore{};
    };

    explicit RetryQueue(const MeasurementProtocol &protocol, double firstBackoffSeconds = 10.0)
        : m_protocol(protocol), m_backoff(firstBackoffSeconds)
    {
    }

    void push(T item) { m_queue.push_back(Entry{std::move(item), 0, {}, {}}); }
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

    // After measuring `e`: true when `m` is contended and may be retried, so `e` went back to the
    // queue; otherwise false, with the retries made recorded in m's evidence.
    bool defer(Entry e, Measurement &m)
    {
        m.evidence.retries = e.retries;
        if (!m.evidence.contended || !m.protocol.gate || e.retries >= m_protocol.maxRetries)
            return false;
        const auto now = Clock::now();
        const double sinceFirst = std::chrono::duration<double>(now - e.firstTry).count();
        const double wait = m_backoff * double(1 << std::min(e.retries, 16));
        if (sinceFirst + wait > m_protocol.retryCapSeconds)
            return false;
        ++e.retries;
        e.notBefore = now + std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(wait));
        m_queue.push_back(std::move(e));
        return true;
    }

private:
    MeasurementProtocol m_protocol;
    double m_backoff;
    std::deque<Entry> m_queue;
};

} // namespace sniper::runtime
