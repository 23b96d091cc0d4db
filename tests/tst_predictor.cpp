// Network-level predictors (SPEC §7): HRM + PCN training, determinism, persistence, few-shot
// platforms, Time Spinner, Structure Checker with KFE + Bayesian ridge, ONNX export run by our
// executor and OpenCV dnn, and bad input. Latencies are synthetic (a seeded cost model over
// real generated networks) so the test knows the truth and runs in seconds.

#include "common/error.h"
#include "common/xoshiro.h"
#include "features/features.h"
#include "features/inspect.h"
#include "generator/generator.h"
#include "predict/evaluation.h"
#include "predict/experiment.h"
#include "predict/export.h"
#include "predict/metrics.h"
#include "predict/predictor.h"
#include "predict/sniperlinear.h"
#include "predict/timespinner.h"
#include "runtime/runtime.h"

#include <QtTest>

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <map>

using namespace sniper;
using namespace sniper::predict;

namespace {

double feature(const std::vector<double> &f, const char *name) { return f[size_t(features::featureIndex(name))]; }

// Platform p: overhead + per-kind costs with platform-specific rates, a mild multiplicative
// structure effect, and 1% seeded noise.
double syntheticLatency(const std::vector<double> &f, int p, Xoshiro256 &rng)
{
    const double rates[4][4] = {{1.0, 2.0, 0.6, 0.05}, {0.5, 3.0, 1.5, 0.02}, {2.0, 1.0, 0.3, 0.10}, {0.8, 2.5, 1.0, 0.04}};
    const double *r = rates[p];
    const double conv = feature(f, "conv1x1_macs") + feature(f, "conv3x3_macs") + feature(f, "conv_large_macs") +
                        feature(f, "conv_atrous_macs") + feature(f, "fc_macs");
    const double dw = feature(f, "conv_depthwise_macs") + feature(f, "conv_grouped_macs");
    const double mem = feature(f, "conv_io_elements") + feature(f, "norm_elements") + feature(f, "eltwise_elements") +
                       feature(f, "cheap_activation_elements") + feature(f, "maxpool_work") + feature(f, "avgpool_work");
    const double ms = 0.2 + r[0] * conv / 1e8 + r[1] * dw / 1e7 + r[2] * mem / 1e7 + r[3] * feature(f, "num_layers");
    const double structure = 1.0 + 0.1 * feature(f, "r_norm");
    const double noise = 1.0 + 0.01 * (double(rng.below(2001)) / 1000.0 - 1.0);
    return ms * structure * noise;
}

LatencyData syntheticData(int networks, int platforms, uint64_t seed)
{
    generator::GeneratorSpec spec;
    spec.inputPlanes = {14, 28, 56};
    spec.outputPlanes = {7, 14, 28};
    spec.inputChannels = {3, 32, 64};
    spec.outputChannels = {32, 64, 128};
    spec.maxBlocks = 6;
    spec.maxMacs = 60'000'000;
    LatencyData d;
    for (int p = 0; p < platforms; ++p)
        d.platforms.push_back("synthetic-" + std::to_string(p));
    Xoshiro256 rng(seed);
    for (int i = 0; i < networks; ++i) {
        auto net = generator::generateNetwork(spec, generator::networkSeed(seed, i));
        const auto report = features::analyzeGraph(net.graph, net.name);
        d.networks.push_back(net.name);
        d.features.push_back(report.features.values);
        for (int p = 0; p < platforms; ++p)
            d.latencyMs.push_back(syntheticLatency(report.features.values, p, rng));
    }
    return d;
}

PredictorConfig fastConfig()
{
    PredictorConfig c;
    c.referenceCount = 60;
    c.maxFeatures = 12;
    c.pcn.epochs = 150;
    c.pcn.patience = 30;
    return c;
}

Metrics evaluate(const NetworkPredictor &p, const LatencyData &d, const std::vector<int> &rows)
{
    std::vector<double> pred, meas;
    for (const auto &r : predictRows(p, d, rows, "x")) {
        pred.push_back(r.predictedMs);
        meas.push_back(r.measuredMs);
    }
    return computeMetrics(pred, meas);
}

} // namespace

