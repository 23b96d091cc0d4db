#pragma once

// Helpers shared by tst_database and tst_repositories: small projects, records and error capture.

#include "database.h"
#include "measurements.h"
#include "models.h"
#include "runs.h"

#include <fstream>
#include <functional>
#include <iterator>
#include <string>

namespace dbtest {

using namespace sniper;
using namespace sniper::db;

inline std::string readBytes(const std::string &path)
{
    std::ifstream in(path, std::ios::binary);
    return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

inline void writeBytes(const std::string &path, const std::string &bytes)
{
    std::ofstream(path, std::ios::binary | std::ios::trunc) << bytes;
}

inline std::string messageOf(const std::function<void()> &f)
{
    try {
        f();
    } catch (const Error &e) {
        return e.what();
    }
    return "(no sniper::Error thrown)";
}

inline bool contains(const std::string &haystack, const std::string &needle) { return haystack.find(needle) != std::string::npos; }

// A project with one model, one platform and one measurement, closed (WAL folded into the file).
inline void makeProject(const std::string &path)
{
    Database db = Database::open(path);
    ModelRecord m;
    m.name = "tiny";
    m.source = "test";
    m.contentHash = sourceHash("test:tiny");
    const int64_t id = ModelRepository(db).upsert(m).id;
    PlatformRepository(db).upsert({"torch-cpu-1t", {{"runtime", "libtorch"}, {"threads", 1}}, 0});
    runtime::Measurement meas;
    meas.platform = "torch-cpu-1t";
    meas.stats.medianMs = 1.5;
    MeasurementRepository(db).insert(id, meas);
}

inline ModelRecord named(const std::string &name)
{
    ModelRecord m;
    m.name = name;
    m.contentHash = sourceHash(name);
    return m;
}

inline RunItem item(int64_t modelId, const std::string &platform, int batch)
{
    RunItem i;
    i.modelId = modelId;
    i.platform = platform;
    i.batch = batch;
    return i;
}

inline runtime::Measurement measurementOn(const std::string &platform, double medianMs, int batch = 1)
{
    runtime::Measurement m;
    m.platform = platform;
    m.protocol.batch = batch;
    m.stats.medianMs = medianMs;
    m.stats.meanMs = medianMs * 1.01;
    m.stats.stdMs = 0.02;
    m.stats.minMs = medianMs * 0.97;
    m.stats.p90Ms = medianMs * 1.05;
    m.stats.ciHalfWidthMs = 0.01;
    m.stats.runs = 25;
    m.stats.converged = true;
    m.environment.availableMemoryMb = 2048;
    m.environment.loadAverage1 = 0.5; // utilization and frequency stay unknown (NaN)
    m.timestampMs = 1'700'000'000'000;
    return m;
}

} // namespace dbtest
