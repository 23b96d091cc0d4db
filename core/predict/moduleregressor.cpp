#include "predict/moduleregressor.h"

#include "common/error.h"
#include "predict/gbt.h"
#include "predict/medn.h"

#include <Eigen/Dense>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstring>
#include <optional>

namespace sniper::predict::modules {

namespace {

constexpr RegressorKind kKinds[] = {RegressorKind::Medn,   RegressorKind::MednD, RegressorKind::MednXI,
                                    RegressorKind::MednXM, RegressorKind::MednR, RegressorKind::Rf,
                                    RegressorKind::Mlp,    RegressorKind::Lr};
constexpr const char *kNames[] = {"MEDN", "MEDN-D", "MEDN-XI", "MEDN-XM", "MEDN-R", "RF", "MLP", "LR"};
constexpr char kMagic[] = "SNMR1";

std::string lower(std::string_view s)
{
    std::string out(s);
    std::transform(out.begin(), out.end(), out.begin(), [](unsigned char c) { return char(std::tolower(c)); });
    return out;
}

} // namespace

const std::vector<RegressorKind> &allRegressorKinds()
{
    static const std::vector<RegressorKind> kinds(std::begin(kKinds), std::end(kKinds));
    return kinds;
}

const char *regressorKindName(RegressorKind k) { return kNames[size_t(k)]; }

RegressorKind parseRegressorKind(std::string_view name)
{
    for (RegressorKind k : kKinds)
        if (lower(name) == lower(regressorKindName(k)))
            return k;
    std::string choices;
    for (const char *n : kNames)
        choices += (choices.empty() ? "" : ", ") + std::string(n);
    throw Error("unknown regressor '" + std::string(name) + "' (one of " + choices + ")", "regressor");
}

unsigned regressorGroups(RegressorKind k)
{
    switch (k) {
    case RegressorKind::MednXI: return Sampling | Measurable;
    case RegressorKind::MednXM: return Sampling | Inferable;
    case RegressorKind::MednR: return Sampling;
    default: return AllGroups;
    }
}

bool isDeep(RegressorKind k) { return k != RegressorKind::Rf && k != RegressorKind::Lr; }

std::vector<int> table4Encoder(ModuleKind k)
{
    if (hasConv(k))
        return {128, 64, 32};
    if (k == ModuleKind::Bn || k == ModuleKind::BnRelu)
        return {32, 16, 8};
    return {64, 32, 16}; // avgpool, maxpool, linear
}

double table4Weight(ModuleKind k)
{
    if (hasConv(k))
        return 100.0;
    switch (k) {
    case ModuleKind::AvgPool: return 0.001;
    case ModuleKind::Bn:
    case ModuleKind::BnRelu: return 1.0;
    default: return 0.01; // linear, maxpool
    }
}

nlohmann::json optionsToJson(const RegressorOptions &o)
{
    return {{"epochs", o.epochs},       {"lr", o.lr},
            {"batch", o.batch},         {"patience", o.patience},
            {"medn_encoder", o.mednEncoder}, {"reconstruction_weight", o.reconstructionWeight},
            {"mlp_hidden", o.mlpHidden}, {"forest_trees", o.forestTrees},
            {"forest_depth", o.forestDepth}, {"ridge", o.ridge},
            {"seed", o.seed}};
}

RegressorOptions optionsFromJson(const nlohmann::json &j)
{
    if (!j.is_object())
        throw Error("expected a JSON object", "regressor options");
    RegressorOptions o;
    try {
        o.epochs = j.value("epochs", o.epochs);
        o.lr = j.value("lr", o.lr);
        o.batch = j.value("batch", o.batch);
        o.patience = j.value("patience", o.patience);
        o.mednEncoder = j.value("medn_encoder", o.mednEncoder);
        o.reconstructionWeight = j.value("reconstruction_weight", o.reconstructionWeight);
        o.mlpHidden = j.value("mlp_hidden", o.mlpHidden);
        o.forestTrees = j.value("forest_trees", o.forestTrees);
        o.forestDepth = j.value("forest_depth", o.forestDepth);
        o.ridge = j.value("ridge", o.ridge);
        o.seed = j.value("seed", o.seed);
    } catch (const nlohmann::json::exception &e) {
        throw Error(std::string("a field has the wrong type: ") + e.what(), "regressor options");
    }
    if (o.epochs < 1 || o.batch < 1 || !(o.lr > 0) || o.patience < 0 || o.forestTrees < 1 || o.forestDepth < 1 ||
        !(o.ridge >= 0))
        throw Error("epochs, batch, lr, forest_trees and forest_depth must be positive; patience and ridge not negative",
                    "regressor options");
    return o;
}

struct ModuleRegressor::Impl {
    ModuleKind module = ModuleKind::Conv;
    RegressorKind kind = RegressorKind::Medn;
    std::vector<double> minimum, maximum; // min-max scaling of the inputs (training split)
    double targetMean = 0, targetStd = 1; // standardized log latency
    RegressorOptions options;
    TrainingReport report;
    std::optional<DeepRegressorModel> deep;
    std::optional<GradientBoostedTrees> forest;
    std::vector<double> linear; // LR: one coefficient per input, intercept last

