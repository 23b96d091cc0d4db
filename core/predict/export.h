#pragma once

// Export of a trained network-level predictor (SPEC §7) to ONNX plus a JSON card.
//
// The ONNX graph takes the raw values of the predictor's features (card "features" order,
// shape [batch, F]) and returns the predicted latency in ms on every platform the predictor
// knows (shape [batch, K], card "platforms" order). It is PCN re-written with ops that our
// executor and OpenCV dnn both run (Gemm, Mul, Add, Reshape, Softmax, Relu, Sigmoid, Concat,
// Log, Exp): the token attention over affine tokens becomes Gemm/Mul products with constant
// matrices, and the platform branch, which does not depend on the network, is folded into
// constants per platform. See docs/predictors.md.

#include "graph/graph.h"

#include <string>
#include <vector>

namespace sniper::predict {

class NetworkPredictor;

// Throws sniper::Error for a predictor that cannot be exported (gradient-boosted trees; a
// feature with negative training values, which the log1p input transform does not cover).
graph::Graph predictorGraph(const NetworkPredictor &p, int64_t batch = 1);
// The names of the ONNX input's columns, in order (the raw feature values to feed).
std::vector<std::string> exportedInputs(const NetworkPredictor &p);

struct ExportedFiles {
    std::string onnx, card;
};
// Writes OUT.onnx and OUT.json (the card plus the ONNX input/output description).
ExportedFiles exportPredictor(const NetworkPredictor &p, const std::string &outWithoutExtension, int64_t batch = 1);

} // namespace sniper::predict
