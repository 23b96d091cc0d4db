// The LibTorch runtime as a plugin (libsniper-torch-runtime.so) for the board agent, which links
// no LibTorch itself (devices/agent/agentruntime.cpp loads this with dlopen). The workbench and
// the CLI link the same runtime directly (runtime/platforms.cpp).

#include "runtime/torchruntime.h"

#include <exception>

extern "C" {

// ABI version of this entry point: the agent refuses a plugin of another version.
int sniper_torch_runtime_abi() { return 1; }

// A new TorchRuntime with the platform id and intra-op thread count; null on failure.
sniper::runtime::Runtime *sniper_create_torch_runtime(const char *id, int threads)
{
    try {
        return new sniper::runtime::TorchRuntime(id, threads);
    } catch (const std::exception &) {
        return nullptr;
    }
}
}
