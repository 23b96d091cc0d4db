#include "graph/analysis.h"

#include "graph/cost.h"
#include "graph/graph.h"

#include <algorithm>
#include <bit>

namespace sniper::graph {

namespace {

// Reachability closure of the layer DAG as one bit row per layer (descendants).
class Closure {
public:
    explicit Closure(const LayerDag &dag) : m_n(int(dag.layers.size())), m_words((m_n + 63) / 64),
        m_bits(size_t(m_n) * m_words, 0)
    {
        for (int i = m_n - 1; i >= 0; --i) {
            uint64_t *row = this->row(i);
            for (int s : dag.succ[i]) {
                row[s / 64] |= uint64_t(1) << (s % 64);
                const uint64_t *srow = this->row(s);
                for (int w = 0; w < m_words; ++w)
                    row[w] |= srow[w];
            }
        }
    }
    int size() const { return m_n; }
    int words() const { return m_words; }
    const uint64_t *row(int i) const { return m_bits.data() + size_t(i) * m_words; }
    bool reaches(int a, int b) const { return (row(a)[b / 64] >> (b % 64)) & 1; }

private:
    uint64_t *row(int i) { return m_bits.data() + size_t(i) * m_words; }
    int m_n;
    int m_words;
    std::vector<uint64_t> m_bits;
};

// Dilworth: the widest antichain of layers [lo, hi) equals their count minus a maximum
// matching in the bipartite graph of the transitive closure (left a -> right b if a reaches b).
class AntichainMatcher {
public:
    AntichainMatcher(const Closure &c, int lo, int hi) : m_c(c), m_lo(lo), m_hi(hi),
        m_matchRight(size_t(c.size()), -1), m_seen(size_t(c.size()), 0) {}

    int width()
    {
        int matched = 0;
        std::vector<char> leftMatched(size_t(m_c.size()), 0);
        for (int a = m_lo; a < m_hi; ++a) { // greedy start: first free descendant
            int b = nextBit(a, a + 1);
            while (b >= 0 && m_matchRight[b] >= 0)
                b = nextBit(a, b + 1);
            if (b >= 0) {
                m_matchRight[b] = a;
                leftMatched[a] = 1;
                ++matched;
            }
        }
        for (int a = m_lo; a < m_hi; ++a) {
            if (leftMatched[a])
                continue;
            ++m_stamp;
            if (augment(a))
                ++matched;
        }
        return (m_hi - m_lo) - matched;
    }

private:
    int nextBit(int a, int from) const
    {
        if (from >= m_hi)
            return -1;
        const uint64_t *row = m_c.row(a);
        int w = from / 64;
        uint64_t word = row[w] & (~uint64_t(0) << (from % 64));
        while (true) {
            if (word) {
                int b = w * 64 + std::countr_zero(word);
                return b < m_hi ? b : -1;
            }
            if (++w >= m_c.words() || w * 64 >= m_hi)
                return -1;
            word = row[w];
        }
    }

    bool augment(int a)
    {
        for (int b = nextBit(a, a + 1); b >= 0; b = nextBit(a, b + 1)) {
            if (m_seen[b] == m_stamp)
                continue;
            m_seen[b] = m_stamp;
            if (m_matchRight[b] < 0 || augment(m_matchRight[b])) {
                m_matchRight[b] = a;
                return true;
            }
        }
        return false;
    }

