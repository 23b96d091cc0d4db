#include "generator/generatorspec.h"

#include "common/error.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cmath>
#include <limits>
#include <set>

namespace sniper::generator {

namespace {

const std::vector<std::string> kLayerTypes{"conv", "pool", "norm", "full"};
const std::vector<std::string> kConnections{"none", "add", "concat"};
const std::vector<std::string> kActivations{"relu", "relu6", "leakyrelu", "sigmoid", "tanh", "elu", "hardsigmoid"};
const std::vector<std::string> kPoolTypes{"max", "avg"};
const std::vector<std::string> kStyles{"table4", "realistic"};

// Sanity limits: beyond these a value is a typo, not a design space (SPEC §14).
constexpr int64_t kMaxPlane = 8192;
constexpr int64_t kMaxChannelCount = 65536;

std::string joined(const std::vector<std::string> &names)
{
    std::string s;
    for (const std::string &n : names)
        s += (s.empty() ? "" : ", ") + n;
    return s;
}

template <class T>
void checkList(const std::vector<T> &v, const char *field, int64_t lo, int64_t hi)
{
    if (v.empty())
        throw Error("the list is empty", field);
    std::set<T> seen;
    for (T x : v) {
        if (int64_t(x) < lo || int64_t(x) > hi)
            throw Error(std::to_string(x) + " is outside " + std::to_string(lo) + ".." + std::to_string(hi), field);
        if (!seen.insert(x).second)
            throw Error(std::to_string(x) + " appears twice", field);
    }
}

void checkNames(const std::vector<std::string> &v, const char *field, const std::vector<std::string> &known)
{
    if (v.empty())
        throw Error("the list is empty", field);
    std::set<std::string> seen;
    for (const std::string &x : v) {
        if (std::find(known.begin(), known.end(), x) == known.end())
            throw Error("unknown value '" + x + "' (expected one of " + joined(known) + ")", field);
        if (!seen.insert(x).second)
            throw Error("'" + x + "' appears twice", field);
    }
}

void checkProbability(double p, const char *field)
{
    if (!(p >= 0.0 && p <= 1.0))
        throw Error(std::to_string(p) + " is not a probability in [0, 1]", field);
}

void checkRange(int lo, int hi, const char *loField, const char *hiField, int max)
{
    if (lo < 1)
        throw Error(std::to_string(lo) + " must be at least 1", loField);
    if (hi < lo)
        throw Error(std::to_string(hi) + " is below " + loField + " " + std::to_string(lo), hiField);
    if (hi > max)
        throw Error(std::to_string(hi) + " is above the limit " + std::to_string(max), hiField);
}

bool contains(const std::vector<std::string> &v, const char *s)
{
    return std::find(v.begin(), v.end(), s) != v.end();
}

} // namespace

const std::vector<std::string> &realisticFamilies()
{
    static const std::vector<std::string> families{"plain", "basic", "bottleneck", "mbconv", "dense",
                                                   "inception", "fire", "shuffle", "convnext", "vit"};
    return families;
}

GeneratorSpec realisticSpec()
{
    GeneratorSpec s;
    s.style = "realistic";
    s.inputPlanes = {160, 192, 224, 256, 288, 320};
    s.outputPlanes = {5, 6, 7, 8, 9, 10}; // unused by the realistic style; the planes after 5 halvings
    s.inputChannels = {3};
    s.minMacs = 40'000'000;
    s.maxMacs = 30'000'000'000;
    return s;
}

int halvings(int64_t in, int64_t out)
{
    for (int r = 0; in >= out; ++r) {
        if (in == out)
            return r;
        if (in == 1)
            break;
        in = (in + 1) / 2; // "same" padding, stride 2
    }
    return -1;
}

namespace {

void validateRealistic(const GeneratorSpec &s)
{
    checkList(s.inputPlanes, "input_planes", 64, 1024);
    for (int64_t p : s.inputPlanes)
        if (p % 32 != 0)
            throw Error(std::to_string(p) + " is not a multiple of 32 (the realistic style halves the input 5 times "
                        "and cuts it into 16- or 32-pixel patches)", "input_planes");
    checkList(s.inputChannels, "input_channels", 1, kMaxChannelCount);
    checkNames(s.families, "families", realisticFamilies());
    checkList(s.classes, "classes", 1, 1 << 20);
    if (s.batch < 1 || s.batch > 4096)
        throw Error(std::to_string(s.batch) + " is outside 1..4096", "batch");
    if (s.maxChannels < 64 || s.maxChannels > kMaxChannelCount)
        throw Error(std::to_string(s.maxChannels) + " is outside 64.." + std::to_string(kMaxChannelCount), "max_channels");
    if (s.minMacs < 1'000'000)
        throw Error(std::to_string(s.minMacs) + " is below 1,000,000 (the realistic style needs a MACs range)", "min_macs");
    if (s.maxMacs < s.minMacs * 2)
        throw Error(std::to_string(s.maxMacs) + " is not at least twice min_macs " + std::to_string(s.minMacs),
                    "max_macs");
}

} // namespace

void validateSpec(const GeneratorSpec &s)
{
    if (std::find(kStyles.begin(), kStyles.end(), s.style) == kStyles.end())
        throw Error("unknown style '" + s.style + "' (expected table4 or realistic)", "style");
    if (s.style == "realistic")
        return validateRealistic(s);
    checkList(s.inputPlanes, "input_planes", 1, kMaxPlane);
    checkList(s.outputPlanes, "output_planes", 1, kMaxPlane);
    checkList(s.inputChannels, "input_channels", 1, kMaxChannelCount);
    checkList(s.outputChannels, "output_channels", 1, kMaxChannelCount);
    checkNames(s.layerTypes, "layer_types", kLayerTypes);
    if (!contains(s.layerTypes, "conv") && !contains(s.layerTypes, "pool"))
        throw Error("needs conv or pool (norm and full alone cannot build blocks)", "layer_types");
    checkList(s.kernels, "kernels", 1, 31);
    for (int64_t k : s.kernels)
        if (k % 2 == 0)
            throw Error("even kernel " + std::to_string(k) + " is not supported ('same' padding needs odd kernels)",
                        "kernels");
    checkList(s.strides, "strides", 1, 2);
    if (std::find(s.strides.begin(), s.strides.end(), 1) == s.strides.end())
        throw Error("must contain 1 (2 marks reduction blocks, the others use 1)", "strides");
    checkList(s.branches, "branches", 1, 8);
    checkNames(s.connections, "connections", kConnections);
    checkList(s.dilations, "dilations", 1, 16);
    checkProbability(s.depthwiseProbability, "depthwise_probability");
    checkRange(s.minBlocks, s.maxBlocks, "min_blocks", "max_blocks", 256);
    checkRange(s.minBranchLayers, s.maxBranchLayers, "min_branch_layers", "max_branch_layers", 16);
    checkNames(s.activations, "activations", kActivations);
    checkProbability(s.activationProbability, "activation_probability");
    checkNames(s.poolTypes, "pool_types", kPoolTypes);
    checkProbability(s.fullProbability, "full_probability");
    checkProbability(s.flattenProbability, "flatten_probability");
    if (s.maxFlattenFeatures < 1)
        throw Error(std::to_string(s.maxFlattenFeatures) + " must be positive", "max_flatten_features");
    checkList(s.classes, "classes", 1, 1 << 20);
    if (s.batch < 1 || s.batch > 4096)
        throw Error(std::to_string(s.batch) + " is outside 1..4096", "batch");
    const int64_t widest = std::max(*std::max_element(s.inputChannels.begin(), s.inputChannels.end()),
                                    *std::max_element(s.outputChannels.begin(), s.outputChannels.end()));
    if (s.maxChannels < widest)
        throw Error(std::to_string(s.maxChannels) + " is below the widest input/output channel count " +
                        std::to_string(widest), "max_channels");

    // Every input plane must reach some output plane, and every output plane must be reachable.
    const bool canReduce = std::find(s.strides.begin(), s.strides.end(), 2) != s.strides.end();
    std::vector<char> outUsed(s.outputPlanes.size(), 0);
    for (int64_t in : s.inputPlanes) {
        bool any = false;
        for (size_t o = 0; o < s.outputPlanes.size(); ++o) {
            int r = halvings(in, s.outputPlanes[o]);
            if (r >= 0 && r <= s.maxBlocks && (r == 0 || canReduce)) {
                any = true;
                outUsed[o] = 1;
            }
        }
        if (!any)
            throw Error("no output plane is reachable from input plane " + std::to_string(in) +
                            " by at most max_blocks halvings (stride 2)", "output_planes");
    }
    for (size_t o = 0; o < s.outputPlanes.size(); ++o)
        if (!outUsed[o])
            throw Error("output plane " + std::to_string(s.outputPlanes[o]) + " is not reachable from any input plane",
                        "output_planes");

    if (s.maxMacs < 0)
        throw Error(std::to_string(s.maxMacs) + " is negative (0 means no budget)", "max_macs");
    // The budget must at least hold the worst-case GAP classifier the generator reserves for.
    const bool full = contains(s.layerTypes, "full") && s.fullProbability > 0;
    if (full && s.maxMacs > 0) {
        const int64_t head = s.batch * s.maxChannels * *std::max_element(s.classes.begin(), s.classes.end());
        if (s.maxMacs < head)
            throw Error(std::to_string(s.maxMacs) + " is below the classifier's worst case " + std::to_string(head) +
                            " MACs (lower max_channels or classes, or drop 'full')", "max_macs");
    }
}

nlohmann::json specToJson(const GeneratorSpec &s)
{
    return nlohmann::json{
        {"generator_version", kGeneratorVersion},
        {"style", s.style},
        {"families", s.families},
        {"min_macs", s.minMacs},
        {"input_planes", s.inputPlanes},
        {"output_planes", s.outputPlanes},
        {"input_channels", s.inputChannels},
        {"output_channels", s.outputChannels},
        {"layer_types", s.layerTypes},
        {"kernels", s.kernels},
        {"strides", s.strides},
        {"branches", s.branches},
        {"connections", s.connections},
        {"dilations", s.dilations},
        {"depthwise_probability", s.depthwiseProbability},
        {"min_blocks", s.minBlocks},
        {"max_blocks", s.maxBlocks},
        {"min_branch_layers", s.minBranchLayers},
        {"max_branch_layers", s.maxBranchLayers},
        {"activations", s.activations},
        {"activation_probability", s.activationProbability},
        {"pool_types", s.poolTypes},
        {"max_channels", s.maxChannels},
        {"full_probability", s.fullProbability},
        {"flatten_probability", s.flattenProbability},
        {"max_flatten_features", s.maxFlattenFeatures},
        {"classes", s.classes},
        {"max_macs", s.maxMacs},
        {"batch", s.batch},
    };
}

namespace {

template <class T>
struct ElementOf {
    using type = T;
};
template <class T>
struct ElementOf<std::vector<T>> {
    using type = T;
};

// One JSON scalar as the field's element type; integers must be integral and fit.
template <class E>
bool fits(const nlohmann::json &v)
{
    if constexpr (std::is_same_v<E, std::string>) {
        return v.is_string();
    } else if constexpr (std::is_floating_point_v<E>) {
        return v.is_number();
    } else {
        if (v.is_number_float()) { // 5e9 is fine for max_macs, 2.5 is not
            const double d = v.get<double>();
            return d == std::floor(d) && d >= double(std::numeric_limits<E>::min()) &&
                   d < double(std::numeric_limits<E>::max()) + 1.0;
        }
        if (!v.is_number_integer())
            return false;
        if (v.is_number_unsigned())
            return v.get<uint64_t>() <= uint64_t(std::numeric_limits<E>::max());
        const int64_t x = v.get<int64_t>();
        return x >= int64_t(std::numeric_limits<E>::min()) && x <= int64_t(std::numeric_limits<E>::max());
    }
}

template <class T>
void read(const nlohmann::json &j, const char *key, T &out, const char *expected)
{
    auto it = j.find(key);
    if (it == j.end())
        return;
    using E = typename ElementOf<T>::type;
    if constexpr (std::is_same_v<T, E>) {
        if (!fits<E>(*it))
            throw Error(std::string("expected ") + expected + ", found " + it->dump(), key);
    } else {
        if (!it->is_array())
            throw Error(std::string("expected ") + expected + ", found " + it->dump(), key);
        for (const auto &e : *it)
            if (!fits<E>(e))
                throw Error(std::string("expected ") + expected + ", found " + e.dump(), key);
    }
    out = it->get<T>();
}

} // namespace

GeneratorSpec specFromJson(const nlohmann::json &j)
{
    if (!j.is_object())
        throw Error("a generator spec must be a JSON object", "spec");
    const nlohmann::json known = specToJson(GeneratorSpec{});
    for (auto it = j.begin(); it != j.end(); ++it)
        if (!known.contains(it.key()))
            throw Error("unknown field (see docs/generator.md for the fields)", it.key());
    if (j.contains("generator_version")) {
        const auto &v = j["generator_version"];
        if (!v.is_number_integer() || v.get<int>() < 1 || v.get<int>() > kGeneratorVersion)
            throw Error(v.dump() + " is not a generator version this build knows (1.." +
                            std::to_string(kGeneratorVersion) + ")", "generator_version");
    }
    GeneratorSpec s;
    read(j, "style", s.style, "a string");
    if (s.style == "realistic")
        s = realisticSpec(); // missing fields keep the realistic defaults
    read(j, "families", s.families, "a list of strings");
    read(j, "min_macs", s.minMacs, "an integer");
    read(j, "input_planes", s.inputPlanes, "a list of integers");
    read(j, "output_planes", s.outputPlanes, "a list of integers");
    read(j, "input_channels", s.inputChannels, "a list of integers");
    read(j, "output_channels", s.outputChannels, "a list of integers");
    read(j, "layer_types", s.layerTypes, "a list of strings");
    read(j, "kernels", s.kernels, "a list of integers");
    read(j, "strides", s.strides, "a list of integers");
    read(j, "branches", s.branches, "a list of integers");
    read(j, "connections", s.connections, "a list of strings");
    read(j, "dilations", s.dilations, "a list of integers");
    read(j, "depthwise_probability", s.depthwiseProbability, "a number");
    read(j, "min_blocks", s.minBlocks, "an integer");
    read(j, "max_blocks", s.maxBlocks, "an integer");
    read(j, "min_branch_layers", s.minBranchLayers, "an integer");
    read(j, "max_branch_layers", s.maxBranchLayers, "an integer");
    read(j, "activations", s.activations, "a list of strings");
    read(j, "activation_probability", s.activationProbability, "a number");
    read(j, "pool_types", s.poolTypes, "a list of strings");
    read(j, "max_channels", s.maxChannels, "an integer");
    read(j, "full_probability", s.fullProbability, "a number");
    read(j, "flatten_probability", s.flattenProbability, "a number");
    read(j, "max_flatten_features", s.maxFlattenFeatures, "an integer");
    read(j, "classes", s.classes, "a list of integers");
    read(j, "max_macs", s.maxMacs, "an integer");
    read(j, "batch", s.batch, "an integer");
    validateSpec(s);
    return s;
}

} // namespace sniper::generator
