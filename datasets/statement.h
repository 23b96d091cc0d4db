#pragma once

// RAII over sqlite3_stmt for the repositories in datasets/ (SPEC §1: no SQL outside this folder).
// Every failure throws SqliteError, a sniper::Error that names the database file.

#include "common/error.h"

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

struct sqlite3_stmt;

namespace sniper::db {

namespace detail {
struct Connection;
struct CachedSlot;
} // namespace detail

using Blob = std::vector<uint8_t>;

// Keeps SQLite's extended result code so callers can turn constraint failures into messages
// that name the model, platform or row at fault.
class SqliteError : public Error {
public:
    SqliteError(std::string what, std::string where, int code) : Error(std::move(what), std::move(where)), m_code(code) {}
    int code() const { return m_code; } // extended result code, e.g. SQLITE_CONSTRAINT_UNIQUE
    bool isConstraint() const { return (m_code & 0xff) == 19; } // SQLITE_CONSTRAINT
    bool isBusy() const { return (m_code & 0xff) == 5 || (m_code & 0xff) == 6; } // SQLITE_BUSY, SQLITE_LOCKED

private:
    int m_code;
};

class Statement {
public:
    Statement(detail::Connection &conn, std::string_view sql);
    ~Statement();
    Statement(Statement &&other) noexcept;
    Statement &operator=(Statement &&other) noexcept;
    Statement(const Statement &) = delete;
    Statement &operator=(const Statement &) = delete;

    // Parameters are 1-based, as in SQLite. NaN doubles bind as NULL (unknown values).
    Statement &bind(int index, std::nullptr_t);
    Statement &bind(int index, int value) { return bind(index, int64_t(value)); }
    Statement &bind(int index, int64_t value);
    Statement &bind(int index, double value);
    Statement &bind(int index, std::string_view text);
    Statement &bind(int index, const char *text) { return bind(index, std::string_view(text)); }
    Statement &bind(int index, const std::string &text) { return bind(index, std::string_view(text)); }
    Statement &bindBlob(int index, const void *data, size_t size); // empty → NULL
    template <class T> Statement &bind(int index, const std::optional<T> &value)
    {
        return value ? bind(index, *value) : bind(index, nullptr);
    }

    bool step(); // true while a row is available
    void run();  // steps to completion
    void reset(); // ready to run again, bindings cleared

    bool isNull(int column) const;
    int64_t int64(int column) const;
    int integer(int column) const { return int(int64(column)); }
    double real(int column) const; // NULL → NaN
    std::string text(int column) const;
    Blob blob(int column) const;
    std::optional<int64_t> optionalInt64(int column) const;

private:
    detail::Connection *m_conn = nullptr;
    sqlite3_stmt *m_stmt = nullptr;
};

// A statement from the connection's cache: prepared once per connection, reset when this handle
// goes out of scope. Bulk imports run the same INSERT hundreds of thousands of times.
class CachedStatement {
public:
    CachedStatement(detail::Connection &conn, std::string_view sql);
    ~CachedStatement();
    CachedStatement(const CachedStatement &) = delete;
    CachedStatement &operator=(const CachedStatement &) = delete;

    Statement *operator->() { return m_stmt; }
    Statement &operator*() { return *m_stmt; }

private:
    detail::CachedSlot *m_slot = nullptr;      // null when the cached one was busy (re-entrant use)
    std::unique_ptr<Statement> m_owned;
    Statement *m_stmt = nullptr;
};

} // namespace sniper::db
