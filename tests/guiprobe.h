#pragma once

// The GUI responsiveness measurement of the view tests (SPEC §12): a 10 ms timer in the GUI
// thread records the longest gap between its ticks while `active()` holds; time the thread spent
// runnable but waiting for a CPU (a busy machine, not a blocked event loop) is not counted.

#include <QElapsedTimer>
#include <QFile>
#include <QTimer>

#include <algorithm>
#include <functional>

namespace sniper::test {

// Nanoseconds this thread spent waiting for a CPU (runnable but not running); -1 if unknown.
inline qint64 runQueueWaitNs()
{
    QFile f(QStringLiteral("/proc/thread-self/schedstat"));
    if (!f.open(QIODevice::ReadOnly))
        return -1;
    const QList<QByteArray> fields = f.readAll().simplified().split(' ');
    return fields.size() >= 2 ? fields[1].toLongLong() : -1;
}

class EventLoopGapProbe {
public:
    explicit EventLoopGapProbe(std::function<bool()> active) : m_active(std::move(active))
    {
        m_clock.start();
        m_timer.setTimerType(Qt::PreciseTimer);
        m_timer.setInterval(10);
        QObject::connect(&m_timer, &QTimer::timeout, [this] { tick(); });
    }
    void start()
    {
        m_timer.start();
        m_lastNs = m_clock.nsecsElapsed(); // the first gap counts from now
        m_lastWait = runQueueWaitNs();
    }
    void stop() { m_timer.stop(); }

    qint64 worstMs() const { return m_worstMs; }       // run-queue waits excluded
    qint64 worstRawMs() const { return m_worstRawMs; } // including them
    int ticks() const { return m_ticks; }              // ticks measured while active

private:
    void tick()
    {
        const qint64 now = m_clock.nsecsElapsed(), wait = runQueueWaitNs();
        if (!m_active()) {
            m_lastNs = -1;
            return;
        }
        if (m_lastNs >= 0) {
            const qint64 raw = (now - m_lastNs) / 1'000'000;
            const qint64 queued = wait >= 0 && m_lastWait >= 0 ? (wait - m_lastWait) / 1'000'000 : 0;
            m_worstRawMs = std::max(m_worstRawMs, raw);
            m_worstMs = std::max(m_worstMs, raw - queued);
            ++m_ticks;
        }
        m_lastNs = now;
        m_lastWait = wait;
    }

    std::function<bool()> m_active;
    QElapsedTimer m_clock;
    QTimer m_timer;
    qint64 m_lastNs = -1, m_lastWait = 0, m_worstMs = 0, m_worstRawMs = 0;
    int m_ticks = 0;
};

} // namespace sniper::test
