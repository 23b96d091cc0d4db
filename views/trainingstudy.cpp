// The Training view's module-level study job (SPEC §8): every regressor on every module of a
// sample set on one platform (runStudy, Table 5), then Algorithm 1's auto-selection.

#include "jobs.h"
#include "trainingrun.h"

#include "database.h"
#include "defaultproject.h"
#include "modulesamples.h"


namespace sniper::views {

using namespace predict::modules;

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
