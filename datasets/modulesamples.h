#pragma once

// Module-level datasets (SPEC §8) in the project database: named sample sets with their
// sampling spec (ranges, seed, protocol, dynamic mode), and the samples of each (module,
// platform) committed one by one as they are measured, so a cancelled or killed sampling run
// resumes where it stopped.

#include "database.h"
#include "predict/evaluation.h"
#include "predict/modules.h"
#include "predict/modulestudy.h"

#include <nlohmann/json.hpp>

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace sniper::db {

struct ModuleSetInfo {
    std::string name;
    nlohmann::json spec = nlohmann::json::object(); // ranges, seed, protocol, dynamic, background share
    std::map<std::string, std::map<std::string, int64_t>> counts; // platform -> module -> samples
};

class ModuleSampleRepository {
public:
    explicit ModuleSampleRepository(Database &db) : m_db(db) {}

    // Creates the set, or checks that an existing one was made with the same spec (a resumed
    // run must draw the same parameters). Throws sniper::Error naming the differing spec.
    void ensureSet(const std::string &name, const nlohmann::json &spec);
    std::optional<ModuleSetInfo> findSet(std::string_view name) const;
    std::vector<ModuleSetInfo> listSets() const;
    bool removeSet(std::string_view name); // with its samples

    // One sample in its own transaction; a sample index already stored is replaced.
    void add(const std::string &set, const std::string &platform, const predict::modules::ModuleSample &s);
    int64_t count(std::string_view set, predict::modules::ModuleKind module, std::string_view platform) const;
    int64_t nextIndex(std::string_view set, predict::modules::ModuleKind module, std::string_view platform) const;
    // Samples in index order, contended ones only when asked; throws sniper::Error for an unknown set.
    std::vector<predict::modules::ModuleSample> load(std::string_view set, predict::modules::ModuleKind module,
                                                     std::string_view platform, bool includeContended = false) const;
    // Every module of the set on the platform (modules without samples are absent).
    std::map<predict::modules::ModuleKind, std::vector<predict::modules::ModuleSample>>
    loadAll(std::string_view set, std::string_view platform) const;

private:
    Database &m_db;
};

// A finished study (every regressor x module on one platform) as an experiment record (kind
// "module-study": config = set, platform, options; results = the evaluation rows; blob = the
// trained regressors). Returns the experiment id.
int64_t saveModuleStudy(Database &db, const std::string &set, const predict::modules::ModuleStudy &study,
                        const nlohmann::json &options);
// The newest study of a set on a platform; throws sniper::Error naming what is missing.
predict::modules::ModuleStudy loadModuleStudy(Database &db, const std::string &set, const std::string &platform);

// A module-set predictor (one selected regressor per module) as a predictor record of kind
// "module-set"; `which` on load is an id or a name (the newest of that name).
int64_t saveModuleSet(Database &db, const predict::modules::ModuleSetPredictor &p, const std::string &name,
                      const nlohmann::json &metrics);
predict::modules::ModuleSetPredictor loadModuleSet(Database &db, const std::string &which);
// Builds the predictor of a selection from a study's trained regressors.
predict::modules::ModuleSetPredictor selectionPredictor(const predict::modules::ModuleStudy &study,
                                                        const std::map<predict::modules::ModuleKind,
                                                                       predict::modules::RegressorKind> &selection,
                                                        const predict::modules::SamplingRanges &ranges,
                                                        const std::string &scheme);

// The machine state of the idle samples (median M and U of the samples timed without background
// load): what whole-network module sums are predicted under.
struct IdleEnvironment {
    double memoryMb = 0, utilization = 0;
};
IdleEnvironment idleEnvironment(const std::map<predict::modules::ModuleKind, std::vector<predict::modules::ModuleSample>> &samples);

// Module-sum predictions of the measured members of `dataset` (real networks stored with their
// ONNX) on the predictor's platform, labelled `label`; models without ONNX or measurement are
// skipped. `networkPredictor`, when given, adds its predictions of the same networks.
struct ModuleSumRows {
    std::vector<predict::PredictionRow> rows;
    std::vector<std::string> notes; // per network: modules, out of range, MAC coverage
};
ModuleSumRows moduleSumRows(Database &db, const predict::modules::ModuleSetPredictor &p, const std::string &dataset,
                            const std::string &label, const IdleEnvironment &env);

// The module-sum predictor of a set as one more predictor of the network-level evaluation (sniper
// evaluate --module-set): for each platform with a trained study of the set, the time-efficient
// auto-selection (εa = εr = 0.05) predicts every measured member of the `real` datasets.
// Platforms without a study are skipped; none at all is an error naming the set.
std::vector<predict::PredictionRow> moduleSumEvaluation(Database &db, const std::string &set,
                                                        const std::vector<std::string> &platforms,
                                                        const std::vector<std::string> &real);

} // namespace sniper::db
