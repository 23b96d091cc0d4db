#include "predict/timespinner.h"

#include "common/error.h"
#include "predict/transform.h"
#include "features/features.h"

#include <Eigen/Dense>

#include <algorithm>
#include <cmath>

namespace sniper::predict {

namespace {


std::vector<double> transformed(const std::vector<double> &f)
{
    if (f.size() != features::featureTable().size())
        throw Error(std::to_string(f.size()) + " features, expected " + std::to_string(features::featureTable().size()),
                    "Time Spinner");
    std::vector<double> x(f.size());
    for (size_t i = 0; i < f.size(); ++i) {
        if (!std::isfinite(f[i]))
            throw Error(std::string("feature ") + features::featureTable()[i].name + " is not finite", "Time Spinner");
        x[i] = signedLog1p(f[i]);
    }
    return x;
}

} // namespace

TimeSpinner::TimeSpinner(const TimeSpinnerOptions &options) : m_options(options)
{
    if (options.window < 2 || options.maxFeatures < 0 || options.ridge < 0)
        throw Error("window must be at least 2, maxFeatures and ridge non-negative", "Time Spinner options");
}

void TimeSpinner::feedback(const std::vector<double> &features, double predictedMs, double measuredMs)
{
    if (!(predictedMs > 0) || !(measuredMs > 0) || !std::isfinite(predictedMs) || !std::isfinite(measuredMs))
        throw Error("predicted and measured latencies must be positive", "Time Spinner feedback");
    m_window.push_back({transformed(features), std::log(measuredMs / predictedMs)});
    while (m_window.size() > m_options.window)
        m_window.pop_front();
    refit();
}

void TimeSpinner::refit()
{
    const size_t n = m_window.size();
    double mean = 0;
    for (const auto &p : m_window)
        mean += p.residual / double(n);
    m_intercept = mean;
    m_selected.clear();
    m_weights.clear();
    if (n < m_options.minPairs || m_options.maxFeatures == 0)
        return;
    // Pearson |r| of every non-constant feature with the residuals in the window.
    const size_t width = m_window.front().x.size();
    std::vector<std::pair<double, int>> scored;
    std::vector<double> fm(width, 0.0), fs(width, 0.0);
    double rs = 0;
    for (const auto &p : m_window)
        rs += (p.residual - mean) * (p.residual - mean);
    for (size_t f = 0; f < width; ++f) {
        for (const auto &p : m_window)
            fm[f] += p.x[f] / double(n);
        double cov = 0;
        for (const auto &p : m_window) {
            fs[f] += (p.x[f] - fm[f]) * (p.x[f] - fm[f]);
            cov += (p.x[f] - fm[f]) * (p.residual - mean);
        }
        if (fs[f] > 1e-12 && rs > 1e-18)
            scored.push_back({std::abs(cov) / std::sqrt(fs[f] * rs), int(f)});
    }
    std::sort(scored.begin(), scored.end(), [](const auto &a, const auto &b) {
        return a.first > b.first || (a.first == b.first && a.second < b.second);
    });
    for (size_t i = 0; i < scored.size() && int(i) < m_options.maxFeatures; ++i)
        m_selected.push_back(scored[i].second);
    if (m_selected.empty())
        return;
    // Ridge on the standardized selected features (intercept unpenalized: centered data).
    const Eigen::Index k = Eigen::Index(m_selected.size());
    m_mean.assign(m_selected.size(), 0);
    m_std.assign(m_selected.size(), 1);
    Eigen::MatrixXd x(static_cast<Eigen::Index>(n), k);
    Eigen::VectorXd y(static_cast<Eigen::Index>(n));
    for (Eigen::Index j = 0; j < k; ++j) {
        const int f = m_selected[size_t(j)];
        m_mean[size_t(j)] = fm[size_t(f)];
        m_std[size_t(j)] = std::sqrt(fs[size_t(f)] / double(n));
    }
    Eigen::Index i = 0;
    for (const auto &p : m_window) {
        for (Eigen::Index j = 0; j < k; ++j)
            x(i, j) = (p.x[size_t(m_selected[size_t(j)])] - m_mean[size_t(j)]) / m_std[size_t(j)];
        y(i) = p.residual - mean;
        ++i;
    }
    Eigen::MatrixXd a = x.transpose() * x;
    a.diagonal().array() += m_options.ridge;
    const Eigen::VectorXd w = a.ldlt().solve(x.transpose() * y);
    m_weights.assign(w.data(), w.data() + w.size());
}

double TimeSpinner::correct(const std::vector<double> &features, double predictedMs) const
{
    if (m_window.empty())
        return predictedMs;
    double r = m_intercept;
    if (!m_selected.empty()) {
        const auto x = transformed(features);
        for (size_t j = 0; j < m_selected.size(); ++j)
            r += m_weights[j] * (x[size_t(m_selected[j])] - m_mean[j]) / m_std[j];
    }
    return predictedMs * std::exp(r);
}

std::vector<std::string> TimeSpinner::selectedFeatures() const
{
    std::vector<std::string> out;
    for (int f : m_selected)
        out.emplace_back(features::featureTable()[size_t(f)].name);
    return out;
}

void TimeSpinner::reset()
{
    m_window.clear();
    m_selected.clear();
    m_weights.clear();
    m_intercept = 0;
}

} // namespace sniper::predict
