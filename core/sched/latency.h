#pragma once

// Nodes, the latency table and predictors: the inputs of a scheduling experiment.

#include <cstdint>
#include <functional>
#include <limits>
#include <string>
#include <string_view>
#include <vector>

namespace sniper::sched {

// One server of the cluster (Ace-Sniper §III-A node j): a platform and its link.
struct Node {
    std::string platform; // platform id, e.g. "torch-cpu-1t"
    double bandwidthMBps = 100.0; // link for Td and Tb (MB/s); <= 0: transfers take no time
};

using Cluster = std::vector<Node>;

// "torch-cpu-1t:3,opencv-cpu-2t:2" -> 5 nodes. Throws sniper::Error on a malformed spec or an
// empty cluster.
Cluster parseCluster(std::string_view spec, double bandwidthMBps = 100.0);

// Dense (model, platform) -> single-inference latency in ms. NaN: the platform cannot run the
// model (status unsupported/error or never measured).
class LatencyTable {
public:
    int addModel(int64_t modelId, std::string name = {}); // index; existing id -> its index
    int addPlatform(std::string_view platform); // index; existing -> its index
    void set(int64_t modelId, std::string_view platform, double ms);

    int modelIndex(int64_t modelId) const; // -1 if absent
    int platformIndex(std::string_view platform) const; // -1 if absent
    double at(int model, int platform) const { return m_ms[size_t(model) * m_platforms.size() + size_t(platform)]; }
    bool runs(int model, int platform) const { return at(model, platform) == at(model, platform); }

    int modelCount() const { return int(m_modelIds.size()); }
    int platformCount() const { return int(m_platforms.size()); }
    int64_t modelId(int model) const { return m_modelIds[size_t(model)]; }
    const std::string &modelName(int model) const { return m_names[size_t(model)]; }
    const std::string &platform(int p) const { return m_platforms[size_t(p)]; }

private:
    std::vector<int64_t> m_modelIds;
    std::vector<std::string> m_names;
    std::vector<std::string> m_platforms;
    std::vector<double> m_ms; // model-major
};

// One measured single-inference latency (a project's ok, batch-1 measurement).
struct LatencySample {
    int64_t modelId = 0;
    std::string modelName;
    std::string platform;
    double ms = 0;
};

// The table of a cluster from measured samples: samples on platforms outside the cluster are
// ignored, a later sample of the same (model, platform) replaces an earlier one, and models
// with no latency on any cluster platform are left out (counted in `dropped`). Shared by the
// CLI and the workbench so both simulate on the same latencies.
LatencyTable clusterLatencyTable(const std::vector<LatencySample> &samples, const Cluster &cluster, int *dropped = nullptr);

inline constexpr double kUnknown = std::numeric_limits<double>::quiet_NaN();

// What a predictor sees of a task's model: its id, the known network it derives from, and the
// variant's scale factor (1 for a known network). A fresh variant's features are modelled as its
// base's features scaled by `factor`, so a predictor linear in features sees latency x factor.
struct ModelRef {
    int64_t modelId = 0;
    int64_t baseId = 0;
    double factor = 1.0;
};

// Predicted single-inference latency in ms on a platform; NaN when it cannot say.
// The predictors issue plugs PCN in here.
using Predictor = std::function<double(const ModelRef &model, std::string_view platform)>;

// (a) perfect: the true latency (table value of the base x factor).
Predictor perfectPredictor(const LatencyTable &table);
// (b) perfect x exp(relError * z), z ~ N(0,1) drawn from a hash of (seed, model id, platform):
// a fixed error per (model, platform), like a trained predictor's.
Predictor noisyPredictor(const LatencyTable &table, double relError, uint64_t seed);

} // namespace sniper::sched
