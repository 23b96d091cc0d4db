#include "builders.h"
#include "latencytable.h"

#include "collections.h"
#include "common/error.h"
#include "features/inspect.h"
#include "generator/generator.h"
#include "models.h"
#include "onnx/onnxexport.h"
#include "onnx/onnximport.h"
#include "sha256.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <filesystem>
#include <sstream>

namespace sniper::db {

namespace fs = std::filesystem;

namespace {

int64_t ensureDataset(DatasetRepository &datasets, const std::string &name, const std::string &kind,
                      const nlohmann::json &spec)
{
    if (auto existing = datasets.findByName(name)) {
        nlohmann::json merged = existing->spec;
        for (auto it = spec.begin(); it != spec.end(); ++it)
            merged[it.key()] = it.value();
        datasets.updateSpec(existing->id, merged);
        return existing->id;
    }
    DatasetRecord d;
    d.name = name;
    d.kind = kind;
    d.spec = spec;
    return datasets.create(d);
}

void addMembers(DatasetRepository &datasets, int64_t datasetId, const std::vector<int64_t> &ids)
{
    std::vector<DatasetMember> members = datasets.members(datasetId);
    for (int64_t id : ids)
        if (std::none_of(members.begin(), members.end(), [&](const DatasetMember &m) { return m.modelId == id; }))
            members.push_back({id, ""});
    datasets.setMembers(datasetId, members);
}

// Stores one graph as a model with its features; returns the id and whether it is new.
UpsertResult storeGraph(ModelRepository &models, FeatureRepository &features, const graph::Graph &g,
                        const std::string &name, const std::string &source, const std::string &path)
{
    std::string bytes = onnx::exportOnnx(g);
    ModelRecord record;
    record.contentHash = sha256Hex(bytes);
    record.name = name;
    record.source = source;
    record.onnx.assign(bytes.begin(), bytes.end());
    record.onnxPath = path;
    if (!g.inputs.empty())
        record.inputShape = g.values[g.inputs[0]].shape;
    UpsertResult r = models.upsert(record);
    if (!features.get(r.id, featureExtractorVersion())) {
        features::ModelReport report = features::analyzeGraph(g, name);
        features.put(r.id, featureExtractorVersion(), report.features);
    }
    return r;
}

} // namespace

const char *featureExtractorVersion()
{
    return "nns-2"; // nns-2: the cost-breakdown features (docs/features.md)
}

FeatureFunction storedModelFeatureFunction()
{
    const FeatureFunction nb201 = nasBench201FeatureFunction();
    return [nb201](const ModelRecord &model) -> std::optional<features::Features> {
        if (auto f = nb201(model))
            return f;
        if (model.onnx.empty())
            return std::nullopt;
        try {
            onnx::ImportOptions options;
            options.loadWeights = false;
            graph::Graph g = onnx::importOnnxBuffer(model.onnx.data(), model.onnx.size(), options, model.name);
            return features::analyzeGraph(std::move(g), model.name).features;
        } catch (const Error &) {
            return std::nullopt;
        }
    };
}

int64_t ensureCurrentFeatures(Database &db, const std::function<bool()> &cancelled)
{
    if (FeatureRepository(db).modelsWithout(featureExtractorVersion()).empty())
        return 0;
    return fillMissingFeatures(db, featureExtractorVersion(), storedModelFeatureFunction(),
        cancelled);
}

BuildResult addGeneratedNetworks(Database &db, const generator::GeneratorSpec &spec, uint64_t seed, int count,
                                 const std::string &name, const BuildProgress &progress, const std::atomic<bool> *cancel)
{
    if (count <= 0)
        throw Error("the number of networks must be positive, got " + std::to_string(count));
    if (name.empty())
        throw Error("the dataset needs a name");
    generator::validateSpec(spec);
    ModelRepository models(db);
    FeatureRepository features(db);
    DatasetRepository datasets(db);
    BuildResult result;
    Transaction tx(db);
    result.datasetId = ensureDataset(datasets, name, "generated",
                                     {{"generator", generator::specToJson(spec)}, {"seed", seed}, {"count", count}});
    for (int i = 0; i < count; ++i) {
        if (cancel && cancel->load()) {
            result.cancelled = true;
            break;
        }
        generator::GeneratedNetwork net = generator::generateNetwork(spec, generator::networkSeed(seed, i));
        std::ostringstream source;
        source << "generator:" << std::hex << net.seed;
        UpsertResult r = storeGraph(models, features, net.graph, net.name, source.str(), "");
        result.modelIds.push_back(r.id);
        result.created += r.created;
        if (progress)
            progress(i + 1, count);
    }
    addMembers(datasets, result.datasetId, result.modelIds);
    tx.commit();
    return result;
}

BuildResult addOnnxFolder(Database &db, const std::string &folder, const std::string &name, const std::string &kind,
                          const BuildProgress &progress, const std::atomic<bool> *cancel)
{
    std::error_code ec;
    std::vector<fs::path> files;
    if (fs::is_regular_file(folder, ec))
        files.push_back(folder);
    else if (fs::is_directory(folder, ec)) {
        for (const auto &entry : fs::directory_iterator(folder, ec))
            if (entry.is_regular_file() && entry.path().extension() == ".onnx")
                files.push_back(entry.path());
    } else
        throw Error("no such file or folder", folder);
    std::sort(files.begin(), files.end());
    ModelRepository models(db);
    FeatureRepository features(db);
    DatasetRepository datasets(db);
    BuildResult result;
    Transaction tx(db);
    result.datasetId = ensureDataset(datasets, name, kind, {{"folder", folder}});
    for (size_t i = 0; i < files.size(); ++i) {
        if (cancel && cancel->load()) {
            result.cancelled = true;
            break;
        }
        try {
            graph::Graph g = onnx::importOnnxFile(files[i].string());
            UpsertResult r = storeGraph(models, features, g, files[i].stem().string(), "file:" + files[i].string(),
                                        files[i].string());
            result.modelIds.push_back(r.id);
            result.created += r.created;
        } catch (const Error &e) {
            result.errors.push_back(e.what());
        }
        if (progress)
            progress(int64_t(i + 1), int64_t(files.size()));
    }
    addMembers(datasets, result.datasetId, result.modelIds);
    tx.commit();
    return result;
}

} // namespace sniper::db
