#include "importexport.h"

#include "csv.h"
#include "importutil.h"
#include "jsonutil.h"
#include "models.h"

#include <cmath>
#include <ostream>

namespace sniper::db {

namespace {

constexpr const char *kDefaultVersion = "unversioned"; // for files without an extractor_version column

std::string joinOps(const std::vector<std::string> &ops)
{
    std::string s;
    for (const auto &op : ops)
        s += (s.empty() ? "" : ";") + op;
    return s;
}

std::vector<std::string> splitOps(std::string_view text)
{
    std::vector<std::string> ops;
    while (!text.empty()) {
        const size_t semi = text.find(';');
        const auto op = text.substr(0, semi);
        if (!op.empty())
            ops.emplace_back(op);
        if (semi == std::string_view::npos)
            break;
        text.remove_prefix(semi + 1);
    }
    return ops;
}

bool storeFeatures(Database &db, int64_t modelId, const std::string &version, const features::Features &f,
                   const ImportOptions &options, ImportReport &report)
{
    FeatureRepository repo(db);
    if (options.onConflict != OnConflict::Replace && repo.get(modelId, version)) {
        if (options.onConflict == OnConflict::Fail)
            return false;
        ++report.skipped;
        ++report.alreadyPresent;
        return true;
    }
    repo.put(modelId, version, f);
    ++report.imported;
    return true;
}

} // namespace

void exportFeaturesCsv(Database &db, std::ostream &out, std::string_view extractorVersion)
{
    const auto &table = features::featureTable();
    std::vector<std::string> header = {"model", "model_hash", "extractor_version", "structure_class", "required_ops"};
    for (const auto &def : table)
        header.emplace_back(def.name);
    writeCsvRow(out, header);
    ModelRepository models(db);
    for (const auto &r : FeatureRepository(db).list(extractorVersion)) {
        const auto model = models.find(r.modelId);
        std::vector<std::string> row = {r.modelName, model ? model->contentHash : std::string(), r.extractorVersion,
                                        std::to_string(r.features.structureClass), joinOps(r.features.requiredOperators)};
        for (double v : r.features.values)
            row.push_back(detail::formatNumber(v));
        writeCsvRow(out, row);
    }
}

void exportFeaturesJson(Database &db, std::ostream &out, std::string_view extractorVersion)
{
    ModelRepository models(db);
    nlohmann::json names = nlohmann::json::array();
    for (const auto &def : features::featureTable())
        names.push_back(def.name);
    nlohmann::json rows = nlohmann::json::array();
    for (const auto &r : FeatureRepository(db).list(extractorVersion)) {
        const auto model = models.find(r.modelId);
        rows.push_back({{"model", r.modelName},
                        {"model_hash", model ? model->contentHash : std::string()},
                        {"extractor_version", r.extractorVersion},
                        {"structure_class", r.features.structureClass},
                        {"required_ops", r.features.requiredOperators},
                        {"features", nlohmann::json::parse(featuresToJson(r.features))}});
    }
    out << nlohmann::json{{"format", "sniper-features"}, {"version", 1}, {"feature_names", names}, {"rows", rows}}.dump(1)
        << '\n';
}

ImportReport importFeaturesCsv(Database &db, const std::string &path, const ImportOptions &options)
{
    return importFeaturesCsvText(db, readTextFile(path), path, options);
}

ImportReport importFeaturesCsvText(Database &db, std::string_view text, const std::string &label,
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
    const int cModel = cols.findAny({"model", "name"}), cHash = cols.find("model_hash");
    const int cVersion = cols.find("extractor_version"), cClass = cols.find("structure_class");
    const int cOps = cols.find("required_ops");
    if (cModel < 0 && cHash < 0)
        throw Error("line " + std::to_string(rec.line) + ": the header needs a model or model_hash column", label);
    // Feature columns by name; a column that is no feature is most likely a typo, so say so.
    const auto &table = features::featureTable();
    std::vector<int> featureColumn(table.size(), -1);
    for (size_t c = 0; c < cols.size(); ++c) {
        const std::string &name = cols.name(int(c));
        if (const int fi = features::featureIndex(name); fi >= 0)
            featureColumn[size_t(fi)] = int(c);
        else if (int(c) != cModel && int(c) != cHash && int(c) != cVersion && int(c) != cClass && int(c) != cOps)
            report.warnings.push_back({rec.line, "column '" + name + "' is not a feature of this build; ignored"});
    }

    detail::ModelResolver resolver(db);
    Transaction tx(db);
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
        std::string error;
        const auto modelId = resolver.resolve(detail::field(rec, cHash), detail::field(rec, cModel), error);
        if (!modelId) {
            report.addError(rec.line, error);
            continue;
        }
        features::Features f;
        f.values.assign(table.size(), std::numeric_limits<double>::quiet_NaN());
        for (size_t i = 0; i < table.size() && error.empty(); ++i) {
            const auto text = detail::field(rec, featureColumn[i]);
            if (text.empty())
                continue;
            if (const auto v = parseDouble(text); v && std::isfinite(*v))
                f.values[i] = *v;
            else
                error = "feature " + std::string(table[i].name) + " '" + std::string(text) + "' is not a number";
        }
        if (const auto cls = detail::field(rec, cClass); error.empty() && !cls.empty()) {
            const auto v = parseInt(cls);
            if (!v || *v < 0 || *v > 2)
                error = "structure_class '" + std::string(cls) + "' is not 0, 1 or 2";
            else
                f.structureClass = int(*v);
        }
        if (!error.empty()) {
            report.addError(rec.line, error);
            continue;
        }
        f.requiredOperators = splitOps(detail::field(rec, cOps));
        const auto version = detail::field(rec, cVersion);
        if (!storeFeatures(db, *modelId, version.empty() ? kDefaultVersion : std::string(version), f, options, report))
            report.addError(rec.line, "features of this model and extractor version already exist");
    }
    tx.commit();
    return report;
}

