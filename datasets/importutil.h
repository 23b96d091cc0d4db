#pragma once

// Internal to datasets/: pieces shared by the CSV/JSON importers and the latency-table importer.

#include "csv.h"
#include "database.h"
#include "importexport.h"

#include <nlohmann/json.hpp>

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace sniper::db::detail {

// Header name → column index; lookups are case-insensitive and ignore surrounding spaces.
class Columns {
public:
    explicit Columns(const std::vector<std::string> &header);
    int find(std::string_view name) const; // -1 when absent
    int findAny(std::initializer_list<std::string_view> names) const;
    size_t size() const { return m_names.size(); }
    const std::string &name(int column) const { return m_names[size_t(column)]; }

private:
    std::vector<std::string> m_names; // normalized
};

// The field of a column, or "" when the column is absent.
inline std::string_view field(const CsvRecord &r, int column)
{
    return column >= 0 && size_t(column) < r.fields.size() ? std::string_view(r.fields[size_t(column)]) : std::string_view();
}

std::string normalizeName(std::string_view name); // lower case, trimmed

// Finds models by content hash or by (unique) name, with one query for the whole import.
class ModelResolver {
public:
    explicit ModelResolver(Database &db) : m_db(db) {}
    // nullopt with `error` set when the model is unknown or the name is ambiguous.
    std::optional<int64_t> resolve(std::string_view hash, std::string_view name, std::string &error);
    std::optional<int64_t> byHash(std::string_view hash);
    void remember(int64_t id, const std::string &hash, const std::string &name);

private:
    void load();
    Database &m_db;
    bool m_loaded = false;
    std::unordered_map<std::string, int64_t> m_byHash;
    std::unordered_map<std::string, std::vector<int64_t>> m_byName;
};

// An import recorded as a run (kind "import", config {file, path, format}) inside the import's
// transaction: the measurements it stores point at it, which is their provenance ("origin").
class ImportRun {
public:
    ImportRun(Database &db, const std::string &label, const char *format);
    int64_t id() const { return m_id; }
    void finish(const std::string &summary);

private:
    Database &m_db;
    int64_t m_id;
};

std::string formatNumber(double v); // shortest round-trip text; "" for NaN
int lineOfOffset(std::string_view text, size_t offset); // for JSON parse errors

// Reads the header line of a CSV import: nothing (and an error in `report`) for an empty file;
// throws sniper::Error naming `label` for a malformed header.
std::optional<Columns> readCsvHeader(CsvReader &reader, const std::string &label, ImportReport &report);

// Parses a JSON import document that must be an object holding an array under `key`; on failure
// records the error (with its line) in `report` and returns nothing.
std::optional<nlohmann::json> parseJsonDocument(std::string_view text, const char *key, const char *format,
                                                ImportReport &report);

} // namespace sniper::db::detail
