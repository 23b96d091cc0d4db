// sniper platforms | generate | profile | db ...: the project database and local campaigns.

#include "cli/commands.h"

#include "builders.h"
#include "campaign.h"
#include "common/error.h"
#include "database.h"
#include "defaultproject.h"
#include "generator/generator.h"
#include "generator/generatorspec.h"
#include "importexport.h"
#include "latencytable.h"
#include "measurements.h"
#include "models.h"
#include "collections.h"
#include "onnx/onnxexport.h"
#include "predictdata.h"
#include "runtime/contention.h"
#include "runtime/runtime.h"

#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <atomic>
#include <cmath>
#include <csignal>
#include <map>
#include <set>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <memory>

namespace sniper::cli {

namespace {

std::atomic<bool> g_cancel{false};

void onSignal(int) { g_cancel = true; }

std::string projectOption(CLI::App *cmd, std::string &path)
{
    path = db::defaultProjectPath();
    cmd->add_option("--db", path, "project database (default: the default project)");
    return path;
}

db::Database openProject(const std::string &path)
{
    bool created = false;
    db::Database d = db::openProject(path, &created);
    if (created)
        std::cerr << "created the default project " << path << " from the bundled demo data\n";
    return d;
}

nlohmann::json measurementJson(const runtime::Measurement &m)
{
    return {{"platform", m.platform}, {"status", db::statusName(m.status)}, {"message", m.message},
            {"median_ms", m.stats.medianMs}, {"mean_ms", m.stats.meanMs}, {"std_ms", m.stats.stdMs},
            {"min_ms", m.stats.minMs}, {"p90_ms", m.stats.p90Ms}, {"runs", m.stats.runs},
            {"ci_half_width_ms", m.stats.ciHalfWidthMs}, {"converged", m.stats.converged},
            {"evidence", db::evidenceToJson(m.evidence)}};
}

} // namespace

void addProjectCommands(CLI::App &app, int &code)
{
    {
        auto *cmd = app.add_subcommand("platforms", "list the local platforms and what they are");
        auto json = std::make_shared<bool>(false);
        cmd->add_flag("--json", *json, "print JSON");
        cmd->callback([=, &code] {
            nlohmann::json all = nlohmann::json::array();
            for (const auto &id : runtime::localPlatformIds()) {
                runtime::PlatformInfo p = runtime::createRuntime(id)->info();
                if (*json)
                    all.push_back({{"id", p.id}, {"framework", p.framework}, {"threads", p.threads}, {"blas", p.blas},
                                   {"device", p.device}});
                else
                    std::cout << p.description() << "\n";
            }
            if (*json)
                std::cout << all.dump(2) << "\n";
            code = 0;
        });
    }
    {
        auto *cmd = app.add_subcommand("generate", "generate networks into the project: realistic (torchvision-like "
                                                   "families, the default) or Ace-Sniper Table IV random networks");
        auto db = std::make_shared<std::string>();
        auto count = std::make_shared<int>(100);
        auto seed = std::make_shared<uint64_t>(1);
        auto specFile = std::make_shared<std::string>();
        auto style = std::make_shared<std::string>("realistic");
        auto families = std::make_shared<std::vector<std::string>>();
        auto minMacs = std::make_shared<int64_t>(0);
        auto maxMacs = std::make_shared<int64_t>(1'000'000'000);
        auto name = std::make_shared<std::string>("generated");
        auto out = std::make_shared<std::string>();
        auto report = std::make_shared<bool>(false);
        auto reference = std::make_shared<std::string>("torchvision-zoo");
        auto reportOut = std::make_shared<std::string>();
        projectOption(cmd, *db);
        cmd->add_option("--count", *count, "number of networks")->check(CLI::PositiveNumber);
        cmd->add_option("--seed", *seed, "seed: same seed, same networks");
        cmd->add_option("--style", *style, "realistic (stems, stages and heads of ten torchvision block families) or "
                                           "table4 (Ace-Sniper's parameterized random networks)")
            ->check(CLI::IsMember({"realistic", "table4"}));
        cmd->add_option("--spec", *specFile, "generator spec JSON (docs/generator.md); its style wins over --style");
        cmd->add_option("--families", *families, "realistic: block families to draw from (default all)")->delimiter(',');
        cmd->add_option("--min-macs", *minMacs, "realistic: smallest MACs per network (default 50 M)");
        cmd->add_option("--max-macs", *maxMacs,
                        "MACs budget per network (realistic default 20 G; table4 default 1 G: Table IV's full ranges "
                        "reach T MACs; 0: none)");
        cmd->add_option("--name", *name, "dataset name in the project");
        cmd->add_option("--out", *out, "also write the networks as ONNX files to this folder");
        cmd->add_flag("--report", *report, "print how well the dataset covers the reference dataset's features "
                                            "(and ms per GFLOP where both are measured)");
        cmd->add_option("--reference", *reference, "reference dataset of --report (default torchvision-zoo)");
        cmd->add_option("--report-out", *reportOut, "also write the --report markdown to this file");
        cmd->callback([=, &code] {
            generator::GeneratorSpec spec = *style == "realistic" ? generator::realisticSpec() : generator::GeneratorSpec{};
            if (!specFile->empty()) {
                std::ifstream in(*specFile);
                if (!in)
                    throw Error("cannot read the spec file", *specFile);
                auto j = nlohmann::json::parse(in, nullptr, false);
                if (j.is_discarded())
                    throw Error("not valid JSON", *specFile);
                spec = generator::specFromJson(j);
            }
            if (spec.style == "table4" && (specFile->empty() || cmd->count("--max-macs")))
                spec.maxMacs = *maxMacs;
            if (spec.style == "realistic") {
                if (cmd->count("--max-macs"))
                    spec.maxMacs = *maxMacs;
                if (cmd->count("--min-macs"))
                    spec.minMacs = *minMacs;
                if (!families->empty())
                    spec.families = *families;
            }
            generator::validateSpec(spec);
            db::Database project = openProject(*db);
            std::signal(SIGINT, onSignal);
            auto r = db::addGeneratedNetworks(project, spec, *seed, *count, *name, {}, &g_cancel);
            if (!out->empty()) {
                std::filesystem::create_directories(*out);
                for (int i = 0; i < *count; ++i) {
                    auto net = generator::generateNetwork(spec, generator::networkSeed(*seed, i));
                    onnx::exportOnnxFile(net.graph, *out + "/" + net.name + ".onnx");
                }
            }
            std::cerr << r.modelIds.size() << " networks in dataset '" << *name << "' (" << r.created << " new) in "
                      << project.path() << "\n";
            if (*report && !r.cancelled) {
                const std::string md = db::coverageReport(project, *name, *reference);
                std::cout << md;
                if (!reportOut->empty()) {
                    std::ofstream f(*reportOut);
                    if (!(f << md))
                        throw Error("cannot write the report", *reportOut);
                }
            }
            code = r.cancelled ? 130 : 0;
        });
    }
    {
        auto *models = app.add_subcommand("models", "the project's models: add ONNX files or folders, list");
        models->require_subcommand(1);
        auto db = std::make_shared<std::string>();
        projectOption(models, *db);
        auto *add = models->add_subcommand("add", "import ONNX files (or every .onnx in folders) into a dataset");
        auto paths = std::make_shared<std::vector<std::string>>();
        auto name = std::make_shared<std::string>("imported");
        auto kind = std::make_shared<std::string>("onnx");
        add->add_option("PATHS", *paths, "ONNX files or folders")->required();
        add->add_option("--name", *name, "dataset name");
        add->add_option("--kind", *kind, "dataset kind (e.g. zoo)");
        add->callback([=, &code] {
            db::Database project = openProject(*db);
            code = 0;
            for (const auto &p : *paths) {
                auto r = db::addOnnxFolder(project, p, *name, *kind);
                for (const auto &e : r.errors)
                    std::cerr << "error: " << e << "\n";
                std::cerr << p << ": " << r.modelIds.size() << " models (" << r.created << " new) in dataset '" << *name
                          << "'\n";
                code = r.errors.empty() ? code : 2;
            }
        });
        auto *list = models->add_subcommand("list", "list models: id, name, source, input shape");
        list->callback([=, &code] {
            db::Database project = openProject(*db);
            for (const auto &m : db::ModelRepository(project).list()) {
                std::string shape;
                for (int64_t d : m.inputShape)
                    shape += (shape.empty() ? "" : "x") + std::to_string(d);
                std::cout << m.id << "\t" << m.name << "\t" << m.source << "\t" << shape << "\n";
            }
            code = 0;
        });
    }
    {
        auto *cmd = app.add_subcommand("profile", "measure the project's models on local platforms (resumable)");
        auto db = std::make_shared<std::string>();
        auto platforms = std::make_shared<std::vector<std::string>>();
        auto models = std::make_shared<std::vector<int64_t>>();
        auto dataset = std::make_shared<std::string>();
        auto protocol = std::make_shared<runtime::MeasurementProtocol>();
        auto resume = std::make_shared<bool>(false);
        auto jsonLines = std::make_shared<bool>(false);
        auto seed = std::make_shared<uint64_t>(1);
        projectOption(cmd, *db);
        cmd->add_option("--platforms", *platforms, "platform ids (default: all local platforms)")->delimiter(',');
        cmd->add_option("--models", *models, "model ids (default: every model, or --dataset)")->delimiter(',');
        cmd->add_option("--dataset", *dataset, "profile the models of this dataset");
        cmd->add_option("--batch", protocol->batch, "batch size")->check(CLI::PositiveNumber);
        cmd->add_option("--warmup", protocol->warmupRuns, "warm-up runs")->check(CLI::NonNegativeNumber);
        cmd->add_option("--min-runs", protocol->minRuns, "minimum timed runs")->check(CLI::PositiveNumber);
        cmd->add_option("--max-runs", protocol->maxRuns, "maximum timed runs")->check(CLI::PositiveNumber);
        cmd->add_option("--max-seconds", protocol->maxSeconds, "time cap per round of a measurement")->check(CLI::PositiveNumber);
        cmd->add_option("--target", protocol->targetRelativeHalfWidth,
                        "stop when the 95% CI half-width of the median is below this fraction of it")
            ->check(CLI::Range(0.0001, 1.0));
        cmd->add_option("--seed", *seed, "seed of random weights and inputs");
        auto noGate = std::make_shared<bool>(false);
        auto remeasure = std::make_shared<bool>(false);
        cmd->add_flag("--no-gate", *noGate, "measure without the contention probe (every run counts)");
        cmd->add_option("--gate-threshold", protocol->gateThreshold,
                        "probe slow-down above which runs are discarded as contended (default 1.08)")
            ->check(CLI::Range(1.01, 10.0));
        cmd->add_option("--gate-median-threshold", protocol->gateMedianThreshold,
                        "median probe slow-down of the kept runs above which a measurement is contended (default 1.05)")
            ->check(CLI::Range(1.01, 10.0));
        cmd->add_option("--min-seconds", protocol->minSeconds, "timed runs span at least this long (unless --max-runs)")
            ->check(CLI::NonNegativeNumber);
        cmd->add_option("--max-retries", protocol->maxRetries, "deferrals of a contended measurement")
            ->check(CLI::NonNegativeNumber);
        cmd->add_option("--retry-cap", protocol->retryCapSeconds,
                        "seconds from a measurement's first try after which it is stored flagged contended")
            ->check(CLI::PositiveNumber);
        cmd->add_option("--rounds", protocol->rounds,
                        "rounds per measurement, other items in between; the fastest clean one is stored (gate on)")
            ->check(CLI::Range(1, 20));
        cmd->add_option("--max-rounds", protocol->maxRounds,
                        "rounds at most, when the two fastest disagree by more than --round-agreement")
            ->check(CLI::Range(1, 20));
        cmd->add_option("--round-agreement", protocol->roundAgreement,
                        "relative difference of the two fastest rounds' medians above which another round is taken")
            ->check(CLI::Range(0.0, 1.0));
        auto recalibrate = std::make_shared<bool>(false);
        cmd->add_flag("--recalibrate", *recalibrate,
                      "forget the remembered uncontended speed of the platforms (after a hardware or settings change)");
        cmd->add_flag("--remeasure", *remeasure,
                      "measure pairs the project already has; earlier values stay in the history");
        auto refine = std::make_shared<bool>(false);
        cmd->add_flag("--refine", *refine,
                      "measure pairs the project already has again, keeping as current value each pair's fastest clean "
                      "measurement (interference only adds time); earlier values stay in the history");
        cmd->add_flag("--resume", *resume, "continue the last unfinished campaign instead of starting one");
        cmd->add_flag("--json-lines", *jsonLines, "print one JSON line per event on standard output");
        cmd->callback([=, &code] {
            db::Database project = openProject(*db);
            int64_t runId = 0;
            if (*resume) {
                auto unfinished = devices::unfinishedCampaign(project);
                if (!unfinished)
                    throw Error("there is no unfinished campaign to resume in " + project.path());
                runId = *unfinished;
            } else {
                devices::CampaignSpec spec;
                spec.platforms = platforms->empty() ? runtime::localPlatformIds() : *platforms;
                spec.modelIds = *models;
                if (!dataset->empty()) {
                    db::DatasetRepository datasets(project);
                    auto d = datasets.findByName(*dataset);
                    if (!d)
                        throw Error("no dataset named '" + *dataset + "' in " + project.path());
                    for (const auto &m : datasets.members(d->id))
                        spec.modelIds.push_back(m.modelId);
                }
                spec.protocol = *protocol;
                spec.protocol.gate = !*noGate;
                if (*recalibrate)
                    for (const auto &p : spec.platforms)
                        runtime::forgetProbeBaseline(p);
                spec.seed = *seed;
                spec.remeasure = *remeasure || *refine;
                spec.refine = *refine;
                runId = devices::createCampaign(project, spec);
            }
            std::signal(SIGINT, onSignal);
            std::signal(SIGTERM, onSignal);
            auto result = devices::runCampaign(project, runId, [&](const devices::CampaignEvent &e) {
                using K = devices::CampaignEvent::Kind;
                if (*jsonLines) {
                    nlohmann::json j{{"event", e.kind == K::Started ? "started" : e.kind == K::Result ? "result"
                                               : e.kind == K::Skipped ? "skipped" : e.kind == K::Deferred ? "deferred"
                                               : "done"},
                                     {"run", e.runId}, {"done", e.done}, {"total", e.total}};
                    if (e.kind == K::Result || e.kind == K::Skipped || e.kind == K::Deferred)
                        j.update({{"model", e.modelId}, {"name", e.modelName}, {"platform", e.platform}});
                    if (e.measurement)
                        j["measurement"] = measurementJson(*e.measurement);
                    std::cout << j.dump() << std::endl; // flushed: the line means "committed"
                } else if (e.kind == K::Result) {
                    const auto &m = *e.measurement;
                    std::cerr << "[" << e.done << "/" << e.total << "] " << e.modelName << " on " << e.platform << ": ";
                    if (m.status == runtime::MeasurementStatus::Ok) {
                        std::cerr << m.stats.medianMs << " ms (" << m.stats.runs << " runs";
                        if (m.evidence.runsDiscarded)
                            std::cerr << ", " << m.evidence.runsDiscarded << " discarded";
                        if (m.evidence.retries)
                            std::cerr << ", " << m.evidence.retries << " retries";
                        if (m.evidence.rounds > 1)
                            std::cerr << ", fastest of " << m.evidence.rounds << " rounds, next +"
                                      << 100 * m.evidence.roundSpread << "%";
                        std::cerr << ")" << (m.evidence.contended ? " CONTENDED: no clean window" : "") << "\n";
                    } else {
                        std::cerr << db::statusName(m.status) << ": " << m.message.substr(0, 160) << "\n";
                    }
                } else if (e.kind == K::Deferred) {
                    std::cerr << "[" << e.done << "/" << e.total << "] " << e.modelName << " on " << e.platform
                              << ": contended (probe " << e.measurement->evidence.probeRatio
                              << "x its calibrated time), deferred\n";
                }
            }, &g_cancel);
            std::cerr << "run " << result.runId << ": " << result.measured << " measured, " << result.unsupported
                      << " unsupported, " << result.failed << " failed, " << result.alreadyPresent
                      << " already present, " << result.deferrals << " deferrals, " << result.contended
                      << " stored contended" << (result.cancelled ? " (cancelled; resume with --resume)" : "") << "\n";
            code = result.cancelled ? 130 : 0;
        });
    }
    {
        auto *dbCmd = app.add_subcommand("db", "the project database: stats, export, import");
        dbCmd->require_subcommand(1);
        auto path = std::make_shared<std::string>();
        projectOption(dbCmd, *path);
        auto *stats = dbCmd->add_subcommand("stats", "schema version, file size, rows per table, integrity");
        stats->callback([=, &code] {
            db::Database project = openProject(*path);
            db::DatabaseStats s = project.stats();
            std::cout << project.path() << "\nschema version " << s.schemaVersion << ", journal " << s.journalMode
                      << ", " << s.fileBytes << " bytes\n";
            for (const auto &[table, rows] : s.rows)
                std::cout << "  " << table << ": " << rows << "\n";
            {
                auto st = project.statement("SELECT count(*), coalesce(sum(runs_discarded), 0), coalesce(sum(retries), 0) "
                                            "FROM measurements WHERE contended = 1");
                st->step();
                auto all = project.statement("SELECT coalesce(sum(runs_discarded), 0), coalesce(sum(retries), 0), "
                                             "count(probe_ratio) FROM measurements");
                all->step();
                std::cout << "contention gate: " << all->int64(2) << " current measurements gated, " << all->int64(0)
                          << " runs discarded, " << all->int64(1) << " retries; " << st->int64(0)
                          << " flagged contended (shown, not learned from)\n";
            }
            db::IntegrityReport integrity = project.integrityCheck();
            std::cout << "integrity: " << (integrity.ok ? "ok" : "PROBLEMS") << "\n";
            for (const auto &p : integrity.problems)
                std::cout << "  " << p << "\n";
            code = integrity.ok ? 0 : 1;
        });
        auto *history = dbCmd->add_subcommand(
            "history", "every measurement of each (model, platform, batch), and how well the latest two agree");
        auto historyDataset = std::make_shared<std::string>();
        auto historyPlatforms = std::make_shared<std::vector<std::string>>();
        history->add_option("--dataset", *historyDataset, "only the models of this dataset");
        history->add_option("--platforms", *historyPlatforms, "only these platforms")->delimiter(',');
        history->callback([=, &code] {
            db::Database project = openProject(*path);
            std::set<int64_t> members;
            if (!historyDataset->empty()) {
                db::DatasetRepository datasets(project);
                const auto d = datasets.findByName(*historyDataset);
                if (!d)
                    throw Error("no dataset named '" + *historyDataset + "' in " + project.path());
                for (const auto &m : datasets.members(d->id))
                    members.insert(m.modelId);
            }
            db::MeasurementRepository repo(project);
            std::map<std::string, std::vector<double>> diffs; // platform -> |latest clean / previous clean - 1|
            for (const auto &current : repo.list()) {
                const auto &cm = current.measurement;
                if ((!members.empty() && !members.count(current.modelId)) ||
                    (!historyPlatforms->empty() &&
                     std::find(historyPlatforms->begin(), historyPlatforms->end(), cm.platform) == historyPlatforms->end()))
                    continue;
                const auto rows = repo.history(current.modelId, cm.platform, current.batch());
                std::cout << current.modelName << "\t" << cm.platform << "\tbatch " << current.batch() << ":";
                std::vector<double> clean;
                for (const auto &r : rows) {
                    const auto &m = r.measurement;
                    std::cout << "  " << (m.status == runtime::MeasurementStatus::Ok ? std::to_string(m.stats.medianMs)
                                                                                     : db::statusName(m.status));
                    if (m.evidence.contended)
                        std::cout << " (contended)";
                    if (m.evidence.rounds > 1)
                        std::cout << " [" << m.evidence.rounds << " rounds]";
                    if (r.current)
                        std::cout << " *";
                    if (m.clean())
                        clean.push_back(m.stats.medianMs);
                }
                std::cout << "\n";
                if (clean.size() >= 2)
                    diffs[cm.platform].push_back(std::abs(clean.back() / clean[clean.size() - 2] - 1));
            }
            std::cout << "(* the current value: the latest clean measurement)\n";
            for (auto &[platform, d] : diffs) {
                std::sort(d.begin(), d.end());
                const auto within = [&](double t) { return std::upper_bound(d.begin(), d.end(), t) - d.begin(); };
                std::cout << platform << ": latest two clean measurements of " << d.size() << " pairs agree within 3% for "
                          << within(0.03) << ", within 5% for " << within(0.05) << "; median difference "
                          << 100 * d[d.size() / 2] << "%, largest " << 100 * d.back() << "%\n";
            }
            code = 0;
        });
        auto *exportCmd = dbCmd->add_subcommand("export", "export measurements or features as CSV or JSON");
        auto what = std::make_shared<std::string>("measurements");
        auto file = std::make_shared<std::string>();
        exportCmd->add_option("WHAT", *what, "measurements | features")->check(CLI::IsMember({"measurements", "features"}));
        exportCmd->add_option("FILE", *file, "output file: .csv or .json")->required();
        exportCmd->callback([=, &code] {
            db::Database project = openProject(*path);
            std::ofstream out(*file);
            if (!out)
                throw Error("cannot open the file for writing", *file);
            bool json = std::filesystem::path(*file).extension() == ".json";
            if (*what == "measurements")
                json ? db::exportMeasurementsJson(project, out) : db::exportMeasurementsCsv(project, out);
            else
                json ? db::exportFeaturesJson(project, out) : db::exportFeaturesCsv(project, out);
            std::cerr << "wrote " << *file << "\n";
            code = 0;
        });
        auto *importCmd = dbCmd->add_subcommand("import", "import measurements (CSV/JSON) or a third-party latency table");
        auto kind = std::make_shared<std::string>("measurements");
        auto in = std::make_shared<std::string>();
        importCmd->add_option("WHAT", *kind, "measurements | features | latency-table")
            ->check(CLI::IsMember({"measurements", "features", "latency-table"}));
        importCmd->add_option("FILE", *in, "input file (.csv, .json, .csv.gz)")->required();
        importCmd->callback([=, &code] {
            db::Database project = openProject(*path);
            bool json = std::filesystem::path(*in).extension() == ".json";
            db::ImportReport r;
            if (*kind == "measurements")
                r = json ? db::importMeasurementsJson(project, *in) : db::importMeasurementsCsv(project, *in);
            else if (*kind == "features")
                r = json ? db::importFeaturesJson(project, *in) : db::importFeaturesCsv(project, *in);
            else
                r = db::importLatencyTable(project, *in);
            for (const auto &e : r.errors)
                std::cerr << *in << ": " << e.text() << "\n";
            std::cerr << r.summary() << "\n";
            code = r.errors.empty() ? 0 : 2;
        });
    }
}

} // namespace sniper::cli
