#pragma once

// Interference detection for the measurement protocol (docs/runtime.md, "Contention gate"). A
// probe is a small fixed reference kernel run by the platform's own runtime, so it works on any
// board the runtime runs on. Calibrated at the start of a campaign, its reading tells whether
// the platform is running slower than its uncontended state: another tenant on the host's
// cores, DVFS, thermal throttling or a background daemon all slow the probe as they slow the
// network being measured.

#include "graph/graph.h"

#include <deque>
#include <memory>
#include <string>

namespace sniper::runtime {

class Runtime;
class PreparedModel;

class ContentionProbe {
public:
    virtual ~ContentionProbe() = default;

    // One reading (ms): one untimed run (a CPU powers its wide vector units down after a while
    // without them, and the first run after that is slow), then the fastest of three timed runs,
    // so a single interrupt does not count as contention but a slowed-down machine does.
    double readMs();
    // Readings for `seconds` (at least 15 of them); the baseline is their 10th percentile.
    void calibrate(double seconds = 1.0);
    bool calibrated() const { return m_baselineMs > 0; }
    double baselineMs() const { return m_baselineMs; }
    // Sets the baseline directly (tests, or a calibration made elsewhere).
    void setBaselineMs(double ms) { m_baselineMs = ms; }
    // reading / baseline. When the median of the last 50 readings is below the baseline, the
    // platform was faster than at calibration: that median becomes the baseline (and is
    // remembered, see remember()).
    double ratio(double readingMs);
    // Keeps the fastest baseline seen for `platformId` on this machine across runs (a file in
    // probeMemoryDir()), so a campaign that starts while the platform is slowed down still
    // knows its uncontended speed. Call after calibrate(): the remembered baseline wins when it
    // is faster, unless it is more than 1.8x faster (the hardware changed: start afresh).
    void remember(const std::string &platformId);

protected:
    // One run of the reference kernel; the reading times it.
    virtual void runOnce() = 0;

private:
    void save() const;

    double m_baselineMs = 0;
    std::deque<double> m_recent;
    std::string m_memoryKey;
};

// True when the environment variable SNIPER_NO_GATE is set (and not "0"): every measurement of
// this process is taken without the gate, and board campaigns ask their agents for the same.
// For test suites, whose parallel tests are contention by design; the gate's own tests unset it.
bool gateDisabledByEnvironment();

// Where remembered probe baselines live: $SNIPER_PROBE_DIR, else $XDG_CACHE_HOME/sniper-workbench/probe,
// else ~/.cache/sniper-workbench/probe. One file per platform id holding the baseline in ms.
std::string probeMemoryDir();
// Forgets the remembered baseline of a platform (sniper profile --recalibrate); true if one existed.
bool forgetProbeBaseline(const std::string &platformId);

// The usual set-up of a campaign: a ComputeProbe (every platform of this workbench runs on the
// CPU), calibrated for `seconds` and merged with the remembered baseline of `platformId`. The
// runtime's reference kernel (makeReferenceProbe) is the alternative for accelerators; on these
// CPU runtimes its speed depends on allocator and cache state (docs/runtime.md), so it is not
// the default. `runtime` is accepted for that choice; nullptr only if no probe can run.
std::unique_ptr<ContentionProbe> calibratedProbe(Runtime &runtime, const std::string &platformId,
                                                 double seconds = 2.0);

// The default probe of CPU platforms: a fixed throughput-bound loop of independent vector
// multiply-adds with no memory traffic (AVX2+FMA where the CPU has it, else 128-bit vectors:
// SSE on x86-64, NEON on ARM), ~0.1-0.3 ms a run. It needs the core's vector units as the
// networks do, so another tenant on the same physical core, a lower clock or throttling slows it
// as it slows them; having no memory state, its speed does not depend on what ran before it.
class ComputeProbe : public ContentionProbe {
public:
    ComputeProbe();
    bool usesAvx2() const { return m_avx2; }

protected:
    void runOnce() override;

private:
    bool m_avx2 = false;
};

// The reference kernel: two 3x3 convolutions of 32 channels on a 1x32x16x16 input, each with a
// ReLU (4.7 M MACs, ~0.1-0.5 ms on one CPU thread): compute-bound like the networks it guards.
graph::Graph probeGraph();

// A probe that runs probeGraph() prepared on `runtime`.
std::unique_ptr<ContentionProbe> makeReferenceProbe(Runtime &runtime);

// A probe over an already prepared model (used by makeReferenceProbe, and by tests).
class PreparedProbe : public ContentionProbe {
public:
    explicit PreparedProbe(std::unique_ptr<PreparedModel> model);
    ~PreparedProbe() override;

protected:
    void runOnce() override;

private:
    std::unique_ptr<PreparedModel> m_model;
};

} // namespace sniper::runtime
