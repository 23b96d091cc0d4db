// createRuntime(): the local platforms of the workbench, both runtimes linked in. The board
// agent has its own factory (devices/agent/agentruntime.cpp) that loads LibTorch as a plugin.

#include "runtime/runtime.h"

#include "common/error.h"
#include "runtime/opencvruntime.h"
#include "runtime/torchruntime.h"

namespace sniper::runtime {

std::unique_ptr<Runtime> createRuntime(const std::string &id)
{
    stabilizeAllocator();
    if (int t = platformThreads(id, "torch-cpu-"))
        return std::make_unique<TorchRuntime>(id, t);
    if (int t = platformThreads(id, "opencv-cpu-"))
        return std::make_unique<OpenCvRuntime>(id, t);
    throw unknownPlatform(id, localPlatformIds());
}

} // namespace sniper::runtime
