#include "experimentstore.h"

#include "common/error.h"
#include "measurements.h"

#include <cstdio>
#include <filesystem>
#include <sstream>

namespace sniper::db {

namespace {

const char *const kScheduling = "scheduling";
const char *const kPartition = "partition";

// A field of a stored config: present and of the expected type, else an error naming it.
template <typename T>
T field(const nlohmann::json &j, const char *key, const std::string &where)
{
    if (!j.is_object() || !j.contains(key))
        throw Error(std::string("missing field '") + key + "'", where);
    try {
        return j.at(key).get<T>();
    } catch (const nlohmann::json::exception &) {
        throw Error(std::string("field '") + key + "' has the wrong type", where);
    }
}

template <typename T>
T fieldOr(const nlohmann::json &j, const char *key, T fallback, const std::string &where)
{
    return j.is_object() && j.contains(key) ? field<T>(j, key, where) : fallback;
}

std::string hashText(uint64_t h)
{
    char buf[24];
    std::snprintf(buf, sizeof buf, "%016llx", static_cast<unsigned long long>(h));
    return buf;
}

nlohmann::json schedMetricsJson(const sched::Metrics &m)
{
    return {{"tasks", m.tasks}, {"makespan_s", m.makespan}, {"tps", m.tps}, {"awt_s", m.awt},
            {"mean_response_s", m.meanResponse}, {"load_std", m.loadStd}, {"miss_rate", m.missRate},
            {"p50_s", m.p50}, {"p95_s", m.p95}, {"p99_s", m.p99}, {"utilization", m.utilization}};
}

ExperimentRecord findExperiment(Database &project, int64_t id, const char *kind)
{
    auto r = ExperimentRepository(project).find(id);
    const std::string where = "experiment " + std::to_string(id);
    if (!r)
        throw Error("no such experiment in the project", where);
    if (r->kind != kind)
        throw Error("is a '" + r->kind + "' experiment, not '" + kind + "'", where);
    return *r;
}

} // namespace

sched::LatencyTable loadClusterLatencies(Database &project, const sched::Cluster &cluster, int *dropped)
{
    MeasurementFilter filter;
    filter.status = runtime::MeasurementStatus::Ok;
    std::vector<sched::LatencySample> samples;
    for (const auto &r : MeasurementRepository(project).list(filter))
        if (r.batch() == 1)
            samples.push_back({r.modelId, r.modelName, r.measurement.platform, r.measurement.stats.medianMs});
    sched::LatencyTable table = sched::clusterLatencyTable(samples, cluster, dropped);
    if (table.modelCount() == 0)
        throw Error("no model of the project has a measured latency on the cluster's platforms: profile them first "
                    "(sniper profile, or the Generator and profiling view)",
                    project.path());
    return table;
}

SchedulingOutcome runScheduling(Database &project, const SchedulingSpec &spec,
                                const std::function<bool(int, int)> &progress)
{
    if (spec.policies.empty())
        throw Error("no policy to simulate", "policies");
    for (const auto &name : spec.policies)
        sched::makePolicy(name); // an unknown name fails before any work
    if (spec.predictor != "perfect" && spec.predictor != "noisy")
        throw Error("unknown predictor '" + spec.predictor + "' (perfect, noisy)", "predictor");
    SchedulingOutcome out;
    out.cluster = sched::parseCluster(spec.nodes, spec.bandwidthMBps);
    const sched::LatencyTable table = loadClusterLatencies(project, out.cluster);
    out.models = table.modelCount();
    sched::WorkloadConfig w = spec.workload;
    w.trace = nullptr;
    sched::Trace trace;
    if (!spec.traceCsv.empty()) {
        std::istringstream in(spec.traceCsv);
        trace = sched::parseTraceCsv(in, table, spec.traceName.empty() ? "trace" : spec.traceName);
        w.trace = &trace;
    }
    const int total = int(spec.policies.size()) + 1;
    out.work = sched::generateWorkload(out.cluster, table, w, spec.seed);
    const sched::Predictor predictor = spec.predictor == "perfect"
        ? sched::perfectPredictor(table)
        : sched::noisyPredictor(table, spec.predictionError, spec.seed ^ 0x5eedull);
    if (progress && !progress(1, total)) {
        out.cancelled = true;
        return out;
    }
    for (const auto &name : spec.policies) {
        auto policy = sched::makePolicy(name);
        SchedulingOutcome::PolicyRun p;
        p.name = name;
        p.log = sched::simulate(out.cluster, table, out.work, *policy, predictor);
        p.metrics = sched::computeMetrics(p.log, out.work, int(out.cluster.size()));
        out.policies.push_back(std::move(p));
        if (progress && !progress(int(out.policies.size()) + 1, total) && out.policies.size() < spec.policies.size()) {
            out.cancelled = true;
            break;
        }
    }
    return out;
}

nlohmann::json schedulingSpecJson(const SchedulingSpec &s)
{
    const auto &w = s.workload;
    nlohmann::json j = {{"nodes", s.nodes}, {"bandwidth_mbps", s.bandwidthMBps}, {"policies", s.policies},
                        {"predictor", s.predictor}, {"prediction_error", s.predictionError}, {"seed", s.seed},
                        {"rate", w.rate}, {"duration_s", w.duration}, {"max_tasks", w.maxTasks},
                        {"new_prob", w.newProb}, {"variant_sigma", w.variantSigma}, {"data_min", w.dataMin},
                        {"data_max", w.dataMax}, {"deadline_slack", w.deadlineSlack}, {"deadline_ms", w.deadlineMs},
                        {"input_bytes", w.inputBytes}, {"output_bytes", w.outputBytes},
                        {"service", w.service == sched::ServiceDistribution::Exponential ? "exponential" : "deterministic"}};
    if (!s.traceCsv.empty()) {
        j["trace_csv"] = s.traceCsv;
        j["trace_name"] = s.traceName;
    }
    return j;
}

SchedulingSpec schedulingSpecFromJson(const nlohmann::json &j)
{
    const std::string where = "scheduling experiment config";
    SchedulingSpec s;
    auto &w = s.workload;
    s.nodes = field<std::string>(j, "nodes", where);
    s.bandwidthMBps = field<double>(j, "bandwidth_mbps", where);
    s.policies = field<std::vector<std::string>>(j, "policies", where);
    s.predictor = fieldOr<std::string>(j, "predictor", s.predictor, where);
    s.predictionError = fieldOr<double>(j, "prediction_error", s.predictionError, where);
    s.seed = field<uint64_t>(j, "seed", where);
    w.rate = field<double>(j, "rate", where);
    w.duration = field<double>(j, "duration_s", where);
    w.maxTasks = fieldOr<int64_t>(j, "max_tasks", w.maxTasks, where);
    w.newProb = field<double>(j, "new_prob", where);
    w.variantSigma = fieldOr<double>(j, "variant_sigma", w.variantSigma, where);
    w.dataMin = fieldOr<int>(j, "data_min", w.dataMin, where);
    w.dataMax = fieldOr<int>(j, "data_max", w.dataMax, where);
    w.deadlineSlack = fieldOr<double>(j, "deadline_slack", w.deadlineSlack, where);
    w.deadlineMs = fieldOr<double>(j, "deadline_ms", w.deadlineMs, where);
    w.inputBytes = fieldOr<double>(j, "input_bytes", w.inputBytes, where);
    w.outputBytes = fieldOr<double>(j, "output_bytes", w.outputBytes, where);
    const auto service = fieldOr<std::string>(j, "service", "deterministic", where);
    if (service != "deterministic" && service != "exponential")
        throw Error("field 'service' must be deterministic or exponential, got '" + service + "'", where);
    w.service = service == "exponential" ? sched::ServiceDistribution::Exponential
                                         : sched::ServiceDistribution::Deterministic;
    s.traceCsv = fieldOr<std::string>(j, "trace_csv", "", where);
    s.traceName = fieldOr<std::string>(j, "trace_name", "", where);
    return s;
}

int64_t saveSchedulingExperiment(Database &project, const std::string &name, const SchedulingSpec &spec,
                                 const SchedulingOutcome &outcome)
{
    if (outcome.cancelled)
        throw Error("a cancelled simulation is not saved", name);
    ExperimentRecord r;
    r.name = name;
    r.kind = kScheduling;
    r.config = schedulingSpecJson(spec);
    r.seed = int64_t(spec.seed);
    nlohmann::json policies = nlohmann::json::object();
    for (const auto &p : outcome.policies) {
        auto m = schedMetricsJson(p.metrics);
        m["event_log_hash"] = hashText(p.log.hash(outcome.work));
        policies[p.name] = std::move(m);
    }
    r.results = {{"tasks", outcome.work.size()}, {"models", outcome.models}, {"nodes", outcome.cluster.size()},
                 {"policies", std::move(policies)}};
    return ExperimentRepository(project).insert(r);
}

SchedulingOutcome reopenSchedulingExperiment(Database &project, int64_t id,
                                             const std::function<bool(int, int)> &progress)
{
    const ExperimentRecord r = findExperiment(project, id, kScheduling);
    const std::string where = "experiment " + std::to_string(id) + " '" + r.name + "'";
    SchedulingSpec spec;
    try {
        spec = schedulingSpecFromJson(r.config);
    } catch (const Error &e) {
        throw Error(e.what(), where);
    }
    SchedulingOutcome out = runScheduling(project, spec, progress);
    if (out.cancelled)
        return out;
    const auto &stored = r.results.contains("policies") ? r.results["policies"] : nlohmann::json::object();
    for (const auto &p : out.policies) {
        if (!stored.contains(p.name) || !stored[p.name].contains("event_log_hash"))
            throw Error("no stored result for policy '" + p.name + "'", where);
        const std::string want = stored[p.name]["event_log_hash"].get<std::string>();
        const std::string got = hashText(p.log.hash(out.work));
        if (want != got)
            throw Error("policy '" + p.name + "' gives a different event log now (hash " + got + ", stored " + want +
                            "): the project's latencies changed since the experiment was saved; run it again "
                            "and save it anew",
                        where);
    }
    return out;
}

nlohmann::json profileJson(const partition::Profile &p)
{
    nlohmann::json cuts = nlohmann::json::array();
    for (const auto &c : p.cuts)
        cuts.push_back({{"after", c.after}, {"local_ms", c.localMs}, {"bytes", c.bytes}, {"cloud_ms", c.cloudMs}});
    return {{"model", p.model}, {"line_structure", p.lineStructure}, {"layers", p.layers}, {"cuts", std::move(cuts)}};
}

partition::Profile profileFromJson(const nlohmann::json &j, const std::string &where)
{
    partition::Profile p;
    p.model = fieldOr<std::string>(j, "model", "", where);
    p.lineStructure = fieldOr<bool>(j, "line_structure", true, where);
    p.layers = fieldOr<int>(j, "layers", 0, where);
    const auto cuts = field<nlohmann::json>(j, "cuts", where);
    if (!cuts.is_array() || cuts.empty())
        throw Error("field 'cuts' must be a non-empty array", where);
    for (size_t i = 0; i < cuts.size(); ++i) {
        const std::string at = where + ", cut " + std::to_string(i);
        partition::CutPoint c;
        c.after = field<std::string>(cuts[i], "after", at);
        c.localMs = field<double>(cuts[i], "local_ms", at);
        c.bytes = field<int64_t>(cuts[i], "bytes", at);
        c.cloudMs = fieldOr<double>(cuts[i], "cloud_ms", 0.0, at);
        if (!(c.localMs >= 0) || c.bytes < 0 || !(c.cloudMs >= 0))
            throw Error("negative or non-finite time or size", at);
        p.cuts.push_back(std::move(c));
    }
    return p;
}

int64_t savePartitionExperiment(Database &project, const std::string &name, const PartitionSpec &spec,
                                const partition::MeasuredProfile &profile)
{
    if (spec.jobs < 1 || !(spec.bandwidthBps > 0))
        throw Error("needs at least one job and a bandwidth > 0", name);
    ExperimentRecord r;
    r.name = name;
    r.kind = kPartition;
    r.config = {{"model", spec.model}, {"platform", spec.platform}, {"cloud_platform", spec.cloudPlatform},
                {"bandwidth_bps", spec.bandwidthBps}, {"jobs", spec.jobs}};
    r.results = {{"raw", profileJson(profile.raw)}, {"merged", profileJson(profile.merged)}};
    return ExperimentRepository(project).insert(r);
}

StoredPartition loadPartitionExperiment(Database &project, int64_t id)
{
    const ExperimentRecord r = findExperiment(project, id, kPartition);
    const std::string where = "experiment " + std::to_string(id) + " '" + r.name + "'";
    StoredPartition s;
    s.id = r.id;
    s.name = r.name;
    s.spec.model = field<std::string>(r.config, "model", where);
    s.spec.platform = field<std::string>(r.config, "platform", where);
    s.spec.cloudPlatform = fieldOr<std::string>(r.config, "cloud_platform", "", where);
    s.spec.bandwidthBps = field<double>(r.config, "bandwidth_bps", where);
    s.spec.jobs = field<int>(r.config, "jobs", where);
    if (s.spec.jobs < 1 || !(s.spec.bandwidthBps > 0))
        throw Error("needs at least one job and a bandwidth > 0", where);
    s.profile.raw = profileFromJson(field<nlohmann::json>(r.results, "raw", where), where + ", raw profile");
    s.profile.merged = profileFromJson(field<nlohmann::json>(r.results, "merged", where), where + ", merged profile");
    return s;
}

std::string resolveModelPath(const std::string &stored, const std::string &fallbackDir)
{
    namespace fs = std::filesystem;
    std::error_code ec;
    if (fs::exists(stored, ec))
        return stored;
    const fs::path candidate = fs::path(fallbackDir) / fs::path(stored).filename();
    return fs::exists(candidate, ec) ? candidate.string() : stored;
}

std::optional<int64_t> newestExperiment(Database &project, const std::string &kind)
{
    std::optional<int64_t> id;
    for (const auto &r : ExperimentRepository(project).list(kind))
        if (!id || r.id > *id)
            id = r.id;
    return id;
}

} // namespace sniper::db
