// sniper train | predict | evaluate | export-predictor: network-level latency predictors (SPEC §7).

#include "cli/commands.h"

#include "collections.h"
#include "common/error.h"
#include "database.h"
#include "defaultproject.h"
#include "features/inspect.h"
#include "predict/experiment.h"
#include "predict/export.h"
#include "predict/predictor.h"
#include "modulesamples.h"
#include "predictdata.h"
#include "predictorstore.h"

#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <memory>

namespace sniper::cli {

namespace {

struct TrainOptions {
    std::string db;
    std::vector<std::string> datasets{"train-2000"};
    std::vector<std::string> platforms;
    std::string network = "nns", platform = "hrm", regressor = "pcn";
    std::string name;
    uint64_t seed = 1, splitSeed = 2026;
    int epochs = 400, references = 100, batch = 1;
    double testFraction = 0.2;
    std::string statistic = "fastest";
};

void addTrainingOptions(CLI::App *cmd, TrainOptions &o)
{
    o.db = db::defaultProjectPath();
    cmd->add_option("--db", o.db, "project database (default: the default project)");
    cmd->add_option("--dataset", o.datasets, "training datasets (random networks)")->capture_default_str();
    cmd->add_option("--platforms", o.platforms, "platforms (default: every measured one)");
    cmd->add_option("--seed", o.seed, "seed of the reference set, PCN initialization and batch order");
    cmd->add_option("--split-seed", o.splitSeed, "seed of the 7:1:2 network split")->capture_default_str();
    cmd->add_option("--statistic", o.statistic,
                    "latency of a measurement: fastest (its fastest timed run) or median (of its timed runs)")
        ->check(CLI::IsMember({"fastest", "median"}))
        ->capture_default_str();
    cmd->add_option("--test-fraction", o.testFraction, "held-out fraction of the networks")->capture_default_str();
    cmd->add_option("--epochs", o.epochs, "PCN epoch limit (early stopping on validation)")->capture_default_str();
    cmd->add_option("--references", o.references, "reference networks d of HRM (Eq. 7)")->capture_default_str();
    cmd->add_option("--batch", o.batch, "measurement batch (0: every batch, batch b > 1 as platform '<id>@b')")
        ->capture_default_str();
}

predict::PredictorConfig configOf(const TrainOptions &o)
{
    predict::PredictorConfig c;
    c.network = predict::parseNetworkInput(o.network);
    c.platform = predict::parsePlatformInput(o.platform);
    c.regressor = predict::parseRegressor(o.regressor);
    c.seed = o.seed;
    c.pcn.seed = o.seed;
    c.pcn.epochs = o.epochs;
    c.referenceCount = o.references;
    return c;
}

db::LatencyLoad loadData(db::Database &project, const std::vector<std::string> &datasets,
                         const std::vector<std::string> &platforms, int batch, const std::string &statistic)
{
    db::LatencyQuery q;
    q.statistic = db::parseLatencyStatistic(statistic);
    q.batch = batch;
    q.datasets = datasets;
    q.platforms = platforms;
    auto load = db::loadLatencyData(project, q);
    std::cerr << "data: " << load.data.networkCount() << " networks x " << load.data.platformCount() << " platforms";
    if (load.withoutFeatures + load.withoutMeasurement)
        std::cerr << " (skipped " << load.withoutFeatures << " without features, " << load.withoutMeasurement
                  << " never measured)";
    std::cerr << "\n";
    return load;
}

// --predictor: a predictor id or name in the project (the newest of that name), or a file.
predict::NetworkPredictor loadPredictor(const std::string &dbPath, const std::string &which)
{
    if (std::filesystem::exists(which) && !std::filesystem::is_directory(which)) {
        std::ifstream in(which, std::ios::binary);
        std::vector<uint8_t> bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
        try {
            return predict::NetworkPredictor::load(bytes);
        } catch (const Error &e) {
            throw Error(e.what(), which);
        }
    }
    db::Database project = db::openProject(dbPath);
    db::PredictorRepository repo(project);
    std::optional<db::PredictorRecord> record;
    const bool numeric = !which.empty() && which.find_first_not_of("0123456789") == std::string::npos;
    if (numeric)
        record = repo.find(std::stoll(which));
    // No name: the newest network predictor of the project (the last one trained or imported).
    if (which.empty()) {
        if (const auto id = db::newestNetworkPredictor(project))
            record = repo.find(*id);
    } else if (!record) {
        for (const auto &r : repo.list("network"))
            if (r.name == which && (!record || r.id > record->id))
                record = repo.find(r.id);
    }
    if (!record)
        throw Error(which.empty() ? "the project has no network predictor (see `sniper train`)"
                                  : "no network predictor with that id or name in " + dbPath + " (see `sniper train`)",
                    which.empty() ? dbPath : "predictor '" + which + "'");
    if (which.empty())
        std::cerr << "predictor " << record->id << ": " << record->name << "\n";
    try {
        return predict::NetworkPredictor::load(record->weights);
    } catch (const Error &e) {
        throw Error(e.what(), "predictor " + std::to_string(record->id) + " in " + dbPath);
    }
}

} // namespace

void addPredictCommands(CLI::App &app, int &code)
{
    {
        auto *cmd = app.add_subcommand("train", "train a network-level latency predictor on the project's random networks");
        auto o = std::make_shared<TrainOptions>();
        addTrainingOptions(cmd, *o);
        cmd->add_option("--network", o->network, "network representation: nns, flops or flops-amc")->capture_default_str();
        cmd->add_option("--platform", o->platform, "platform representation: hrm or help")->capture_default_str();
        cmd->add_option("--regressor", o->regressor, "pcn or gbt (XGBoost)")->capture_default_str();
        cmd->add_option("--name", o->name, "name in the project (default: e.g. 'NNS+HRM (PCN)')");
        auto out = std::make_shared<std::string>();
        cmd->add_option("--out", *out, "also write the predictor to this file");
        cmd->callback([o, out, &code] {
            db::Database project = db::openProject(o->db);
            auto load = loadData(project, o->datasets, o->platforms, o->batch, o->statistic);
            const auto split = predict::splitNetworks(load.data.networkCount(), o->splitSeed, 0.1, o->testFraction);
            auto p = predict::NetworkPredictor::train(load.data, split, configOf(*o), [](int epoch, double t, double v) {
                if (epoch % 25 == 0)
                    std::cerr << "epoch " << epoch << ": train " << t << ", validation " << v << "\n";
                return true;
            });
            const nlohmann::json training = {{"datasets", o->datasets}, {"platforms", load.data.platforms},
                                             {"split_seed", o->splitSeed}, {"test_fraction", o->testFraction},
                                             {"networks", load.data.networkCount()}, {"statistic", o->statistic}};
            p.setTrainingInfo(training);
            const auto rows = predict::predictRows(p, load.data, split.test, p.config().name());
            const auto metrics = db::predictorMetricsJson(predict::summarize(rows));
            const int64_t id = db::storeNetworkPredictor(project, p, o->name, metrics, training);
            if (!out->empty()) {
                const auto bytes = p.save();
                std::ofstream f(*out, std::ios::binary);
                f.write(reinterpret_cast<const char *>(bytes.data()), std::streamsize(bytes.size()));
                if (!f)
                    throw Error("cannot write the predictor", *out);
            }
            std::cout << predict::metricsMarkdown(predict::summarize(rows), "") << "\n";
            std::cerr << "predictor " << id << " '" << p.config().name() << "' trained in " << p.report().seconds
                      << " s (" << p.report().epochs << " epochs, best " << p.report().bestEpoch << ") on "
                      << p.report().trainSamples << " samples\n";
            code = 0;
        });
    }
    {
        auto *cmd = app.add_subcommand("predict", "predict the latency of an ONNX model with a trained predictor");
        auto db = std::make_shared<std::string>(db::defaultProjectPath());
        auto model = std::make_shared<std::string>();
        auto platforms = std::make_shared<std::vector<std::string>>();
        auto which = std::make_shared<std::string>();
        cmd->add_option("MODEL", *model, "ONNX model file")->required();
        cmd->add_option("--platform", *platforms, "platform ids (default: every platform the predictor knows)");
        cmd->add_option("--predictor", *which,
                        "predictor id or name in the project, or a predictor file (default: the project's newest)");
        cmd->add_option("--db", *db, "project database (default: the default project)");
        cmd->callback([=, &code] {
            const auto p = loadPredictor(*db, *which);
            const auto report = features::inspectModel(*model);
            const auto list = platforms->empty() ? p.platforms() : *platforms;
            for (const auto &platform : list)
                std::cout << platform << ": " << p.predict(report.features.values, platform) << " ms\n";
            std::cout << predict::rangeSummary(p.rangeCheck(report.features.values),
                                               p.config().platform == predict::PlatformInput::Hrm)
                      << "\n";
            code = 0;
        });
    }
    {
        auto *cmd = app.add_subcommand("export-predictor", "export a trained predictor to ONNX plus a JSON card");
        auto db = std::make_shared<std::string>(db::defaultProjectPath());
        auto which = std::make_shared<std::string>();
        auto out = std::make_shared<std::string>();
        cmd->add_option("--predictor", *which,
                        "predictor id or name in the project, or a predictor file (default: the project's newest)");
        cmd->add_option("--out", *out, "output path without extension: writes OUT.onnx and OUT.json")->required();
        cmd->add_option("--db", *db, "project database (default: the default project)");
        cmd->callback([=, &code] {
            const auto p = loadPredictor(*db, *which);
            const auto files = predict::exportPredictor(p, *out);
            std::cout << files.onnx << "\n" << files.card << "\n";
            code = 0;
        });
    }
    {
        auto *cmd = app.add_subcommand("fewshot", "unseen platforms: leave one platform out, predict it from k reference latencies");
        auto o = std::make_shared<TrainOptions>();
        addTrainingOptions(cmd, *o);
        auto targets = std::make_shared<std::vector<std::string>>();
        auto ks = std::make_shared<std::vector<int>>(std::vector<int>{10, 20, 50, 100});
        auto nb201 = std::make_shared<bool>(false);
        auto trainNetworks = std::make_shared<size_t>(1000);
        auto out = std::make_shared<std::string>("fewshot");
        auto protocol = std::make_shared<std::string>("all");
        cmd->add_option("--targets", *targets, "platforms to leave out in turn (default: every platform)");
        cmd->add_option("--k", *ks, "reference networks measured on the unseen platform")->capture_default_str();
        cmd->add_flag("--nasbench201", *nb201, "use the imported NAS-Bench-201 table (every nasbench201: model)");
        cmd->add_option("--train-networks", *trainNetworks, "training networks per run (0: all)")->capture_default_str();
        cmd->add_option("--protocol", *protocol,
                        "all: score every non-reference network; help: HELP's meta-test split of NAS-Bench-201 "
                        "(train on cells 0-899, score 900-1899 less the 10% extremes)")
            ->check(CLI::IsMember({"all", "help"}))
            ->capture_default_str();
        cmd->add_option("--out", *out, "report folder")->capture_default_str();
        cmd->callback([=, &code] {
            db::Database project = db::openProject(o->db);
            db::LatencyQuery q;
            if (*nb201)
                q.sourcePrefix = "nasbench201:";
            else
                q.datasets = o->datasets;
            q.platforms = o->platforms;
            q.batch = o->batch;
            q.statistic = db::parseLatencyStatistic(o->statistic);
            auto load = db::loadLatencyData(project, q);
            std::cerr << "data: " << load.data.networkCount() << " networks x " << load.data.platformCount()
                      << " platforms\n";
            const auto list = targets->empty() ? load.data.platforms : *targets;
            predict::FewShotOptions fs;
            fs.ks = *ks;
            fs.base = configOf(*o);
            fs.splitSeed = o->splitSeed;
            fs.trainNetworks = *trainNetworks;
            if (*protocol == "help")
                predict::useHelpProtocol(load.data, fs);
            const auto rows = predict::fewShotLeaveOneOut(load.data, list, fs,
                                                          [](const std::string &line) { std::cerr << line << "\n"; });
            std::filesystem::create_directories(*out);
            std::ofstream csv(*out + "/fewshot.csv");
            predict::writeFewShotCsv(csv, rows);
            std::ofstream md(*out + "/fewshot.md");
            md << "# Unseen platforms, few-shot\n\n" << predict::fewShotMarkdown(rows);
            std::cout << predict::fewShotMarkdown(rows);
            code = 0;
        });
    }
    {
        auto *cmd = app.add_subcommand("evaluate", "train and compare the predictors; write a report (Markdown, CSV, figures)");
        auto o = std::make_shared<TrainOptions>();
        addTrainingOptions(cmd, *o);
        auto real = std::make_shared<std::vector<std::string>>(std::vector<std::string>{"zoo"});
        auto out = std::make_shared<std::string>("evaluation");
        auto quick = std::make_shared<bool>(false);
        auto moduleSet = std::make_shared<std::string>();
        cmd->add_option("--module-set", *moduleSet,
                        "also predict the real networks as module sums (time-efficient auto-selection of the set's "
                        "trained studies, sniper modules train)");
        cmd->add_option("--real", *real, "datasets of real networks evaluated by predictors trained on random ones")
            ->capture_default_str();
        cmd->add_option("--out", *out, "report folder")->capture_default_str();
        cmd->add_flag("--only-ace-sniper", *quick, "train only NNS+HRM (PCN) instead of all seven predictors");
        cmd->callback([=, &code] {
            db::Database project = db::openProject(o->db);
            auto load = loadData(project, o->datasets, o->platforms, o->batch, o->statistic);
            std::optional<db::LatencyLoad> realLoad;
            if (!real->empty() && !(real->size() == 1 && real->front().empty()))
                realLoad = loadData(project, *real, {}, o->batch, o->statistic);
            predict::ComparisonOptions c;
            c.base = configOf(*o);
            c.configs = *quick ? std::vector<predict::PredictorConfig>{c.base} : predict::paperPredictors(c.base);
            c.splitSeed = o->splitSeed;
            c.testFraction = o->testFraction;
            auto result = predict::comparePredictors(load.data, realLoad ? &realLoad->data : nullptr, c,
                                                     [](const std::string &line) { std::cerr << line << "\n"; });
            if (!moduleSet->empty()) {
                if (!realLoad)
                    throw Error("--module-set predicts the real networks: give --real too", "sniper evaluate");
                for (const auto &row : db::moduleSumEvaluation(project, *moduleSet, load.data.platforms, *real))
                    result.real.push_back(row);
                result.realMetrics = predict::summarize(result.real, true);
            }
            // The same training record as sniper train's, so a stored predictor's held-out rows can
            // be rebuilt (db::heldOutPredictions).
            const nlohmann::json training = {{"datasets", o->datasets},     {"platforms", load.data.platforms},
                                             {"split_seed", o->splitSeed},  {"test_fraction", o->testFraction},
                                             {"networks", load.data.networkCount()}, {"statistic", o->statistic}};
            for (auto &p : result.predictors) {
                p.setTrainingInfo(training);
                nlohmann::json metrics = nlohmann::json::object();
                for (const auto &r : result.metrics)
                    if (r.predictor == p.config().name() && r.scope == "all")
                        metrics["all"] = db::metricsJson(r.metrics);
                db::storeNetworkPredictor(project, p, p.config().name(), metrics, training);
            }
            result.latencyNote = o->statistic == "fastest" ? "the fastest of its timed runs" : "the median of its timed runs";
            auto files = predict::writeComparisonReport(*out, result, o->datasets);
#ifdef SNIPER_HAS_FIGURES
            std::vector<std::string> svgs;
            for (const auto &f : files)
                if (f.size() > 4 && f.compare(f.size() - 4, 4, ".svg") == 0)
                    svgs.push_back(f);
            for (const auto &f : convertFigures(svgs, {"png", "pdf"}))
                files.push_back(f);
#endif
            for (const auto &f : files)
                std::cout << f << "\n";
            code = 0;
        });
    }
}

} // namespace sniper::cli