    const Closure &m_c;
    int m_lo, m_hi;
    std::vector<int> m_matchRight;
    std::vector<int> m_seen;
    int m_stamp = 0;
};

} // namespace

LayerDag buildLayerDag(const Graph &g)
{
    LayerDag dag;
    std::vector<int> position(g.nodes.size(), -1);
    for (size_t n = 0; n < g.nodes.size(); ++n) {
        if (g.nodes[n].isLayer()) {
            position[n] = int(dag.layers.size());
            dag.layers.push_back(int(n));
        }
    }
    dag.succ.resize(dag.layers.size());
    dag.pred.resize(dag.layers.size());
    // For every value, the layers whose outputs reach it through non-layer nodes only.
    std::vector<std::vector<int>> sources(g.values.size());
    for (size_t n = 0; n < g.nodes.size(); ++n) {
        const Node &node = g.nodes[n];
        std::vector<int> in;
        for (int v : node.inputs)
            if (v >= 0)
                in.insert(in.end(), sources[v].begin(), sources[v].end());
        std::sort(in.begin(), in.end());
        in.erase(std::unique(in.begin(), in.end()), in.end());
        if (position[n] >= 0) {
            int p = position[n];
            dag.pred[p] = in;
            for (int s : in)
                dag.succ[s].push_back(p);
            for (int o : node.outputs)
                sources[o] = {p};
        } else {
            for (int o : node.outputs)
                sources[o] = in;
        }
    }
    return dag;
}

CriticalPath criticalPath(const Graph &g, const GraphCost &cost, const LayerDag &dag)
{
    const int n = int(dag.layers.size());
    CriticalPath result;
    if (n == 0)
        return result;
    std::vector<int64_t> macs(n), layers(n);
    std::vector<int> from(n, -1);
    for (int i = 0; i < n; ++i) {
        int64_t bestMacs = 0, bestLayers = 0;
        for (int p : dag.pred[i]) {
            if (from[i] < 0 || macs[p] > bestMacs || (macs[p] == bestMacs && layers[p] > bestLayers)) {
                bestMacs = macs[p];
                bestLayers = layers[p];
                from[i] = p;
            }
        }
        macs[i] = bestMacs + cost.nodes[dag.layers[i]].macs;
        layers[i] = bestLayers + 1;
    }
    int end = -1;
    for (int i = 0; i < n; ++i) {
        if (!dag.succ[i].empty())
            continue;
        if (end < 0 || macs[i] > macs[end] || (macs[i] == macs[end] && layers[i] > layers[end]))
            end = i;
    }
    for (int i = end; i >= 0; i = from[i])
        result.nodes.push_back(dag.layers[i]);
    std::reverse(result.nodes.begin(), result.nodes.end());
    result.macs = macs[end];
    for (int node : result.nodes)
        result.params += cost.nodes[node].params;
    (void)g;
    return result;
}

int maxBranches(const LayerDag &dag)
{
    if (dag.layers.empty())
        return 0;
    const Closure closure(dag);
    return AntichainMatcher(closure, 0, closure.size()).width();
}

int maxOutDegree(const LayerDag &dag)
{
    size_t best = 0;
    for (const auto &s : dag.succ)
        best = std::max(best, s.size());
    return int(best);
}

bool isLineStructure(const LayerDag &dag)
{
    for (size_t i = 0; i < dag.layers.size(); ++i)
        if (dag.pred[i].size() > 1 || dag.succ[i].size() > 1)
            return false;
    // A line also has a single start (two sources would run in parallel).
    return std::count_if(dag.pred.begin(), dag.pred.end(), [](const auto &p) { return p.empty(); }) <= 1;
}

std::vector<BranchRegion> branchRegions(const LayerDag &dag)
{
    const int n = int(dag.layers.size());
    std::vector<BranchRegion> regions;
    if (n == 0)
        return regions;
    const Closure closure(dag);
    // A cut layer is comparable with every other layer: all ancestors precede it in topological
    // order and all descendants follow, so it reaches exactly the layers after it.
    std::vector<int> descendants(n, 0), ancestors(n, 0);
    for (int i = 0; i < n; ++i) {
        const uint64_t *row = closure.row(i);
        for (int w = 0; w < closure.words(); ++w) {
            for (uint64_t word = row[w]; word; word &= word - 1)
                ++ancestors[w * 64 + std::countr_zero(word)];
            descendants[i] += std::popcount(row[w]);
        }
    }
    std::vector<int> cuts;
    for (int i = 0; i < n; ++i)
        if (descendants[i] + ancestors[i] == n - 1)
            cuts.push_back(i);
    auto addRegion = [&](int lo, int hi, int fork, int join) {
        if (hi - lo < 2)
            return;
        int width = AntichainMatcher(closure, lo, hi).width();
        if (width < 2)
            return;
        BranchRegion r;
        r.fork = fork;
        r.join = join;
        r.width = width;
        for (int i = lo; i < hi; ++i)
            r.nodes.push_back(dag.layers[i]);
        regions.push_back(std::move(r));
    };
    int prev = -1;
    for (int c : cuts) {
        addRegion(prev + 1, c, prev >= 0 ? dag.layers[prev] : -1, dag.layers[c]);
        prev = c;
    }
    addRegion(prev + 1, n, prev >= 0 ? dag.layers[prev] : -1, -1);
    return regions;
}

} // namespace sniper::graph
