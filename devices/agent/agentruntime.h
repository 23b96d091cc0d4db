#pragma once

// The platforms of the board agent: OpenCV dnn linked in, LibTorch loaded on demand from the
// plugin libsniper-torch-runtime.so, so the agent binary itself needs neither Qt nor SQLite
// (Debian's libtorch_cpu pulls both in through OpenCV's highgui and imgcodecs). The plugin is
// looked up in $SNIPER_TORCH_PLUGIN (only there when it is set), else next to the agent binary,
// then where the build put it.

#include "runtime/runtime.h"

#include <memory>
#include <string>
#include <vector>

namespace sniper::agent {

// The platforms this board can run: opencv-cpu-1t/Nt always, torch-cpu-1t/Nt when the plugin loads.
std::vector<std::string> agentPlatformIds();
// Throws sniper::Error for an unknown id, or for a torch id when the plugin cannot be loaded
// (naming every place tried and dlopen's reason).
std::unique_ptr<runtime::Runtime> createAgentRuntime(const std::string &id);
// Where the plugin was loaded from, or why it could not be ("" before the first attempt).
std::string torchPluginStatus();

} // namespace sniper::agent
