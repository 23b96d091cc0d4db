#include "jobs.h"

#include "defaultproject.h"

#include <QThread>
#include <QTimer>

#include <algorithm>

namespace sniper::views {

void JobContext::log(const QString &line)
{
    QMutexLocker lock(&m_logMutex);
    m_pendingLog << line;
}

JobsModel::JobsModel(QObject *parent)
    : QAbstractTableModel(parent), m_timer(new QTimer(this)), m_pool(new QThreadPool(this))
{
    m_pool->setMaxThreadCount(std::max(2, QThread::idealThreadCount()));
    m_timer->setInterval(100);
    connect(m_timer, &QTimer::timeout, this, &JobsModel::poll);
}

int JobsModel::addJob(const QString &name, std::shared_ptr<JobContext> context)
{
    beginInsertRows({}, int(m_jobs.size()), int(m_jobs.size()));
    m_jobs.push_back({m_nextId, name, std::move(context), JobState::Running, {}, 0});
    endInsertRows();
    if (!m_timer->isActive())
        m_timer->start();
    return m_nextId++;
}

void JobsModel::finishJob(int id, JobState state, const QString &message)
{
    poll(); // flush the last progress and log lines
    for (size_t row = 0; row < m_jobs.size(); ++row) {
        Job &j = m_jobs[row];
        if (j.id != id)
            continue;
        j.state = state;
        j.message = message;
        if (state == JobState::Finished)
            j.permille = 1000;
        Q_EMIT dataChanged(index(int(row), 0), index(int(row), ColumnCount - 1));
    }
    if (runningCount() == 0)
        m_timer->stop();
    Q_EMIT jobFinished(id);
}

void JobsModel::poll()
{
    for (size_t row = 0; row < m_jobs.size(); ++row) {
        Job &j = m_jobs[row];
        if (j.state != JobState::Running)
            continue;
        QStringList lines;
        {
            QMutexLocker lock(&j.context->m_logMutex);
            lines.swap(j.context->m_pendingLog);
        }
        for (const QString &l : lines)
            Q_EMIT logLine(j.id, l);
        int64_t total = j.context->m_total.load(), done = j.context->m_done.load();
        int permille = total > 0 ? int(1000 * done / total) : 0;
        if (permille != j.permille) { // only real changes reach the view (throttled to 10 Hz)
            j.permille = permille;
            Q_EMIT dataChanged(index(int(row), Progress), index(int(row), Progress));
        }
    }
}

void JobsModel::cancel(int id)
{
    for (Job &j : m_jobs)
        if (j.id == id)
            j.context->m_cancel = true;
}

void JobsModel::cancelAll()
{
    for (Job &j : m_jobs)
        j.context->m_cancel = true;
}

int JobsModel::runningCount() const
{
    return int(std::count_if(m_jobs.begin(), m_jobs.end(), [](const Job &j) { return j.state == JobState::Running; }));
}

JobsModel::JobState JobsModel::state(int id) const
{
    for (const Job &j : m_jobs)
        if (j.id == id)
            return j.state;
    return JobState::Failed;
}

int JobsModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_jobs.size());
}

int JobsModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant JobsModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const Job &j = m_jobs[size_t(index.row())];
    if (role == Qt::DisplayRole) {
        switch (index.column()) {
        case Name: return j.name;
        case State:
            switch (j.state) {
            case JobState::Running: return j.context->isCancelled() ? tr("cancelling") : tr("running");
            case JobState::Finished: return tr("finished");
            case JobState::Failed: return tr("failed: %1").arg(j.message);
            case JobState::Cancelled: return tr("cancelled");
            }
            break;
        case Progress: return j.permille / 10;
        }
    }
    if (role == Qt::UserRole)
        return j.id;
    return {};
}

QVariant JobsModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (section) {
    case Name: return tr("Job");
    case State: return tr("State");
    case Progress: return tr("Progress (%)");
    }
    return {};
}

void openStoredWhenIdle(JobsModel *jobs, QObject *context, const QString &name, const QString &project,
                        std::function<std::optional<int64_t>(db::Database &)> lookup,
                        std::function<bool()> stillWanted, std::function<void(qint64)> open)
{
    jobs->start<qint64>(
        name,
        [project, lookup](JobContext &) -> qint64 {
            db::Database d = db::openExistingProject(project.toStdString());
            return lookup(d).value_or(0);
        },
        context,
        [stillWanted, open](qint64 id) {
            if (id > 0 && stillWanted())
                open(id);
        });
}

} // namespace sniper::views
