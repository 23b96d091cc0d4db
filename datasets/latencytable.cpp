#include "latencytable.h"

#include "csv.h"
#include "importutil.h"

#include "generator/nasbench201.h"
#include "graph/cost.h"

#include <cmath>
#include <filesystem>
#include <map>
#include <set>

namespace fs = std::filesystem;

namespace sniper::db {

std::string nasBench201CellProblem(std::string_view cell)
{
    if (generator::isNasBench201Cell(std::string(cell)))
        return {};
    try {
        generator::parseNasBench201Cell(std::string(cell));
    } catch (const Error &e) {
        return e.problem();
    }
    return "not a NAS-Bench-201 cell";
}

FeatureFunction nasBench201FeatureFunction(const features::FeatureOptions &options)
{
    return [options](const ModelRecord &model) -> std::optional<features::Features> {
        constexpr std::string_view prefix = "nasbench201:";
        if (model.source.compare(0, prefix.size(), prefix) != 0)
            return std::nullopt;
        const graph::Graph g = generator::nasBench201Network(model.source.substr(prefix.size()));
        return features::extractFeatures(g, graph::computeCosts(g), options);
    };
}

Nb201Device nb201Device(std::string_view column)
{
    // The devices of the HELP / HW-NAS-Bench tables (datasets/nb201-help/README.md).
    static const std::map<std::string_view, std::pair<const char *, const char *>, std::less<>> known = {
        {"1080ti", {"NVIDIA GeForce GTX 1080 Ti", "gpu"}},  {"2080ti", {"NVIDIA GeForce RTX 2080 Ti", "gpu"}},
        {"titan_rtx", {"NVIDIA Titan RTX", "gpu"}},         {"titanx", {"NVIDIA Titan X", "gpu"}},
        {"titanxp", {"NVIDIA Titan Xp", "gpu"}},            {"gold_6226", {"Intel Xeon Gold 6226", "cpu"}},
        {"gold_6240", {"Intel Xeon Gold 6240", "cpu"}},     {"silver_4114", {"Intel Xeon Silver 4114", "cpu"}},
        {"silver_4210r", {"Intel Xeon Silver 4210R", "cpu"}}, {"samsung_s7", {"Samsung Galaxy S7", "phone"}},
        {"essential_ph_1", {"Essential PH-1", "phone"}},    {"fpga", {"FPGA (HW-NAS-Bench simulator estimate)", "fpga"}},
        {"eyeriss", {"Eyeriss ASIC (HW-NAS-Bench simulator estimate)", "asic"}},
    };
    if (auto it = known.find(column); it != known.end())
        return {it->second.first, it->second.second, 1};
    Nb201Device d{std::string(column), "unknown", 1};
    const size_t us = column.rfind('_');
    if (us != std::string_view::npos && us + 1 < column.size()) {
        if (const auto b = parseInt(column.substr(us + 1)); b && *b >= 1) {
            d.batch = int(*b);
            if (auto it = known.find(column.substr(0, us)); it != known.end())
                d = {it->second.first, it->second.second, int(*b)};
        }
    }
    return d;
}

namespace {

struct LatencyImport {
    Database &db;
    const LatencyTableOptions &options;
    ImportReport &report;
    std::string baseDir;
    int64_t runId = 0;
    detail::ModelResolver resolver{db};
    ModelRepository models{db};
    FeatureRepository features{db};
    MeasurementRepository measurements{db};
    std::map<std::string, int64_t, std::less<>> byPath{}; // ONNX paths already imported
    std::set<std::string, std::less<>> knownPlatforms{};

    int64_t created(const ModelRecord &rec)
    {
        const auto up = models.upsert(rec);
        resolver.remember(up.id, rec.contentHash, rec.name);
        if (up.created) {
            ++report.modelsCreated;
            if (options.computeFeatures) {
                ModelRecord stored = rec;
                stored.id = up.id;
                if (auto f = options.computeFeatures(stored))
                    features.put(up.id, options.extractorVersion, *f);
            }
        }
        return up.id;
    }

