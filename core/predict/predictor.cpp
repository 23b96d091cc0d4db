#include "predict/predictor.h"

#include <cstdio>

#include "common/error.h"
#include "common/xoshiro.h"
#include "features/features.h"
#include "features/kfe.h"
#include "predict/gbt.h"
#include "predict/nnls.h"
#include "predict/predictorimpl.h"
#include "predict/transform.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <limits>
#include <set>

namespace sniper::predict {

namespace {

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
            "concat_elements", "other_layer_elements", "num_layers",
            // A batch-1 fully connected layer reads every weight once per inference: memory-bound,
            // costed by its parameters, where fc_macs also counts the token matmuls of transformers.
            "fc_params"};
}

} // namespace


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
                m.data.push_back(signedLog1p(data.features[size_t(n)][size_t(f)]));
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
    const size_t allFeatures = features::featureTable().size();
    m.rangeMin.assign(allFeatures, std::numeric_limits<double>::infinity());
    m.rangeMax.assign(allFeatures, -std::numeric_limits<double>::infinity());
    for (int n : split.train)
        for (size_t i = 0; i < allFeatures; ++i) {
            const double t = signedLog1p(data.features[size_t(n)][i]);
            m.rangeMin[i] = std::min(m.rangeMin[i], t);
            m.rangeMax[i] = std::max(m.rangeMax[i], t);
        }
    m.tMin.assign(m.featureIdx.size(), std::numeric_limits<double>::infinity());
    m.tMax.assign(m.featureIdx.size(), -std::numeric_limits<double>::infinity());
    for (int n : split.train)
        for (size_t i = 0; i < m.featureIdx.size(); ++i) {
            const double t = signedLog1p(data.features[size_t(n)][size_t(m.featureIdx[i])]);
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
                                              std::string_view platform, Extrapolation mode) const
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
    // Safe extrapolation (docs/predictors.md): outside the training range HRM keeps less of the
    // correction over its prior; HELP, which has no prior, sees the features clamped to the range.
    const size_t nx = d->featureIdx.size();
    std::vector<double> kept(b.rows, 1.0);
    for (size_t r = 0; r < b.rows && mode == Extrapolation::Safe; ++r) {
        float *x = b.network.data() + r * nx;
        kept[r] = d->rangeCheck(features[r]).correctionKept;
        if (!d->hrm())
            for (size_t i = 0; i < nx; ++i)
                x[i] = std::clamp(x[i], 0.0f, 1.0f);
    }
    std::vector<double> y = d->regress(b, e.correctionWeight);
    for (size_t r = 0; r < b.rows; ++r) {
        const double prior = double(b.prior[r]);
        const double v = prior + kept[r] * (y[r] - prior);
        y[r] = std::exp(e.logMin + v * (e.logMax - e.logMin));
    }
    return y;
}

std::string rangeSummary(const RangeCheck &range, bool hrm)
{
    if (range.inside)
        return "inside the training range";
    std::string names;
    for (const auto &n : range.outside)
        names += (names.empty() ? "" : ", ") + n;
    std::string out = "OUTSIDE the training range on: " + names + "\n";
    if (range.distance == 0)
        return out + "none of them is read by the predictor: the prediction is unchanged";
    char buf[160];
    if (hrm)
        std::snprintf(buf, sizeof buf, "up to %.2f training spans beyond it on the features the predictor reads: the "
                      "correction over HRM's prior is shrunk to %.0f%%", range.distance, 100 * range.correctionKept);
    else
        std::snprintf(buf, sizeof buf, "up to %.2f training spans beyond it on the features the predictor reads: they "
                      "are clamped to the training range", range.distance);
    return out + buf + " (docs/predictors.md, Safe extrapolation)";
}

std::vector<RangeCheck> NetworkPredictor::rangeCheck(const std::vector<std::vector<double>> &features) const
{
    std::vector<RangeCheck> out;
    for (const auto &f : features) {
        d->inputs(f); // validates the vector's length and the regressor's features
        out.push_back(d->rangeCheck(f));
    }
    return out;
}

RangeCheck NetworkPredictor::rangeCheck(const std::vector<double> &features) const
{
    d->inputs(features); // validates the vector's length and the regressor's features
    return d->rangeCheck(features);
}

double NetworkPredictor::predict(const std::vector<double> &features, std::string_view platform,
                                 Extrapolation mode) const
{
    return predict(std::vector<std::vector<double>>{features}, platform, mode).front();
}

std::vector<double> NetworkPredictor::predictPrior(const std::vector<std::vector<double>> &features,
                                                   std::string_view platform) const
{
    if (!d->hrm())
        throw Error("a " + d->config.name() + " predictor has no HRM prior", "predict");
    const PlatformEmbedding &e = d->find(platform);
    std::vector<double> out;
    for (const auto &f : features)
        out.push_back(d->priorMs(d->scaledGeneral(f), e));
    return out;
}

void NetworkPredictor::addPlatform(const std::string &name, const std::vector<double> &referenceLatencyMs)
{
    addPlatform(name, referenceLatencyMs, {});
}

void NetworkPredictor::addPlatform(const std::string &name, const std::vector<double> &referenceLatencyMs,
                                   const std::vector<std::vector<double>> &referenceFeatures)
{
    if (name.empty())
        throw Error("the platform needs a name", "few-shot platform");
    PlatformEmbedding e = d->embed(name, referenceLatencyMs);
    if (!referenceFeatures.empty()) {
        if (referenceFeatures.size() != referenceLatencyMs.size())
            throw Error(std::to_string(referenceFeatures.size()) + " feature vectors for " +
                            std::to_string(referenceLatencyMs.size()) + " reference networks",
                        "few-shot platform '" + name + "'");
        if (!d->pcn && !d->gbt)
            throw Error("the predictor is not trained", "few-shot platform '" + name + "'");
        if (d->hrm() && referenceLatencyMs.size() >= 3)
            e.correctionWeight = d->correctionWeightByLeaveOneOut(name, referenceLatencyMs, referenceFeatures);
    }
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

} // namespace sniper::predict
