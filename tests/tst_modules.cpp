// The module-level framework (SPEC §8): parameters and inferables, seeded sampling, real
// measurement on both runtimes (static and dynamic environment), the regressors, Algorithm 1,
// network decomposition, the database round trip with resume, and every bad input of the issue.

#include <QtTest>

#include <cmath>
#include <functional>
#include <random>
#include <thread>

#include "common/error.h"
#include "database.h"
#include "graph/cost.h"
#include "builders.h"
#include "measurements.h"
#include "modulesamples.h"
#include "onnx/onnximport.h"
#include "predict/modulesampler.h"
#include "predict/modulestudy.h"

using namespace sniper;
using namespace sniper::predict::modules;

namespace {

std::string messageOf(const std::function<void()> &f)
{
    try {
        f();
    } catch (const Error &e) {
        return e.what();
    }
    return "(no sniper::Error thrown)";
}

// Synthetic conv-like samples: latency = 2e-8 MACs-ish cost slowed by utilization, with 2% noise.
std::vector<ModuleSample> synthetic(ModuleKind kind, int count, unsigned seed)
{
    std::mt19937_64 rng(seed);
    std::normal_distribution<double> noise(0.0, 0.02);
    std::uniform_real_distribution<double> u01(0.0, 1.0);
    SamplingRanges r;
    r.maxMacs = 5e7;
    std::vector<ModuleSample> out;
    for (int i = 0; i < count; ++i) {
        ModuleSample s;
        s.kind = kind;
        s.index = i;
        s.params = sampleParamsAt(kind, r, seed, i);
        s.utilization = u01(rng);
        s.background = s.utilization > 0.5;
        s.memoryMb = 20000 - 4000 * s.utilization;
        const double work = double(moduleMacs(kind, s.params)) + 4.0 * double(elements(kind, s.params));
        s.latencyMs = (0.01 + 2e-8 * work) * (1 + 0.6 * s.utilization) * (1 + noise(rng));
        out.push_back(s);
    }
    return out;
}

QString tempPath(QTemporaryDir &dir, const char *name) { return dir.filePath(QString::fromLatin1(name)); }

} // namespace

