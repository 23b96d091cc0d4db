#include "defaultproject.h"

#include "builders.h"

#include "common/error.h"

#include <zlib.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>

#ifndef SNIPER_DATA_DIR
#define SNIPER_DATA_DIR ""
#endif

namespace sniper::db {

namespace fs = std::filesystem;

std::string defaultProjectPath()
{
    if (const char *p = std::getenv("SNIPER_PROJECT"); p && *p)
        return p;
    fs::path base;
    if (const char *xdg = std::getenv("XDG_DATA_HOME"); xdg && *xdg)
        base = xdg;
    else if (const char *home = std::getenv("HOME"); home && *home)
        base = fs::path(home) / ".local" / "share";
    else
        base = fs::temp_directory_path();
    return (base / "sniper-workbench" / "default.sniper").string();
}

std::string bundledProjectPath()
{
    fs::path dir = SNIPER_DATA_DIR;
    if (const char *d = std::getenv("SNIPER_DATA_DIR"); d && *d)
        dir = d;
    return (dir / "demo" / "default-project.sniper.gz").string();
}

std::string bundledModelsDir() { return (fs::path(bundledProjectPath()).parent_path().parent_path() / "models").string(); }

Database openExistingProject(const std::string &path)
{
    const std::string p = path.empty() ? defaultProjectPath() : path;
    std::error_code ec;
    if (!fs::exists(p, ec) && p != defaultProjectPath())
        throw Error("no such project database", p);
    return openProject(p);
}

void gunzipFile(const std::string &source, const std::string &target)
{
    gzFile in = gzopen(source.c_str(), "rb");
    if (!in)
        throw Error("cannot open the compressed file", source);
    std::string tmp = target + ".part";
    std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
    if (!out) {
        gzclose(in);
        throw Error("cannot write", tmp);
    }
    char buffer[1 << 16];
    int n;
    while ((n = gzread(in, buffer, sizeof buffer)) > 0)
        out.write(buffer, n);
    int err = 0;
    const char *msg = gzerror(in, &err);
    gzclose(in);
    out.close();
    if (n < 0 || err < 0 || !out) {
        fs::remove(tmp);
        throw Error(std::string("the compressed file is damaged: ") + (msg ? msg : "read error"), source);
    }
    fs::rename(tmp, target);
}

Database openProject(const std::string &path, bool *createdFromBundle)
{
    bool created = false;
    std::error_code ec;
    if (path == defaultProjectPath() && !fs::exists(path, ec)) {
        fs::create_directories(fs::path(path).parent_path(), ec);
        std::string bundle = bundledProjectPath();
        if (fs::exists(bundle, ec)) {
            gunzipFile(bundle, path);
            created = true;
        }
    }
    Database db = Database::open(path, OpenMode::CreateIfMissing);
    if (created)
        ensureCurrentFeatures(db); // the bundle may predate this build's feature extractor
    if (createdFromBundle)
        *createdFromBundle = created;
    return db;
}

} // namespace sniper::db
