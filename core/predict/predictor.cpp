#include "predict/predictor.h"

#include "common/error.h"
#include "common/xoshiro.h"
#include "features/features.h"
#include "features/kfe.h"
#include "predict/gbt.h"
#include "predict/nnls.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <limits>
#include <set>

namespace sniper::predict {

namespace {

constexpr char kMagic[] = "SNIPER-PREDICTOR-1\n";

// Counts, sizes and MACs span orders of magnitude: the regressors see sign(v) * log(1 + |v|).
double transform(double v) { return v < 0 ? -std::log1p(-v) : std::log1p(v); }

// The cost features of HRM's general fit for each network representation.
std::vector<std::string> generalFeatureList(NetworkInput n)
{
    if (n == NetworkInput::Flops)
        return {"total_flops"};
    if (n == NetworkInput::FlopsAmc)
        return {"total_flops", "memory_access_cost"};
    return {"conv1x1_macs", "conv3x3_macs", "conv_large_macs", "conv_atrous_macs", "conv_depthwise_macs",
            "conv_grouped_macs", "fc_macs", "conv_io_elements", "depthwise_io_elements", "norm_elements",
            "cheap_activation_elements", "transcendental_elements", "maxpool_work", "avgpool_work",
            "global_pool_elements", "eltwise_elements",
            "concat_elements", "other_layer_elements", "num_layers"};
}

} // namespace

struct NetworkPredictor::Impl {
    PredictorConfig config;
    std::vector<int> featureIdx;                // featureTable() columns feeding the regressor
    std::vector<double> tMin, tMax;             // min-max scaling of the transformed features
    std::vector<int> generalIdx;                // featureTable() columns of HRM's general fit
    std::vector<double> generalScale;           // their largest training value (the fit sees f / scale)
    std::vector<std::string> refNames;
    std::vector<std::vector<double>> refGeneral; // scaled general features of the reference networks
    std::vector<int> singular;                  // HRM special part: indices into the reference set
    double gLo = 0, gHi = 1;                    // HELP: one log-latency scale for every platform
    std::vector<PlatformEmbedding> platforms;
    std::unique_ptr<PcnModel> pcn;
    std::unique_ptr<GradientBoostedTrees> gbt;
    TrainingReport report;
    nlohmann::json training = nlohmann::json::object();

    bool hrm() const { return config.platform == PlatformInput::Hrm; }
    int generalSize() const { return hrm() ? int(generalIdx.size()) + 1 : 0; }
    int specialSize() const { return hrm() ? int(singular.size()) : std::min<int>(config.helpCount, int(refNames.size())); }

    std::vector<float> inputs(const std::vector<double> &f) const
    {
        if (f.size() != features::featureTable().size())
            throw Error(std::to_string(f.size()) + " features, expected " +
                            std::to_string(features::featureTable().size()),
                        "network features");
        std::vector<float> x(featureIdx.size());
        for (size_t i = 0; i < featureIdx.size(); ++i) {
            const double v = f[size_t(featureIdx[i])];
            if (!std::isfinite(v))
                throw Error(std::string("feature ") + features::featureTable()[size_t(featureIdx[i])].name +
                                " is missing or not finite",
                            "network features");
            const double span = tMax[i] - tMin[i];
            x[i] = float(span > 0 ? (transform(v) - tMin[i]) / span : 0.0);
        }
        return x;
    }

    const PlatformEmbedding &find(std::string_view name) const
    {
        for (const auto &p : platforms)
            if (p.name == name)
                return p;
        std::string known;
        for (const auto &p : platforms)
            known += (known.empty() ? "" : ", ") + p.name;
        throw Error("the predictor was not trained for platform '" + std::string(name) + "' (it knows " + known +
                        "; add it few-shot from its reference-network latencies)",
                    "platform");
    }

