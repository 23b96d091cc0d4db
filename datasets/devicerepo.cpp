#include "devicerepo.h"

#include "common/error.h"
#include "jsonutil.h"

namespace sniper::db {

namespace {

void validate(const DeviceRecord &d, const std::string &where)
{
    if (d.name.empty())
        throw Error("a device needs a name", where);
    if (d.host.empty())
        throw Error("device '" + d.name + "' needs a host", where);
    if (d.user.empty())
        throw Error("device '" + d.name + "' needs a user", where);
    if (d.workDir.empty())
        throw Error("device '" + d.name + "' needs a work dir", where);
    if (d.port < 1 || d.port > 65535)
        throw Error("device '" + d.name + "': port " + std::to_string(d.port) + " is not in 1..65535", where);
    if (d.auth != "key" && d.auth != "agent" && d.auth != "password")
        throw Error("device '" + d.name + "': unknown auth '" + d.auth + "' (key, agent or password)", where);
    if (d.auth == "key" && d.keyFile.empty())
        throw Error("device '" + d.name + "': key authentication needs a key file", where);
}

constexpr const char *kColumns = "id, name, host, port, user, auth, key_file, work_dir, platforms, created_ms";

DeviceRecord readRow(CachedStatement &st, const std::string &where)
{
    DeviceRecord d;
    d.id = st->int64(0);
    d.name = st->text(1);
    d.host = st->text(2);
    d.port = int(st->int64(3));
    d.user = st->text(4);
    d.auth = st->text(5);
    d.keyFile = st->text(6);
    d.workDir = st->text(7);
    d.platforms = detail::parseJsonColumn(st->text(8), where + ": device " + d.name).get<std::vector<std::string>>();
    d.createdMs = st->int64(9);
    return d;
}

} // namespace

int64_t DeviceRepository::add(const DeviceRecord &device)
{
    validate(device, m_db.path());
    if (find(device.name))
        throw Error("a device named '" + device.name + "' already exists", m_db.path());
    auto st = m_db.statement(
        "INSERT INTO devices (name, host, port, user, auth, key_file, work_dir, platforms, created_ms) "
        "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)");
    st->bind(1, device.name).bind(2, device.host).bind(3, device.port).bind(4, device.user).bind(5, device.auth);
    st->bind(6, device.keyFile).bind(7, device.workDir).bind(8, nlohmann::json(device.platforms).dump());
    st->bind(9, device.createdMs ? device.createdMs : nowMs()).run();
    return m_db.lastInsertId();
}

void DeviceRepository::update(const DeviceRecord &device)
{
    validate(device, m_db.path());
    auto st = m_db.statement("UPDATE devices SET name = ?2, host = ?3, port = ?4, user = ?5, auth = ?6, key_file = ?7, "
                             "work_dir = ?8, platforms = ?9 WHERE id = ?1");
    st->bind(1, device.id).bind(2, device.name).bind(3, device.host).bind(4, device.port).bind(5, device.user);
    st->bind(6, device.auth).bind(7, device.keyFile).bind(8, device.workDir);
    st->bind(9, nlohmann::json(device.platforms).dump()).run();
    if (m_db.changes() == 0)
        throw Error("no device with id " + std::to_string(device.id), m_db.path());
}

std::optional<DeviceRecord> DeviceRepository::find(std::string_view name) const
{
    auto st = m_db.statement(std::string("SELECT ") + kColumns + " FROM devices WHERE name = ?1");
    st->bind(1, name);
    if (!st->step())
        return std::nullopt;
    return readRow(st, m_db.path());
}

std::optional<DeviceRecord> DeviceRepository::find(int64_t id) const
{
    auto st = m_db.statement(std::string("SELECT ") + kColumns + " FROM devices WHERE id = ?1");
    st->bind(1, id);
    if (!st->step())
        return std::nullopt;
    return readRow(st, m_db.path());
}

std::vector<DeviceRecord> DeviceRepository::list() const
{
    auto st = m_db.statement(std::string("SELECT ") + kColumns + " FROM devices ORDER BY name");
    std::vector<DeviceRecord> out;
    while (st->step())
        out.push_back(readRow(st, m_db.path()));
    return out;
}

bool DeviceRepository::remove(std::string_view name)
{
    auto st = m_db.statement("DELETE FROM devices WHERE name = ?1");
    st->bind(1, name).run();
    return m_db.changes() > 0;
}

} // namespace sniper::db
