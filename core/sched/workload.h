#pragma once

// Tasks x = (model M, data D, max response time Tm, arrival) of Ace-Sniper §III-A, generated
// from one seed (Poisson arrivals) or replayed from a trace of timestamps.

#include "sched/latency.h"

#include <cstdint>
#include <istream>
#include <string>
#include <vector>

namespace sniper::sched {

enum class ServiceDistribution {
    Deterministic, // Ti = D x latency (the latency table is the service time)
    Exponential, // Ti = D x latency x Exp(1): queueing-theory checks (M/M/1)
};

// A replayed trace: arrival times (s) and, optionally, a model index per task (-1: drawn).
struct Trace {
    std::vector<double> arrival;
    std::vector<int> model;
};

// "time_s[,model]" lines; a header line and '#' comments are allowed; the model is a model id
// or name of `table`. Throws sniper::Error naming the line for malformed input.
Trace parseTraceCsv(std::istream &in, const LatencyTable &table, const std::string &where = "trace");

struct WorkloadConfig {
    double rate = 10.0; // T: tasks per second (Poisson); ignored with a trace
    double duration = 400.0; // seconds of arrivals
    int64_t maxTasks = -1; // stop after this many tasks (-1: none)
    const Trace *trace = nullptr;
    double newProb = 0.0; // p: probability that a task's model is a fresh variant
    double variantSigma = 0.1; // variant factor = exp(sigma * N(0,1))
    int dataMin = 1, dataMax = 1; // D uniform in [dataMin, dataMax]
    double deadlineSlack = 10.0; // Tm = slack x (D x fastest latency + transfers) on the cluster
    double deadlineMs = 0.0; // > 0: a fixed Tm instead
    double inputBytes = 3 * 224 * 224 * 4; // per inference, for Td
    double outputBytes = 4000; // per inference, for Tb
    ServiceDistribution service = ServiceDistribution::Deterministic;
    std::vector<double> modelWeights; // per table model; empty: uniform over runnable models
};

// Flat arrays, one entry per task, sorted by arrival.
struct Workload {
    std::vector<double> arrival; // s
    std::vector<double> deadline; // absolute: arrival + Tm (s)
    std::vector<int32_t> model; // base model index in the table
    std::vector<int64_t> modelId; // the base's id, or a fresh id for a variant
    std::vector<double> factor; // variant factor (1 for a known network)
    std::vector<double> jitter; // service multiplier (1, or Exp(1))
    std::vector<int32_t> data; // D
    std::vector<uint8_t> variant; // 1: a fresh variant with no measurement
    double inputBytes = 0, outputBytes = 0;
    size_t size() const { return arrival.size(); }
};

// Fresh variant ids start here (never a database id).
inline constexpr int64_t kVariantIdBase = int64_t(1) << 48;

// Throws sniper::Error on an empty cluster, a negative or non-finite rate/duration/probability,
// or a model (in the weights or the trace) that no node of the cluster can run.
Workload generateWorkload(
    const Cluster &cluster, const LatencyTable &table, const WorkloadConfig &config, uint64_t seed);

} // namespace sniper::sched