    std::vector<double> scaledRow(const ModuleSample &s) const
    {
        std::vector<double> v = featureVector(s, regressorGroups(kind));
        for (size_t c = 0; c < v.size(); ++c) {
            const double span = maximum[c] - minimum[c];
            v[c] = span > 0 ? (v[c] - minimum[c]) / span : 0.0;
        }
        return v;
    }

    features::Matrix matrix(const std::vector<ModuleSample> &samples) const
    {
        features::Matrix m;
        m.rows = int(samples.size());
        m.cols = int(minimum.size());
        m.data.reserve(samples.size() * minimum.size());
        for (const auto &s : samples) {
            const auto row = scaledRow(s);
            m.data.insert(m.data.end(), row.begin(), row.end());
        }
        return m;
    }

    std::vector<double> targets(const std::vector<ModuleSample> &samples) const
    {
        std::vector<double> y;
        y.reserve(samples.size());
        for (const auto &s : samples)
            y.push_back((std::log(s.latencyMs) - targetMean) / targetStd);
        return y;
    }

    DeepRegressorOptions deepOptions() const
    {
        DeepRegressorOptions o;
        o.epochs = options.epochs;
        o.lr = options.lr;
        o.batch = options.batch;
        o.patience = options.patience;
        o.seed = options.seed;
        if (kind == RegressorKind::Mlp) {
            o.hidden = options.mlpHidden;
            o.encoderDecoder = false;
            o.reconstructionWeight = 0;
        } else {
            o.hidden = options.mednEncoder.empty() ? table4Encoder(module) : options.mednEncoder;
            o.reconstructionWeight = kind == RegressorKind::MednD ? 0.0
                                     : options.reconstructionWeight >= 0 ? options.reconstructionWeight
                                                                         : table4Weight(module);
        }
        return o;
    }

