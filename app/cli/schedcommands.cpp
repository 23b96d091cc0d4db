// sniper schedule run | sweep: scheduling experiments (SPEC §10) on the project's latencies.

#include "cli/commands.h"

#include "common/error.h"
#include "database.h"
#include "defaultproject.h"
#include "experimentstore.h"
#include "sched/sched.h"

#include <CLI/CLI.hpp>

#include <chrono>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <memory>
#include <sstream>

namespace sniper::cli {

namespace {

struct ScheduleOptions {
    std::string db;
    std::string policies = "polling,edf,slo,sniper,mect";
    std::string nodes = "torch-cpu-1t:3,opencv-cpu-1t:3,torch-cpu-2t:2,opencv-cpu-2t:2";
    double bandwidth = 100;
    std::string newProb = "0";
    double duration = 400;
    uint64_t seed = 1;
    std::string predictor = "noisy";
    double predictionError = 0.08;
    double variantSigma = 0.1;
    double slack = 10;
    int dataMax = 1;
    std::string trace;
    std::string out;
};

std::vector<std::string> splitList(const std::string &text)
{
    std::vector<std::string> items;
    std::stringstream in(text);
    std::string item;
    while (std::getline(in, item, ','))
        if (!item.empty())
            items.push_back(item);
    return items;
}

double parseNumber(const std::string &text, const char *what)
{
    size_t used = 0;
    double v = 0;
    try {
        v = std::stod(text, &used);
    } catch (const std::exception &) {
        used = 0;
    }
    if (used != text.size() || !std::isfinite(v))
        throw Error("'" + text + "' is not a number", what);
    return v;
}

// "10:80:5" (start:stop:step, inclusive) or "10,20,40".
std::vector<double> parseRates(const std::string &text)
{
    std::vector<double> rates;
    if (text.find(':') != std::string::npos) {
        std::vector<std::string> parts;
        std::stringstream in(text);
        std::string p;
        while (std::getline(in, p, ':'))
            parts.push_back(p);
        if (parts.size() != 3)
            throw Error("expected start:stop:step, got '" + text + "'", "--rates");
        const double a = parseNumber(parts[0], "--rates"), b = parseNumber(parts[1], "--rates"),
                     s = parseNumber(parts[2], "--rates");
        if (s <= 0 || b < a)
            throw Error("need step > 0 and stop >= start in '" + text + "'", "--rates");
        for (int i = 0; a + i * s <= b + 1e-9; ++i)
            rates.push_back(a + i * s);
    } else {
        for (const auto &item : splitList(text))
            rates.push_back(parseNumber(item, "--rates"));
    }
    for (double r : rates)
        if (r < 0)
            throw Error("rates must be >= 0, got " + std::to_string(r), "--rates");
    if (rates.empty())
        throw Error("no rates given", "--rates");
    return rates;
}

std::vector<double> parseProbs(const std::string &text)
{
    std::vector<double> probs;
    for (const auto &item : splitList(text)) {
        const double p = parseNumber(item, "--new-prob");
        if (p < 0 || p > 1)
            throw Error("p must be in [0, 1], got " + item, "--new-prob");
        probs.push_back(p);
    }
    if (probs.empty())
        throw Error("no probability given", "--new-prob");
    return probs;
}

// The project's latencies on the cluster (db::loadClusterLatencies); dropped models on stderr.
sched::LatencyTable loadLatencies(const std::string &path, const sched::Cluster &cluster)
{
    db::Database project = db::openExistingProject(path);
    int dropped = 0;
    sched::LatencyTable table = db::loadClusterLatencies(project, cluster, &dropped);
    if (dropped)
        std::cerr << dropped << " models have no latency on the cluster's platforms and are left out\n";
    return table;
}

sched::Predictor makePredictor(const ScheduleOptions &o, const sched::LatencyTable &table)
{
    if (o.predictor == "perfect")
        return sched::perfectPredictor(table);
    if (o.predictor == "noisy")
        return sched::noisyPredictor(table, o.predictionError, o.seed ^ 0x5eedull);
    throw Error("unknown predictor '" + o.predictor + "' (perfect, noisy)", "--predictor");
}

void addCommonOptions(CLI::App *cmd, ScheduleOptions &o)
{
    o.db = db::defaultProjectPath();
    cmd->add_option("--db", o.db, "project database with measured latencies");
    cmd->add_option("--policies", o.policies, "comma-separated: polling,edf,slo,sniper,mect");
    cmd->add_option("--nodes", o.nodes, "cluster: platform:count,... (one node = one server)");
    cmd->add_option("--bandwidth", o.bandwidth, "link bandwidth of every node, MB/s (Td, Tb); 0: free");
    cmd->add_option("--duration", o.duration, "seconds of arrivals per experiment");
    cmd->add_option("--seed", o.seed, "seed: same seed, same event log");
    cmd->add_option("--predictor", o.predictor, "Sniper's latencies: perfect | noisy");
    cmd->add_option("--prediction-error", o.predictionError, "noisy predictor: relative error (lognormal sigma)");
    cmd->add_option("--variant-sigma", o.variantSigma, "fresh variant latency factor: lognormal sigma");
    cmd->add_option("--slack", o.slack, "Tm = slack x fastest response on the cluster");
    cmd->add_option("--data-max", o.dataMax, "data D uniform in [1, this]");
}

sched::WorkloadConfig workloadConfig(const ScheduleOptions &o)
{
    sched::WorkloadConfig w;
    w.duration = o.duration;
    w.variantSigma = o.variantSigma;
    w.deadlineSlack = o.slack;
    w.dataMax = o.dataMax;
    return w;
}

void printRow(
    const std::string &policy, double rate, double p, double tps, double awt, double load, double miss, double p95)
{
    std::printf(
        "%-8s %6.1f %6.3f %9.2f %10.4f %9.4f %8.4f %9.4f\n", policy.c_str(), rate, p, tps, awt, load, miss, p95);
}

void writeFile(const std::filesystem::path &path, const std::string &text)
{
    std::ofstream out(path);
    out << text;
    if (!out)
        throw Error("cannot write", path.string());
}

db::SchedulingSpec specOf(const ScheduleOptions &o)
{
    db::SchedulingSpec spec;
    spec.nodes = o.nodes;
    spec.bandwidthMBps = o.bandwidth;
    spec.workload = workloadConfig(o);
    spec.policies = splitList(o.policies);
    spec.predictor = o.predictor;
    spec.predictionError = o.predictionError;
    spec.seed = o.seed;
    return spec;
}

// The metrics table on stdout; with `out`, events_<policy>.csv and utilization_<policy>.csv.
void printOutcome(const db::SchedulingOutcome &run, const db::SchedulingSpec &spec, const std::string &out)
{
    const auto &work = run.work;
    const auto &cluster = run.cluster;
    if (!out.empty())
        std::filesystem::create_directories(out);
    std::printf("%-8s %6s %6s %9s %10s %9s %8s %9s\n", "policy", "T", "p", "TPS", "AWT_s", "load_std", "miss", "p95_s");
    for (const auto &p : run.policies) {
        const sched::Metrics &m = p.metrics;
        printRow(p.name, spec.workload.rate, spec.workload.newProb, m.tps, m.awt, m.loadStd, m.missRate, m.p95);
        if (out.empty())
            continue;
        const sched::EventLog &log = p.log;
        std::ostringstream ev;
        ev << "task,arrival_s,model_id,variant,data,deadline_s,node,platform,start_s,finish_s\n";
        char buf[256];
        for (size_t i = 0; i < log.size(); ++i) {
            std::snprintf(buf, sizeof buf, "%zu,%.9g,%lld,%d,%d,%.9g,%d,%s,%.9g,%.9g\n", i, work.arrival[i],
                static_cast<long long>(work.modelId[i]), int(work.variant[i]), work.data[i], work.deadline[i],
                log.node[i], cluster[size_t(log.node[i])].platform.c_str(), log.start[i], log.finish[i]);
            ev << buf;
        }
        writeFile(std::filesystem::path(out) / ("events_" + p.name + ".csv"), ev.str());
        const auto u = sched::utilizationOverTime(log, int(cluster.size()), 1.0);
        std::ostringstream uc;
        uc << "second";
        for (size_t j = 0; j < cluster.size(); ++j)
            uc << ",node" << j << ':' << cluster[j].platform;
        uc << '\n';
        for (size_t b = 0; !u.empty() && b < u[0].size(); ++b) {
            uc << b;
            for (const auto &node : u)
                uc << ',' << node[b];
            uc << '\n';
        }
        writeFile(std::filesystem::path(out) / ("utilization_" + p.name + ".csv"), uc.str());
    }
}

} // namespace

void addScheduleCommands(CLI::App &app, int &code)
{
    auto *schedule
        = app.add_subcommand("schedule", "scheduling experiments: simulate policies on the project's latencies");
    schedule->require_subcommand(1);
    {
        auto *cmd = schedule->add_subcommand("run", "one experiment per policy; metrics, event logs");
        auto o = std::make_shared<ScheduleOptions>();
        auto rate = std::make_shared<double>(40);
        addCommonOptions(cmd, *o);
        cmd->add_option("--rate", *rate, "T: tasks per second (Poisson)");
        cmd->add_option("--new-prob", o->newProb, "p: probability of a fresh, never measured variant");
        cmd->add_option("--trace", o->trace, "replay arrivals from a CSV: time_s[,model id or name]");
        cmd->add_option("--out", o->out, "folder for events_<policy>.csv and utilization_<policy>.csv");
        auto save = std::make_shared<std::string>();
        cmd->add_option("--save", *save, "store the experiment in the project under this name (reopened by "
                                         "`sniper schedule replay` and the Scheduling view)");
        cmd->callback([o, rate, save, &code] {
            if (*rate < 0)
                throw Error("the rate must be >= 0", "--rate");
            db::SchedulingSpec spec = specOf(*o);
            spec.workload.rate = *rate;
            spec.workload.newProb = parseProbs(o->newProb).front();
            if (!o->trace.empty()) {
                std::ifstream in(o->trace);
                std::ostringstream text;
                text << in.rdbuf();
                if (!in)
                    throw Error("cannot read the trace", o->trace);
                spec.traceCsv = text.str();
                spec.traceName = o->trace;
            }
            db::Database project = db::openExistingProject(o->db);
            const db::SchedulingOutcome run = db::runScheduling(project, spec);
            printOutcome(run, spec, o->out);
            if (!save->empty())
                std::cerr << "saved as experiment " << db::saveSchedulingExperiment(project, *save, spec, run) << "\n";
            code = 0;
        });
    }
    {
        auto *cmd = schedule->add_subcommand("replay", "run a stored scheduling experiment again and check its event logs");
        auto db = std::make_shared<std::string>(db::defaultProjectPath());
        auto which = std::make_shared<std::string>("latest");
        auto out = std::make_shared<std::string>();
        cmd->add_option("experiment", *which, "experiment id, or 'latest'")->capture_default_str();
        cmd->add_option("--db", *db, "project database");
        cmd->add_option("--out", *out, "folder for events_<policy>.csv and utilization_<policy>.csv");
        cmd->callback([db, which, out, &code] {
            db::Database project = db::openExistingProject(*db);
            int64_t id = 0;
            if (*which == "latest") {
                const auto newest = db::newestExperiment(project, "scheduling");
                if (!newest)
                    throw Error("no scheduling experiment in the project (sniper schedule run --save NAME)", *db);
                id = *newest;
            } else {
                id = int64_t(parseNumber(*which, "experiment"));
            }
            const db::SchedulingOutcome run = db::reopenSchedulingExperiment(project, id);
            const auto record = db::ExperimentRepository(project).find(id);
            printOutcome(run, db::schedulingSpecFromJson(record->config), *out);
            std::cerr << "experiment " << id << " '" << record->name << "': every event log equals the stored one\n";
            code = 0;
        });
    }
    {
        auto *cmd = schedule->add_subcommand("sweep", "sweep T and p over seeds: CSV with 95% CIs and SVG figures");
        auto o = std::make_shared<ScheduleOptions>();
        auto rates = std::make_shared<std::string>("10:80:5");
        auto seeds = std::make_shared<int>(5);
        addCommonOptions(cmd, *o);
        cmd->add_option("--rates", *rates, "T values: start:stop:step or a comma list");
        cmd->add_option("--new-prob", o->newProb, "p values, comma list");
        cmd->add_option("--seeds", *seeds, "independent workloads per (T, p)")->check(CLI::PositiveNumber);
        cmd->add_option("--out", o->out, "folder for sweep.csv and the SVG figures");
        cmd->callback([o, rates, seeds, &code] {
            const sched::Cluster cluster = sched::parseCluster(o->nodes, o->bandwidth);
            sched::SweepConfig s;
            s.rates = parseRates(*rates);
            s.newProbs = parseProbs(o->newProb);
            s.policies = splitList(o->policies);
            for (const auto &p : s.policies)
                sched::makePolicy(p); // validate names before any work
            s.seeds = *seeds;
            s.seed = o->seed;
            s.workload = workloadConfig(*o);
            const sched::LatencyTable table = loadLatencies(o->db, cluster);
            std::cerr << table.modelCount() << " models, " << cluster.size() << " nodes\n";
            const auto t0 = std::chrono::steady_clock::now();
            const auto rows = sched::runSweep(cluster, table, makePredictor(*o, table), s);
            const double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
            std::printf(
                "%-8s %6s %6s %9s %10s %9s %8s %9s\n", "policy", "T", "p", "TPS", "AWT_s", "load_std", "miss", "p95_s");
            for (const auto &r : rows)
                printRow(
                    r.policy, r.rate, r.newProb, r.tps.mean, r.awt.mean, r.loadStd.mean, r.missRate.mean, r.p95.mean);
            std::cerr << "sweep took " << secs << " s\n";
            if (!o->out.empty()) {
                const std::filesystem::path dir(o->out);
                std::filesystem::create_directories(dir);
                std::ostringstream csv;
                sched::writeSweepCsv(csv, rows);
                writeFile(dir / "sweep.csv", csv.str());
                char name[64];
                for (double p : s.newProbs) {
                    std::snprintf(name, sizeof name, "%g", p);
                    writeFile(dir / (std::string("awt_vs_T_p") + name + ".svg"),
                        sched::sweepSvg(rows, sched::SweepMetric::Awt, p));
                    writeFile(dir / (std::string("tps_vs_T_p") + name + ".svg"),
                        sched::sweepSvg(rows, sched::SweepMetric::Tps, p));
                    writeFile(dir / (std::string("loadstd_vs_T_p") + name + ".svg"),
                        sched::sweepSvg(rows, sched::SweepMetric::LoadStd, p));
                }
                if (s.newProbs.size() > 1)
                    for (double r : s.rates) {
                        std::snprintf(name, sizeof name, "%g", r);
                        writeFile(dir / (std::string("awt_vs_p_T") + name + ".svg"),
                            sched::sweepSvg(rows, sched::SweepMetric::Awt, r, true));
                    }
                std::cerr << "wrote " << (dir / "sweep.csv").string() << " and SVG figures\n";
            }
            code = 0;
        });
    }
}

} // namespace sniper::cli
