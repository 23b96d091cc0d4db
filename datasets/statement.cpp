#include "statement.h"

#include "connection.h"

#include <sqlite3.h>

#include <cmath>
#include <limits>

namespace sniper::db {

Statement::Statement(detail::Connection &conn, std::string_view sql) : m_conn(&conn)
{
    const int rc = sqlite3_prepare_v3(conn.handle, sql.data(), int(sql.size()), SQLITE_PREPARE_PERSISTENT, &m_stmt,
                                      nullptr);
    if (rc != SQLITE_OK) {
        sqlite3_finalize(m_stmt);
        m_stmt = nullptr;
        conn.fail(rc, "preparing a query");
    }
}

Statement::~Statement()
{
    if (m_stmt)
        sqlite3_finalize(m_stmt);
}

Statement::Statement(Statement &&other) noexcept : m_conn(other.m_conn), m_stmt(other.m_stmt)
{
    other.m_stmt = nullptr;
}

Statement &Statement::operator=(Statement &&other) noexcept
{
    if (this != &other) {
        if (m_stmt)
            sqlite3_finalize(m_stmt);
        m_conn = other.m_conn;
        m_stmt = other.m_stmt;
        other.m_stmt = nullptr;
    }
    return *this;
}

Statement &Statement::bind(int index, std::nullptr_t)
{
    if (const int rc = sqlite3_bind_null(m_stmt, index); rc != SQLITE_OK)
        m_conn->fail(rc, "binding a query parameter");
    return *this;
}

Statement &Statement::bind(int index, int64_t value)
{
    if (const int rc = sqlite3_bind_int64(m_stmt, index, value); rc != SQLITE_OK)
        m_conn->fail(rc, "binding a query parameter");
    return *this;
}

Statement &Statement::bind(int index, double value)
{
    if (std::isnan(value))
        return bind(index, nullptr);
    if (const int rc = sqlite3_bind_double(m_stmt, index, value); rc != SQLITE_OK)
        m_conn->fail(rc, "binding a query parameter");
    return *this;
}

Statement &Statement::bind(int index, std::string_view text)
{
    // An empty string_view may have a null data(), which SQLite would bind as NULL, not ''.
    const char *data = text.data() ? text.data() : "";
    if (const int rc = sqlite3_bind_text64(m_stmt, index, data, text.size(), SQLITE_TRANSIENT, SQLITE_UTF8);
        rc != SQLITE_OK)
        m_conn->fail(rc, "binding a query parameter");
    return *this;
}

Statement &Statement::bindBlob(int index, const void *data, size_t size)
{
    if (size == 0)
        return bind(index, nullptr);
    if (const int rc = sqlite3_bind_blob64(m_stmt, index, data, size, SQLITE_TRANSIENT); rc != SQLITE_OK)
        m_conn->fail(rc, "binding a query parameter");
    return *this;
}

bool Statement::step()
{
    const int rc = sqlite3_step(m_stmt);
    if (rc == SQLITE_ROW)
        return true;
    if (rc == SQLITE_DONE)
        return false;
    const int code = sqlite3_extended_errcode(m_conn->handle);
    sqlite3_reset(m_stmt); // leaves the statement reusable after a constraint failure
    m_conn->fail(code, "running a query");
}

void Statement::run()
{
    while (step()) {
    }
}

void Statement::reset()
{
    sqlite3_reset(m_stmt);
    sqlite3_clear_bindings(m_stmt);
}

bool Statement::isNull(int column) const { return sqlite3_column_type(m_stmt, column) == SQLITE_NULL; }

int64_t Statement::int64(int column) const { return sqlite3_column_int64(m_stmt, column); }

double Statement::real(int column) const
{
    return isNull(column) ? std::numeric_limits<double>::quiet_NaN() : sqlite3_column_double(m_stmt, column);
}

std::string Statement::text(int column) const
{
    const auto *p = reinterpret_cast<const char *>(sqlite3_column_text(m_stmt, column));
    return p ? std::string(p, size_t(sqlite3_column_bytes(m_stmt, column))) : std::string();
}

Blob Statement::blob(int column) const
{
    const auto *p = static_cast<const uint8_t *>(sqlite3_column_blob(m_stmt, column));
    return p ? Blob(p, p + sqlite3_column_bytes(m_stmt, column)) : Blob();
}

std::optional<int64_t> Statement::optionalInt64(int column) const
{
    if (isNull(column))
        return std::nullopt;
    return int64(column);
}

CachedStatement::CachedStatement(detail::Connection &conn, std::string_view sql)
{
    auto it = conn.cache.find(sql);
    if (it == conn.cache.end())
        it = conn.cache.emplace(std::string(sql), std::make_unique<detail::CachedSlot>(Statement(conn, sql))).first;
    if (!it->second->busy) {
        m_slot = it->second.get();
        m_slot->busy = true;
        m_stmt = &m_slot->statement;
    } else {
        m_owned = std::make_unique<Statement>(conn, sql);
        m_stmt = m_owned.get();
    }
}

CachedStatement::~CachedStatement()
{
    if (m_slot) {
        m_slot->statement.reset();
        m_slot->busy = false;
    }
}

} // namespace sniper::db
