#include "measurements.h"

#include "jsonutil.h"

#include <sqlite3.h>

#include <algorithm>
#include <cmath>
#include <cstring>

namespace sniper::db {

namespace {

#define SNIPER_MEASUREMENT_COLUMNS                                                                                  \
    "model_id, platform_id, batch, status, message, median_ms, mean_ms, std_ms, min_ms, p90_ms, ci_half_width_ms, "    \
    "runs, converged, protocol, measurable, measured_ms, run_id, probe_ratio, probe_baseline_ms, runs_discarded, "     \
    "retries, contended, rounds, round_spread"
constexpr const char *kValues =
    " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19, ?20, ?21, ?22, ?23, ?24)";
constexpr const char *kInsert = "INSERT INTO measurements (" SNIPER_MEASUREMENT_COLUMNS ")";
constexpr const char *kInsertHistory = "INSERT INTO measurement_history (" SNIPER_MEASUREMENT_COLUMNS ")";
// The current row of a key moves to the history before a newer measurement replaces it.
constexpr const char *kArchive = "INSERT INTO measurement_history (" SNIPER_MEASUREMENT_COLUMNS ") SELECT "
    SNIPER_MEASUREMENT_COLUMNS " FROM measurements WHERE model_id = ?1 AND platform_id = ?2 AND batch = ?3";
#undef SNIPER_MEASUREMENT_COLUMNS
constexpr const char *kOnConflictSkip = " ON CONFLICT (model_id, platform_id, batch) DO NOTHING";
constexpr const char *kOnConflictReplace =
    " ON CONFLICT (model_id, platform_id, batch) DO UPDATE SET status = excluded.status, message = excluded.message, "
    "median_ms = excluded.median_ms, mean_ms = excluded.mean_ms, std_ms = excluded.std_ms, min_ms = excluded.min_ms, "
    "p90_ms = excluded.p90_ms, ci_half_width_ms = excluded.ci_half_width_ms, runs = excluded.runs, "
    "converged = excluded.converged, protocol = excluded.protocol, measurable = excluded.measurable, "
    "measured_ms = excluded.measured_ms, run_id = excluded.run_id, probe_ratio = excluded.probe_ratio, "
    "probe_baseline_ms = excluded.probe_baseline_ms, runs_discarded = excluded.runs_discarded, "
    "retries = excluded.retries, contended = excluded.contended, rounds = excluded.rounds, "
    "round_spread = excluded.round_spread";

// Rows of the current values (measurements) or of the earlier ones (measurement_history).
std::string selectFrom(const char *table)
{
    return std::string("SELECT r.kind, m.model_id, mo.name, m.platform_id, m.batch, m.status, m.message, m.median_ms, "
                       "m.mean_ms, m.std_ms, m.min_ms, m.p90_ms, m.ci_half_width_ms, m.runs, m.converged, m.protocol, "
                       "m.measurable, json_extract(r.config, '$.file'), m.measured_ms, m.run_id, m.probe_ratio, "
                       "m.probe_baseline_ms, m.runs_discarded, m.retries, m.contended, m.rounds, m.round_spread FROM ")
        + table + " m JOIN models mo ON mo.id = m.model_id LEFT JOIN runs r ON r.id = m.run_id";
}

bool rowExists(const Database &db, const char *sql, auto value)
{
    auto st = db.statement(sql);
    st->bind(1, value);
    return st->step();
}

MeasurementRecord readMeasurement(Statement &st, const std::string &dbPath)
{
    MeasurementRecord r;
    r.modelId = st.int64(1);
    r.modelName = st.text(2);
    auto &m = r.measurement;
    m.platform = st.text(3);
    const std::string where = dbPath + ": measurement of model " + std::to_string(r.modelId) + " on " + m.platform;
    m.protocol = protocolFromJson(detail::parseJsonColumn(st.text(15), where));
    m.protocol.batch = st.integer(4);
    m.status = parseStatus(st.text(5)).value_or(runtime::MeasurementStatus::Error);
    m.message = st.text(6);
    m.stats.medianMs = st.real(7);
    m.stats.meanMs = st.real(8);
    m.stats.stdMs = st.real(9);
    m.stats.minMs = st.real(10);
    m.stats.p90Ms = st.real(11);
    m.stats.ciHalfWidthMs = st.real(12);
    m.stats.runs = st.integer(13);
    m.stats.converged = st.int64(14) != 0;
    m.environment = measurableFromJson(detail::parseJsonColumn(st.text(16), where));
    if (st.text(0) == "import") // provenance lives in the import's run record
        r.origin = "import:" + st.text(17);
    m.timestampMs = st.int64(18);
    r.runId = st.optionalInt64(19);
    m.evidence.probeRatio = st.real(20);
    m.evidence.probeBaselineMs = st.real(21);
    m.evidence.runsDiscarded = st.integer(22);
    m.evidence.retries = st.integer(23);
    m.evidence.contended = st.int64(24) != 0;
    m.evidence.rounds = std::max(1, st.integer(25));
    m.evidence.roundSpread = st.real(26);
    return r;
}

// WHERE clause with only the active filters, so SQLite can use the (platform, batch) index.
std::string whereClause(const MeasurementFilter &f)
{
    std::string w;
    auto add = [&](const char *clause) { w += (w.empty() ? " WHERE " : " AND ") + std::string(clause); };
    if (f.modelId)
        add("m.model_id = ?1");
    if (f.platform)
        add("m.platform_id = ?2");
    if (f.batch)
        add("m.batch = ?3");
    if (f.status)
        add("m.status = ?4");
    if (f.runId)
        add("m.run_id = ?5");
    return w;
}

void bindFilter(Statement &st, const MeasurementFilter &f)
{
    if (f.modelId)
        st.bind(1, *f.modelId);
    if (f.platform)
        st.bind(2, *f.platform);
    if (f.batch)
        st.bind(3, *f.batch);
    if (f.status)
        st.bind(4, statusName(*f.status));
    if (f.runId)
        st.bind(5, *f.runId);
}

} // namespace

const char *statusName(runtime::MeasurementStatus s)
{
    switch (s) {
    case runtime::MeasurementStatus::Ok: return "ok";
    case runtime::MeasurementStatus::Unsupported: return "unsupported";
    case runtime::MeasurementStatus::Error: return "error";
    }
    return "error";
}

std::optional<runtime::MeasurementStatus> parseStatus(std::string_view text)
{
    if (text == "ok")
        return runtime::MeasurementStatus::Ok;
    if (text == "unsupported")
        return runtime::MeasurementStatus::Unsupported;
    if (text == "error")
        return runtime::MeasurementStatus::Error;
    return std::nullopt;
}

// Zero fields are "unknown" (a third-party table says nothing about warm-up or caps) and are
// left out, so the JSON of an imported row is {"batch": 32}; missing keys read back as zero.
nlohmann::json protocolToJson(const runtime::MeasurementProtocol &p)
{
    nlohmann::json j = {{"batch", p.batch}};
    auto put = [&](const char *key, double v) {
        if (v != 0)
            j[key] = v;
    };
    put("warmup_runs", p.warmupRuns);
    put("min_runs", p.minRuns);
    put("max_runs", p.maxRuns);
    put("max_seconds", p.maxSeconds);
    put("target_relative_half_width", p.targetRelativeHalfWidth);
    put("min_seconds", p.minSeconds);
    if (p.gate) {
        j["gate"] = true;
        put("gate_threshold", p.gateThreshold);
        put("gate_median_threshold", p.gateMedianThreshold);
        put("max_retries", p.maxRetries);
        put("retry_cap_seconds", p.retryCapSeconds);
        put("rounds", p.rounds);
        put("max_rounds", p.maxRounds);
        put("round_agreement", p.roundAgreement);
        put("round_gap_seconds", p.roundGapSeconds);
    }
    return j;
}

runtime::MeasurementProtocol protocolFromJson(const nlohmann::json &j)
{
    runtime::MeasurementProtocol p{1, 0, 0, 0, 0.0, 0.0, 0.0, false, 0.0, 0.0, 0, 0.0, 0, 0, 0.0, 0.0};
    if (!j.is_object())
        return p;
    auto number = [&](const char *key) { return j.contains(key) && j[key].is_number() ? j[key].get<double>() : 0.0; };
    p.batch = j.contains("batch") && j["batch"].is_number_integer() ? j["batch"].get<int>() : 1;
    p.warmupRuns = int(number("warmup_runs"));
    p.minRuns = int(number("min_runs"));
    p.maxRuns = int(number("max_runs"));
    p.maxSeconds = number("max_seconds");
    p.targetRelativeHalfWidth = number("target_relative_half_width");
    p.minSeconds = number("min_seconds");
    p.gate = j.contains("gate") && j["gate"].is_boolean() && j["gate"].get<bool>();
    p.gateThreshold = number("gate_threshold");
    p.gateMedianThreshold = number("gate_median_threshold");
    p.maxRetries = int(number("max_retries"));
    p.retryCapSeconds = number("retry_cap_seconds");
    p.rounds = int(number("rounds"));
    p.maxRounds = int(number("max_rounds"));
    p.roundAgreement = number("round_agreement");
    p.roundGapSeconds = number("round_gap_seconds");
    return p;
}

// Unknown (NaN) values are left out: most imported rows store "{}".
nlohmann::json measurableToJson(const runtime::MeasurableParams &p)
{
    nlohmann::json j = nlohmann::json::object();
    auto put = [&](const char *key, double v) {
        if (std::isfinite(v))
            j[key] = v;
    };
    put("available_memory_mb", p.availableMemoryMb);
    put("cpu_utilization", p.cpuUtilization);
    put("load_average_1", p.loadAverage1);
    put("cpu_frequency_mhz", p.cpuFrequencyMhz);
    return j;
}

runtime::MeasurableParams measurableFromJson(const nlohmann::json &j)
{
    runtime::MeasurableParams p;
    if (!j.is_object())
        return p;
    auto get = [&](const char *key) {
        return j.contains(key) ? detail::numberOrNaN(j[key]) : runtime::MeasurableParams::kUnknown;
    };
    p.availableMemoryMb = get("available_memory_mb");
    p.cpuUtilization = get("cpu_utilization");
    p.loadAverage1 = get("load_average_1");
    p.cpuFrequencyMhz = get("cpu_frequency_mhz");
    return p;
}

nlohmann::json evidenceToJson(const runtime::ContentionEvidence &e)
{
    nlohmann::json j = {{"runs_discarded", e.runsDiscarded}, {"retries", e.retries}, {"contended", e.contended}};
    if (std::isfinite(e.probeRatio))
        j["probe_ratio"] = e.probeRatio;
    if (std::isfinite(e.probeBaselineMs))
        j["probe_baseline_ms"] = e.probeBaselineMs;
    if (e.rounds > 1)
        j["rounds"] = e.rounds;
    if (std::isfinite(e.roundSpread))
        j["round_spread"] = e.roundSpread;
    return j;
}

runtime::ContentionEvidence evidenceFromJson(const nlohmann::json &j)
{
    runtime::ContentionEvidence e;
    if (!j.is_object())
        return e;
    auto get = [&](const char *key) { return j.contains(key) ? detail::numberOrNaN(j[key]) : runtime::MeasurableParams::kUnknown; };
    e.probeRatio = get("probe_ratio");
    e.probeBaselineMs = get("probe_baseline_ms");
    const double discarded = get("runs_discarded"), retries = get("retries");
    e.runsDiscarded = std::isfinite(discarded) && discarded > 0 ? int(discarded) : 0;
    e.retries = std::isfinite(retries) && retries > 0 ? int(retries) : 0;
    e.contended = j.contains("contended") && j["contended"].is_boolean() && j["contended"].get<bool>();
    const double rounds = get("rounds");
    e.rounds = std::isfinite(rounds) && rounds >= 1 ? int(rounds) : 1;
    e.roundSpread = get("round_spread");
    return e;
}

void PlatformRepository::upsert(const PlatformRecord &platform)
{
    if (platform.id.empty())
        throw Error("a platform needs an id", m_db.path());
    auto st = m_db.statement("INSERT INTO platforms (id, description, created_ms) VALUES (?1, ?2, ?3) "
                             "ON CONFLICT (id) DO UPDATE SET description = excluded.description");
    st->bind(1, platform.id).bind(2, detail::dumpJson(platform.description));
    st->bind(3, platform.createdMs ? platform.createdMs : nowMs()).run();
}

bool PlatformRepository::ensure(const PlatformRecord &platform)
{
    if (platform.id.empty())
        throw Error("a platform needs an id", m_db.path());
    auto st = m_db.statement("INSERT INTO platforms (id, description, created_ms) VALUES (?1, ?2, ?3) "
                             "ON CONFLICT (id) DO NOTHING");
    st->bind(1, platform.id).bind(2, detail::dumpJson(platform.description));
    st->bind(3, platform.createdMs ? platform.createdMs : nowMs()).run();
    return m_db.changes() > 0;
}

std::optional<PlatformRecord> PlatformRepository::find(std::string_view id) const
{
    auto st = m_db.statement("SELECT id, description, created_ms FROM platforms WHERE id = ?1");
    st->bind(1, id);
    if (!st->step())
        return std::nullopt;
    return PlatformRecord{st->text(0), detail::parseJsonColumn(st->text(1), m_db.path() + ": platform " + st->text(0)),
                          st->int64(2)};
}

std::vector<PlatformRecord> PlatformRepository::list() const
{
    auto st = m_db.statement("SELECT id, description, created_ms FROM platforms ORDER BY id");
    std::vector<PlatformRecord> out;
    while (st->step())
        out.push_back({st->text(0), detail::parseJsonColumn(st->text(1), m_db.path() + ": platform " + st->text(0)),
                       st->int64(2)});
    return out;
}

bool PlatformRepository::remove(std::string_view id)
{
    auto st = m_db.statement("DELETE FROM platforms WHERE id = ?1");
    st->bind(1, id).run();
    return m_db.changes() > 0;
}

void MeasurementRepository::bindRow(Statement &st, int64_t modelId, const runtime::Measurement &m,
                                    std::optional<int64_t> runId)
{
    const auto &s = m.stats;
    st.bind(1, modelId).bind(2, m.platform).bind(3, m.protocol.batch).bind(4, statusName(m.status)).bind(5, m.message);
    st.bind(6, s.medianMs).bind(7, s.meanMs).bind(8, s.stdMs).bind(9, s.minMs).bind(10, s.p90Ms);
    st.bind(11, s.ciHalfWidthMs).bind(12, s.runs).bind(13, int(s.converged));
    const std::string protocolKey(reinterpret_cast<const char *>(&m.protocol), sizeof m.protocol);
    auto protocol = m_protocolJson.find(protocolKey);
    if (protocol == m_protocolJson.end()) {
        if (m_protocolJson.size() > 64) // a wide table has one protocol per batch size
            m_protocolJson.clear();
        protocol = m_protocolJson.emplace(protocolKey, protocolToJson(m.protocol).dump()).first;
    }
    if (m_measurableJson.empty() || std::memcmp(&m_lastMeasurable, &m.environment, sizeof m.environment) != 0) {
        m_lastMeasurable = m.environment;
        m_measurableJson = measurableToJson(m.environment).dump();
    }
    st.bind(14, protocol->second).bind(15, m_measurableJson);
    st.bind(16, m.timestampMs ? m.timestampMs : nowMs()).bind(17, runId);
    const auto &e = m.evidence;
    st.bind(18, e.probeRatio).bind(19, e.probeBaselineMs).bind(20, e.runsDiscarded).bind(21, e.retries);
    st.bind(22, int(e.contended)).bind(23, e.rounds).bind(24, e.roundSpread);
}

bool MeasurementRepository::insert(int64_t modelId, const runtime::Measurement &m, OnConflict onConflict,
                                   std::optional<int64_t> runId)
{
    const auto key = [&] {
        return "model " + std::to_string(modelId) + " on platform '" + m.platform + "' at batch "
            + std::to_string(m.protocol.batch);
    };
    // Replace keeps every measurement: the newer one becomes current unless it is not clean and
    // the current one is, and whichever is not current goes to the history.
    // KeepFastest is Replace where a clean current one also stays when the newer one is not faster.
    std::optional<Transaction> tx;
    bool toHistory = false;
    if (onConflict == OnConflict::Replace || onConflict == OnConflict::KeepFastest) {
        tx.emplace(m_db);
        auto cur = m_db.statement("SELECT status = 'ok' AND contended = 0, min_ms, median_ms FROM measurements "
                                  "WHERE model_id = ?1 AND platform_id = ?2 AND batch = ?3");
        cur->bind(1, modelId).bind(2, m.platform).bind(3, m.protocol.batch);
        if (cur->step()) {
            const bool currentClean = cur->int64(0) != 0;
            toHistory = currentClean && !m.clean();
            if (onConflict == OnConflict::KeepFastest && currentClean && m.clean()) {
                const auto fastest = [](double minMs, double medianMs) { return minMs > 0 ? minMs : medianMs; };
                const double current = fastest(cur->isNull(1) ? 0 : cur->real(1), cur->isNull(2) ? 0 : cur->real(2));
                toHistory = current > 0 && fastest(m.stats.minMs, m.stats.medianMs) >= current;
            }
            if (!toHistory) {
                auto archive = m_db.statement(kArchive);
                archive->bind(1, modelId).bind(2, m.platform).bind(3, m.protocol.batch).run();
            }
        }
    }
    const std::string sql = std::string(toHistory ? kInsertHistory : kInsert) + kValues
        + (toHistory ? "" : onConflict == OnConflict::Skip ? kOnConflictSkip
                         : onConflict != OnConflict::Fail ? kOnConflictReplace : "");
    auto st = m_db.statement(sql);
    bindRow(*st, modelId, m, runId);
    try {
        st->run();
    } catch (const SqliteError &e) {
        if (e.code() == SQLITE_CONSTRAINT_UNIQUE || e.code() == SQLITE_CONSTRAINT_PRIMARYKEY)
            throw Error("already measured: " + key() + " (re-measure with OnConflict::Replace)", m_db.path());
        if (e.code() == SQLITE_CONSTRAINT_FOREIGNKEY) {
            if (!rowExists(m_db, "SELECT 1 FROM models WHERE id = ?1", modelId))
                throw Error("cannot store a measurement for an unknown model (id " + std::to_string(modelId) + ")",
                            m_db.path());
            if (!rowExists(m_db, "SELECT 1 FROM platforms WHERE id = ?1", std::string_view(m.platform)))
                throw Error("cannot store a measurement for an unknown platform '" + m.platform
                                + "' (add it with PlatformRepository first)",
                            m_db.path());
            throw Error("cannot store a measurement for an unknown run " + std::to_string(runId.value_or(0)), m_db.path());
        }
        if (e.code() == SQLITE_CONSTRAINT_CHECK || e.code() == SQLITE_CONSTRAINT_NOTNULL)
            throw Error("invalid measurement for " + key() + " (batch must be at least 1)", m_db.path());
        throw;
    }
    const bool changed = m_db.changes() > 0;
    if (tx)
        tx->commit();
    return changed;
}

std::vector<MeasurementRecord> MeasurementRepository::history(int64_t modelId, std::string_view platform, int batch) const
{
    std::vector<MeasurementRecord> out;
    for (const char *table : {"measurement_history", "measurements"}) {
        auto st = m_db.statement(selectFrom(table) + " WHERE m.model_id = ?1 AND m.platform_id = ?2 AND m.batch = ?3");
        st->bind(1, modelId).bind(2, platform).bind(3, batch);
        while (st->step()) {
            out.push_back(readMeasurement(*st, m_db.path()));
            out.back().current = std::string_view(table) == "measurements";
        }
    }
    std::stable_sort(out.begin(), out.end(), [](const MeasurementRecord &a, const MeasurementRecord &b) {
        return a.measurement.timestampMs < b.measurement.timestampMs;
    });
    return out;
}

int64_t MeasurementRepository::historyCount() const
{
    auto st = m_db.statement("SELECT count(*) FROM measurement_history");
    return st->step() ? st->int64(0) : 0;
}

bool MeasurementRepository::exists(int64_t modelId, std::string_view platform, int batch) const
{
    auto st = m_db.statement("SELECT 1 FROM measurements WHERE model_id = ?1 AND platform_id = ?2 AND batch = ?3");
    st->bind(1, modelId).bind(2, platform).bind(3, batch);
    return st->step();
}

std::optional<MeasurementRecord> MeasurementRepository::find(int64_t modelId, std::string_view platform, int batch) const
{
    MeasurementFilter f;
    f.modelId = modelId;
    f.platform = std::string(platform);
    f.batch = batch;
    auto rows = list(f);
    return rows.empty() ? std::nullopt : std::optional(std::move(rows.front()));
}

std::vector<MeasurementRecord> MeasurementRepository::list(const MeasurementFilter &filter) const
{
    auto st = m_db.statement(selectFrom("measurements") + whereClause(filter)
                             + " ORDER BY m.model_id, m.platform_id, m.batch LIMIT ?6 OFFSET ?7");
    bindFilter(*st, filter);
    st->bind(6, filter.limit).bind(7, filter.offset);
    std::vector<MeasurementRecord> out;
    while (st->step())
        out.push_back(readMeasurement(*st, m_db.path()));
    return out;
}

int64_t MeasurementRepository::count(const MeasurementFilter &filter) const
{
    auto st = m_db.statement("SELECT count(*) FROM measurements m" + whereClause(filter));
    bindFilter(*st, filter);
    return st->step() ? st->int64(0) : 0;
}

bool MeasurementRepository::remove(int64_t modelId, std::string_view platform, int batch)
{
    Transaction tx(m_db);
    auto old = m_db.statement("DELETE FROM measurement_history WHERE model_id = ?1 AND platform_id = ?2 AND batch = ?3");
    old->bind(1, modelId).bind(2, platform).bind(3, batch).run();
    auto st = m_db.statement("DELETE FROM measurements WHERE model_id = ?1 AND platform_id = ?2 AND batch = ?3");
    st->bind(1, modelId).bind(2, platform).bind(3, batch).run();
    const bool removed = m_db.changes() > 0;
    tx.commit();
    return removed;
}

} // namespace sniper::db
