#include "importutil.h"

#include "common/error.h"

#include "importexport.h"
#include "runs.h"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cmath>
#include <filesystem>

namespace sniper::db {

std::string ImportIssue::text() const
{
    return line > 0 ? "line " + std::to_string(line) + ": " + message : message;
}

void ImportReport::addError(int line, std::string message)
{
    ++skipped;
    if (errors.size() < 1000)
        errors.push_back({line, std::move(message)});
    else
        ++errorsNotListed;
}

std::string ImportReport::summary() const
{
    std::string s = source + ": imported " + std::to_string(imported) + ", skipped " + std::to_string(skipped);
    if (alreadyPresent)
        s += " (" + std::to_string(alreadyPresent) + " already present)";
    const int64_t errorCount = int64_t(errors.size()) + errorsNotListed;
    if (errorCount)
        s += ", " + std::to_string(errorCount) + (errorCount == 1 ? " error" : " errors");
    if (modelsCreated)
        s += ", " + std::to_string(modelsCreated) + " new models";
    if (platformsCreated)
        s += ", " + std::to_string(platformsCreated) + " new platforms";
    return s;
}

namespace detail {

std::string normalizeName(std::string_view name)
{
    while (!name.empty() && std::isspace(static_cast<unsigned char>(name.front())))
        name.remove_prefix(1);
    while (!name.empty() && std::isspace(static_cast<unsigned char>(name.back())))
        name.remove_suffix(1);
    std::string out(name);
    std::transform(out.begin(), out.end(), out.begin(), [](unsigned char c) { return char(std::tolower(c)); });
    return out;
}

Columns::Columns(const std::vector<std::string> &header)
{
    for (const auto &h : header)
        m_names.push_back(normalizeName(h));
}

int Columns::find(std::string_view name) const
{
    const auto it = std::find(m_names.begin(), m_names.end(), name);
    return it == m_names.end() ? -1 : int(it - m_names.begin());
}

int Columns::findAny(std::initializer_list<std::string_view> names) const
{
    for (auto n : names)
        if (int c = find(n); c >= 0)
            return c;
    return -1;
}

void ModelResolver::load()
{
    if (m_loaded)
        return;
    m_loaded = true;
    auto st = m_db.statement("SELECT id, content_hash, name FROM models");
    while (st->step())
        remember(st->int64(0), st->text(1), st->text(2));
}

void ModelResolver::remember(int64_t id, const std::string &hash, const std::string &name)
{
    m_byHash[hash] = id;
    auto &ids = m_byName[name];
    if (std::find(ids.begin(), ids.end(), id) == ids.end())
        ids.push_back(id);
}

std::optional<int64_t> ModelResolver::byHash(std::string_view hash)
{
    load();
    const auto it = m_byHash.find(std::string(hash));
    return it == m_byHash.end() ? std::nullopt : std::optional(it->second);
}

std::optional<int64_t> ModelResolver::resolve(std::string_view hash, std::string_view name, std::string &error)
{
    load();
    if (!hash.empty()) {
        if (auto id = byHash(hash))
            return id;
        error = "unknown model hash '" + std::string(hash) + "'";
        return std::nullopt;
    }
    if (name.empty()) {
        error = "no model given (need a model or model_hash value)";
        return std::nullopt;
    }
    const auto it = m_byName.find(std::string(name));
    if (it == m_byName.end()) {
        error = "unknown model '" + std::string(name) + "' (import or generate it first)";
        return std::nullopt;
    }
    if (it->second.size() > 1) {
        error = "model name '" + std::string(name) + "' is ambiguous (" + std::to_string(it->second.size())
            + " models); give its model_hash";
        return std::nullopt;
    }
    return it->second.front();
}

ImportRun::ImportRun(Database &db, const std::string &label, const char *format) : m_db(db)
{
    RunRepository runs(db);
    m_id = runs.create("import", {{"file", std::filesystem::path(label).filename().string()},
                                  {"path", label},
                                  {"format", format}});
    runs.setState(m_id, RunState::Running);
}

void ImportRun::finish(const std::string &summary) { RunRepository(m_db).setState(m_id, RunState::Finished, summary); }

std::string formatNumber(double v)
{
    if (!std::isfinite(v))
        return {};
    char buffer[32];
    const auto [ptr, ec] = std::to_chars(buffer, buffer + sizeof buffer, v);
    return ec == std::errc() ? std::string(buffer, ptr) : std::string();
}

std::optional<Columns> readCsvHeader(CsvReader &reader, const std::string &label, ImportReport &report)
{
    CsvRecord rec;
    if (!reader.next(rec)) {
        report.errors.push_back({0, "the file is empty (expected a header line)"});
        return std::nullopt;
    }
    if (!rec.error.empty())
        throw Error("line " + std::to_string(rec.line) + ": malformed header: " + rec.error, label);
    return Columns(rec.fields);
}

std::optional<nlohmann::json> parseJsonDocument(std::string_view text, const char *key, const char *format,
                                                ImportReport &report)
{
    nlohmann::json doc;
    try {
        doc = nlohmann::json::parse(text);
    } catch (const nlohmann::json::parse_error &e) {
        report.errors.push_back({lineOfOffset(text, e.byte), std::string("JSON does not parse: ") + e.what()});
        return std::nullopt;
    }
    if (!doc.is_object() || !doc.contains(key) || !doc[key].is_array()) {
        report.errors.push_back({0, std::string("expected an object with a \"") + key + "\" array (format " + format + ")"});
        return std::nullopt;
    }
    return doc;
}

int lineOfOffset(std::string_view text, size_t offset)
{
    offset = std::min(offset, text.size());
    return 1 + int(std::count(text.begin(), text.begin() + std::ptrdiff_t(offset), '\n'));
}

} // namespace detail

} // namespace sniper::db
