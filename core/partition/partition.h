#pragma once

// Joint DNN partition and pipeline scheduling (SPEC §11, JPS, ICPP'21): many identical DNN jobs
// run their first layers on the device, offload the cut's activation, and the rest on the cloud.
// Every job is a two-stage flow-shop job: local computation f, then communication g.

#include <cstdint>
#include <string>
#include <vector>

namespace sniper::graph {
struct Graph;
}

namespace sniper::partition {

// One job of the two-machine flow shop: stage 1 on the device, stage 2 on the link.
struct StageJob {
    double local = 0; // ms: f
    double comm = 0; // ms: g (plus cloud time where a cloud stage is modelled)
    int cut = -1; // cut index the job uses, for reporting
};

// One bar of the two-resource Gantt chart.
struct GanttBar {
    int job = 0;
    int resource = 0; // 0 computation (device), 1 communication (uplink)
    double start = 0, end = 0;
    int cut = -1;
};

struct Schedule {
    std::vector<int> order; // job indices in processing order
    std::vector<GanttBar> bars;
    double makespan = 0; // ms
};

// JPS Algorithm 1 (Johnson's rule): jobs with f < g by ascending f, then the rest by descending g.
std::vector<int> johnsonOrder(const std::vector<StageJob> &jobs);
// Makespan of a permutation in the two-machine flow shop, and its Gantt bars.
Schedule flowShopSchedule(const std::vector<StageJob> &jobs, const std::vector<int> &order);
// Johnson's order and its schedule.
Schedule johnsonSchedule(const std::vector<StageJob> &jobs);
// Every permutation (n <= 10); returns the optimal schedule. Throws sniper::Error for larger n.
Schedule bruteForceOrder(const std::vector<StageJob> &jobs);

// Communication model g = w0 + w1 * bytes * 8 / bandwidth (JPS §6); milliseconds.
struct CommModel {
    double w0Ms = 0;
    double w1 = 1;
    double bandwidthBps = 5.85e6;
    double ms(int64_t bytes) const;
};
struct CommFit {
    CommModel model;
    double r2 = 0;
    double rmseMs = 0;
    int samples = 0;
};
// Least-squares fit of (w0, w1) from measured (bytes, ms) pairs at a known bandwidth.
CommFit fitCommModel(const std::vector<std::pair<int64_t, double>> &samples, double bandwidthBps);
// "5.85Mbps", "1100kbps", "18.88 Mbit/s", "3G", "4G", "wifi" -> bits per second; throws sniper::Error.
double parseBandwidth(const std::string &text);

// Cut points of one model: cut c keeps the nodes before it on the device. Cut 0 is cloud-only
// (the input is sent), the last cut is local-only (nothing is sent).
struct CutPoint {
    std::string after; // name of the last local layer ("input" for cut 0)
    double localMs = 0; // f: cumulative device time
    int64_t bytes = 0; // activation bytes crossing the cut, each value counted once
    double cloudMs = 0; // time of the remaining nodes on the cloud (0: negligible, as in JPS)
};
struct Profile {
    std::string model;
    std::vector<CutPoint> cuts;
    bool lineStructure = true;
    int layers = 0; // layers before virtual-block merging
};

// Builds cut points from a graph and per-node device times (graph node order). Cuts follow the
// topological layer order; for a general DAG a cut is a topological prefix, and a value used by
// several later nodes crosses once (JPS Algorithm 3's duplicated nodes counted once).
// `cloudNodeMs` may be empty (cloud time negligible). Throws sniper::Error when no cut exists.
Profile buildProfile(
    const graph::Graph &g, const std::vector<double> &nodeMs, const std::vector<double> &cloudNodeMs = {});
// JPS §3.2 virtual blocks: drops the cut after a layer whose output is larger than what the
// previous kept cut sends, so g is non-increasing along the kept cuts.
Profile mergeVirtualBlocks(const Profile &p);

// f and g of every cut under a communication model; the cloud time joins the second stage.
void profileCurves(const Profile &p, const CommModel &comm, std::vector<double> &f, std::vector<double> &g);

// JPS Algorithm 2: the left-most cut with f >= g by binary search, O(log k); f non-decreasing,
// g non-increasing. Returns the index l* (the paper returns l*-1, l* and the ratio).
int binarySearchCut(const std::vector<double> &f, const std::vector<double> &g);
// The same by scanning every cut (reference for tests).
int scanCut(const std::vector<double> &f, const std::vector<double> &g);
// Paper's ratio floor((f(l) - g(l)) / (g(l-1) - f(l-1))); 0 when l = 0 or the denominator is 0.
double partitionRatio(const std::vector<double> &f, const std::vector<double> &g, int l);

struct Plan {
    std::string method; // "JPS", "PO", "LO", "CO", "BF"
    std::vector<int> jobCut; // per job
    Schedule schedule;
    double makespan = 0;
    int cutLeft = -1, cutRight = -1; // JPS: l*-1 and l*
    int jobsLeft = 0, jobsRight = 0;
    double ratio = 0;
};

// n jobs of one profile. All throw sniper::Error for n < 1 or an empty profile.
Plan planJps(const std::vector<double> &f, const std::vector<double> &g, int n);
Plan planLocalOnly(const std::vector<double> &f, const std::vector<double> &g, int n);
Plan planCloudOnly(const std::vector<double> &f, const std::vector<double> &g, int n);
// Partition only: the cut minimising one job's latency f + g, used by every job.
Plan planPartitionOnly(const std::vector<double> &f, const std::vector<double> &g, int n);
// Every assignment of cuts (multisets) with Johnson's order; small n and k only.
Plan planBruteForce(const std::vector<double> &f, const std::vector<double> &g, int n);

// Figures (hand-written, paper style): the Gantt chart as SVG and the schedule as CSV.
std::string ganttSvg(const Schedule &s, const std::string &title);
std::string scheduleCsv(const Schedule &s);
// JPS Fig. 12 style grouped bars: values[group][method] (e.g. makespan per bandwidth and scheme).
std::string groupedBarsSvg(const std::vector<std::string> &groups, const std::vector<std::string> &methods,
    const std::vector<std::vector<double>> &values, const std::string &title, const std::string &yLabel);
std::string curvesCsv(const Profile &p, const std::vector<double> &f, const std::vector<double> &g);

// The measuring and planning steps of `sniper partition` and the workbench's Partition view.
struct MeasureOptions {
    std::string platform = "torch-cpu-1t"; // device platform, timed per node
    std::string cloudPlatform; // per-node cloud times from this platform, or
    double cloudSpeedup = 0; // cloud time = device time / X; neither: cloud time negligible
    int repeats = 5; // timed runs per node (median)
};
struct MeasuredProfile {
    Profile raw; // every cut point
    Profile merged; // after virtual blocks (mergeVirtualBlocks)
};
// Times every node of `g` on the local platforms and builds both profiles; throws sniper::Error
// for bad options, unknown platforms or a graph without a cut point.
MeasuredProfile measureProfile(const graph::Graph &g, const MeasureOptions &o);

struct CompareOptions {
    int bruteForceMaxJobs = 0; // BF only for n <= this (0: never)
    double bruteForceMaxAssignments = 2e6; // and only over at most this many cut multisets
};
struct PlanComparison {
    std::vector<double> f, g; // profileCurves under the communication model
    std::vector<Plan> plans; // LO, CO, PO, JPS, then BF when it ran
    const Plan *find(const std::string &method) const; // nullptr when that method did not run
};
// f and g of `p` under `comm`, then the plans of n jobs; throws sniper::Error (bandwidth <= 0, n < 1).
PlanComparison comparePlans(const Profile &p, const CommModel &comm, int n, const CompareOptions &o = {});

} // namespace sniper::partition
