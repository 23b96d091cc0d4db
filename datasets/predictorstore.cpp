#include "predictorstore.h"

#include "collections.h"
#include "predict/predictor.h"

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
    r.training = training;
    return PredictorRepository(project).insert(r);
}

} // namespace sniper::db
