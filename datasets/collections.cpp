#include "collections.h"

#include "jsonutil.h"

#include <sqlite3.h>

namespace sniper::db {

namespace {

DatasetRecord readDataset(Statement &st, const std::string &dbPath)
{
    return {st.int64(0), st.text(1), st.text(2),
            detail::parseJsonColumn(st.text(3), dbPath + ": dataset " + st.text(1)), st.int64(4)};
}

constexpr const char *kDatasetColumns = "SELECT id, name, kind, spec, created_ms FROM datasets ";

} // namespace

int64_t DatasetRepository::create(const DatasetRecord &dataset)
{
    if (dataset.name.empty())
        throw Error("a dataset needs a name", m_db.path());
    auto st = m_db.statement("INSERT INTO datasets (name, kind, spec, created_ms) VALUES (?1, ?2, ?3, ?4)");
    st->bind(1, dataset.name).bind(2, dataset.kind).bind(3, detail::dumpJson(dataset.spec));
    st->bind(4, dataset.createdMs ? dataset.createdMs : nowMs());
    try {
        st->run();
    } catch (const SqliteError &e) {
        if (e.code() == SQLITE_CONSTRAINT_UNIQUE)
            throw Error("a dataset named '" + dataset.name + "' already exists", m_db.path());
        throw;
    }
    return m_db.lastInsertId();
}

std::optional<DatasetRecord> DatasetRepository::find(int64_t id) const
{
    auto st = m_db.statement(std::string(kDatasetColumns) + "WHERE id = ?1");
    st->bind(1, id);
    return st->step() ? std::optional(readDataset(*st, m_db.path())) : std::nullopt;
}

std::optional<DatasetRecord> DatasetRepository::findByName(std::string_view name) const
{
    auto st = m_db.statement(std::string(kDatasetColumns) + "WHERE name = ?1");
    st->bind(1, name);
    return st->step() ? std::optional(readDataset(*st, m_db.path())) : std::nullopt;
}

std::vector<DatasetRecord> DatasetRepository::list() const
{
    auto st = m_db.statement(std::string(kDatasetColumns) + "ORDER BY name");
    std::vector<DatasetRecord> out;
    while (st->step())
        out.push_back(readDataset(*st, m_db.path()));
    return out;
}

void DatasetRepository::updateSpec(int64_t id, const nlohmann::json &spec)
{
    auto st = m_db.statement("UPDATE datasets SET spec = ?2 WHERE id = ?1");
    st->bind(1, id).bind(2, detail::dumpJson(spec)).run();
}

bool DatasetRepository::remove(int64_t id)
{
    auto st = m_db.statement("DELETE FROM datasets WHERE id = ?1");
    st->bind(1, id).run();
    return m_db.changes() > 0;
}

void DatasetRepository::setMembers(int64_t datasetId, const std::vector<DatasetMember> &members)
{
    Transaction tx(m_db);
    int64_t position = 0;
    {
        auto last = m_db.statement("SELECT coalesce(max(position) + 1, 0) FROM dataset_members WHERE dataset_id = ?1");
        last->bind(1, datasetId);
        if (last->step())
            position = last->int64(0);
    }
    auto st = m_db.statement("INSERT INTO dataset_members (dataset_id, model_id, split, position) VALUES (?1, ?2, ?3, ?4) "
                             "ON CONFLICT (dataset_id, model_id) DO UPDATE SET split = excluded.split");
    for (const auto &m : members) {
        st->bind(1, datasetId).bind(2, m.modelId).bind(3, m.split).bind(4, position++);
        try {
            st->run();
        } catch (const SqliteError &e) {
            if (e.code() == SQLITE_CONSTRAINT_FOREIGNKEY)
                throw Error("cannot add model " + std::to_string(m.modelId) + " to dataset " + std::to_string(datasetId)
                                + ": unknown model or dataset; nothing was added",
                            m_db.path());
            throw;
        }
        st->reset();
    }
    tx.commit();
}

std::vector<DatasetMember> DatasetRepository::members(int64_t datasetId, std::optional<std::string_view> split) const
{
    auto st = m_db.statement("SELECT model_id, split FROM dataset_members WHERE dataset_id = ?1 "
                             "AND (?2 IS NULL OR split = ?2) ORDER BY position");
    st->bind(1, datasetId).bind(2, split);
    std::vector<DatasetMember> out;
    while (st->step())
        out.push_back({st->int64(0), st->text(1)});
    return out;
}

int64_t DatasetRepository::memberCount(int64_t datasetId) const
{
    auto st = m_db.statement("SELECT count(*) FROM dataset_members WHERE dataset_id = ?1");
    st->bind(1, datasetId);
    return st->step() ? st->int64(0) : 0;
}

int64_t PredictorRepository::insert(const PredictorRecord &p)
{
    if (p.kind.empty())
        throw Error("a predictor needs a kind", m_db.path());
    auto st = m_db.statement("INSERT INTO predictors (name, kind, hyperparameters, weights, metrics, dataset_id, "
                             "training, created_ms) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)");
    st->bind(1, p.name).bind(2, p.kind).bind(3, detail::dumpJson(p.hyperparameters));
    st->bindBlob(4, p.weights.data(), p.weights.size()).bind(5, detail::dumpJson(p.metrics)).bind(6, p.datasetId);
    st->bind(7, detail::dumpJson(p.training)).bind(8, p.createdMs ? p.createdMs : nowMs());
    try {
        st->run();
    } catch (const SqliteError &e) {
        if (e.code() == SQLITE_CONSTRAINT_FOREIGNKEY)
            throw Error("predictor '" + p.name + "' refers to an unknown dataset " + std::to_string(p.datasetId.value_or(0)),
                        m_db.path());
        throw;
    }
    return m_db.lastInsertId();
}

namespace {

constexpr const char *kPredictorColumns =
    "SELECT id, name, kind, hyperparameters, metrics, dataset_id, training, created_ms FROM predictors ";

PredictorRecord readPredictor(Statement &st, const std::string &dbPath)
{
    PredictorRecord p;
    p.id = st.int64(0);
    const std::string where = dbPath + ": predictor " + std::to_string(p.id);
    p.name = st.text(1);
    p.kind = st.text(2);
    p.hyperparameters = detail::parseJsonColumn(st.text(3), where);
    p.metrics = detail::parseJsonColumn(st.text(4), where);
    p.datasetId = st.optionalInt64(5);
    p.training = detail::parseJsonColumn(st.text(6), where);
    p.createdMs = st.int64(7);
    return p;
}

} // namespace

std::optional<PredictorRecord> PredictorRepository::find(int64_t id) const
{
    auto st = m_db.statement(std::string(kPredictorColumns) + "WHERE id = ?1");
    st->bind(1, id);
    if (!st->step())
        return std::nullopt;
    PredictorRecord p = readPredictor(*st, m_db.path());
    auto w = m_db.statement("SELECT weights FROM predictors WHERE id = ?1");
    w->bind(1, id);
    if (w->step())
        p.weights = w->blob(0);
    return p;
}

std::vector<PredictorRecord> PredictorRepository::list(std::string_view kind) const
{
    auto st = m_db.statement(std::string(kPredictorColumns) + "WHERE ?1 = '' OR kind = ?1 ORDER BY id");
    st->bind(1, kind);
    std::vector<PredictorRecord> out;
    while (st->step())
        out.push_back(readPredictor(*st, m_db.path()));
    return out;
}

void PredictorRepository::updateMetrics(int64_t id, const nlohmann::json &metrics)
{
    auto st = m_db.statement("UPDATE predictors SET metrics = ?2 WHERE id = ?1");
    st->bind(1, id).bind(2, detail::dumpJson(metrics)).run();
}

bool PredictorRepository::remove(int64_t id)
{
    auto st = m_db.statement("DELETE FROM predictors WHERE id = ?1");
    st->bind(1, id).run();
    return m_db.changes() > 0;
}

int64_t ExperimentRepository::insert(const ExperimentRecord &e)
{
    if (e.kind.empty())
        throw Error("an experiment needs a kind", m_db.path());
    auto st = m_db.statement("INSERT INTO experiments (name, kind, config, seed, results, results_blob, created_ms) "
                             "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)");
    st->bind(1, e.name).bind(2, e.kind).bind(3, detail::dumpJson(e.config)).bind(4, e.seed);
    st->bind(5, detail::dumpJson(e.results)).bindBlob(6, e.resultsBlob.data(), e.resultsBlob.size());
    st->bind(7, e.createdMs ? e.createdMs : nowMs()).run();
    return m_db.lastInsertId();
}

namespace {

ExperimentRecord readExperiment(Statement &st, const std::string &dbPath, bool withBlob)
{
    ExperimentRecord e;
    e.id = st.int64(0);
    const std::string where = dbPath + ": experiment " + std::to_string(e.id);
    e.name = st.text(1);
    e.kind = st.text(2);
    e.config = detail::parseJsonColumn(st.text(3), where);
    e.seed = st.int64(4);
    e.results = detail::parseJsonColumn(st.text(5), where);
    e.createdMs = st.int64(6);
    if (withBlob)
        e.resultsBlob = st.blob(7);
    return e;
}

} // namespace

std::optional<ExperimentRecord> ExperimentRepository::find(int64_t id) const
{
    auto st = m_db.statement("SELECT id, name, kind, config, seed, results, created_ms, results_blob FROM experiments "
                             "WHERE id = ?1");
    st->bind(1, id);
    return st->step() ? std::optional(readExperiment(*st, m_db.path(), true)) : std::nullopt;
}

std::vector<ExperimentRecord> ExperimentRepository::list(std::string_view kind) const
{
    auto st = m_db.statement("SELECT id, name, kind, config, seed, results, created_ms FROM experiments "
                             "WHERE ?1 = '' OR kind = ?1 ORDER BY id");
    st->bind(1, kind);
    std::vector<ExperimentRecord> out;
    while (st->step())
        out.push_back(readExperiment(*st, m_db.path(), false));
    return out;
}

void ExperimentRepository::updateResults(int64_t id, const nlohmann::json &results, const Blob &resultsBlob)
{
    auto st = m_db.statement("UPDATE experiments SET results = ?2, results_blob = ?3 WHERE id = ?1");
    st->bind(1, id).bind(2, detail::dumpJson(results)).bindBlob(3, resultsBlob.data(), resultsBlob.size()).run();
}

bool ExperimentRepository::remove(int64_t id)
{
    auto st = m_db.statement("DELETE FROM experiments WHERE id = ?1");
    st->bind(1, id).run();
    return m_db.changes() > 0;
}

} // namespace sniper::db
