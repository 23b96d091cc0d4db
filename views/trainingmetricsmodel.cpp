#include "trainingmetricsmodel.h"

namespace sniper::views {

TrainingMetricsModel::TrainingMetricsModel(QObject *parent) : QAbstractTableModel(parent) {}

void TrainingMetricsModel::setRows(std::vector<predict::MetricsRow> rows)
{
    beginResetModel();
    m_rows = std::move(rows);
    endResetModel();
}

int TrainingMetricsModel::rowCount(const QModelIndex &parent) const { return parent.isValid() ? 0 : int(m_rows.size()); }
int TrainingMetricsModel::columnCount(const QModelIndex &parent) const { return parent.isValid() ? 0 : ColumnCount; }

QVariant TrainingMetricsModel::data(const QModelIndex &index, int role) const
{
    if (!index.isValid() || index.row() >= int(m_rows.size()))
        return {};
    const predict::MetricsRow &r = m_rows[size_t(index.row())];
    const predict::Metrics &m = r.metrics;
    if (role == Qt::TextAlignmentRole)
        return index.column() == Subject ? QVariant(Qt::AlignLeft | Qt::AlignVCenter)
                                         : QVariant(Qt::AlignRight | Qt::AlignVCenter);
    if (role != Qt::DisplayRole && role != Qt::UserRole)
        return {};
    switch (index.column()) {
    case Subject:
        return r.subject.empty() ? tr("all platforms") : QString::fromStdString(r.subject);
    case Samples:
        return qulonglong(m.n);
    case Mape:
        return role == Qt::UserRole ? QVariant(m.mape) : QVariant(QString::number(m.mape, 'f', 2));
    case Rmse:
        return role == Qt::UserRole ? QVariant(m.rmse) : QVariant(QString::number(m.rmse, 'g', 4));
    case R2:
        return role == Qt::UserRole ? QVariant(m.r2) : QVariant(QString::number(m.r2, 'f', 4));
    case Acc5:
        return role == Qt::UserRole ? QVariant(m.acc5) : QVariant(QString::number(m.acc5, 'f', 1));
    case Acc10:
        return role == Qt::UserRole ? QVariant(m.acc10) : QVariant(QString::number(m.acc10, 'f', 1));
    case Acc15:
        return role == Qt::UserRole ? QVariant(m.acc15) : QVariant(QString::number(m.acc15, 'f', 1));
    case Spearman:
        return role == Qt::UserRole ? QVariant(m.spearman) : QVariant(QString::number(m.spearman, 'f', 4));
    default:
        return {};
    }
}

QVariant TrainingMetricsModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return QAbstractTableModel::headerData(section, orientation, role);
    switch (section) {
    case Subject: return tr("Subject");
    case Samples: return tr("Samples");
    case Mape: return tr("MAPE (%)");
    case Rmse: return tr("RMSE (ms)");
    case R2: return tr("R²");
    case Acc5: return tr("±5% (%)");
    case Acc10: return tr("±10% (%)");
    case Acc15: return tr("±15% (%)");
    case Spearman: return tr("Spearman");
    default: return {};
    }
}

} // namespace sniper::views
