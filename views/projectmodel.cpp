#include "projectmodel.h"

#include "collections.h"
#include "database.h"
#include "measurements.h"
#include "models.h"

namespace sniper::views {

namespace {
// Internal ids: categories use 0, children use category + 1 so parent() can find them.
constexpr quintptr kTopLevel = 0;
} // namespace

ProjectSnapshot readProjectSnapshot(const std::string &path)
{
    db::Database d = db::Database::open(path, db::OpenMode::ExistingOnly);
    ProjectSnapshot s;
    s.path = path;
    for (const auto &m : db::ModelRepository(d).list()) {
        std::string shape;
        for (int64_t x : m.inputShape)
            shape += (shape.empty() ? "" : "x") + std::to_string(x);
        s.models.push_back({m.id, {}, m.name, m.source + (shape.empty() ? "" : ", " + shape)});
    }
    for (const auto &p : db::PlatformRepository(d).list())
        s.platforms.push_back({0, p.id, p.id, p.description.value("description", std::string())});
    for (const auto &ds : db::DatasetRepository(d).list())
        s.datasets.push_back({ds.id, {}, ds.name, ds.kind});
    for (const auto &p : db::PredictorRepository(d).list())
        s.predictors.push_back({p.id, p.kind, p.name, p.kind});
    for (const auto &e : db::ExperimentRepository(d).list())
        s.experiments.push_back({e.id, e.kind, e.name, e.kind});
    s.measurements = db::MeasurementRepository(d).count();
    return s;
}

ProjectTreeModel::ProjectTreeModel(QObject *parent) : QAbstractItemModel(parent) {}

void ProjectTreeModel::setSnapshot(std::shared_ptr<const ProjectSnapshot> snapshot)
{
    beginResetModel();
    m_snapshot = std::move(snapshot);
    endResetModel();
}

const std::vector<ProjectSnapshot::Item> *ProjectTreeModel::items(int category) const
{
    if (!m_snapshot)
        return nullptr;
    switch (category) {
    case Models: return &m_snapshot->models;
    case Platforms: return &m_snapshot->platforms;
    case Datasets: return &m_snapshot->datasets;
    case Predictors: return &m_snapshot->predictors;
    case Experiments: return &m_snapshot->experiments;
    }
    return nullptr;
}

QModelIndex ProjectTreeModel::index(int row, int column, const QModelIndex &parent) const
{
    if (!hasIndex(row, column, parent))
        return {};
    if (!parent.isValid())
        return createIndex(row, column, kTopLevel);
    return createIndex(row, column, quintptr(parent.row() + 1));
}

QModelIndex ProjectTreeModel::parent(const QModelIndex &child) const
{
    if (!child.isValid() || child.internalId() == kTopLevel)
        return {};
    return createIndex(int(child.internalId() - 1), 0, kTopLevel);
}

int ProjectTreeModel::rowCount(const QModelIndex &parent) const
{
    if (!m_snapshot)
        return 0;
    if (!parent.isValid())
        return CategoryCount;
    if (parent.column() != 0 || parent.internalId() != kTopLevel)
        return 0;
    return int(items(parent.row())->size());
}

int ProjectTreeModel::columnCount(const QModelIndex &) const
{
    return 2;
}

QVariant ProjectTreeModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid) || !m_snapshot)
        return {};
    if (index.internalId() == kTopLevel) {
        static const char *names[] = {QT_TR_NOOP("Models"), QT_TR_NOOP("Platforms"), QT_TR_NOOP("Datasets"),
                                      QT_TR_NOOP("Predictors"), QT_TR_NOOP("Experiments")};
        if (role == Qt::DisplayRole)
            return index.column() == 0 ? tr(names[index.row()])
                                       : QVariant(qlonglong(items(index.row())->size()));
        if (role == CategoryRole)
            return index.row();
        return {};
    }
    const int category = int(index.internalId() - 1);
    const auto &item = (*items(category))[size_t(index.row())];
    switch (role) {
    case Qt::DisplayRole:
        return QString::fromStdString(index.column() == 0 ? item.label : item.detail);
    case Qt::ToolTipRole:
        return QString::fromStdString(item.label + "\n" + item.detail);
    case CategoryRole:
        return category;
    case IdRole:
        return qlonglong(item.id);
    case KeyRole:
        return QString::fromStdString(item.key);
    }
    return {};
}

QVariant ProjectTreeModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    return section == 0 ? tr("Project") : tr("Details");
}

} // namespace sniper::views
