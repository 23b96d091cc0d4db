#pragma once

// The random network generator (Ace-Sniper §IV-C, Table IV; SPEC §4): stacks of blocks, each
// block 1-3 branches of conv/pool/norm layers merged by Add or Concat (or a plain chain), an
// optional classifier. Every network is valid by construction (shapes inferred while building),
// structure-only (weights without data), seeded (same seed -> byte-identical ONNX) and within
// the spec's MACs budget. See docs/generator.md.

#include "generator/generatorspec.h"
#include "graph/graph.h"

#include <nlohmann/json_fwd.hpp>

#include <cstdint>
#include <string>
#include <vector>

namespace sniper::generator {

enum class LayerType : uint8_t { Conv, Pool, Norm, Full };
enum class Connection : uint8_t { None, Add, Concat };

const char *layerTypeName(LayerType t);   // "conv", "pool", "norm", "full"
const char *connectionName(Connection c); // "none", "add", "concat"

// One sampled layer of a branch (or the classifier): the Table IV parameters it drew.
struct LayerParams {
    LayerType type = LayerType::Conv;
    uint8_t branch = 0;         // index of the branch inside its block
    bool depthwise = false;     // conv: depthwise k x k + pointwise 1 x 1 (MobileNet)
    bool maxPool = false;       // pool: max (true) or average
    bool activation = false;    // conv/norm: followed by the activation
    int64_t outChannels = 0;    // conv: its output channels; full: the classes
    int64_t kernel = 0;         // conv/pool
    int64_t stride = 1;         // conv/pool
    int64_t dilation = 1;       // conv
};

struct BlockParams {
    Connection connection = Connection::None;
    int branches = 1;
    int64_t stride = 1;          // 2 in reduction blocks
    int64_t inChannels = 0, outChannels = 0;
    int64_t plane = 0;           // H = W of the block's output
    bool fallback = false;       // the cheapest block, used when sampled ones exceeded the budget
    std::vector<LayerParams> layers; // in branch order
};

struct NetworkParams {
    int64_t inputPlane = 0, outputPlane = 0;   // Table IV input/output planes
    int64_t inputChannels = 0, outputChannels = 0; // network input; the last block's output
    std::string activation;                    // one of spec.activations, one kind per network
    std::vector<BlockParams> blocks;
    bool classifier = false, flattenClassifier = false;
    int64_t classes = 0;
    int attempts = 1;                          // whole-network samplings it took (budget)

    // Realistic style only (family empty for Table IV networks).
    std::string family;                        // one of realisticFamilies()
    std::string variant;                       // e.g. "resnext", "v3", "alexnet" (docs/generator.md)
    double widthScale = 1;                     // widths relative to the family's base widths
    int64_t targetMacs = 0;                    // the log-uniform MACs draw the widths were fitted to
    std::vector<int> stageDepths;              // blocks (or layers) per stage
    std::vector<int64_t> stageWidths;          // output channels (or embedding width) per stage
};

struct GeneratedNetwork {
    graph::Graph graph; // finalized, every value shaped; input "input", output "output"
    std::string name;   // "gen-<seed as 16 hex digits>"
    uint64_t seed = 0;
    NetworkParams params;
    int64_t macs = 0;   // equals graph::computeCosts(graph).macs
};

// One network from one seed. Validates the spec (sniper::Error naming the field); throws
// sniper::Error if no network within spec.maxMacs was found after a bounded number of tries.
GeneratedNetwork generateNetwork(const GeneratorSpec &spec, uint64_t seed);

// `count` networks; network i uses networkSeed(seed, i), so any one can be rebuilt alone.
std::vector<GeneratedNetwork> generateNetworks(const GeneratorSpec &spec, uint64_t seed, int count);
uint64_t networkSeed(uint64_t seed, int index);

std::string networkName(uint64_t seed);
nlohmann::json paramsToJson(const NetworkParams &p);

} // namespace sniper::generator
