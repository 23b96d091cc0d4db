#pragma once

// Internal to datasets/: JSON columns. nlohmann writes NaN as null; we read null back as NaN,
// so "unknown" survives a round trip through the database and through JSON export.

#include "common/error.h"

#include <nlohmann/json.hpp>

#include <cmath>
#include <cstdint>
#include <limits>
#include <string>
#include <vector>

namespace sniper::db::detail {

inline std::string dumpJson(const nlohmann::json &j) { return j.is_null() ? std::string("{}") : j.dump(); }

// Stored JSON is checked by json_valid() on insert, so a parse failure means the file was edited
// by hand or damaged: report it with the table and row.
inline nlohmann::json parseJsonColumn(const std::string &text, const std::string &where)
{
    try {
        return text.empty() ? nlohmann::json::object() : nlohmann::json::parse(text);
    } catch (const nlohmann::json::exception &e) {
        throw Error(std::string("stored JSON does not parse: ") + e.what(), where);
    }
}

inline double numberOrNaN(const nlohmann::json &j)
{
    return j.is_number() ? j.get<double>() : std::numeric_limits<double>::quiet_NaN();
}

inline nlohmann::json numberOrNull(double v) { return std::isfinite(v) ? nlohmann::json(v) : nlohmann::json(); }

inline std::string shapeJson(const std::vector<int64_t> &shape) { return nlohmann::json(shape).dump(); }

inline std::vector<int64_t> shapeFromJson(const std::string &text, const std::string &where)
{
    const auto j = parseJsonColumn(text, where);
    std::vector<int64_t> shape;
    if (j.is_array())
        for (const auto &d : j)
            shape.push_back(d.is_number_integer() ? d.get<int64_t>() : 0);
    return shape;
}

} // namespace sniper::db::detail
