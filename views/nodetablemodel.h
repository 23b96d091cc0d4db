#pragma once

#include <QAbstractTableModel>

#include <memory>

namespace sniper::features {
struct ModelReport;
}

namespace sniper::views {

// One row per graph node: name, operator, output shape, MACs, params, on critical path.
class NodeTableModel : public QAbstractTableModel {
    Q_OBJECT
public:
    enum Column { Name, Op, Output, Macs, Params, Critical, ColumnCount };
    explicit NodeTableModel(QObject *parent = nullptr);

    void setReport(std::shared_ptr<const features::ModelReport> report);

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

private:
    std::shared_ptr<const features::ModelReport> m_report;
    std::vector<char> m_onCriticalPath;
};

} // namespace sniper::views
