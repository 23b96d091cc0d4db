#pragma once

// Scheduling and partition experiments in the project database (experiments table, kinds
// "scheduling" and "partition"): what `sniper schedule run --save`, `sniper partition --save`
// and the workbench's Scheduling and Partition views store and reopen. One place for the
// project's latency table of a cluster, too, so the CLI and the view simulate the same thing.

#include "collections.h"
#include "database.h"
#include "partition/partition.h"
#include "sched/sched.h"

#include <nlohmann/json.hpp>

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace sniper::db {

// (model, platform) -> median ms of the project's ok batch-1 measurements on the cluster's
// platforms; models none of them ran are left out (counted in `dropped`). Throws sniper::Error
// when no model is left.
sched::LatencyTable loadClusterLatencies(Database &project, const sched::Cluster &cluster, int *dropped = nullptr);

// Everything that defines one scheduling experiment: with the same project latencies it
// reproduces the same workload and the same event log per policy (seeded).
struct SchedulingSpec {
    std::string nodes = "torch-cpu-1t:3,opencv-cpu-1t:3"; // sched::parseCluster
    double bandwidthMBps = 100;
    sched::WorkloadConfig workload; // its trace pointer is ignored: see traceCsv
    std::string traceCsv; // arrival trace (time_s[,model]), the file's text; empty: Poisson at workload.rate
    std::string traceName; // where the trace came from, for messages
    std::vector<std::string> policies { "polling", "edf", "slo", "sniper", "mect" };
    std::string predictor = "noisy"; // "perfect" | "noisy"
    double predictionError = 0.08; // noisy predictor: lognormal sigma
    uint64_t seed = 1;
};

struct SchedulingOutcome {
    struct PolicyRun {
        std::string name;
        sched::EventLog log;
        sched::Metrics metrics;
    };
    sched::Cluster cluster;
    sched::Workload work;
    std::vector<PolicyRun> policies; // in the spec's order; fewer when cancelled
    int models = 0; // models of the project the cluster can run
    bool cancelled = false;
};

// Draws the workload and simulates every policy on it (common random numbers). `progress(done,
// total)` is called after the workload and after each policy; returning false stops (the outcome
// is marked cancelled). Throws sniper::Error for a bad spec (naming the field) or no latencies.
SchedulingOutcome runScheduling(Database &project, const SchedulingSpec &spec,
                                const std::function<bool(int, int)> &progress = {});

nlohmann::json schedulingSpecJson(const SchedulingSpec &spec);
// Throws sniper::Error naming the field that is missing or of the wrong type.
SchedulingSpec schedulingSpecFromJson(const nlohmann::json &config);

// Inserts a "scheduling" experiment: config = the spec, results = per policy its metrics and its
// event log's hash. Returns the id.
int64_t saveSchedulingExperiment(Database &project, const std::string &name, const SchedulingSpec &spec,
                                 const SchedulingOutcome &outcome);
// Runs a stored experiment again and checks that every policy's event log hashes as stored;
// throws sniper::Error when the experiment is missing or not "scheduling", or when a log differs
// (the project's latencies changed since it was saved).
SchedulingOutcome reopenSchedulingExperiment(Database &project, int64_t id,
                                             const std::function<bool(int, int)> &progress = {});

// A partition example: n jobs of one model on a device platform, with the measured profile.
struct PartitionSpec {
    std::string model; // ONNX path when saved
    std::string platform = "torch-cpu-1t";
    std::string cloudPlatform; // empty: cloud time negligible
    double bandwidthBps = 5.85e6;
    int jobs = 4;
};
struct StoredPartition {
    int64_t id = 0;
    std::string name;
    PartitionSpec spec;
    partition::MeasuredProfile profile;
};

nlohmann::json profileJson(const partition::Profile &p);
partition::Profile profileFromJson(const nlohmann::json &j, const std::string &where);

int64_t savePartitionExperiment(Database &project, const std::string &name, const PartitionSpec &spec,
                                const partition::MeasuredProfile &profile);
// Throws sniper::Error when the experiment is missing, not "partition" or malformed. The model
// path is kept as stored; resolveModelPath finds it when the project moved to another machine.
StoredPartition loadPartitionExperiment(Database &project, int64_t id);
// `stored` if it exists, else the file of the same name in `fallbackDir` (the bundled models),
// else `stored` unchanged.
std::string resolveModelPath(const std::string &stored, const std::string &fallbackDir);

// The id of the newest experiment of `kind`, if any.
std::optional<int64_t> newestExperiment(Database &project, const std::string &kind);

} // namespace sniper::db
