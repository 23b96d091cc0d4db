#pragma once

// Models and their NNS feature vectors in the Network Characteristic Database (SPEC §6).

#include "database.h"
#include "features/features.h"

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace sniper::db {

struct ModelRecord {
    int64_t id = 0;
    std::string contentHash; // SHA-256 hex of the ONNX bytes; of the source string when there is no file
    std::string name;
    std::string source;      // "file:<path>", "bundled:<name>", "generator:<spec>", "nasbench201:<cell>"
    Blob onnx;               // filled by ModelRepository::onnx() only; lists leave it empty
    int64_t onnxBytes = 0;   // size of the stored blob, 0 when none is stored
    std::string onnxPath;    // where the file was when imported ("" when unknown)
    std::vector<int64_t> inputShape; // of the first graph input, e.g. {1,3,224,224}; empty when unknown
    int64_t createdMs = 0;
};

struct UpsertResult {
    int64_t id = 0;
    bool created = false;
};

// Content hash of a model that has no ONNX file (a NAS-Bench-201 cell, a generator spec).
std::string sourceHash(std::string_view source);

class ModelRepository {
public:
    explicit ModelRepository(Database &db) : m_db(db) {}

    // Dedupes on content_hash. An existing row keeps its name and source; a missing blob, path or
    // input shape is filled in from `model`. An empty contentHash is computed from the blob.
    UpsertResult upsert(const ModelRecord &model);
    // Reads, validates (structure-only ONNX import) and upserts a file; name defaults to its stem.
    UpsertResult addOnnxFile(const std::string &path, bool storeBlob = true, const std::string &name = {});

    std::optional<ModelRecord> find(int64_t id) const;
    std::optional<ModelRecord> findByHash(std::string_view contentHash) const;
    std::vector<ModelRecord> findByName(std::string_view name) const; // names need not be unique
    std::vector<ModelRecord> list(std::string_view sourcePrefix = {}) const;
    Blob onnx(int64_t id) const; // the stored blob, empty when none
    int64_t count() const;
    bool remove(int64_t id); // cascades to features, measurements, memberships

private:
    Database &m_db;
};

struct FeatureRecord {
    int64_t modelId = 0;
    std::string modelName;
    std::string extractorVersion;
    features::Features features; // values in featureTable() order; NaN where the stored vector lacks a name
    int64_t computedMs = 0;
};

// One row per (model, extractor version); the vector is a JSON object keyed by featureTable()
// names, so a newer extractor with more features does not need a migration.
class FeatureRepository {
public:
    explicit FeatureRepository(Database &db) : m_db(db) {}

    void put(int64_t modelId, std::string_view extractorVersion, const features::Features &f); // replaces
    std::optional<features::Features> get(int64_t modelId, std::string_view extractorVersion) const;
    std::vector<FeatureRecord> list(std::string_view extractorVersion) const; // by model id
    std::vector<int64_t> modelsWithout(std::string_view extractorVersion) const;
    int64_t count(std::string_view extractorVersion = {}) const; // "" counts every version

private:
    Database &m_db;
};

// Computes features for a model that has none yet (the graph builder lives in core, not here).
using FeatureFunction = std::function<std::optional<features::Features>(const ModelRecord &)>;

// Fills features for every model lacking `extractorVersion`; returns how many were stored.
// Stops early, keeping what was stored, when `cancelled` returns true.
int64_t fillMissingFeatures(Database &db, std::string_view extractorVersion, const FeatureFunction &compute,
                            const std::function<bool()> &cancelled = {});

// JSON object {feature name: value} (null for NaN) and back; used by the table and by import/export.
std::string featuresToJson(const features::Features &f);
features::Features featuresFromJson(const std::string &vectorJson, int structureClass,
                                    const std::string &requiredOpsJson, const std::string &where);

} // namespace sniper::db
