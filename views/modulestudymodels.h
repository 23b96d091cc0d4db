#pragma once

// The Training view's module-level study tables: Table 5 (one row per module x regressor) and
// the auto-selection (Algorithm 1) of one regressor per module, time- and space-efficient.

#include "predict/modulestudy.h"

#include <QAbstractTableModel>

#include <map>
#include <vector>

namespace sniper::views {

class ModuleStudyModel : public QAbstractTableModel {
    Q_OBJECT
public:
    enum Column { Module, Regressor, P10, P20, R2, Rmse, TimePerSample, SizeKb, Epochs, ColumnCount };

    explicit ModuleStudyModel(QObject *parent = nullptr);
    void setRows(std::vector<predict::modules::ModuleEvaluation> rows);

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

private:
    std::vector<predict::modules::ModuleEvaluation> m_rows;
};

class ModuleSelectionModel : public QAbstractTableModel {
    Q_OBJECT
public:
    enum Column { Module, TimeEfficient, SpaceEfficient, ColumnCount };
    using Selection = std::map<predict::modules::ModuleKind, predict::modules::RegressorKind>;

    explicit ModuleSelectionModel(QObject *parent = nullptr);
    void setSelections(const Selection &time, const Selection &space);

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

private:
    struct Row {
        predict::modules::ModuleKind module;
        predict::modules::RegressorKind time, space;
    };
    std::vector<Row> m_rows;
};

} // namespace sniper::views
