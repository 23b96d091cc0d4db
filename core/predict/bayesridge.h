#pragma once

// Bayesian ridge regression: evidence maximisation of MacKay (1992), a faithful port of
// scikit-learn 1.2's sklearn.linear_model.BayesianRidge (same defaults, same SVD-based updates),
// so a model fitted here gives sklearn's coef_, intercept_, alpha_ and lambda_.

#include <vector>

#include <nlohmann/json_fwd.hpp>

#include "features/kfe.h" // sniper::features::Matrix (row-major rows x cols)

namespace sniper::predict {

struct BayesianRidgeOptions {
    int maxIter = 300;   // sklearn n_iter
    double tol = 1e-3;   // stop when sum |coef - coef_old| < tol
    double alpha1 = 1e-6, alpha2 = 1e-6;   // Gamma prior on the noise precision alpha
    double lambda1 = 1e-6, lambda2 = 1e-6; // Gamma prior on the weight precision lambda
    bool fitIntercept = true;               // center X and y before the fit
};

class BayesianRidge {
public:
    // Throws sniper::Error for empty input, a size mismatch or a non-finite value.
    void fit(const features::Matrix &x, const std::vector<double> &y, const BayesianRidgeOptions &o = {});

    double predictRow(const double *row) const; // cols() values
    std::vector<double> predict(const features::Matrix &x) const;
    // sklearn predict(return_std=True): sqrt(x' Sigma x + 1/alpha), x not centered (as sklearn does).
    std::vector<double> predictStd(const features::Matrix &x) const;

    const std::vector<double> &coefficients() const { return m_coef; }
    double intercept() const { return m_intercept; }
    double alpha() const { return m_alpha; }
    double lambda() const { return m_lambda; }
    int iterations() const { return m_iterations; }
    int cols() const { return int(m_coef.size()); }
    bool fitted() const { return m_fitted; }
    // Posterior covariance of the coefficients (sklearn sigma_), row-major cols() x cols().
    const std::vector<double> &sigma() const { return m_sigma; }

    nlohmann::json toJson() const;
    static BayesianRidge fromJson(const nlohmann::json &j); // throws sniper::Error on bad json

private:
    void requireFitted(const char *where) const;
    void requireCols(const features::Matrix &x, const char *where) const;

    std::vector<double> m_coef;
    std::vector<double> m_sigma;
    double m_intercept = 0;
    double m_alpha = 0;
    double m_lambda = 0;
    int m_iterations = 0;
    bool m_fitted = false;
};

} // namespace sniper::predict
