// sniper partition: JPS joint partition and pipeline scheduling of n jobs of one model.

#include "cli/commands.h"

#include "common/error.h"
#include "defaultproject.h"
#include "experimentstore.h"
#include "onnx/onnximport.h"
#include "partition/partition.h"

#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>

namespace sniper::cli {

namespace {

struct PartitionOptions {
    std::string model;
    int jobs = 100;
    std::vector<std::string> bandwidths { "5.85Mbps" };
    std::string platform = "torch-cpu-1t";
    std::string cloudPlatform;
    double cloudSpeedup = 0;
    double w0Ms = 0;
    double w1 = 1;
    int repeats = 5;
    bool json = false;
    std::string out;
    std::string save; // experiment name in the project
    std::string db;
};

void writeFile(const std::filesystem::path &path, const std::string &text)
{
    std::ofstream f(path);
    f << text;
    if (!f)
        throw Error("cannot write " + path.string());
}

int runPartition(const PartitionOptions &o)
{
    if (o.jobs < 1)
        throw Error("--jobs must be at least 1, got " + std::to_string(o.jobs));
    if (!o.cloudPlatform.empty() && o.cloudSpeedup != 0)
        throw Error("give either --cloud-platform or --cloud-speedup, not both");
    if (o.cloudSpeedup < 0)
        throw Error("--cloud-speedup must be positive, got " + std::to_string(o.cloudSpeedup));
    std::vector<double> bps;
    for (const std::string &b : o.bandwidths)
        bps.push_back(partition::parseBandwidth(b));
    const graph::Graph g = onnx::importOnnxFile(o.model);
    const partition::MeasuredProfile measured = partition::measureProfile(
        g, { o.platform, o.cloudPlatform, o.cloudSpeedup, o.repeats });
    const partition::Profile &raw = measured.raw;
    const partition::Profile &p = measured.merged;
    if (!o.save.empty()) {
        db::Database project = db::openProject(o.db);
        const db::PartitionSpec spec { std::filesystem::absolute(o.model).string(), o.platform, o.cloudPlatform,
                                       bps.front(), o.jobs };
        std::cerr << "saved as experiment " << db::savePartitionExperiment(project, o.save, spec, measured)
                  << " in " << o.db << "\n";
    }

    nlohmann::json report
        = { { "model", o.model }, { "platform", o.platform }, { "jobs", o.jobs }, { "line_structure", p.lineStructure },
              { "layers", p.layers }, { "cut_points", p.cuts.size() }, { "cut_points_before_merge", raw.cuts.size() },
              { "local_only_ms_per_job", p.cuts.back().localMs }, { "w0_ms", o.w0Ms }, { "w1", o.w1 } };
    if (!o.cloudPlatform.empty())
        report["cloud_platform"] = o.cloudPlatform;
    if (o.cloudSpeedup > 0)
        report["cloud_speedup"] = o.cloudSpeedup;
    if (!o.out.empty())
        std::filesystem::create_directories(o.out);
    for (size_t i = 0; i < bps.size(); ++i) {
        partition::CommModel comm { o.w0Ms, o.w1, bps[i] };
        const partition::PlanComparison cmp = partition::comparePlans(p, comm, o.jobs);
        const std::vector<double> &f = cmp.f, &gg = cmp.g;
        const std::vector<partition::Plan> &plans = cmp.plans;
        const partition::Plan &lo = *cmp.find("LO");
        nlohmann::json row = { { "bandwidth", o.bandwidths[i] }, { "bandwidth_bps", bps[i] } };
        for (const partition::Plan &plan : plans) {
            nlohmann::json pj = { { "makespan_ms", plan.makespan },
                { "reduction_vs_lo_percent", 100.0 * (1.0 - plan.makespan / lo.makespan) } };
            if (plan.method == "JPS") {
                pj["cut_left"] = p.cuts[plan.cutLeft].after;
                pj["cut_right"] = p.cuts[plan.cutRight].after;
                pj["jobs_left"] = plan.jobsLeft;
                pj["jobs_right"] = plan.jobsRight;
                pj["paper_ratio"] = plan.ratio;
            } else {
                pj["cut"] = p.cuts[plan.jobCut.front()].after;
            }
            row[plan.method] = pj;
        }
        report["results"].push_back(row);
        if (!o.out.empty()) {
            const std::string tag = std::to_string(i);
            writeFile(std::filesystem::path(o.out) / ("curves_" + tag + ".csv"), partition::curvesCsv(p, f, gg));
            for (const partition::Plan &plan : plans) {
                writeFile(std::filesystem::path(o.out) / ("schedule_" + plan.method + "_" + tag + ".csv"),
                    partition::scheduleCsv(plan.schedule));
                writeFile(std::filesystem::path(o.out) / ("gantt_" + plan.method + "_" + tag + ".svg"),
                    partition::ganttSvg(plan.schedule, plan.method + " at " + o.bandwidths[i]));
            }
        }
    }
    if (!o.out.empty()) {
        writeFile(std::filesystem::path(o.out) / "partition.json", report.dump(2));
        // JPS Fig. 12 style: total latency of the n jobs per bandwidth and scheme.
        const std::vector<std::string> methods { "LO", "CO", "PO", "JPS" };
        std::vector<std::vector<double>> seconds;
        std::string csv = "bandwidth,LO_s,CO_s,PO_s,JPS_s\n";
        for (const auto &row : report["results"]) {
            seconds.emplace_back();
            csv += row["bandwidth"].get<std::string>();
            for (const std::string &m : methods) {
                seconds.back().push_back(row[m]["makespan_ms"].get<double>() / 1000.0);
                csv += "," + std::to_string(seconds.back().back());
            }
            csv += "\n";
        }
        writeFile(std::filesystem::path(o.out) / "makespans.csv", csv);
        writeFile(std::filesystem::path(o.out) / "makespans.svg",
            partition::groupedBarsSvg(o.bandwidths, methods, seconds,
                std::filesystem::path(o.model).stem().string() + ", " + std::to_string(o.jobs) + " jobs",
                "Total latency (s)"));
    }
    if (o.json) {
        std::cout << report.dump(2) << "\n";
        return 0;
    }
    std::printf("%s: %d layers, %zu cut points (%zu before virtual blocks), %s, local-only %.2f ms/job on %s\n",
        o.model.c_str(), p.layers, p.cuts.size(), raw.cuts.size(),
        p.lineStructure ? "line structure" : "general DAG (topological-prefix cuts)", p.cuts.back().localMs,
        o.platform.c_str());
    std::printf("%-12s %12s %12s %12s %12s %8s %8s  %s\n", "bandwidth", "LO ms", "CO ms", "PO ms", "JPS ms", "PO %",
        "JPS %", "JPS cuts");
    for (const auto &row : report["results"]) {
        const auto &jps = row["JPS"];
        std::printf("%-12s %12.1f %12.1f %12.1f %12.1f %8.2f %8.2f  %d x %s + %d x %s\n",
            row["bandwidth"].get<std::string>().c_str(), row["LO"]["makespan_ms"].get<double>(),
            row["CO"]["makespan_ms"].get<double>(), row["PO"]["makespan_ms"].get<double>(),
            jps["makespan_ms"].get<double>(), row["PO"]["reduction_vs_lo_percent"].get<double>(),
            jps["reduction_vs_lo_percent"].get<double>(), jps["jobs_left"].get<int>(),
            jps["cut_left"].get<std::string>().c_str(), jps["jobs_right"].get<int>(),
            jps["cut_right"].get<std::string>().c_str());
    }
    return 0;
}

} // namespace

void addPartitionCommands(CLI::App &app, int &code)
{
    auto o = std::make_shared<PartitionOptions>();
    auto *cmd = app.add_subcommand("partition", "JPS: partition and pipeline-schedule n jobs of a model (SPEC §11)");
    cmd->add_option("model", o->model, "ONNX model")->required()->check(CLI::ExistingFile);
    cmd->add_option("--jobs,-n", o->jobs, "number of identical jobs")->capture_default_str();
    cmd->add_option("--bandwidth,-b", o->bandwidths, "uplink bandwidth(s): 5.85Mbps, 800kbps, 3G, 4G, wifi")
        ->capture_default_str();
    cmd->add_option("--platform,-p", o->platform, "device platform measured per layer")->capture_default_str();
    cmd->add_option("--cloud-platform", o->cloudPlatform, "platform whose per-layer times are the cloud's");
    cmd->add_option("--cloud-speedup", o->cloudSpeedup, "cloud time = device time / X (default: negligible)");
    cmd->add_option("--w0", o->w0Ms, "communication set-up time w0 in ms")->capture_default_str();
    cmd->add_option("--w1", o->w1, "communication slope w1 (1 = ideal link)")->capture_default_str();
    cmd->add_option("--repeats", o->repeats, "timed runs per layer (median)")
        ->capture_default_str()
        ->check(CLI::Range(1, 1000));
    cmd->add_flag("--json", o->json, "print JSON");
    cmd->add_option("--out", o->out, "folder for curves/schedule CSV, Gantt SVG and partition.json");
    o->db = db::defaultProjectPath();
    cmd->add_option("--save", o->save, "store the measured profile in the project under this name (the Partition "
                                       "view reopens it; the first bandwidth and the job count go with it)");
    cmd->add_option("--db", o->db, "project database for --save");
    cmd->callback([o, &code] { code = runPartition(*o); });
}

} // namespace sniper::cli
