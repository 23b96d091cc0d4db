#include "predict/gbt.h"

#include <cctype>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <string>

#include <nlohmann/json.hpp>
#include <xgboost/c_api.h>

#include "common/error.h"

namespace sniper::predict {

namespace {

// Every XGBoost call goes through here: a failure becomes a sniper::Error with XGBoost's text.
void check(int rc, const char *call)
{
    if (rc == 0)
        return;
    std::string text = XGBGetLastError();
    text = text.substr(0, text.find("Stack trace:")); // XGBoost appends a backtrace: keep the message
    while (!text.empty() && std::isspace(static_cast<unsigned char>(text.back())))
        text.pop_back();
    throw Error(std::string("XGBoost ") + call + " failed: " + text, "GradientBoostedTrees");
}

// Owns one DMatrixHandle (features are stored as float by XGBoost anyway).
class DMatrix {
public:
    DMatrix(const features::Matrix &x, const std::vector<double> *y)
    {
        const std::vector<float> values(x.data.begin(), x.data.end());
        check(XGDMatrixCreateFromMat(values.data(), bst_ulong(x.rows), bst_ulong(x.cols), std::nanf(""),
                                     &m_handle),
              "XGDMatrixCreateFromMat");
        if (y) {
            const std::vector<float> labels(y->begin(), y->end());
            check(XGDMatrixSetFloatInfo(m_handle, "label", labels.data(), bst_ulong(labels.size())),
                  "XGDMatrixSetFloatInfo(label)");
        }
    }
    ~DMatrix()
    {
        if (m_handle)
            XGDMatrixFree(m_handle);
    }
    DMatrix(const DMatrix &) = delete;
    DMatrix &operator=(const DMatrix &) = delete;
    DMatrixHandle get() const { return m_handle; }

private:
    DMatrixHandle m_handle = nullptr;
};

void validate(const features::Matrix &x, const std::vector<double> *y, const char *what, const char *where)
{
    const std::string name(what);
    if (x.rows <= 0 || x.cols <= 0)
        throw Error(name + " matrix is empty (" + std::to_string(x.rows) + " rows x " + std::to_string(x.cols)
                        + " columns)",
                    where);
    if (x.data.size() != size_t(x.rows) * size_t(x.cols))
        throw Error(name + " matrix holds " + std::to_string(x.data.size()) + " values but is declared "
                        + std::to_string(x.rows) + " x " + std::to_string(x.cols),
                    where);
    for (size_t i = 0; i < x.data.size(); ++i)
        if (!std::isfinite(x.data[i]))
            throw Error(name + " matrix has a non-finite value at row " + std::to_string(i / size_t(x.cols))
                            + ", column " + std::to_string(i % size_t(x.cols)),
                        where);
    if (!y)
        return;
    if (y->size() != size_t(x.rows))
        throw Error(name + " target has " + std::to_string(y->size()) + " values but the matrix has "
                        + std::to_string(x.rows) + " rows",
                    where);
    for (size_t i = 0; i < y->size(); ++i)
        if (!std::isfinite((*y)[i]))
            throw Error(name + " target has a non-finite value at row " + std::to_string(i), where);
}

void setParam(BoosterHandle h, const char *name, const std::string &value)
{
    check(XGBoosterSetParam(h, name, value.c_str()), "XGBoosterSetParam");
}

std::string number(double v)
{
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.17g", v);
    return buf;
}

// "[12]\tvalid-rmse:0.123" -> 0.123
double parseRmse(const char *evaluation)
{
    const std::string s(evaluation ? evaluation : "");
    const auto at = s.find("valid-rmse:");
    if (at == std::string::npos)
        throw Error("unexpected evaluation output \"" + s + "\"", "GradientBoostedTrees::fit");
    return std::strtod(s.c_str() + at + 11, nullptr);
}

constexpr const char *kBestIteration = "sniper_best_iteration";

} // namespace

XgbBooster::~XgbBooster()
{
    if (m_handle)
        XGBoosterFree(m_handle);
}

XgbBooster &XgbBooster::operator=(XgbBooster &&other) noexcept
{
    if (this != &other) {
        if (m_handle)
            XGBoosterFree(m_handle);
        m_handle = other.m_handle;
        other.m_handle = nullptr;
    }
    return *this;
}

void GradientBoostedTrees::fit(const features::Matrix &x, const std::vector<double> &y, const GbtOptions &o,
                               const features::Matrix *validX, const std::vector<double> *validY)
{
    constexpr const char *where = "GradientBoostedTrees::fit";
    validate(x, &y, "training", where);
    if (bool(validX) != bool(validY))
        throw Error("validation features and targets must be given together", where);
    if (validX) {
        validate(*validX, validY, "validation", where);
        if (validX->cols != x.cols)
            throw Error("validation matrix has " + std::to_string(validX->cols) + " columns, training has "
                            + std::to_string(x.cols),
                        where);
    }
    if (o.rounds < 1 || o.forestTrees < 1 || o.threads < 1 || o.maxDepth < 1)
        throw Error("rounds, forestTrees, threads and maxDepth must be at least 1", where);

    const DMatrix train(x, &y);
    std::unique_ptr<DMatrix> valid;
    if (validX)
        valid = std::make_unique<DMatrix>(*validX, validY);
    DMatrixHandle cache[2] = { train.get(), valid ? valid->get() : nullptr };
    BoosterHandle raw = nullptr;
    check(XGBoosterCreate(cache, valid ? 2 : 1, &raw), "XGBoosterCreate");
    XgbBooster booster(raw);

    setParam(raw, "objective", "reg:squarederror");
    setParam(raw, "eval_metric", "rmse");
    setParam(raw, "tree_method", "hist");
    setParam(raw, "nthread", std::to_string(o.threads));
    setParam(raw, "seed", std::to_string(int64_t(o.seed & 0x7fffffffffffffffULL)));
    setParam(raw, "max_depth", std::to_string(o.maxDepth));
    setParam(raw, "min_child_weight", number(o.minChildWeight));
    setParam(raw, "lambda", number(o.lambda));
    setParam(raw, "colsample_bytree", number(o.colsampleByTree));
    int rounds = o.rounds;
    if (o.randomForest) {
        setParam(raw, "num_parallel_tree", std::to_string(o.forestTrees));
        setParam(raw, "eta", "1");
        setParam(raw, "subsample", "0.8");
        setParam(raw, "colsample_bynode", "0.8");
        rounds = 1;
    } else {
        setParam(raw, "eta", number(o.eta));
        setParam(raw, "subsample", number(o.subsample));
    }

    const bool earlyStopping = valid && !o.randomForest && o.earlyStoppingRounds > 0;
    int best = rounds - 1;
    double bestRmse = INFINITY;
    for (int i = 0; i < rounds; ++i) {
        check(XGBoosterUpdateOneIter(raw, i, train.get()), "XGBoosterUpdateOneIter");
        if (!earlyStopping)
            continue;
        DMatrixHandle evalSet[1] = { valid->get() };
        const char *evalName[1] = { "valid" };
        const char *evaluation = nullptr;
        check(XGBoosterEvalOneIter(raw, i, evalSet, evalName, 1, &evaluation), "XGBoosterEvalOneIter");
        const double rmse = parseRmse(evaluation);
        if (rmse < bestRmse) {
            bestRmse = rmse;
            best = i;
        } else if (i - best >= o.earlyStoppingRounds) {
            break;
        }
    }
    int boosted = 0;
    check(XGBoosterBoostedRounds(raw, &boosted), "XGBoosterBoostedRounds");
    if (best + 1 < boosted) {
        // Keep the trees of rounds [0, best]: predictions and saved bytes both use the best model.
        BoosterHandle sliced = nullptr;
        check(XGBoosterSlice(raw, 0, best + 1, 1, &sliced), "XGBoosterSlice");
        booster = XgbBooster(sliced);
    }
    check(XGBoosterSetAttr(booster.get(), kBestIteration, std::to_string(best).c_str()), "XGBoosterSetAttr");

    m_booster = std::move(booster);
    m_cols = x.cols;
    m_bestIteration = best;
}

std::vector<double> GradientBoostedTrees::predict(const features::Matrix &x) const
{
    constexpr const char *where = "GradientBoostedTrees::predict";
    if (!fitted())
        throw Error("the model is not fitted yet", where);
    if (x.cols != m_cols)
        throw Error("the model was fitted on " + std::to_string(m_cols) + " columns, got " + std::to_string(x.cols),
                    where);
    if (x.rows == 0)
        return {};
    validate(x, nullptr, "feature", where);
    const DMatrix dm(x, nullptr);
    const char *config = R"({"type": 0, "training": false, "iteration_begin": 0, "iteration_end": 0,)"
                         R"( "strict_shape": false})";
    const bst_ulong *shape = nullptr;
    bst_ulong dim = 0;
    const float *result = nullptr;
    check(XGBoosterPredictFromDMatrix(m_booster.get(), dm.get(), config, &shape, &dim, &result),
          "XGBoosterPredictFromDMatrix");
    return std::vector<double>(result, result + x.rows);
}

std::vector<uint8_t> GradientBoostedTrees::save() const
{
    if (!fitted())
        throw Error("the model is not fitted yet", "GradientBoostedTrees::save");
    bst_ulong length = 0;
    const char *bytes = nullptr;
    check(XGBoosterSaveModelToBuffer(m_booster.get(), R"({"format": "json"})", &length, &bytes),
          "XGBoosterSaveModelToBuffer");
    return std::vector<uint8_t>(bytes, bytes + length);
}

size_t GradientBoostedTrees::modelSizeBytes() const
{
    return fitted() ? save().size() : 0;
}

GradientBoostedTrees GradientBoostedTrees::load(const std::vector<uint8_t> &bytes)
{
    constexpr const char *where = "GradientBoostedTrees::load";
    if (bytes.empty())
        throw Error("model bytes are empty", where);
    // save() writes JSON; checking it here keeps garbage away from XGBoost's legacy binary reader.
    if (bytes.front() != '{' || !nlohmann::json::accept(bytes.begin(), bytes.end()))
        throw Error("model bytes are not an XGBoost JSON model (" + std::to_string(bytes.size()) + " bytes)", where);
    BoosterHandle raw = nullptr;
    check(XGBoosterCreate(nullptr, 0, &raw), "XGBoosterCreate");
    XgbBooster booster(raw);
    check(XGBoosterLoadModelFromBuffer(raw, bytes.data(), bst_ulong(bytes.size())), "XGBoosterLoadModelFromBuffer");
    setParam(raw, "nthread", "1");
    bst_ulong features = 0;
    check(XGBoosterGetNumFeature(raw, &features), "XGBoosterGetNumFeature");
    int boosted = 0;
    check(XGBoosterBoostedRounds(raw, &boosted), "XGBoosterBoostedRounds");
    if (features == 0 || boosted == 0)
        throw Error("the model has no features or no trees", where);
    const char *best = nullptr;
    int found = 0;
    check(XGBoosterGetAttr(raw, kBestIteration, &best, &found), "XGBoosterGetAttr");

    GradientBoostedTrees m;
    m.m_booster = std::move(booster);
    m.m_cols = int(features);
    m.m_bestIteration = found ? std::atoi(best) : boosted - 1;
    return m;
}

} // namespace sniper::predict
