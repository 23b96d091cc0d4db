#pragma once

// One background job runner for the whole workbench (STYLE.md): work runs on the thread pool,
// reports throttled progress, can be cancelled, and hands an immutable result to the GUI thread.
// The GUI thread never waits for a job.

#include <QAbstractTableModel>
#include <QFutureWatcher>
#include <QMutex>
#include <QStringList>
#include <QThreadPool>
#include <QTimer>
#include <QPointer>
#include <QtConcurrent>

#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <vector>

namespace sniper::db {
class Database;
}

namespace sniper::views {

// What a job's work function sees: report progress, check for cancellation, log a line.
class JobContext {
public:
    void setProgress(int64_t done, int64_t total) { m_done = done; m_total = total; }
    bool isCancelled() const { return m_cancel.load(); }
    const std::atomic<bool> *cancelFlag() const { return &m_cancel; }
    void log(const QString &line);

private:
    friend class JobsModel;
    std::atomic<int64_t> m_done{0}, m_total{0};
    std::atomic<bool> m_cancel{false};
    QMutex m_logMutex;
    QStringList m_pendingLog;
};

// The jobs panel's model: one row per job (name, state, progress), newest last.
class JobsModel : public QAbstractTableModel {
    Q_OBJECT
public:
    enum Column { Name, State, Progress, ColumnCount };
    enum class JobState { Running, Finished, Failed, Cancelled };

    explicit JobsModel(QObject *parent = nullptr);

    // Runs `work` on the thread pool; `done` gets its result on the GUI thread (unless `context`
    // was destroyed). Errors thrown by `work` mark the job failed and reach `failed`.
    template <typename Result>
    int start(const QString &name, std::function<Result(JobContext &)> work, QObject *context,
              std::function<void(Result)> done, std::function<void(QString)> failed = {})
    {
        auto ctx = std::make_shared<JobContext>();
        int id = addJob(name, ctx);
        auto *watcher = new QFutureWatcher<std::shared_ptr<Result>>(this);
        auto error = std::make_shared<QString>();
        QPointer<QObject> guard(context);
        connect(watcher, &QFutureWatcher<std::shared_ptr<Result>>::finished, this, [=, this] {
            watcher->deleteLater();
            std::shared_ptr<Result> r = watcher->result();
            finishJob(id, r ? (ctx->isCancelled() ? JobState::Cancelled : JobState::Finished) : JobState::Failed, *error);
            if (!guard)
                return;
            if (r)
                done(std::move(*r));
            else if (failed)
                failed(*error);
        });
        watcher->setFuture(QtConcurrent::run(m_pool, [work, ctx, error]() -> std::shared_ptr<Result> {
            try {
                return std::make_shared<Result>(work(*ctx));
            } catch (const std::exception &e) {
                *error = QString::fromStdString(e.what());
            } catch (...) {
                *error = tr("unknown error");
            }
            return nullptr;
        }));
        return id;
    }

    void cancel(int id);
    void cancelAll();
    int runningCount() const;
    JobState state(int id) const;

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

Q_SIGNALS:
    void logLine(int id, const QString &line);
    void jobFinished(int id);

private:
    struct Job {
        int id;
        QString name;
        std::shared_ptr<JobContext> context;
        JobState state = JobState::Running;
        QString message;
        int permille = 0; // last shown progress, for throttling
    };
    int addJob(const QString &name, std::shared_ptr<JobContext> context);
    void finishJob(int id, JobState state, const QString &message);
    void poll(); // 10 Hz: copy progress and log lines from running jobs

    std::vector<Job> m_jobs;
    int m_nextId = 1;
    QTimer *m_timer;
    // Jobs run on their own pool: Qt 6.4 paints (QRasterPaintEngine, QImage conversions) with
    // tasks on QThreadPool::globalInstance(), so long jobs there stall the GUI thread's painting.
    QThreadPool *m_pool;
};

// How a view opens the newest stored result when a project opens: `lookup` finds its id in the
// (existing) project off the GUI thread; back on it, `open(id)` runs if an id was found and
// `stillWanted()` holds (the view is still empty and shows the same project).
void openStoredWhenIdle(JobsModel *jobs, QObject *context, const QString &name, const QString &project,
                        std::function<std::optional<int64_t>(db::Database &)> lookup,
                        std::function<bool()> stillWanted, std::function<void(qint64)> open);

} // namespace sniper::views
