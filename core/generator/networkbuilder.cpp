#include "generator/networkbuilder.h"

#include <algorithm>

namespace sniper::generator {

namespace {

// Sampled blocks tried against the budget before the cheapest block is used.
constexpr int kBlockTries = 3;

Activation activationFromName(const std::string &n)
{
    if (n == "relu6") return Activation::Relu6;
    if (n == "leakyrelu") return Activation::LeakyRelu;
    if (n == "sigmoid") return Activation::Sigmoid;
    if (n == "tanh") return Activation::Tanh;
    if (n == "elu") return Activation::Elu;
    if (n == "hardsigmoid") return Activation::HardSigmoid;
    return Activation::Relu;
}

bool has(const std::vector<std::string> &v, const char *s)
{
    return std::find(v.begin(), v.end(), s) != v.end();
}

} // namespace

CompiledSpec::CompiledSpec(const GeneratorSpec &spec) : s(spec)
{
    validateSpec(spec);
    conv = has(s.layerTypes, "conv");
    pool = has(s.layerTypes, "pool");
    norm = has(s.layerTypes, "norm");
    add = has(s.connections, "add");
    full = has(s.layerTypes, "full") && s.fullProbability > 0;
    for (const std::string &t : s.layerTypes) {
        if (t == "conv") blockTypes.push_back(LayerType::Conv);
        if (t == "pool") blockTypes.push_back(LayerType::Pool);
        if (t == "norm") blockTypes.push_back(LayerType::Norm);
    }
    for (LayerType t : blockTypes)
        if (t != LayerType::Norm)
            strideTypes.push_back(t); // a reduction's first layer must be able to stride
    for (const std::string &c : s.connections)
        connections.push_back(c == "add" ? Connection::Add : c == "concat" ? Connection::Concat : Connection::None);
    for (const std::string &p : s.poolTypes)
        poolMax.push_back(p == "max");
    for (int64_t k : s.kernels)
        if (k > 1)
            poolKernels.push_back(k); // a 1x1 pool is an identity (or a subsampling): not a pool layer
    if (poolKernels.empty())
        poolKernels = s.kernels;
    minWidth = *std::min_element(s.outputChannels.begin(), s.outputChannels.end());
    if (full)
        headReserve = s.batch * s.maxChannels * *std::max_element(s.classes.begin(), s.classes.end());
    const bool canReduce = std::find(s.strides.begin(), s.strides.end(), 2) != s.strides.end();
    reachable.resize(s.inputPlanes.size());
    for (size_t i = 0; i < s.inputPlanes.size(); ++i)
        for (int64_t out : s.outputPlanes) {
            int r = halvings(s.inputPlanes[i], out);
            if (r >= 0 && r <= s.maxBlocks && (r == 0 || canReduce))
                reachable[i].push_back(out);
        }
}

LayerParams NetworkBuilder::sampleLayer(LayerType type, int branch, int64_t stride, int64_t width)
{
    LayerParams l;
    l.type = type;
    l.branch = uint8_t(branch);
    l.stride = stride;
    switch (type) {
    case LayerType::Conv:
        l.outChannels = width;
        l.kernel = m_rng.pick(m_s.kernels);
        if (l.kernel > 1) { // dilation and depthwise only change a k > 1 conv
            l.dilation = m_rng.pick(m_s.dilations);
            l.depthwise = m_rng.chance(m_s.depthwiseProbability);
        }
        l.activation = m_rng.chance(m_s.activationProbability);
        break;
    case LayerType::Pool:
        l.kernel = m_rng.pick(m_c.poolKernels);
        l.maxPool = m_rng.pick(m_c.poolMax);
        break;
    case LayerType::Norm:
        l.activation = m_rng.chance(m_s.activationProbability);
        break;
    case LayerType::Full:
        break;
    }
    return l;
}

void NetworkBuilder::sampleBranch(BlockParams &b, int branch, int64_t stride, int64_t width, bool needConv)
{
    const int n = m_rng.range(m_s.minBranchLayers, m_s.maxBranchLayers);
    const size_t first = b.layers.size();
    bool hasConv = false;
    for (int i = 0; i < n; ++i) {
        LayerType t = m_rng.pick(m_c.blockTypes);
        if (i == 0 && stride == 2 && t == LayerType::Norm)
            t = m_rng.pick(m_c.strideTypes);
        hasConv = hasConv || t == LayerType::Conv;
        b.layers.push_back(sampleLayer(t, branch, i == 0 ? stride : 1, width));
    }
    // An Add needs every branch at the block's width: the last layer becomes a conv.
    if (needConv && !hasConv) {
        LayerParams &last = b.layers.back();
        last = sampleLayer(LayerType::Conv, branch, b.layers.size() - 1 == first ? stride : 1, width);
    }
}

BlockParams NetworkBuilder::planBlock(int64_t cin, int64_t stride, int64_t plane)
{
    BlockParams b;
    b.connection = m_rng.pick(m_c.connections);
    b.branches = b.connection == Connection::None ? 1 : m_rng.pick(m_s.branches);
    b.stride = stride;
    b.inChannels = cin;
    b.plane = plane;
    const int64_t width = m_c.conv ? m_rng.pick(m_s.outputChannels) : cin;
    if (b.connection == Connection::Concat) {
        int64_t total = b.branches == 1 ? cin : 0; // a one-branch concat keeps its input (DenseNet)
        for (int i = 0; i < b.branches; ++i) {
            const int64_t w = m_c.conv ? m_rng.pick(m_s.outputChannels) : cin;
            sampleBranch(b, i, stride, w, false);
            bool conv = std::any_of(b.layers.begin(), b.layers.end(),
                                    [i](const LayerParams &l) { return l.branch == i && l.type == LayerType::Conv; });
            total += conv ? w : cin;
        }
        if (total <= m_s.maxChannels) {
            b.outChannels = total;
            return b;
        }
        // Too wide: merge the same branches by Add, or make a chain if the spec has no Add.
        b.connection = m_c.add ? Connection::Add : Connection::None;
        b.branches = m_c.add ? b.branches : 1;
        b.layers.clear();
    }
    const bool add = b.connection == Connection::Add;
    bool conv = false;
    for (int i = 0; i < b.branches; ++i)
        sampleBranch(b, i, stride, width, add && width != cin);
    for (const LayerParams &l : b.layers)
        conv = conv || l.type == LayerType::Conv;
    b.outChannels = conv ? width : cin;
    return b;
}

BlockParams NetworkBuilder::cheapestBlock(int64_t cin, int64_t stride, int64_t plane)
{
    BlockParams b;
    b.stride = stride;
    b.inChannels = cin;
    b.outChannels = cin;
    b.plane = plane;
    b.fallback = true;
    // Pool and norm cost no MACs; without them a 1x1 conv to the narrowest width.
    LayerParams l;
    l.stride = stride;
    if (stride == 1 && m_c.norm) {
        l.type = LayerType::Norm;
    } else if (m_c.pool) {
        l.type = LayerType::Pool;
        l.kernel = m_c.poolKernels.front();
        l.maxPool = m_c.poolMax.front();
    } else {
        l.type = LayerType::Conv;
        l.kernel = 1;
        l.outChannels = m_c.minWidth;
        b.outChannels = m_c.minWidth;
    }
    b.layers.push_back(l);
    return b;
}

int NetworkBuilder::emitBranch(Emitter &e, int x, const LayerParams *l, size_t n)
{
    int cur = x;
    bool pendingAct = false; // conv -> norm -> activation, as in Conv-BN-ReLU
    for (size_t i = 0; i < n; ++i) {
        const bool nextNorm = i + 1 < n && l[i + 1].type == LayerType::Norm;
        switch (l[i].type) {
        case LayerType::Conv:
            if (l[i].depthwise) { // MobileNet: depthwise k x k, BN, activation, pointwise 1 x 1
                const int64_t c = e.channels(cur);
                cur = e.conv(cur, c, l[i].kernel, l[i].stride, l[i].dilation, c, !m_c.norm);
                cur = e.activation(m_c.norm ? e.batchNorm(cur) : cur, m_act);
                cur = e.conv(cur, l[i].outChannels, 1, 1, 1, 1, !nextNorm);
            } else {
                cur = e.conv(cur, l[i].outChannels, l[i].kernel, l[i].stride, l[i].dilation, 1, !nextNorm);
            }
            if (nextNorm)
                pendingAct = l[i].activation;
            else if (l[i].activation)
                cur = e.activation(cur, m_act);
            break;
        case LayerType::Norm:
            cur = e.batchNorm(cur);
            if (l[i].activation || pendingAct)
                cur = e.activation(cur, m_act);
            pendingAct = false;
            break;
        case LayerType::Pool:
            cur = e.pool(cur, l[i].maxPool, l[i].kernel, l[i].stride, (l[i].kernel - 1) / 2);
            break;
        case LayerType::Full:
            break;
        }
    }
    return cur;
}

// The second input of a one-branch Add (ResNet) or Concat (DenseNet), within the spec's layer types.
int NetworkBuilder::shortcut(Emitter &e, int x, int64_t width, int64_t stride, bool add)
{
    if (e.channels(x) == width && stride == 1)
        return x;
    // Add: ResNet's projection, 1x1 conv (stride) + BN. Concat: DenseNet keeps the input, pooled.
    if (e.channels(x) != width || (m_c.conv && (add || !m_c.pool))) {
        const int y = e.conv(x, width, 1, stride, 1, 1, !m_c.norm);
        return m_c.norm ? e.batchNorm(y) : y;
    }
    return e.pool(x, !add, 3, stride, 1);
}

int NetworkBuilder::emitBlock(Emitter &e, int x, const BlockParams &b)
{
    std::vector<int> outs;
    outs.reserve(size_t(b.branches) + 1);
    for (size_t i = 0; i < b.layers.size();) {
        size_t j = i;
        while (j < b.layers.size() && b.layers[j].branch == b.layers[i].branch)
            ++j;
        outs.push_back(emitBranch(e, x, &b.layers[i], j - i));
        i = j;
    }
    if (b.connection == Connection::None)
        return outs[0];
    if (b.branches == 1) {
        const bool add = b.connection == Connection::Add;
        outs.insert(outs.begin(), shortcut(e, x, add ? e.channels(outs[0]) : e.channels(x), b.stride, add));
    }
    if (b.connection == Connection::Concat)
        return e.concat(std::move(outs));
    int y = outs[0];
    for (size_t i = 1; i < outs.size(); ++i)
        y = e.add(y, outs[i]);
    return y;
}

bool NetworkBuilder::build(GeneratedNetwork &out, bool small)
{
    NetworkParams &p = out.params;
    p = NetworkParams{};
    out.graph = graph::Graph{};
    out.graph.name = out.name;
    Emitter e(out.graph);

    // Table IV: input plane, a reachable output plane, input channels; then the block count.
    size_t in = 0;
    if (small)
        in = size_t(std::min_element(m_s.inputPlanes.begin(), m_s.inputPlanes.end()) - m_s.inputPlanes.begin());
    else
        in = m_rng.below(m_s.inputPlanes.size());
    p.inputPlane = m_s.inputPlanes[in];
    p.outputPlane = m_rng.pick(m_c.reachable[in]);
    p.inputChannels = small ? *std::min_element(m_s.inputChannels.begin(), m_s.inputChannels.end())
                            : m_rng.pick(m_s.inputChannels);
    p.activation = m_rng.pick(m_s.activations);
    m_act = activationFromName(p.activation);
    const int reductions = halvings(p.inputPlane, p.outputPlane);
    const int lo = std::max(m_s.minBlocks, reductions);
    const int blocks = small ? lo : m_rng.range(lo, std::max(lo, m_s.maxBlocks));
    // Which blocks reduce: a uniform subset of size `reductions` (selection sampling).
    std::vector<char> reduce(size_t(blocks), 0);
    for (int i = 0, need = reductions; i < blocks && need > 0; ++i)
        if (m_rng.below(uint64_t(blocks - i)) < uint64_t(need)) {
            reduce[size_t(i)] = 1;
            --need;
        }

    // About 7 nodes and 15 values per block on the default spec (tst_generator prints the means).
    e.reserve(size_t(blocks) * 9 + 8, size_t(blocks) * 20 + 16);
    int x = e.input({m_s.batch, p.inputChannels, p.inputPlane, p.inputPlane});
    int64_t plane = p.inputPlane;
    p.blocks.reserve(size_t(blocks));
    for (int i = 0; i < blocks; ++i) {
        const int64_t stride = reduce[size_t(i)] ? 2 : 1;
        if (stride == 2)
            plane = (plane + 1) / 2;
        const int64_t cin = e.channels(x);
        const Emitter::Mark mark = e.mark();
        bool fits = false;
        for (int t = 0; t <= kBlockTries && !fits; ++t) {
            BlockParams b = t < kBlockTries ? planBlock(cin, stride, plane) : cheapestBlock(cin, stride, plane);
            const int y = emitBlock(e, x, b);
            fits = m_s.maxMacs == 0 || e.macs() + m_c.headReserve <= m_s.maxMacs;
            if (fits) {
                x = y;
                p.blocks.push_back(std::move(b));
            } else {
                e.rollback(mark);
            }
        }
        if (!fits)
            return false;
    }
    p.outputChannels = e.channels(x);

    // The "full" layer type: a classifier on the global-average-pooled or the flattened map.
    if (m_c.full && m_rng.chance(m_s.fullProbability)) {
        p.classifier = true;
        p.classes = m_rng.pick(m_s.classes);
        const int64_t features = p.outputChannels * plane * plane;
        p.flattenClassifier = m_rng.chance(m_s.flattenProbability) && features <= m_s.maxFlattenFeatures &&
                              (m_s.maxMacs == 0 || e.macs() + m_s.batch * features * p.classes <= m_s.maxMacs);
        x = e.flatten(p.flattenClassifier ? x : e.globalAveragePool(x));
        x = e.gemm(x, p.classes);
    }
    if (m_s.maxMacs > 0 && e.macs() > m_s.maxMacs)
        return false;
    out.graph.values[size_t(x)].name = "output";
    out.graph.outputs.push_back(x);
    out.graph.finalize();
    out.macs = e.macs();
    return true;
}

} // namespace sniper::generator