    // Eq. 11 normalization bounds and the general fit (Eq. 8-9) of one platform.
    PlatformEmbedding generalPart(const std::string &name, const std::vector<double> &refMs) const
    {
        if (refMs.size() != refNames.size())
            throw Error(std::to_string(refMs.size()) + " reference latencies, the predictor needs " +
                            std::to_string(refNames.size()) + " (one per reference network, in order)",
                        "platform '" + name + "'");
        std::vector<double> logs(refMs.size());
        for (size_t i = 0; i < refMs.size(); ++i) {
            if (!(refMs[i] > 0) || !std::isfinite(refMs[i]))
                throw Error("latency of reference network '" + refNames[i] + "' is missing or not positive",
                            "platform '" + name + "'");
            logs[i] = std::log(refMs[i]);
        }
        PlatformEmbedding e;
        e.name = name;
        if (hrm()) {
            e.logMin = *std::min_element(logs.begin(), logs.end());
            e.logMax = *std::max_element(logs.begin(), logs.end());
            if (e.logMax - e.logMin < 1e-9)
                e.logMax = e.logMin + 1;
            std::vector<double> sorted = refMs;
            std::nth_element(sorted.begin(), sorted.begin() + long(sorted.size() / 2), sorted.end());
            e.latencyScale = sorted[sorted.size() / 2];
            std::vector<double> target(refMs.size());
            for (size_t i = 0; i < refMs.size(); ++i)
                target[i] = refMs[i] / e.latencyScale;
            e.general = generalFit(refGeneral, target, config.ridge);
            for (size_t i = 0; i < logs.size(); ++i)
                e.special.push_back((logs[i] - e.logMin) / (e.logMax - e.logMin));
        } else {
            e.logMin = gLo;
            e.logMax = gHi;
            for (size_t i = 0; i < size_t(specialSize()); ++i)
                e.special.push_back((logs[i] - gLo) / (gHi - gLo));
        }
        return e;
    }

    std::vector<double> scaledGeneral(const std::vector<double> &f) const
    {
        std::vector<double> g(generalIdx.size());
        for (size_t j = 0; j < generalIdx.size(); ++j) {
            const double v = f[size_t(generalIdx[j])];
            if (!std::isfinite(v))
                throw Error(std::string("feature ") + features::featureTable()[size_t(generalIdx[j])].name +
                                " is missing or not finite",
                            "network features");
            g[j] = v / generalScale[j];
        }
        return g;
    }

    // HRM's general fit of one platform (Eq. 8), in Eq. 11's normalized log space: the prior the
    // regressor corrects. Predictions below a fifth of the fastest reference are floored there.
    double priorOfScaled(const std::vector<double> &g, const PlatformEmbedding &e) const
    {
        if (!hrm())
            return 0.0;
        double lin = e.general.back();
        for (size_t j = 0; j < g.size(); ++j)
            lin += e.general[j] * g[j];
        const double ms = std::max(lin * e.latencyScale, 0.2 * std::exp(e.logMin));
        return (std::log(ms) - e.logMin) / (e.logMax - e.logMin);
    }

    void narrowSpecial(PlatformEmbedding &e) const
    {
        if (!hrm())
            return;
        std::vector<double> s;
        for (int i : singular)
            s.push_back(e.special[size_t(i)]);
        e.special = std::move(s);
    }

    PlatformEmbedding embed(const std::string &name, const std::vector<double> &refMs) const
    {
        PlatformEmbedding e = generalPart(name, refMs);
        narrowSpecial(e);
        return e;
    }

    std::vector<float> platformVector(const PlatformEmbedding &e) const
    {
        std::vector<float> v;
        for (double w : e.general)
            v.push_back(float(w));
        for (double s : e.special)
            v.push_back(float(s));
        return v;
    }


    double normalize(double ms, const PlatformEmbedding &e) const
    {
        return (std::log(ms) - e.logMin) / (e.logMax - e.logMin);
    }

