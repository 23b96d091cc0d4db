#include "generator/generator.h"

#include "common/error.h"
#include "generator/networkbuilder.h"
#include "generator/realistic.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cstdio>

namespace sniper::generator {

namespace {

// Whole-network samplings before giving up on a budget; the later ones use the smallest input.
constexpr int kAttempts = 32;
constexpr int kSmallAfter = 16;

} // namespace

const char *layerTypeName(LayerType t)
{
    switch (t) {
    case LayerType::Conv: return "conv";
    case LayerType::Pool: return "pool";
    case LayerType::Norm: return "norm";
    case LayerType::Full: return "full";
    }
    return "?";
}

const char *connectionName(Connection c)
{
    switch (c) {
    case Connection::None: return "none";
    case Connection::Add: return "add";
    case Connection::Concat: return "concat";
    }
    return "?";
}

std::string networkName(uint64_t seed)
{
    char buf[24];
    std::snprintf(buf, sizeof buf, "gen-%016llx", static_cast<unsigned long long>(seed));
    return buf;
}

uint64_t networkSeed(uint64_t seed, int index)
{
    uint64_t state = seed + uint64_t(index) * 0x9E3779B97F4A7C15ull;
    return splitmix64(state);
}

namespace {

GeneratedNetwork generateOne(const CompiledSpec &c, uint64_t seed)
{
    GeneratedNetwork net;
    net.seed = seed;
    net.name = networkName(seed);
    Rng rng(seed);
    NetworkBuilder builder(c, rng);
    for (int attempt = 0; attempt < kAttempts; ++attempt) {
        if (builder.build(net, attempt >= kSmallAfter)) {
            net.params.attempts = attempt + 1;
            return net;
        }
    }
    throw Error("no network within the budget of " + std::to_string(c.s.maxMacs) + " MACs after " +
                    std::to_string(kAttempts) + " tries (seed " + net.name + "): raise max_macs or shrink the ranges",
                "max_macs");
}

} // namespace

GeneratedNetwork generateNetwork(const GeneratorSpec &spec, uint64_t seed)
{
    if (spec.style == "realistic")
        return generateRealistic(spec, seed);
    return generateOne(CompiledSpec(spec), seed);
}

std::vector<GeneratedNetwork> generateNetworks(const GeneratorSpec &spec, uint64_t seed, int count)
{
    std::vector<GeneratedNetwork> out;
    out.reserve(size_t(std::max(count, 0)));
    if (spec.style == "realistic") {
        for (int i = 0; i < count; ++i)
            out.push_back(generateRealistic(spec, networkSeed(seed, i)));
        return out;
    }
    const CompiledSpec c(spec);
    for (int i = 0; i < count; ++i)
        out.push_back(generateOne(c, networkSeed(seed, i)));
    return out;
}

nlohmann::json paramsToJson(const NetworkParams &p)
{
    if (!p.family.empty())
        return {{"family", p.family}, {"variant", p.variant}, {"input_plane", p.inputPlane},
                {"input_channels", p.inputChannels}, {"width_scale", p.widthScale}, {"target_macs", p.targetMacs},
                {"stage_depths", p.stageDepths}, {"stage_widths", p.stageWidths}, {"output_channels", p.outputChannels},
                {"classes", p.classes}, {"attempts", p.attempts}};
    nlohmann::json blocks = nlohmann::json::array();
    for (const BlockParams &b : p.blocks) {
        nlohmann::json layers = nlohmann::json::array();
        for (const LayerParams &l : b.layers) {
            nlohmann::json j{{"type", layerTypeName(l.type)}, {"branch", l.branch}};
            if (l.type == LayerType::Conv)
                j.update({{"out_channels", l.outChannels}, {"kernel", l.kernel}, {"stride", l.stride},
                          {"dilation", l.dilation}, {"depthwise", l.depthwise}, {"activation", l.activation}});
            else if (l.type == LayerType::Pool)
                j.update({{"kind", l.maxPool ? "max" : "avg"}, {"kernel", l.kernel}, {"stride", l.stride}});
            else if (l.type == LayerType::Norm)
                j["activation"] = l.activation;
            layers.push_back(std::move(j));
        }
        blocks.push_back({{"connection", connectionName(b.connection)}, {"branches", b.branches},
                          {"stride", b.stride}, {"in_channels", b.inChannels}, {"out_channels", b.outChannels},
                          {"plane", b.plane}, {"fallback", b.fallback}, {"layers", std::move(layers)}});
    }
    return {{"input_plane", p.inputPlane}, {"output_plane", p.outputPlane}, {"input_channels", p.inputChannels},
            {"output_channels", p.outputChannels}, {"activation", p.activation}, {"classifier", p.classifier},
            {"flatten_classifier", p.flattenClassifier}, {"classes", p.classes}, {"attempts", p.attempts},
            {"blocks", std::move(blocks)}};
}

} // namespace sniper::generator