    GbtOptions forestOptions() const
    {
        GbtOptions o;
        o.randomForest = true;
        o.forestTrees = options.forestTrees;
        o.maxDepth = options.forestDepth;
        o.seed = options.seed;
        o.threads = 1;
        return o;
    }
};

namespace {

std::vector<float> floats(const features::Matrix &m) { return {m.data.begin(), m.data.end()}; }
std::vector<float> floats(const std::vector<double> &v) { return {v.begin(), v.end()}; }

void checkSamples(ModuleKind module, const std::vector<ModuleSample> &samples, const char *what)
{
    if (samples.empty())
        throw Error(std::string("the ") + what + " of module " + moduleName(module) + " is empty", "module regressor");
    for (const auto &s : samples) {
        if (s.kind != module)
            throw Error(std::string("a ") + moduleName(s.kind) + " sample in the " + what + " of module " +
                            moduleName(module),
                        "module regressor");
        if (!(s.latencyMs > 0) || !std::isfinite(s.latencyMs))
            throw Error("sample " + std::to_string(s.index) + " of module " + moduleName(module) +
                            " has no positive latency",
                        "module regressor");
    }
}

} // namespace

ModuleRegressor::ModuleRegressor() : d(std::make_unique<Impl>()) {}
ModuleRegressor::~ModuleRegressor() = default;
ModuleRegressor::ModuleRegressor(ModuleRegressor &&) noexcept = default;
ModuleRegressor &ModuleRegressor::operator=(ModuleRegressor &&) noexcept = default;

ModuleRegressor ModuleRegressor::train(ModuleKind module, RegressorKind kind, const std::vector<ModuleSample> &train,
                                       const std::vector<ModuleSample> &validation, const RegressorOptions &options,
                                       const std::function<bool(int, double, double)> &progress)
{
    checkSamples(module, train, "training split");
    checkSamples(module, validation, "validation split");
    ModuleRegressor r;
    Impl &d = *r.d;
    d.module = module;
    d.kind = kind;
    d.options = options;
    const unsigned groups = regressorGroups(kind);
    const size_t cols = modules::featureNames(module, groups).size();
    d.minimum.assign(cols, INFINITY);
    d.maximum.assign(cols, -INFINITY);
    double sum = 0, sumSq = 0;
    for (const auto &s : train) {
        const auto v = featureVector(s, groups);
        for (size_t c = 0; c < cols; ++c) {
            if (!std::isfinite(v[c]))
                throw Error("sample " + std::to_string(s.index) + " has a non-finite " + modules::featureNames(module, groups)[c],
                            std::string("module ") + moduleName(module));
            d.minimum[c] = std::min(d.minimum[c], v[c]);
            d.maximum[c] = std::max(d.maximum[c], v[c]);
        }
        const double y = std::log(s.latencyMs);
        sum += y;
        sumSq += y * y;
    }
    d.targetMean = sum / double(train.size());
    d.targetStd = std::sqrt(std::max(1e-12, sumSq / double(train.size()) - d.targetMean * d.targetMean));

    const auto x = d.matrix(train);
    const auto y = d.targets(train);
    const auto vx = d.matrix(validation);
    const auto vy = d.targets(validation);
    if (isDeep(kind)) {
        d.deep.emplace(int(cols), d.deepOptions());
        d.report = d.deep->fit(floats(x), floats(y), floats(vx), floats(vy), progress);
    } else if (kind == RegressorKind::Rf) {
        d.forest.emplace();
        d.forest->fit(x, y, d.forestOptions());
        d.report.trainSamples = train.size();
        d.report.validationSamples = validation.size();
    } else {
        Eigen::MatrixXd a(x.rows, x.cols + 1);
        for (int i = 0; i < x.rows; ++i) {
            for (int c = 0; c < x.cols; ++c)
                a(i, c) = x.at(i, c);
            a(i, x.cols) = 1.0;
        }
        const Eigen::VectorXd b = Eigen::Map<const Eigen::VectorXd>(y.data(), Eigen::Index(y.size()));
        Eigen::MatrixXd normal = a.transpose() * a;
        normal.diagonal().array() += options.ridge * std::max(1.0, double(x.rows));
        const Eigen::VectorXd w = normal.ldlt().solve(a.transpose() * b);
        d.linear.assign(w.data(), w.data() + w.size());
        d.report.trainSamples = train.size();
        d.report.validationSamples = validation.size();
    }
    return r;
}

ModuleKind ModuleRegressor::module() const { return d->module; }
RegressorKind ModuleRegressor::kind() const { return d->kind; }
std::vector<std::string> ModuleRegressor::featureNames() const { return modules::featureNames(d->module, regressorGroups(d->kind)); }
const TrainingReport &ModuleRegressor::report() const { return d->report; }

std::vector<double> ModuleRegressor::predict(const std::vector<ModuleSample> &samples) const
{
    if (d->minimum.empty())
        throw Error("the regressor is not trained", "module regressor");
    for (const auto &s : samples)
        if (s.kind != d->module)
            throw Error(std::string("this regressor predicts ") + moduleName(d->module) + ", not " + moduleName(s.kind),
                        "module regressor");
    if (samples.empty())
        return {};
    const auto x = d->matrix(samples);
    std::vector<double> z;
    if (d->deep) {
        const auto out = d->deep->predict(floats(x));
        z.assign(out.begin(), out.end());
    } else if (d->forest) {
        z = d->forest->predict(x);
    } else {
        z.resize(size_t(x.rows));
        for (int i = 0; i < x.rows; ++i) {
            double v = d->linear.back();
            for (int c = 0; c < x.cols; ++c)
                v += d->linear[size_t(c)] * x.at(i, c);
            z[size_t(i)] = v;
        }
    }
    for (double &v : z)
        v = std::exp(v * d->targetStd + d->targetMean);
    return z;
}

size_t ModuleRegressor::sizeBytes() const
{
    if (d->deep)
        return d->deep->parameterCount() * sizeof(float);
    if (d->forest)
        return d->forest->modelSizeBytes();
    return d->linear.size() * sizeof(double);
}

std::vector<uint8_t> ModuleRegressor::save() const
{
    nlohmann::json head = {{"module", moduleName(d->module)},
                           {"regressor", regressorKindName(d->kind)},
                           {"minimum", d->minimum},
                           {"maximum", d->maximum},
                           {"target_mean", d->targetMean},
                           {"target_std", d->targetStd},
                           {"options", optionsToJson(d->options)},
                           {"linear", d->linear},
                           {"epochs", d->report.epochs},
                           {"best_epoch", d->report.bestEpoch},
                           {"train_seconds", d->report.seconds},
                           {"train_samples", d->report.trainSamples}};
    std::vector<uint8_t> payload;
    if (d->deep)
        payload = d->deep->save();
    else if (d->forest)
        payload = d->forest->save();
    const std::string text = head.dump();
    std::vector<uint8_t> out(kMagic, kMagic + sizeof(kMagic) - 1);
    const uint32_t n = uint32_t(text.size());
    for (int i = 0; i < 4; ++i)
        out.push_back(uint8_t(n >> (8 * i)));
    out.insert(out.end(), text.begin(), text.end());
    out.insert(out.end(), payload.begin(), payload.end());
    return out;
}

ModuleRegressor ModuleRegressor::load(const std::vector<uint8_t> &bytes)
{
    const size_t magic = sizeof(kMagic) - 1;
    if (bytes.size() < magic + 4 || std::memcmp(bytes.data(), kMagic, magic) != 0)
        throw Error("not a module regressor (bad header)", "module regressor file");
    uint32_t n = 0;
    for (int i = 0; i < 4; ++i)
        n |= uint32_t(bytes[magic + size_t(i)]) << (8 * i);
    if (bytes.size() < magic + 4 + n)
        throw Error("truncated: the header says " + std::to_string(n) + " bytes of description", "module regressor file");
    ModuleRegressor r;
    Impl &d = *r.d;
    try {
        const auto head = nlohmann::json::parse(bytes.begin() + long(magic + 4), bytes.begin() + long(magic + 4 + n));
        d.module = parseModuleKind(head.at("module").get<std::string>());
        d.kind = parseRegressorKind(head.at("regressor").get<std::string>());
        d.minimum = head.at("minimum").get<std::vector<double>>();
        d.maximum = head.at("maximum").get<std::vector<double>>();
        d.targetMean = head.at("target_mean").get<double>();
        d.targetStd = head.at("target_std").get<double>();
        d.options = optionsFromJson(head.at("options"));
        d.linear = head.at("linear").get<std::vector<double>>();
        d.report.epochs = head.value("epochs", 0);
        d.report.bestEpoch = head.value("best_epoch", 0);
        d.report.seconds = head.value("train_seconds", 0.0);
        d.report.trainSamples = head.value("train_samples", size_t(0));
    } catch (const nlohmann::json::exception &e) {
        throw Error(std::string("the description is not valid: ") + e.what(), "module regressor file");
    }
    const size_t cols = modules::featureNames(d.module, regressorGroups(d.kind)).size();
    if (d.minimum.size() != cols || d.maximum.size() != cols)
        throw Error("the scaling has " + std::to_string(d.minimum.size()) + " columns, the module has " +
                        std::to_string(cols),
                    "module regressor file");
    const std::vector<uint8_t> payload(bytes.begin() + long(magic + 4 + n), bytes.end());
    if (isDeep(d.kind)) {
        d.deep.emplace(int(cols), d.deepOptions());
        d.deep->load(payload);
    } else if (d.kind == RegressorKind::Rf) {
        d.forest = GradientBoostedTrees::load(payload);
    } else if (d.linear.size() != cols + 1) {
        throw Error("the linear model has " + std::to_string(d.linear.size()) + " coefficients, expected " +
                        std::to_string(cols + 1),
                    "module regressor file");
    }
    return r;
}

} // namespace sniper::predict::modules
