#include "remotecampaign.h"

#include "runtime/contention.h"

#include "agentprotocol.h"
#include "common/error.h"
#include "database.h"
#include "defaultproject.h"
#include "devicerepo.h"
#include "measurements.h"
#include "models.h"
#include "runs.h"
#include "sha256.h"

#include <chrono>
#include <condition_variable>
#include <deque>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <map>
#include <mutex>
#include <set>
#include <sstream>
#include <thread>

namespace sniper::devices {

namespace {

constexpr const char *kRunKind = "device-profile";

struct ModelFile {
    int64_t id = 0;
    std::string name, stem, bytes, hash;
    std::vector<int64_t> inputShape;
};

// What a worker needs: everything read from the database up front, so workers never touch it.
struct RunPlan {
    int64_t runId = 0;
    db::DeviceRecord device;
    DeviceCampaignSpec spec;
    std::vector<ModelFile> models;
    std::map<std::string, std::set<std::string>> pending; // agent platform → model file stems
    std::map<std::string, const ModelFile *> byStem;
    int64_t total = 0, done = 0;
};

struct WorkerEvent {
    enum class Kind { Connected, Deployed, Agent, Reconnecting, Finished } kind = Kind::Connected;
    size_t run = 0;
    agent::AgentEvent agent;
    std::string message;
    int64_t uploaded = 0, skipped = 0;
    bool cancelled = false;
    int reconnects = 0;
};

class EventQueue {
public:
    void push(WorkerEvent e)
    {
        {
            std::lock_guard lock(m_mutex);
            m_events.push_back(std::move(e));
        }
        m_cv.notify_one();
    }
    std::optional<WorkerEvent> pop(std::chrono::milliseconds wait)
    {
        std::unique_lock lock(m_mutex);
        if (!m_cv.wait_for(lock, wait, [&] { return !m_events.empty(); }))
            return std::nullopt;
        WorkerEvent e = std::move(m_events.front());
        m_events.pop_front();
        return e;
    }

private:
    std::mutex m_mutex;
    std::condition_variable m_cv;
    std::deque<WorkerEvent> m_events;
};

// "<id>_<name>": unique per model; the name is kept (spaces, quotes, $(...) and all — every
// command quotes it), only characters a file name cannot hold or sha256sum escapes are replaced.
std::string fileStem(int64_t id, const std::string &name)
{
    std::string stem = std::to_string(id) + "_";
    for (char c : name.substr(0, 120))
        stem += (c == '/' || c == '\0' || c == '\n' || c == '\r' || c == '\\') ? '_' : c;
    return stem;
}

constexpr const char *kTorchPlugin = "libsniper-torch-runtime.so";

std::string joinPath(const std::string &dir, const std::string &name)
{
    return dir.empty() || dir.back() == '/' ? dir + name : dir + "/" + name;
}

// The agent and, when it was built beside it, its LibTorch runtime plugin (agentruntime.h): both
// go to <work dir>/bin, where the agent looks for the plugin first.
struct AgentFiles {
    std::string agent, plugin;
};

AgentFiles readAgentFiles(const std::string &agentPath)
{
    const auto read = [](const std::string &path) {
        std::ifstream in(path, std::ios::binary);
        return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
    };
    if (!std::ifstream(agentPath, std::ios::binary))
        throw Error("cannot read the agent binary (build the sniper-agent target)", agentPath);
    AgentFiles f;
    f.agent = read(agentPath);
    const std::string plugin = joinPath(std::filesystem::path(agentPath).parent_path().string(), kTorchPlugin);
    if (std::ifstream(plugin, std::ios::binary))
        f.plugin = read(plugin);
    return f;
}

nlohmann::json specToJson(const DeviceCampaignSpec &s)
{
    return { { "device", s.device }, { "models", s.modelIds }, { "platforms", s.platforms },
        { "protocol", agent::requestToJson({ s.protocol, s.seed, {} })["protocol"] }, { "seed", s.seed } };
}

DeviceCampaignSpec specFromJson(const nlohmann::json &j)
{
    DeviceCampaignSpec s;
    s.device = j.value("device", std::string());
    s.modelIds = j.value("models", std::vector<int64_t> {});
    s.platforms = j.value("platforms", std::vector<std::string> {});
    nlohmann::json request
        = { { "version", agent::kProtocolVersion }, { "protocol", j.value("protocol", nlohmann::json::object()) } };
    s.protocol = agent::requestFromJson(request).protocol;
    s.seed = j.value("seed", uint64_t(1));
    return s;
}

db::DeviceRecord requireDevice(db::Database &database, const std::string &name)
{
    auto device = db::DeviceRepository(database).find(name);
    if (!device)
        throw Error("no device named '" + name + "' in the project (sniper device add)", database.path());
    return *device;
}

ModelFile loadModelFile(db::ModelRepository &models, int64_t id)
{
    auto record = models.find(id);
    if (!record)
        throw Error("no model with id " + std::to_string(id) + " in the project");
    db::Blob blob = models.onnx(id);
    if (blob.empty())
        throw Error(
            "the model has no stored ONNX file to deploy", "model " + std::to_string(id) + " '" + record->name + "'");
    ModelFile f;
    f.id = id;
    f.name = record->name;
    f.stem = fileStem(id, record->name);
    f.bytes.assign(reinterpret_cast<const char *>(blob.data()), blob.size());
    f.hash = db::sha256Hex(f.bytes);
    f.inputShape = record->inputShape;
    return f;
}

struct Deployed {
    int64_t uploaded = 0, skipped = 0;
};

// Agent and models by SFTP; a file whose SHA-256 is already there is not sent again.
Deployed deployFiles(
    SshSession &ssh, const std::string &workDir, const AgentFiles &agent, const std::vector<ModelFile> &models)
{
    const std::string bin = joinPath(workDir, "bin"), modelDir = joinPath(workDir, "models");
    ssh.makeDirectories(bin);
    ssh.makeDirectories(modelDir);
    ssh.makeDirectories(joinPath(workDir, "runs"));
    struct Item {
        std::string path;
        const std::string *bytes;
        std::string hash;
        int mode;
    };
    std::vector<Item> items = { { joinPath(bin, "sniper-agent"), &agent.agent, db::sha256Hex(agent.agent), 0755 } };
    if (!agent.plugin.empty())
        items.push_back({ joinPath(bin, kTorchPlugin), &agent.plugin, db::sha256Hex(agent.plugin), 0644 });
    for (const auto &m : models)
        items.push_back({ joinPath(modelDir, m.stem + ".onnx"), &m.bytes, m.hash, 0644 });
    Deployed d;
    constexpr size_t kChunk = 200; // keeps each sha256sum command line short
    for (size_t start = 0; start < items.size(); start += kChunk) {
        std::vector<std::string> paths;
        for (size_t i = start; i < std::min(items.size(), start + kChunk); ++i)
            paths.push_back(items[i].path);
        std::vector<std::string> hashes = ssh.remoteHashes(paths);
        for (size_t i = 0; i < paths.size(); ++i) {
            const Item &item = items[start + i];
            if (hashes[i] == item.hash) {
                ++d.skipped;
                continue;
            }
            ssh.upload(item.path, *item.bytes, item.mode);
            ++d.uploaded;
        }
    }
    return d;
}

// One worker thread: its own SSH session, reconnecting after a drop; results go to the queue.
void runWorker(size_t index, const RunPlan &plan, const DeviceRunOptions &options, const AgentFiles &agentFiles,
    EventQueue &queue, const std::atomic<bool> &stop)
{
    std::map<std::string, std::set<std::string>> remaining = plan.pending;
    const std::string workDir = plan.device.workDir;
    const std::string agentPath = joinPath(joinPath(workDir, "bin"), "sniper-agent");
    const std::string modelDir = joinPath(workDir, "models");
    const std::string runPrefix = joinPath(joinPath(workDir, "runs"), std::to_string(plan.runId));
    agent::RunRequest request { plan.spec.protocol, plan.spec.seed, {} };
    request.protocol.gate = request.protocol.gate && !runtime::gateDisabledByEnvironment();
    for (const auto &m : plan.models)
        if (!m.inputShape.empty())
            request.inputShapes[m.stem] = m.inputShape;

    WorkerEvent finished;
    finished.kind = WorkerEvent::Kind::Finished;
    finished.run = index;
    int reconnects = 0;
    while (true) {
        try {
            SshSession ssh(deviceTarget(plan.device, options.knownHostsFile, options.timeoutSeconds),
                { std::string(), options.secret });
            queue.push({ WorkerEvent::Kind::Connected, index, {}, ssh.where(), 0, 0, false, reconnects });
            Deployed d = deployFiles(ssh, workDir, agentFiles, plan.models);
            queue.push({ WorkerEvent::Kind::Deployed, index, {}, {}, d.uploaded, d.skipped, false, reconnects });
            ssh.upload(runPrefix + ".json", agent::requestToJson(request).dump());
            std::set<std::string> present;
            for (const auto &name : ssh.listDirectory(modelDir))
                if (name.size() > 5 && name.compare(name.size() - 5, 5, ".onnx") == 0)
                    present.insert(name.substr(0, name.size() - 5));
            for (size_t p = 0; p < plan.spec.platforms.size(); ++p) {
                const std::string &platform = plan.spec.platforms[p];
                std::set<std::string> &todo = remaining[platform];
                if (todo.empty())
                    continue;
                // Everything in the shared model folder that this run does not (or no longer) need.
                std::string doneList;
                for (const auto &stem : present)
                    if (!todo.count(stem))
                        doneList += stem + "\n";
                const std::string doneFile = runPrefix + "-" + std::to_string(p) + ".done";
                ssh.upload(doneFile, doneList);
                std::string protocolError;
                ExecResult r = ssh.exec(
                    { agentPath, "run", "--models", modelDir, "--platform", platform, "--protocol", runPrefix + ".json",
                        "--done", doneFile },
                    [&](const std::string &line) {
                        agent::AgentEvent e;
                        try {
                            e = agent::eventFromLine(line);
                        } catch (const std::exception &ex) {
                            protocolError = ex.what();
                            return;
                        }
                        if (e.kind == agent::AgentEvent::Kind::Progress || e.kind == agent::AgentEvent::Kind::Done)
                            return;
                        if (!e.model.empty() && !todo.erase(e.model))
                            return; // not asked for, or already delivered
                        e.platform = platform;
                        queue.push({ WorkerEvent::Kind::Agent, index, e, {}, 0, 0, false, reconnects });
                    },
                    &stop);
                if (stop.load()) {
                    finished.cancelled = true;
                    queue.push(finished);
                    return;
                }
                if (r.exitStatus != 0)
                    throw Error("the agent failed on " + platform + " (exit status " + std::to_string(r.exitStatus)
                            + "): " + (r.err.empty() ? protocolError : r.err.substr(0, 2000)),
                        ssh.where());
                if (!todo.empty())
                    throw Error("the agent gave no result for " + std::to_string(todo.size()) + " model(s) on "
                            + platform + (protocolError.empty() ? "" : " (" + protocolError + ")"),
                        ssh.where());
            }
            queue.push(finished);
            return;
        } catch (const ConnectionLostError &e) {
            if (stop.load()) {
                finished.cancelled = true;
                queue.push(finished);
                return;
            }
            if (++reconnects > options.maxReconnects) {
                finished.message = std::string(e.what()) + " (gave up after " + std::to_string(options.maxReconnects)
                    + " reconnects; the run can be resumed)";
                queue.push(finished);
                return;
            }
            queue.push({ WorkerEvent::Kind::Reconnecting, index, {}, e.what(), 0, 0, false, reconnects });
            for (int i = 0; i < 10 && !stop.load(); ++i)
                std::this_thread::sleep_for(std::chrono::milliseconds(100));
        } catch (const std::exception &e) {
            finished.message = e.what();
            finished.cancelled = stop.load();
            queue.push(finished);
            return;
        }
    }
}

RunPlan planRun(db::Database &database, int64_t runId)
{
    db::RunRepository runs(database);
    auto run = runs.find(runId);
    if (!run || run->kind != kRunKind)
        throw Error("no device profiling run with id " + std::to_string(runId), database.path());
    RunPlan plan;
    plan.runId = runId;
    plan.spec = specFromJson(run->config);
    plan.device = requireDevice(database, plan.spec.device);
    db::ModelRepository models(database);
    db::MeasurementRepository measurements(database);
    std::map<std::string, std::string> agentPlatform; // stored id → agent id
    for (const auto &p : plan.spec.platforms)
        agentPlatform[remotePlatformId(plan.device.name, p)] = p;
    std::set<int64_t> needed;
    std::vector<db::RunItem> pending;
    for (const auto &item : runs.pendingItems(runId)) {
        if (measurements.exists(item.modelId, item.platform, item.batch)) {
            runs.setItemState(runId, item, db::ItemState::Skipped, "already measured");
            continue;
        }
        pending.push_back(item);
        needed.insert(item.modelId);
    }
    for (int64_t id : needed)
        plan.models.push_back(loadModelFile(models, id));
    for (const auto &m : plan.models)
        plan.byStem[m.stem] = &m;
    for (const auto &item : pending)
        plan.pending[agentPlatform.at(item.platform)].insert(fileStem(item.modelId, models.find(item.modelId)->name));
    const db::RunProgress progress = runs.progress(runId);
    plan.total = progress.total();
    plan.done = progress.total() - progress.pending;
    return plan;
}

} // namespace

std::string remotePlatformId(const std::string &device, const std::string &agentPlatform)
{
    return "ssh:" + device + ":" + agentPlatform;
}

SshTarget deviceTarget(const db::DeviceRecord &device, const std::string &knownHostsFile, int timeoutSeconds)
{
    SshTarget t;
    t.host = device.host;
    t.port = device.port;
    t.user = device.user;
    t.auth = parseAuthKind(device.auth).value_or(AuthKind::KeyFile);
    t.keyFile = device.keyFile;
    t.knownHostsFile = knownHostsFile;
    t.timeoutSeconds = timeoutSeconds;
    return t;
}

int64_t createDeviceCampaign(db::Database &database, const DeviceCampaignSpec &spec)
{
    db::DeviceRecord device = requireDevice(database, spec.device);
    DeviceCampaignSpec stored = spec;
    if (stored.platforms.empty())
        stored.platforms = device.platforms;
    if (stored.platforms.empty())
        throw Error("device '" + device.name
            + "' has no platforms: give --platforms or set them (sniper device test lists them)");
    db::ModelRepository models(database);
    if (stored.modelIds.empty())
        for (const auto &m : models.list())
            stored.modelIds.push_back(m.id);
    if (stored.modelIds.empty())
        throw Error("the project has no models to profile");
    for (int64_t id : stored.modelIds)
        if (!models.find(id))
            throw Error("no model with id " + std::to_string(id) + " in the project");
    db::RunRepository runs(database);
    db::PlatformRepository platforms(database);
    db::Transaction tx(database);
    for (const auto &p : stored.platforms)
        platforms.ensure({ remotePlatformId(device.name, p),
            { { "device", device.name }, { "host", device.host }, { "agentPlatform", p } }, 0 });
    int64_t runId = runs.create(kRunKind, specToJson(stored));
    std::vector<db::RunItem> items;
    for (int64_t id : stored.modelIds)
        for (const auto &p : stored.platforms)
            items.push_back(
                { id, remotePlatformId(device.name, p), stored.protocol.batch, db::ItemState::Pending, {} });
    runs.addItems(runId, items);
    tx.commit();
    return runId;
}

std::vector<DeviceCampaignResult> runDeviceCampaigns(db::Database &database, const std::vector<int64_t> &runIds,
    const DeviceRunOptions &options, const DeviceCampaignCallback &callback, const std::atomic<bool> *cancel)
{
    std::vector<RunPlan> plans;
    for (int64_t id : runIds)
        plans.push_back(planRun(database, id));
    const AgentFiles agentFiles = readAgentFiles(options.agentBinary);
    db::RunRepository runs(database);
    db::MeasurementRepository measurements(database);
    db::PlatformRepository platforms(database);
    std::vector<DeviceCampaignResult> results(plans.size());
    for (size_t i = 0; i < plans.size(); ++i) {
        results[i].runId = plans[i].runId;
        results[i].device = plans[i].device.name;
        runs.setState(plans[i].runId, db::RunState::Running);
    }

    EventQueue queue;
    std::atomic<bool> stop { false };
    std::vector<std::thread> workers;
    for (size_t i = 0; i < plans.size(); ++i)
        workers.emplace_back(runWorker, i, std::cref(plans[i]), std::cref(options), std::cref(agentFiles),
            std::ref(queue), std::cref(stop));
    struct Joiner { // workers end (stop is set) before anything they reference goes away
        std::vector<std::thread> &threads;
        std::atomic<bool> &stop;
        ~Joiner()
        {
            stop = true;
            for (auto &t : threads)
                t.join();
        }
    } joiner { workers, stop };

    size_t running = plans.size();
    while (running > 0) {
        if (cancel && cancel->load())
            stop = true;
        auto next = queue.pop(std::chrono::milliseconds(100));
        if (!next)
            continue;
        RunPlan &plan = plans[next->run];
        DeviceCampaignResult &result = results[next->run];
        DeviceCampaignEvent event;
        event.runId = plan.runId;
        event.device = plan.device.name;
        event.message = next->message;
        result.reconnects = std::max(result.reconnects, next->reconnects);
        switch (next->kind) {
        case WorkerEvent::Kind::Connected:
            event.kind = DeviceCampaignEvent::Kind::Connected;
            break;
        case WorkerEvent::Kind::Deployed:
            event.kind = DeviceCampaignEvent::Kind::Deployed;
            result.uploaded += next->uploaded;
            result.uploadSkipped += next->skipped;
            break;
        case WorkerEvent::Kind::Reconnecting:
            event.kind = DeviceCampaignEvent::Kind::Reconnecting;
            break;
        case WorkerEvent::Kind::Finished: {
            --running;
            event.kind = DeviceCampaignEvent::Kind::Finished;
            result.cancelled = next->cancelled || stop.load();
            result.error = result.cancelled ? std::string() : next->message;
            const bool complete = runs.progress(plan.runId).pending == 0;
            runs.setState(plan.runId,
                complete               ? db::RunState::Finished
                    : result.cancelled ? db::RunState::Cancelled
                                       : db::RunState::Failed,
                complete               ? ""
                    : result.cancelled ? "cancelled by the user"
                                       : result.error);
            break;
        }
        case WorkerEvent::Kind::Agent: {
            const agent::AgentEvent &a = next->agent;
            const std::string platformId = remotePlatformId(plan.device.name, a.platform);
            if (a.kind == agent::AgentEvent::Kind::Started) {
                platforms.upsert({ platformId,
                    { { "device", plan.device.name }, { "host", plan.device.host }, { "agentPlatform", a.platform },
                        { "description", a.message } },
                    0 });
                continue;
            }
            auto file = plan.byStem.find(a.model);
            if (file == plan.byStem.end())
                continue; // an agent-level error without a model ends with the exit status
            runtime::Measurement m;
            if (a.measurement)
                m = *a.measurement;
            else {
                m.status = runtime::MeasurementStatus::Error;
                m.message = a.message;
                m.protocol = plan.spec.protocol;
            }
            m.platform = platformId;
            m.protocol.batch = plan.spec.protocol.batch;
            const db::RunItem item { file->second->id, platformId, plan.spec.protocol.batch, db::ItemState::Pending,
                {} };
            bool inserted = false;
            {
                db::Transaction tx(database);
                inserted = measurements.insert(item.modelId, m, db::OnConflict::Skip, plan.runId);
                runs.setItemState(plan.runId, item,
                    m.status == runtime::MeasurementStatus::Error ? db::ItemState::Failed : db::ItemState::Done,
                    m.message);
                tx.commit();
            }
            if (!inserted)
                ++result.alreadyPresent;
            else if (m.status == runtime::MeasurementStatus::Ok)
                ++result.measured;
            else if (m.status == runtime::MeasurementStatus::Unsupported)
                ++result.unsupported;
            else
                ++result.failed;
            ++plan.done;
            event.kind = DeviceCampaignEvent::Kind::Result;
            event.modelId = item.modelId;
            event.modelName = file->second->name;
            event.platform = platformId;
            event.measurement = m;
            break;
        }
        }
        event.done = plan.done;
        event.total = plan.total;
        if (callback)
            callback(event);
    }
    return results;
}

std::pair<int64_t, int64_t> deployToDevice(db::Database &database, const std::string &deviceName,
    const std::vector<int64_t> &modelIds, const DeviceRunOptions &options)
{
    db::DeviceRecord device = requireDevice(database, deviceName);
    db::ModelRepository models(database);
    std::vector<ModelFile> files;
    for (int64_t id : modelIds)
        files.push_back(loadModelFile(models, id));
    const AgentFiles agentFiles = readAgentFiles(options.agentBinary);
    SshSession ssh(
        deviceTarget(device, options.knownHostsFile, options.timeoutSeconds), { std::string(), options.secret });
    Deployed d = deployFiles(ssh, device.workDir, agentFiles, files);
    return { d.uploaded, d.skipped };
}

std::optional<int64_t> unfinishedDeviceCampaign(db::Database &database)
{
    db::RunRepository runs(database);
    for (const auto &r : runs.list(kRunKind))
        if (r.state != db::RunState::Finished)
            return r.id;
    return std::nullopt;
}

std::string defaultKnownHostsFile()
{
    return (std::filesystem::path(db::defaultProjectPath()).parent_path() / "known_hosts").string();
}

DeviceProbe testDevice(
    const db::DeviceRecord &device, const std::string &knownHostsFile, const SecretFn &secret, int timeoutSeconds)
{
    SshSession s(deviceTarget(device, knownHostsFile, timeoutSeconds), { std::string(), secret });
    DeviceProbe probe;
    probe.where = s.where();
    probe.fingerprint = s.hostKeyFingerprint();
    auto r = s.exec({ device.workDir + "/bin/sniper-agent", "platforms" });
    if (r.exitStatus != 0)
        return probe;
    probe.agentFound = true;
    probe.platformsOutput = r.out;
    std::istringstream lines(r.out);
    for (std::string line; std::getline(lines, line);) {
        auto j = nlohmann::json::parse(line, nullptr, false);
        if (j.is_object() && j.contains("id") && j["id"].is_string())
            probe.platforms.push_back(j["id"].get<std::string>());
    }
    return probe;
}

std::string trustDevice(const db::DeviceRecord &device, const std::string &knownHostsFile,
    const std::string &fingerprint, const SecretFn &secret, int timeoutSeconds)
{
    const auto parent = std::filesystem::path(knownHostsFile).parent_path();
    if (!parent.empty())
        std::filesystem::create_directories(parent);
    SshSession s(deviceTarget(device, knownHostsFile, timeoutSeconds), { fingerprint, secret });
    return s.hostKeyFingerprint();
}

} // namespace sniper::devices