class TestPredictor : public QObject {
    Q_OBJECT

private:
    LatencyData m_data;
    Split m_split;
    NetworkPredictor m_pcn;

private Q_SLOTS:
    void initTestCase()
    {
        m_data = syntheticData(240, 3, 11);
        m_split = splitNetworks(m_data.networkCount(), 5);
        m_pcn = NetworkPredictor::train(m_data, m_split, fastConfig());
    }

    void metricsAreRight()
    {
        const Metrics m = computeMetrics({1.1, 2.0, 2.7, 5.0}, {1.0, 2.0, 3.0, 4.0});
        QCOMPARE(m.n, size_t(4));
        QVERIFY(std::abs(m.mape - 100.0 * (0.1 + 0 + 0.1 + 0.25) / 4) < 1e-9);
        QCOMPARE(m.acc10, 75.0); // 0.1 is within ±10%
        QCOMPARE(m.acc5, 25.0);
        QCOMPARE(m.spearman, 1.0);
        QVERIFY_THROWS_EXCEPTION(Error, computeMetrics({1.0}, {0.0}));
        QVERIFY_THROWS_EXCEPTION(Error, computeMetrics({1.0, 2.0}, {1.0}));
        QCOMPARE(spearman({1, 2, 3}, {3, 2, 1}), -1.0);
    }

    void splitIsSeededAndDisjoint()
    {
        const Split a = splitNetworks(100, 3), b = splitNetworks(100, 3), c = splitNetworks(100, 4);
        QCOMPARE(a.train, b.train);
        QVERIFY(a.test != c.test);
        QCOMPARE(a.test.size(), size_t(20));
        QCOMPARE(a.validation.size(), size_t(10));
        std::vector<int> all = a.train;
        all.insert(all.end(), a.validation.begin(), a.validation.end());
        all.insert(all.end(), a.test.begin(), a.test.end());
        std::sort(all.begin(), all.end());
        for (int i = 0; i < 100; ++i)
            QCOMPARE(all[size_t(i)], i);
    }

    void pcnLearnsHeldOutNetworks()
    {
        const Metrics m = evaluate(m_pcn, m_data, m_split.test);
        qInfo("NNS+HRM (PCN) on held-out synthetic networks: MAPE %.2f%%, ±15%% %.1f%%, rho %.3f", m.mape, m.acc15,
              m.spearman);
        // docs/predictors.md reports 0.8 % and 100 % within 15 % for this seeded data; the margin
        // (2.5x) allows for LibTorch's float order across machines, not for a regression.
        QVERIFY2(m.mape < 2.0, qPrintable(QString::number(m.mape)));
        QVERIFY2(m.acc15 >= 95.0, qPrintable(QString::number(m.acc15)));
        QVERIFY(m.spearman > 0.95);
        QCOMPARE(m_pcn.platforms().size(), size_t(3));
        QCOMPARE(m_pcn.referenceNetworks().size(), size_t(60));
        QVERIFY(m_pcn.report().bestEpoch >= 1);
        // HRM's general part is non-negative (Eq. 8 fit under w >= 0), the special part has l values.
        for (double w : m_pcn.embedding("synthetic-0").general)
            QVERIFY(w >= 0);
        QCOMPARE(m_pcn.embedding("synthetic-0").special.size(), size_t(fastConfig().singularCount));
    }

    void trainingIsDeterministic()
    {
        PredictorConfig c = fastConfig();
        c.pcn.epochs = 5;
        const auto a = NetworkPredictor::train(m_data, m_split, c), b = NetworkPredictor::train(m_data, m_split, c);
        const auto &f = m_data.features[size_t(m_split.test[0])];
        QCOMPARE(a.predict(f, "synthetic-1"), b.predict(f, "synthetic-1"));
    }