    // The model a table names, created when it is a cell or an ONNX file; nullopt with `error` set.
    std::optional<int64_t> model(std::string_view text, std::string_view nb201Name, std::string &error)
    {
        if (text.empty()) {
            error = "empty model";
            return std::nullopt;
        }
        if (text.front() == '|') {
            if (std::string why = nasBench201CellProblem(text); !why.empty()) {
                error = "malformed NAS-Bench-201 cell '" + std::string(text) + "': " + why;
                return std::nullopt;
            }
            ModelRecord rec;
            rec.source = "nasbench201:" + std::string(text);
            rec.contentHash = sourceHash(rec.source); // no ONNX yet: the cell string is the identity
            if (auto id = resolver.byHash(rec.contentHash))
                return id;
            rec.name = nb201Name.empty() ? std::string(text) : "nb201-" + std::string(nb201Name);
            rec.inputShape = {1, 3, 32, 32};
            return created(rec);
        }
        std::string ignored;
        if (auto id = resolver.resolve({}, text, ignored))
            return id;
        if (text.size() == 64 && text.find_first_not_of("0123456789abcdef") == std::string_view::npos)
            if (auto id = resolver.byHash(text))
                return id;
        if (auto it = byPath.find(text); it != byPath.end())
            return it->second;
        fs::path path(text);
        if (path.is_relative() && !baseDir.empty() && fs::exists(fs::path(baseDir) / path))
            path = fs::path(baseDir) / path;
        std::error_code ec;
        if (fs::is_regular_file(path, ec)) {
            try {
                const auto up = models.addOnnxFile(path.string(), options.storeOnnxBlobs);
                if (up.created) {
                    ++report.modelsCreated;
                    const auto rec = models.find(up.id);
                    resolver.remember(up.id, rec->contentHash, rec->name);
                    if (options.computeFeatures)
                        if (auto f = options.computeFeatures(*rec))
                            features.put(up.id, options.extractorVersion, *f);
                }
                byPath.emplace(std::string(text), up.id);
                return up.id;
            } catch (const Error &e) {
                error = "ONNX file '" + std::string(text) + "' cannot be imported: " + e.problem();
                return std::nullopt;
            }
        }
        error = "unknown model '" + std::string(text)
            + "': not a model of this project, not a readable ONNX file, not a NAS-Bench-201 cell";
        return std::nullopt;
    }

    void platform(const std::string &id, nlohmann::json description)
    {
        if (knownPlatforms.contains(id))
            return;
        if (PlatformRepository(db).ensure({id, std::move(description), 0}))
            ++report.platformsCreated;
        knownPlatforms.insert(id);
    }

