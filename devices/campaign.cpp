#include "campaign.h"

#include "common/error.h"
#include "database.h"
#include "measurements.h"
#include "models.h"
#include "onnx/onnximport.h"
#include "runs.h"
#include "runtime/protocol.h"
#include "runtime/runtime.h"

#include <map>
#include <memory>

namespace sniper::devices {

namespace {

nlohmann::json specToJson(const CampaignSpec &spec)
{
    return {{"models", spec.modelIds}, {"platforms", spec.platforms}, {"protocol", db::protocolToJson(spec.protocol)},
            {"seed", spec.seed}};
}

CampaignSpec specFromJson(const nlohmann::json &j)
{
    CampaignSpec s;
    s.modelIds = j.value("models", std::vector<int64_t>{});
    s.platforms = j.value("platforms", std::vector<std::string>{});
    s.protocol = db::protocolFromJson(j.value("protocol", nlohmann::json::object()));
    s.seed = j.value("seed", uint64_t(1));
    return s;
}

// The model graph at the protocol's batch size, from the stored ONNX blob.
graph::Graph loadModel(db::ModelRepository &models, const db::ModelRecord &record, int batch)
{
    db::Blob blob = models.onnx(record.id);
    if (blob.empty())
        throw Error("the model has no stored ONNX file", "model " + std::to_string(record.id) + " '" + record.name + "'");
    onnx::ImportOptions options;
    options.defaultBatch = batch;
    if (!record.inputShape.empty()) {
        graph::Shape shape = record.inputShape;
        shape[0] = batch;
        options.inputShapes[""] = shape;
    }
    return onnx::importOnnxBuffer(blob.data(), blob.size(), options, record.name);
}

// The platform row measurements refer to, with what the platform is (refreshed every run: the
// BLAS or CPU of a machine can change between runs).
void recordPlatform(db::PlatformRepository &platforms, const runtime::Runtime &rt)
{
    runtime::PlatformInfo info = rt.info();
    platforms.upsert({info.id, {{"framework", info.framework}, {"device", info.device}, {"blas", info.blas},
                                {"threads", info.threads}, {"description", info.description()}}, 0});
}

} // namespace

int64_t createCampaign(db::Database &database, const CampaignSpec &spec)
{
    if (spec.platforms.empty())
        throw Error("a campaign needs at least one platform");
    std::vector<std::unique_ptr<runtime::Runtime>> runtimes;
    for (const auto &p : spec.platforms)
        runtimes.push_back(runtime::createRuntime(p)); // throws for unknown ids, before anything is written
    db::ModelRepository models(database);
    std::vector<int64_t> ids = spec.modelIds;
    if (ids.empty())
        for (const auto &m : models.list())
            ids.push_back(m.id);
    for (int64_t id : ids)
        if (!models.find(id))
            throw Error("no model with id " + std::to_string(id) + " in the project");
    if (ids.empty())
        throw Error("the project has no models to profile");
    CampaignSpec stored = spec;
    stored.modelIds = ids;
    db::RunRepository runs(database);
    db::PlatformRepository platforms(database);
    db::Transaction tx(database);
    for (const auto &rt : runtimes)
        recordPlatform(platforms, *rt);
    int64_t runId = runs.create("profile", specToJson(stored));
    std::vector<db::RunItem> items;
    for (int64_t id : ids)
        for (const auto &p : spec.platforms)
            items.push_back({id, p, spec.protocol.batch, db::ItemState::Pending, {}});
    runs.addItems(runId, items);
    tx.commit();
    return runId;
}

CampaignResult runCampaign(db::Database &database, int64_t runId, const CampaignCallback &callback,
                           const std::atomic<bool> *cancel)
{
    db::RunRepository runs(database);
    auto run = runs.find(runId);
    if (!run || run->kind != "profile")
        throw Error("no profiling run with id " + std::to_string(runId));
    CampaignSpec spec = specFromJson(run->config);
    db::ModelRepository models(database);
    db::MeasurementRepository measurements(database);
    db::PlatformRepository platforms(database);

    CampaignResult result;
    result.runId = runId;
    std::map<std::string, std::unique_ptr<runtime::Runtime>> runtimes;
    for (const auto &p : spec.platforms) {
        runtimes[p] = runtime::createRuntime(p);
        recordPlatform(platforms, *runtimes[p]);
    }
    runs.setState(runId, db::RunState::Running);
    const db::RunProgress start = runs.progress(runId);
    int64_t done = start.total() - start.pending;
    auto emit = [&](CampaignEvent e) {
        e.runId = runId;
        e.done = done;
        e.total = start.total();
        if (callback)
            callback(e);
    };
    emit({});

    // Items grouped by model, so each model is imported once for all platforms.
    std::vector<db::RunItem> pending = runs.pendingItems(runId);
    std::optional<graph::Graph> graph;
    int64_t graphModel = -1;
    std::string graphError;
    for (const db::RunItem &item : pending) {
        if (cancel && cancel->load()) {
            result.cancelled = true;
            break;
        }
        auto record = models.find(item.modelId);
        CampaignEvent event;
        event.modelId = item.modelId;
        event.modelName = record ? record->name : std::string();
        event.platform = item.platform;
        if (measurements.exists(item.modelId, item.platform, item.batch)) {
            runs.setItemState(runId, item, db::ItemState::Skipped, "already measured");
            ++result.alreadyPresent;
            ++done;
            event.kind = CampaignEvent::Kind::Skipped;
            emit(event);
            continue;
        }
        runtime::Measurement m;
        m.platform = item.platform;
        m.protocol = spec.protocol;
        m.protocol.batch = item.batch;
        if (graphModel != item.modelId) {
            graphModel = item.modelId;
            graph.reset();
            graphError.clear();
            try {
                if (!record)
                    throw Error("the model was removed from the project");
                graph = loadModel(models, *record, item.batch);
            } catch (const std::exception &e) {
                graphError = e.what();
            }
        }
        if (graph) {
            m = runtime::measureGraph(*runtimes.at(item.platform), *graph, m.protocol, spec.seed,
                                      [cancel] { return cancel && cancel->load(); });
        } else {
            m.status = runtime::MeasurementStatus::Error;
            m.message = graphError;
        }
        if (cancel && cancel->load()) {
            result.cancelled = true; // the measurement in flight is dropped, the item stays pending
            break;
        }
        {
            db::Transaction tx(database);
            measurements.insert(item.modelId, m, db::OnConflict::Skip, runId);
            runs.setItemState(runId, item,
                              m.status == runtime::MeasurementStatus::Error ? db::ItemState::Failed : db::ItemState::Done,
                              m.message);
            tx.commit();
        }
        if (m.status == runtime::MeasurementStatus::Ok)
            ++result.measured;
        else if (m.status == runtime::MeasurementStatus::Unsupported)
            ++result.unsupported;
        else
            ++result.failed;
        ++done;
        event.kind = CampaignEvent::Kind::Result;
        event.measurement = m;
        emit(event);
    }
    runs.setState(runId, result.cancelled ? db::RunState::Cancelled : db::RunState::Finished,
                  result.cancelled ? "cancelled by the user" : "");
    CampaignEvent finished;
    finished.kind = CampaignEvent::Kind::Finished;
    emit(finished);
    return result;
}

std::optional<int64_t> unfinishedCampaign(db::Database &database)
{
    db::RunRepository runs(database);
    for (const auto &r : runs.list("profile"))
        if (r.state != db::RunState::Finished)
            return r.id;
    return std::nullopt;
}

} // namespace sniper::devices
