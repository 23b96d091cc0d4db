// sniper modules sample | train | select | report | predict: the module-level framework (SPEC §8).

#include "cli/commands.h"

#include "common/error.h"
#include "database.h"
#include "defaultproject.h"
#include "modulesamples.h"
#include "onnx/onnximport.h"
#include "predict/modulesampler.h"
#include "predict/modulestudy.h"
#include "runtime/runtime.h"

#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <memory>
#include <sstream>

namespace sniper::cli {

namespace {

using namespace predict::modules;

std::vector<ModuleKind> modulesOf(const std::vector<std::string> &names)
{
    std::vector<ModuleKind> out;
    for (const auto &n : names) {
        if (n == "all")
            return allModuleKinds();
        out.push_back(parseModuleKind(n));
    }
    return out;
}

std::vector<RegressorKind> regressorsOf(const std::vector<std::string> &names)
{
    std::vector<RegressorKind> out;
    for (const auto &n : names) {
        if (n == "all")
            return allRegressorKinds();
        out.push_back(parseRegressorKind(n));
    }
    return out;
}

// The ranges and seed a set was sampled with (stored in its spec).
SamplingRanges rangesOfSet(db::Database &project, const std::string &set)
{
    const auto info = db::ModuleSampleRepository(project).findSet(set);
    if (!info)
        throw Error("no module set named '" + set + "' (sniper modules sample creates it)", project.path());
    return rangesFromJson(info->spec.value("ranges", nlohmann::json::object()));
}

void writeFile(const std::filesystem::path &path, const std::string &text)
{
    std::ofstream f(path);
    f << text;
    if (!f)
        throw Error("cannot write the file", path.string());
}

struct Selections {
    std::vector<std::pair<std::string, std::map<ModuleKind, RegressorKind>>> schemes;
    std::vector<SelectionSummary> summaries;
};

Selections paperSelections(const ModuleStudy &study, double epsAcc, double epsR2)
{
    Selections s;
    std::map<ModuleKind, RegressorKind> medn;
    for (const auto &r : study.rows)
        medn[r.module] = RegressorKind::Medn;
    SelectionOptions time{epsAcc, epsR2, SelectionObjective::Time, false};
    SelectionOptions space{epsAcc, epsR2, SelectionObjective::Space, false};
    s.schemes = {{"MEDN single-selection", medn},
                 {"Time-efficient auto-selection", autoSelect(study.rows, time)},
                 {"Space-efficient auto-selection", autoSelect(study.rows, space)}};
    s.summaries = compareSelections(study.rows, s.schemes, "MEDN single-selection");
    return s;
}

std::string studyReport(const std::string &set, const ModuleStudy &study, const Selections &sel)
{
    std::ostringstream md;
    md << "# Module-level latency prediction: set '" << set << "' on " << study.platform << "\n\n"
       << "## Table 5: regressors x modules (Acc = P20 on the test split)\n\n"
       << table5Markdown(study.rows) << "\n## Fig. 4: MEDN ablation (means over modules)\n\n"
       << ablationMarkdown(study.rows) << "\n## Table 6: auto-selection (εa = εr = 0.05) vs MEDN single-selection\n\n"
       << table6Markdown(sel.summaries)
       << "\n## Dynamic environment: P10 on test samples timed with and without background load\n\n"
       << dynamicMarkdown(study.rows);
    return md.str();
}

} // namespace

void addModuleCommands(CLI::App &app, int &code)
{
    auto *modules = app.add_subcommand("modules", "module-level latency prediction: sample, train, select, report, predict");
    modules->require_subcommand(1);
    {
        auto *cmd = modules->add_subcommand("sample", "measure module samples on a local platform (resumable)");
        struct Options {
            std::string db = db::defaultProjectPath(), set = "modules", platform = "torch-cpu-1t";
            std::vector<std::string> modules{"all"};
            int64_t count = 2000, convCount = 10000;
            uint64_t seed = 1;
            bool dynamic = false;
            double share = 0.5, maxMacs = 2e8, maxElements = 8e6;
            int maxRuns = SamplingOptions::defaultModuleProtocol().maxRuns;
            double maxSeconds = SamplingOptions::defaultModuleProtocol().maxSeconds;
        };
        auto o = std::make_shared<Options>();
        cmd->add_option("--db", o->db, "project database (default: the default project)");
        cmd->add_option("--set", o->set, "module set name")->capture_default_str();
        cmd->add_option("--platform", o->platform, "local platform")->capture_default_str();
        cmd->add_option("--module", o->modules, "modules to sample, or 'all'")->capture_default_str();
        cmd->add_option("--count", o->count, "samples per module (total, resumed runs top up)")->capture_default_str();
        cmd->add_option("--conv-count", o->convCount, "samples of the plain conv module")->capture_default_str();
        cmd->add_option("--seed", o->seed, "seed of the parameter draws")->capture_default_str();
        cmd->add_flag("--dynamic", o->dynamic, "run random background inference jobs during a share of the samples");
        cmd->add_option("--background-share", o->share, "dynamic mode: share of samples under load")->capture_default_str();
        cmd->add_option("--max-macs", o->maxMacs, "budget: redraw samples above this many MACs")->capture_default_str();
        cmd->add_option("--max-elements", o->maxElements, "budget: redraw samples above this many input+output elements")
            ->capture_default_str();
        cmd->add_option("--max-runs", o->maxRuns, "protocol: timed runs at most (3 at least)")->capture_default_str();
        cmd->add_option("--max-seconds", o->maxSeconds, "protocol: seconds of timed runs at most")->capture_default_str();
        cmd->callback([o, &code] {
            db::Database project = db::openProject(o->db);
            db::ModuleSampleRepository repo(project);
            SamplingOptions so;
            if (o->maxRuns < 3 || !(o->maxSeconds > 0))
                throw Error("--max-runs must be at least 3 and --max-seconds positive", "sniper modules sample");
            so.protocol.maxRuns = o->maxRuns;
            so.protocol.maxSeconds = o->maxSeconds;
            so.platform = o->platform;
            so.seed = o->seed;
            so.dynamic = o->dynamic;
            so.backgroundShare = o->share;
            so.ranges.maxMacs = o->maxMacs;
            so.ranges.maxElements = o->maxElements;
            runtime::createRuntime(o->platform); // unknown platform: fail before anything is written
            repo.ensureSet(o->set, {{"ranges", rangesToJson(so.ranges)}, {"seed", o->seed}, {"dynamic", o->dynamic},
                                    {"background_share", o->share},
                                    {"protocol", {{"warmup", so.protocol.warmupRuns}, {"min_runs", so.protocol.minRuns},
                                                  {"max_runs", so.protocol.maxRuns}, {"max_seconds", so.protocol.maxSeconds},
                                                  {"target_half_width", so.protocol.targetRelativeHalfWidth}}}});
            for (ModuleKind m : modulesOf(o->modules)) {
                so.module = m;
                const int64_t target = m == ModuleKind::Conv ? o->convCount : o->count;
                so.first = repo.nextIndex(o->set, m, o->platform);
                so.count = std::max<int64_t>(0, target - so.first);
                std::cerr << moduleName(m) << " on " << o->platform << ": " << so.first << " stored, " << so.count
                          << " to measure\n";
                int64_t lastShown = -1;
                const auto result = sampleModules(
                    so, [&](const ModuleSample &s) { repo.add(o->set, o->platform, s); },
                    [&](int64_t done, int64_t total) {
                        if (done * 10 / std::max<int64_t>(1, total) != lastShown) {
                            lastShown = done * 10 / std::max<int64_t>(1, total);
                            std::cerr << "  " << done << "/" << total << "\n";
                        }
                        return true;
                    });
                for (const auto &f : result.failures)
                    std::cerr << "  skipped " << f << "\n";
                std::cout << moduleName(m) << "\t" << o->platform << "\t" << repo.count(o->set, m, o->platform)
                          << " samples\n";
            }
            code = 0;
        });
    }
    {
        auto *cmd = modules->add_subcommand("train", "train and evaluate every regressor on every module (Table 5)");
        struct Options {
            std::string db = db::defaultProjectPath(), set = "modules", platform = "torch-cpu-1t", out;
            std::vector<std::string> modules{"all"}, regressors{"all"};
            int epochs = 500, patience = 60;
            uint64_t seed = 1, splitSeed = 2026;
        };
        auto o = std::make_shared<Options>();
        cmd->add_option("--db", o->db, "project database (default: the default project)");
        cmd->add_option("--set", o->set, "module set name")->capture_default_str();
        cmd->add_option("--platform", o->platform, "platform the samples were measured on")->capture_default_str();
        cmd->add_option("--module", o->modules, "modules, or 'all' (those with samples)")->capture_default_str();
        cmd->add_option("--regressor", o->regressors, "MEDN, MEDN-D, MEDN-XI, MEDN-XM, MEDN-R, RF, MLP, LR or 'all'")
            ->capture_default_str();
        cmd->add_option("--epochs", o->epochs, "epochs of the deep regressors")->capture_default_str();
        cmd->add_option("--patience", o->patience, "early stopping patience (0: off)")->capture_default_str();
        cmd->add_option("--seed", o->seed, "initialization and batch-order seed")->capture_default_str();
        cmd->add_option("--split-seed", o->splitSeed, "seed of the 7:1:2 split")->capture_default_str();
        cmd->add_option("--out", o->out, "also write the report into this folder");
        cmd->callback([o, &code] {
            db::Database project = db::openProject(o->db);
            const SamplingRanges ranges = rangesOfSet(project, o->set);
            const auto samples = db::ModuleSampleRepository(project).loadAll(o->set, o->platform);
            StudyOptions so;
            const bool all = o->modules.size() == 1 && o->modules[0] == "all";
            if (!all)
                so.modules = modulesOf(o->modules);
            so.regressors = regressorsOf(o->regressors);
            so.regressor.epochs = o->epochs;
            so.regressor.patience = o->patience;
            so.regressor.seed = o->seed;
            so.splitSeed = o->splitSeed;
            const auto study = runStudy(o->platform, samples, so, [](const std::string &l) { std::cerr << l << "\n"; });
            const int64_t id = db::saveModuleStudy(project, o->set, study, optionsToJson(so.regressor));
            std::cerr << "study stored as experiment " << id << "\n";
            const bool full = std::find(so.regressors.begin(), so.regressors.end(), RegressorKind::Medn) !=
                              so.regressors.end();
            if (full) { // the paper's selection schemes, each stored as a predictor
                const auto sel = paperSelections(study, 0.05, 0.05);
                for (const auto &[name, selection] : sel.schemes) {
                    const auto p = db::selectionPredictor(study, selection, ranges, name);
                    db::saveModuleSet(project, p, o->set + "/" + o->platform + "/" + name, {});
                }
                std::cout << studyReport(o->set, study, sel);
                if (!o->out.empty()) {
                    std::filesystem::create_directories(o->out);
                    writeFile(std::filesystem::path(o->out) / ("modules-" + o->platform + ".md"), studyReport(o->set, study, sel));
                    writeFile(std::filesystem::path(o->out) / ("modules-" + o->platform + ".csv"),
                              evaluationsCsv(study.rows, o->platform));
                }
            } else {
                std::cout << table5Markdown(study.rows);
            }
            code = 0;
        });
    }
    {
        auto *cmd = modules->add_subcommand("select", "auto-select one regressor per module (Algorithm 1) and store it");
        struct Options {
            std::string db = db::defaultProjectPath(), set = "modules", platform = "torch-cpu-1t", objective = "time", name;
            double epsAcc = 0.05, epsR2 = 0.05;
            bool p10 = false;
        };
        auto o = std::make_shared<Options>();
        cmd->add_option("--db", o->db, "project database (default: the default project)");
        cmd->add_option("--set", o->set, "module set name")->capture_default_str();
        cmd->add_option("--platform", o->platform, "platform of the study")->capture_default_str();
        cmd->add_option("--objective", o->objective, "time or space")->capture_default_str();
        cmd->add_option("--eps-acc", o->epsAcc, "accuracy tolerance εa")->capture_default_str();
        cmd->add_option("--eps-r2", o->epsR2, "R² tolerance εr")->capture_default_str();
        cmd->add_flag("--p10", o->p10, "filter on P10 instead of P20 accuracy");
        cmd->add_option("--name", o->name, "predictor name (default: set/platform/objective)");
        cmd->callback([o, &code] {
            db::Database project = db::openProject(o->db);
            const auto study = db::loadModuleStudy(project, o->set, o->platform);
            SelectionOptions so{o->epsAcc, o->epsR2, parseObjective(o->objective), o->p10};
            const auto selection = autoSelect(study.rows, so);
            const std::string scheme = o->objective + "-efficient auto-selection";
            const auto p = db::selectionPredictor(study, selection, rangesOfSet(project, o->set), scheme);
            const std::string name = o->name.empty() ? o->set + "/" + o->platform + "/" + o->objective : o->name;
            const auto summary = compareSelections(study.rows, {{scheme, selection}}, scheme);
            const int64_t id = db::saveModuleSet(project, p, name,
                                                 {{"mean_p20", summary[0].meanP20}, {"mean_r2", summary[0].meanR2}});
            std::cout << table6Markdown(summary);
            std::cerr << "predictor " << id << " '" << name << "'\n";
            code = 0;
        });
    }
    {
        auto *cmd = modules->add_subcommand("report", "Tables 5 and 6, ablation, dynamic environment, module-sum of real networks");
        struct Options {
            std::string db = db::defaultProjectPath(), set = "modules", out = "modules-report", real = "torchvision-zoo";
            std::vector<std::string> platforms{"torch-cpu-1t"};
        };
        auto o = std::make_shared<Options>();
        cmd->add_option("--db", o->db, "project database (default: the default project)");
        cmd->add_option("--set", o->set, "module set name")->capture_default_str();
        cmd->add_option("--platform", o->platforms, "platforms with a trained study")->capture_default_str();
        cmd->add_option("--real", o->real, "dataset of real networks predicted by module sums ('' to skip)")
            ->capture_default_str();
        cmd->add_option("--out", o->out, "report folder")->capture_default_str();
        cmd->callback([o, &code] {
            db::Database project = db::openProject(o->db);
            std::filesystem::create_directories(o->out);
            const SamplingRanges ranges = rangesOfSet(project, o->set);
            std::ostringstream md;
            std::vector<predict::PredictionRow> sums;
            std::vector<std::string> notes;
            for (const auto &platform : o->platforms) {
                const auto study = db::loadModuleStudy(project, o->set, platform);
                const auto sel = paperSelections(study, 0.05, 0.05);
                md << studyReport(o->set, study, sel) << "\n";
                writeFile(std::filesystem::path(o->out) / ("modules-" + platform + ".csv"), evaluationsCsv(study.rows, platform));
                if (o->real.empty())
                    continue;
                const auto env = db::idleEnvironment(db::ModuleSampleRepository(project).loadAll(o->set, platform));
                for (const auto &[name, selection] : sel.schemes) {
                    const auto p = db::selectionPredictor(study, selection, ranges, name);
                    auto r = db::moduleSumRows(project, p, o->real, "module sum (" + name + ")", env);
                    sums.insert(sums.end(), r.rows.begin(), r.rows.end());
                    if (notes.empty()) // the decomposition is the same for every scheme and platform
                        notes.insert(notes.end(), r.notes.begin(), r.notes.end());
                }
            }
            if (!sums.empty()) {
                md << "## Module-sum prediction of real networks ('" << o->real << "')\n\n"
                   << predict::metricsMarkdown(predict::summarize(sums, true), "platform") << "\n";
                std::ofstream csv(std::filesystem::path(o->out) / "module-sum-predictions.csv");
                predict::writePredictionsCsv(csv, sums);
                md << "Coverage per network:\n\n";
                for (const auto &n : notes)
                    md << "- " << n << "\n";
            }
            writeFile(std::filesystem::path(o->out) / "report.md", md.str());
            std::cout << md.str();
            code = 0;
        });
    }
    {
        auto *cmd = modules->add_subcommand("predict", "predict one module, or an ONNX network as a sum of modules");
        struct Options {
            std::string db = db::defaultProjectPath(), predictor, module, model;
            int64_t n = 1, l = 0, ci = 0, co = 0, k = 0, s = 0;
            double memory = 0, utilization = 0;
            bool extrapolate = false;
        };
        auto o = std::make_shared<Options>();
        cmd->add_option("--db", o->db, "project database (default: the default project)");
        cmd->add_option("--predictor", o->predictor, "module-set predictor id or name")->required();
        cmd->add_option("--module", o->module, "module type (with N, L, Ci, Co, K, S)");
        cmd->add_option("--model", o->model, "an ONNX network predicted as the sum of its modules");
        cmd->add_option("-N", o->n, "batch")->capture_default_str();
        cmd->add_option("-L", o->l, "input plane");
        cmd->add_option("--ci", o->ci, "input channels / features");
        cmd->add_option("--co", o->co, "output channels / features");
        cmd->add_option("-K", o->k, "kernel");
        cmd->add_option("-S", o->s, "stride");
        cmd->add_option("--memory-mb", o->memory, "available memory M (MB)");
        cmd->add_option("--utilization", o->utilization, "CPU utilization U (0..1)");
        cmd->add_flag("--extrapolate", o->extrapolate, "allow parameters outside the sampled ranges");
        cmd->callback([o, &code] {
            db::Database project = db::openProject(o->db);
            const auto p = db::loadModuleSet(project, o->predictor);
            if (!o->model.empty()) {
                onnx::ImportOptions io;
                io.loadWeights = false;
                const auto r = p.predictNetwork(onnx::importOnnxFile(o->model, io), o->memory, o->utilization);
                std::cout << r.latencyMs << " ms on " << p.platform() << " (" << r.modules << " modules, " << r.outOfRange
                          << " outside the sampled ranges)\n";
            } else {
                if (o->module.empty())
                    throw Error("give --module with its parameters, or --model", "sniper modules predict");
                ModuleSample s;
                s.kind = parseModuleKind(o->module);
                s.params = {o->n, o->l, o->ci, o->co, o->k, o->s};
                s.memoryMb = o->memory;
                s.utilization = o->utilization;
                std::cout << p.predictModule(s, o->extrapolate) << " ms on " << p.platform() << "\n";
            }
            code = 0;
        });
    }
}

} // namespace sniper::cli
