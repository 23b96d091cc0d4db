#pragma once

// Platforms and latency measurements (SPEC §5, §6). The current measurement is keyed by
// (model, platform, batch): a campaign resumes by asking exists(), and re-measuring is explicit
// (OnConflict::Replace). Every measurement is kept: the earlier ones of a key in the history
// (docs/database.md); the current one is the latest clean one (ok, not contended), or the latest
// of any when the key has no clean one; a refining campaign (OnConflict::KeepFastest) keeps the
// clean one with the fastest timed run instead.

#include "database.h"
#include "runtime/measurement.h"

#include <nlohmann/json.hpp>

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace sniper::db {

struct PlatformRecord {
    std::string id;            // "torch-cpu-1t", "opencv-cpu-Nt", "ssh:jetson-nano", "nb201:titan_rtx_32"
    nlohmann::json description = nlohmann::json::object(); // hardware, runtime, threads, blas, batch, notes
    int64_t createdMs = 0;
};

class PlatformRepository {
public:
    explicit PlatformRepository(Database &db) : m_db(db) {}

    void upsert(const PlatformRecord &platform);            // replaces the description
    bool ensure(const PlatformRecord &platform);            // inserts if missing; true when inserted
    std::optional<PlatformRecord> find(std::string_view id) const;
    std::vector<PlatformRecord> list() const;               // by id
    bool remove(std::string_view id);                       // cascades to its measurements

private:
    Database &m_db;
};

enum class OnConflict {
    Fail,    // an existing (model, platform, batch) is an error
    Skip,    // keep the existing measurement
    Replace, // re-measure: the newer one becomes current (unless it is contended and the current one
             // is clean); the other goes to the history
    KeepFastest, // refine: the newer one becomes current only if it is clean and its fastest run is
                 // faster than the current one's (or the current one is not clean); interference
                 // only adds time, so repeated measurements converge on the uncontended latency
};

// Keyed by (modelId, measurement.platform, batch()).
struct MeasurementRecord {
    int64_t modelId = 0;
    std::string modelName;            // filled by reads
    std::string origin;               // "" measured here; "import:<file>" when an import run stored it
    std::optional<int64_t> runId;     // the campaign or import that produced it
    runtime::Measurement measurement; // platform, status, stats, protocol (its batch is the key), environment, time
    bool current = true;              // false for a history row
    int batch() const { return measurement.protocol.batch; }
};

struct MeasurementFilter {
    std::optional<int64_t> modelId;
    std::optional<std::string> platform;
    std::optional<int> batch;
    std::optional<runtime::MeasurementStatus> status;
    std::optional<int64_t> runId;
    int64_t limit = -1; // -1: no limit
    int64_t offset = 0;
};

const char *statusName(runtime::MeasurementStatus s);            // "ok", "unsupported", "error"
std::optional<runtime::MeasurementStatus> parseStatus(std::string_view text);

class MeasurementRepository {
public:
    explicit MeasurementRepository(Database &db) : m_db(db) {}

    // Stores one measurement (its own transaction unless a Transaction is open). Returns false
    // when OnConflict::Skip kept an existing one. Throws sniper::Error for an unknown model,
    // platform or run, and for an existing key under OnConflict::Fail.
    bool insert(int64_t modelId, const runtime::Measurement &m, OnConflict onConflict = OnConflict::Fail,
                std::optional<int64_t> runId = {});

    bool exists(int64_t modelId, std::string_view platform, int batch) const;
    std::optional<MeasurementRecord> find(int64_t modelId, std::string_view platform, int batch) const;
    std::vector<MeasurementRecord> list(const MeasurementFilter &filter = {}) const; // by model, platform, batch
    int64_t count(const MeasurementFilter &filter = {}) const;
    bool remove(int64_t modelId, std::string_view platform, int batch); // with its history
    // Every measurement of a key, oldest first; the current one has `current` set.
    std::vector<MeasurementRecord> history(int64_t modelId, std::string_view platform, int batch) const;
    int64_t historyCount() const; // earlier measurements kept, all keys

private:
    void bindRow(Statement &st, int64_t modelId, const runtime::Measurement &m, std::optional<int64_t> runId);

    Database &m_db;
    // Bulk imports store the same few protocols and environments in every row: their JSON text,
    // keyed by the structs' bytes (NaN-safe; padding only costs a miss).
    std::map<std::string, std::string> m_protocolJson;
    runtime::MeasurableParams m_lastMeasurable;
    std::string m_measurableJson;
};

// Protocol and measurable parameters as stored in the JSON columns (and in JSON export). Zero
// protocol fields and NaN parameters mean "unknown" and are left out; missing keys read back as
// 0 / NaN (so protocolFromJson({}) is an all-unknown protocol at batch 1, not the defaults).
nlohmann::json protocolToJson(const runtime::MeasurementProtocol &p);
runtime::MeasurementProtocol protocolFromJson(const nlohmann::json &j);
nlohmann::json measurableToJson(const runtime::MeasurableParams &p);
runtime::MeasurableParams measurableFromJson(const nlohmann::json &j);
// The contention gate's evidence: {"probe_ratio", "probe_baseline_ms", "runs_discarded", "retries",
// "contended"}; unknown (NaN) probe values are left out, missing keys read back as unknown / 0.
nlohmann::json evidenceToJson(const runtime::ContentionEvidence &e);
runtime::ContentionEvidence evidenceFromJson(const nlohmann::json &j);

} // namespace sniper::db
