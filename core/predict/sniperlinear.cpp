#include "predict/sniperlinear.h"

#include "common/error.h"
#include "predict/transform.h"
#include "features/features.h"
#include "features/kfe.h"
#include "predict/predictor.h"

#include <nlohmann/json.hpp>

#include <cmath>

namespace sniper::predict {

namespace {


std::vector<double> row(const std::vector<double> &f, const std::vector<int> &cols)
{
    if (f.size() != features::featureTable().size())
        throw Error(std::to_string(f.size()) + " features, expected " + std::to_string(features::featureTable().size()),
                    "network features");
    std::vector<double> r;
    for (int c : cols) {
        if (!std::isfinite(f[size_t(c)]))
            throw Error(std::string("feature ") + features::featureTable()[size_t(c)].name + " is missing or not finite",
                        "network features");
        r.push_back(signedLog1p(f[size_t(c)]));
    }
    return r;
}

} // namespace

KfeBayesRidge KfeBayesRidge::train(const LatencyData &data, const std::vector<int> &trainRows, int k)
{
    data.validate();
    if (k < 1)
        throw Error("k must be at least 1", "KFE + Bayesian ridge");
    const auto &table = features::featureTable();
    std::vector<int> candidates;
    for (size_t f = 0; f < table.size(); ++f)
        if (table[f].dimension != features::Dimension::Baseline)
            candidates.push_back(int(f));
    KfeBayesRidge out;
    for (size_t p = 0; p < data.platformCount(); ++p) {
        features::Matrix m;
        m.cols = int(candidates.size());
        std::vector<double> y;
        std::vector<int> rows;
        for (int n : trainRows)
            if (data.measured(size_t(n), p)) {
                for (double v : row(data.features[size_t(n)], candidates))
                    m.data.push_back(v);
                y.push_back(std::log(data.latency(size_t(n), p)));
                rows.push_back(n);
                ++m.rows;
            }
        if (m.rows < k + 2)
            continue;
        PlatformModel model;
        for (int i : features::keyFeatureExtraction(m, y, k).selected)
            model.selected.push_back(candidates[size_t(i)]);
        features::Matrix x;
        x.cols = int(model.selected.size());
        for (int n : rows) {
            for (double v : row(data.features[size_t(n)], model.selected))
                x.data.push_back(v);
            ++x.rows;
        }
        model.ridge.fit(x, y);
        out.m_models.emplace(data.platforms[p], std::move(model));
    }
    if (out.m_models.empty())
        throw Error("no platform has enough measured training networks", "KFE + Bayesian ridge");
    return out;
}

bool KfeBayesRidge::hasPlatform(std::string_view platform) const { return m_models.count(platform) > 0; }

const KfeBayesRidge::PlatformModel &KfeBayesRidge::find(std::string_view platform) const
{
    const auto it = m_models.find(platform);
    if (it == m_models.end())
        throw Error("the Bayesian ridge was not trained for platform '" + std::string(platform) + "'", "platform");
    return it->second;
}

std::vector<std::string> KfeBayesRidge::selectedFeatures(std::string_view platform) const
{
    std::vector<std::string> out;
    for (int f : find(platform).selected)
        out.emplace_back(features::featureTable()[size_t(f)].name);
    return out;
}

double KfeBayesRidge::predict(const std::vector<double> &features, std::string_view platform) const
{
    const PlatformModel &m = find(platform);
    const auto r = row(features, m.selected);
    return std::exp(m.ridge.predictRow(r.data()));
}

nlohmann::json KfeBayesRidge::toJson() const
{
    nlohmann::json platforms = nlohmann::json::object();
    for (const auto &[name, m] : m_models) {
        std::vector<std::string> names;
        for (int f : m.selected)
            names.emplace_back(features::featureTable()[size_t(f)].name);
        platforms[name] = {{"features", names}, {"ridge", m.ridge.toJson()}};
    }
    return {{"format", "sniper-kfe-bayesian-ridge"}, {"target", "log(latency_ms)"},
            {"transform", "sign(v)*log1p(|v|)"}, {"platforms", platforms}};
}

KfeBayesRidge KfeBayesRidge::fromJson(const nlohmann::json &j)
{
    KfeBayesRidge out;
    try {
        if (j.at("format").get<std::string>() != "sniper-kfe-bayesian-ridge")
            throw Error("not a KFE + Bayesian ridge model", "predictor json");
        for (const auto &[name, p] : j.at("platforms").items()) {
            PlatformModel m;
            for (const auto &f : p.at("features")) {
                const int i = features::featureIndex(f.get<std::string>());
                if (i < 0)
                    throw Error("unknown feature '" + f.get<std::string>() + "'", "platform " + name);
                m.selected.push_back(i);
            }
            m.ridge = BayesianRidge::fromJson(p.at("ridge"));
            if (m.ridge.cols() != int(m.selected.size()))
                throw Error("the ridge model does not match its feature list", "platform " + name);
            out.m_models.emplace(name, std::move(m));
        }
    } catch (const nlohmann::json::exception &e) {
        throw Error(std::string("missing or mistyped field: ") + e.what(), "predictor json");
    }
    return out;
}

bool StructureChecker::useLinear(const std::vector<double> &features) const
{
    const int macs = features::featureIndex("total_macs");
    if (size_t(macs) >= features.size())
        throw Error("no total_macs feature", "Structure Checker");
    return features[size_t(macs)] < double(smallMacs);
}

double StructureChecker::predict(const KfeBayesRidge &linear, const NetworkPredictor &pcn,
                                 const std::vector<double> &features, std::string_view platform) const
{
    return useLinear(features) && linear.hasPlatform(platform) ? linear.predict(features, platform)
                                                               : pcn.predict(features, platform);
}

} // namespace sniper::predict