    void saveLoadRoundTrip()
    {
        const auto bytes = m_pcn.save();
        const auto loaded = NetworkPredictor::load(bytes);
        for (int n : m_split.test)
            QCOMPARE(loaded.predict(m_data.features[size_t(n)], "synthetic-2"),
                     m_pcn.predict(m_data.features[size_t(n)], "synthetic-2"));
        QCOMPARE(loaded.featureNames(), m_pcn.featureNames());
        QCOMPARE(loaded.config().name(), std::string("NNS+HRM (PCN)"));
    }

    void corruptPredictorFiles()
    {
        auto bytes = m_pcn.save();
        QVERIFY_THROWS_EXCEPTION(Error, NetworkPredictor::load({}));
        QVERIFY_THROWS_EXCEPTION(Error, NetworkPredictor::load({'x', 'y', 'z'}));
        auto truncated = bytes;
        truncated.resize(bytes.size() / 2);
        QVERIFY_THROWS_EXCEPTION(Error, NetworkPredictor::load(truncated));
        auto garbledCard = bytes;
        garbledCard[std::strlen("SNIPER-PREDICTOR-1\n") + 8] = '#'; // the card's opening brace
        QVERIFY_THROWS_EXCEPTION(Error, NetworkPredictor::load(garbledCard));
        auto garbledWeights = bytes;
        for (size_t i = garbledWeights.size() - 200; i < garbledWeights.size(); ++i)
            garbledWeights[i] = 0xff;
        try {
            NetworkPredictor::load(garbledWeights);
            QFAIL("garbled weights loaded");
        } catch (const Error &e) {
            QVERIFY2(QString::fromUtf8(e.what()).contains(QStringLiteral("PCN weights")), e.what());
        }
    }

    void badInputGivesClearErrors()
    {
        const auto &f = m_data.features[0];
        try {
            m_pcn.predict(f, "jetson-nano");
            QFAIL("unknown platform accepted");
        } catch (const Error &e) {
            QVERIFY2(QString::fromUtf8(e.what()).contains(QStringLiteral("jetson-nano")) && QString::fromUtf8(e.what()).contains(QStringLiteral("synthetic-0")), e.what());
        }
        auto missing = f;
        missing[size_t(features::featureIndex(m_pcn.featureNames()[0].c_str()))] = std::nan("");
        try {
            m_pcn.predict(missing, "synthetic-0");
            QFAIL("missing feature accepted");
        } catch (const Error &e) {
            QVERIFY2(QString::fromUtf8(e.what()).contains(QString::fromStdString(m_pcn.featureNames()[0])), e.what());
        }
        QVERIFY_THROWS_EXCEPTION(Error, m_pcn.predict(std::vector<double>(3, 1.0), "synthetic-0"));
        QVERIFY_THROWS_EXCEPTION(Error, m_pcn.addPlatform("new", {1.0, 2.0}));
        LatencyData broken = m_data;
        broken.latencyMs[0] = -1;
        QVERIFY_THROWS_EXCEPTION(Error, NetworkPredictor::train(broken, m_split, fastConfig()));
        QVERIFY_THROWS_EXCEPTION(Error, parseNetworkInput("pixels"));
        QVERIFY_THROWS_EXCEPTION(Error, configFromJson(nlohmann::json{{"reference_count", "many"}}));
    }