class TestModules : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void namesAndParsing()
    {
        QCOMPARE(allModuleKinds().size(), size_t(9));
        for (ModuleKind k : allModuleKinds())
            QCOMPARE(parseModuleKind(moduleName(k)), k);
        QVERIFY(messageOf([] { parseModuleKind("conv3d"); }).find("unknown module 'conv3d'") != std::string::npos);
        for (RegressorKind k : allRegressorKinds())
            QCOMPARE(parseRegressorKind(regressorKindName(k)), k);
        QCOMPARE(parseRegressorKind("medn-xm"), RegressorKind::MednXM);
        QVERIFY(messageOf([] { parseRegressorKind("svm"); }).find("MEDN-XM") != std::string::npos);
    }

    void inferableParametersMatchTheGraph()
    {
        // conv N=2 L=14 Ci=8 Co=16 K=3 S=2: out plane 7, MACs 2*16*49*8*9, params 16*8*9+16.
        const ModuleParams conv{2, 14, 8, 16, 3, 2};
        QCOMPARE(outputPlane(ModuleKind::Conv, conv), int64_t(7));
        QCOMPARE(moduleMacs(ModuleKind::Conv, conv), int64_t(2 * 16 * 49 * 8 * 9));
        QCOMPARE(moduleParameters(ModuleKind::Conv, conv), int64_t(16 * 8 * 9 + 16));
        QCOMPARE(moduleParameters(ModuleKind::ConvBnRelu, conv), int64_t(16 * 8 * 9 + 16 + 2 * 16));
        QCOMPARE(dataSize(ModuleKind::Conv, conv), int64_t(2 * 8 * 14 * 14));
        const ModuleParams lin{4, 0, 100, 10, 0, 0};
        QCOMPARE(moduleMacs(ModuleKind::Linear, lin), int64_t(4000));
        QCOMPARE(moduleParameters(ModuleKind::Linear, lin), int64_t(1010));

        // The IR graph of each module has the shapes and costs the inferable parameters claim.
        const std::vector<std::pair<ModuleKind, ModuleParams>> cases = {
            {ModuleKind::Conv, conv},
            {ModuleKind::ConvBn, conv},
            {ModuleKind::ConvRelu, conv},
            {ModuleKind::ConvBnRelu, conv},
            {ModuleKind::Linear, lin},
            {ModuleKind::Bn, {3, 13, 5, 0, 0, 0}},
            {ModuleKind::BnRelu, {3, 13, 5, 0, 0, 0}},
            {ModuleKind::MaxPool, {2, 27, 6, 0, 3, 2}},
            {ModuleKind::AvgPool, {2, 8, 6, 0, 5, 4}},
        };
        for (const auto &[k, p] : cases) {
            const auto g = buildModuleGraph(k, p);
            const auto cost = graph::computeCosts(g);
            QCOMPARE(cost.params, moduleParameters(k, p));
            if (hasConv(k) || k == ModuleKind::Linear)
                QCOMPARE(cost.macs, moduleMacs(k, p));
            const auto &out = g.values[size_t(g.outputs[0])].shape;
            if (k != ModuleKind::Linear) {
                QCOMPARE(out[2], outputPlane(k, p));
                QCOMPARE(out[3], outputPlane(k, p));
            }
            QCOMPARE(int64_t(cost.activationElements > 0), int64_t(1));
        }
        QCOMPARE(featureNames(ModuleKind::Conv, AllGroups),
                 (std::vector<std::string>{"N", "L", "Ci", "Co", "K", "S", "M", "U", "Nd", "Nm", "MACs"}));
        QCOMPARE(featureNames(ModuleKind::MaxPool, AllGroups),
                 (std::vector<std::string>{"N", "L", "Ci", "K", "S", "M", "U", "Nd", "MACs"}));
        QCOMPARE(featureNames(ModuleKind::Linear, Sampling), (std::vector<std::string>{"N", "Ci", "Co"}));
        QCOMPARE(featureNames(ModuleKind::Bn, Sampling | Inferable), (std::vector<std::string>{"N", "L", "Ci", "Nd", "Nm", "MACs"}));
        ModuleSample s;
        s.kind = ModuleKind::Conv;
        s.params = conv;
        QCOMPARE(featureVector(s, AllGroups).size(), featureNames(ModuleKind::Conv, AllGroups).size());
    }

    void samplingIsSeededAndWithinRanges()
    {
        SamplingRanges r;
        for (ModuleKind k : allModuleKinds())
            for (int i = 0; i < 300; ++i) {
                const ModuleParams p = sampleParamsAt(k, r, 7, i);
                QVERIFY(p == sampleParamsAt(k, r, 7, i));
                validateParams(k, p, r, "draw");
                QVERIFY(double(moduleMacs(k, p)) <= r.maxMacs);
                QVERIFY(double(elements(k, p)) <= r.maxElements);
            }
        int differ = 0;
        for (int i = 0; i < 50; ++i)
            differ += !(sampleParamsAt(ModuleKind::Conv, r, 7, i) == sampleParamsAt(ModuleKind::Conv, r, 8, i));
        QVERIFY(differ > 40);
        // Ranges survive JSON and bad JSON is named.
        SamplingRanges back = rangesFromJson(rangesToJson(r));
        QCOMPARE(back.planes, r.planes);
        QCOMPARE(back.maxMacs, r.maxMacs);
        QVERIFY(messageOf([] { rangesFromJson(nlohmann::json{{"batch", {5, 1}}}); }).find("'batch'") != std::string::npos);
    }

    void parametersOutOfRangeAreNamed()
    {
        SamplingRanges r;
        const auto msg = messageOf([&] { validateParams(ModuleKind::Conv, {1, 56, 700, 64, 3, 1}, r, "request"); });
        QVERIFY2(msg.find("Ci = 700 is outside the sampled range 3..512") != std::string::npos, msg.c_str());
        QVERIFY(msg.find("conv") != std::string::npos);
        const auto k = messageOf([&] { validateParams(ModuleKind::MaxPool, {1, 56, 64, 0, 4, 1}, r, ""); });
        QVERIFY2(k.find("K = 4 is not one of the sampled values {1, 3, 5, 7, 9}") != std::string::npos, k.c_str());
        const auto unused = messageOf([&] { validateParams(ModuleKind::Linear, {1, 56, 64, 10, 0, 0}, r, ""); });
        QVERIFY2(unused.find("L does not apply") != std::string::npos, unused.c_str());
        const auto n = messageOf([&] { validateParams(ModuleKind::Bn, {65, 56, 64, 0, 0, 0}, r, ""); });
        QVERIFY2(n.find("N = 65") != std::string::npos, n.c_str());
        // The nearest sampled module of one outside the ranges: every parameter back inside.
        const ModuleParams big = clampToRanges(ModuleKind::Linear, {1, 0, 25088, 4096, 0, 0}, r);
        QVERIFY(big == (ModuleParams{1, 0, 512, 512, 0, 0}));
        const ModuleParams pool = clampToRanges(ModuleKind::MaxPool, {1, 9, 2048, 0, 11, 3}, r);
        QVERIFY(pool == (ModuleParams{1, 8, 512, 0, 7, 2}) || pool == (ModuleParams{1, 8, 512, 0, 7, 4}));
        for (ModuleKind k : allModuleKinds())
            validateParams(k, clampToRanges(k, {100, 300, 1, 9000, 2, 3}, r), r, "clamped");
    }

    // Real measurement on both runtimes; the database keeps each sample and resumes at the gap.
    void sampleMeasureStoreResume()
    {
        QTemporaryDir dir;
        auto project = db::Database::open(tempPath(dir, "m.sniper").toStdString());
        db::ModuleSampleRepository repo(project);
        SamplingOptions o;
        o.ranges.maxMacs = 3e6;
        o.ranges.maxElements = 2e5;
        o.protocol.maxRuns = 3;
        o.count = 3;
        const nlohmann::json spec = {{"ranges", rangesToJson(o.ranges)}, {"seed", 1}};
        repo.ensureSet("s", spec);
        for (const char *platform : {"torch-cpu-1t", "opencv-cpu-1t"})
            for (ModuleKind k : allModuleKinds()) {
                o.platform = platform;
                o.module = k;
                const auto r = sampleModules(o, [&](const ModuleSample &s) { repo.add("s", platform, s); });
                QVERIFY2(r.failures.empty(), r.failures.empty() ? "" : r.failures[0].c_str());
                QCOMPARE(r.measured, int64_t(3));
            }
        const auto conv = repo.load("s", ModuleKind::Conv, "torch-cpu-1t");
        QCOMPARE(conv.size(), size_t(3));
        for (const auto &s : conv) {
            QVERIFY(s.latencyMs > 0);
            QVERIFY(s.memoryMb > 0);
            QVERIFY(s.utilization >= 0 && s.utilization <= 1);
            QVERIFY(s.params == sampleParamsAt(ModuleKind::Conv, o.ranges, 1, s.index));
        }
        // Resume: the next index continues the sequence; a cancelled run stores nothing more.
        QCOMPARE(repo.nextIndex("s", ModuleKind::Conv, "torch-cpu-1t"), int64_t(3));
        o.platform = "torch-cpu-1t";
        o.module = ModuleKind::Conv;
        o.first = 3;
        o.count = 5;
        int64_t seen = 0;
        const auto cancelled = sampleModules(o, [&](const ModuleSample &s) { repo.add("s", "torch-cpu-1t", s); },
                                             [&](int64_t done, int64_t) { return (seen = done) < 2; });
        QVERIFY(cancelled.cancelled);
        QCOMPARE(repo.count("s", ModuleKind::Conv, "torch-cpu-1t"), int64_t(5));
        QCOMPARE(repo.nextIndex("s", ModuleKind::Conv, "torch-cpu-1t"), int64_t(5));
        // A set cannot be continued with another spec (the draws would differ).
        QVERIFY(messageOf([&] { repo.ensureSet("s", {{"seed", 2}}); }).find("another spec") != std::string::npos);
        const auto info = repo.findSet("s");
        QVERIFY(info);
        QCOMPARE(info->counts.at("opencv-cpu-1t").at("maxpool"), int64_t(3));
        QCOMPARE(project.integrityCheck().ok, true);
    }

    void dynamicEnvironmentMarksLoadedSamples()
    {
        SamplingOptions o;
        o.module = ModuleKind::Conv;
        o.ranges.maxMacs = 2e7;
        o.protocol.maxRuns = 5;
        o.count = 16;
        o.dynamic = true;
        o.backgroundShare = 0.5;
        std::vector<ModuleSample> got;
        sampleModules(o, [&](const ModuleSample &s) { got.push_back(s); });
        QCOMPARE(got.size(), size_t(16));
        double loaded = 0;
        int nLoaded = 0, nIdle = 0;
        for (const auto &s : got) {
            if (s.background)
                loaded += s.utilization;
            (s.background ? nLoaded : nIdle) += 1;
        }
        QVERIFY(nLoaded > 0 && nIdle > 0);
        // While it runs, the background job keeps one core busy besides the timed module, so the
        // whole-machine U of a loaded sample is at least about 1 / cores whatever else runs.
        const double floor = 0.8 / std::max(1u, std::thread::hardware_concurrency());
        QVERIFY2(loaded / nLoaded >= floor, qPrintable(QStringLiteral("U loaded %1").arg(loaded / nLoaded)));
    }

    void regressorsLearnAndRoundTrip()
    {
        const auto data = synthetic(ModuleKind::Conv, 600, 3);
        const ModuleSplit split = splitSamples(data, 2026);
        QCOMPARE(split.train.size() + split.validation.size() + split.test.size(), data.size());
        QCOMPARE(split.test.size(), size_t(120));
        RegressorOptions o;
        o.epochs = 150;
        o.patience = 30;
        for (RegressorKind k : allRegressorKinds()) {
            const auto r = ModuleRegressor::train(ModuleKind::Conv, k, split.train, split.validation, o);
            const auto p = r.predict(split.test);
            const auto e = evaluatePredictions(split.test, p);
            QVERIFY(r.sizeBytes() > 0);
            if (k == RegressorKind::Medn || k == RegressorKind::Mlp || k == RegressorKind::Rf)
                QVERIFY2(e.p20 > 0.6, qPrintable(QString::fromLatin1(regressorKindName(k)) + QStringLiteral(" P20 %1").arg(e.p20)));
            const auto back = ModuleRegressor::load(r.save());
            QCOMPARE(back.kind(), k);
            QCOMPARE(back.featureNames(), r.featureNames());
            const auto q = back.predict(split.test);
            for (size_t i = 0; i < p.size(); ++i)
                QVERIFY(std::abs(q[i] - p[i]) <= 1e-9 * std::abs(p[i]) + 1e-12);
        }
        // Deterministic for a seed: the same training gives the same predictions.
        const auto a = ModuleRegressor::train(ModuleKind::Conv, RegressorKind::Medn, split.train, split.validation, o);
        const auto b = ModuleRegressor::train(ModuleKind::Conv, RegressorKind::Medn, split.train, split.validation, o);
        QCOMPARE(a.predict(split.test), b.predict(split.test));
        // The MEDN of Table 4 for conv: encoder 11-128-64-32, decoders 32-16-8-1 and 32-64-128-11.
        const size_t expected = (11 * 128 + 128) + (128 * 64 + 64) + (64 * 32 + 32) + (32 * 16 + 16) + (16 * 8 + 8) +
                                (8 + 1) + (32 * 64 + 64) + (64 * 128 + 128) + (128 * 11 + 11);
        QCOMPARE(a.sizeBytes(), expected * sizeof(float));
        QVERIFY(messageOf([] { ModuleRegressor::load({1, 2, 3}); }).find("bad header") != std::string::npos);
        auto bytes = a.save();
        bytes.resize(bytes.size() / 2);
        QVERIFY(messageOf([&] { ModuleRegressor::load(bytes); }) != "(no sniper::Error thrown)");
    }

    void algorithm1()
    {
        // Module conv: A 0.80/0.90 slow, B 0.78/0.95 fast-but-big, C 0.60 (filtered by accuracy).
        const auto row = [](ModuleKind m, RegressorKind r, double acc, double r2, double tps, double kb) {
            ModuleEvaluation e;
            e.module = m;
            e.regressor = r;
            e.p20 = acc;
            e.r2 = r2;
            e.timePerSampleMs = tps;
            e.sizeKb = kb;
            return e;
        };
        std::vector<ModuleEvaluation> rows = {
            row(ModuleKind::Conv, RegressorKind::Medn, 0.80, 0.90, 0.5, 100),
            row(ModuleKind::Conv, RegressorKind::Rf, 0.78, 0.95, 0.1, 9000),
            row(ModuleKind::Conv, RegressorKind::Lr, 0.60, 0.10, 0.01, 1),
            row(ModuleKind::Linear, RegressorKind::Medn, 0.90, 0.50, 0.5, 40),
            row(ModuleKind::Linear, RegressorKind::Lr, 0.91, 0.47, 0.01, 1),
            row(ModuleKind::Linear, RegressorKind::Mlp, 0.70, 0.99, 0.3, 77),
        };
        SelectionOptions time;
        const auto t = autoSelect(rows, time);
        QCOMPARE(t.at(ModuleKind::Conv), RegressorKind::Rf);   // both within εa and εr; RF is faster
        QCOMPARE(t.at(ModuleKind::Linear), RegressorKind::Lr); // MLP is out on accuracy first, LR within εr
        SelectionOptions r2strict;
        r2strict.epsR2 = 0.02;
        QCOMPARE(autoSelect(rows, r2strict).at(ModuleKind::Linear), RegressorKind::Medn); // LR's R² 0.47 is out
        SelectionOptions space;
        space.objective = SelectionObjective::Space;
        QCOMPARE(autoSelect(rows, space).at(ModuleKind::Conv), RegressorKind::Medn);
        SelectionOptions strict;
        strict.epsAcc = 0;
        QCOMPARE(autoSelect(rows, strict).at(ModuleKind::Conv), RegressorKind::Medn); // only the most accurate
        SelectionOptions r2tight;
        r2tight.epsR2 = 0.01;
        QCOMPARE(autoSelect(rows, r2tight).at(ModuleKind::Conv), RegressorKind::Rf); // R² 0.90 is out
        const auto summaries =
            compareSelections(rows, {{"MEDN", {{ModuleKind::Conv, RegressorKind::Medn}, {ModuleKind::Linear, RegressorKind::Medn}}},
                                     {"time", t}},
                              "MEDN");
        QCOMPARE(summaries[1].meanP20, (0.78 + 0.91) / 2);
        QVERIFY(std::abs(summaries[1].accDiffPercent - 100 * ((0.78 + 0.91) / 2 - 0.85) / 0.85) < 1e-9);
        QVERIFY(messageOf([] { parseObjective("speed"); }).find("time or space") != std::string::npos);
    }

    void studyReportsAndBadDatasets()
    {
        std::map<ModuleKind, std::vector<ModuleSample>> data;
        data[ModuleKind::Linear] = synthetic(ModuleKind::Linear, 200, 5);
        data[ModuleKind::MaxPool] = synthetic(ModuleKind::MaxPool, 200, 6);
        StudyOptions o;
        o.regressor.epochs = 30;
        const auto study = runStudy("synthetic", data, o);
        QCOMPARE(study.rows.size(), size_t(2 * 8));
        QCOMPARE(study.trained.size(), study.rows.size());
        for (const auto &e : study.rows) {
            QCOMPARE(e.testSamples, size_t(40));
            QVERIFY(e.timePerSampleMs > 0);
            QVERIFY(std::isfinite(e.p10Loaded) && std::isfinite(e.p10Idle));
        }
        const auto md = table5Markdown(study.rows);
        QVERIFY(md.find("Avg diff% vs. MEDN") != std::string::npos);
        QVERIFY(md.find("| maxpool |") != std::string::npos);
        QVERIFY(ablationMarkdown(study.rows).find("MEDN-XM") != std::string::npos);
        QVERIFY(dynamicMarkdown(study.rows).find("| linear |") != std::string::npos);

        // Bad input: an empty dataset, a module the dataset lacks, too few samples.
        QVERIFY(messageOf([&] { runStudy("p", {}, o); }).find("the module dataset is empty") != std::string::npos);
        StudyOptions conv = o;
        conv.modules = {ModuleKind::Conv};
        QVERIFY(messageOf([&] { runStudy("p", data, conv); }).find("module conv has no samples") != std::string::npos);
        std::map<ModuleKind, std::vector<ModuleSample>> few{{ModuleKind::Bn, synthetic(ModuleKind::Bn, 5, 1)}};
        QVERIFY(messageOf([&] { runStudy("p", few, o); }).find("at least 10") != std::string::npos);

        // A module set predicts what it was trained for and names what it was not.
        ModuleSetPredictor set("synthetic", SamplingRanges{}, "test");
        set.add(ModuleRegressor::load(study.find(ModuleKind::Linear, RegressorKind::Lr)->save()));
        ModuleSample bn;
        bn.kind = ModuleKind::Bn;
        bn.params = {1, 56, 64, 0, 0, 0};
        QVERIFY(messageOf([&] { set.predictModule(bn); }).find("module bn is not in the dataset") != std::string::npos);
        ModuleSample lin = data[ModuleKind::Linear][0];
        lin.params.ci = 4096;
        QVERIFY(messageOf([&] { set.predictModule(lin); }).find("Ci = 4096 is outside the sampled range") != std::string::npos);
        QVERIFY(set.predictModule(lin, true) > 0); // extrapolation when asked for
        const auto back = ModuleSetPredictor::load(set.save());
        QCOMPARE(back.predictModule(data[ModuleKind::Linear][1]), set.predictModule(data[ModuleKind::Linear][1]));
        auto bytes = set.save();
        bytes.push_back(0);
        QVERIFY(messageOf([&] { ModuleSetPredictor::load(bytes); }).find("unexpected bytes") != std::string::npos);
    }

    void decomposesResNet18()
    {
        onnx::ImportOptions io;
        io.loadWeights = false;
        const auto g = onnx::importOnnxFile(SNIPER_SOURCE_DIR "/datasets/models/resnet18.onnx", io);
        const auto d = decomposeNetwork(g);
        std::map<ModuleKind, int> count;
        for (const auto &m : d.modules)
            ++count[m.sample.kind];
        // 20 Conv -> BatchNormalization pairs: the stem and each block's first conv go on into a
        // Relu; the second convs (into the Add) and the 3 downsample convs stop at the BN.
        QCOMPARE(count[ModuleKind::Conv] + count[ModuleKind::ConvRelu] + count[ModuleKind::ConvBn] +
                     count[ModuleKind::ConvBnRelu],
                 20);
        QCOMPARE(count[ModuleKind::ConvBnRelu], 9);
        QCOMPARE(count[ModuleKind::ConvBn], 11);
        QCOMPARE(count[ModuleKind::MaxPool], 1);
        QCOMPARE(count[ModuleKind::AvgPool], 1);
        QCOMPARE(count[ModuleKind::Linear], 1);
        QCOMPARE(d.coveredMacsFraction, 1.0);
        QVERIFY(d.uncoveredOps.count("Add"));
        const auto &stem = d.modules.front();
        QCOMPARE(stem.sample.params.l, int64_t(224));
        QCOMPARE(stem.sample.params.k, int64_t(7));
        QCOMPARE(stem.sample.params.s, int64_t(2));
        QCOMPARE(stem.sample.params.co, int64_t(64));
    }

    // A stored study predicts a stored real network as a module sum, as `sniper evaluate
    // --module-set` and `sniper modules report` do.
    void moduleSumOfAStoredNetwork()
    {
        QTemporaryDir dir;
        auto project = db::Database::open(tempPath(dir, "sum.sniper").toStdString());
        const auto zoo = db::addOnnxFolder(project, SNIPER_SOURCE_DIR "/datasets/models/resnet18.onnx", "zoo", "zoo");
        QCOMPARE(zoo.modelIds.size(), size_t(1));
        db::PlatformRepository(project).upsert({"torch-cpu-1t", nlohmann::json::object(), 0});
        runtime::Measurement m;
        m.platform = "torch-cpu-1t";
        m.stats.medianMs = 30;
        m.stats.runs = 3;
        m.timestampMs = 1;
        db::MeasurementRepository(project).insert(zoo.modelIds[0], m);

        std::map<ModuleKind, std::vector<ModuleSample>> data;
        for (ModuleKind k : {ModuleKind::ConvBnRelu, ModuleKind::ConvBn, ModuleKind::MaxPool, ModuleKind::AvgPool,
                             ModuleKind::Linear})
            data[k] = synthetic(k, 60, unsigned(k) + 1);
        StudyOptions o;
        o.regressors = {RegressorKind::Medn, RegressorKind::Lr};
        o.regressor.epochs = 5;
        const auto study = runStudy("torch-cpu-1t", data, o);
        db::ModuleSampleRepository repo(project);
        repo.ensureSet("s", {{"ranges", rangesToJson(SamplingRanges{})}});
        db::saveModuleStudy(project, "s", study, optionsToJson(o.regressor));
        const auto back = db::loadModuleStudy(project, "s", "torch-cpu-1t");
        QCOMPARE(back.rows.size(), study.rows.size());
        QCOMPARE(back.trained.size(), study.trained.size());
        QCOMPARE(back.rows[3].p20, study.rows[3].p20);

        const auto rows = db::moduleSumEvaluation(project, "s", {"torch-cpu-1t", "opencv-cpu-1t"}, {"zoo"});
        QCOMPARE(rows.size(), size_t(1));
        QCOMPARE(rows[0].network, std::string("resnet18"));
        QCOMPARE(rows[0].measuredMs, 30.0);
        // The stored study's module sum is the one the study predicts directly: same selection, same
        // ranges, the set's idle state (no samples stored here: the default one).
        const auto direct = db::selectionPredictor(study, autoSelect(study.rows, SelectionOptions{}), SamplingRanges{},
                                                   "direct");
        onnx::ImportOptions plain;
        plain.loadWeights = false;
        const auto resnet18 = onnx::importOnnxFile(SNIPER_SOURCE_DIR "/datasets/models/resnet18.onnx", plain);
        const db::IdleEnvironment idle;
        const auto expected = direct.predictNetwork(resnet18, idle.memoryMb, idle.utilization);
        QVERIFY(expected.modules >= 10); // ResNet-18: stem, 16 conv modules, pools, the classifier
        QVERIFY(expected.latencyMs > 0);
        QCOMPARE(rows[0].predictedMs, expected.latencyMs);
        QVERIFY(messageOf([&] { db::moduleSumEvaluation(project, "s", {"opencv-cpu-1t"}, {"zoo"}); })
                    .find("no trained study") != std::string::npos);
        QVERIFY(messageOf([&] { db::loadModuleStudy(project, "s", "opencv-cpu-1t"); }).find("sniper modules train") !=
                std::string::npos);
        // A module the set never sampled is named when a network needs it.
        std::map<ModuleKind, std::vector<ModuleSample>> noPool = data;
        noPool.erase(ModuleKind::MaxPool);
        const auto partial = runStudy("torch-cpu-1t", noPool, o);
        const auto p = db::selectionPredictor(partial, autoSelect(partial.rows, {}), SamplingRanges{}, "x");
        onnx::ImportOptions io;
        io.loadWeights = false;
        const auto g = onnx::importOnnxFile(SNIPER_SOURCE_DIR "/datasets/models/resnet18.onnx", io);
        QVERIFY(messageOf([&] { p.predictNetwork(g, 0, 0); }).find("module maxpool is not in the dataset") !=
                std::string::npos);
    }

    // The CLI end to end on a tiny real dataset, with the bad inputs of the issue.
    void cliEndToEnd()
    {
        QTemporaryDir dir;
        const std::string db = tempPath(dir, "cli.sniper").toStdString();
        const auto run = [&](const std::vector<std::string> &args, QString *err = nullptr) {
            QStringList list;
            for (const auto &a : args)
                list << QString::fromStdString(a);
            QProcess p;
            p.start(QStringLiteral(SNIPER_CLI), list);
            p.waitForFinished(300000);
            if (err)
                *err = QString::fromUtf8(p.readAllStandardError());
            return p.exitCode();
        };
        QString err;
        QCOMPARE(run({"modules", "sample", "--db", db, "--module", "linear", "--count", "12", "--max-macs", "2e6",
                      "--max-elements", "1e5"},
                     &err),
                 0);
        QCOMPARE(run({"modules", "train", "--db", db, "--epochs", "5", "--out", dir.filePath(QStringLiteral("report")).toStdString()}, &err), 0);
        QVERIFY2(QFile::exists(dir.filePath(QStringLiteral("report/modules-torch-cpu-1t.md"))), qPrintable(err));
        QCOMPARE(run({"modules", "select", "--db", db, "--objective", "space"}, &err), 0);
        const std::string name = "modules/torch-cpu-1t/space";
        QCOMPARE(run({"modules", "predict", "--db", db, "--predictor", name, "--module", "linear", "-N", "4", "--ci",
                      "100", "--co", "10"},
                     &err),
                 0);
        QCOMPARE(run({"modules", "predict", "--db", db, "--predictor", name, "--module", "bn", "-N", "1", "-L", "56",
                      "--ci", "64"},
                     &err),
                 1);
        QVERIFY2(err.contains(QStringLiteral("module bn is not in the dataset")), qPrintable(err));
        QCOMPARE(run({"modules", "predict", "--db", db, "--predictor", name, "--module", "linear", "-N", "4", "--ci",
                      "9000", "--co", "10"},
                     &err),
                 1);
        QVERIFY2(err.contains(QStringLiteral("Ci = 9000 is outside the sampled range 3..512")), qPrintable(err));
        QCOMPARE(run({"modules", "train", "--db", db, "--set", "nothing"}, &err), 1);
        QVERIFY2(err.contains(QStringLiteral("no module set named 'nothing'")), qPrintable(err));
        QCOMPARE(run({"modules", "sample", "--db", db, "--set", "x", "--platform", "gpu-9000"}, &err), 1);
        QVERIFY2(err.contains(QStringLiteral("gpu-9000")), qPrintable(err));
    }
};

QTEST_GUILESS_MAIN(TestModules)
#include "tst_modules.moc"
