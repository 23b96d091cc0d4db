#include "campaign.h"

#include "common/error.h"
#include "database.h"
#include "measurements.h"
#include "models.h"
#include "onnx/onnximport.h"
#include "runs.h"
#include "runtime/protocol.h"
#include "runtime/retryqueue.h"
#include "runtime/runtime.h"

#include <algorithm>
#include <map>
#include <memory>

namespace sniper::devices {

namespace {

nlohmann::json specToJson(const CampaignSpec &spec)
{
    return {{"models", spec.modelIds}, {"platforms", spec.platforms}, {"protocol", db::protocolToJson(spec.protocol)},
            {"seed", spec.seed}, {"remeasure", spec.remeasure}, {"refine", spec.refine}};
}

CampaignSpec specFromJson(const nlohmann::json &j)
{
    CampaignSpec s;
    s.modelIds = j.value("models", std::vector<int64_t>{});
    s.platforms = j.value("platforms", std::vector<std::string>{});
    s.protocol = db::protocolFromJson(j.value("protocol", nlohmann::json::object()));
    s.seed = j.value("seed", uint64_t(1));
    s.remeasure = j.value("remeasure", false);
    s.refine = j.value("refine", false);
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

    // One contention probe per platform, calibrated before the first measurement and merged with
    // the fastest baseline this machine remembers for it.
    std::map<std::string, std::unique_ptr<runtime::ContentionProbe>> probes;
    if (spec.protocol.gate && !runtime::gateDisabledByEnvironment())
        for (const auto &p : spec.platforms)
            if (auto probe = runtime::calibratedProbe(*runtimes[p], p)) // else measured ungated
                probes[p] = std::move(probe);

    // Pending items in model order, each model's platforms rotated by its position, so neither a
    // platform nor a model always comes first after a pause; deferred items come back later.
    std::vector<db::RunItem> pending = runs.pendingItems(runId);
    {
        std::map<int64_t, size_t> position;
        for (const auto &item : pending)
            position.emplace(item.modelId, position.size());
        std::map<std::string, size_t> platformIndex;
        for (size_t i = 0; i < spec.platforms.size(); ++i)
            platformIndex[spec.platforms[i]] = i;
        const size_t P = std::max<size_t>(1, spec.platforms.size());
        std::stable_sort(pending.begin(), pending.end(), [&](const db::RunItem &a, const db::RunItem &b) {
            const size_t pa = position[a.modelId], pb = position[b.modelId];
            if (pa != pb)
                return pa < pb;
            return (platformIndex[a.platform] + P - pa % P) % P < (platformIndex[b.platform] + P - pb % P) % P;
        });
    }
    runtime::RetryQueue<db::RunItem> queue(spec.protocol);
    for (const auto &item : pending)
        queue.push(item);
    const auto isCancelled = [cancel] { return cancel && cancel->load(); };
    std::optional<graph::Graph> graph;
    int64_t graphModel = -1;
    std::string graphError;
    while (!queue.empty()) {
        if (isCancelled()) {
            result.cancelled = true;
            break;
        }
        auto entry = queue.next(isCancelled);
        if (!entry) {
            result.cancelled = true;
            break;
        }
        const db::RunItem item = entry->item;
        auto record = models.find(item.modelId);
        CampaignEvent event;
        event.modelId = item.modelId;
        event.modelName = record ? record->name : std::string();
        event.platform = item.platform;
        if (!spec.remeasure && measurements.exists(item.modelId, item.platform, item.batch)) {
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
            auto probe = probes.find(item.platform);
            m = runtime::measureGraph(*runtimes.at(item.platform), *graph, m.protocol, spec.seed, isCancelled,
                                      probe == probes.end() ? nullptr : probe->second.get());
        } else {
            m.status = runtime::MeasurementStatus::Error;
            m.message = graphError;
        }
        if (isCancelled()) {
            result.cancelled = true; // the measurement in flight is dropped, the item stays pending
            break;
        }
        const auto settled = queue.settle(*entry, m);
        if (settled == runtime::RetryQueue<db::RunItem>::Settled::NextRound)
            continue; // clean; its next round comes after other items (the value is stored after the last)
        if (settled == runtime::RetryQueue<db::RunItem>::Settled::Retry) {
            ++result.deferrals;
            event.kind = CampaignEvent::Kind::Deferred;
            event.measurement = m;
            emit(event);
            continue;
        }
        {
            db::Transaction tx(database);
            const auto onConflict = !spec.remeasure ? db::OnConflict::Skip
                                    : spec.refine   ? db::OnConflict::KeepFastest
                                                    : db::OnConflict::Replace;
            measurements.insert(item.modelId, m, onConflict, runId);
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
        result.contended += m.evidence.contended;
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
