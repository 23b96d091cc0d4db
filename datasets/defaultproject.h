#pragma once

// The project a first start opens: a copy of the bundled demo database (datasets/demo/), so
// every view has data before the user has measured anything (SPEC §6).

#include "database.h"

#include <string>

namespace sniper::db {

// $SNIPER_PROJECT, else $XDG_DATA_HOME/sniper-workbench/default.sniper
// (~/.local/share/sniper-workbench/default.sniper).
std::string defaultProjectPath();

// The bundled demo project (gzip-compressed SQLite): $SNIPER_DATA_DIR/demo/default-project.sniper.gz,
// else the source tree's datasets/demo/.
std::string bundledProjectPath();
// The bundled structure-only models (ResNet-50, AlexNet, ...): the `models` folder beside `demo`.
std::string bundledModelsDir();

// Opens `path`; when it is the default project and does not exist yet, it is first created from
// the bundled demo data (or empty, with a note in `created`, if the bundle is missing).
Database openProject(const std::string &path, bool *createdFromBundle = nullptr);

// Opens an existing project database, or the default project (empty `path` or
// defaultProjectPath(): created from the bundle on first use); throws sniper::Error "no such
// project database" naming the path otherwise, so a mistyped path never creates an empty project.
Database openExistingProject(const std::string &path);

// Decompresses a .gz file to `target` (write to a temporary file, then rename).
void gunzipFile(const std::string &source, const std::string &target);

} // namespace sniper::db
