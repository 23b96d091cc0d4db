// The predictor card and file format (predict/predictor.h): JSON card + regressor weights.

#include "predict/predictorimpl.h"

#include <cstring>
#include <limits>

namespace sniper::predict {

namespace {

constexpr char kMagic[] = "SNIPER-PREDICTOR-1\n";

} // namespace

void NetworkPredictor::setTrainingInfo(const nlohmann::json &info) { d->training = info; }

nlohmann::json NetworkPredictor::card() const
{
    nlohmann::json platforms = nlohmann::json::array();
    for (const auto &p : d->platforms)
        platforms.push_back({{"name", p.name},
                             {"log_min", p.logMin},
                             {"log_max", p.logMax},
                             {"latency_scale", p.latencyScale},
                             {"general", p.general},
                             {"special", p.special},
                             {"correction_weight", p.correctionWeight}});
    nlohmann::json scaling = nlohmann::json::array();
    for (size_t i = 0; i < d->featureIdx.size(); ++i)
        scaling.push_back({{"feature", features::featureTable()[size_t(d->featureIdx[i])].name},
                           {"transform", "sign(v)*log1p(|v|)"},
                           {"min", d->tMin[i]},
                           {"max", d->tMax[i]}});
    // Every feature's training range, for the range check of predictions (cards from before it lack it).
    nlohmann::json range = nlohmann::json::object();
    for (size_t i = 0; i < d->rangeMin.size(); ++i)
        range[features::featureTable()[i].name] = {d->rangeMin[i], d->rangeMax[i]};
    const TrainingReport &r = d->report;
    return {{"format", "sniper-network-predictor"},
            {"version", 1},
            {"name", d->config.name()},
            {"config", configToJson(d->config)},
            {"features", featureNames()},
            {"scaling", scaling},
            {"training_range", {{"transform", "sign(v)*log1p(|v|)"}, {"features", range}}},
            {"general_features", generalFeatureNames()},
            {"general_scale", d->generalScale},
            {"reference_networks", d->refNames},
            {"reference_general", d->refGeneral},
            {"singular", d->singular},
            {"help_scale", {d->gLo, d->gHi}},
            {"platforms", platforms},
            {"output", "latency_ms = exp(log_min + y * (log_max - log_min)) of the sample's platform"},
            {"training", d->training},
            {"report",
             {{"train_samples", r.trainSamples},
              {"validation_samples", r.validationSamples},
              {"epochs", r.epochs},
              {"best_epoch", r.bestEpoch},
              {"best_validation_loss", r.bestValidationLoss},
              {"seconds", r.seconds}}}};
}

std::vector<uint8_t> NetworkPredictor::save() const
{
    const std::string card = this->card().dump();
    const std::vector<uint8_t> weights = d->pcn ? d->pcn->save() : d->gbt ? d->gbt->save() : std::vector<uint8_t>{};
    std::vector<uint8_t> out(kMagic, kMagic + std::strlen(kMagic));
    auto put64 = [&](uint64_t v) {
        for (int i = 0; i < 8; ++i)
            out.push_back(uint8_t(v >> (8 * i)));
    };
    put64(card.size());
    out.insert(out.end(), card.begin(), card.end());
    put64(weights.size());
    out.insert(out.end(), weights.begin(), weights.end());
    return out;
}

NetworkPredictor NetworkPredictor::load(const std::vector<uint8_t> &bytes)
{
    const size_t magic = std::strlen(kMagic);
    if (bytes.size() < magic + 16 || std::memcmp(bytes.data(), kMagic, magic) != 0)
        throw Error("not a Sniper predictor file (bad header)", "predictor");
    size_t at = magic;
    auto get64 = [&](const char *what) {
        if (at + 8 > bytes.size())
            throw Error(std::string("truncated before the ") + what, "predictor");
        uint64_t v = 0;
        for (int i = 0; i < 8; ++i)
            v |= uint64_t(bytes[at + size_t(i)]) << (8 * i);
        at += 8;
        if (v > bytes.size() - at)
            throw Error(std::string("truncated ") + what + " (" + std::to_string(v) + " bytes announced, " +
                            std::to_string(bytes.size() - at) + " left)",
                        "predictor");
        return size_t(v);
    };
    const size_t cardSize = get64("card");
    nlohmann::json card;
    try {
        card = nlohmann::json::parse(bytes.begin() + long(at), bytes.begin() + long(at + cardSize));
    } catch (const nlohmann::json::exception &e) {
        throw Error(std::string("the card is not valid JSON: ") + e.what(), "predictor card");
    }
    at += cardSize;
    const size_t weightSize = get64("weights");
    const std::vector<uint8_t> weights(bytes.begin() + long(at), bytes.begin() + long(at + weightSize));

    NetworkPredictor out;
    Impl &m = *out.d;
    try {
        if (card.value("format", "") != "sniper-network-predictor")
            throw Error("the card's format is not sniper-network-predictor", "predictor card");
        m.config = configFromJson(card.at("config"));
        for (const auto &name : card.at("features")) {
            const int f = features::featureIndex(name.get<std::string>());
            if (f < 0)
                throw Error("unknown feature '" + name.get<std::string>() + "' (a newer feature table?)",
                            "predictor card");
            m.featureIdx.push_back(f);
        }
        for (const auto &s : card.at("scaling")) {
            m.tMin.push_back(s.at("min").get<double>());
            m.tMax.push_back(s.at("max").get<double>());
        }
        for (const auto &name : card.at("general_features")) {
            const int f = features::featureIndex(name.get<std::string>());
            if (f < 0)
                throw Error("unknown general feature '" + name.get<std::string>() + "'", "predictor card");
            m.generalIdx.push_back(f);
        }
        m.generalScale = card.at("general_scale").get<std::vector<double>>();
        if (card.contains("training_range")) { // features unknown to this build are ignored
            const auto &range = card.at("training_range").at("features");
            const size_t all = features::featureTable().size();
            m.rangeMin.assign(all, -std::numeric_limits<double>::infinity());
            m.rangeMax.assign(all, std::numeric_limits<double>::infinity());
            for (auto it = range.begin(); it != range.end(); ++it) {
                const int f = features::featureIndex(it.key());
                if (f >= 0 && it.value().is_array() && it.value().size() == 2) {
                    m.rangeMin[size_t(f)] = it.value().at(0).get<double>();
                    m.rangeMax[size_t(f)] = it.value().at(1).get<double>();
                }
            }
        }
        m.refNames = card.at("reference_networks").get<std::vector<std::string>>();
        m.refGeneral = card.at("reference_general").get<std::vector<std::vector<double>>>();
        m.singular = card.at("singular").get<std::vector<int>>();
        m.gLo = card.at("help_scale").at(0).get<double>();
        m.gHi = card.at("help_scale").at(1).get<double>();
        for (const auto &p : card.at("platforms")) {
            PlatformEmbedding e;
            e.name = p.at("name").get<std::string>();
            e.logMin = p.at("log_min").get<double>();
            e.logMax = p.at("log_max").get<double>();
            e.latencyScale = p.at("latency_scale").get<double>();
            e.general = p.at("general").get<std::vector<double>>();
            e.special = p.at("special").get<std::vector<double>>();
            e.correctionWeight = p.value("correction_weight", 1.0);
            m.platforms.push_back(std::move(e));
        }
        m.training = card.value("training", nlohmann::json::object());
        const auto &r = card.at("report");
        m.report.trainSamples = r.at("train_samples").get<size_t>();
        m.report.validationSamples = r.at("validation_samples").get<size_t>();
        m.report.epochs = r.at("epochs").get<int>();
        m.report.bestEpoch = r.at("best_epoch").get<int>();
        m.report.bestValidationLoss = r.at("best_validation_loss").is_number() ? r.at("best_validation_loss").get<double>() : 0.0;
        m.report.seconds = r.at("seconds").get<double>();
    } catch (const nlohmann::json::exception &e) {
        throw Error(std::string("the card lacks a field or has a wrong type: ") + e.what(), "predictor card");
    }
    if (m.tMin.size() != m.featureIdx.size() || m.refGeneral.size() != m.refNames.size() ||
        m.generalScale.size() != m.generalIdx.size())
        throw Error("the card's feature, scaling and reference lists disagree", "predictor card");
    for (const auto &row : m.refGeneral)
        if (row.size() != m.generalIdx.size())
            throw Error("a reference network has the wrong number of inputs", "predictor card");
    for (int s : m.singular)
        if (s < 0 || size_t(s) >= m.refNames.size())
            throw Error("a singular network index is out of range", "predictor card");
    const size_t platformSize = size_t(m.generalSize() + m.specialSize());
    for (const auto &e : m.platforms)
        if (e.general.size() + e.special.size() != platformSize)
            throw Error("platform '" + e.name + "' has an embedding of the wrong length", "predictor card");
    if (m.config.regressor == Regressor::Pcn) {
        m.pcn = std::make_unique<PcnModel>(int(m.featureIdx.size()), m.generalSize(), m.specialSize(), m.config.pcn);
        m.pcn->load(weights);
    } else {
        m.gbt = std::make_unique<GradientBoostedTrees>(GradientBoostedTrees::load(weights));
    }
    return out;
}


} // namespace sniper::predict
