#pragma once

// Dataset builders: put networks into a project as model rows plus a named dataset — the
// generator's random networks (Ace-Sniper §IV-C) or a folder of ONNX files such as the bundled
// torchvision zoo. Both GUI and CLI call these.

#include "database.h"
#include "models.h"
#include "generator/generatorspec.h"

#include <atomic>
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

namespace sniper::db {

struct BuildResult {
    int64_t datasetId = 0;
    std::vector<int64_t> modelIds;  // in generation / file order
    int64_t created = 0;            // new model rows (the rest were already in the project)
    std::vector<std::string> errors; // files that could not be imported, with the reason
    bool cancelled = false;
};

using BuildProgress = std::function<void(int64_t done, int64_t total)>;

// Generates `count` networks from `seed` with the spec, stores each as a structure-only ONNX
// blob (source "generator:<seed hex>"), its NNS features, and a dataset `name` whose spec JSON
// holds the generator spec, the seed and the count. An existing dataset of that name is extended.
BuildResult addGeneratedNetworks(Database &db, const generator::GeneratorSpec &spec, uint64_t seed, int count,
                                 const std::string &name, const BuildProgress &progress = {},
                                 const std::atomic<bool> *cancel = nullptr);

// Imports one ONNX file, or every *.onnx file of a folder (sorted by name; structure-only files
// are fine), with its
// features, into dataset `name`. Files that fail are reported in `errors`, the rest imported.
BuildResult addOnnxFolder(Database &db, const std::string &folder, const std::string &name, const std::string &kind,
                          const BuildProgress &progress = {}, const std::atomic<bool> *cancel = nullptr);

// The extractor version stored with features computed by this build.
const char *featureExtractorVersion();

// Features of a stored model from its ONNX blob (or its NAS-Bench-201 cell); nullopt when the
// model has neither. A blob that no longer imports is skipped (nullopt), not fatal.
FeatureFunction storedModelFeatureFunction();
// Computes the features of this build's extractor version for every model that lacks them (e.g.
// a project made by an older version); returns how many were computed.
int64_t ensureCurrentFeatures(Database &db, const std::function<bool()> &cancelled = {});

} // namespace sniper::db
