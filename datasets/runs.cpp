#include "runs.h"

#include "jsonutil.h"

#include <sqlite3.h>

#include <array>

namespace sniper::db {

namespace {

constexpr std::array<const char *, 6> kRunStates = {"pending", "running", "paused", "finished", "failed", "cancelled"};
constexpr std::array<const char *, 4> kItemStates = {"pending", "done", "failed", "skipped"};

template <class E, size_t N> E parseState(const std::array<const char *, N> &names, const std::string &text)
{
    for (size_t i = 0; i < N; ++i)
        if (text == names[i])
            return E(i);
    return E(0); // unreachable: CHECK constraints keep the column to these names
}

RunRecord readRun(Statement &st, const std::string &dbPath)
{
    RunRecord r;
    r.id = st.int64(0);
    r.kind = st.text(1);
    r.config = detail::parseJsonColumn(st.text(2), dbPath + ": run " + std::to_string(r.id));
    r.state = parseState<RunState>(kRunStates, st.text(3));
    r.message = st.text(4);
    r.createdMs = st.int64(5);
    r.startedMs = st.optionalInt64(6);
    r.finishedMs = st.optionalInt64(7);
    return r;
}

constexpr const char *kRunColumns =
    "SELECT id, kind, config, state, message, created_ms, started_ms, finished_ms FROM runs ";

} // namespace

const char *runStateName(RunState s) { return kRunStates[size_t(s)]; }
const char *itemStateName(ItemState s) { return kItemStates[size_t(s)]; }

int64_t RunRepository::create(std::string_view kind, const nlohmann::json &config)
{
    auto st = m_db.statement("INSERT INTO runs (kind, config, state, created_ms) VALUES (?1, ?2, 'pending', ?3)");
    st->bind(1, kind).bind(2, detail::dumpJson(config)).bind(3, nowMs()).run();
    return m_db.lastInsertId();
}

std::optional<RunRecord> RunRepository::find(int64_t id) const
{
    auto st = m_db.statement(std::string(kRunColumns) + "WHERE id = ?1");
    st->bind(1, id);
    return st->step() ? std::optional(readRun(*st, m_db.path())) : std::nullopt;
}

std::vector<RunRecord> RunRepository::list(std::string_view kind) const
{
    auto st = m_db.statement(std::string(kRunColumns) + "WHERE ?1 = '' OR kind = ?1 ORDER BY id DESC");
    st->bind(1, kind);
    std::vector<RunRecord> out;
    while (st->step())
        out.push_back(readRun(*st, m_db.path()));
    return out;
}

void RunRepository::setState(int64_t id, RunState state, std::string_view message)
{
    const bool ends = state == RunState::Finished || state == RunState::Failed || state == RunState::Cancelled;
    auto st = m_db.statement(
        "UPDATE runs SET state = ?2, message = ?3, "
        "started_ms = CASE WHEN ?2 = 'running' THEN coalesce(started_ms, ?4) ELSE started_ms END, "
        "finished_ms = CASE WHEN ?5 THEN ?4 ELSE finished_ms END WHERE id = ?1");
    st->bind(1, id).bind(2, runStateName(state)).bind(3, message).bind(4, nowMs()).bind(5, int(ends)).run();
    if (m_db.changes() == 0)
        throw Error("no run with id " + std::to_string(id), m_db.path());
}

void RunRepository::addItems(int64_t runId, const std::vector<RunItem> &items)
{
    Transaction tx(m_db);
    auto st = m_db.statement("INSERT INTO run_items (run_id, model_id, platform_id, batch, state, message, updated_ms) "
                             "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7) ON CONFLICT DO NOTHING");
    const int64_t now = nowMs();
    for (const auto &item : items) {
        st->bind(1, runId).bind(2, item.modelId).bind(3, item.platform).bind(4, item.batch);
        st->bind(5, itemStateName(item.state)).bind(6, item.message).bind(7, now);
        try {
            st->run();
        } catch (const SqliteError &e) {
            if (e.isConstraint())
                throw Error("cannot plan model " + std::to_string(item.modelId) + " on '" + item.platform + "' batch "
                                + std::to_string(item.batch) + " in run " + std::to_string(runId)
                                + ": unknown run, model or platform, or batch < 1; nothing was planned",
                            m_db.path());
            throw;
        }
        st->reset();
    }
    tx.commit();
}

void RunRepository::setItemState(int64_t runId, const RunItem &item, ItemState state, std::string_view message)
{
    auto st = m_db.statement("UPDATE run_items SET state = ?5, message = ?6, updated_ms = ?7 "
                             "WHERE run_id = ?1 AND model_id = ?2 AND platform_id = ?3 AND batch = ?4");
    st->bind(1, runId).bind(2, item.modelId).bind(3, item.platform).bind(4, item.batch);
    st->bind(5, itemStateName(state)).bind(6, message).bind(7, nowMs()).run();
    if (m_db.changes() == 0)
        throw Error("run " + std::to_string(runId) + " has no item for model " + std::to_string(item.modelId) + " on '"
                        + item.platform + "' batch " + std::to_string(item.batch),
                    m_db.path());
}

std::vector<RunItem> RunRepository::items(int64_t runId, std::optional<ItemState> state) const
{
    auto st = m_db.statement("SELECT model_id, platform_id, batch, state, message FROM run_items WHERE run_id = ?1 "
                             "AND (?2 IS NULL OR state = ?2) ORDER BY model_id, platform_id, batch");
    st->bind(1, runId);
    if (state)
        st->bind(2, itemStateName(*state));
    std::vector<RunItem> out;
    while (st->step())
        out.push_back({st->int64(0), st->text(1), st->integer(2), parseState<ItemState>(kItemStates, st->text(3)),
                       st->text(4)});
    return out;
}

RunProgress RunRepository::progress(int64_t runId) const
{
    auto st = m_db.statement("SELECT state, count(*) FROM run_items WHERE run_id = ?1 GROUP BY state");
    st->bind(1, runId);
    RunProgress p;
    while (st->step()) {
        const auto s = parseState<ItemState>(kItemStates, st->text(0));
        const int64_t n = st->int64(1);
        (s == ItemState::Pending ? p.pending : s == ItemState::Done ? p.done : s == ItemState::Failed ? p.failed : p.skipped) = n;
    }
    return p;
}

} // namespace sniper::db
