#include "features/kfe.h"

#include <cmath>
#include <string>

#include <Eigen/Dense>

#include "common/error.h"

namespace sniper::features {

namespace {

constexpr const char *kWhere = "keyFeatureExtraction";
constexpr double kMinPearson = 1e-9; // below this a column explains nothing of the residual

void validate(const Matrix &m, const std::vector<double> &latency, int k)
{
    if (k < 1)
        throw Error("K (number of key features) must be at least 1, got " + std::to_string(k), kWhere);
    if (m.rows <= 0 || m.cols <= 0)
        throw Error("feature matrix is empty (" + std::to_string(m.rows) + " rows x " + std::to_string(m.cols)
                        + " columns)",
                    kWhere);
    if (m.data.size() != size_t(m.rows) * size_t(m.cols))
        throw Error("feature matrix holds " + std::to_string(m.data.size()) + " values but is declared "
                        + std::to_string(m.rows) + " x " + std::to_string(m.cols),
                    kWhere);
    if (latency.size() != size_t(m.rows))
        throw Error("latency has " + std::to_string(latency.size()) + " values but the feature matrix has "
                        + std::to_string(m.rows) + " rows",
                    kWhere);
    if (m.rows < 2)
        throw Error("need at least 2 networks (rows) to compute Pearson coefficients", kWhere);
    for (size_t i = 0; i < m.data.size(); ++i)
        if (!std::isfinite(m.data[i]))
            throw Error("feature matrix has a non-finite value at row " + std::to_string(i / size_t(m.cols))
                            + ", column " + std::to_string(i % size_t(m.cols)),
                        kWhere);
    for (size_t i = 0; i < latency.size(); ++i)
        if (!std::isfinite(latency[i]))
            throw Error("latency has a non-finite value at row " + std::to_string(i), kWhere);
}

} // namespace

KfeResult keyFeatureExtraction(const Matrix &features, const std::vector<double> &latency, int k)
{
    validate(features, latency, k);
    const Eigen::Index n = features.rows, p = features.cols;
    using RowMajor = Eigen::Matrix<double, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;
    const Eigen::Map<const RowMajor> x(features.data.data(), n, p);
    const Eigen::Map<const Eigen::VectorXd> y(latency.data(), n);

    // Centered columns and their norms, once; a constant column has no Pearson coefficient.
    const Eigen::RowVectorXd mean = x.colwise().mean();
    const Eigen::MatrixXd xc = x.rowwise() - mean;
    const Eigen::VectorXd norm = xc.colwise().norm().transpose();
    std::vector<bool> available(static_cast<size_t>(p));
    for (Eigen::Index c = 0; c < p; ++c) {
        const double scale = std::abs(mean(c)) + x.col(c).cwiseAbs().maxCoeff();
        available[size_t(c)] = norm(c) > 1e-12 * scale * std::sqrt(double(n));
    }

    const double yScale = std::abs(y.mean()) + y.cwiseAbs().maxCoeff();
    if ((y.array() - y.mean()).matrix().norm() <= 1e-12 * yScale * std::sqrt(double(n)))
        throw Error("latency is constant over all " + std::to_string(n) + " networks; nothing to explain", kWhere);

    KfeResult result;
    Eigen::VectorXd target = y;
    Eigen::VectorXd beta;
    while (int(result.selected.size()) < k) {
        // Algorithm 1, lines 4-5: Pearson coefficient of each remaining feature with the target.
        const Eigen::VectorXd tc = target.array() - target.mean();
        const double tNorm = tc.norm();
        if (!(tNorm > 1e-12 * yScale * std::sqrt(double(n))))
            break; // the latency is explained exactly
        const Eigen::VectorXd cov = xc.transpose() * tc;
        int best = -1;
        double bestR = kMinPearson;
        for (Eigen::Index c = 0; c < p; ++c) {
            if (!available[size_t(c)])
                continue;
            const double r = std::abs(cov(c)) / (norm(c) * tNorm);
            if (r > bestR) { // strict: ties keep the lower column
                best = int(c);
                bestR = r;
            }
        }
        if (best < 0)
            break;
        available[size_t(best)] = false; // line 6: delete it from F_M
        result.selected.push_back(best);
        result.pearson.push_back(std::min(bestR, 1.0));

        // Line 7: least-squares fit (with intercept) of the original latency on all of K_F.
        const Eigen::Index m = Eigen::Index(result.selected.size());
        Eigen::MatrixXd a(n, m + 1);
        a.col(0).setOnes();
        for (Eigen::Index j = 0; j < m; ++j)
            a.col(j + 1) = x.col(result.selected[size_t(j)]);
        beta = a.colPivHouseholderQr().solve(y);
        target = y - a * beta; // line 8: T <- E
        result.residualTrace.push_back(std::sqrt(target.squaredNorm() / double(n)));
    }

    if (beta.size() > 0) {
        result.intercept = beta(0);
        result.coefficients.assign(beta.data() + 1, beta.data() + beta.size());
    }
    return result;
}

} // namespace sniper::features
