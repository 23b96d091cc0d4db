#include "predict/bayesridge.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <string>

#include <Eigen/Dense>
#include <nlohmann/json.hpp>

#include "common/error.h"

namespace sniper::predict {

namespace {

using RowMajor = Eigen::Matrix<double, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;

void validate(const features::Matrix &x, const std::vector<double> &y)
{
    constexpr const char *where = "BayesianRidge::fit";
    if (x.rows <= 0 || x.cols <= 0)
        throw Error("feature matrix is empty (" + std::to_string(x.rows) + " rows x " + std::to_string(x.cols)
                        + " columns)",
                    where);
    if (x.data.size() != size_t(x.rows) * size_t(x.cols))
        throw Error("feature matrix holds " + std::to_string(x.data.size()) + " values but is declared "
                        + std::to_string(x.rows) + " x " + std::to_string(x.cols),
                    where);
    if (y.size() != size_t(x.rows))
        throw Error("target has " + std::to_string(y.size()) + " values but the feature matrix has "
                        + std::to_string(x.rows) + " rows",
                    where);
    for (size_t i = 0; i < x.data.size(); ++i)
        if (!std::isfinite(x.data[i]))
            throw Error("feature matrix has a non-finite value at row " + std::to_string(i / size_t(x.cols))
                            + ", column " + std::to_string(i % size_t(x.cols)),
                        where);
    for (size_t i = 0; i < y.size(); ++i)
        if (!std::isfinite(y[i]))
            throw Error("target has a non-finite value at row " + std::to_string(i), where);
}

const nlohmann::json &field(const nlohmann::json &j, const char *name)
{
    const auto it = j.find(name);
    if (it == j.end())
        throw Error(std::string("missing field \"") + name + "\"", "BayesianRidge::fromJson");
    return *it;
}

double finiteNumber(const nlohmann::json &j, const char *name)
{
    const nlohmann::json &v = field(j, name);
    if (!v.is_number() || !std::isfinite(v.get<double>()))
        throw Error(std::string("field \"") + name + "\" must be a finite number", "BayesianRidge::fromJson");
    return v.get<double>();
}

std::vector<double> finiteArray(const nlohmann::json &j, const char *name)
{
    const nlohmann::json &v = field(j, name);
    if (!v.is_array())
        throw Error(std::string("field \"") + name + "\" must be an array of numbers", "BayesianRidge::fromJson");
    std::vector<double> out;
    out.reserve(v.size());
    for (const auto &e : v) {
        if (!e.is_number() || !std::isfinite(e.get<double>()))
            throw Error(std::string("field \"") + name + "\" holds a value that is not a finite number",
                        "BayesianRidge::fromJson");
        out.push_back(e.get<double>());
    }
    return out;
}

} // namespace

void BayesianRidge::fit(const features::Matrix &x, const std::vector<double> &y, const BayesianRidgeOptions &o)
{
    validate(x, y);
    if (o.maxIter < 1)
        throw Error("maxIter must be at least 1, got " + std::to_string(o.maxIter), "BayesianRidge::fit");
    const Eigen::Index n = x.rows, p = x.cols;
    const Eigen::Map<const RowMajor> xRaw(x.data.data(), n, p);
    const Eigen::Map<const Eigen::VectorXd> yRaw(y.data(), n);

    // sklearn _preprocess_data: center X and y (X_scale_ is 1 without sample weights).
    Eigen::RowVectorXd xOffset = Eigen::RowVectorXd::Zero(p);
    double yOffset = 0;
    if (o.fitIntercept) {
        xOffset = xRaw.colwise().mean();
        yOffset = yRaw.mean();
    }
    const Eigen::MatrixXd xc = xRaw.rowwise() - xOffset;
    const Eigen::VectorXd yc = yRaw.array() - yOffset;

    const double eps = std::numeric_limits<double>::epsilon();
    double alpha = 1.0 / ((yc.array() - yc.mean()).square().mean() + eps); // 1 / (np.var(y) + eps)
    double lambda = 1.0;

    // Thin SVD X = U diag(S) Vh; eigen_vals_ = S^2 (min(n, p) of them).
    Eigen::VectorXd eig;
    Eigen::MatrixXd v; // p x k (Vh.T)
    Eigen::MatrixXd u; // n x k, only for n <= p
    const bool tall = n > p;
    if (tall) {
        // Same S and V as the SVD of X, from the SVD of R in X = QR (p x p instead of n x p).
        Eigen::HouseholderQR<Eigen::MatrixXd> qr(xc);
        const Eigen::MatrixXd r = qr.matrixQR().topRows(p).triangularView<Eigen::Upper>();
        Eigen::JacobiSVD<Eigen::MatrixXd> svd(r, Eigen::ComputeFullV);
        eig = svd.singularValues().array().square();
        v = svd.matrixV();
    } else {
        Eigen::BDCSVD<Eigen::MatrixXd> svd(xc, Eigen::ComputeThinU | Eigen::ComputeThinV);
        eig = svd.singularValues().array().square();
        v = svd.matrixV();
        u = svd.matrixU();
    }

    // _update_coef_: n > p: coef = Vh.T diag(1/(eig + lambda/alpha)) Vh X.T y,
    // otherwise coef = X.T U diag(1/(eig + lambda/alpha)) U.T y. The projections are fixed.
    const Eigen::VectorXd projected = tall ? Eigen::VectorXd(v.transpose() * (xc.transpose() * yc))
                                           : Eigen::VectorXd(u.transpose() * yc);
    Eigen::VectorXd coef(p);
    double rmse = 0;
    const auto updateCoef = [&] {
        const Eigen::VectorXd scaled = projected.array() / (eig.array() + lambda / alpha);
        coef = tall ? Eigen::VectorXd(v * scaled) : Eigen::VectorXd(xc.transpose() * (u * scaled));
        rmse = (yc - xc * coef).squaredNorm();
    };

    Eigen::VectorXd coefOld;
    int iter = 0;
    for (; iter < o.maxIter; ++iter) {
        updateCoef();
        // Update alpha and lambda according to MacKay (1992).
        const double gamma = (alpha * eig.array() / (lambda + alpha * eig.array())).sum();
        lambda = (gamma + 2 * o.lambda1) / (coef.squaredNorm() + 2 * o.lambda2);
        alpha = (double(n) - gamma + 2 * o.alpha1) / (rmse + 2 * o.alpha2);
        if (iter != 0 && (coefOld - coef).cwiseAbs().sum() < o.tol)
            break;
        coefOld = coef;
    }
    m_iterations = std::min(iter + 1, o.maxIter);
    m_alpha = alpha;
    m_lambda = lambda;
    updateCoef();

    // Posterior covariance sigma_ = 1/alpha Vh.T diag(1/(eig + lambda/alpha)) Vh.
    const Eigen::MatrixXd sigma =
        (v * (eig.array() + lambda / alpha).inverse().matrix().asDiagonal() * v.transpose()) / alpha;

    m_coef.assign(coef.data(), coef.data() + p);
    m_sigma.resize(size_t(p) * size_t(p));
    Eigen::Map<RowMajor>(m_sigma.data(), p, p) = sigma;
    m_intercept = o.fitIntercept ? yOffset - xOffset.dot(coef) : 0.0;
    m_fitted = true;
}

void BayesianRidge::requireFitted(const char *where) const
{
    if (!m_fitted)
        throw Error("the model is not fitted yet", where);
}

void BayesianRidge::requireCols(const features::Matrix &x, const char *where) const
{
    requireFitted(where);
    if (x.cols != cols())
        throw Error("the model was fitted on " + std::to_string(cols()) + " columns, got "
                        + std::to_string(x.cols),
                    where);
    if (x.rows < 0 || x.data.size() != size_t(x.rows) * size_t(x.cols))
        throw Error("feature matrix holds " + std::to_string(x.data.size()) + " values but is declared "
                        + std::to_string(x.rows) + " x " + std::to_string(x.cols),
                    where);
}

double BayesianRidge::predictRow(const double *row) const
{
    requireFitted("BayesianRidge::predictRow");
    double sum = m_intercept;
    for (size_t c = 0; c < m_coef.size(); ++c)
        sum += row[c] * m_coef[c];
    return sum;
}

std::vector<double> BayesianRidge::predict(const features::Matrix &x) const
{
    requireCols(x, "BayesianRidge::predict");
    std::vector<double> out(size_t(x.rows));
    for (int r = 0; r < x.rows; ++r)
        out[size_t(r)] = predictRow(x.data.data() + size_t(r) * size_t(x.cols));
    return out;
}

std::vector<double> BayesianRidge::predictStd(const features::Matrix &x) const
{
    requireCols(x, "BayesianRidge::predictStd");
    const Eigen::Index p = cols();
    const Eigen::Map<const RowMajor> xm(x.data.data(), x.rows, p);
    const Eigen::Map<const RowMajor> sigma(m_sigma.data(), p, p);
    const Eigen::VectorXd var = ((xm * sigma).array() * xm.array()).rowwise().sum();
    std::vector<double> out(size_t(x.rows));
    for (int r = 0; r < x.rows; ++r)
        out[size_t(r)] = std::sqrt(var(r) + 1.0 / m_alpha);
    return out;
}

nlohmann::json BayesianRidge::toJson() const
{
    requireFitted("BayesianRidge::toJson");
    return { { "model", "bayesian_ridge" }, { "coef", m_coef },          { "intercept", m_intercept },
             { "alpha", m_alpha },          { "lambda", m_lambda },      { "iterations", m_iterations },
             { "sigma", m_sigma } };
}

BayesianRidge BayesianRidge::fromJson(const nlohmann::json &j)
{
    constexpr const char *where = "BayesianRidge::fromJson";
    if (!j.is_object())
        throw Error("expected a JSON object", where);
    const nlohmann::json &model = field(j, "model");
    if (!model.is_string() || model.get<std::string>() != "bayesian_ridge")
        throw Error("field \"model\" must be \"bayesian_ridge\"", where);
    BayesianRidge m;
    m.m_coef = finiteArray(j, "coef");
    if (m.m_coef.empty())
        throw Error("field \"coef\" is empty", where);
    m.m_sigma = finiteArray(j, "sigma");
    if (m.m_sigma.size() != m.m_coef.size() * m.m_coef.size())
        throw Error("field \"sigma\" has " + std::to_string(m.m_sigma.size()) + " values, expected "
                        + std::to_string(m.m_coef.size() * m.m_coef.size()),
                    where);
    m.m_intercept = finiteNumber(j, "intercept");
    m.m_alpha = finiteNumber(j, "alpha");
    m.m_lambda = finiteNumber(j, "lambda");
    if (!(m.m_alpha > 0) || !(m.m_lambda > 0))
        throw Error("fields \"alpha\" and \"lambda\" must be positive", where);
    const nlohmann::json &iterations = field(j, "iterations");
    if (!iterations.is_number_integer())
        throw Error("field \"iterations\" must be an integer", where);
    m.m_iterations = iterations.get<int>();
    m.m_fitted = true;
    return m;
}

} // namespace sniper::predict
