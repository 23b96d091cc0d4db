#include "database.h"

#include "connection.h"
#include "schema.h"

#include <sqlite3.h>

#include <algorithm>
#include <chrono>
#include <cstring>
#include <filesystem>
#include <fstream>

namespace fs = std::filesystem;

namespace sniper::db {

namespace detail {

Connection::~Connection()
{
    cache.clear(); // finalize statements before closing
    if (handle)
        sqlite3_close_v2(handle);
}

void Connection::fail(int rc, std::string_view context) const
{
    const std::string sqliteMessage = handle ? sqlite3_errmsg(handle) : sqlite3_errstr(rc);
    std::string what;
    switch (rc & 0xff) {
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
        what = "database is locked by another connection or program (gave up after " + std::to_string(busyTimeoutMs)
            + " ms while " + std::string(context) + "); close the other program or try again";
        break;
    case SQLITE_NOTADB:
        what = "file is not an SQLite database (or is encrypted); nothing was changed";
        break;
    case SQLITE_CORRUPT:
        what = "database file is corrupt (" + sqliteMessage + ") while " + std::string(context)
            + "; restore a backup or export what still reads; nothing was changed";
        break;
    case SQLITE_READONLY:
        what = "database is read-only (" + sqliteMessage + ")";
        break;
    case SQLITE_CANTOPEN:
        what = "cannot open the database file (missing folder or no permission)";
        break;
    case SQLITE_FULL:
        what = "disk full while " + std::string(context) + "; the last change was rolled back";
        break;
    default:
        what = sqliteMessage + " (while " + std::string(context) + ")";
    }
    throw SqliteError(std::move(what), path, rc);
}

void Connection::exec(std::string_view sql)
{
    const std::string text(sql);
    char *message = nullptr;
    const int rc = sqlite3_exec(handle, text.c_str(), nullptr, nullptr, &message);
    sqlite3_free(message);
    if (rc != SQLITE_OK)
        fail(sqlite3_extended_errcode(handle), "running " + text.substr(0, 40));
}

} // namespace detail

namespace {

int64_t pragmaInt(detail::Connection &conn, const char *sql)
{
    Statement st(conn, sql);
    return st.step() ? st.int64(0) : 0;
}

uint32_t bigEndian32(const unsigned char *p) { return uint32_t(p[0]) << 24 | uint32_t(p[1]) << 16 | uint32_t(p[2]) << 8 | p[3]; }

// Reads the 100-byte header before SQLite touches the file, so garbage and truncated files are
// refused with a precise message, and never "repaired" by a write.
void checkFileHeader(const std::string &path)
{
    std::error_code ec;
    const auto size = fs::file_size(path, ec);
    if (ec || size == 0)
        return; // SQLite reports missing files; an empty file is a new database
    std::ifstream in(path, std::ios::binary);
    unsigned char header[100] = {};
    in.read(reinterpret_cast<char *>(header), sizeof header);
    if (in.gcount() < 16 || std::memcmp(header, "SQLite format 3", 16) != 0)
        throw Error("file is not an SQLite database (it lacks the SQLite header); nothing was changed", path);
    if (in.gcount() < 100)
        throw Error("database file is truncated (" + std::to_string(size) + " bytes, shorter than the SQLite header); "
                        "nothing was changed",
                    path);
    uint32_t pageSize = uint32_t(header[16]) << 8 | header[17];
    if (pageSize == 1)
        pageSize = 65536;
    const uint32_t changeCounter = bigEndian32(header + 24);
    const uint32_t pages = bigEndian32(header + 28);
    const uint32_t validFor = bigEndian32(header + 92);
    // With a non-empty WAL the main file may legitimately lag behind the header; SQLite recovers.
    const auto walSize = fs::file_size(path + "-wal", ec);
    const bool walHasFrames = !ec && walSize > 0;
    if (pages != 0 && changeCounter == validFor && !walHasFrames && uint64_t(pages) * pageSize > size)
        throw Error("database file is truncated: its header says " + std::to_string(pages) + " pages of "
                        + std::to_string(pageSize) + " bytes, the file has " + std::to_string(size)
                        + " bytes; restore a backup; nothing was changed",
                    path);
}

void migrate(detail::Connection &conn)
{
    const auto &steps = detail::migrations();
    if (steps.empty() || steps.back().version != kSchemaVersion)
        throw Error("internal: migration list does not end at schema version " + std::to_string(kSchemaVersion));

    // IMMEDIATE: two programs opening a new project at once serialize here; the second one
    // re-reads user_version inside the transaction and finds nothing to do.
    conn.exec("BEGIN IMMEDIATE");
    try {
        const int64_t current = pragmaInt(conn, "PRAGMA user_version");
        for (const auto &step : steps) {
            if (step.version <= current)
                continue;
            try {
                conn.exec(step.sql);
            } catch (const Error &e) {
                throw Error("migration to schema version " + std::to_string(step.version)
                                + " failed, nothing was changed: " + e.problem(),
                            conn.path);
            }
        }
        if (current < kSchemaVersion) {
            conn.exec("PRAGMA application_id = " + std::to_string(kApplicationId));
            conn.exec("PRAGMA user_version = " + std::to_string(kSchemaVersion));
        }
        conn.exec("COMMIT");
    } catch (...) {
        sqlite3_exec(conn.handle, "ROLLBACK", nullptr, nullptr, nullptr);
        throw;
    }
}

} // namespace

Database Database::open(const std::string &path, OpenMode mode, const OpenOptions &options)
{
    // SQLite's memory statistics take a global mutex on every allocation; we never read them.
    // Only possible before SQLite initializes (else a harmless SQLITE_MISUSE).
    static const int memstatus = sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
    (void)memstatus;

    std::error_code ec;
    if (mode != OpenMode::CreateIfMissing && !fs::exists(path, ec))
        throw Error("database file does not exist", path);
    if (fs::is_directory(path, ec))
        throw Error("is a folder, not a database file", path);
    checkFileHeader(path);

    auto conn = std::make_unique<detail::Connection>();
    conn->path = path;
    conn->busyTimeoutMs = options.busyTimeoutMs;
    conn->readOnly = mode == OpenMode::ReadOnly;
    // NOMUTEX: a Database (and its statement cache) belongs to one thread at a time anyway.
    int flags = SQLITE_OPEN_NOMUTEX | (mode == OpenMode::ReadOnly ? SQLITE_OPEN_READONLY : SQLITE_OPEN_READWRITE);
    if (mode == OpenMode::CreateIfMissing)
        flags |= SQLITE_OPEN_CREATE;
    const int rc = sqlite3_open_v2(path.c_str(), &conn->handle, flags, nullptr);
    if (rc != SQLITE_OK)
        conn->fail(rc, "opening");
    sqlite3_extended_result_codes(conn->handle, 1);
    sqlite3_busy_timeout(conn->handle, options.busyTimeoutMs);

    // Read-only probes first: a foreign, corrupt or newer file is refused before any write
    // (even switching to WAL rewrites header bytes).
    const int64_t objects = pragmaInt(*conn, "SELECT count(*) FROM sqlite_schema");
    const int64_t version = pragmaInt(*conn, "PRAGMA user_version");
    const int64_t appId = pragmaInt(*conn, "PRAGMA application_id");
    if (version > kSchemaVersion)
        throw Error("database schema version " + std::to_string(version) + " is newer than this build supports ("
                        + std::to_string(kSchemaVersion) + "); open it with a newer Sniper Workbench. Nothing was changed",
                    path);
    if (appId != kApplicationId && (appId != 0 || objects > 0))
        throw Error("SQLite file is not a Sniper Workbench database (application_id " + std::to_string(appId) + ", "
                        + std::to_string(objects) + " schema objects); nothing was changed",
                    path);
    if (mode == OpenMode::ReadOnly && version < kSchemaVersion)
        throw Error("database schema version " + std::to_string(version) + " is older than this build's ("
                        + std::to_string(kSchemaVersion) + ") and a read-only open cannot migrate it; open it read-write once",
                    path);

    conn->exec("PRAGMA foreign_keys = ON");
    conn->exec("PRAGMA cache_size = -32768"); // 32 MiB: a 360k-row import stays in memory until commit
    if (mode != OpenMode::ReadOnly) {
        conn->exec("PRAGMA journal_mode = WAL");
        conn->exec("PRAGMA synchronous = NORMAL"); // WAL + NORMAL: durable on checkpoint, safe on crash
        if (version < kSchemaVersion)
            migrate(*conn);
    }
    return Database(std::move(conn));
}

Database::Database(std::unique_ptr<detail::Connection> conn) : m_conn(std::move(conn)) {}
Database::~Database() = default;
Database::Database(Database &&) noexcept = default;
Database &Database::operator=(Database &&) noexcept = default;

const std::string &Database::path() const { return m_conn->path; }
bool Database::isReadOnly() const { return m_conn->readOnly; }
int Database::schemaVersion() const { return int(pragmaInt(*m_conn, "PRAGMA user_version")); }
bool Database::foreignKeysEnabled() const { return pragmaInt(*m_conn, "PRAGMA foreign_keys") == 1; }
int Database::busyTimeoutMs() const { return m_conn->busyTimeoutMs; }

std::string Database::journalMode() const
{
    Statement st(*m_conn, "PRAGMA journal_mode");
    return st.step() ? st.text(0) : std::string();
}

void Database::setBusyTimeout(int ms)
{
    m_conn->busyTimeoutMs = ms;
    sqlite3_busy_timeout(m_conn->handle, ms);
}

std::vector<std::string> Database::tables() const
{
    std::vector<std::string> out;
    Statement st(*m_conn, "SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name");
    while (st.step())
        out.push_back(st.text(0));
    return out;
}

IntegrityReport Database::integrityCheck() const
{
    IntegrityReport report;
    Statement st(*m_conn, "PRAGMA integrity_check");
    while (st.step()) {
        const std::string line = st.text(0);
        if (line != "ok")
            report.problems.push_back(line);
    }
    Statement fk(*m_conn, "PRAGMA foreign_key_check");
    while (fk.step())
        report.problems.push_back("foreign key violation: table " + fk.text(0) + " row " + std::to_string(fk.int64(1))
                                  + " refers to a missing row of " + fk.text(2));
    report.ok = report.problems.empty();
    return report;
}

DatabaseStats Database::stats() const
{
    DatabaseStats s;
    s.schemaVersion = schemaVersion();
    s.journalMode = journalMode();
    std::error_code ec;
    const auto size = fs::file_size(m_conn->path, ec);
    s.fileBytes = ec ? 0 : int64_t(size);
    for (const char *table : detail::schemaTables()) {
        Statement st(*m_conn, std::string("SELECT count(*) FROM ") + table);
        s.rows.emplace_back(table, st.step() ? st.int64(0) : 0);
    }
    return s;
}

void Database::checkpoint() { m_conn->exec("PRAGMA wal_checkpoint(TRUNCATE)"); }

CachedStatement Database::statement(std::string_view sql) const { return CachedStatement(*m_conn, sql); }
void Database::exec(std::string_view sql) const { m_conn->exec(sql); }
int64_t Database::lastInsertId() const { return sqlite3_last_insert_rowid(m_conn->handle); }
int64_t Database::changes() const { return sqlite3_changes64(m_conn->handle); }

Transaction::Transaction(Database &db) : m_conn(&db.connection()), m_depth(m_conn->savepointDepth)
{
    if (m_depth == 0 && !sqlite3_get_autocommit(m_conn->handle))
        throw Error("internal: a transaction is already open on this connection outside Transaction", m_conn->path);
    m_conn->exec(m_depth == 0 ? std::string("BEGIN IMMEDIATE") : "SAVEPOINT sp_" + std::to_string(m_depth));
    ++m_conn->savepointDepth;
}

Transaction::~Transaction()
{
    if (m_open) {
        try {
            rollback();
        } catch (...) {
            // A destructor must not throw; SQLite rolls back an unfinished transaction on close anyway.
        }
    }
}

void Transaction::commit()
{
    if (!m_open)
        throw Error("internal: transaction already finished", m_conn->path);
    m_conn->exec(m_depth == 0 ? std::string("COMMIT") : "RELEASE sp_" + std::to_string(m_depth));
    m_open = false;
    --m_conn->savepointDepth;
}

void Transaction::rollback()
{
    if (!m_open)
        return;
    m_open = false;
    --m_conn->savepointDepth;
    if (m_depth == 0) {
        if (!sqlite3_get_autocommit(m_conn->handle)) // SQLite may have rolled back already (e.g. disk full)
            m_conn->exec("ROLLBACK");
    } else {
        m_conn->exec("ROLLBACK TO sp_" + std::to_string(m_depth));
        m_conn->exec("RELEASE sp_" + std::to_string(m_depth));
    }
}

int64_t nowMs()
{
    using namespace std::chrono;
    return duration_cast<milliseconds>(system_clock::now().time_since_epoch()).count();
}

} // namespace sniper::db
