#include "featuretablemodel.h"

#include "features/inspect.h"

namespace sniper::views {

FeatureTableModel::FeatureTableModel(QObject *parent) : QAbstractTableModel(parent) {}

void FeatureTableModel::setReport(std::shared_ptr<const features::ModelReport> report)
{
    beginResetModel();
    m_report = std::move(report);
    endResetModel();
}

int FeatureTableModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() || !m_report ? 0 : int(features::featureTable().size());
}

int FeatureTableModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant FeatureTableModel::data(const QModelIndex &index, int role) const
{
    if (!m_report || !checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const auto &def = features::featureTable()[size_t(index.row())];
    if (role == Qt::DisplayRole) {
        switch (index.column()) {
        case Name: return QString::fromLatin1(def.name);
        case Dimension: return QString::fromLatin1(features::dimensionName(def.dimension));
        case Value: return m_report->features.values[size_t(index.row())];
        case Definition: return QString::fromLatin1(def.definition);
        }
    }
    if (role == Qt::ToolTipRole)
        return QString::fromLatin1(def.paper);
    return {};
}

QVariant FeatureTableModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (section) {
    case Name: return tr("Feature");
    case Dimension: return tr("Dimension");
    case Value: return tr("Value");
    case Definition: return tr("Definition");
    }
    return {};
}

} // namespace sniper::views
