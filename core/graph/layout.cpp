#include "graph/layout.h"

#include "graph/analysis.h"

#include <algorithm>
#include <functional>
#include <numeric>

namespace sniper::graph {

namespace {

// A slot in a layer: a real layer node (`real` >= 0) or a dummy of a long edge.
struct Slot {
    int real = -1;
    double width = 0;
    double x = 0;        // centre
    double key = 0;      // barycenter during sweeps
    std::vector<int> up, down; // neighbouring slot ids in the layers above / below
};

struct Work {
    std::vector<Slot> slots;
    std::vector<std::vector<int>> layers; // slot ids per layer, in order
    std::vector<int> order;               // slot id -> index inside its layer
    std::vector<int> layerOf;
};

void renumber(Work &w, int layer)
{
    for (size_t i = 0; i < w.layers[size_t(layer)].size(); ++i)
        w.order[size_t(w.layers[size_t(layer)][i])] = int(i);
}

// One barycenter pass: reorder each layer by the mean position of its neighbours in the layer
// already fixed (above when going down, below when going up). Stable for ties.
void sweep(Work &w, bool downwards)
{
    const int n = int(w.layers.size());
    for (int step = 1; step < n; ++step) {
        int layer = downwards ? step : n - 1 - step;
        auto &ids = w.layers[size_t(layer)];
        for (int id : ids) {
            const auto &nb = downwards ? w.slots[size_t(id)].up : w.slots[size_t(id)].down;
            if (nb.empty()) {
                w.slots[size_t(id)].key = w.order[size_t(id)];
                continue;
            }
            double sum = 0;
            for (int o : nb)
                sum += w.order[size_t(o)];
            // Scale to this layer's width so nodes without neighbours keep their place.
            w.slots[size_t(id)].key = sum / double(nb.size());
        }
        std::stable_sort(ids.begin(), ids.end(),
                         [&](int a, int b) { return w.slots[size_t(a)].key < w.slots[size_t(b)].key; });
        renumber(w, layer);
    }
}

int countCrossings(const Work &w)
{
    int64_t crossings = 0;
    for (size_t l = 0; l + 1 < w.layers.size(); ++l) {
        std::vector<std::pair<int, int>> e;
        for (int id : w.layers[l])
            for (int d : w.slots[size_t(id)].down)
                e.push_back({w.order[size_t(id)], w.order[size_t(d)]});
        std::sort(e.begin(), e.end());
        // Inversions of the lower endpoints (merge-count, small layers: insertion is fine).
        std::vector<int> lower;
        for (const auto &p : e)
            lower.push_back(p.second);
        std::vector<int> tmp(lower.size());
        std::function<int64_t(int, int)> count = [&](int lo, int hi) -> int64_t {
            if (hi - lo < 2)
                return 0;
            int mid = (lo + hi) / 2;
            int64_t c = count(lo, mid) + count(mid, hi);
            int i = lo, j = mid, k = lo;
            while (i < mid && j < hi) {
                if (lower[size_t(i)] <= lower[size_t(j)])
                    tmp[size_t(k++)] = lower[size_t(i++)];
                else {
                    c += mid - i;
                    tmp[size_t(k++)] = lower[size_t(j++)];
                }
            }
            while (i < mid)
                tmp[size_t(k++)] = lower[size_t(i++)];
            while (j < hi)
                tmp[size_t(k++)] = lower[size_t(j++)];
            std::copy(tmp.begin() + lo, tmp.begin() + hi, lower.begin() + lo);
            return c;
        };
        crossings += count(0, int(lower.size()));
    }
    return int(std::min<int64_t>(crossings, INT32_MAX));
}

// Coordinates: each slot wants the mean x of its neighbours; a left-to-right then right-to-left
// pass keeps the minimum separation. A few rounds alternate the two directions.
void placeX(Work &w, const LayoutOptions &o)
{
    for (auto &ids : w.layers) {
        double x = 0;
        for (int id : ids) {
            Slot &s = w.slots[size_t(id)];
            s.x = x + s.width / 2;
            x += s.width + o.nodeGap;
        }
    }
    auto separate = [&](std::vector<int> &ids) {
        for (size_t i = 1; i < ids.size(); ++i) {
            Slot &a = w.slots[size_t(ids[i - 1])], &b = w.slots[size_t(ids[i])];
            double minX = a.x + (a.width + b.width) / 2 + o.nodeGap;
            b.x = std::max(b.x, minX);
        }
        for (size_t i = ids.size() - 1; i-- > 0;) {
            Slot &a = w.slots[size_t(ids[i])], &b = w.slots[size_t(ids[i + 1])];
            double maxX = b.x - (a.width + b.width) / 2 - o.nodeGap;
            a.x = std::min(a.x, maxX);
        }
    };
    for (int round = 0; round < 4; ++round) {
        bool down = round % 2 == 0;
        const int n = int(w.layers.size());
        for (int step = 1; step < n; ++step) {
            int layer = down ? step : n - 1 - step;
            auto &ids = w.layers[size_t(layer)];
            for (int id : ids) {
                Slot &s = w.slots[size_t(id)];
                const auto &nb = down ? s.up : s.down;
                // A layer box follows its real neighbours only, so skip connections (dummies
                // beside the main line) do not pull chains sideways; dummies follow anything.
                double sum = 0;
                int count = 0;
                for (int pass = 0; pass < 2 && count == 0; ++pass)
                    for (int o2 : nb)
                        if (pass == 1 || s.real < 0 || w.slots[size_t(o2)].real >= 0) {
                            sum += w.slots[size_t(o2)].x;
                            ++count;
                        }
                if (count > 0)
                    s.x = sum / double(count);
            }
            separate(ids);
        }
    }
    double minX = 0;
    bool first = true;
    for (const Slot &s : w.slots) {
        minX = first ? s.x - s.width / 2 : std::min(minX, s.x - s.width / 2);
        first = false;
    }
    for (Slot &s : w.slots)
        s.x -= minX;
}

} // namespace

GraphLayout layeredLayout(const LayerDag &dag, const LayoutOptions &o, const std::atomic<bool> *cancel)
{
    GraphLayout out;
    const int n = int(dag.layers.size());
    if (n == 0)
        return out;
    // 1. Longest-path layering from the inputs (positions are topological).
    std::vector<int> rank(size_t(n), 0);
    for (int i = 0; i < n; ++i)
        for (int p : dag.pred[size_t(i)])
            rank[size_t(i)] = std::max(rank[size_t(i)], rank[size_t(p)] + 1);
    out.layers = *std::max_element(rank.begin(), rank.end()) + 1;

    // 2. Slots: real nodes first, then a dummy chain per long edge.
    Work w;
    w.layers.resize(size_t(out.layers));
    for (int i = 0; i < n; ++i) {
        Slot s;
        s.real = i;
        s.width = o.nodeWidth;
        w.slots.push_back(s);
        w.layerOf.push_back(rank[size_t(i)]);
        w.layers[size_t(rank[size_t(i)])].push_back(i);
    }
    struct Chain {
        int from, to;
        std::vector<int> dummies;
    };
    std::vector<Chain> chains;
    for (int u = 0; u < n; ++u) {
        for (int v : dag.succ[size_t(u)]) {
            Chain c{u, v, {}};
            int prev = u;
            for (int l = rank[size_t(u)] + 1; l < rank[size_t(v)]; ++l) {
                Slot d;
                d.width = o.dummyWidth;
                int id = int(w.slots.size());
                w.slots.push_back(d);
                w.layerOf.push_back(l);
                w.layers[size_t(l)].push_back(id);
                w.slots[size_t(prev)].down.push_back(id);
                w.slots[size_t(id)].up.push_back(prev);
                c.dummies.push_back(id);
                prev = id;
            }
            w.slots[size_t(prev)].down.push_back(v);
            w.slots[size_t(v)].up.push_back(prev);
            chains.push_back(std::move(c));
        }
    }
    out.dummies = int64_t(w.slots.size()) - n;
    w.order.assign(w.slots.size(), 0);
    for (int l = 0; l < out.layers; ++l)
        renumber(w, l);

    // 3. Crossing reduction.
    for (int s = 0; s < o.sweeps; ++s) {
        if (cancel && cancel->load()) {
            out.cancelled = true;
            return out;
        }
        sweep(w, s % 2 == 0);
    }
    out.crossings = countCrossings(w);

    // 4. Coordinates.
    placeX(w, o);
    const double layerStep = o.nodeHeight + o.layerGap;
    for (int i = 0; i < n; ++i) {
        const Slot &s = w.slots[size_t(i)];
        LayoutNode node;
        node.node = dag.layers[size_t(i)];
        node.layer = rank[size_t(i)];
        node.width = o.nodeWidth;
        node.height = o.nodeHeight;
        node.x = s.x - o.nodeWidth / 2;
        node.y = rank[size_t(i)] * layerStep;
        out.nodes.push_back(node);
        out.width = std::max(out.width, node.x + node.width);
    }
    for (const Slot &s : w.slots)
        out.width = std::max(out.width, s.x + s.width / 2); // long edges may run beside the boxes
    out.height = out.layers * layerStep - o.layerGap;
    for (const Chain &c : chains) {
        LayoutEdge e;
        e.from = c.from;
        e.to = c.to;
        const LayoutNode &a = out.nodes[size_t(c.from)], &b = out.nodes[size_t(c.to)];
        e.points.push_back({a.x + a.width / 2, a.y + a.height});
        for (int d : c.dummies)
            e.points.push_back({w.slots[size_t(d)].x, w.layerOf[size_t(d)] * layerStep + o.nodeHeight / 2});
        e.points.push_back({b.x + b.width / 2, b.y});
        out.edges.push_back(std::move(e));
    }
    return out;
}

} // namespace sniper::graph