ImportReport importFeaturesJson(Database &db, const std::string &path, const ImportOptions &options)
{
    return importFeaturesJsonText(db, readTextFile(path), path, options);
}

ImportReport importFeaturesJsonText(Database &db, std::string_view text, const std::string &label,
                                    const ImportOptions &options)
{
    ImportReport report;
    report.source = label;
    std::optional<nlohmann::json> parsed = detail::parseJsonDocument(text, "rows", "sniper-features", report);
    if (!parsed)
        return report;
    const nlohmann::json &doc = *parsed;
    detail::ModelResolver resolver(db);
    Transaction tx(db);
    size_t i = 0;
    for (const auto &row : doc["rows"]) {
        const std::string where = "rows[" + std::to_string(i++) + "]: ";
        if (!row.is_object() || !row.contains("features") || !row["features"].is_object()) {
            report.addError(0, where + "needs a \"features\" object");
            continue;
        }
        auto str = [&](const char *key) {
            return row.contains(key) && row[key].is_string() ? row[key].get<std::string>() : std::string();
        };
        std::string error;
        const auto modelId = resolver.resolve(str("model_hash"), str("model"), error);
        if (!modelId) {
            report.addError(0, where + error);
            continue;
        }
        const auto ops = row.contains("required_ops") ? row["required_ops"].dump() : std::string("[]");
        const auto &cls = row.contains("structure_class") ? row["structure_class"] : nlohmann::json(0);
        if (!cls.is_number_integer() || cls.get<int64_t>() < 0 || cls.get<int64_t>() > 2) {
            report.addError(0, where + "structure_class is not 0, 1 or 2");
            continue;
        }
        features::Features f = featuresFromJson(row["features"].dump(), cls.get<int>(), ops, label);
        const std::string version = str("extractor_version");
        if (!storeFeatures(db, *modelId, version.empty() ? kDefaultVersion : version, f, options, report))
            report.addError(0, where + "features of this model and extractor version already exist");
    }
    tx.commit();
    return report;
}

} // namespace sniper::db