    void fewShotUnseenPlatform()
    {
        LatencyData four = syntheticData(240, 4, 11);
        FewShotOptions o;
        o.ks = {20};
        o.base = fastConfig();
        o.splitSeed = 5;
        const auto rows = fewShotLeaveOneOut(four, {"synthetic-3"}, o);
        QCOMPARE(rows.size(), size_t(1));
        qInfo("few-shot synthetic-3, k=20: rho %.4f, ±10%% %.1f%%, MAPE %.2f%%", rows[0].metrics.spearman,
              rows[0].metrics.acc10, rows[0].metrics.mape);
        QVERIFY(rows[0].metrics.spearman > 0.9);
        QVERIFY(rows[0].metrics.mape < 30);
        QCOMPARE(rows[0].metrics.n, size_t(240 - 20)); // every network but the references

        // Explicit pools: train on the first 160, score the last 80 less 10% at each end.
        for (int n = 0; n < 160; ++n)
            o.trainPool.push_back(n);
        for (int n = 160; n < 240; ++n)
            o.queryPool.push_back(n);
        o.queryTrim = 0.1;
        const auto pooled = fewShotLeaveOneOut(four, {"synthetic-3"}, o);
        QCOMPARE(pooled[0].metrics.n, size_t(80 - 2 * 8)); // references come from the training pool
        QVERIFY(pooled[0].metrics.spearman > 0.8);
        o.queryPool.push_back(240);
        QVERIFY_THROWS_EXCEPTION(Error, fewShotLeaveOneOut(four, {"synthetic-3"}, o));
        o.queryPool.pop_back();
        o.queryTrim = 0.5;
        QVERIFY_THROWS_EXCEPTION(Error, fewShotLeaveOneOut(four, {"synthetic-3"}, o));

        // HELP's protocol needs the NAS-Bench-201 cells by name.
        FewShotOptions help;
        QVERIFY_THROWS_EXCEPTION(Error, useHelpProtocol(four, help));
        LatencyData cells = four;
        for (size_t n = 0; n < cells.networkCount(); ++n)
            cells.networks[n] = "nb201-" + std::to_string(n * 10);
        QVERIFY_THROWS_EXCEPTION(Error, useHelpProtocol(cells, help)); // 240 cells, not 1900
    }

    void fewShotCorrectionWeight()
    {
        // A new platform whose latency is exactly HRM's linear cost model: the general fit alone
        // is right, so leave-one-out keeps little or none of PCN's correction.
        NetworkPredictor p = NetworkPredictor::load(m_pcn.save());
        const auto names = p.generalFeatureNames();
        const auto &scale = p.generalScale();
        auto linear = [&](const std::vector<double> &f) {
            double ms = 0.5;
            for (size_t j = 0; j < names.size(); ++j)
                ms += 3.0 * f[size_t(features::featureIndex(names[j]))] / scale[j];
            return ms;
        };
        std::vector<double> refs;
        std::vector<std::vector<double>> refFeatures;
        for (const auto &name : p.referenceNetworks()) {
            const auto n = size_t(std::find(m_data.networks.begin(), m_data.networks.end(), name) - m_data.networks.begin());
            refFeatures.push_back(m_data.features[n]);
            refs.push_back(linear(m_data.features[n]));
        }
        QVERIFY_THROWS_EXCEPTION(Error, p.addPlatform("linear", refs, {refFeatures.front()}));
        p.addPlatform("linear", refs, refFeatures);
        const double w = p.embedding("linear").correctionWeight;
        qInfo("correction weight of the linear platform: %.2f", w);
        QVERIFY(w == 0 || w == 0.25 || w == 0.5 || w == 0.75 || w == 1);
        QVERIFY(w < 1);
        p.addPlatform("linear, no features", refs); // without features the whole correction is kept
        QCOMPARE(p.embedding("linear, no features").correctionWeight, 1.0);
        std::vector<double> predicted, truth;
        for (int n : m_split.test) {
            predicted.push_back(p.predict(m_data.features[size_t(n)], "linear"));
            truth.push_back(linear(m_data.features[size_t(n)]));
        }
        const auto m = computeMetrics(predicted, truth);
        qInfo("linear platform, few-shot: MAPE %.2f%%, rho %.4f", m.mape, m.spearman);
        QVERIFY(m.mape < 10);
        if (w == 0) { // nothing of the correction is kept: the prediction is HRM's prior
            const auto &f = m_data.features[size_t(m_split.test[0])];
            QVERIFY(std::abs(p.predictPrior({f}, "linear")[0] / p.predict(f, "linear") - 1) < 1e-5);
        }

        // The weight is saved, and the exported ONNX applies it.
        const NetworkPredictor loaded = NetworkPredictor::load(p.save());
        QCOMPARE(loaded.embedding("linear").correctionWeight, w);
        const int64_t batch = 4;
        const auto inputs = exportedInputs(p);
        std::vector<float> x;
        for (int64_t i = 0; i < batch; ++i)
            for (const auto &name : inputs)
                x.push_back(float(m_data.features[size_t(m_split.test[size_t(i)])][size_t(features::featureIndex(name))]));
        auto runtime = runtime::createRuntime("torch-cpu-1t");
        const auto out = runtime->prepare(predictorGraph(p, batch))
                             ->run({runtime::HostTensor::fromFloats({batch, int64_t(inputs.size())}, x)})[0]
                             .toFloats();
        const auto platforms = p.platforms();
        const size_t k = size_t(std::find(platforms.begin(), platforms.end(), "linear") - platforms.begin());
        for (int64_t i = 0; i < batch; ++i) {
            const double expected = p.predict(m_data.features[size_t(m_split.test[size_t(i)])], "linear");
            QVERIFY(std::abs(double(out[size_t(i) * platforms.size() + k]) - expected) / expected < 1e-5);
        }
    }

