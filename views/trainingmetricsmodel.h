#pragma once

// The Training view's metrics table: one row per predict::MetricsRow of the held-out split
// (all samples, per platform, per platform latency quartile), Ace-Sniper §V-B's metrics as columns.

#include "predict/evaluation.h"

#include <QAbstractTableModel>

#include <vector>

namespace sniper::views {

class TrainingMetricsModel : public QAbstractTableModel {
    Q_OBJECT
public:
    enum Column { Subject, Samples, Mape, Rmse, R2, Acc5, Acc10, Acc15, Spearman, ColumnCount };

    explicit TrainingMetricsModel(QObject *parent = nullptr);
    void setRows(std::vector<predict::MetricsRow> rows);
    const std::vector<predict::MetricsRow> &rows() const { return m_rows; }

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

private:
    std::vector<predict::MetricsRow> m_rows;
};

} // namespace sniper::views
