// The Training view's jobs: training a network-level predictor (as `sniper train`), reopening a
// stored one on its held-out split, and the module-level study (SPEC §8: every regressor on
// every module of a sample set on one platform, runStudy / Table 5, then Algorithm 1).

#include "jobs.h"
#include "trainingrun.h"

#include "database.h"
#include "defaultproject.h"
#include "modulesamples.h"
#include "predict/evaluation.h"
#include "predictdata.h"
#include "predictorstore.h"

#include <cmath>

namespace sniper::views {

using namespace predict::modules;

TrainingRun trainRun(const TrainInput &in, const std::shared_ptr<EpochFeed> &feed, JobContext &ctx)
{
    db::Database project = db::openExistingProject(in.project.toStdString());
    db::LatencyQuery q;
    q.datasets = in.datasets;
    q.platforms = in.platforms;
    const db::LatencyLoad load = db::loadLatencyData(project, q);
    ctx.log(QStringLiteral("data: %1 networks x %2 platforms").arg(load.data.networkCount()).arg(load.data.platformCount()));
    TrainingRun r;
    r.project = in.project;
    const auto cancelled = [&] {
        std::lock_guard lock(feed->mutex);
        return feed->cancel || ctx.isCancelled();
    };
    const predict::Split split = predict::splitNetworks(load.data.networkCount(), in.splitSeed, 0.1, in.testFraction);
    const int total = in.config.regressor == predict::Regressor::Pcn ? in.config.pcn.epochs : 1;
    ctx.setProgress(0, total);
    auto p = predict::NetworkPredictor::train(load.data, split, in.config, [&](int epoch, double t, double v) {
        std::lock_guard lock(feed->mutex);
        const double x = double(feed->train.size() + 1);
        feed->train.emplace_back(x, t);
        feed->valid.emplace_back(x, v);
        ctx.setProgress(epoch, total);
        return !(feed->cancel || ctx.isCancelled());
    });
    if (cancelled()) {
        r.cancelled = true;
        return r;
    }
    r.training = {{"datasets", in.datasets}, {"platforms", load.data.platforms}, {"split_seed", in.splitSeed},
                  {"test_fraction", in.testFraction}, {"networks", load.data.networkCount()},
                  {"statistic", db::latencyStatisticName(q.statistic)}};
    p.setTrainingInfo(r.training);
    r.rows = predict::predictRows(p, load.data, split.test, p.config().name());
    for (auto &m : predict::summarize(r.rows))
        if (m.scope != "network")
            r.metrics.push_back(std::move(m));
    r.report = p.report();
    r.predictor = std::make_shared<const predict::NetworkPredictor>(std::move(p));
    ctx.setProgress(total, total);
    return r;
}

// A stored predictor: its training record and losses as stored, evaluated again on its held-out split.
TrainingRun reopenRun(const QString &project, qint64 id, const std::shared_ptr<EpochFeed> &feed, JobContext &ctx)
{
    ctx.setProgress(0, 2);
    db::Database d = db::openExistingProject(project.toStdString());
    const db::StoredNetworkPredictor stored = db::loadNetworkPredictor(d, id);
    ctx.setProgress(1, 2);
    TrainingRun r;
    r.project = project.isEmpty() ? QString::fromStdString(db::defaultProjectPath()) : project;
    r.predictor = stored.predictor;
    r.predictorId = stored.id;
    r.predictorName = QString::fromStdString(stored.name);
    r.training = stored.training;
    r.report = db::trainingReportFromJson(stored.training.value("report", nlohmann::json::object()));
    r.rows = db::heldOutPredictions(d, stored);
    for (auto &m : predict::summarize(r.rows))
        if (m.scope != "network")
            r.metrics.push_back(std::move(m));
    {
        std::lock_guard lock(feed->mutex);
        for (size_t i = 0; i < r.report.trainLoss.size(); ++i) {
            feed->train.emplace_back(double(i + 1), r.report.trainLoss[i]);
            feed->valid.emplace_back(double(i + 1), i < r.report.validationLoss.size() ? r.report.validationLoss[i] : NAN);
        }
    }
    ctx.setProgress(2, 2);
    return r;
}

TrainingRun runModuleStudy(const TrainInput &in, const std::shared_ptr<EpochFeed> &feed, JobContext &ctx)
{
    const std::string path = in.project.toStdString();
    std::map<ModuleKind, std::vector<ModuleSample>> samples;
    {
        db::Database project = db::openExistingProject(path);
        samples = db::ModuleSampleRepository(project).loadAll(in.moduleSet, in.studyPlatform);
    }
    if (samples.empty())
        throw std::runtime_error("module set '" + in.moduleSet + "' has no samples on " + in.studyPlatform +
                                 " (measure some with `sniper modules sample`)");
    StudyOptions so;
    so.regressor = in.regressor;
    so.splitSeed = in.splitSeed;
    const auto cancelled = [&] {
        std::lock_guard lock(feed->mutex);
        return feed->cancel || ctx.isCancelled();
    };
    TrainingRun r;
    r.project = in.project;
    r.moduleSet = in.moduleSet;
    ModuleStudy study;
    try {
        study = runStudy(in.studyPlatform, samples, so, [&](const std::string &line) { ctx.log(QString::fromStdString(line)); },
                         [&](ModuleKind, RegressorKind, int, double t, double v) {
                             std::lock_guard lock(feed->mutex);
                             const double x = double(feed->train.size() + 1);
                             feed->train.emplace_back(x, t);
                             feed->valid.emplace_back(x, v);
                             return !(feed->cancel || ctx.isCancelled());
                         });
    } catch (const std::exception &) {
        if (!cancelled())
            throw;
    }
    if (cancelled()) {
        r.cancelled = true;
        return r;
    }
    r.timeSelection = autoSelect(study.rows, SelectionOptions{0.05, 0.05, SelectionObjective::Time, false});
    r.spaceSelection = autoSelect(study.rows, SelectionOptions{0.05, 0.05, SelectionObjective::Space, false});
    r.studyOptions = optionsToJson(so.regressor);
    r.study = std::make_shared<const ModuleStudy>(std::move(study));
    return r;
}

} // namespace sniper::views
