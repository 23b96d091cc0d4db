#pragma once

// The sniper-agent wire protocol (SPEC §9): the workbench writes a protocol file, the agent prints
// one JSON object per line on stdout (started, progress, result, unsupported, error, done).
// Shared by the agent and the workbench; nlohmann_json only, no Qt, no SQLite.

#include "runtime/measurement.h"

#include <nlohmann/json.hpp>

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace sniper::agent {

inline constexpr int kProtocolVersion = 1;
const char *agentVersion(); // "<workbench version> (protocol N)"

// What the workbench asks a run to do; written as JSON to the file given by --protocol.
struct RunRequest {
    runtime::MeasurementProtocol protocol;
    uint64_t seed = 1;
    std::map<std::string, std::vector<int64_t>> inputShapes; // model (file stem) → input shape, when known
};

nlohmann::json requestToJson(const RunRequest &r);
RunRequest requestFromJson(const nlohmann::json &j); // throws sniper::Error for a malformed request

nlohmann::json measurementToJson(const runtime::Measurement &m); // full statistics, protocol, environment
runtime::Measurement measurementFromJson(const nlohmann::json &j);

// One line of agent output.
struct AgentEvent {
    enum class Kind { Started, Progress, Result, Unsupported, Error, Done } kind = Kind::Started;
    std::string model; // file stem of the model (Progress, Result, Unsupported, Error when about a model)
    std::string platform;
    std::string message; // Error text, Unsupported reason
    int64_t index = 0, total = 0; // Progress / Started
    std::optional<runtime::Measurement> measurement; // Result, Unsupported
};

std::string eventToLine(const AgentEvent &e); // one line, no newline
// Throws sniper::Error naming the line for anything that is not a valid event.
AgentEvent eventFromLine(const std::string &line);

} // namespace sniper::agent
