#pragma once

// Private to the Training view: what its jobs take and hand back, and the epoch feed between them.

#include "predict/evaluation.h"
#include "predict/modulestudy.h"
#include "predict/predictor.h"

#include <QPointF>
#include <QString>

#include <nlohmann/json.hpp>

#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

namespace sniper::views {

class JobContext;

// Epoch losses handed from the training job to the GUI thread, which drains them with a timer.
struct EpochFeed {
    std::mutex mutex;
    std::vector<QPointF> train, valid;
    size_t drained = 0;
    bool cancel = false;
};

struct TrainInput {
    QString project;
    bool moduleStudy = false;
    std::vector<std::string> datasets, platforms;
    predict::PredictorConfig config;
    uint64_t splitSeed = 2026;
    double testFraction = 0.2;
    // Module-level study: the set's samples on one platform, every regressor.
    std::string moduleSet, studyPlatform;
    predict::modules::RegressorOptions regressor;
};

// What a training job hands to the GUI thread (immutable there).
struct TrainingRun {
    std::shared_ptr<const predict::NetworkPredictor> predictor; // network level; null when cancelled
    predict::TrainingReport report; // its training (for a reopened predictor: as stored)
    qint64 predictorId = 0; // > 0: reopened from the project
    QString predictorName;
    std::vector<predict::PredictionRow> rows;                   // the held-out split
    std::vector<predict::MetricsRow> metrics;
    nlohmann::json training;
    std::shared_ptr<const predict::modules::ModuleStudy> study; // module level; null when cancelled
    std::map<predict::modules::ModuleKind, predict::modules::RegressorKind> timeSelection, spaceSelection;
    std::string moduleSet;
    nlohmann::json studyOptions;
    QString project;
    bool cancelled = false;
};

// trainingjobs.cpp: the view's background jobs. Training (epochs fed to `feed`), a stored
// predictor reopened (its stored losses fed at once), the module-level study (runStudy +
// Algorithm 1 on the set's samples).
TrainingRun trainRun(const TrainInput &in, const std::shared_ptr<EpochFeed> &feed, JobContext &ctx);
TrainingRun reopenRun(const QString &project, qint64 id, const std::shared_ptr<EpochFeed> &feed, JobContext &ctx);
TrainingRun runModuleStudy(const TrainInput &in, const std::shared_ptr<EpochFeed> &feed, JobContext &ctx);

} // namespace sniper::views
