#pragma once

// Profiling campaigns on remote boards (SPEC §9): deploy sniper-agent and the models by SFTP
// (skipping files whose hash is already there), run the agent per platform, and commit each
// result to the project database in its own transaction as its line arrives. A dropped
// connection reconnects and goes on; a restarted runner measures only what is still pending;
// (model, platform, batch) is stored exactly once. Several devices run in parallel, one SSH
// session per worker thread; the database is written by the calling thread only.

#include "runtime/measurement.h"
#include "ssh.h"

#include <atomic>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace sniper::db {
class Database;
struct DeviceRecord;
} // namespace sniper::db

namespace sniper::devices {

// The platform id a remote measurement is stored under: "ssh:<device>:<agent platform>".
std::string remotePlatformId(const std::string &device, const std::string &agentPlatform);

// The workbench's own known_hosts: `known_hosts` next to the default project (CLI and GUI).
std::string defaultKnownHostsFile();

// How a stored device is reached: the record plus the workbench's known_hosts file.
SshTarget deviceTarget(const db::DeviceRecord &device, const std::string &knownHostsFile, int timeoutSeconds = 10);

struct DeviceCampaignSpec {
    std::string device; // device name in the project
    std::vector<int64_t> modelIds; // empty: every model with a stored ONNX file
    std::vector<std::string> platforms; // agent platform ids; empty: the device's platforms
    runtime::MeasurementProtocol protocol;
    uint64_t seed = 1;
};

// Plans a run (kind "device-profile") with one item per (model, platform); returns its id.
int64_t createDeviceCampaign(db::Database &db, const DeviceCampaignSpec &spec);

struct DeviceRunOptions {
    std::string knownHostsFile; // the workbench's own known_hosts
    std::string agentBinary; // the local sniper-agent to deploy (built for the board)
    SecretFn secret; // asked for a passphrase or password when needed; never stored
    int timeoutSeconds = 10;
    int maxReconnects = 3; // per run, after a dropped connection
};

struct DeviceCampaignEvent {
    enum class Kind { Connected, Deployed, Result, Reconnecting, Finished } kind = Kind::Connected;
    int64_t runId = 0;
    std::string device;
    int64_t done = 0, total = 0;
    int64_t modelId = 0;
    std::string modelName, platform, message;
    std::optional<runtime::Measurement> measurement; // Result, after its commit
};
using DeviceCampaignCallback = std::function<void(const DeviceCampaignEvent &)>;

struct DeviceCampaignResult {
    int64_t runId = 0;
    std::string device;
    int64_t measured = 0, unsupported = 0, failed = 0;
    int64_t alreadyPresent = 0; // results the database already had (not stored twice)
    int64_t uploaded = 0, uploadSkipped = 0; // deployed files; skipped: the same hash was there
    int reconnects = 0;
    bool cancelled = false;
    std::string error; // why the run stopped early (it stays resumable); empty when it finished
};

// Runs the campaigns (one worker thread and SSH session per run) and returns one result per run,
// in order. Throws sniper::Error only for unknown runs or devices; connection, trust and
// authentication problems end that run with `error` set and leave its items pending.
std::vector<DeviceCampaignResult> runDeviceCampaigns(db::Database &db, const std::vector<int64_t> &runIds,
    const DeviceRunOptions &options, const DeviceCampaignCallback &callback = {},
    const std::atomic<bool> *cancel = nullptr);

// Uploads the agent and the given models to the device (hash-checked); returns {uploaded, skipped}.
std::pair<int64_t, int64_t> deployToDevice(
    db::Database &db, const std::string &device, const std::vector<int64_t> &modelIds, const DeviceRunOptions &options);

// "Test a device" (`sniper device test`, the Devices view): connects (host key check,
// authentication) and runs `<work dir>/bin/sniper-agent platforms`. Throws what SshSession throws.
struct DeviceProbe {
    std::string where, fingerprint; // "user@host:port", the host key's SHA256 fingerprint
    bool agentFound = false; // false: no working agent deployed yet
    std::vector<std::string> platforms; // the agent's platform ids
    std::string platformsOutput; // its JSON lines as printed
};
DeviceProbe testDevice(const db::DeviceRecord &device, const std::string &knownHostsFile, const SecretFn &secret,
    int timeoutSeconds = 10);

// "Trust a device" (`sniper device trust`): connects accepting exactly `fingerprint` (empty: only a
// key already recorded), which records it in knownHostsFile (its folder is created); returns the
// host key's fingerprint. Throws HostKeyUnknownError when the host presents another key.
std::string trustDevice(const db::DeviceRecord &device, const std::string &knownHostsFile,
    const std::string &fingerprint, const SecretFn &secret, int timeoutSeconds = 10);

// The newest device run that did not finish, if any.
std::optional<int64_t> unfinishedDeviceCampaign(db::Database &db);

} // namespace sniper::devices
