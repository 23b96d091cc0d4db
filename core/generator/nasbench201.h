#pragma once

// NAS-Bench-201 networks (Dong & Yang, ICLR 2020) as IR graphs, for the third-party latency
// tables of SPEC §6 (datasets/nb201-help: HELP / HW-NAS-Bench). The CIFAR-10 skeleton:
// 32x32 input; stem conv 3x3 (16) + BN; three stages of five cells at 16, 32, 64 channels with
// a residual reduction block between stages; BN, ReLU, global average pool, linear (10).
// See docs/generator.md for how 'none' edges and zero nodes are represented.

#include "graph/graph.h"

#include <array>
#include <cstdint>
#include <string>

namespace sniper::generator {

enum class Nb201Op : uint8_t { None, SkipConnect, Conv1x1, Conv3x3, AvgPool3x3 };
const char *nb201OpName(Nb201Op op); // "none", "skip_connect", "nor_conv_1x1", "nor_conv_3x3", "avg_pool_3x3"

// A cell: node i (1..3) sums one edge from each earlier node j < i: edges[i - 1][j].
struct NasBench201Cell {
    std::array<std::array<Nb201Op, 3>, 3> edges{};
    Nb201Op edge(int node, int source) const { return edges[size_t(node - 1)][size_t(source)]; }
};

// Parses "|nor_conv_3x3~0|+|nor_conv_3x3~0|avg_pool_3x3~1|+|skip_connect~0|nor_conv_3x3~1|skip_connect~2|"
// strictly: three nodes separated by '+', node i lists i edges "op~j" for j = 0..i-1 in order.
// Throws sniper::Error saying what is wrong, at which node/edge and character.
NasBench201Cell parseNasBench201Cell(const std::string &text);
std::string nasBench201CellString(const NasBench201Cell &cell); // the canonical string
bool isNasBench201Cell(const std::string &text);                // parses without throwing

// The CIFAR-10 network of a cell, finalized with shapes; name "nb201-<cell string>".
graph::Graph nasBench201Network(const NasBench201Cell &cell, int64_t batch = 1);
graph::Graph nasBench201Network(const std::string &cell, int64_t batch = 1);

} // namespace sniper::generator