    void timeSpinnerRecoversFromSlowdown()
    {
        const std::string platform = "synthetic-1";
        const int k = m_data.platformIndex(platform);
        std::vector<double> before, measured;
        std::vector<int> rows = m_split.test;
        rows.insert(rows.end(), m_split.validation.begin(), m_split.validation.end());
        for (int n : rows) {
            before.push_back(m_pcn.predict(m_data.features[size_t(n)], platform));
            measured.push_back(m_data.latency(size_t(n), size_t(k)) * 1.15); // the platform slowed down
        }
        const double stale = computeMetrics(before, measured).mape;
        TimeSpinner spinner;
        for (size_t i = 0; i < 50; ++i) { // feedback from the training networks as they run
            const int n = m_split.train[i];
            spinner.feedback(m_data.features[size_t(n)], m_pcn.predict(m_data.features[size_t(n)], platform),
                             m_data.latency(size_t(n), size_t(k)) * 1.15);
        }
        std::vector<double> after;
        for (size_t i = 0; i < rows.size(); ++i)
            after.push_back(spinner.correct(m_data.features[size_t(rows[i])], before[i]));
        const double corrected = computeMetrics(after, measured).mape;
        qInfo("Time Spinner after a +15%% slow-down: MAPE %.2f%% stale, %.2f%% after 50 pairs", stale, corrected);
        QVERIFY(stale > 10);
        QVERIFY2(corrected < 8, qPrintable(QString::number(corrected)));
        QVERIFY(std::abs(spinner.meanResidual() - std::log(1.15)) < 0.08);
        QVERIFY_THROWS_EXCEPTION(Error, spinner.feedback(m_data.features[0], 1.0, -2.0));
    }

    void structureCheckerRoutesSmallNetworks()
    {
        const auto linear = KfeBayesRidge::train(m_data, m_split.train, 7);
        QCOMPARE(linear.selectedFeatures("synthetic-0").size(), size_t(7));
        StructureChecker checker;
        checker.smallMacs = 5'000'000;
        int small = 0;
        for (int n : m_split.test) {
            const auto &f = m_data.features[size_t(n)];
            const double y = checker.predict(linear, m_pcn, f, "synthetic-0");
            if (checker.useLinear(f)) {
                ++small;
                QCOMPARE(y, linear.predict(f, "synthetic-0"));
            } else {
                QCOMPARE(y, m_pcn.predict(f, "synthetic-0"));
            }
        }
        QVERIFY(small > 0 && small < int(m_split.test.size()));
        const auto back = KfeBayesRidge::fromJson(linear.toJson());
        QCOMPARE(back.predict(m_data.features[1], "synthetic-2"), linear.predict(m_data.features[1], "synthetic-2"));
        QVERIFY_THROWS_EXCEPTION(Error, linear.predict(m_data.features[1], "nowhere"));
    }

