#pragma once

// Platforms (SPEC §5): a runtime executes an IR graph on this machine. Platforms are black
// boxes identified by id; what a platform cannot run yields an "unsupported" answer naming the
// operator and node, never a crash.

#include "common/error.h"
#include "graph/graph.h"
#include "runtime/measurement.h"

#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

namespace sniper::runtime {

struct PlatformInfo {
    std::string id;          // "torch-cpu-1t"
    std::string framework;   // "LibTorch 1.13.1 (ATen)", "OpenCV 4.6.0 dnn"
    std::string device;      // CPU model name
    std::string blas;        // BLAS library in use ("OpenBLAS (pthread)", "reference BLAS", "-")
    int threads = 1;
    std::string description() const; // one line for people
};

// A dense host tensor: dtype, shape, little-endian bytes.
struct HostTensor {
    graph::DType dtype = graph::DType::Float;
    graph::Shape shape;
    graph::Bytes bytes;
    std::vector<float> toFloats() const; // converts any numeric dtype
    static HostTensor fromFloats(graph::Shape shape, const std::vector<float> &values);
};

// Thrown when a platform cannot run a model: names the operator and the node.
class UnsupportedError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

// A model prepared for repeated execution on one platform.
class PreparedModel {
public:
    virtual ~PreparedModel() = default;
    // One inference on the given inputs (graph input order); returns the graph outputs.
    virtual std::vector<HostTensor> run(const std::vector<HostTensor> &inputs) = 0;
    // One inference on the fixed inputs made by prepare(); the timed operation.
    virtual void runTimed() = 0;
    // Median wall time of each graph node (graph node order) over `repeats` runs of the fixed
    // inputs after one warm-up; for per-layer profiles (JPS f). Throws UnsupportedError where
    // the platform cannot time single nodes.
    virtual std::vector<double> nodeTimesMs(int repeats);
};

class Runtime {
public:
    virtual ~Runtime() = default;
    virtual PlatformInfo info() const = 0;
    // Empty when the platform can run the graph, else the reason ("operator 'X' at node 'Y' ...").
    virtual std::string unsupportedReason(const graph::Graph &g) const = 0;
    // Constants without data get seeded random weights (fillRandomWeights). Throws
    // UnsupportedError, or sniper::Error for invalid graphs.
    virtual std::unique_ptr<PreparedModel> prepare(const graph::Graph &g, uint64_t seed = 1) = 0;
};

// Local platforms of this machine: torch-cpu-1t, torch-cpu-Nt, opencv-cpu-1t, opencv-cpu-Nt
// (N = hardware threads, at least 2).
std::vector<std::string> localPlatformIds();
std::unique_ptr<Runtime> createRuntime(const std::string &platformId); // throws sniper::Error for unknown ids
// The thread count of "<prefix><N>t" (e.g. "torch-cpu-" + "2t"), 0 when `id` is not of that form.
int platformThreads(const std::string &id, const std::string &prefix);
// "unknown platform 'X' (local platforms: ...)".
Error unknownPlatform(const std::string &id, const std::vector<std::string> &known);

// Gives every constant without data seeded random values: weights ~ U(-a, a) with a fan-in
// scale, BatchNormalization variances in [0.5, 1.5], so outputs stay finite and comparable.
void fillRandomWeights(graph::Graph &g, uint64_t seed);

// The CPU's model name from /proc/cpuinfo, for platform descriptions.
std::string cpuModelName();

// Which BLAS the process uses (resolved from the loaded libblas), for platform descriptions.
std::string blasLibrary();
// glibc's malloc serves large blocks with mmap and moves that threshold with the history of
// frees, so the same network could get fresh, page-faulting buffers on every run after one
// preparation and reused heap buffers after another: latency modes up to 2x apart between
// preparations (docs/runtime.md). Fixes the threshold at glibc's maximum (32 MB on 64-bit) and
// turns off trimming, once per process; createRuntime() and the agent call it. No-op elsewhere.
void stabilizeAllocator();
// Pins OpenBLAS' own thread pool (when OpenBLAS is the BLAS in use).
void setBlasThreads(int threads);
// OpenBLAS' current thread count; 1 when another BLAS is in use.
int blasThreads();

} // namespace sniper::runtime
