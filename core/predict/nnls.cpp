#include "predict/nnls.h"

#include <Eigen/Dense>

#include <algorithm>
#include <cmath>

namespace sniper::predict {

namespace {

// Non-negative least squares (Lawson & Hanson 1974, ch. 23): min |Ax - b| subject to x >= 0.
Eigen::VectorXd nnls(const Eigen::MatrixXd &a, const Eigen::VectorXd &b)
{
    const Eigen::Index n = a.cols();
    Eigen::VectorXd x = Eigen::VectorXd::Zero(n);
    std::vector<bool> passive(size_t(n), false);
    const double tol = 1e-10 * std::max(1.0, a.cwiseAbs().maxCoeff()) * std::max(1.0, b.cwiseAbs().maxCoeff());
    auto solvePassive = [&] {
        std::vector<Eigen::Index> cols;
        for (Eigen::Index j = 0; j < n; ++j)
            if (passive[size_t(j)])
                cols.push_back(j);
        Eigen::MatrixXd sub(a.rows(), Eigen::Index(cols.size()));
        for (size_t c = 0; c < cols.size(); ++c)
            sub.col(Eigen::Index(c)) = a.col(cols[c]);
        const Eigen::VectorXd zs = sub.colPivHouseholderQr().solve(b);
        Eigen::VectorXd z = Eigen::VectorXd::Zero(n);
        for (size_t c = 0; c < cols.size(); ++c)
            z(cols[c]) = zs(Eigen::Index(c));
        return z;
    };
    for (int outer = 0; outer < 3 * int(n) + 10; ++outer) {
        const Eigen::VectorXd w = a.transpose() * (b - a * x);
        Eigen::Index t = -1;
        double best = tol;
        for (Eigen::Index j = 0; j < n; ++j)
            if (!passive[size_t(j)] && w(j) > best) {
                best = w(j);
                t = j;
            }
        if (t < 0)
            break;
        passive[size_t(t)] = true;
        for (int inner = 0; inner < 3 * int(n) + 10; ++inner) {
            const Eigen::VectorXd z = solvePassive();
            double alpha = 1;
            bool feasible = true;
            for (Eigen::Index j = 0; j < n; ++j)
                if (passive[size_t(j)] && z(j) <= 0) {
                    feasible = false;
                    const double d = x(j) - z(j);
                    if (d > 0)
                        alpha = std::min(alpha, x(j) / d);
                }
            if (feasible) {
                x = z;
                break;
            }
            x += alpha * (z - x);
            for (Eigen::Index j = 0; j < n; ++j)
                if (passive[size_t(j)] && x(j) <= 1e-15) {
                    passive[size_t(j)] = false;
                    x(j) = 0;
                }
        }
    }
    return x;
}

} // namespace

std::vector<double> generalFit(const std::vector<std::vector<double>> &rows, const std::vector<double> &target,
                               double penalty)
{
    const Eigen::Index n = Eigen::Index(rows.size()), p = rows.empty() ? 0 : Eigen::Index(rows[0].size());
    Eigen::MatrixXd a = Eigen::MatrixXd::Zero(n + p, p + 1);
    Eigen::VectorXd b = Eigen::VectorXd::Zero(n + p);
    for (Eigen::Index i = 0; i < n; ++i) { // relative least squares: row i weighted by 1 / target_i
        const double w = 1.0 / target[size_t(i)];
        for (Eigen::Index j = 0; j < p; ++j)
            a(i, j) = rows[size_t(i)][size_t(j)] * w;
        a(i, p) = w;
        b(i) = 1.0;
    }
    for (Eigen::Index j = 0; j < p; ++j)
        a(n + j, j) = std::sqrt(penalty);
    const Eigen::VectorXd w = nnls(a, b);
    return {w.data(), w.data() + w.size()};
}

} // namespace sniper::predict
