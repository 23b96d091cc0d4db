#pragma once

// Internal to datasets/: the migration steps. Policy (docs/database.md): steps are append-only;
// a released step is never edited; step i takes a file from user_version i-1 to i.

#include <vector>

namespace sniper::db::detail {

struct Migration {
    int version;     // user_version after this step
    const char *sql; // one or more statements, run inside the migration transaction
};

const std::vector<Migration> &migrations();

// The tables of the current schema, for stats and the "every table exists" test.
const std::vector<const char *> &schemaTables();

} // namespace sniper::db::detail
