#include "modulestudymodels.h"

namespace sniper::views {

using predict::modules::moduleName;
using predict::modules::regressorKindName;

ModuleStudyModel::ModuleStudyModel(QObject *parent) : QAbstractTableModel(parent) {}

void ModuleStudyModel::setRows(std::vector<predict::modules::ModuleEvaluation> rows)
{
    beginResetModel();
    m_rows = std::move(rows);
    endResetModel();
}

int ModuleStudyModel::rowCount(const QModelIndex &parent) const { return parent.isValid() ? 0 : int(m_rows.size()); }
int ModuleStudyModel::columnCount(const QModelIndex &parent) const { return parent.isValid() ? 0 : ColumnCount; }

QVariant ModuleStudyModel::data(const QModelIndex &index, int role) const
{
    if (!index.isValid() || index.row() >= int(m_rows.size()) || (role != Qt::DisplayRole && role != Qt::UserRole))
        return {};
    const auto &e = m_rows[size_t(index.row())];
    const auto number = [role](double v, char format, int precision) {
        return role == Qt::UserRole ? QVariant(v) : QVariant(QString::number(v, format, precision));
    };
    switch (index.column()) {
    case Module: return QString::fromLatin1(moduleName(e.module));
    case Regressor: return QString::fromLatin1(regressorKindName(e.regressor));
    case P10: return number(100 * e.p10, 'f', 1);
    case P20: return number(100 * e.p20, 'f', 1);
    case R2: return number(e.r2, 'f', 4);
    case Rmse: return number(e.rmseMs, 'g', 4);
    case TimePerSample: return number(e.timePerSampleMs, 'g', 3);
    case SizeKb: return number(e.sizeKb, 'f', 1);
    case Epochs: return e.epochs;
    default: return {};
    }
}

QVariant ModuleStudyModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return QAbstractTableModel::headerData(section, orientation, role);
    switch (section) {
    case Module: return tr("Module");
    case Regressor: return tr("Regressor");
    case P10: return tr("P10 (%)");
    case P20: return tr("Acc = P20 (%)");
    case R2: return tr("R²");
    case Rmse: return tr("RMSE (ms)");
    case TimePerSample: return tr("Time per sample (ms)");
    case SizeKb: return tr("Size (KB)");
    case Epochs: return tr("Epochs");
    default: return {};
    }
}

ModuleSelectionModel::ModuleSelectionModel(QObject *parent) : QAbstractTableModel(parent) {}

void ModuleSelectionModel::setSelections(const Selection &time, const Selection &space)
{
    beginResetModel();
    m_rows.clear();
    for (const auto &[module, regressor] : time) {
        const auto s = space.find(module);
        m_rows.push_back({module, regressor, s == space.end() ? regressor : s->second});
    }
    endResetModel();
}

int ModuleSelectionModel::rowCount(const QModelIndex &parent) const { return parent.isValid() ? 0 : int(m_rows.size()); }
int ModuleSelectionModel::columnCount(const QModelIndex &parent) const { return parent.isValid() ? 0 : ColumnCount; }

QVariant ModuleSelectionModel::data(const QModelIndex &index, int role) const
{
    if (!index.isValid() || index.row() >= int(m_rows.size()) || role != Qt::DisplayRole)
        return {};
    const Row &r = m_rows[size_t(index.row())];
    switch (index.column()) {
    case Module: return QString::fromLatin1(moduleName(r.module));
    case TimeEfficient: return QString::fromLatin1(regressorKindName(r.time));
    case SpaceEfficient: return QString::fromLatin1(regressorKindName(r.space));
    default: return {};
    }
}

QVariant ModuleSelectionModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return QAbstractTableModel::headerData(section, orientation, role);
    switch (section) {
    case Module: return tr("Module");
    case TimeEfficient: return tr("Time-efficient auto-selection");
    case SpaceEfficient: return tr("Space-efficient auto-selection");
    default: return {};
    }
}

} // namespace sniper::views
