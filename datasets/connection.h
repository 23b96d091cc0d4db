#pragma once

// Internal to datasets/: the state behind a Database handle. It lives on the heap so that
// statements keep a stable pointer to it when the Database handle is moved.

#include "statement.h"

#include <map>
#include <memory>
#include <string>

struct sqlite3;

namespace sniper::db::detail {

struct CachedSlot {
    Statement statement;
    bool busy = false;
};

struct Connection {
    sqlite3 *handle = nullptr;
    std::string path;
    int busyTimeoutMs = 0;
    bool readOnly = false;
    int savepointDepth = 0;
    std::map<std::string, std::unique_ptr<CachedSlot>, std::less<>> cache;

    ~Connection();

    // Throws SqliteError for a failed SQLite call: what went wrong in words a user can act on,
    // with the database file as the place.
    [[noreturn]] void fail(int rc, std::string_view context) const;
    void exec(std::string_view sql);
};

} // namespace sniper::db::detail
