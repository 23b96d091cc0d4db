#pragma once

// Experiments: sweeps over T and p with several seeds and 95% confidence intervals; CSV and
// SVG figures in the style of Ace-Sniper Figs. 2, 11 and 12 (PNG/PDF: the GUI figure module).

#include "sched/metrics.h"
#include "sched/workload.h"

#include <functional>
#include <ostream>
#include <string>
#include <vector>

namespace sniper::sched {

struct SweepConfig {
    std::vector<std::string> policies { "polling", "edf", "slo", "sniper", "mect" };
    std::vector<double> rates { 10 };
    std::vector<double> newProbs { 0 };
    int seeds = 5;
    uint64_t seed = 1;
    WorkloadConfig workload; // rate and newProb are overwritten per cell
};

// Mean and 95% CI half-width (Student t) over seeds.
struct Estimate {
    double mean = 0;
    double ci95 = 0;
};
// The estimate of per-seed values: their mean and t(0.975, k-1) * s / sqrt(k); ci95 is 0 for one value.
Estimate estimate(const std::vector<double> &values);

struct SweepRow {
    std::string policy;
    double rate = 0;
    double newProb = 0;
    int seeds = 0;
    Estimate tps, awt, loadStd, missRate, p95;
};

// Every (rate, p, seed) cell draws one workload (seed mixed from the sweep seed and the cell)
// and runs every policy on it: common random numbers across policies. Rows are ordered by p,
// rate, policy. `progress(done, total)` may be empty.
std::vector<SweepRow> runSweep(const Cluster &cluster, const LatencyTable &table, const Predictor &predictor,
    const SweepConfig &config, const std::function<void(int, int)> &progress = {});

void writeSweepCsv(std::ostream &out, const std::vector<SweepRow> &rows);

enum class SweepMetric { Awt, Tps, LoadStd, MissRate, P95 };
// A line chart of `metric` against T for each policy at one p (Ace-Sniper Figs. 2/11), or
// against p at one T when `overP` (Fig. 12). Hand-written SVG: serif font, grayscale markers,
// error bars = 95% CI.
std::string sweepSvg(const std::vector<SweepRow> &rows, SweepMetric metric, double fixedValue, bool overP = false);

} // namespace sniper::sched
