#include "nodetablemodel.h"

#include "features/inspect.h"

namespace sniper::views {

NodeTableModel::NodeTableModel(QObject *parent) : QAbstractTableModel(parent) {}

void NodeTableModel::setReport(std::shared_ptr<const features::ModelReport> report)
{
    beginResetModel();
    m_report = std::move(report);
    m_onCriticalPath.assign(m_report ? m_report->graph.nodes.size() : 0, 0);
    if (m_report)
        for (int n : m_report->criticalPath.nodes)
            m_onCriticalPath[n] = 1;
    endResetModel();
}

int NodeTableModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() || !m_report ? 0 : int(m_report->graph.nodes.size());
}

int NodeTableModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant NodeTableModel::data(const QModelIndex &index, int role) const
{
    if (!m_report || !checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const auto &g = m_report->graph;
    const auto &node = g.nodes[size_t(index.row())];
    const auto &cost = m_report->cost.nodes[size_t(index.row())];
    if (role == Qt::DisplayRole) {
        switch (index.column()) {
        case Name: return QString::fromStdString(node.name);
        case Op: return QString::fromStdString(node.opType);
        case Output:
            return node.outputs.empty() ? QString() : QString::fromStdString(graph::shapeString(g.values[node.outputs[0]].shape));
        case Macs: return QVariant::fromValue<qlonglong>(cost.macs);
        case Params: return QVariant::fromValue<qlonglong>(cost.params);
        case Critical: return m_onCriticalPath[size_t(index.row())] ? tr("yes") : QString();
        }
    }
    if (role == Qt::TextAlignmentRole && (index.column() == Macs || index.column() == Params))
        return QVariant::fromValue(Qt::AlignRight | Qt::AlignVCenter);
    return {};
}

QVariant NodeTableModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (section) {
    case Name: return tr("Node");
    case Op: return tr("Operator");
    case Output: return tr("Output shape");
    case Macs: return tr("MACs");
    case Params: return tr("Parameters");
    case Critical: return tr("Critical path");
    }
    return {};
}

} // namespace sniper::views
