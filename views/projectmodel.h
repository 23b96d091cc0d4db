#pragma once

// The project explorer's tree (SPEC §12): models, platforms, datasets, predictors and experiments
// of the open project database. Filled from an immutable snapshot read by a background job.

#include <QAbstractItemModel>

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace sniper::views {

struct ProjectSnapshot {
    struct Item {
        int64_t id = 0;
        std::string key; // platforms: their text id; predictors and experiments: their kind
        std::string label;
        std::string detail;
    };
    std::string path;
    std::vector<Item> models, platforms, datasets, predictors, experiments;
    int64_t measurements = 0;
};

// Reads a snapshot with its own connection (safe on a worker thread). Throws sniper::Error.
ProjectSnapshot readProjectSnapshot(const std::string &path);

class ProjectTreeModel : public QAbstractItemModel {
    Q_OBJECT
public:
    enum Category { Models, Platforms, Datasets, Predictors, Experiments, CategoryCount };
    enum Role { CategoryRole = Qt::UserRole + 1, IdRole, KeyRole };

    explicit ProjectTreeModel(QObject *parent = nullptr);
    void setSnapshot(std::shared_ptr<const ProjectSnapshot> snapshot);
    const ProjectSnapshot *snapshot() const { return m_snapshot.get(); }

    QModelIndex index(int row, int column, const QModelIndex &parent = {}) const override;
    QModelIndex parent(const QModelIndex &child) const override;
    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

private:
    const std::vector<ProjectSnapshot::Item> *items(int category) const;
    std::shared_ptr<const ProjectSnapshot> m_snapshot;
};

} // namespace sniper::views
