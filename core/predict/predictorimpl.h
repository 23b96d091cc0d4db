#pragma once

// The state of a NetworkPredictor, shared by predictor.cpp (training, prediction) and
// predictorio.cpp (card, save, load). Internal to core/predict.

#include "common/error.h"
#include "features/features.h"
#include "features/kfe.h"
#include "predict/gbt.h"
#include "predict/nnls.h"
#include "predict/predictor.h"
#include "predict/transform.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cmath>
#include <iterator>
#include <memory>
#include <string>
#include <vector>

namespace sniper::predict {

struct NetworkPredictor::Impl {
    PredictorConfig config;
    std::vector<int> featureIdx;                // featureTable() columns feeding the regressor
    std::vector<double> tMin, tMax;             // min-max scaling of the transformed features
    std::vector<double> rangeMin, rangeMax;     // every feature's training range (transformed), for rangeCheck;
                                                // empty in cards from before it (then the regressor's own)
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
            x[i] = float(span > 0 ? (signedLog1p(v) - tMin[i]) / span : 0.0);
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

    // Eq. 11 normalization bounds and the general fit (Eq. 8-9) of one platform. With leaveOut
    // >= 0 the embedding is made as if that reference network had not been measured: bounds,
    // scale and general fit from the others, its special-part latency imputed by the general fit.
    PlatformEmbedding generalPart(const std::string &name, const std::vector<double> &refMs, int leaveOut = -1) const
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
            std::vector<double> kept, keptLogs;
            std::vector<std::vector<double>> keptGeneral;
            for (size_t i = 0; i < refMs.size(); ++i)
                if (int(i) != leaveOut) {
                    kept.push_back(refMs[i]);
                    keptLogs.push_back(logs[i]);
                    keptGeneral.push_back(refGeneral[i]);
                }
            e.logMin = *std::min_element(keptLogs.begin(), keptLogs.end());
            e.logMax = *std::max_element(keptLogs.begin(), keptLogs.end());
            if (e.logMax - e.logMin < 1e-9)
                e.logMax = e.logMin + 1;
            std::vector<double> sorted = kept;
            std::nth_element(sorted.begin(), sorted.begin() + long(sorted.size() / 2), sorted.end());
            e.latencyScale = sorted[sorted.size() / 2];
            std::vector<double> target(kept.size());
            for (size_t i = 0; i < kept.size(); ++i)
                target[i] = kept[i] / e.latencyScale;
            e.general = generalFit(keptGeneral, target, config.ridge);
            if (leaveOut >= 0)
                logs[size_t(leaveOut)] = std::log(priorMs(refGeneral[size_t(leaveOut)], e));
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

    // Training-range check of one network (docs/predictors.md, "Safe extrapolation"): every
    // feature outside its training range is named; the distance that drives the rule counts the
    // features the predictor reads (the regressor's and HRM's general fit), in training spans of
    // sign(v)*log1p(|v|) (a feature constant in training: in units of that transform).
    // `f` must have been validated (inputs() does it).
    RangeCheck rangeCheck(const std::vector<double> &f) const
    {
        constexpr double kTolerance = 1e-9;
        std::vector<char> read(features::featureTable().size(), 0);
        for (int i : featureIdx)
            read[size_t(i)] = 1;
        for (int i : generalIdx)
            read[size_t(i)] = 1;
        RangeCheck c;
        std::vector<std::pair<double, std::string>> out;
        auto check = [&](int feature, double lo, double hi) {
            const double t = signedLog1p(f[size_t(feature)]);
            if (!std::isfinite(t) || !std::isfinite(lo) || !std::isfinite(hi))
                return; // a feature the card has no range for
            const double span = hi > lo ? hi - lo : 1.0;
            const double beyond = std::max(lo - t, t - hi) / span;
            if (beyond <= kTolerance)
                return;
            out.emplace_back(beyond, features::featureTable()[size_t(feature)].name);
            if (read[size_t(feature)])
                c.distance = std::max(c.distance, beyond);
        };
        if (rangeMin.size() == features::featureTable().size())
            for (size_t i = 0; i < rangeMin.size(); ++i)
                check(int(i), rangeMin[i], rangeMax[i]);
        else
            for (size_t i = 0; i < featureIdx.size(); ++i)
                check(featureIdx[i], tMin[i], tMax[i]);
        std::stable_sort(out.begin(), out.end(), [](const auto &a, const auto &b) { return a.first > b.first; });
        for (auto &o : out)
            c.outside.push_back(std::move(o.second));
        c.inside = out.empty();
        c.correctionKept = hrm() ? 1.0 / (1.0 + c.distance / kShrinkSpan) : 1.0;
        return c;
    }

    // HRM's general fit of one platform (Eq. 8) in ms, floored at a fifth of the fastest reference.
    double priorMs(const std::vector<double> &scaledGeneralFeatures, const PlatformEmbedding &e) const
    {
        double lin = e.general.back();
        for (size_t j = 0; j < scaledGeneralFeatures.size(); ++j)
            lin += e.general[j] * scaledGeneralFeatures[j];
        return std::max(lin * e.latencyScale, 0.2 * std::exp(e.logMin));
    }

    // The same in Eq. 11's normalized log space: the prior the regressor corrects.
    double priorOfScaled(const std::vector<double> &g, const PlatformEmbedding &e) const
    {
        if (!hrm())
            return 0.0;
        return (std::log(priorMs(g, e)) - e.logMin) / (e.logMax - e.logMin);
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

    // The regressor's output in Eq. 11's space; for HRM, prior + weight x (its correction).
    std::vector<double> regress(const PcnBatch &b, double correctionWeight) const
    {
        std::vector<double> out = regress(b);
        if (hrm() && correctionWeight != 1.0)
            for (size_t r = 0; r < b.rows; ++r)
                out[r] = double(b.prior[r]) + correctionWeight * (out[r] - double(b.prior[r]));
        return out;
    }

    // A few-shot platform's correction weight: the one of {0, 1/4, 1/2, 3/4, 1} whose
    // leave-one-out predictions of the reference networks have the least squared error in Eq. 11's
    // space; ties go to the larger weight.
    double correctionWeightByLeaveOneOut(const std::string &name, const std::vector<double> &refMs,
                                         const std::vector<std::vector<double>> &refFeatures) const
    {
        static constexpr double kGrid[] = {0.0, 0.25, 0.5, 0.75, 1.0};
        constexpr int kSteps = int(std::size(kGrid));
        double err[kSteps] = {};
        for (size_t i = 0; i < refMs.size(); ++i) {
            PlatformEmbedding e = generalPart(name, refMs, int(i));
            narrowSpecial(e);
            PcnBatch b;
            append(b, refFeatures[i], e, platformVector(e));
            const double out = regress(b)[0], prior = b.prior[0], y = normalize(refMs[i], e);
            for (int g = 0; g < kSteps; ++g) {
                const double r = prior + kGrid[g] * (out - prior) - y;
                err[g] += r * r;
            }
        }
        int best = kSteps - 1;
        for (int g = kSteps - 2; g >= 0; --g)
            if (err[g] < err[best] * (1 - 1e-9))
                best = g;
        return kGrid[best];
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

} // namespace sniper::predict