    // Rows of a regressor batch for (network inputs, platform) pairs.
    void append(PcnBatch &b, const std::vector<double> &f, const PlatformEmbedding &e, const std::vector<float> &pv) const
    {
        const auto x = inputs(f);
        b.network.insert(b.network.end(), x.begin(), x.end());
        b.platform.insert(b.platform.end(), pv.begin(), pv.end());
        b.prior.push_back(float(hrm() ? priorOfScaled(scaledGeneral(f), e) : 0.0));
        ++b.rows;
    }

    features::Matrix gbtMatrix(const PcnBatch &b) const
    {
        features::Matrix m;
        m.rows = int(b.rows);
        const size_t nx = featureIdx.size(), np = size_t(generalSize() + specialSize());
        m.cols = int(nx + np + 1);
        m.data.reserve(size_t(m.rows) * size_t(m.cols));
        for (size_t r = 0; r < b.rows; ++r) {
            for (size_t i = 0; i < nx; ++i)
                m.data.push_back(b.network[r * nx + i]);
            for (size_t i = 0; i < np; ++i)
                m.data.push_back(b.platform[r * np + i]);
            m.data.push_back(b.prior[r]);
        }
        return m;
    }

    std::vector<double> regress(const PcnBatch &b) const
    {
        std::vector<double> out(b.rows);
        if (pcn) {
            const auto y = pcn->predict(b);
            std::copy(y.begin(), y.end(), out.begin());
        } else {
            const auto y = gbt->predict(gbtMatrix(b)); // residual over the prior
            for (size_t r = 0; r < b.rows; ++r)
                out[r] = double(b.prior[r]) + y[r];
        }
        return out;
    }
};

NetworkPredictor::NetworkPredictor() : d(std::make_unique<Impl>()) {}
NetworkPredictor::~NetworkPredictor() = default;
NetworkPredictor::NetworkPredictor(NetworkPredictor &&) noexcept = default;
NetworkPredictor &NetworkPredictor::operator=(NetworkPredictor &&) noexcept = default;

namespace {

// Feature columns of a network representation. NNS: Table III features picked by KFE on each
// platform's training latencies, merged round-robin (so the first picks of every platform come
// first), up to maxFeatures.
std::vector<int> selectFeatures(const LatencyData &data, const std::vector<int> &train, const PredictorConfig &c)
{
    if (c.network == NetworkInput::Flops)
        return {features::featureIndex("total_flops")};
    if (c.network == NetworkInput::FlopsAmc)
        return {features::featureIndex("total_flops"), features::featureIndex("memory_access_cost")};
    const auto &table = features::featureTable();
    std::vector<int> candidates;
    for (size_t f = 0; f < table.size(); ++f) {
        if (table[f].dimension == features::Dimension::Baseline)
            continue;
        double lo = std::numeric_limits<double>::infinity(), hi = -lo;
        for (int n : train) {
            lo = std::min(lo, data.features[size_t(n)][f]);
            hi = std::max(hi, data.features[size_t(n)][f]);
        }
        if (hi > lo)
            candidates.push_back(int(f));
    }
    std::vector<std::vector<int>> picks;
    for (size_t p = 0; p < data.platformCount(); ++p) {
        features::Matrix m;
        std::vector<double> y;
        m.cols = int(candidates.size());
        for (int n : train) {
            if (!data.measured(size_t(n), p))
                continue;
            for (int f : candidates)
                m.data.push_back(transform(data.features[size_t(n)][size_t(f)]));
            y.push_back(std::log(data.latency(size_t(n), p)));
            ++m.rows;
        }
        if (m.rows < 3)
            continue;
        std::vector<int> chosen;
        for (int i : features::keyFeatureExtraction(m, y, c.maxFeatures).selected)
            chosen.push_back(candidates[size_t(i)]);
        picks.push_back(chosen);
    }
    if (picks.empty())
        throw Error("no platform has three measured training networks", "feature selection");
    std::vector<int> merged;
    std::set<int> seen;
    for (size_t rank = 0; merged.size() < size_t(c.maxFeatures); ++rank) {
        bool any = false;
        for (const auto &p : picks) {
            if (rank >= p.size())
                continue;
            any = true;
            if (seen.insert(p[rank]).second && merged.size() < size_t(c.maxFeatures))
                merged.push_back(p[rank]);
        }
        if (!any)
            break;
    }
    return merged;
}

// Singular reference networks (Eq. 10): those whose normalized latency the general fit explains
// least, and most differently across platforms; picked greedily, each new pick discounted by its
// largest |cosine| with the residual rows already picked (the covariance filter).
std::vector<int> selectSingular(const std::vector<std::vector<double>> &residual, int count)
{
    const size_t refs = residual.empty() ? 0 : residual[0].size(), k = residual.size();
    std::vector<std::vector<double>> rows(refs, std::vector<double>(k));
    std::vector<double> score(refs);
    for (size_t r = 0; r < refs; ++r) {
        double mean = 0;
        for (size_t p = 0; p < k; ++p)
            mean += residual[p][r] / double(k);
        for (size_t p = 0; p < k; ++p)
            rows[r][p] = k > 1 ? residual[p][r] - mean : residual[p][r];
        for (double v : rows[r])
            score[r] += v * v;
        if (k > 1)
            score[r] += 0.25 * mean * mean; // a network every platform finds hard still tells sizes apart
    }
    std::vector<int> chosen;
    std::vector<bool> used(refs, false);
    while (chosen.size() < size_t(std::min<size_t>(size_t(count), refs))) {
        int best = -1;
        double bestScore = -1;
        for (size_t r = 0; r < refs; ++r) {
            if (used[r])
                continue;
            double similar = 0;
            for (int c : chosen) {
                double dot = 0, a = 0, b = 0;
                for (size_t p = 0; p < k; ++p) {
                    dot += rows[r][p] * rows[size_t(c)][p];
                    a += rows[r][p] * rows[r][p];
                    b += rows[size_t(c)][p] * rows[size_t(c)][p];
                }
                if (a > 0 && b > 0)
                    similar = std::max(similar, std::abs(dot) / std::sqrt(a * b));
            }
            const double s = score[r] * (1.0 - 0.5 * similar);
            if (s > bestScore) {
                bestScore = s;
                best = int(r);
            }
        }
        used[size_t(best)] = true;
        chosen.push_back(best);
    }
    std::sort(chosen.begin(), chosen.end());
    return chosen;
}

} // namespace

NetworkPredictor NetworkPredictor::train(const LatencyData &data, const Split &split, const PredictorConfig &config,
                                         const std::function<bool(int, double, double)> &progress)
{
    data.validate();
    if (split.train.empty() || split.validation.empty())
        throw Error("needs training and validation networks", "split");
    for (const auto *part : {&split.train, &split.validation, &split.test})
        for (int n : *part)
            if (n < 0 || size_t(n) >= data.networkCount())
                throw Error("network row " + std::to_string(n) + " is out of range", "split");
    NetworkPredictor out;
    Impl &m = *out.d;
    m.config = config;

    // Reference networks (Eq. 7): training networks measured on every platform, seeded choice.
    std::vector<int> complete;
    for (int n : split.train) {
        bool all = true;
        for (size_t p = 0; p < data.platformCount() && all; ++p)
            all = data.measured(size_t(n), p);
        if (all)
            complete.push_back(n);
    }
    const size_t minRefs = size_t(std::max({3, config.helpCount, config.singularCount}));
    if (complete.size() < minRefs)
        throw Error("only " + std::to_string(complete.size()) + " training networks are measured on every platform; " +
                        std::to_string(minRefs) + " are needed as reference networks",
                    "training data");
    Xoshiro256 rng(config.seed ^ 0x4e5f);
    for (size_t i = complete.size(); i > 1; --i)
        std::swap(complete[i - 1], complete[rng.below(i)]);
    complete.resize(std::min(complete.size(), size_t(config.referenceCount)));

    // Network inputs and their scaling.
    m.featureIdx = selectFeatures(data, split.train, config);
    for (const auto &name : generalFeatureList(config.network)) {
        const int f = features::featureIndex(name);
        double hi = 0;
        for (int n : split.train)
            hi = std::max(hi, std::abs(data.features[size_t(n)][size_t(f)]));
        m.generalIdx.push_back(f);
        m.generalScale.push_back(hi > 0 ? hi : 1.0);
    }
    m.tMin.assign(m.featureIdx.size(), std::numeric_limits<double>::infinity());
    m.tMax.assign(m.featureIdx.size(), -std::numeric_limits<double>::infinity());
    for (int n : split.train)
        for (size_t i = 0; i < m.featureIdx.size(); ++i) {
            const double t = transform(data.features[size_t(n)][size_t(m.featureIdx[i])]);
            m.tMin[i] = std::min(m.tMin[i], t);
            m.tMax[i] = std::max(m.tMax[i], t);
        }
    for (int n : complete) {
        m.refNames.push_back(data.networks[size_t(n)]);
        m.refGeneral.push_back(m.scaledGeneral(data.features[size_t(n)]));
    }
    m.gLo = std::numeric_limits<double>::infinity();
    m.gHi = -m.gLo;
    for (int n : complete)
        for (size_t p = 0; p < data.platformCount(); ++p) {
            m.gLo = std::min(m.gLo, std::log(data.latency(size_t(n), p)));
            m.gHi = std::max(m.gHi, std::log(data.latency(size_t(n), p)));
        }
    if (m.gHi - m.gLo < 1e-9)
        m.gHi = m.gLo + 1;

    // Platform embeddings: general parts first, then the singular networks from their residuals.
    std::vector<std::vector<double>> residual;
    for (size_t p = 0; p < data.platformCount(); ++p) {
        std::vector<double> refMs;
        for (int n : complete)
            refMs.push_back(data.latency(size_t(n), p));
        PlatformEmbedding e = m.generalPart(data.platforms[p], refMs);
        if (m.hrm()) {
            std::vector<double> r(complete.size());
            for (size_t i = 0; i < complete.size(); ++i)
                r[i] = e.special[i] - m.priorOfScaled(m.refGeneral[i], e);
            residual.push_back(std::move(r));
        }
        m.platforms.push_back(std::move(e));
    }
    if (m.hrm()) {
        m.singular = selectSingular(residual, config.singularCount);
        for (auto &e : m.platforms)
            m.narrowSpecial(e);
    }

    // Samples: every measured (network, platform) pair of the training and validation networks.
    auto batchOf = [&](const std::vector<int> &rows) {
        PcnBatch b;
        for (int n : rows) {
            const auto &f = data.features[size_t(n)];
            for (size_t p = 0; p < data.platformCount(); ++p) {
                if (!data.measured(size_t(n), p))
                    continue;
                const auto &e = m.platforms[p];
                m.append(b, f, e, m.platformVector(e));
                b.target.push_back(float(m.normalize(data.latency(size_t(n), p), e)));
            }
        }
        return b;
    };
    const PcnBatch trainBatch = batchOf(split.train), validBatch = batchOf(split.validation);
    if (trainBatch.rows == 0 || validBatch.rows == 0)
        throw Error("no measured (network, platform) pairs in the training or validation networks", "training data");
    if (config.regressor == Regressor::Pcn) {
        m.pcn = std::make_unique<PcnModel>(int(m.featureIdx.size()), m.generalSize(), m.specialSize(), config.pcn);
        m.report = m.pcn->fit(trainBatch, validBatch, progress);
    } else {
        auto residualOf = [](const PcnBatch &b) {
            std::vector<double> y(b.rows);
            for (size_t r = 0; r < b.rows; ++r)
                y[r] = double(b.target[r]) - double(b.prior[r]);
            return y;
        };
        const auto trainX = m.gbtMatrix(trainBatch), validX = m.gbtMatrix(validBatch);
        const auto trainY = residualOf(trainBatch), validY = residualOf(validBatch);
        GbtOptions o;
        o.seed = config.seed;
        m.gbt = std::make_unique<GradientBoostedTrees>();
        m.gbt->fit(trainX, trainY, o, &validX, &validY);
        m.report.trainSamples = trainBatch.rows;
        m.report.validationSamples = validBatch.rows;
        m.report.bestEpoch = m.gbt->bestIteration();
    }
    return out;
}

const PredictorConfig &NetworkPredictor::config() const { return d->config; }

std::vector<std::string> NetworkPredictor::platforms() const
{
    std::vector<std::string> out;
    for (const auto &p : d->platforms)
        out.push_back(p.name);
    return out;
}

bool NetworkPredictor::hasPlatform(std::string_view platform) const
{
    return std::any_of(d->platforms.begin(), d->platforms.end(), [&](const auto &p) { return p.name == platform; });
}

const PlatformEmbedding &NetworkPredictor::embedding(std::string_view platform) const { return d->find(platform); }

std::vector<std::string> NetworkPredictor::generalFeatureNames() const
{
    std::vector<std::string> out;
    for (int f : d->generalIdx)
        out.emplace_back(features::featureTable()[size_t(f)].name);
    return out;
}

std::vector<std::string> NetworkPredictor::featureNames() const
{
    std::vector<std::string> out;
    for (int f : d->featureIdx)
        out.emplace_back(features::featureTable()[size_t(f)].name);
    return out;
}

const std::vector<std::string> &NetworkPredictor::referenceNetworks() const { return d->refNames; }
const TrainingReport &NetworkPredictor::report() const { return d->report; }

std::vector<double> NetworkPredictor::predict(const std::vector<std::vector<double>> &features,
                                              std::string_view platform) const
{
    if (!d->pcn && !d->gbt)
        throw Error("the predictor is not trained", "predict");
    const PlatformEmbedding &e = d->find(platform);
    if (features.empty())
        return {};
    const auto pv = d->platformVector(e);
    PcnBatch b;
    for (const auto &f : features)
        d->append(b, f, e, pv);
    std::vector<double> y = d->regress(b);
    for (double &v : y)
        v = std::exp(e.logMin + v * (e.logMax - e.logMin));
    return y;
}

double NetworkPredictor::predict(const std::vector<double> &features, std::string_view platform) const
{
    return predict(std::vector<std::vector<double>>{features}, platform).front();
}

void NetworkPredictor::addPlatform(const std::string &name, const std::vector<double> &referenceLatencyMs)
{
    if (name.empty())
        throw Error("the platform needs a name", "few-shot platform");
    PlatformEmbedding e = d->embed(name, referenceLatencyMs);
    for (auto &p : d->platforms)
        if (p.name == name) {
            p = std::move(e);
            return;
        }
    d->platforms.push_back(std::move(e));
}

std::vector<float> NetworkPredictor::networkInputs(const std::vector<double> &features) const
{
    return d->inputs(features);
}

std::vector<float> NetworkPredictor::platformVector(std::string_view platform) const
{
    return d->platformVector(d->find(platform));
}

const std::vector<double> &NetworkPredictor::generalScale() const { return d->generalScale; }

const PcnModel *NetworkPredictor::pcn() const { return d->pcn.get(); }

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
                             {"special", p.special}});
    nlohmann::json scaling = nlohmann::json::array();
    for (size_t i = 0; i < d->featureIdx.size(); ++i)
        scaling.push_back({{"feature", features::featureTable()[size_t(d->featureIdx[i])].name},
                           {"transform", "sign(v)*log1p(|v|)"},
                           {"min", d->tMin[i]},
                           {"max", d->tMax[i]}});
    const TrainingReport &r = d->report;
    return {{"format", "sniper-network-predictor"},
            {"version", 1},
            {"name", d->config.name()},
            {"config", configToJson(d->config)},
            {"features", featureNames()},
            {"scaling", scaling},
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