    void exportedOnnxReproducesPredictions_data()
    {
        QTest::addColumn<QString>("platformId");
        QTest::newRow("our executor") << QStringLiteral("torch-cpu-1t");
        QTest::newRow("OpenCV dnn") << QStringLiteral("opencv-cpu-1t");
    }

    void exportedOnnxReproducesPredictions()
    {
        QFETCH(QString, platformId);
        const int64_t batch = 8;
        const graph::Graph g = predictorGraph(m_pcn, batch);
        const auto names = exportedInputs(m_pcn);
        std::vector<float> input;
        // Training networks: inside the training range, where predict() is the plain regressor too.
        for (int64_t i = 0; i < batch; ++i)
            for (const auto &name : names)
                input.push_back(float(m_data.features[size_t(m_split.train[size_t(i)])][size_t(features::featureIndex(name))]));
        auto runtime = runtime::createRuntime(platformId.toStdString());
        auto prepared = runtime->prepare(g);
        const auto out = prepared->run({runtime::HostTensor::fromFloats({batch, int64_t(names.size())}, input)});
        QCOMPARE(out.size(), size_t(1));
        const auto y = out[0].toFloats();
        const auto platforms = m_pcn.platforms();
        QCOMPARE(y.size(), size_t(batch) * platforms.size());
        double worst = 0;
        for (int64_t i = 0; i < batch; ++i)
            for (size_t k = 0; k < platforms.size(); ++k) {
                const double expected = m_pcn.predict(m_data.features[size_t(m_split.train[size_t(i)])], platforms[k]);
                worst = std::max(worst, std::abs(double(y[size_t(i) * platforms.size() + k]) - expected) / expected);
            }
        qInfo("%s: largest relative difference %.3g", qPrintable(platformId), worst);
        QVERIFY2(worst < 1e-5, qPrintable(QString::number(worst)));
    }

    // Safe extrapolation (docs/predictors.md): inside the training range nothing changes; a
    // network far outside it is flagged, its features named, and its log-space correction over
    // HRM's prior is exactly the documented share of the raw one.
    void safeExtrapolation()
    {
        for (int row : m_split.train) {
            const RangeCheck c = m_pcn.rangeCheck(m_data.features[size_t(row)]);
            QVERIFY(c.inside && c.outside.empty() && c.distance == 0 && c.correctionKept == 1);
            QCOMPARE(m_pcn.predict(m_data.features[size_t(row)], "synthetic-0"),
                     m_pcn.predict(m_data.features[size_t(row)], "synthetic-0", Extrapolation::Raw));
        }
        // A realistic network: 40-300x the training networks' MACs.
        generator::GeneratorSpec big = generator::realisticSpec();
        big.minMacs = 2'000'000'000;
        big.maxMacs = 20'000'000'000;
        big.families = {"bottleneck"};
        const auto net = generator::generateNetwork(big, 1);
        const std::vector<double> f = features::analyzeGraph(net.graph, net.name).features.values;
        const RangeCheck c = m_pcn.rangeCheck(f);
        qInfo("out-of-range network: %.2f spans beyond, correction kept %.3f, %zu features outside, first %s",
              c.distance, c.correctionKept, c.outside.size(), c.outside.empty() ? "-" : c.outside[0].c_str());
        QVERIFY(!c.inside);
        QVERIFY(c.distance > 0.5);
        QVERIFY(!c.outside.empty());
        QCOMPARE(c.correctionKept, 1.0 / (1.0 + c.distance / kShrinkSpan));
        for (const auto &platform : m_pcn.platforms()) {
            const double prior = std::log(m_pcn.predictPrior({f}, platform)[0]);
            const double safe = std::log(m_pcn.predict(f, platform));
            const double raw = std::log(m_pcn.predict(f, platform, Extrapolation::Raw));
            qInfo("%s: prior %.1f ms, raw %.1f ms, safe %.1f ms", platform.c_str(), std::exp(prior), std::exp(raw),
                  std::exp(safe));
            QVERIFY2(std::abs((safe - prior) - c.correctionKept * (raw - prior)) < 1e-4, platform.c_str());
        }
    }

