// Cut points of a model: cumulative device time f, crossing activation bytes, cloud time.

#include "partition/partition.h"

#include "common/error.h"
#include "graph/analysis.h"
#include "graph/graph.h"
#include "runtime/runtime.h"

namespace sniper::partition {

Profile buildProfile(const graph::Graph &g, const std::vector<double> &nodeMs, const std::vector<double> &cloudNodeMs)
{
    const int N = int(g.nodes.size());
    if (int(nodeMs.size()) != N)
        throw Error(
            "per-node times cover " + std::to_string(nodeMs.size()) + " nodes, the graph has " + std::to_string(N),
            g.name);
    if (!cloudNodeMs.empty() && int(cloudNodeMs.size()) != N)
        throw Error("cloud per-node times cover " + std::to_string(cloudNodeMs.size()) + " nodes, the graph has "
                + std::to_string(N),
            g.name);
    Profile p;
    p.model = g.name;
    std::vector<int> positions { 0 };
    for (int i = 0; i < N; ++i)
        if (g.nodes[i].isLayer()) {
            ++p.layers;
            if (i + 1 < N)
                positions.push_back(i + 1);
        }
    if (p.layers == 0)
        throw Error("the graph has no valid cut point: it contains no layer (Conv, Gemm, Pool, ...)", g.name);
    positions.push_back(N);

    // A value crosses cut position q when it is made before q and used at or after q: a
    // difference array over positions counts every value once however many nodes read it.
    std::vector<int64_t> delta(N + 2, 0);
    for (const graph::Value &v : g.values) {
        if (v.isConstant || v.consumers.empty())
            continue;
        int last = -1;
        for (int c : v.consumers)
            last = std::max(last, c);
        const int born = v.producer + 1;
        if (born > last)
            continue;
        delta[born] += v.bytes();
        delta[last + 1] -= v.bytes();
    }
    std::vector<int64_t> crossing(N + 1, 0);
    int64_t run = 0;
    for (int q = 0; q <= N; ++q)
        crossing[q] = (run += delta[q]);
    std::vector<double> prefix(N + 1, 0), cloudSuffix(N + 1, 0);
    for (int i = 0; i < N; ++i)
        prefix[i + 1] = prefix[i] + nodeMs[i];
    for (int i = N - 1; i >= 0; --i)
        cloudSuffix[i] = cloudSuffix[i + 1] + (cloudNodeMs.empty() ? 0.0 : cloudNodeMs[i]);

    for (int q : positions) {
        CutPoint c;
        c.after = q == 0 ? "input" : g.nodes[q - 1].name;
        c.localMs = prefix[q];
        c.bytes = q == N ? 0 : crossing[q];
        c.cloudMs = cloudSuffix[q];
        p.cuts.push_back(c);
    }
    if (p.cuts.size() >= 2 && p.cuts[p.cuts.size() - 2].localMs == p.cuts.back().localMs
        && p.cuts[p.cuts.size() - 2].bytes == 0)
        p.cuts.erase(p.cuts.end() - 2); // duplicate of the local-only cut
    p.lineStructure = graph::isLineStructure(graph::buildLayerDag(g));
    return p;
}

Profile mergeVirtualBlocks(const Profile &p)
{
    Profile out = p;
    out.cuts.clear();
    for (size_t c = 0; c < p.cuts.size(); ++c) {
        const bool last = c + 1 == p.cuts.size();
        // JPS §3.2: a layer after which the output grows joins the next one.
        if (c == 0 || last || p.cuts[c].bytes <= out.cuts.back().bytes)
            out.cuts.push_back(p.cuts[c]);
    }
    return out;
}

void profileCurves(const Profile &p, const CommModel &comm, std::vector<double> &f, std::vector<double> &g)
{
    if (!(comm.bandwidthBps > 0))
        throw Error("bandwidth must be positive, got " + std::to_string(comm.bandwidthBps) + " bit/s");
    if (p.cuts.empty())
        throw Error("the profile has no cut point", p.model);
    f.resize(p.cuts.size());
    g.resize(p.cuts.size());
    for (size_t c = 0; c < p.cuts.size(); ++c) {
        f[c] = p.cuts[c].localMs;
        const bool localOnly = c + 1 == p.cuts.size();
        // The cloud stage follows the upload on the same (second) resource; 0 by default (JPS §3).
        g[c] = localOnly ? 0.0 : comm.ms(p.cuts[c].bytes) + p.cuts[c].cloudMs;
    }
}

MeasuredProfile measureProfile(const graph::Graph &g, const MeasureOptions &o)
{
    if (!o.cloudPlatform.empty() && o.cloudSpeedup != 0)
        throw Error("give either a cloud platform or a cloud speedup, not both");
    if (o.cloudSpeedup < 0)
        throw Error("the cloud speedup must be positive, got " + std::to_string(o.cloudSpeedup));
    if (o.repeats < 1)
        throw Error("the number of timed runs must be at least 1, got " + std::to_string(o.repeats));
    const std::vector<double> local = runtime::createRuntime(o.platform)->prepare(g)->nodeTimesMs(o.repeats);
    std::vector<double> cloud;
    if (!o.cloudPlatform.empty())
        cloud = runtime::createRuntime(o.cloudPlatform)->prepare(g)->nodeTimesMs(o.repeats);
    else if (o.cloudSpeedup > 0)
        for (double t : local)
            cloud.push_back(t / o.cloudSpeedup);
    MeasuredProfile m;
    m.raw = buildProfile(g, local, cloud);
    m.merged = mergeVirtualBlocks(m.raw);
    return m;
}

} // namespace sniper::partition
