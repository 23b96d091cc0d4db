#include "agentruntime.h"

#include "common/error.h"
#include "runtime/opencvruntime.h"

#include <dlfcn.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <mutex>

namespace sniper::agent {

namespace {

using CreateFn = runtime::Runtime *(*)(const char *, int);
using AbiFn = int (*)();
constexpr const char *kPluginName = "libsniper-torch-runtime.so";

struct Plugin {
    CreateFn create = nullptr;
    std::string status;
};

std::string selfDirectory()
{
    std::error_code ec;
    const auto exe = std::filesystem::read_symlink("/proc/self/exe", ec);
    return ec ? std::string() : exe.parent_path().string();
}

const Plugin &plugin()
{
    static Plugin p;
    static std::once_flag once;
    std::call_once(once, [] {
        std::vector<std::string> candidates;
        if (const char *env = std::getenv("SNIPER_TORCH_PLUGIN"); env && *env) {
            candidates.push_back(env); // an explicit choice: nowhere else
        } else {
            if (const std::string dir = selfDirectory(); !dir.empty())
                candidates.push_back(dir + "/" + kPluginName);
#ifdef SNIPER_TORCH_PLUGIN_PATH
            candidates.push_back(SNIPER_TORCH_PLUGIN_PATH);
#endif
        }
        std::string tried;
        for (const auto &path : candidates) {
            if (access(path.c_str(), R_OK) != 0) {
                tried += (tried.empty() ? "" : "; ") + path + ": not there";
                continue;
            }
            void *handle = dlopen(path.c_str(), RTLD_NOW | RTLD_LOCAL);
            if (!handle) {
                tried += (tried.empty() ? "" : "; ") + path + ": " + dlerror();
                continue;
            }
            auto abi = reinterpret_cast<AbiFn>(dlsym(handle, "sniper_torch_runtime_abi"));
            auto create = reinterpret_cast<CreateFn>(dlsym(handle, "sniper_create_torch_runtime"));
            if (!abi || !create || abi() != 1) {
                tried += (tried.empty() ? "" : "; ") + path + ": not a sniper LibTorch runtime plugin of ABI 1";
                dlclose(handle);
                continue;
            }
            p.create = create; // kept loaded for the life of the process
            p.status = "loaded " + path;
            return;
        }
        p.status = "not loaded: " + tried;
    });
    return p;
}

} // namespace

std::vector<std::string> agentPlatformIds()
{
    std::vector<std::string> out;
    for (const auto &id : runtime::localPlatformIds())
        if (id.rfind("opencv-", 0) == 0 || plugin().create)
            out.push_back(id);
    return out;
}

std::unique_ptr<runtime::Runtime> createAgentRuntime(const std::string &id)
{
    runtime::stabilizeAllocator();
    if (int t = runtime::platformThreads(id, "opencv-cpu-"))
        return std::make_unique<runtime::OpenCvRuntime>(id, t);
    if (int t = runtime::platformThreads(id, "torch-cpu-")) {
        const Plugin &p = plugin();
        if (!p.create)
            throw Error("platform '" + id + "' needs the LibTorch runtime plugin " + std::string(kPluginName) + ", " +
                            p.status,
                        "sniper-agent");
        std::unique_ptr<runtime::Runtime> rt(p.create(id.c_str(), t));
        if (!rt)
            throw Error("the LibTorch runtime plugin could not create platform '" + id + "'", "sniper-agent");
        return rt;
    }
    throw runtime::unknownPlatform(id, agentPlatformIds());
}

std::string torchPluginStatus() { return plugin().status; }

} // namespace sniper::agent
