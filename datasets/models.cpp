#include "models.h"

#include "jsonutil.h"
#include "sha256.h"

#include "onnx/onnximport.h"

#include <filesystem>
#include <fstream>
#include <iterator>

namespace sniper::db {

namespace {

constexpr const char *kModelColumns =
    "SELECT id, content_hash, name, source, coalesce(length(onnx), 0), coalesce(onnx_path, ''), input_shape, "
    "created_ms FROM models ";

ModelRecord readModel(Statement &st, const std::string &dbPath)
{
    ModelRecord m;
    m.id = st.int64(0);
    m.contentHash = st.text(1);
    m.name = st.text(2);
    m.source = st.text(3);
    m.onnxBytes = st.int64(4);
    m.onnxPath = st.text(5);
    m.inputShape = detail::shapeFromJson(st.text(6), dbPath + ": models row " + std::to_string(m.id));
    m.createdMs = st.int64(7);
    return m;
}

std::vector<ModelRecord> queryModels(const Database &db, const std::string &sql, auto &&bindFn)
{
    auto st = db.statement(sql);
    bindFn(*st);
    std::vector<ModelRecord> out;
    while (st->step())
        out.push_back(readModel(*st, db.path()));
    return out;
}

} // namespace

std::string sourceHash(std::string_view source) { return sha256Hex(source); }

UpsertResult ModelRepository::upsert(const ModelRecord &model)
{
    if (model.name.empty())
        throw Error("a model needs a name", m_db.path());
    std::string hash = model.contentHash;
    if (hash.empty()) {
        if (model.onnx.empty())
            throw Error("model '" + model.name + "' has neither a content hash nor ONNX bytes", m_db.path());
        hash = sha256Hex(model.onnx.data(), model.onnx.size());
    }
    const std::string shape = detail::shapeJson(model.inputShape);
    const int64_t created = model.createdMs ? model.createdMs : nowMs();
    {
        auto st = m_db.statement("INSERT INTO models (content_hash, name, source, onnx, onnx_path, input_shape, created_ms) "
                                 "VALUES (?1, ?2, ?3, ?4, nullif(?5, ''), ?6, ?7) ON CONFLICT (content_hash) DO NOTHING");
        st->bind(1, hash).bind(2, model.name).bind(3, model.source).bindBlob(4, model.onnx.data(), model.onnx.size());
        st->bind(5, model.onnxPath).bind(6, shape).bind(7, created).run();
    }
    if (m_db.changes() == 1)
        return {m_db.lastInsertId(), true};

    // Already known: keep identity, fill what the first import lacked (e.g. a NAS-Bench-201 cell
    // imported before the graph builder existed gets its ONNX later).
    auto st = m_db.statement(
        "UPDATE models SET onnx = coalesce(onnx, ?2), onnx_path = coalesce(onnx_path, nullif(?3, '')), "
        "input_shape = CASE WHEN input_shape = '[]' THEN ?4 ELSE input_shape END WHERE content_hash = ?1 RETURNING id");
    st->bind(1, hash).bindBlob(2, model.onnx.data(), model.onnx.size()).bind(3, model.onnxPath).bind(4, shape);
    if (!st->step())
        throw Error("model with content hash " + hash + " vanished during upsert", m_db.path());
    return {st->int64(0), false};
}

UpsertResult ModelRepository::addOnnxFile(const std::string &path, bool storeBlob, const std::string &name)
{
    std::ifstream in(path, std::ios::binary);
    if (!in)
        throw Error("cannot read the ONNX file", path);
    Blob bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    onnx::ImportOptions options;
    options.loadWeights = false; // only the input shape is needed; validates the file as ONNX
    const graph::Graph g = onnx::importOnnxBuffer(bytes.data(), bytes.size(), options, path,
                                                  std::filesystem::path(path).parent_path().string());
    ModelRecord m;
    m.contentHash = sha256Hex(bytes.data(), bytes.size());
    m.name = name.empty() ? std::filesystem::path(path).stem().string() : name;
    const std::string absolute = std::filesystem::absolute(path).lexically_normal().string();
    m.source = "file:" + absolute;
    m.onnxPath = absolute;
    if (!g.inputs.empty())
        m.inputShape = g.values[g.inputs.front()].shape;
    if (storeBlob)
        m.onnx = std::move(bytes);
    return upsert(m);
}

std::optional<ModelRecord> ModelRepository::find(int64_t id) const
{
    auto rows = queryModels(m_db, std::string(kModelColumns) + "WHERE id = ?1", [&](Statement &s) { s.bind(1, id); });
    return rows.empty() ? std::nullopt : std::optional(std::move(rows.front()));
}

std::optional<ModelRecord> ModelRepository::findByHash(std::string_view contentHash) const
{
    auto rows = queryModels(m_db, std::string(kModelColumns) + "WHERE content_hash = ?1",
                            [&](Statement &s) { s.bind(1, contentHash); });
    return rows.empty() ? std::nullopt : std::optional(std::move(rows.front()));
}

std::vector<ModelRecord> ModelRepository::findByName(std::string_view name) const
{
    return queryModels(m_db, std::string(kModelColumns) + "WHERE name = ?1 ORDER BY id",
                       [&](Statement &s) { s.bind(1, name); });
}

std::vector<ModelRecord> ModelRepository::list(std::string_view sourcePrefix) const
{
    // substr() instead of LIKE: '_' in a prefix such as "nasbench201:" would be a wildcard.
    return queryModels(m_db,
                       std::string(kModelColumns) + "WHERE substr(source, 1, length(?1)) = ?1 ORDER BY id",
                       [&](Statement &s) { s.bind(1, sourcePrefix); });
}

Blob ModelRepository::onnx(int64_t id) const
{
    auto st = m_db.statement("SELECT onnx FROM models WHERE id = ?1");
    st->bind(1, id);
    return st->step() ? st->blob(0) : Blob();
}

int64_t ModelRepository::count() const
{
    auto st = m_db.statement("SELECT count(*) FROM models");
    return st->step() ? st->int64(0) : 0;
}

bool ModelRepository::remove(int64_t id)
{
    auto st = m_db.statement("DELETE FROM models WHERE id = ?1");
    st->bind(1, id).run();
    return m_db.changes() > 0;
}

std::string featuresToJson(const features::Features &f)
{
    const auto &table = features::featureTable();
    nlohmann::json j = nlohmann::json::object();
    for (size_t i = 0; i < table.size() && i < f.values.size(); ++i)
        j[table[i].name] = detail::numberOrNull(f.values[i]);
    return j.dump();
}

features::Features featuresFromJson(const std::string &vectorJson, int structureClass,
                                    const std::string &requiredOpsJson, const std::string &where)
{
    const auto &table = features::featureTable();
    features::Features f;
    f.values.assign(table.size(), std::numeric_limits<double>::quiet_NaN());
    const auto j = detail::parseJsonColumn(vectorJson, where);
    if (j.is_object())
        for (size_t i = 0; i < table.size(); ++i)
            if (auto it = j.find(table[i].name); it != j.end())
                f.values[i] = detail::numberOrNaN(*it);
    f.structureClass = structureClass;
    const auto ops = detail::parseJsonColumn(requiredOpsJson, where);
    if (ops.is_array())
        for (const auto &op : ops)
            if (op.is_string())
                f.requiredOperators.push_back(op.get<std::string>());
    return f;
}

void FeatureRepository::put(int64_t modelId, std::string_view extractorVersion, const features::Features &f)
{
    auto st = m_db.statement("INSERT OR REPLACE INTO features (model_id, extractor_version, vector, structure_class, "
                             "required_ops, computed_ms) VALUES (?1, ?2, ?3, ?4, ?5, ?6)");
    st->bind(1, modelId).bind(2, extractorVersion).bind(3, featuresToJson(f)).bind(4, f.structureClass);
    st->bind(5, nlohmann::json(f.requiredOperators).dump()).bind(6, nowMs());
    try {
        st->run();
    } catch (const SqliteError &e) {
        if (e.isConstraint())
            throw Error("cannot store features: no model with id " + std::to_string(modelId), m_db.path());
        throw;
    }
}

std::optional<features::Features> FeatureRepository::get(int64_t modelId, std::string_view extractorVersion) const
{
    auto st = m_db.statement("SELECT vector, structure_class, required_ops FROM features "
                             "WHERE model_id = ?1 AND extractor_version = ?2");
    st->bind(1, modelId).bind(2, extractorVersion);
    if (!st->step())
        return std::nullopt;
    return featuresFromJson(st->text(0), st->integer(1), st->text(2),
                            m_db.path() + ": features of model " + std::to_string(modelId));
}

std::vector<FeatureRecord> FeatureRepository::list(std::string_view extractorVersion) const
{
    auto st = m_db.statement("SELECT f.model_id, m.name, f.extractor_version, f.vector, f.structure_class, "
                             "f.required_ops, f.computed_ms FROM features f JOIN models m ON m.id = f.model_id "
                             "WHERE ?1 = '' OR f.extractor_version = ?1 ORDER BY f.model_id, f.extractor_version");
    st->bind(1, extractorVersion);
    std::vector<FeatureRecord> out;
    while (st->step()) {
        FeatureRecord r;
        r.modelId = st->int64(0);
        r.modelName = st->text(1);
        r.extractorVersion = st->text(2);
        r.features = featuresFromJson(st->text(3), st->integer(4), st->text(5),
                                      m_db.path() + ": features of model " + std::to_string(r.modelId));
        r.computedMs = st->int64(6);
        out.push_back(std::move(r));
    }
    return out;
}

std::vector<int64_t> FeatureRepository::modelsWithout(std::string_view extractorVersion) const
{
    auto st = m_db.statement("SELECT id FROM models m WHERE NOT EXISTS (SELECT 1 FROM features f "
                             "WHERE f.model_id = m.id AND f.extractor_version = ?1) ORDER BY id");
    st->bind(1, extractorVersion);
    std::vector<int64_t> out;
    while (st->step())
        out.push_back(st->int64(0));
    return out;
}

int64_t FeatureRepository::count(std::string_view extractorVersion) const
{
    auto st = m_db.statement("SELECT count(*) FROM features WHERE ?1 = '' OR extractor_version = ?1");
    st->bind(1, extractorVersion);
    return st->step() ? st->int64(0) : 0;
}

int64_t fillMissingFeatures(Database &db, std::string_view extractorVersion, const FeatureFunction &compute,
                            const std::function<bool()> &cancelled)
{
    ModelRepository models(db);
    FeatureRepository features(db);
    int64_t stored = 0;
    Transaction tx(db);
    for (int64_t id : features.modelsWithout(extractorVersion)) {
        if (cancelled && cancelled())
            break;
        auto model = models.find(id);
        if (!model)
            continue;
        if (model->onnxBytes > 0)
            model->onnx = models.onnx(id);
        if (auto f = compute(*model)) {
            features.put(id, extractorVersion, *f);
            ++stored;
        }
    }
    tx.commit();
    return stored;
}

} // namespace sniper::db
