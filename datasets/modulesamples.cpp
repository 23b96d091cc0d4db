#include "modulesamples.h"

#include "common/error.h"
#include "collections.h"
#include "jsonutil.h"
#include "models.h"
#include "onnx/onnximport.h"
#include "predictdata.h"

#include <algorithm>
#include <sstream>

namespace sniper::db {

using predict::modules::ModuleKind;
using predict::modules::ModuleSample;

void ModuleSampleRepository::ensureSet(const std::string &name, const nlohmann::json &spec)
{
    if (name.empty())
        throw Error("a module set needs a name", m_db.path());
    if (auto existing = findSet(name)) {
        if (existing->spec != spec)
            throw Error("module set '" + name + "' was sampled with another spec (" + existing->spec.dump() +
                            "); use a new set name or the same options",
                        m_db.path());
        return;
    }
    auto st = m_db.statement("INSERT INTO module_sets (set_name, spec, created_ms) VALUES (?1, ?2, ?3)");
    st->bind(1, name).bind(2, spec.dump()).bind(3, nowMs()).run();
}

std::optional<ModuleSetInfo> ModuleSampleRepository::findSet(std::string_view name) const
{
    auto st = m_db.statement("SELECT spec FROM module_sets WHERE set_name = ?1");
    st->bind(1, name);
    if (!st->step())
        return std::nullopt;
    ModuleSetInfo info;
    info.name = std::string(name);
    info.spec = detail::parseJsonColumn(st->text(0), m_db.path() + ": module set " + info.name);
    auto counts = m_db.statement(
        "SELECT platform_id, module, COUNT(*) FROM module_samples WHERE set_name = ?1 GROUP BY platform_id, module");
    counts->bind(1, name);
    while (counts->step())
        info.counts[counts->text(0)][counts->text(1)] = counts->int64(2);
    return info;
}

std::vector<ModuleSetInfo> ModuleSampleRepository::listSets() const
{
    std::vector<std::string> names;
    {
        auto st = m_db.statement("SELECT set_name FROM module_sets ORDER BY set_name");
        while (st->step())
            names.push_back(st->text(0));
    }
    std::vector<ModuleSetInfo> out;
    for (const auto &n : names)
        out.push_back(*findSet(n));
    return out;
}

bool ModuleSampleRepository::removeSet(std::string_view name)
{
    Transaction tx(m_db);
    auto samples = m_db.statement("DELETE FROM module_samples WHERE set_name = ?1");
    samples->bind(1, name).run();
    auto st = m_db.statement("DELETE FROM module_sets WHERE set_name = ?1");
    st->bind(1, name).run();
    const bool removed = m_db.changes() > 0;
    tx.commit();
    return removed;
}

void ModuleSampleRepository::add(const std::string &set, const std::string &platform, const ModuleSample &s)
{
    auto st = m_db.statement(
        "INSERT OR REPLACE INTO module_samples (set_name, module, platform_id, idx, n, l, ci, co, k, s, memory_mb, "
        "utilization, background, median_ms, measured_ms, probe_ratio, contended) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, "
        "?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17)");
    st->bind(1, set).bind(2, predict::modules::moduleName(s.kind)).bind(3, platform).bind(4, s.index);
    st->bind(5, s.params.n).bind(6, s.params.l).bind(7, s.params.ci).bind(8, s.params.co).bind(9, s.params.k);
    st->bind(10, s.params.s).bind(11, s.memoryMb).bind(12, s.utilization).bind(13, int(s.background));
    st->bind(14, s.latencyMs).bind(15, nowMs()).bind(16, s.probeRatio).bind(17, int(s.contended));
    try {
        st->run();
    } catch (const SqliteError &e) {
        if (e.isConstraint())
            throw Error("sample " + std::to_string(s.index) + " of " + predict::modules::moduleName(s.kind) +
                            " breaks a constraint (set '" + set + "' must exist, latency must be positive): " + e.problem(),
                        m_db.path());
        throw;
    }
}

int64_t ModuleSampleRepository::count(std::string_view set, ModuleKind module, std::string_view platform) const
{
    auto st = m_db.statement(
        "SELECT COUNT(*) FROM module_samples WHERE set_name = ?1 AND module = ?2 AND platform_id = ?3");
    st->bind(1, set).bind(2, predict::modules::moduleName(module)).bind(3, platform);
    st->step();
    return st->int64(0);
}

int64_t ModuleSampleRepository::nextIndex(std::string_view set, ModuleKind module, std::string_view platform) const
{
    auto st = m_db.statement(
        "SELECT COALESCE(MAX(idx) + 1, 0) FROM module_samples WHERE set_name = ?1 AND module = ?2 AND platform_id = ?3");
    st->bind(1, set).bind(2, predict::modules::moduleName(module)).bind(3, platform);
    st->step();
    return st->int64(0);
}

std::vector<ModuleSample> ModuleSampleRepository::load(std::string_view set, ModuleKind module,
                                                       std::string_view platform, bool includeContended) const
{
    if (!findSet(set))
        throw Error("no module set named '" + std::string(set) + "'", m_db.path());
    auto st = m_db.statement(
        "SELECT idx, n, l, ci, co, k, s, memory_mb, utilization, background, median_ms, probe_ratio, contended "
        "FROM module_samples WHERE set_name = ?1 AND module = ?2 AND platform_id = ?3 "
        "AND (?4 OR contended = 0) ORDER BY idx");
    st->bind(1, set).bind(2, predict::modules::moduleName(module)).bind(3, platform).bind(4, int(includeContended));
    std::vector<ModuleSample> out;
    while (st->step()) {
        ModuleSample s;
        s.kind = module;
        s.index = st->int64(0);
        s.params = {st->int64(1), st->int64(2), st->int64(3), st->int64(4), st->int64(5), st->int64(6)};
        s.memoryMb = st->real(7);
        s.utilization = st->real(8);
        s.background = st->int64(9) != 0;
        s.latencyMs = st->real(10);
        s.probeRatio = st->real(11);
        s.contended = st->int64(12) != 0;
        out.push_back(s);
    }
    return out;
}

std::map<ModuleKind, std::vector<ModuleSample>> ModuleSampleRepository::loadAll(std::string_view set,
                                                                                 std::string_view platform) const
{
    std::map<ModuleKind, std::vector<ModuleSample>> out;
    for (ModuleKind k : predict::modules::allModuleKinds()) {
        auto samples = load(set, k, platform);
        if (!samples.empty())
            out.emplace(k, std::move(samples));
    }
    return out;
}

namespace {

void putU32(Blob &out, uint32_t v)
{
    for (int i = 0; i < 4; ++i)
        out.push_back(uint8_t(v >> (8 * i)));
}

} // namespace

int64_t saveModuleStudy(Database &db, const std::string &set, const predict::modules::ModuleStudy &study,
                        const nlohmann::json &options)
{
    ExperimentRecord r;
    r.name = set + " on " + study.platform;
    r.kind = "module-study";
    r.config = {{"set", set}, {"platform", study.platform}, {"options", options}};
    nlohmann::json rows = nlohmann::json::array();
    for (const auto &e : study.rows)
        rows.push_back(predict::modules::evaluationToJson(e));
    r.results = {{"rows", rows}};
    for (const auto &reg : study.trained) {
        const auto bytes = reg.save();
        putU32(r.resultsBlob, uint32_t(bytes.size()));
        r.resultsBlob.insert(r.resultsBlob.end(), bytes.begin(), bytes.end());
    }
    return ExperimentRepository(db).insert(r);
}

predict::modules::ModuleStudy loadModuleStudy(Database &db, const std::string &set, const std::string &platform)
{
    using namespace predict::modules;
    ExperimentRepository repo(db);
    std::optional<int64_t> id;
    for (const auto &e : repo.list("module-study"))
        if (e.config.value("set", "") == set && e.config.value("platform", "") == platform)
            id = std::max(id.value_or(0), e.id);
    if (!id)
        throw Error("no trained module study of set '" + set + "' on platform '" + platform +
                        "' (run sniper modules train first)",
                    db.path());
    const auto rec = repo.find(*id);
    ModuleStudy study;
    study.platform = platform;
    const std::string where = db.path() + ": module study " + std::to_string(*id);
    try {
        for (const auto &j : rec->results.at("rows")) {
            ModuleEvaluation e;
            e.module = parseModuleKind(j.at("module").get<std::string>());
            e.regressor = parseRegressorKind(j.at("regressor").get<std::string>());
            e.trainSamples = j.at("train").get<size_t>();
            e.validationSamples = j.at("validation").get<size_t>();
            e.testSamples = j.at("test").get<size_t>();
            e.p10 = j.at("p10").get<double>();
            e.p20 = j.at("p20").get<double>();
            e.r2 = j.at("r2").get<double>();
            e.rmseMs = j.at("rmse_ms").get<double>();
            e.mape = j.at("mape").get<double>();
            e.p10Loaded = j.at("p10_loaded").is_null() ? NAN : j.at("p10_loaded").get<double>();
            e.p10Idle = j.at("p10_idle").is_null() ? NAN : j.at("p10_idle").get<double>();
            e.timePerSampleMs = j.at("time_per_sample_ms").get<double>();
            e.sizeKb = j.at("size_kb").get<double>();
            e.trainSeconds = j.at("train_seconds").get<double>();
            e.epochs = j.at("epochs").get<int>();
            study.rows.push_back(e);
        }
    } catch (const nlohmann::json::exception &e) {
        throw Error(std::string("stored evaluation rows do not parse: ") + e.what(), where);
    }
    const Blob &b = rec->resultsBlob;
    size_t pos = 0;
    while (pos < b.size()) {
        if (pos + 4 > b.size())
            throw Error("truncated regressor blob", where);
        uint32_t n = 0;
        for (int i = 0; i < 4; ++i)
            n |= uint32_t(b[pos + size_t(i)]) << (8 * i);
        pos += 4;
        if (pos + n > b.size())
            throw Error("truncated regressor blob", where);
        study.trained.push_back(ModuleRegressor::load(Blob(b.begin() + long(pos), b.begin() + long(pos + n))));
        pos += n;
    }
    if (study.trained.size() != study.rows.size())
        throw Error(std::to_string(study.rows.size()) + " evaluation rows but " + std::to_string(study.trained.size()) +
                        " trained regressors",
                    where);
    return study;
}

int64_t saveModuleSet(Database &db, const predict::modules::ModuleSetPredictor &p, const std::string &name,
                      const nlohmann::json &metrics)
{
    PredictorRecord r;
    r.name = name;
    r.kind = "module-set";
    nlohmann::json selection = nlohmann::json::object();
    for (auto m : p.modules())
        selection[predict::modules::moduleName(m)] = predict::modules::regressorKindName(p.regressor(m).kind());
    r.hyperparameters = {{"scheme", p.scheme()}, {"selection", selection},
                         {"ranges", predict::modules::rangesToJson(p.ranges())}};
    r.weights = p.save();
    r.metrics = metrics;
    r.training = {{"platform", p.platform()}};
    return PredictorRepository(db).insert(r);
}

predict::modules::ModuleSetPredictor loadModuleSet(Database &db, const std::string &which)
{
    PredictorRepository repo(db);
    std::optional<int64_t> id;
    const bool numeric = !which.empty() && std::all_of(which.begin(), which.end(), ::isdigit);
    for (const auto &r : repo.list("module-set"))
        if ((numeric && r.id == std::stoll(which)) || r.name == which)
            id = std::max(id.value_or(0), r.id);
    if (!id)
        throw Error("no module-set predictor '" + which + "' (see sniper modules select)", db.path());
    const auto rec = repo.find(*id);
    try {
        return predict::modules::ModuleSetPredictor::load(rec->weights);
    } catch (const Error &e) {
        throw Error(e.what(), db.path() + ": predictor " + std::to_string(*id));
    }
}

predict::modules::ModuleSetPredictor selectionPredictor(
    const predict::modules::ModuleStudy &study,
    const std::map<predict::modules::ModuleKind, predict::modules::RegressorKind> &selection,
    const predict::modules::SamplingRanges &ranges, const std::string &scheme)
{
    predict::modules::ModuleSetPredictor p(study.platform, ranges, scheme);
    for (const auto &[m, r] : selection) {
        const auto *reg = study.find(m, r);
        if (!reg)
            throw Error(std::string("the study has no ") + predict::modules::regressorKindName(r) + " for " +
                            predict::modules::moduleName(m),
                        "module selection");
        p.add(predict::modules::ModuleRegressor::load(reg->save()));
    }
    return p;
}

IdleEnvironment idleEnvironment(const std::map<ModuleKind, std::vector<ModuleSample>> &samples)
{
    std::vector<double> m, u;
    for (const auto &kv : samples)
        for (const auto &s : kv.second)
            if (!s.background) {
                m.push_back(s.memoryMb);
                u.push_back(s.utilization);
            }
    IdleEnvironment env;
    const auto median = [](std::vector<double> &v) {
        std::nth_element(v.begin(), v.begin() + long(v.size() / 2), v.end());
        return v[v.size() / 2];
    };
    if (!m.empty()) {
        env.memoryMb = median(m);
        env.utilization = median(u);
    }
    return env;
}

ModuleSumRows moduleSumRows(Database &db, const predict::modules::ModuleSetPredictor &p, const std::string &dataset,
                            const std::string &label, const IdleEnvironment &env)
{
    LatencyQuery q;
    q.datasets = {dataset};
    q.platforms = {p.platform()};
    const LatencyLoad load = loadLatencyData(db, q);
    const auto &data = load.data;
    ModelRepository models(db);
    ModuleSumRows out;
    for (size_t i = 0; i < data.networkCount(); ++i) {
        if (!data.measured(i, 0))
            continue;
        const Blob onnx = models.onnx(data.modelIds[i]);
        if (onnx.empty()) {
            out.notes.push_back(data.networks[i] + ": no ONNX stored, skipped");
            continue;
        }
        onnx::ImportOptions io;
        io.loadWeights = false;
        const auto g = onnx::importOnnxBuffer(onnx.data(), onnx.size(), io, data.networks[i]);
        const auto pred = p.predictNetwork(g, env.memoryMb, env.utilization);
        out.rows.push_back({label, data.networks[i], p.platform(), data.latency(i, 0), pred.latencyMs});
        std::ostringstream note;
        note << data.networks[i] << ": " << pred.modules << " modules, " << pred.outOfRange << " outside the sampled ranges, "
             << int(100 * pred.decomposition.coveredMacsFraction + 0.5) << "% of MACs covered";
        out.notes.push_back(note.str());
    }
    return out;
}

std::vector<predict::PredictionRow> moduleSumEvaluation(Database &db, const std::string &set,
                                                        const std::vector<std::string> &platforms,
                                                        const std::vector<std::string> &real)
{
    using namespace predict::modules;
    ModuleSampleRepository repo(db);
    const auto info = repo.findSet(set);
    if (!info)
        throw Error("no module set named '" + set + "'", db.path());
    const SamplingRanges ranges = rangesFromJson(info->spec.value("ranges", nlohmann::json::object()));
    std::vector<predict::PredictionRow> rows;
    bool any = false;
    for (const auto &platform : platforms) {
        ModuleStudy study;
        try {
            study = loadModuleStudy(db, set, platform);
        } catch (const Error &) {
            continue; // no study on this platform
        }
        any = true;
        const auto selection = autoSelect(study.rows, SelectionOptions{});
        const auto p = selectionPredictor(study, selection, ranges, "time-efficient auto-selection");
        const auto env = idleEnvironment(repo.loadAll(set, platform));
        for (const auto &dataset : real) {
            auto r = moduleSumRows(db, p, dataset, "module sum (MEDN framework)", env);
            rows.insert(rows.end(), r.rows.begin(), r.rows.end());
        }
    }
    if (!any)
        throw Error("module set '" + set + "' has no trained study on any of the evaluated platforms", db.path());
    return rows;
}

} // namespace sniper::db
