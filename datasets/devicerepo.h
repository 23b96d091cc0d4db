#pragma once

// Remote boards (SPEC §9): how to reach a device over SSH. No secret is stored: a password is
// asked each time, a key file is referenced by path, a passphrase is asked when needed.

#include "database.h"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace sniper::db {

struct DeviceRecord {
    int64_t id = 0;
    std::string name; // unique, used in platform ids "ssh:<name>:<platform>"
    std::string host;
    int port = 22;
    std::string user;
    std::string auth = "key"; // "key", "agent" or "password"
    std::string keyFile; // for "key"
    std::string workDir; // where the agent and models go on the board
    std::vector<std::string> platforms; // the agent platforms to profile on (from `sniper-agent platforms`)
    int64_t createdMs = 0;
};

class DeviceRepository {
public:
    explicit DeviceRepository(Database &db) : m_db(db) { }

    // Throws sniper::Error for an empty or taken name, an empty host, user or work dir, a port
    // outside 1..65535 or an unknown auth kind. Returns the id.
    int64_t add(const DeviceRecord &device);
    void update(const DeviceRecord &device); // by id
    std::optional<DeviceRecord> find(std::string_view name) const;
    std::optional<DeviceRecord> find(int64_t id) const;
    std::vector<DeviceRecord> list() const; // by name
    bool remove(std::string_view name);

private:
    Database &m_db;
};

} // namespace sniper::db
