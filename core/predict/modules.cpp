#include "predict/modules.h"

#include "common/error.h"
#include "common/xoshiro.h"
#include "generator/emitter.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cmath>

namespace sniper::predict::modules {

namespace {

struct KindInfo {
    ModuleKind kind;
    const char *name;
};

constexpr KindInfo kKinds[] = {
    {ModuleKind::AvgPool, "avgpool"},       {ModuleKind::Bn, "bn"},
    {ModuleKind::BnRelu, "bn+relu"},        {ModuleKind::ConvBn, "conv+bn"},
    {ModuleKind::ConvBnRelu, "conv+bn+relu"}, {ModuleKind::Conv, "conv"},
    {ModuleKind::ConvRelu, "conv+relu"},    {ModuleKind::Linear, "linear"},
    {ModuleKind::MaxPool, "maxpool"},
};

bool isBn(ModuleKind k) { return k == ModuleKind::Bn || k == ModuleKind::BnRelu; }

// Which sampling parameters a module uses (Table 3; composites take their first module's).
struct Uses {
    bool l, co, k, s;
};
Uses uses(ModuleKind k)
{
    if (hasConv(k))
        return {true, true, true, true};
    if (isPool(k))
        return {true, false, true, true};
    if (isBn(k))
        return {true, false, false, false};
    return {false, true, false, false}; // linear
}

double log1pOf(int64_t v) { return std::log1p(double(v)); }

int64_t uniformInt(Xoshiro256 &rng, int64_t lo, int64_t hi) { return lo + int64_t(rng.below(uint64_t(hi - lo + 1))); }

int64_t pick(Xoshiro256 &rng, const std::vector<int64_t> &set) { return set[rng.below(set.size())]; }

std::string listOf(const std::vector<int64_t> &set)
{
    std::string s;
    for (int64_t v : set)
        s += (s.empty() ? "" : ", ") + std::to_string(v);
    return "{" + s + "}";
}

void checkSet(const char *name, int64_t v, const std::vector<int64_t> &set, const std::string &where)
{
    if (std::find(set.begin(), set.end(), v) == set.end())
        throw Error(std::string("parameter ") + name + " = " + std::to_string(v) + " is not one of the sampled values " +
                        listOf(set),
                    where);
}

void checkRange(const char *name, int64_t v, int64_t lo, int64_t hi, const std::string &where)
{
    if (v < lo || v > hi)
        throw Error(std::string("parameter ") + name + " = " + std::to_string(v) + " is outside the sampled range " +
                        std::to_string(lo) + ".." + std::to_string(hi),
                    where);
}

} // namespace

const std::vector<ModuleKind> &allModuleKinds()
{
    static const std::vector<ModuleKind> kinds = [] {
        std::vector<ModuleKind> v;
        for (const auto &k : kKinds)
            v.push_back(k.kind);
        return v;
    }();
    return kinds;
}

const char *moduleName(ModuleKind k)
{
    for (const auto &info : kKinds)
        if (info.kind == k)
            return info.name;
    return "?";
}

ModuleKind parseModuleKind(std::string_view name)
{
    for (const auto &info : kKinds)
        if (name == info.name)
            return info.kind;
    std::string choices;
    for (const auto &info : kKinds)
        choices += (choices.empty() ? "" : ", ") + std::string(info.name);
    throw Error("unknown module '" + std::string(name) + "' (one of " + choices + ")", "module type");
}

bool hasConv(ModuleKind k)
{
    return k == ModuleKind::Conv || k == ModuleKind::ConvBn || k == ModuleKind::ConvRelu || k == ModuleKind::ConvBnRelu;
}

bool isPool(ModuleKind k) { return k == ModuleKind::AvgPool || k == ModuleKind::MaxPool; }

nlohmann::json rangesToJson(const SamplingRanges &r)
{
    return {{"batch", {r.batchMin, r.batchMax}},   {"planes", r.planes},     {"channels", {r.channelsMin, r.channelsMax}},
            {"kernels", r.kernels},                {"strides", r.strides},   {"max_macs", r.maxMacs},
            {"max_elements", r.maxElements}};
}

SamplingRanges rangesFromJson(const nlohmann::json &j)
{
    SamplingRanges r;
    const auto pair = [&](const char *key, int64_t &lo, int64_t &hi) {
        if (!j.contains(key))
            return;
        const auto &v = j.at(key);
        if (!v.is_array() || v.size() != 2 || !v[0].is_number_integer() || !v[1].is_number_integer())
            throw Error(std::string("'") + key + "' must be [min, max] integers", "module sampling ranges");
        lo = v[0].get<int64_t>();
        hi = v[1].get<int64_t>();
        if (lo < 1 || hi < lo)
            throw Error(std::string("'") + key + "' needs 1 <= min <= max", "module sampling ranges");
    };
    const auto set = [&](const char *key, std::vector<int64_t> &out) {
        if (!j.contains(key))
            return;
        const auto &v = j.at(key);
        if (!v.is_array() || v.empty())
            throw Error(std::string("'") + key + "' must be a non-empty list of integers", "module sampling ranges");
        out.clear();
        for (const auto &x : v) {
            if (!x.is_number_integer() || x.get<int64_t>() < 1)
                throw Error(std::string("'") + key + "' must hold positive integers", "module sampling ranges");
            out.push_back(x.get<int64_t>());
        }
    };
    if (!j.is_object())
        throw Error("expected a JSON object", "module sampling ranges");
    pair("batch", r.batchMin, r.batchMax);
    pair("channels", r.channelsMin, r.channelsMax);
    set("planes", r.planes);
    set("kernels", r.kernels);
    set("strides", r.strides);
    for (const char *key : {"max_macs", "max_elements"})
        if (j.contains(key) && (!j.at(key).is_number() || !(j.at(key).get<double>() > 0)))
            throw Error(std::string("'") + key + "' must be a positive number", "module sampling ranges");
    r.maxMacs = j.value("max_macs", r.maxMacs);
    r.maxElements = j.value("max_elements", r.maxElements);
    return r;
}

std::vector<std::string> featureNames(ModuleKind k, unsigned groups)
{
    const Uses u = uses(k);
    std::vector<std::string> names;
    if (groups & Sampling) {
        names.push_back("N");
        if (u.l)
            names.push_back("L");
        names.push_back("Ci");
        if (u.co)
            names.push_back("Co");
        if (u.k)
            names.push_back("K");
        if (u.s)
            names.push_back("S");
    }
    if (groups & Measurable) {
        names.push_back("M");
        names.push_back("U");
    }
    if (groups & Inferable) {
        names.push_back("Nd");
        if (!isPool(k))
            names.push_back("Nm");
        names.push_back("MACs");
    }
    return names;
}

std::vector<double> featureVector(const ModuleSample &s, unsigned groups)
{
    const Uses u = uses(s.kind);
    const ModuleParams &p = s.params;
    std::vector<double> v;
    if (groups & Sampling) {
        v.push_back(double(p.n));
        if (u.l)
            v.push_back(double(p.l));
        v.push_back(double(p.ci));
        if (u.co)
            v.push_back(double(p.co));
        if (u.k)
            v.push_back(double(p.k));
        if (u.s)
            v.push_back(double(p.s));
    }
    if (groups & Measurable) {
        v.push_back(s.memoryMb);
        v.push_back(s.utilization);
    }
    if (groups & Inferable) {
        v.push_back(log1pOf(dataSize(s.kind, p)));
        if (!isPool(s.kind))
            v.push_back(log1pOf(moduleParameters(s.kind, p)));
        v.push_back(log1pOf(moduleMacs(s.kind, p)));
    }
    return v;
}

int64_t outputPlane(ModuleKind k, const ModuleParams &p)
{
    if (k == ModuleKind::Linear)
        return 0;
    if (isBn(k))
        return p.l;
    const int64_t pad = p.k / 2; // conv and pools: pads K / 2, floor((L + 2 pad - K) / S) + 1
    return (p.l + 2 * pad - p.k) / p.s + 1;
}

int64_t dataSize(ModuleKind k, const ModuleParams &p)
{
    return k == ModuleKind::Linear ? p.n * p.ci : p.n * p.ci * p.l * p.l;
}

int64_t moduleParameters(ModuleKind k, const ModuleParams &p)
{
    int64_t params = 0;
    if (hasConv(k))
        params += p.co * p.ci * p.k * p.k + p.co;
    if (k == ModuleKind::ConvBn || k == ModuleKind::ConvBnRelu)
        params += 2 * p.co; // scale and shift; running mean and variance are buffers (PyTorch's count)
    if (isBn(k))
        params += 2 * p.ci;
    if (k == ModuleKind::Linear)
        params += p.co * p.ci + p.co;
    return params;
}

int64_t moduleMacs(ModuleKind k, const ModuleParams &p)
{
    if (k == ModuleKind::Linear)
        return p.n * p.ci * p.co;
    const int64_t lo = outputPlane(k, p);
    if (hasConv(k))
        return p.n * p.co * lo * lo * p.ci * p.k * p.k;
    if (isPool(k))
        return p.n * p.ci * lo * lo * p.k * p.k;
    return p.n * p.ci * p.l * p.l; // bn: one multiply-add per element
}

int64_t elements(ModuleKind k, const ModuleParams &p)
{
    if (k == ModuleKind::Linear)
        return p.n * (p.ci + p.co);
    const int64_t lo = outputPlane(k, p);
    const int64_t cout = hasConv(k) ? p.co : p.ci;
    return p.n * p.ci * p.l * p.l + p.n * cout * lo * lo;
}

void validateParams(ModuleKind k, const ModuleParams &p, const SamplingRanges &r, const std::string &where)
{
    const Uses u = uses(k);
    const std::string at = where.empty() ? std::string(moduleName(k)) : where + " (" + moduleName(k) + ")";
    checkRange("N", p.n, r.batchMin, r.batchMax, at);
    checkRange("Ci", p.ci, r.channelsMin, r.channelsMax, at);
    if (u.l)
        checkSet("L", p.l, r.planes, at);
    else if (p.l != 0)
        throw Error("parameter L does not apply to this module (give 0)", at);
    if (u.co)
        checkRange("Co", p.co, r.channelsMin, r.channelsMax, at);
    else if (p.co != 0)
        throw Error("parameter Co does not apply to this module (give 0)", at);
    if (u.k)
        checkSet("K", p.k, r.kernels, at);
    else if (p.k != 0)
        throw Error("parameter K does not apply to this module (give 0)", at);
    if (u.s)
        checkSet("S", p.s, r.strides, at);
    else if (p.s != 0)
        throw Error("parameter S does not apply to this module (give 0)", at);
    if (isPool(k) && p.k > p.l)
        throw Error("kernel K = " + std::to_string(p.k) + " is larger than the input plane L = " + std::to_string(p.l), at);
}

ModuleParams clampToRanges(ModuleKind k, const ModuleParams &p, const SamplingRanges &r)
{
    const Uses u = uses(k);
    const auto nearest = [](int64_t v, const std::vector<int64_t> &set) {
        int64_t best = set.front();
        for (int64_t x : set)
            if (std::abs(x - v) < std::abs(best - v))
                best = x;
        return best;
    };
    ModuleParams q = p;
    q.n = std::clamp(p.n, r.batchMin, r.batchMax);
    q.ci = std::clamp(p.ci, r.channelsMin, r.channelsMax);
    q.l = u.l ? nearest(p.l, r.planes) : 0;
    q.co = u.co ? std::clamp(p.co, r.channelsMin, r.channelsMax) : 0;
    q.k = u.k ? nearest(p.k, r.kernels) : 0;
    q.s = u.s ? nearest(p.s, r.strides) : 0;
    if (isPool(k))
        while (q.k > q.l && q.k > r.kernels.front()) {
            int64_t smaller = r.kernels.front();
            for (int64_t x : r.kernels)
                if (x < q.k && x > smaller)
                    smaller = x;
            q.k = smaller;
        }
    return q;
}

ModuleParams sampleParams(ModuleKind k, const SamplingRanges &r, Xoshiro256 &rng)
{
    const Uses u = uses(k);
    for (int attempt = 0; attempt < 100000; ++attempt) {
        ModuleParams p;
        p.n = uniformInt(rng, r.batchMin, r.batchMax);
        p.ci = uniformInt(rng, r.channelsMin, r.channelsMax);
        if (u.l)
            p.l = pick(rng, r.planes);
        if (u.co)
            p.co = uniformInt(rng, r.channelsMin, r.channelsMax);
        if (u.k)
            p.k = pick(rng, r.kernels);
        if (u.s)
            p.s = pick(rng, r.strides);
        if (isPool(k) && p.k > p.l)
            continue;
        if (double(moduleMacs(k, p)) <= r.maxMacs && double(elements(k, p)) <= r.maxElements)
            return p;
    }
    throw Error("no parameters within the MACs and element budgets after 100000 draws; raise max_macs or max_elements",
                std::string("sampling ") + moduleName(k));
}

ModuleParams sampleParamsAt(ModuleKind k, const SamplingRanges &r, uint64_t seed, int64_t index)
{
    uint64_t state = seed ^ (uint64_t(k) + 1) * 0x9E3779B97F4A7C15ull;
    const uint64_t mixed = splitmix64(state) ^ uint64_t(index) * 0xD1B54A32D192ED03ull;
    Xoshiro256 rng(mixed);
    return sampleParams(k, r, rng);
}

graph::Graph buildModuleGraph(ModuleKind k, const ModuleParams &p)
{
    graph::Graph g;
    g.name = std::string(moduleName(k)) + "-n" + std::to_string(p.n) + "-l" + std::to_string(p.l) + "-ci" +
             std::to_string(p.ci) + "-co" + std::to_string(p.co) + "-k" + std::to_string(p.k) + "-s" + std::to_string(p.s);
    generator::Emitter e(g);
    int x = k == ModuleKind::Linear ? e.input({p.n, p.ci}) : e.input({p.n, p.ci, p.l, p.l});
    switch (k) {
    case ModuleKind::Linear:
        x = e.gemm(x, p.co);
        break;
    case ModuleKind::AvgPool:
    case ModuleKind::MaxPool:
        x = e.pool(x, k == ModuleKind::MaxPool, p.k, p.s, p.k / 2);
        break;
    case ModuleKind::Bn:
    case ModuleKind::BnRelu:
        x = e.batchNorm(x);
        if (k == ModuleKind::BnRelu)
            x = e.activation(x, generator::Activation::Relu);
        break;
    default:
        x = e.conv(x, p.co, p.k, p.s);
        if (k == ModuleKind::ConvBn || k == ModuleKind::ConvBnRelu)
            x = e.batchNorm(x);
        if (k == ModuleKind::ConvRelu || k == ModuleKind::ConvBnRelu)
            x = e.activation(x, generator::Activation::Relu);
        break;
    }
    g.values[size_t(x)].name = "output";
    g.outputs.push_back(x);
    return g;
}

} // namespace sniper::predict::modules
