#pragma once

// Time Spinner (Ace-Sniper Fig. 3, §IV-D): online correction of one platform's predictions
// from recent (prediction, measurement) feedback pairs. The residual r = log(measured /
// predicted) is regressed (ridge) on the few network features most Pearson-correlated with the
// residuals in the window; a corrected prediction is predicted * exp(r_hat). Keep one Time
// Spinner per platform. Feedback learning (retraining from the database) is `sniper train`.

#include <cstddef>
#include <deque>
#include <string>
#include <vector>

namespace sniper::predict {

struct TimeSpinnerOptions {
    size_t window = 50;    // most recent pairs used
    int maxFeatures = 3;   // residual regressors, picked by |Pearson r| with the residuals
    double ridge = 1.0;    // L2 penalty on the standardized feature weights
    size_t minPairs = 8;   // below this, only the mean residual (a scale factor) is applied
};

class TimeSpinner {
public:
    explicit TimeSpinner(const TimeSpinnerOptions &options = {});

    // Throws sniper::Error for a non-positive latency or a feature vector of the wrong length.
    void feedback(const std::vector<double> &features, double predictedMs, double measuredMs);
    double correct(const std::vector<double> &features, double predictedMs) const;

    size_t pairs() const { return m_window.size(); }
    std::vector<std::string> selectedFeatures() const; // features::featureTable() names
    double meanResidual() const { return m_intercept; } // log scale
    void reset();

private:
    struct Pair {
        std::vector<double> x; // transformed features
        double residual;
    };
    void refit();

    TimeSpinnerOptions m_options;
    std::deque<Pair> m_window;
    std::vector<int> m_selected;
    std::vector<double> m_mean, m_std, m_weights;
    double m_intercept = 0;
};

} // namespace sniper::predict
