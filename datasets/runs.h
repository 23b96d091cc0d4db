#pragma once

// Campaign progress for resume (SPEC §6, §9): a run is a planned set of (model, platform, batch)
// items; a campaign that stops part-way restarts with pendingItems().

#include "database.h"

#include <nlohmann/json.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace sniper::db {

enum class RunState { Pending, Running, Paused, Finished, Failed, Cancelled };
enum class ItemState { Pending, Done, Failed, Skipped };

const char *runStateName(RunState s);
const char *itemStateName(ItemState s);

struct RunRecord {
    int64_t id = 0;
    std::string kind;                                // "profile", "generate", "train", ...
    nlohmann::json config = nlohmann::json::object();
    RunState state = RunState::Pending;
    std::string message;                             // why it failed or was cancelled
    int64_t createdMs = 0;
    std::optional<int64_t> startedMs;
    std::optional<int64_t> finishedMs;
};

struct RunItem {
    int64_t modelId = 0;
    std::string platform;
    int batch = 1;
    ItemState state = ItemState::Pending;
    std::string message;
};

struct RunProgress {
    int64_t pending = 0, done = 0, failed = 0, skipped = 0;
    int64_t total() const { return pending + done + failed + skipped; }
};

class RunRepository {
public:
    explicit RunRepository(Database &db) : m_db(db) {}

    int64_t create(std::string_view kind, const nlohmann::json &config);
    std::optional<RunRecord> find(int64_t id) const;
    std::vector<RunRecord> list(std::string_view kind = {}) const; // newest first
    // Running stamps started_ms (first time); Finished/Failed/Cancelled stamp finished_ms.
    void setState(int64_t id, RunState state, std::string_view message = {});

    // Plans items in one transaction; items already planned keep their state.
    void addItems(int64_t runId, const std::vector<RunItem> &items);
    void setItemState(int64_t runId, const RunItem &item, ItemState state, std::string_view message = {});
    std::vector<RunItem> items(int64_t runId, std::optional<ItemState> state = {}) const;
    std::vector<RunItem> pendingItems(int64_t runId) const { return items(runId, ItemState::Pending); }
    RunProgress progress(int64_t runId) const;

private:
    Database &m_db;
};

} // namespace sniper::db
