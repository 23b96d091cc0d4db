#include "importexport.h"

#include "csv.h"
#include "importutil.h"
#include "jsonutil.h"
#include "models.h"

#include <algorithm>
#include <cmath>
#include <deque>
#include <map>
#include <ostream>
#include <set>

namespace sniper::db {

namespace {

const std::vector<std::string> kCsvHeader = {
    "model", "model_hash", "platform", "batch", "status", "message", "median_ms", "mean_ms", "std_ms",
    "min_ms", "p90_ms", "ci_half_width_ms", "runs", "converged", "timestamp_ms", "origin", "protocol", "measurable",
    "evidence"};

std::string hashOf(const Database &db, int64_t modelId, std::map<int64_t, std::string> &cache)
{
    if (auto it = cache.find(modelId); it != cache.end())
        return it->second;
    auto st = db.statement("SELECT content_hash FROM models WHERE id = ?1");
    st->bind(1, modelId);
    return cache[modelId] = st->step() ? st->text(0) : std::string();
}

// The text of one measurement row, from a CSV record or a JSON entry.
struct RowValues {
    std::string_view hash, name, platform, batch, status, message, runs, converged, timestamp, protocol, measurable;
    std::string_view evidence;
    std::string_view stats[6]; // median, mean, std, min, p90, ci half-width
};

// Parses one row into `m`; returns "" or what is wrong.
std::string toMeasurement(const RowValues &v, runtime::Measurement &m)
{
    m.platform = std::string(v.platform);
    if (m.platform.empty())
        return "empty platform";
    m.protocol = protocolFromJson(nlohmann::json::object()); // unknown unless the row says
    if (!v.protocol.empty()) {
        const auto j = nlohmann::json::parse(v.protocol, nullptr, false);
        if (j.is_discarded() || !j.is_object())
            return "protocol is not a JSON object";
        m.protocol = protocolFromJson(j);
    }
    if (!v.batch.empty()) {
        const auto b = parseInt(v.batch);
        if (!b || *b < 1 || *b > 1'000'000)
            return "batch '" + std::string(v.batch) + "' is not a whole number >= 1";
        m.protocol.batch = int(*b);
    }
    const auto status = v.status.empty() ? std::optional(runtime::MeasurementStatus::Ok) : parseStatus(v.status);
    if (!status)
        return "status '" + std::string(v.status) + "' is not ok, unsupported or error";
    m.status = *status;
    m.message = std::string(v.message);
    static const char *statNames[6] = {"median_ms", "mean_ms", "std_ms", "min_ms", "p90_ms", "ci_half_width_ms"};
    double *targets[6] = {&m.stats.medianMs, &m.stats.meanMs, &m.stats.stdMs, &m.stats.minMs, &m.stats.p90Ms, &m.stats.ciHalfWidthMs};
    for (int i = 0; i < 6; ++i) {
        *targets[i] = runtime::MeasurableParams::kUnknown;
        if (v.stats[i].empty())
            continue;
        const auto x = parseDouble(v.stats[i]);
        if (!x || !std::isfinite(*x) || *x < 0)
            return std::string(statNames[i]) + " '" + std::string(v.stats[i]) + "' is not a non-negative number";
        *targets[i] = *x;
    }
    if (m.status == runtime::MeasurementStatus::Ok && !(m.stats.medianMs > 0))
        return "an ok measurement needs a positive median_ms";
    m.stats.runs = 0;
    if (!v.runs.empty()) {
        const auto r = parseInt(v.runs);
        if (!r || *r < 0)
            return "runs '" + std::string(v.runs) + "' is not a whole number";
        m.stats.runs = int(*r);
    }
    m.stats.converged = v.converged == "1" || v.converged == "true";
    if (!v.converged.empty() && !m.stats.converged && v.converged != "0" && v.converged != "false")
        return "converged '" + std::string(v.converged) + "' is not 0/1/true/false";
    m.timestampMs = 0;
    if (!v.timestamp.empty()) {
        const auto t = parseInt(v.timestamp);
        if (!t || *t < 0)
            return "timestamp_ms '" + std::string(v.timestamp) + "' is not a whole number of milliseconds";
        m.timestampMs = *t;
    }
    m.environment = runtime::MeasurableParams{};
    if (!v.measurable.empty()) {
        const auto j = nlohmann::json::parse(v.measurable, nullptr, false);
        if (j.is_discarded() || !j.is_object())
            return "measurable is not a JSON object";
        m.environment = measurableFromJson(j);
    }
    m.evidence = runtime::ContentionEvidence{};
    if (!v.evidence.empty()) {
        const auto j = nlohmann::json::parse(v.evidence, nullptr, false);
        if (j.is_discarded() || !j.is_object())
            return "evidence is not a JSON object";
        m.evidence = evidenceFromJson(j);
    }
    return {};
}

struct ImportContext {
    Database &db;
    const std::string &label;
    const ImportOptions &options;
    ImportReport &report;
    int64_t runId = 0;
    detail::ModelResolver resolver{db};
    std::set<std::string, std::less<>> knownPlatforms{};
};

// Writes one parsed row; returns "" or what is wrong.
std::string storeRow(ImportContext &ctx, const RowValues &v)
{
    std::string error;
    const auto modelId = ctx.resolver.resolve(v.hash, v.name, error);
    if (!modelId)
        return error;
    runtime::Measurement m;
    if (error = toMeasurement(v, m); !error.empty())
        return error;
    if (!ctx.knownPlatforms.contains(m.platform)) {
        PlatformRepository platforms(ctx.db);
        if (platforms.ensure({m.platform, {{"created_by", "measurement import"}, {"source", ctx.label}}, 0}))
            ++ctx.report.platformsCreated;
        ctx.knownPlatforms.insert(m.platform);
    }
    // Under Fail an existing key is this row's error, not the end of the whole import.
    const bool fail = ctx.options.onConflict == OnConflict::Fail;
    auto &report = ctx.report;
    if (MeasurementRepository(ctx.db).insert(*modelId, m, fail ? OnConflict::Skip : ctx.options.onConflict, ctx.runId)) {
        ++report.imported;
    } else if (fail) {
        return "already measured: '" + std::string(v.hash.empty() ? v.name : v.hash) + "' on '" + m.platform
            + "' at batch " + std::to_string(m.protocol.batch);
    } else {
        ++report.skipped;
        ++report.alreadyPresent;
    }
    return {};
}

} // namespace

void exportMeasurementsCsv(Database &db, std::ostream &out, const MeasurementFilter &filter)
{
    writeCsvRow(out, kCsvHeader);
    std::map<int64_t, std::string> hashes;
    for (const auto &r : MeasurementRepository(db).list(filter)) {
        const auto &m = r.measurement;
        const auto &s = m.stats;
        writeCsvRow(out, {r.modelName, hashOf(db, r.modelId, hashes), m.platform, std::to_string(r.batch()),
                          statusName(m.status), m.message, detail::formatNumber(s.medianMs),
                          detail::formatNumber(s.meanMs), detail::formatNumber(s.stdMs), detail::formatNumber(s.minMs),
                          detail::formatNumber(s.p90Ms), detail::formatNumber(s.ciHalfWidthMs), std::to_string(s.runs),
                          s.converged ? "1" : "0", std::to_string(m.timestampMs), r.origin,
                          protocolToJson(m.protocol).dump(), measurableToJson(m.environment).dump(),
                          evidenceToJson(m.evidence).dump()});
    }
}

void exportMeasurementsJson(Database &db, std::ostream &out, const MeasurementFilter &filter)
{
    const auto rows = MeasurementRepository(db).list(filter);
    std::set<int64_t> modelIds;
    std::set<std::string> platformIds;
    nlohmann::json measurements = nlohmann::json::array();
    std::map<int64_t, std::string> hashes;
    for (const auto &r : rows) {
        const auto &m = r.measurement;
        const auto &s = m.stats;
        modelIds.insert(r.modelId);
        platformIds.insert(m.platform);
        measurements.push_back({{"model", r.modelName}, {"model_hash", hashOf(db, r.modelId, hashes)},
                                {"platform", m.platform}, {"batch", r.batch()}, {"status", statusName(m.status)},
                                {"message", m.message}, {"median_ms", detail::numberOrNull(s.medianMs)},
                                {"mean_ms", detail::numberOrNull(s.meanMs)}, {"std_ms", detail::numberOrNull(s.stdMs)},
                                {"min_ms", detail::numberOrNull(s.minMs)}, {"p90_ms", detail::numberOrNull(s.p90Ms)},
                                {"ci_half_width_ms", detail::numberOrNull(s.ciHalfWidthMs)}, {"runs", s.runs},
                                {"converged", s.converged}, {"timestamp_ms", m.timestampMs}, {"origin", r.origin},
                                {"protocol", protocolToJson(m.protocol)}, {"measurable", measurableToJson(m.environment)},
                                {"evidence", evidenceToJson(m.evidence)}});
    }
    nlohmann::json models = nlohmann::json::array();
    ModelRepository modelRepo(db);
    for (int64_t id : modelIds)
        if (const auto model = modelRepo.find(id))
            models.push_back({{"name", model->name}, {"content_hash", model->contentHash}, {"source", model->source},
                              {"input_shape", model->inputShape}});
    nlohmann::json platforms = nlohmann::json::array();
    PlatformRepository platformRepo(db);
    for (const auto &id : platformIds)
        if (const auto p = platformRepo.find(id))
            platforms.push_back({{"id", p->id}, {"description", p->description}});
    out << nlohmann::json{{"format", "sniper-measurements"}, {"version", 1}, {"platforms", platforms},
                          {"models", models}, {"measurements", measurements}}
               .dump(1)
        << '\n';
}

ImportReport importMeasurementsCsv(Database &db, const std::string &path, const ImportOptions &options)
{
    return importMeasurementsCsvText(db, readTextFile(path), path, options);
}

ImportReport importMeasurementsCsvText(Database &db, std::string_view text, const std::string &label,
                                       const ImportOptions &options)
{
    ImportReport report;
    report.source = label;
    CsvReader reader(text);
    const std::optional<detail::Columns> header = detail::readCsvHeader(reader, label, report);
    if (!header)
        return report;
    const detail::Columns &cols = *header;
    CsvRecord rec;
    const int cModel = cols.findAny({"model", "model_name", "name"}), cHash = cols.find("model_hash");
    const int cPlatform = cols.findAny({"platform", "device"});
    if ((cModel < 0 && cHash < 0) || cPlatform < 0)
        throw Error("line " + std::to_string(rec.line)
                        + ": the header needs a model (or model_hash) column and a platform column",
                    label);
    const int cStats[6] = {cols.findAny({"median_ms", "latency_ms"}), cols.find("mean_ms"), cols.find("std_ms"),
                           cols.find("min_ms"), cols.find("p90_ms"), cols.find("ci_half_width_ms")};
    const int cBatch = cols.find("batch"), cStatus = cols.find("status"), cMessage = cols.find("message");
    const int cRuns = cols.find("runs"), cConverged = cols.find("converged"), cTime = cols.find("timestamp_ms");
    const int cProtocol = cols.find("protocol"), cMeasurable = cols.find("measurable"), cEvidence = cols.find("evidence");
    for (size_t i = 0; i < cols.size(); ++i)
        if (std::find(kCsvHeader.begin(), kCsvHeader.end(), cols.name(int(i))) == kCsvHeader.end()
            && cols.name(int(i)) != "latency_ms" && cols.name(int(i)) != "device" && cols.name(int(i)) != "name"
            && cols.name(int(i)) != "model_name")
            report.warnings.push_back({rec.line, "column '" + cols.name(int(i)) + "' is not a measurement column; ignored"});

    ImportContext ctx{db, label, options, report};
    Transaction tx(db);
    detail::ImportRun run(db, label, "measurements-csv");
    ctx.runId = run.id();
    while (reader.next(rec)) {
        if (!rec.error.empty()) {
            report.addError(rec.line, rec.error);
            continue;
        }
        if (rec.fields.size() != cols.size()) {
            report.addError(rec.line, "expected " + std::to_string(cols.size()) + " fields, found "
                                          + std::to_string(rec.fields.size()));
            continue;
        }
        RowValues v{detail::field(rec, cHash),    detail::field(rec, cModel),     detail::field(rec, cPlatform),
                    detail::field(rec, cBatch),   detail::field(rec, cStatus),    detail::field(rec, cMessage),
                    detail::field(rec, cRuns),    detail::field(rec, cConverged), detail::field(rec, cTime),
                    detail::field(rec, cProtocol), detail::field(rec, cMeasurable), detail::field(rec, cEvidence), {}};
        for (int i = 0; i < 6; ++i)
            v.stats[i] = detail::field(rec, cStats[i]);
        if (std::string error = storeRow(ctx, v); !error.empty())
            report.addError(rec.line, error);
    }
    run.finish(report.summary());
    tx.commit();
    return report;
}

ImportReport importMeasurementsJson(Database &db, const std::string &path, const ImportOptions &options)
{
    return importMeasurementsJsonText(db, readTextFile(path), path, options);
}

ImportReport importMeasurementsJsonText(Database &db, std::string_view text, const std::string &label,
                                        const ImportOptions &options)
{
    ImportReport report;
    report.source = label;
    std::optional<nlohmann::json> parsed = detail::parseJsonDocument(text, "measurements", "sniper-measurements", report);
    if (!parsed)
        return report;
    const nlohmann::json &doc = *parsed;
    ImportContext ctx{db, label, options, report};
    Transaction tx(db);
    detail::ImportRun run(db, label, "measurements-json");
    ctx.runId = run.id();
    auto str = [](const nlohmann::json &j, const char *key) {
        return j.contains(key) && j[key].is_string() ? j[key].get<std::string>() : std::string();
    };
    PlatformRepository platforms(db);
    if (doc.contains("platforms") && doc["platforms"].is_array())
        for (const auto &p : doc["platforms"]) {
            if (!p.is_object() || str(p, "id").empty())
                continue; // measurements naming it create it anyway
            const auto description = p.contains("description") && p["description"].is_object() ? p["description"]
                                                                                                 : nlohmann::json::object();
            report.platformsCreated += platforms.ensure({str(p, "id"), description, 0});
        }
    ModelRepository models(db);
    if (doc.contains("models") && doc["models"].is_array()) {
        size_t i = 0;
        for (const auto &m : doc["models"]) {
            const std::string where = "models[" + std::to_string(i++) + "]: ";
            ModelRecord rec;
            if (m.is_object()) {
                rec.contentHash = str(m, "content_hash");
                rec.name = str(m, "name");
                rec.source = str(m, "source");
            }
            if (rec.contentHash.empty() || rec.name.empty()) {
                report.warnings.push_back({0, where + "needs string \"name\" and \"content_hash\"; not created"});
                continue;
            }
            if (m.contains("input_shape") && m["input_shape"].is_array())
                for (const auto &d : m["input_shape"])
                    rec.inputShape.push_back(d.is_number_integer() ? d.get<int64_t>() : 0);
            const auto up = models.upsert(rec); // no ONNX travels in the JSON: the row has none
            report.modelsCreated += up.created;
            ctx.resolver.remember(up.id, rec.contentHash, rec.name);
        }
    }
    size_t i = 0;
    for (const auto &e : doc["measurements"]) {
        const std::string where = "measurements[" + std::to_string(i++) + "]: ";
        if (!e.is_object()) {
            report.addError(0, where + "not an object");
            continue;
        }
        std::deque<std::string> keep; // stable addresses for the views in RowValues
        auto text = [&](const char *key) -> std::string_view {
            if (!e.contains(key) || e[key].is_null())
                return {};
            keep.push_back(e[key].is_string() ? e[key].get<std::string>()
                           : e[key].is_boolean() ? (e[key].get<bool>() ? "1" : "0") : e[key].dump());
            return keep.back();
        };
        RowValues v{text("model_hash"), text("model"), text("platform"), text("batch"), text("status"),
                    text("message"), text("runs"), text("converged"), text("timestamp_ms"), text("protocol"),
                    text("measurable"), text("evidence"), {}};
        const char *statKeys[6] = {"median_ms", "mean_ms", "std_ms", "min_ms", "p90_ms", "ci_half_width_ms"};
        for (int k = 0; k < 6; ++k)
            v.stats[k] = text(statKeys[k]);
        if (std::string error = storeRow(ctx, v); !error.empty())
            report.addError(0, where + error);
    }
    run.finish(report.summary());
    tx.commit();
    return report;
}

} // namespace sniper::db
