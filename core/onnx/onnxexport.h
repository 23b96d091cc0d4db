#pragma once

// Export of any IR graph to ONNX (SPEC §2): constants become initializers, shapes are
// written for inputs, outputs and every intermediate value.

#include "graph/graph.h"

#include <string>

namespace sniper::onnx {

struct ExportOptions {
    std::string producer = "sniper-workbench";
    // Constants without data (structure-only graphs) are written without data unless this is set,
    // in which case they are filled with zeros so the file passes onnx::checker.
    bool zeroFillMissingData = false;
};

// Serialized ModelProto.
std::string exportOnnx(const graph::Graph &g, const ExportOptions &options = {});
void exportOnnxFile(const graph::Graph &g, const std::string &path, const ExportOptions &options = {});

// Runs onnx::checker (full check with shape inference) on a file; throws sniper::Error with the
// checker's message.
void checkOnnxFile(const std::string &path);

} // namespace sniper::onnx