    void store(int64_t modelId, const std::string &platformId, int batch, double ms, int line)
    {
        runtime::Measurement m;
        m.platform = platformId;
        m.protocol = {batch, 0, 0, 0, 0.0, 0.0}; // the table does not say how it was measured
        m.stats.medianMs = ms;                  // the one figure a table gives
        m.stats.meanMs = m.stats.stdMs = m.stats.minMs = m.stats.p90Ms = m.stats.ciHalfWidthMs =
            runtime::MeasurableParams::kUnknown;
        // Under Fail an existing key is this row's error, not the end of the whole import.
        const bool fail = options.onConflict == OnConflict::Fail;
        if (measurements.insert(modelId, m, fail ? OnConflict::Skip : options.onConflict, runId)) {
            ++report.imported;
        } else if (fail) {
            report.addError(line, "already measured on '" + platformId + "' at batch " + std::to_string(batch));
        } else {
            ++report.skipped;
            ++report.alreadyPresent;
        }
    }
};

std::optional<double> latencyValue(std::string_view text, std::string &error, const std::string &column)
{
    const auto v = parseDouble(text);
    if (!v || !std::isfinite(*v) || *v <= 0) {
        error = column + " '" + std::string(text) + "' is not a positive number of milliseconds";
        return std::nullopt;
    }
    return v;
}

void importWide(LatencyImport &im, CsvReader &reader, const detail::Columns &cols, const std::string &label)
{
    const int cIndex = cols.find("index"), cArch = cols.find("arch");
    const std::string prefix = im.options.platformPrefix.value_or("nb201:");
    struct Device { int column; std::string platform; int batch; };
    std::vector<Device> devices;
    for (size_t c = 0; c < cols.size(); ++c) {
        if (int(c) == cIndex || int(c) == cArch)
            continue;
        const std::string &name = cols.name(int(c));
        const Nb201Device d = nb201Device(name);
        devices.push_back({int(c), prefix + name, d.batch});
        im.platform(prefix + name,
                    {{"hardware", d.hardware}, {"kind", d.kind}, {"batch", d.batch},
                     {"batch_note", "latency of one batch of " + std::to_string(d.batch) + " (column " + name + ")"},
                     {"runtime", "as published with the table"}, {"blas", nullptr}, {"threads", nullptr},
                     {"network", "NAS-Bench-201 CIFAR-10 skeleton, 32x32 input"},
                     {"source", "third-party latency table"}, {"table", fs::path(label).filename().string()},
                     {"column", name}});
    }
    CsvRecord rec;
    while (reader.next(rec)) {
        if (!rec.error.empty()) {
            im.report.addError(rec.line, rec.error);
            continue;
        }
        if (rec.fields.size() != cols.size()) {
            im.report.addError(rec.line, "expected " + std::to_string(cols.size()) + " fields, found "
                                             + std::to_string(rec.fields.size()));
            continue;
        }
        std::string error;
        const auto modelId = im.model(detail::field(rec, cArch), detail::field(rec, cIndex), error);
        if (!modelId) {
            im.report.addError(rec.line, error);
            im.report.skipped += int64_t(devices.size()) - 1; // addError counted one
            continue;
        }
        for (const auto &d : devices) {
            const auto text = detail::field(rec, d.column);
            if (text.empty())
                continue; // not measured on this device
            if (const auto ms = latencyValue(text, error, "column " + cols.name(d.column)))
                im.store(*modelId, d.platform, d.batch, *ms, rec.line);
            else
                im.report.addError(rec.line, error);
        }
    }
}

void importLong(LatencyImport &im, CsvReader &reader, const detail::Columns &cols, int cModel, int cDevice,
                int cLatency, const std::string &label)
{
    const int cBatch = cols.find("batch");
    const std::string prefix = im.options.platformPrefix.value_or("");
    CsvRecord rec;
    while (reader.next(rec)) {
        if (!rec.error.empty()) {
            im.report.addError(rec.line, rec.error);
            continue;
        }
        if (rec.fields.size() != cols.size()) {
            im.report.addError(rec.line, "expected " + std::to_string(cols.size()) + " fields, found "
                                             + std::to_string(rec.fields.size()));
            continue;
        }
        std::string error;
        const auto device = std::string(detail::field(rec, cDevice));
        int batch = 1;
        if (const auto b = detail::field(rec, cBatch); !b.empty()) {
            const auto v = parseInt(b);
            if (!v || *v < 1) {
                im.report.addError(rec.line, "batch '" + std::string(b) + "' is not a whole number >= 1");
                continue;
            }
            batch = int(*v);
        }
        const auto ms = latencyValue(detail::field(rec, cLatency), error, cols.name(cLatency));
        if (device.empty())
            error = "empty device";
        const auto modelId = error.empty() ? im.model(detail::field(rec, cModel), {}, error) : std::nullopt;
        if (!modelId || !ms) {
            im.report.addError(rec.line, error);
            continue;
        }
        im.platform(prefix + device, {{"device", device}, {"source", "third-party latency table"},
                                      {"table", fs::path(label).filename().string()}, {"runtime", "as published"},
                                      {"blas", nullptr}, {"threads", nullptr}});
        im.store(*modelId, prefix + device, batch, *ms, rec.line);
    }
}

} // namespace

ImportReport importLatencyTable(Database &db, const std::string &path, const LatencyTableOptions &options)
{
    return importLatencyTableText(db, readTextFile(path), path, options, fs::path(path).parent_path().string());
}

ImportReport importLatencyTableText(Database &db, std::string_view text, const std::string &label,
                                    const LatencyTableOptions &options, const std::string &baseDir)
{
    ImportReport report;
    report.source = label;
    CsvReader reader(text);
    CsvRecord header;
    if (!reader.next(header)) {
        report.errors.push_back({0, "the file is empty (expected a header line)"});
        return report;
    }
    if (!header.error.empty())
        throw Error("line " + std::to_string(header.line) + ": malformed header: " + header.error, label);
    const detail::Columns cols(header.fields);
    const int cModel = cols.findAny({"model", "model_id", "onnx", "arch", "cell", "network"});
    const int cDevice = cols.findAny({"device", "platform"});
    const int cLatency = cols.findAny({"latency_ms", "latency"});
    const bool wide = cols.find("arch") >= 0 && cDevice < 0 && cLatency < 0 && cols.size() > 2;
    if (!wide && (cModel < 0 || cDevice < 0 || cLatency < 0))
        throw Error("line 1: not a latency table: expected columns model, device, latency_ms (long form) or index, "
                    "arch, <device>... (wide NAS-Bench-201 form)",
                    label);

    LatencyImport im{db, options, report, baseDir};
    Transaction tx(db); // one transaction: 360k rows in seconds, and all-or-nothing on a crash
    detail::ImportRun run(db, label, wide ? "latency-table-wide" : "latency-table-long");
    im.runId = run.id();
    if (wide)
        importWide(im, reader, cols, label);
    else
        importLong(im, reader, cols, cModel, cDevice, cLatency, label);
    run.finish(report.summary());
    tx.commit();
    return report;
}

} // namespace sniper::db