    void allSevenPredictorsRankAsDesigned()
    {
        // Ace-Sniper Fig. 9's six predictors and the XGBoost baseline (paperPredictors) on the
        // seeded synthetic data: its latency is per-kind work (dense conv, depthwise/grouped conv,
        // memory traffic, layer count) at rates that differ per platform, so total FLOPs cannot
        // express it, FLOPs&AMC can express part of it, and the NNS features all of it. The
        // ordering that follows is asserted with the margins seen on this data (docs/predictors.md).
        PredictorConfig base = fastConfig();
        base.pcn.epochs = 120;
        std::map<std::string, double> mape;
        for (const auto &c : paperPredictors(base)) {
            const auto p = NetworkPredictor::train(m_data, m_split, c);
            const Metrics m = evaluate(p, m_data, m_split.test);
            qInfo("%-24s MAPE %6.2f%%  rho %.3f", c.name().c_str(), m.mape, m.spearman);
            QVERIFY2(std::isfinite(m.mape) && m.spearman > 0.5, c.name().c_str());
            mape[c.name()] = m.mape;
        }
        QCOMPARE(mape.size(), size_t(7));
        // NNS+HRM (PCN) is the best of the six PCN predictors; seen: 0.80 % against 13.7 % (NNS+HELP)
        // and 24.8-26.8 % (the FLOPs ones). XGBoost on the same NNS+HRM inputs is reported beside it:
        // on this data HRM's general fit explains the latency, so the two are level (0.79 %).
        const double best = mape.at("NNS+HRM (PCN)");
        for (const auto &[name, value] : mape)
            if (name != "NNS+HRM (PCN)" && name != "NNS+HRM (XGBoost)")
                QVERIFY2(best < value, (name + ": " + std::to_string(value) + " <= NNS+HRM " + std::to_string(best)).c_str());
        QVERIFY(mape.at("NNS+HRM (XGBoost)") < 2 * best);
        QVERIFY(mape.at("NNS+HELP (PCN)") > 3 * best); // HRM's cost-feature prior against HELP's latencies alone
        // The network representation decides most: NNS beats FLOPs&AMC beats FLOPs, with HRM and with HELP.
        for (const char *platform : {"HRM", "HELP"}) {
            const std::string pl(platform);
            QVERIFY2(mape.at("NNS+" + pl + " (PCN)") < mape.at("FLOPs&AMC+" + pl + " (PCN)"), platform);
            QVERIFY2(mape.at("FLOPs&AMC+" + pl + " (PCN)") < mape.at("FLOPs+" + pl + " (PCN)"), platform);
        }
        // FLOPs alone misses this data by several times NNS+HRM's error.
        QVERIFY(mape.at("FLOPs+HRM (PCN)") > 3 * best);
    }

    void gradientBoostedTreesBaseline()
    {
        PredictorConfig c = fastConfig();
        c.regressor = Regressor::Gbt;
        const auto gbt = NetworkPredictor::train(m_data, m_split, c);
        const Metrics m = evaluate(gbt, m_data, m_split.test);
        QVERIFY(m.mape < 25);
        const auto back = NetworkPredictor::load(gbt.save());
        QCOMPARE(back.predict(m_data.features[3], "synthetic-0"), gbt.predict(m_data.features[3], "synthetic-0"));
        QVERIFY_THROWS_EXCEPTION(Error, predictorGraph(gbt));
    }
};

QTEST_GUILESS_MAIN(TestPredictor)
#include "tst_predictor.moc"
