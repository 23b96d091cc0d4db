#pragma once

// Third-party latency tables (SPEC §6): rows of (model, device, latency) from papers and
// benchmarks, in long form or in the wide NAS-Bench-201 form (index, arch, <device>...).

#include "importexport.h"
#include "models.h"

#include <optional>
#include <string>
#include <string_view>

namespace sniper::db {

struct LatencyTableOptions {
    OnConflict onConflict = OnConflict::Skip;
    // Prepended to device names to make platform ids. Unset: "" for long tables, "nb201:" for wide ones.
    std::optional<std::string> platformPrefix;
    bool storeOnnxBlobs = true; // for models named by an ONNX path
    // Called for every model the import creates (inside its transaction), e.g. to build a
    // NAS-Bench-201 graph and extract features; results are stored under extractorVersion.
    FeatureFunction computeFeatures;
    std::string extractorVersion;
};

// Long form: a header with a model column (model, model_id, onnx, arch, cell, network), a device
// column (device, platform), a latency column (latency_ms, latency) and optionally batch.
// A model is, in this order: a NAS-Bench-201 cell string, the name or content hash of a model in
// the project, or a readable ONNX file (relative paths from the table's folder).
// Wide form: columns index, arch, then one column per device holding milliseconds; the device's
// batch comes from a _1/_32/_256 suffix (batch 1 otherwise); an empty cell is "not measured".
// Unknown models and bad numbers are reported per row with line numbers; the rest is imported in
// one transaction, recorded as a run of kind "import" (so rows read back with origin
// "import:<file name>"). Median = the table's value; other statistics and the protocol (except
// batch) are unknown.
ImportReport importLatencyTable(Database &db, const std::string &path, const LatencyTableOptions &options = {});
ImportReport importLatencyTableText(Database &db, std::string_view text, const std::string &label,
                                    const LatencyTableOptions &options = {}, const std::string &baseDir = {});

// "" for a valid NAS-Bench-201 cell ("|op~0|+|op~0|op~1|+|op~0|op~1|op~2|"), else what is wrong
// (generator::parseNasBench201Cell's message).
std::string nasBench201CellProblem(std::string_view cell);

// A LatencyTableOptions::computeFeatures for "nasbench201:<cell>" models: builds the CIFAR-10
// network with generator::nasBench201Network and extracts its NNS features (about 0.7 ms each:
// all 15,625 cells add some ten seconds to the import).
FeatureFunction nasBench201FeatureFunction(const features::FeatureOptions &options = {});

// Platform description of a NAS-Bench-201 table column such as "titan_rtx_32" (batch 32).
struct Nb201Device {
    std::string hardware;
    std::string kind; // "gpu", "cpu", "phone", "fpga", "asic", "unknown"
    int batch = 1;
};
Nb201Device nb201Device(std::string_view column);

} // namespace sniper::db
