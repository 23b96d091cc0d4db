// Names and JSON of the predictor configuration (predict/predictor.h).

#include "predict/predictor.h"

#include "common/error.h"

#include <nlohmann/json.hpp>

#include <cctype>

namespace sniper::predict {

namespace {

std::string lower(std::string_view s)
{
    std::string out(s);
    for (char &c : out)
        c = char(std::tolower(static_cast<unsigned char>(c)));
    return out;
}

} // namespace

const char *networkInputName(NetworkInput n)
{
    switch (n) {
    case NetworkInput::Flops: return "flops";
    case NetworkInput::FlopsAmc: return "flops-amc";
    case NetworkInput::Nns: return "nns";
    }
    return "?";
}

const char *platformInputName(PlatformInput p) { return p == PlatformInput::Help ? "help" : "hrm"; }
const char *regressorName(Regressor r) { return r == Regressor::Pcn ? "pcn" : "gbt"; }

NetworkInput parseNetworkInput(std::string_view s)
{
    const std::string l = lower(s);
    if (l == "flops")
        return NetworkInput::Flops;
    if (l == "flops-amc" || l == "flops&amc")
        return NetworkInput::FlopsAmc;
    if (l == "nns")
        return NetworkInput::Nns;
    throw Error("unknown network representation '" + std::string(s) + "' (expected flops, flops-amc or nns)",
                "network input");
}

PlatformInput parsePlatformInput(std::string_view s)
{
    const std::string l = lower(s);
    if (l == "help")
        return PlatformInput::Help;
    if (l == "hrm")
        return PlatformInput::Hrm;
    throw Error("unknown platform representation '" + std::string(s) + "' (expected help or hrm)", "platform input");
}

Regressor parseRegressor(std::string_view s)
{
    const std::string l = lower(s);
    if (l == "pcn")
        return Regressor::Pcn;
    if (l == "gbt" || l == "xgboost")
        return Regressor::Gbt;
    throw Error("unknown regressor '" + std::string(s) + "' (expected pcn or gbt)", "regressor");
}

std::string PredictorConfig::name() const
{
    const char *n = network == NetworkInput::Flops ? "FLOPs" : network == NetworkInput::FlopsAmc ? "FLOPs&AMC" : "NNS";
    return std::string(n) + "+" + (platform == PlatformInput::Help ? "HELP" : "HRM") + " (" +
           (regressor == Regressor::Pcn ? "PCN" : "XGBoost") + ")";
}

nlohmann::json configToJson(const PredictorConfig &c)
{
    const PcnOptions &o = c.pcn;
    return {{"network", networkInputName(c.network)},
            {"platform", platformInputName(c.platform)},
            {"regressor", regressorName(c.regressor)},
            {"max_features", c.maxFeatures},
            {"reference_count", c.referenceCount},
            {"singular_count", c.singularCount},
            {"help_count", c.helpCount},
            {"ridge", c.ridge},
            {"seed", c.seed},
            {"pcn",
             {{"embed", o.embed}, {"heads", o.heads}, {"hidden", o.hidden}, {"head_out", o.headOut},
              {"gate", o.gate}, {"platform_hidden", o.platformHidden}, {"epochs", o.epochs}, {"batch", o.batch},
              {"lr", o.lr}, {"weight_decay", o.weightDecay}, {"patience", o.patience}, {"seed", o.seed}}}};
}

PredictorConfig configFromJson(const nlohmann::json &j)
{
    if (!j.is_object())
        throw Error("the predictor configuration is not a JSON object", "predictor config");
    PredictorConfig c;
    auto field = [&](const nlohmann::json &obj, const char *key, auto &out, const std::string &where) {
        if (!obj.contains(key))
            return;
        try {
            obj.at(key).get_to(out);
        } catch (const nlohmann::json::exception &) {
            throw Error(std::string("'") + key + "' has the wrong type", where);
        }
    };
    std::string s;
    if (j.contains("network")) {
        field(j, "network", s, "predictor config");
        c.network = parseNetworkInput(s);
    }
    if (j.contains("platform")) {
        field(j, "platform", s, "predictor config");
        c.platform = parsePlatformInput(s);
    }
    if (j.contains("regressor")) {
        field(j, "regressor", s, "predictor config");
        c.regressor = parseRegressor(s);
    }
    field(j, "max_features", c.maxFeatures, "predictor config");
    field(j, "reference_count", c.referenceCount, "predictor config");
    field(j, "singular_count", c.singularCount, "predictor config");
    field(j, "help_count", c.helpCount, "predictor config");
    field(j, "ridge", c.ridge, "predictor config");
    field(j, "seed", c.seed, "predictor config");
    if (j.contains("pcn")) {
        const auto &p = j.at("pcn");
        if (!p.is_object())
            throw Error("'pcn' is not an object", "predictor config");
        PcnOptions &o = c.pcn;
        field(p, "embed", o.embed, "predictor config pcn");
        field(p, "heads", o.heads, "predictor config pcn");
        field(p, "hidden", o.hidden, "predictor config pcn");
        field(p, "head_out", o.headOut, "predictor config pcn");
        field(p, "gate", o.gate, "predictor config pcn");
        field(p, "platform_hidden", o.platformHidden, "predictor config pcn");
        field(p, "epochs", o.epochs, "predictor config pcn");
        field(p, "batch", o.batch, "predictor config pcn");
        field(p, "lr", o.lr, "predictor config pcn");
        field(p, "weight_decay", o.weightDecay, "predictor config pcn");
        field(p, "patience", o.patience, "predictor config pcn");
        field(p, "seed", o.seed, "predictor config pcn");
    }
    if (c.maxFeatures < 1 || c.referenceCount < 2 || c.singularCount < 1 ||
        c.helpCount < 1 || c.ridge < 0)
        throw Error("max_features, singular_count, help_count must be >= 1, reference_count >= 2, "
                    "ridge >= 0",
                    "predictor config");
    return c;
}

} // namespace sniper::predict
