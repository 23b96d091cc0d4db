#include "schema.h"

#include "database.h"

namespace sniper::db::detail {

namespace {

// Version 1. JSON columns hold text that SQLite's json_valid() accepts (checked on insert).
// Timestamps are Unix epoch milliseconds. NULL in a statistic means "not known" (NaN in C++).
// measurements is WITHOUT ROWID on its key: a 360k-row NAS-Bench-201 import needs no extra
// unique index. measurements.run_id has no index: deleting a run is rare, a scan is fine.
constexpr const char *kVersion1 = R"sql(
CREATE TABLE models (
    id            INTEGER PRIMARY KEY,
    content_hash  TEXT NOT NULL UNIQUE,
    name          TEXT NOT NULL,
    source        TEXT NOT NULL DEFAULT '',
    onnx          BLOB,
    onnx_path     TEXT,
    input_shape   TEXT NOT NULL DEFAULT '[]' CHECK (json_valid(input_shape)),
    created_ms    INTEGER NOT NULL
);
CREATE INDEX models_by_name ON models(name);

CREATE TABLE features (
    model_id          INTEGER NOT NULL REFERENCES models(id) ON DELETE CASCADE,
    extractor_version TEXT NOT NULL,
    vector            TEXT NOT NULL CHECK (json_valid(vector)),
    structure_class   INTEGER NOT NULL DEFAULT 0,
    required_ops      TEXT NOT NULL DEFAULT '[]' CHECK (json_valid(required_ops)),
    computed_ms       INTEGER NOT NULL,
    PRIMARY KEY (model_id, extractor_version)
) WITHOUT ROWID;

CREATE TABLE platforms (
    id           TEXT PRIMARY KEY,
    description  TEXT NOT NULL DEFAULT '{}' CHECK (json_valid(description)),
    created_ms   INTEGER NOT NULL
);

CREATE TABLE runs (
    id           INTEGER PRIMARY KEY,
    kind         TEXT NOT NULL,
    config       TEXT NOT NULL DEFAULT '{}' CHECK (json_valid(config)),
    state        TEXT NOT NULL DEFAULT 'pending'
                 CHECK (state IN ('pending', 'running', 'paused', 'finished', 'failed', 'cancelled')),
    message      TEXT NOT NULL DEFAULT '',
    created_ms   INTEGER NOT NULL,
    started_ms   INTEGER,
    finished_ms  INTEGER
);

CREATE TABLE measurements (
    model_id         INTEGER NOT NULL REFERENCES models(id) ON DELETE CASCADE,
    platform_id      TEXT NOT NULL REFERENCES platforms(id) ON DELETE CASCADE,
    batch            INTEGER NOT NULL CHECK (batch >= 1),
    status           TEXT NOT NULL CHECK (status IN ('ok', 'unsupported', 'error')),
    message          TEXT NOT NULL DEFAULT '',
    median_ms        REAL,
    mean_ms          REAL,
    std_ms           REAL,
    min_ms           REAL,
    p90_ms           REAL,
    ci_half_width_ms REAL,
    runs             INTEGER NOT NULL DEFAULT 0,
    converged        INTEGER NOT NULL DEFAULT 0,
    protocol         TEXT NOT NULL DEFAULT '{}' CHECK (json_valid(protocol)),
    measurable       TEXT NOT NULL DEFAULT '{}' CHECK (json_valid(measurable)),
    measured_ms      INTEGER NOT NULL,
    run_id           INTEGER REFERENCES runs(id) ON DELETE SET NULL,
    PRIMARY KEY (model_id, platform_id, batch)
) WITHOUT ROWID;
CREATE INDEX measurements_by_platform ON measurements(platform_id, batch);

CREATE TABLE run_items (
    run_id       INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
    model_id     INTEGER NOT NULL REFERENCES models(id) ON DELETE CASCADE,
    platform_id  TEXT NOT NULL REFERENCES platforms(id) ON DELETE CASCADE,
    batch        INTEGER NOT NULL DEFAULT 1 CHECK (batch >= 1),
    state        TEXT NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'done', 'failed', 'skipped')),
    message      TEXT NOT NULL DEFAULT '',
    updated_ms   INTEGER,
    PRIMARY KEY (run_id, model_id, platform_id, batch)
) WITHOUT ROWID;
CREATE INDEX run_items_by_model ON run_items(model_id);
CREATE INDEX run_items_by_platform ON run_items(platform_id);

