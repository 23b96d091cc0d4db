// Whole networks as sums of modules (SPEC §8, docs/modules.md): the decomposition of an IR graph
// into the framework's modules and the module-set predictor that sums their predictions.

#include "predict/modulestudy.h"

#include "common/error.h"
#include "graph/cost.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cmath>
#include <cstring>

namespace sniper::predict::modules {

namespace {

using graph::OpKind;

// The single consumer node of a node's first output, or -1.
int soleConsumer(const graph::Graph &g, int node)
{
    const auto &n = g.nodes[size_t(node)];
    if (n.outputs.empty())
        return -1;
    const auto &v = g.values[size_t(n.outputs[0])];
    if (v.consumers.size() != 1)
        return -1;
    if (std::find(g.outputs.begin(), g.outputs.end(), n.outputs[0]) != g.outputs.end())
        return -1;
    return v.consumers[0];
}

const graph::Shape &inputShape(const graph::Graph &g, const graph::Node &n) { return g.values[size_t(n.inputs[0])].shape; }

// Square-ish plane of an NCHW shape: sqrt(H * W), rounded.
int64_t planeOf(const graph::Shape &s, bool &approximated)
{
    if (s.size() != 4)
        return 0;
    if (s[2] != s[3])
        approximated = true;
    return std::max<int64_t>(1, std::llround(std::sqrt(double(s[2]) * double(s[3]))));
}

int64_t kernelOf(const graph::Node &n, const graph::Graph &g, bool &approximated)
{
    std::vector<int64_t> k = n.attrInts("kernel_shape");
    if (k.empty() && n.kind == OpKind::Conv && n.inputs.size() > 1) {
        const auto &w = g.values[size_t(n.inputs[1])].shape;
        if (w.size() == 4)
            k = {w[2], w[3]};
    }
    if (k.size() != 2)
        return 1;
    if (k[0] != k[1])
        approximated = true;
    return std::max<int64_t>(1, std::llround(std::sqrt(double(k[0]) * double(k[1]))));
}

int64_t strideOf(const graph::Node &n, bool &approximated)
{
    const auto s = n.attrInts("strides", {1, 1});
    if (s.size() == 2 && s[0] != s[1])
        approximated = true;
    return s.empty() ? 1 : s[0];
}

} // namespace

NetworkDecomposition decomposeNetwork(const graph::Graph &g)
{
    NetworkDecomposition out;
    const graph::GraphCost cost = graph::computeCosts(g);
    std::vector<char> used(g.nodes.size(), 0);
    int64_t coveredMacs = 0;
    for (size_t i = 0; i < g.nodes.size(); ++i) {
        if (used[i])
            continue;
        const auto &n = g.nodes[i];
        NetworkModule mod;
        ModuleParams &p = mod.sample.params;
        std::vector<int> members{int(i)};
        bool ok = true;
        const auto follow = [&](OpKind kind) {
            const int next = soleConsumer(g, members.back());
            if (next >= 0 && g.nodes[size_t(next)].kind == kind && !used[size_t(next)]) {
                members.push_back(next);
                return true;
            }
            return false;
        };
        const auto &in = n.inputs.empty() || n.inputs[0] < 0 ? graph::Shape{} : inputShape(g, n);
        const auto nchw = [&] { // N, L, Ci of a 4-D input
            if (in.size() != 4)
                return false;
            p.n = in[0];
            p.l = planeOf(in, mod.approximated);
            p.ci = in[1];
            return true;
        };
        switch (n.kind) {
        case OpKind::Conv: {
            if (n.outputs.empty() || !(ok = nchw()))
                break;
            const auto &outShape = g.values[size_t(n.outputs[0])].shape;
            mod.groups = std::max<int64_t>(1, n.attrInt("group", 1));
            p.ci /= mod.groups; // one conv of Ci/g -> Co: the grouped conv's MACs
            p.co = outShape.size() == 4 ? outShape[1] : 0;
            if (mod.groups > 1)
                mod.approximated = true;
            p.k = kernelOf(n, g, mod.approximated);
            p.s = strideOf(n, mod.approximated);
            const auto dil = n.attrInts("dilations", {1, 1});
            if (std::any_of(dil.begin(), dil.end(), [](int64_t v) { return v != 1; }))
                mod.approximated = true;
            const bool bn = follow(OpKind::BatchNormalization);
            const bool relu = follow(OpKind::Relu);
            mod.sample.kind = bn ? (relu ? ModuleKind::ConvBnRelu : ModuleKind::ConvBn)
                                 : (relu ? ModuleKind::ConvRelu : ModuleKind::Conv);
            break;
        }
        case OpKind::BatchNormalization:
            if (!(ok = nchw()))
                break;
            mod.sample.kind = follow(OpKind::Relu) ? ModuleKind::BnRelu : ModuleKind::Bn;
            break;
        case OpKind::MaxPool:
        case OpKind::AveragePool:
            if (!(ok = nchw()))
                break;
            p.k = kernelOf(n, g, mod.approximated);
            p.s = strideOf(n, mod.approximated);
            mod.sample.kind = n.kind == OpKind::MaxPool ? ModuleKind::MaxPool : ModuleKind::AvgPool;
            break;
        case OpKind::GlobalAveragePool:
            if (!(ok = nchw()))
                break;
            p.k = p.l;
            p.s = p.l;
            mod.approximated = true;
            mod.sample.kind = ModuleKind::AvgPool;
            break;
        case OpKind::Gemm:
        case OpKind::MatMul: {
            if (n.inputs.size() < 2 || in.size() != 2 || n.outputs.empty()) {
                ok = false;
                break;
            }
            const auto &w = g.values[size_t(n.inputs[1])];
            const auto &outShape = g.values[size_t(n.outputs[0])].shape;
            if (!w.isConstant || outShape.size() != 2) {
                ok = false;
                break;
            }
            p.n = in[0];
            p.ci = in[1];
            p.co = outShape[1];
            mod.sample.kind = ModuleKind::Linear;
            break;
        }
        default:
            ok = false;
        }
        if (!ok) {
            if (n.kind != OpKind::Constant && n.kind != OpKind::Identity)
                ++out.uncoveredOps[n.opType];
            continue;
        }
        for (int m : members) {
            used[size_t(m)] = 1;
            mod.nodes.push_back(g.nodes[size_t(m)].name);
            coveredMacs += cost.nodes[size_t(m)].macs;
        }
        out.modules.push_back(std::move(mod));
    }
    out.coveredMacsFraction = cost.macs > 0 ? double(coveredMacs) / double(cost.macs) : 1.0;
    return out;
}

ModuleSetPredictor::ModuleSetPredictor(std::string platform, SamplingRanges ranges, std::string scheme)
    : m_platform(std::move(platform)), m_scheme(std::move(scheme)), m_ranges(std::move(ranges))
{
}

void ModuleSetPredictor::add(ModuleRegressor regressor)
{
    const ModuleKind m = regressor.module();
    m_regressors.erase(m);
    m_regressors.emplace(m, std::move(regressor));
}

std::vector<ModuleKind> ModuleSetPredictor::modules() const
{
    std::vector<ModuleKind> out;
    for (const auto &kv : m_regressors)
        out.push_back(kv.first);
    return out;
}

const ModuleRegressor &ModuleSetPredictor::regressor(ModuleKind m) const
{
    auto it = m_regressors.find(m);
    if (it == m_regressors.end())
        throw Error(std::string("module ") + moduleName(m) + " is not in the dataset this predictor was trained on",
                    "module predictor for " + m_platform);
    return it->second;
}

double ModuleSetPredictor::predictModule(const ModuleSample &s, bool extrapolate) const
{
    const ModuleRegressor &r = regressor(s.kind);
    if (!extrapolate)
        validateParams(s.kind, s.params, m_ranges, "module predictor for " + m_platform);
    return r.predict({s}).front();
}

ModuleSetPredictor::NetworkPrediction ModuleSetPredictor::predictNetwork(const graph::Graph &g, double memoryMb,
                                                                         double utilization) const
{
    NetworkPrediction out;
    out.decomposition = decomposeNetwork(g);
    std::map<ModuleKind, std::vector<ModuleSample>> byKind;
    std::map<ModuleKind, std::vector<double>> scaleOf;
    for (const auto &m : out.decomposition.modules) {
        ModuleSample s = m.sample;
        s.memoryMb = memoryMb;
        s.utilization = utilization;
        double scale = 1;
        try {
            validateParams(s.kind, s.params, m_ranges, "");
        } catch (const Error &) {
            // Outside the sampled space: predict the nearest sampled module, scale by the MACs.
            ++out.outOfRange;
            const ModuleParams inside = clampToRanges(s.kind, s.params, m_ranges);
            scale = double(std::max<int64_t>(1, moduleMacs(s.kind, s.params))) /
                    double(std::max<int64_t>(1, moduleMacs(s.kind, inside)));
            s.params = inside;
        }
        byKind[s.kind].push_back(s);
        scaleOf[s.kind].push_back(scale);
    }
    for (const auto &[kind, samples] : byKind) {
        const auto predicted = regressor(kind).predict(samples);
        for (size_t i = 0; i < predicted.size(); ++i)
            out.latencyMs += predicted[i] * scaleOf[kind][i];
        out.modules += samples.size();
    }
    return out;
}

namespace {
constexpr char kSetMagic[] = "SNMS1";

void putU32(std::vector<uint8_t> &out, uint32_t v)
{
    for (int i = 0; i < 4; ++i)
        out.push_back(uint8_t(v >> (8 * i)));
}

uint32_t getU32(const std::vector<uint8_t> &b, size_t &pos)
{
    if (pos + 4 > b.size())
        throw Error("truncated", "module predictor file");
    uint32_t v = 0;
    for (int i = 0; i < 4; ++i)
        v |= uint32_t(b[pos + size_t(i)]) << (8 * i);
    pos += 4;
    return v;
}
} // namespace

std::vector<uint8_t> ModuleSetPredictor::save() const
{
    const std::string head = nlohmann::json{{"platform", m_platform}, {"scheme", m_scheme}, {"ranges", rangesToJson(m_ranges)},
                                            {"modules", m_regressors.size()}}
                                 .dump();
    std::vector<uint8_t> out(kSetMagic, kSetMagic + sizeof(kSetMagic) - 1);
    putU32(out, uint32_t(head.size()));
    out.insert(out.end(), head.begin(), head.end());
    for (const auto &kv : m_regressors) {
        const auto bytes = kv.second.save();
        putU32(out, uint32_t(bytes.size()));
        out.insert(out.end(), bytes.begin(), bytes.end());
    }
    return out;
}

ModuleSetPredictor ModuleSetPredictor::load(const std::vector<uint8_t> &bytes)
{
    const size_t magic = sizeof(kSetMagic) - 1;
    if (bytes.size() < magic || std::memcmp(bytes.data(), kSetMagic, magic) != 0)
        throw Error("not a module predictor (bad header)", "module predictor file");
    size_t pos = magic;
    const uint32_t n = getU32(bytes, pos);
    if (pos + n > bytes.size())
        throw Error("truncated description", "module predictor file");
    ModuleSetPredictor p;
    size_t count = 0;
    try {
        const auto head = nlohmann::json::parse(bytes.begin() + long(pos), bytes.begin() + long(pos + n));
        p.m_platform = head.at("platform").get<std::string>();
        p.m_scheme = head.at("scheme").get<std::string>();
        p.m_ranges = rangesFromJson(head.at("ranges"));
        count = head.at("modules").get<size_t>();
    } catch (const nlohmann::json::exception &e) {
        throw Error(std::string("the description is not valid: ") + e.what(), "module predictor file");
    }
    pos += n;
    for (size_t i = 0; i < count; ++i) {
        const uint32_t size = getU32(bytes, pos);
        if (pos + size > bytes.size())
            throw Error("truncated regressor " + std::to_string(i + 1) + " of " + std::to_string(count),
                        "module predictor file");
        p.add(ModuleRegressor::load(std::vector<uint8_t>(bytes.begin() + long(pos), bytes.begin() + long(pos + size))));
        pos += size;
    }
    if (pos != bytes.size())
        throw Error(std::to_string(bytes.size() - pos) + " unexpected bytes after the last regressor",
                    "module predictor file");
    return p;
}

} // namespace sniper::predict::modules
