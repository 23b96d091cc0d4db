#pragma once

// Profiling campaigns (SPEC §5, §9): models × platforms × protocol, every result committed to the
// project database as it arrives, cancellable, and resumable — a rerun measures only what is
// missing, whether the previous run was cancelled, crashed or was killed.

#include "runtime/measurement.h"

#include <atomic>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace sniper::db {
class Database;
}

namespace sniper::devices {

struct CampaignSpec {
    std::vector<int64_t> modelIds;      // empty: every model in the database
    std::vector<std::string> platforms; // local platform ids
    runtime::MeasurementProtocol protocol;
    uint64_t seed = 1;                  // random weights and inputs
    bool remeasure = false;             // measure pairs the project already has; the older values stay in the history
    bool refine = false;                // with remeasure: the current value of a pair stays its fastest clean
                                        // measurement (db::OnConflict::KeepFastest) instead of the latest
};

struct CampaignEvent {
    // Deferred: the measurement found no clean window (contention gate); it is retried later.
    enum class Kind { Started, Result, Skipped, Deferred, Finished } kind = Kind::Started;
    int64_t runId = 0;
    int64_t done = 0, total = 0;        // items finished (measured, unsupported, failed or skipped) of all
    int64_t modelId = 0;
    std::string modelName;
    std::string platform;
    std::optional<runtime::Measurement> measurement; // for Result
};
using CampaignCallback = std::function<void(const CampaignEvent &)>;

struct CampaignResult {
    int64_t runId = 0;
    int64_t measured = 0;     // new measurements with status ok
    int64_t unsupported = 0;  // the platform cannot run the model (stored, so it is not retried)
    int64_t failed = 0;       // execution errors (stored with the message)
    int64_t alreadyPresent = 0; // skipped: the database already had the (model, platform, batch)
    int64_t deferrals = 0;    // contended measurements put back to be retried later
    int64_t contended = 0;    // stored flagged contended: no clean window within the retry cap
    bool cancelled = false;
};

// Creates a run record with one item per (model, platform) and returns its id.
int64_t createCampaign(db::Database &db, const CampaignSpec &spec);

// Works through the run's pending items, platforms interleaved (model i starts with platform
// i mod P). With the protocol's gate, each platform's contention probe is calibrated first, a
// contended measurement is deferred, and each item is measured in protocol.rounds rounds with
// other items in between; the fastest clean round is stored (runtime/retryqueue.h). A kill
// between rounds loses the item's earlier rounds: it stays pending. Each result is written in its own
// transaction together with its item's state, so a kill loses at most the measurement in flight.
CampaignResult runCampaign(db::Database &db, int64_t runId, const CampaignCallback &callback = {},
                           const std::atomic<bool> *cancel = nullptr);

// The newest profiling run that did not finish (cancelled, failed or interrupted), if any.
std::optional<int64_t> unfinishedCampaign(db::Database &db);

} // namespace sniper::devices
