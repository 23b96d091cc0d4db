#include "sched/latency.h"

#include "common/error.h"
#include "sched/rng.h"

#include <charconv>
#include <cmath>
#include <memory>

namespace sniper::sched {

Cluster parseCluster(std::string_view spec, double bandwidthMBps)
{
    Cluster nodes;
    size_t pos = 0;
    while (pos <= spec.size()) {
        size_t end = spec.find(',', pos);
        if (end == std::string_view::npos)
            end = spec.size();
        std::string_view item = spec.substr(pos, end - pos);
        while (!item.empty() && item.front() == ' ')
            item.remove_prefix(1);
        while (!item.empty() && item.back() == ' ')
            item.remove_suffix(1);
        if (!item.empty()) {
            std::string_view name = item;
            int count = 1;
            if (size_t colon = item.rfind(':'); colon != std::string_view::npos) {
                name = item.substr(0, colon);
                std::string_view num = item.substr(colon + 1);
                auto [p, ec] = std::from_chars(num.data(), num.data() + num.size(), count);
                if (ec != std::errc() || p != num.data() + num.size() || count < 0)
                    throw Error(
                        "node count must be a non-negative integer in '" + std::string(item) + "'", "cluster spec");
            }
            if (name.empty())
                throw Error("missing platform name in '" + std::string(item) + "'", "cluster spec");
            for (int i = 0; i < count; ++i)
                nodes.push_back({ std::string(name), bandwidthMBps });
        }
        pos = end + 1;
    }
    if (nodes.empty())
        throw Error("the cluster is empty: give nodes as platform:count,...", "cluster spec");
    return nodes;
}

int LatencyTable::addModel(int64_t modelId, std::string name)
{
    if (int i = modelIndex(modelId); i >= 0)
        return i;
    m_modelIds.push_back(modelId);
    m_names.push_back(name.empty() ? "model " + std::to_string(modelId) : std::move(name));
    m_ms.resize(m_ms.size() + m_platforms.size(), kUnknown);
    return int(m_modelIds.size()) - 1;
}

int LatencyTable::addPlatform(std::string_view platform)
{
    if (int i = platformIndex(platform); i >= 0)
        return i;
    const size_t oldP = m_platforms.size();
    std::vector<double> ms(m_modelIds.size() * (oldP + 1), kUnknown);
    for (size_t m = 0; m < m_modelIds.size(); ++m)
        for (size_t p = 0; p < oldP; ++p)
            ms[m * (oldP + 1) + p] = m_ms[m * oldP + p];
    m_ms.swap(ms);
    m_platforms.emplace_back(platform);
    return int(oldP);
}

void LatencyTable::set(int64_t modelId, std::string_view platform, double ms)
{
    const int p = addPlatform(platform);
    const int m = addModel(modelId);
    m_ms[size_t(m) * m_platforms.size() + size_t(p)] = ms > 0 && std::isfinite(ms) ? ms : kUnknown;
}

int LatencyTable::modelIndex(int64_t modelId) const
{
    for (size_t i = 0; i < m_modelIds.size(); ++i)
        if (m_modelIds[i] == modelId)
            return int(i);
    return -1;
}

int LatencyTable::platformIndex(std::string_view platform) const
{
    for (size_t i = 0; i < m_platforms.size(); ++i)
        if (m_platforms[i] == platform)
            return int(i);
    return -1;
}

Predictor perfectPredictor(const LatencyTable &table)
{
    auto t = std::make_shared<const LatencyTable>(table);
    return [t](const ModelRef &m, std::string_view platform) {
        const int mi = t->modelIndex(m.baseId), pi = t->platformIndex(platform);
        return mi < 0 || pi < 0 ? kUnknown : t->at(mi, pi) * m.factor;
    };
}

LatencyTable clusterLatencyTable(const std::vector<LatencySample> &samples, const Cluster &cluster, int *dropped)
{
    LatencyTable all;
    for (const auto &n : cluster)
        all.addPlatform(n.platform);
    for (const auto &s : samples) {
        if (all.platformIndex(s.platform) < 0)
            continue;
        all.addModel(s.modelId, s.modelName);
        all.set(s.modelId, s.platform, s.ms);
    }
    LatencyTable table;
    for (const auto &n : cluster)
        table.addPlatform(n.platform);
    int left = 0;
    for (int m = 0; m < all.modelCount(); ++m) {
        bool any = false;
        for (int p = 0; p < all.platformCount(); ++p)
            any = any || all.runs(m, p);
        if (!any) {
            ++left;
            continue;
        }
        table.addModel(all.modelId(m), all.modelName(m));
        for (int p = 0; p < all.platformCount(); ++p)
            if (all.runs(m, p))
                table.set(all.modelId(m), all.platform(p), all.at(m, p));
    }
    if (dropped)
        *dropped = left;
    return table;
}

Predictor noisyPredictor(const LatencyTable &table, double relError, uint64_t seed)
{
    Predictor perfect = perfectPredictor(table);
    return [perfect, relError, seed](const ModelRef &m, std::string_view platform) {
        uint64_t h = 1469598103934665603ull;
        for (char c : platform)
            h = (h ^ uint8_t(c)) * 1099511628211ull;
        Rng rng(mixSeed(mixSeed(seed, uint64_t(m.modelId)), h));
        return perfect(m, platform) * std::exp(relError * rng.normal());
    };
}

} // namespace sniper::sched
