#pragma once

// The Network Characteristic Database (SPEC §6): one SQLite file per project, opened in WAL mode
// with foreign keys on and versioned, append-only migrations. docs/database.md has the schema.

#include "statement.h"

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace sniper::db {

// The schema version this build writes; migrations run up to it, newer files are refused.
inline constexpr int kSchemaVersion = 5;
// PRAGMA application_id of our files ("SNPR"), so a foreign SQLite file is not migrated.
inline constexpr int32_t kApplicationId = 0x534E5052;

enum class OpenMode {
    CreateIfMissing, // read-write; a missing file becomes a new, empty project database
    ExistingOnly,    // read-write; a missing file is an error
    ReadOnly,        // no writes, no migrations; the file must exist at the current schema version
};

struct OpenOptions {
    int busyTimeoutMs = 5000; // how long a statement waits for another connection's lock
};

struct IntegrityReport {
    bool ok = true;
    std::vector<std::string> problems; // PRAGMA integrity_check / foreign_key_check lines
};

struct DatabaseStats {
    int schemaVersion = 0;
    std::string journalMode;
    int64_t fileBytes = 0;
    std::vector<std::pair<std::string, int64_t>> rows; // table name → row count
};

// One connection. Use it from one thread at a time (a worker opens its own); WAL lets several
// connections, threads or programs read while one writes.
class Database {
public:
    // Throws sniper::Error naming the file when it is missing (ExistingOnly/ReadOnly), is not a
    // database, is corrupt or truncated, has a newer schema, or stays locked past the busy timeout.
    // A refused file is left byte-for-byte as it was.
    static Database open(const std::string &path, OpenMode mode = OpenMode::CreateIfMissing,
                         const OpenOptions &options = {});

    ~Database();
    Database(Database &&) noexcept;
    Database &operator=(Database &&) noexcept;

    const std::string &path() const;
    bool isReadOnly() const;
    int schemaVersion() const; // PRAGMA user_version
    std::string journalMode() const;
    bool foreignKeysEnabled() const;
    int busyTimeoutMs() const;
    void setBusyTimeout(int ms);

    std::vector<std::string> tables() const; // user tables, sorted
    IntegrityReport integrityCheck() const;  // integrity_check + foreign_key_check; reads every page
    DatabaseStats stats() const;
    void checkpoint(); // folds the WAL into the main file (before copying the file elsewhere)

    // For the repositories in datasets/ only (SPEC §1: no SQL elsewhere).
    CachedStatement statement(std::string_view sql) const;
    void exec(std::string_view sql) const;
    int64_t lastInsertId() const;
    int64_t changes() const;
    detail::Connection &connection() const { return *m_conn; }

private:
    explicit Database(std::unique_ptr<detail::Connection> conn);
    std::unique_ptr<detail::Connection> m_conn;
};

// A scoped write transaction: BEGIN IMMEDIATE (takes the write lock up front, so a busy database
// fails after the busy timeout instead of deadlocking mid-way), or a SAVEPOINT when nested.
// Rolls back unless commit() was called.
class Transaction {
public:
    explicit Transaction(Database &db);
    ~Transaction();
    Transaction(const Transaction &) = delete;
    Transaction &operator=(const Transaction &) = delete;

    void commit();
    void rollback();

private:
    detail::Connection *m_conn;
    int m_depth; // 0: the outer BEGIN; n > 0: SAVEPOINT sp_n
    bool m_open = true;
};

// Current Unix time in milliseconds: what every *_ms timestamp column holds.
int64_t nowMs();

} // namespace sniper::db
