#pragma once

// Named datasets with splits, trained predictors and experiment results (SPEC §6, §7, §10).

#include "database.h"

#include <nlohmann/json.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace sniper::db {

struct DatasetRecord {
    int64_t id = 0;
    std::string name;                                // unique in the project
    std::string kind;                                // "generated", "zoo", "nasbench201", "module", ...
    nlohmann::json spec = nlohmann::json::object();  // e.g. the generator spec (ranges, seed, budget)
    int64_t createdMs = 0;
};

struct DatasetMember {
    int64_t modelId = 0;
    std::string split; // "train", "validation", "test" or "" (unsplit)
};

class DatasetRepository {
public:
    explicit DatasetRepository(Database &db) : m_db(db) {}

    int64_t create(const DatasetRecord &dataset); // throws when the name is taken
    std::optional<DatasetRecord> find(int64_t id) const;
    std::optional<DatasetRecord> findByName(std::string_view name) const;
    std::vector<DatasetRecord> list() const;
    void updateSpec(int64_t id, const nlohmann::json &spec);
    bool remove(int64_t id); // members go with it; models stay

    // Adds or re-splits members in one transaction, keeping the given order.
    void setMembers(int64_t datasetId, const std::vector<DatasetMember> &members);
    std::vector<DatasetMember> members(int64_t datasetId, std::optional<std::string_view> split = {}) const;
    int64_t memberCount(int64_t datasetId) const;

private:
    Database &m_db;
};

struct PredictorRecord {
    int64_t id = 0;
    std::string name;
    std::string kind;                                       // "bayesian-ridge", "pcn", "medn", "rf", ...
    nlohmann::json hyperparameters = nlohmann::json::object();
    Blob weights;                                           // left empty by list()
    nlohmann::json metrics = nlohmann::json::object();      // e.g. {"rmspe": 0.05, "acc10": 0.93}
    std::optional<int64_t> datasetId;                       // the training data
    nlohmann::json training = nlohmann::json::object();     // what else defines the training data: platforms, extractor version
    int64_t createdMs = 0;
};

class PredictorRepository {
public:
    explicit PredictorRepository(Database &db) : m_db(db) {}

    int64_t insert(const PredictorRecord &predictor);
    std::optional<PredictorRecord> find(int64_t id) const; // with weights
    std::vector<PredictorRecord> list(std::string_view kind = {}) const; // without weights
    void updateMetrics(int64_t id, const nlohmann::json &metrics);
    bool remove(int64_t id);

private:
    Database &m_db;
};

struct ExperimentRecord {
    int64_t id = 0;
    std::string name;
    std::string kind;                                   // "scheduling", "partition", "predictor-comparison", ...
    nlohmann::json config = nlohmann::json::object();
    int64_t seed = 0;
    nlohmann::json results = nlohmann::json::object();
    Blob resultsBlob;                                   // bulky results (traces); left empty by list()
    int64_t createdMs = 0;
};

class ExperimentRepository {
public:
    explicit ExperimentRepository(Database &db) : m_db(db) {}

    int64_t insert(const ExperimentRecord &experiment);
    std::optional<ExperimentRecord> find(int64_t id) const; // with the blob
    std::vector<ExperimentRecord> list(std::string_view kind = {}) const;
    void updateResults(int64_t id, const nlohmann::json &results, const Blob &resultsBlob = {});
    bool remove(int64_t id);

private:
    Database &m_db;
};

} // namespace sniper::db