CREATE TABLE datasets (
    id           INTEGER PRIMARY KEY,
    name         TEXT NOT NULL UNIQUE,
    kind         TEXT NOT NULL DEFAULT '',
    spec         TEXT NOT NULL DEFAULT '{}' CHECK (json_valid(spec)),
    created_ms   INTEGER NOT NULL
);

CREATE TABLE dataset_members (
    dataset_id   INTEGER NOT NULL REFERENCES datasets(id) ON DELETE CASCADE,
    model_id     INTEGER NOT NULL REFERENCES models(id) ON DELETE CASCADE,
    split        TEXT NOT NULL DEFAULT '',
    position     INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (dataset_id, model_id)
) WITHOUT ROWID;
CREATE INDEX dataset_members_by_model ON dataset_members(model_id);

CREATE TABLE predictors (
    id              INTEGER PRIMARY KEY,
    name            TEXT NOT NULL DEFAULT '',
    kind            TEXT NOT NULL,
    hyperparameters TEXT NOT NULL DEFAULT '{}' CHECK (json_valid(hyperparameters)),
    weights         BLOB,
    metrics         TEXT NOT NULL DEFAULT '{}' CHECK (json_valid(metrics)),
    dataset_id      INTEGER REFERENCES datasets(id) ON DELETE SET NULL,
    training        TEXT NOT NULL DEFAULT '{}' CHECK (json_valid(training)),
    created_ms      INTEGER NOT NULL
);
CREATE INDEX predictors_by_dataset ON predictors(dataset_id) WHERE dataset_id IS NOT NULL;

CREATE TABLE experiments (
    id            INTEGER PRIMARY KEY,
    name          TEXT NOT NULL DEFAULT '',
    kind          TEXT NOT NULL,
    config        TEXT NOT NULL DEFAULT '{}' CHECK (json_valid(config)),
    seed          INTEGER NOT NULL DEFAULT 0,
    results       TEXT NOT NULL DEFAULT '{}' CHECK (json_valid(results)),
    results_blob  BLOB,
    created_ms    INTEGER NOT NULL
);
)sql";

// Remote boards reached over SSH (SPEC §9); secrets are never stored, only how to authenticate.
constexpr const char *kVersion2 = R"sql(
CREATE TABLE devices (
    id          INTEGER PRIMARY KEY,
    name        TEXT NOT NULL UNIQUE,
    host        TEXT NOT NULL,
    port        INTEGER NOT NULL DEFAULT 22,
    user        TEXT NOT NULL,
    auth        TEXT NOT NULL CHECK (auth IN ('key', 'agent', 'password')),
    key_file    TEXT NOT NULL DEFAULT '',
    work_dir    TEXT NOT NULL,
    platforms   TEXT NOT NULL DEFAULT '[]' CHECK (json_valid(platforms)),
    created_ms  INTEGER NOT NULL
);
)sql";

// Module-level latency samples (SPEC §8): one row per measured module instance. A sampling
// sequence is (set_name, module, platform_id, seed); idx is the position in it, so a resumed run
// measures exactly the indices that are missing. Parameters a module does not use are 0.
constexpr const char *kVersion3 = R"sql(
CREATE TABLE module_samples (
    set_name     TEXT NOT NULL,
    module       TEXT NOT NULL CHECK (module IN ('conv', 'bn', 'linear', 'avgpool', 'maxpool', 'conv+bn',
                                                 'conv+relu', 'conv+bn+relu', 'bn+relu')),
    platform_id  TEXT NOT NULL,
    idx          INTEGER NOT NULL CHECK (idx >= 0),
    n            INTEGER NOT NULL CHECK (n >= 1),
    l            INTEGER NOT NULL DEFAULT 0,
    ci           INTEGER NOT NULL,
    co           INTEGER NOT NULL DEFAULT 0,
    k            INTEGER NOT NULL DEFAULT 0,
    s            INTEGER NOT NULL DEFAULT 0,
    memory_mb    REAL NOT NULL,
    utilization  REAL NOT NULL,
    background   INTEGER NOT NULL DEFAULT 0,
    median_ms    REAL NOT NULL CHECK (median_ms > 0),
    measured_ms  INTEGER NOT NULL,
    PRIMARY KEY (set_name, module, platform_id, idx)
) WITHOUT ROWID;

