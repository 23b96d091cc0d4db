#include "predictorstore.h"

#include "collections.h"
#include "common/error.h"
#include "predict/data.h"
#include "predict/predictor.h"
#include "predictdata.h"

#include <limits>

namespace sniper::db {

nlohmann::json metricsJson(const predict::Metrics &m)
{
    return {{"n", m.n}, {"mape", m.mape}, {"rmse", m.rmse}, {"r2", m.r2}, {"acc5", m.acc5}, {"acc10", m.acc10},
            {"acc15", m.acc15}, {"acc20", m.acc20}, {"spearman", m.spearman}};
}

nlohmann::json predictorMetricsJson(const std::vector<predict::MetricsRow> &rows)
{
    nlohmann::json metrics = nlohmann::json::object();
    for (const auto &r : rows)
        if (r.scope == "all" || r.scope == "platform")
            metrics[r.subject.empty() ? "all" : r.subject] = metricsJson(r.metrics);
    return metrics;
}

int64_t storeNetworkPredictor(Database &project, const predict::NetworkPredictor &p, const std::string &name,
                              const nlohmann::json &metrics, const nlohmann::json &training)
{
    PredictorRecord r;
    r.name = name.empty() ? p.config().name() : name;
    r.kind = "network";
    r.hyperparameters = predict::configToJson(p.config());
    r.weights = p.save();
    r.metrics = metrics;
    r.training = training.is_object() ? training : nlohmann::json::object();
    if (!r.training.contains("report"))
        r.training["report"] = trainingReportJson(p.report());
    return PredictorRepository(project).insert(r);
}

nlohmann::json trainingReportJson(const predict::TrainingReport &r)
{
    return {{"train_samples", r.trainSamples}, {"validation_samples", r.validationSamples}, {"epochs", r.epochs},
            {"best_epoch", r.bestEpoch}, {"best_validation_loss", r.bestValidationLoss}, {"seconds", r.seconds},
            {"train_loss", r.trainLoss}, {"validation_loss", r.validationLoss}};
}

predict::TrainingReport trainingReportFromJson(const nlohmann::json &j)
{
    predict::TrainingReport r;
    if (!j.is_object())
        return r;
    r.trainSamples = j.value("train_samples", size_t(0));
    r.validationSamples = j.value("validation_samples", size_t(0));
    r.epochs = j.value("epochs", 0);
    r.bestEpoch = j.value("best_epoch", 0);
    r.bestValidationLoss = j.value("best_validation_loss", 0.0);
    r.seconds = j.value("seconds", 0.0);
    for (const char *key : {"train_loss", "validation_loss"})
        if (j.contains(key) && j[key].is_array()) {
            auto &out = std::string(key) == "train_loss" ? r.trainLoss : r.validationLoss;
            for (const auto &v : j[key])
                out.push_back(v.is_number() ? v.get<double>() : std::numeric_limits<double>::quiet_NaN());
        }
    return r;
}

StoredNetworkPredictor loadNetworkPredictor(Database &project, int64_t id)
{
    const std::string where = "predictor " + std::to_string(id) + " in " + project.path();
    auto record = PredictorRepository(project).find(id);
    if (!record)
        throw Error("no such predictor", where);
    if (record->kind != "network")
        throw Error("is a '" + record->kind + "' predictor, not a network-level one", where);
    StoredNetworkPredictor s;
    s.id = record->id;
    s.name = record->name;
    s.training = record->training;
    s.metrics = record->metrics;
    try {
        s.predictor = std::make_shared<const predict::NetworkPredictor>(predict::NetworkPredictor::load(record->weights));
    } catch (const Error &e) {
        throw Error(e.what(), where);
    }
    return s;
}

std::optional<int64_t> newestNetworkPredictor(Database &project)
{
    std::optional<int64_t> id;
    for (const auto &r : PredictorRepository(project).list("network"))
        if (!id || r.id > *id)
            id = r.id;
    return id;
}

std::optional<ModelPrediction> predictWithNewest(Database &project, const std::vector<double> &features)
{
    const auto id = newestNetworkPredictor(project);
    if (!id)
        return std::nullopt;
    const StoredNetworkPredictor stored = loadNetworkPredictor(project, *id);
    const predict::NetworkPredictor &p = *stored.predictor;
    ModelPrediction out;
    out.predictorId = stored.id;
    out.predictorName = stored.name;
    for (const auto &platform : p.platforms())
        out.latencyMs.emplace_back(platform, p.predict(features, platform));
    const predict::RangeCheck range = p.rangeCheck(features);
    out.inside = range.inside;
    out.range = predict::rangeSummary(range, p.config().platform == predict::PlatformInput::Hrm);
    return out;
}

std::vector<predict::PredictionRow> heldOutPredictions(Database &project, const StoredNetworkPredictor &p)
{
    const std::string where = "predictor " + std::to_string(p.id) + " '" + p.name + "'";
    const auto &t = p.training;
    if (!t.is_object() || !t.contains("datasets") || !t.contains("split_seed") || !t.contains("test_fraction"))
        throw Error("the stored training record names no datasets and split", where);
    LatencyQuery q;
    try {
        q.statistic = trainingStatistic(t);
    } catch (const Error &e) {
        throw Error(e.what(), where);
    }
    try {
        q.datasets = t.at("datasets").get<std::vector<std::string>>();
        if (t.contains("platforms"))
            q.platforms = t.at("platforms").get<std::vector<std::string>>();
    } catch (const nlohmann::json::exception &) {
        throw Error("the stored training record's datasets or platforms are not lists of names", where);
    }
    const LatencyLoad load = loadLatencyData(project, q);
    const size_t then = t.value("networks", load.data.networkCount());
    if (then != load.data.networkCount())
        throw Error("the datasets have " + std::to_string(load.data.networkCount()) + " networks now and had " +
                        std::to_string(then) + " at training time, so the held-out split is not the same",
                    where);
    const predict::Split split = predict::splitNetworks(load.data.networkCount(), t.at("split_seed").get<uint64_t>(),
                                                        0.1, t.at("test_fraction").get<double>());
    return predict::predictRows(*p.predictor, load.data, split.test, p.predictor->config().name());
}

} // namespace sniper::db
