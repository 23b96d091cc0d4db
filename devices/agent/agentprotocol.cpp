#include "agentprotocol.h"

#include "common/error.h"

#include <cmath>

namespace sniper::agent {

namespace {

using runtime::MeasurementStatus;

const char *kindName(AgentEvent::Kind k)
{
    switch (k) {
    case AgentEvent::Kind::Started:
        return "started";
    case AgentEvent::Kind::Progress:
        return "progress";
    case AgentEvent::Kind::Result:
        return "result";
    case AgentEvent::Kind::Unsupported:
        return "unsupported";
    case AgentEvent::Kind::Error:
        return "error";
    case AgentEvent::Kind::Done:
        return "done";
    }
    return "error";
}

// NaN (unknown) is written as null and read back as NaN.
nlohmann::json number(double v)
{
    return std::isnan(v) ? nlohmann::json() : nlohmann::json(v);
}
double numberOr(const nlohmann::json &j, const char *key, double fallback)
{
    auto it = j.find(key);
    return it == j.end() || !it->is_number() ? fallback : it->get<double>();
}

const char *statusText(MeasurementStatus s)
{
    return s == MeasurementStatus::Ok ? "ok" : s == MeasurementStatus::Unsupported ? "unsupported" : "error";
}

} // namespace

const char *agentVersion()
{
    return SNIPER_AGENT_VERSION " (protocol 1)";
}

static nlohmann::json protocolJson(const runtime::MeasurementProtocol &p)
{
    return { { "batch", p.batch }, { "warmupRuns", p.warmupRuns }, { "minRuns", p.minRuns }, { "maxRuns", p.maxRuns },
        { "maxSeconds", p.maxSeconds }, { "targetRelativeHalfWidth", p.targetRelativeHalfWidth }, { "minSeconds", p.minSeconds }, { "gate", p.gate },
        { "gateThreshold", p.gateThreshold }, { "gateMedianThreshold", p.gateMedianThreshold }, { "maxRetries", p.maxRetries }, { "retryCapSeconds", p.retryCapSeconds },
        { "rounds", p.rounds }, { "maxRounds", p.maxRounds }, { "roundAgreement", p.roundAgreement }, { "roundGapSeconds", p.roundGapSeconds } };
}

static runtime::MeasurementProtocol protocolFrom(const nlohmann::json &j)
{
    runtime::MeasurementProtocol p;
    p.batch = j.value("batch", p.batch);
    p.warmupRuns = j.value("warmupRuns", p.warmupRuns);
    p.minRuns = j.value("minRuns", p.minRuns);
    p.maxRuns = j.value("maxRuns", p.maxRuns);
    p.maxSeconds = j.value("maxSeconds", p.maxSeconds);
    p.targetRelativeHalfWidth = j.value("targetRelativeHalfWidth", p.targetRelativeHalfWidth);
    p.minSeconds = j.value("minSeconds", 0.0); // an older workbench sends neither
    p.gate = j.value("gate", false);
    p.gateThreshold = j.value("gateThreshold", p.gateThreshold);
    p.gateMedianThreshold = j.value("gateMedianThreshold", p.gateMedianThreshold);
    p.maxRetries = j.value("maxRetries", p.maxRetries);
    p.retryCapSeconds = j.value("retryCapSeconds", p.retryCapSeconds);
    p.rounds = j.value("rounds", 1); // an older workbench measures in one round
    p.maxRounds = j.value("maxRounds", p.rounds);
    p.roundAgreement = j.value("roundAgreement", p.roundAgreement);
    p.roundGapSeconds = j.value("roundGapSeconds", p.roundGapSeconds);
    return p;
}

nlohmann::json requestToJson(const RunRequest &r)
{
    return { { "version", kProtocolVersion }, { "protocol", protocolJson(r.protocol) }, { "seed", r.seed },
        { "inputShapes", r.inputShapes } };
}

RunRequest requestFromJson(const nlohmann::json &j)
{
    try {
        RunRequest r;
        if (j.value("version", 0) != kProtocolVersion)
            throw Error("unsupported protocol version " + j.value("version", nlohmann::json()).dump()
                + " (this agent speaks " + std::to_string(kProtocolVersion) + ")");
        r.protocol = protocolFrom(j.value("protocol", nlohmann::json::object()));
        r.seed = j.value("seed", uint64_t(1));
        r.inputShapes = j.value("inputShapes", std::map<std::string, std::vector<int64_t>> {});
        if (r.protocol.batch < 1 || r.protocol.minRuns < 1 || r.protocol.maxRuns < r.protocol.minRuns)
            throw Error("invalid measurement protocol " + j.value("protocol", nlohmann::json()).dump());
        return r;
    } catch (const nlohmann::json::exception &e) {
        throw Error(std::string("malformed request: ") + e.what());
    }
}

nlohmann::json measurementToJson(const runtime::Measurement &m)
{
    const auto &s = m.stats;
    const auto &e = m.environment;
    return { { "platform", m.platform }, { "status", statusText(m.status) }, { "message", m.message },
        { "stats",
            { { "medianMs", s.medianMs }, { "meanMs", s.meanMs }, { "stdMs", s.stdMs }, { "minMs", s.minMs },
                { "p90Ms", s.p90Ms }, { "ciHalfWidthMs", s.ciHalfWidthMs }, { "runs", s.runs },
                { "converged", s.converged } } },
        { "protocol", protocolJson(m.protocol) },
        { "environment",
            { { "availableMemoryMb", number(e.availableMemoryMb) }, { "cpuUtilization", number(e.cpuUtilization) },
                { "loadAverage1", number(e.loadAverage1) }, { "cpuFrequencyMhz", number(e.cpuFrequencyMhz) } } },
        { "evidence",
            { { "probeRatio", number(m.evidence.probeRatio) }, { "probeBaselineMs", number(m.evidence.probeBaselineMs) },
                { "runsDiscarded", m.evidence.runsDiscarded }, { "retries", m.evidence.retries },
                { "contended", m.evidence.contended }, { "rounds", m.evidence.rounds },
                { "roundSpread", number(m.evidence.roundSpread) } } },
        { "timestampMs", m.timestampMs } };
}

runtime::Measurement measurementFromJson(const nlohmann::json &j)
{
    runtime::Measurement m;
    m.platform = j.value("platform", std::string());
    std::string status = j.value("status", std::string("error"));
    m.status = status == "ok"     ? MeasurementStatus::Ok
        : status == "unsupported" ? MeasurementStatus::Unsupported
                                  : MeasurementStatus::Error;
    m.message = j.value("message", std::string());
    const auto stats = j.value("stats", nlohmann::json::object());
    m.stats.medianMs = numberOr(stats, "medianMs", 0);
    m.stats.meanMs = numberOr(stats, "meanMs", 0);
    m.stats.stdMs = numberOr(stats, "stdMs", 0);
    m.stats.minMs = numberOr(stats, "minMs", 0);
    m.stats.p90Ms = numberOr(stats, "p90Ms", 0);
    m.stats.ciHalfWidthMs = numberOr(stats, "ciHalfWidthMs", 0);
    m.stats.runs = stats.value("runs", 0);
    m.stats.converged = stats.value("converged", false);
    m.protocol = protocolFrom(j.value("protocol", nlohmann::json::object()));
    const auto env = j.value("environment", nlohmann::json::object());
    const double nan = runtime::MeasurableParams::kUnknown;
    m.environment.availableMemoryMb = numberOr(env, "availableMemoryMb", nan);
    m.environment.cpuUtilization = numberOr(env, "cpuUtilization", nan);
    m.environment.loadAverage1 = numberOr(env, "loadAverage1", nan);
    m.environment.cpuFrequencyMhz = numberOr(env, "cpuFrequencyMhz", nan);
    const auto evidence = j.value("evidence", nlohmann::json::object());
    m.evidence.probeRatio = numberOr(evidence, "probeRatio", nan);
    m.evidence.probeBaselineMs = numberOr(evidence, "probeBaselineMs", nan);
    m.evidence.runsDiscarded = evidence.value("runsDiscarded", 0);
    m.evidence.retries = evidence.value("retries", 0);
    m.evidence.contended = evidence.value("contended", false);
    m.evidence.rounds = evidence.value("rounds", 1);
    m.evidence.roundSpread = numberOr(evidence, "roundSpread", nan);
    m.timestampMs = j.value("timestampMs", int64_t(0));
    return m;
}

std::string eventToLine(const AgentEvent &e)
{
    nlohmann::json j = { { "event", kindName(e.kind) } };
    if (!e.model.empty())
        j["model"] = e.model;
    if (!e.platform.empty())
        j["platform"] = e.platform;
    if (!e.message.empty())
        j["message"] = e.message;
    if (e.kind == AgentEvent::Kind::Progress || e.kind == AgentEvent::Kind::Started
        || e.kind == AgentEvent::Kind::Done) {
        j["index"] = e.index;
        j["total"] = e.total;
    }
    if (e.measurement)
        j["measurement"] = measurementToJson(*e.measurement);
    return j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

AgentEvent eventFromLine(const std::string &line)
{
    const std::string where = "agent output '" + line.substr(0, 200) + "'";
    nlohmann::json j;
    try {
        j = nlohmann::json::parse(line);
    } catch (const nlohmann::json::exception &) {
        throw Error("not a JSON line", where);
    }
    if (!j.is_object() || !j.contains("event"))
        throw Error("a JSON line without \"event\"", where);
    AgentEvent e;
    // A field of the wrong type (a number where a name belongs, a list where an object does) is
    // malformed output, reported like any other, not an exception of the JSON library.
    try {
        const std::string kind = j.value("event", std::string());
        static const std::map<std::string, AgentEvent::Kind> kinds
            = { { "started", AgentEvent::Kind::Started }, { "progress", AgentEvent::Kind::Progress },
                  { "result", AgentEvent::Kind::Result }, { "unsupported", AgentEvent::Kind::Unsupported },
                  { "error", AgentEvent::Kind::Error }, { "done", AgentEvent::Kind::Done } };
        auto it = kinds.find(kind);
        if (it == kinds.end())
            throw Error("unknown event '" + kind + "'", where);
        e.kind = it->second;
        e.model = j.value("model", std::string());
        e.platform = j.value("platform", std::string());
        e.message = j.value("message", std::string());
        e.index = j.value("index", int64_t(0));
        e.total = j.value("total", int64_t(0));
        if (j.contains("measurement")) {
            if (!j["measurement"].is_object())
                throw Error("\"measurement\" is not an object", where);
            e.measurement = measurementFromJson(j["measurement"]);
        }
    } catch (const nlohmann::json::exception &x) {
        throw Error(std::string("malformed event: ") + x.what(), where);
    }
    if (e.kind == AgentEvent::Kind::Result) {
        const auto &m = e.measurement;
        if (!m || m->status != runtime::MeasurementStatus::Ok || !std::isfinite(m->stats.medianMs) ||
            !(m->stats.medianMs > 0) || !(m->stats.minMs >= 0) || m->stats.minMs > m->stats.medianMs)
            throw Error("a result without an ok measurement whose median is a positive number of ms (and whose "
                        "fastest run is not above it)",
                        where);
    }
    return e;
}

} // namespace sniper::agent
