#include "devicetablemodel.h"

namespace sniper::views {

DeviceTableModel::DeviceTableModel(QObject *parent) : QAbstractTableModel(parent) { }

void DeviceTableModel::setDevices(std::vector<db::DeviceRecord> devices)
{
    beginResetModel();
    m_devices = std::move(devices);
    endResetModel();
}

const db::DeviceRecord *DeviceTableModel::device(int row) const
{
    return row >= 0 && row < int(m_devices.size()) ? &m_devices[size_t(row)] : nullptr;
}

const db::DeviceRecord *DeviceTableModel::device(const QString &name) const
{
    return device(rowOf(name));
}

int DeviceTableModel::rowOf(const QString &name) const
{
    for (size_t i = 0; i < m_devices.size(); ++i)
        if (QString::fromStdString(m_devices[i].name) == name)
            return int(i);
    return -1;
}

void DeviceTableModel::setStatus(const QString &name, const QString &status)
{
    m_status.insert(name, status);
    if (const int row = rowOf(name); row >= 0)
        Q_EMIT dataChanged(index(row, Status), index(row, Status));
}

QString DeviceTableModel::status(const QString &name) const
{
    return m_status.value(name);
}

int DeviceTableModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_devices.size());
}

int DeviceTableModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant DeviceTableModel::data(const QModelIndex &index, int role) const
{
    const db::DeviceRecord *d = device(index.row());
    if (!d || index.column() < 0 || index.column() >= ColumnCount || (role != Qt::DisplayRole && role != Qt::ToolTipRole))
        return {};
    switch (index.column()) {
    case Name:
        return QString::fromStdString(d->name);
    case Address:
        return QStringLiteral("%1:%2").arg(QString::fromStdString(d->host)).arg(d->port);
    case User:
        return QString::fromStdString(d->user);
    case Auth:
        return d->auth == "key" && !d->keyFile.empty()
            ? tr("key (%1)").arg(QString::fromStdString(d->keyFile))
            : QString::fromStdString(d->auth);
    case WorkDir:
        return QString::fromStdString(d->workDir);
    case Platforms: {
        QStringList p;
        for (const auto &s : d->platforms)
            p << QString::fromStdString(s);
        return p.join(QStringLiteral(", "));
    }
    case Status:
        return m_status.value(QString::fromStdString(d->name));
    }
    return {};
}

QVariant DeviceTableModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (section) {
    case Name:
        return tr("Name");
    case Address:
        return tr("Host:port");
    case User:
        return tr("User");
    case Auth:
        return tr("Authentication");
    case WorkDir:
        return tr("Work dir");
    case Platforms:
        return tr("Platforms");
    case Status:
        return tr("Status");
    }
    return {};
}

} // namespace sniper::views