CREATE TABLE module_sets (
    set_name     TEXT PRIMARY KEY,
    spec         TEXT NOT NULL DEFAULT '{}' CHECK (json_valid(spec)),
    created_ms   INTEGER NOT NULL
);
)sql";

// Measurement evidence and history (docs/database.md): the contention gate's evidence on every
// measurement, and every earlier measurement of a (model, platform, batch) kept in
// measurement_history. measurements holds the current value of each pair: the latest clean one
// (ok and not contended), or the latest of any when the pair has no clean one. Rows of version
// 3 stay where they are: each is its pair's current value, with unknown evidence. Module
// samples get the probe ratio and the contended flag too.
constexpr const char *kVersion4 = R"sql(
ALTER TABLE measurements ADD COLUMN probe_ratio REAL;
ALTER TABLE measurements ADD COLUMN probe_baseline_ms REAL;
ALTER TABLE measurements ADD COLUMN runs_discarded INTEGER NOT NULL DEFAULT 0;
ALTER TABLE measurements ADD COLUMN retries INTEGER NOT NULL DEFAULT 0;
ALTER TABLE measurements ADD COLUMN contended INTEGER NOT NULL DEFAULT 0;

CREATE TABLE measurement_history (
    id               INTEGER PRIMARY KEY,
    model_id         INTEGER NOT NULL REFERENCES models(id) ON DELETE CASCADE,
    platform_id      TEXT NOT NULL REFERENCES platforms(id) ON DELETE CASCADE,
    batch            INTEGER NOT NULL CHECK (batch >= 1),
    status           TEXT NOT NULL CHECK (status IN ('ok', 'unsupported', 'error')),
    message          TEXT NOT NULL DEFAULT '',
    median_ms        REAL,
    mean_ms          REAL,
    std_ms           REAL,
    min_ms           REAL,
    p90_ms           REAL,
    ci_half_width_ms REAL,
    runs             INTEGER NOT NULL DEFAULT 0,
    converged        INTEGER NOT NULL DEFAULT 0,
    protocol         TEXT NOT NULL DEFAULT '{}' CHECK (json_valid(protocol)),
    measurable       TEXT NOT NULL DEFAULT '{}' CHECK (json_valid(measurable)),
    measured_ms      INTEGER NOT NULL,
    run_id           INTEGER REFERENCES runs(id) ON DELETE SET NULL,
    probe_ratio      REAL,
    probe_baseline_ms REAL,
    runs_discarded   INTEGER NOT NULL DEFAULT 0,
    retries          INTEGER NOT NULL DEFAULT 0,
    contended        INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX measurement_history_by_key ON measurement_history(model_id, platform_id, batch);

ALTER TABLE module_samples ADD COLUMN probe_ratio REAL;
ALTER TABLE module_samples ADD COLUMN contended INTEGER NOT NULL DEFAULT 0;
)sql";

// Rounds (docs/runtime.md): a measurement taken in several rounds stores its fastest clean round,
// how many rounds it took and how far the next-fastest round's median was from it. Rows of
// version 4 were taken in one round.
constexpr const char *kVersion5 = R"sql(
ALTER TABLE measurements ADD COLUMN rounds INTEGER NOT NULL DEFAULT 1;
ALTER TABLE measurements ADD COLUMN round_spread REAL;
ALTER TABLE measurement_history ADD COLUMN rounds INTEGER NOT NULL DEFAULT 1;
ALTER TABLE measurement_history ADD COLUMN round_spread REAL;
)sql";

} // namespace

const std::vector<Migration> &migrations()
{
    // Append new steps at the end; never edit a step that has been released.
    static const std::vector<Migration> steps = {
        {1, kVersion1},
        {2, kVersion2},
        {3, kVersion3},
        {4, kVersion4},
        {5, kVersion5},
    };
    return steps;
}

const std::vector<const char *> &schemaTables()
{
    static const std::vector<const char *> tables = {"models",    "features",   "platforms",   "measurements",
                                                     "runs",      "run_items",  "datasets",    "dataset_members",
                                                     "predictors", "experiments", "devices",
                                                     "module_samples", "module_sets", "measurement_history"};
    return tables;
}

} // namespace sniper::db::detail
