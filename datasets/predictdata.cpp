#include "predictdata.h"

#include "builders.h"
#include "collections.h"
#include "common/error.h"
#include "features/coverage.h"
#include "features/features.h"
#include "measurements.h"
#include "models.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cmath>
#include <limits>
#include <map>
#include <set>

namespace sniper::db {

const char *latencyStatisticName(LatencyStatistic s)
{
    return s == LatencyStatistic::Fastest ? "fastest" : "median";
}

LatencyStatistic parseLatencyStatistic(std::string_view s)
{
    if (s == "fastest")
        return LatencyStatistic::Fastest;
    if (s == "median")
        return LatencyStatistic::Median;
    throw Error("unknown latency statistic '" + std::string(s) + "' (choose fastest or median)", "latency data");
}

LatencyStatistic trainingStatistic(const nlohmann::json &training)
{
    if (!training.is_object() || !training.contains("statistic"))
        return LatencyStatistic::Median;
    if (!training.at("statistic").is_string())
        throw Error("the training record's statistic is not a name", "latency data");
    return parseLatencyStatistic(training.at("statistic").get<std::string>());
}

LatencyLoad loadLatencyData(Database &db, const LatencyQuery &query)
{
    if (query.datasets.empty() && query.sourcePrefix.empty())
        throw Error("no dataset named", "latency data");
    const std::string version = query.extractorVersion.empty() ? featureExtractorVersion() : query.extractorVersion;
    if (query.extractorVersion.empty())
        ensureCurrentFeatures(db);
    DatasetRepository datasets(db);
    std::vector<int64_t> members;
    std::set<int64_t> seen;
    if (!query.sourcePrefix.empty())
        for (const auto &m : ModelRepository(db).list(query.sourcePrefix))
            if (seen.insert(m.id).second)
                members.push_back(m.id);
    for (const auto &name : query.datasets) {
        const auto ds = datasets.findByName(name);
        if (!ds)
            throw Error("no dataset named '" + name + "' in the project", "latency data");
        for (const auto &m : datasets.members(ds->id))
            if (seen.insert(m.modelId).second)
                members.push_back(m.modelId);
    }

    MeasurementRepository measurements(db);
    std::vector<std::string> platforms = query.platforms;
    std::map<std::string, std::map<int64_t, double>> latency; // platform -> model -> ms (query.statistic)
    size_t contendedSkipped = 0;
    // Platform names of the data: the platform id, or "<id>@<batch>" when every batch is loaded.
    auto load = [&](const std::string &platform) {
        MeasurementFilter f;
        f.platform = platform;
        if (query.batch > 0)
            f.batch = query.batch;
        f.status = runtime::MeasurementStatus::Ok;
        std::set<std::string> names;
        for (const auto &r : measurements.list(f)) {
            if (r.measurement.evidence.contended && !query.includeContended && seen.count(r.modelId)) {
                ++contendedSkipped;
                continue;
            }
            const auto &stats = r.measurement.stats;
            if (seen.count(r.modelId) && stats.medianMs > 0) {
                const std::string name =
                    query.batch > 0 || r.batch() == 1 ? platform : platform + "@" + std::to_string(r.batch());
                const bool fastest = query.statistic == LatencyStatistic::Fastest && stats.minMs > 0 &&
                                     std::isfinite(stats.minMs);
                latency[name][r.modelId] = fastest ? stats.minMs : stats.medianMs;
                names.insert(name);
            }
        }
        return names;
    };
    if (platforms.empty()) {
        for (const auto &p : PlatformRepository(db).list())
            for (const auto &name : load(p.id))
                platforms.push_back(name);
    } else {
        std::vector<std::string> expanded;
        for (const auto &p : platforms) {
            if (!PlatformRepository(db).find(p))
                throw Error("no platform '" + p + "' in the project", "latency data");
            for (const auto &name : load(p))
                expanded.push_back(name);
        }
        platforms = expanded;
    }
    if (platforms.empty())
        throw Error("none of the datasets' networks is measured at batch " + std::to_string(query.batch),
                    "latency data");

    LatencyLoad out;
    out.contendedSkipped = contendedSkipped;
    out.data.platforms = platforms;
    ModelRepository models(db);
    FeatureRepository features(db);
    for (int64_t id : members) {
        std::vector<double> row(platforms.size(), std::numeric_limits<double>::quiet_NaN());
        bool any = false;
        for (size_t p = 0; p < platforms.size(); ++p) {
            const auto &m = latency[platforms[p]];
            if (auto it = m.find(id); it != m.end()) {
                row[p] = it->second;
                any = true;
            }
        }
        if (!any) {
            ++out.withoutMeasurement;
            continue;
        }
        const auto f = features.get(id, version);
        if (!f) {
            ++out.withoutFeatures;
            continue;
        }
        const auto model = models.find(id);
        out.data.networks.push_back(model ? model->name : std::to_string(id));
        out.data.modelIds.push_back(id);
        out.data.features.push_back(f->values);
        out.data.latencyMs.insert(out.data.latencyMs.end(), row.begin(), row.end());
    }
    if (out.data.networks.empty())
        throw Error("no network of the datasets has both features (" + version + ") and a measurement",
                    "latency data");
    return out;
}

namespace {

struct CoverageSide {
    std::vector<int64_t> ids;
    std::vector<std::string> names;
    std::vector<std::vector<double>> features;           // per member, featureTable() order
    std::map<std::string, std::map<int64_t, double>> ms; // platform -> model -> clean median ms
};

CoverageSide coverageSide(Database &db, const std::string &dataset)
{
    const auto ds = DatasetRepository(db).findByName(dataset);
    if (!ds)
        throw Error("no dataset named '" + dataset + "' in the project (the zoo: sniper models add datasets/models "
                    "--name torchvision-zoo --kind zoo)", "coverage");
    CoverageSide side;
    FeatureRepository features(db);
    ModelRepository models(db);
    for (const auto &m : DatasetRepository(db).members(ds->id)) {
        auto f = features.get(m.modelId, featureExtractorVersion());
        auto model = models.find(m.modelId);
        if (!f || !model)
            continue;
        side.ids.push_back(m.modelId);
        side.names.push_back(model->name);
        side.features.push_back(std::move(f->values));
    }
    if (side.ids.empty())
        throw Error("dataset '" + dataset + "' has no members with features", "coverage");
    try {
        LatencyQuery q;
        q.datasets = {dataset};
        const LatencyLoad load = loadLatencyData(db, q);
        for (size_t p = 0; p < load.data.platformCount(); ++p)
            for (size_t n = 0; n < load.data.networkCount(); ++n)
                if (load.data.measured(n, p))
                    side.ms[load.data.platforms[p]][load.data.modelIds[n]] = load.data.latency(n, p);
    } catch (const Error &) {
        // Not measured yet: the report covers the features only.
    }
    return side;
}

} // namespace

std::string coverageReport(Database &db, const std::string &generated, const std::string &reference)
{
    ensureCurrentFeatures(db);
    const CoverageSide gen = coverageSide(db, generated), ref = coverageSide(db, reference);
    const auto &table = features::featureTable();
    const auto &key = features::keyCoverageFeatures();
    std::vector<features::CoverageColumn> columns;
    for (size_t f = 0; f < table.size(); ++f) {
        features::CoverageColumn c;
        c.name = table[f].name;
        c.key = std::find(key.begin(), key.end(), c.name) != key.end();
        for (const auto &v : gen.features)
            c.generated.push_back(v[f]);
        for (const auto &v : ref.features)
            c.reference.push_back(v[f]);
        columns.push_back(std::move(c));
    }
    // ms per GFLOP (total_flops), on each platform both sides were measured on: a key row.
    const int flops = features::featureIndex("total_flops");
    const double nan = std::numeric_limits<double>::quiet_NaN();
    for (const auto &[platform, genMs] : gen.ms) {
        const auto refIt = ref.ms.find(platform);
        if (refIt == ref.ms.end())
            continue;
        features::CoverageColumn c;
        c.name = "ms_per_gflop@" + platform;
        c.key = true;
        auto perGflop = [&](const CoverageSide &side, const std::map<int64_t, double> &ms, std::vector<double> &out) {
            for (size_t i = 0; i < side.ids.size(); ++i) {
                const auto it = ms.find(side.ids[i]);
                const double gflop = side.features[i][size_t(flops)] / 1e9;
                out.push_back(it == ms.end() || gflop <= 0 ? nan : it->second / gflop);
            }
        };
        perGflop(gen, genMs, c.generated);
        perGflop(ref, refIt->second, c.reference);
        columns.push_back(std::move(c));
    }
    return features::coverageMarkdown(features::coverage(columns, ref.names), generated, reference);
}

} // namespace sniper::db
