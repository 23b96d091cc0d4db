#pragma once

// The Devices view's table: the project's boards (name, host:port, user, auth, work dir,
// platforms) and the last status the view saw for each (connection test, deploy, campaign).

#include "devicerepo.h"

#include <QAbstractTableModel>
#include <QHash>

#include <vector>

namespace sniper::views {

class DeviceTableModel : public QAbstractTableModel {
    Q_OBJECT
public:
    enum Column { Name, Address, User, Auth, WorkDir, Platforms, Status, ColumnCount };

    explicit DeviceTableModel(QObject *parent = nullptr);

    void setDevices(std::vector<db::DeviceRecord> devices); // statuses are kept by name
    const db::DeviceRecord *device(int row) const;
    const db::DeviceRecord *device(const QString &name) const;
    int rowOf(const QString &name) const; // -1 when unknown
    void setStatus(const QString &name, const QString &status);
    QString status(const QString &name) const;

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

private:
    std::vector<db::DeviceRecord> m_devices;
    QHash<QString, QString> m_status;
};

} // namespace sniper::views
