#pragma once

// The parameterized model of the random network generator (Ace-Sniper §IV-C, Table IV) plus
// the extensions of SPEC §4 (atrous and depthwise conv, a MACs budget). Every field can be edited
// (GUI form, CLI flags, JSON) and the JSON is stored with each generated dataset.
// docs/generator.md explains each field and the choices where the paper is vague.

#include <nlohmann/json_fwd.hpp>

#include <cstdint>
#include <string>
#include <vector>

namespace sniper::generator {

// Bumped whenever the same (spec, seed) would produce a different network, or the spec gains a
// meaning an older build cannot read; stored in the spec JSON. 2 added the realistic style
// (Table IV networks are unchanged from version 1).
inline constexpr int kGeneratorVersion = 2;

// The block families of the realistic style, one per network (docs/generator.md).
const std::vector<std::string> &realisticFamilies(); // plain basic bottleneck mbconv dense inception fire shuffle convnext vit

struct GeneratorSpec {
    // "table4": Ace-Sniper's parameterized random networks (the fields below up to the budget).
    // "realistic": networks built like torchvision's (stem, stages that downsample with growing
    // widths, a head) from the block families in `families`, with MACs log-uniform in
    // [min_macs, max_macs]; it reads input_planes, input_channels, classes, max_channels,
    // min_macs, max_macs and batch, and ignores the Table IV fields. See realisticSpec().
    std::string style = "table4";
    std::vector<std::string> families = realisticFamilies();
    int64_t minMacs = 0;                                       // realistic: smallest MACs (incl. batch)

    // --- Ace-Sniper Table IV ---
    std::vector<int64_t> inputPlanes{14, 28, 56, 112, 224};    // H = W of the network input
    std::vector<int64_t> outputPlanes{14, 28, 56, 112, 224};   // H = W after the last block (Table IV's values);
                                                               // reached from the input plane by halving
    std::vector<int64_t> inputChannels{3, 32, 64, 128, 256, 512}; // channels of the network input
    std::vector<int64_t> outputChannels{32, 64, 128, 256, 512};   // output channels of every conv layer
    std::vector<std::string> layerTypes{"conv", "pool", "norm", "full"}; // "network type"; full = classifier
    std::vector<int64_t> kernels{1, 3, 5, 7};                  // conv and pool kernels (odd: "same" padding)
    std::vector<int64_t> strides{1, 2};                        // 2 = a reduction block; must contain 1
    std::vector<int> branches{1, 2, 3};                        // branches of an add/concat block
    std::vector<std::string> connections{"none", "add", "concat"}; // how a block merges its branches

    // --- SPEC §4 extensions ---
    std::vector<int64_t> dilations{1, 2};                      // atrous conv (kernels > 1 only)
    double depthwiseProbability = 0.2;                         // a conv (kernel > 1) is depthwise-separable

    // --- structure ---
    int minBlocks = 2, maxBlocks = 12;                         // blocks per network
    int minBranchLayers = 1, maxBranchLayers = 3;              // conv/pool/norm layers per branch
    std::vector<std::string> activations{"relu"};              // relu relu6 leakyrelu sigmoid tanh elu hardsigmoid
    double activationProbability = 0.8;                        // an activation follows a conv/norm layer
    std::vector<std::string> poolTypes{"max", "avg"};
    int64_t maxChannels = 2048;                                // a concat wider than this becomes an add

    // --- classifier ("full") ---
    double fullProbability = 0.8;                              // network ends with a classifier (if "full")
    double flattenProbability = 0.2;                           // classifier on the flattened map (VGG) not GAP
    int64_t maxFlattenFeatures = 32768;                        // largest C*H*W a flatten classifier takes
    std::vector<int64_t> classes{1000};                        // output features of the classifier

    // --- budget and input ---
    int64_t maxMacs = 0;                                       // MACs budget (incl. batch), 0 = none
    int64_t batch = 1;
};

// The realistic style's defaults, chosen to cover the 21 torchvision models of the zoo:
// inputs 160-320, 0.04-30 G MACs, widths to 2,048. The default for predictor training sets.
GeneratorSpec realisticSpec();

nlohmann::json specToJson(const GeneratorSpec &spec);
// Missing fields keep their defaults; unknown fields, wrong types and bad values throw
// sniper::Error naming the field and why.
GeneratorSpec specFromJson(const nlohmann::json &j);
// The checks of specFromJson, for GUI forms and CLI flags. Throws sniper::Error(why, field).
void validateSpec(const GeneratorSpec &spec);

// Number of halvings (ceil(h/2) per stride-2 block) from `in` to `out`, or -1 if `out` is not reached.
int halvings(int64_t in, int64_t out);

} // namespace sniper::generator
