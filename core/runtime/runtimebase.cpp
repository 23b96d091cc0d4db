// The runtime pieces every program shares, the board agent included: tensors, platform ids,
// seeded weights, BLAS control. createRuntime() is in platforms.cpp (it needs LibTorch).

#include "runtime/runtime.h"

#include "common/error.h"

#include <dlfcn.h>
#include <link.h>
#if defined(__GLIBC__)
#include <malloc.h>
#endif

#include <algorithm>
#include <cstring>
#include <fstream>
#include <mutex>
#include <random>
#include <thread>

namespace sniper::runtime {

void stabilizeAllocator()
{
#if defined(__GLIBC__)
    static std::once_flag once;
    std::call_once(once, [] {
        mallopt(M_MMAP_THRESHOLD, int(4 * 1024 * 1024 * sizeof(long)));
        mallopt(M_TRIM_THRESHOLD, 1 << 30);
    });
#endif
}


using namespace sniper::graph;

std::vector<double> PreparedModel::nodeTimesMs(int)
{
    throw UnsupportedError("per-node timing is not available on this platform");
}

std::string PlatformInfo::description() const
{
    return id + ": " + framework + ", " + std::to_string(threads) + (threads == 1 ? " thread" : " threads") + ", BLAS " +
           blas + ", " + device;
}

std::vector<float> HostTensor::toFloats() const
{
    std::vector<float> out(size_t(numElements(shape)));
    for (size_t i = 0; i < out.size(); ++i) {
        switch (dtype) {
        case DType::Float: std::memcpy(&out[i], bytes.data() + i * 4, 4); break;
        case DType::Double: { double d; std::memcpy(&d, bytes.data() + i * 8, 8); out[i] = float(d); break; }
        case DType::Int64: { int64_t d; std::memcpy(&d, bytes.data() + i * 8, 8); out[i] = float(d); break; }
        case DType::Int32: { int32_t d; std::memcpy(&d, bytes.data() + i * 4, 4); out[i] = float(d); break; }
        case DType::Int8: out[i] = float(int8_t(bytes[i])); break;
        case DType::UInt8: case DType::Bool: out[i] = float(bytes[i]); break;
        default: throw Error(std::string("cannot convert ") + dtypeName(dtype) + " to float");
        }
    }
    return out;
}

HostTensor HostTensor::fromFloats(Shape shape, const std::vector<float> &values)
{
    HostTensor t;
    t.shape = std::move(shape);
    t.bytes.resize(values.size() * 4);
    std::memcpy(t.bytes.data(), values.data(), t.bytes.size());
    return t;
}

int platformThreads(const std::string &id, const std::string &prefix)
{
    if (id.rfind(prefix, 0) != 0)
        return 0;
    const std::string rest = id.substr(prefix.size());
    if (rest.size() < 2 || rest.back() != 't')
        return 0;
    try {
        size_t used = 0;
        const int t = std::stoi(rest.substr(0, rest.size() - 1), &used);
        return used == rest.size() - 1 && t >= 1 && t <= 256 ? t : 0;
    } catch (...) {
        return 0;
    }
}

Error unknownPlatform(const std::string &id, const std::vector<std::string> &known)
{
    std::string list;
    for (const auto &p : known)
        list += (list.empty() ? "" : ", ") + p;
    return Error("unknown platform '" + id + "' (local platforms: " + list + ")");
}

std::vector<std::string> localPlatformIds()
{
    int n = std::max(2u, std::thread::hardware_concurrency());
    std::string nt = std::to_string(n) + "t";
    return {"torch-cpu-1t", "torch-cpu-" + nt, "opencv-cpu-1t", "opencv-cpu-" + nt};
}

namespace {
int findBlas(struct dl_phdr_info *info, size_t, void *data)
{
    std::string name = info->dlpi_name ? info->dlpi_name : "";
    if (name.find("libblas.so") != std::string::npos || name.find("libopenblas") != std::string::npos) {
        *static_cast<std::string *>(data) = name;
        return 1;
    }
    return 0;
}
} // namespace

std::string blasLibrary()
{
    std::string path;
    dl_iterate_phdr(findBlas, &path);
    if (path.empty())
        return "none loaded";
    char resolved[4096];
    if (realpath(path.c_str(), resolved))
        path = resolved;
    if (path.find("openblas") != std::string::npos)
        return "OpenBLAS (" + path + ")";
    return "reference BLAS (" + path + ")";
}

void setBlasThreads(int threads)
{
    using SetThreads = void (*)(int);
    static SetThreads fn = reinterpret_cast<SetThreads>(dlsym(RTLD_DEFAULT, "openblas_set_num_threads"));
    if (fn)
        fn(threads);
}

int blasThreads()
{
    using GetThreads = int (*)();
    static GetThreads fn = reinterpret_cast<GetThreads>(dlsym(RTLD_DEFAULT, "openblas_get_num_threads"));
    return fn ? fn() : 1;
}

std::string cpuModelName()
{
    std::ifstream in("/proc/cpuinfo");
    std::string line;
    while (std::getline(in, line))
        if (line.rfind("model name", 0) == 0) {
            auto colon = line.find(':');
            return colon == std::string::npos ? line : line.substr(colon + 2);
        }
    return "unknown CPU";
}

void fillRandomWeights(Graph &g, uint64_t seed)
{
    // Which constants feed a BatchNormalization's variance (must stay positive).
    std::vector<char> isVariance(g.values.size(), 0);
    for (const Node &n : g.nodes)
        if (n.kind == OpKind::BatchNormalization && n.inputs.size() > 4 && n.inputs[4] >= 0)
            isVariance[n.inputs[4]] = 1;
    for (size_t v = 0; v < g.values.size(); ++v) {
        Value &val = g.values[v];
        if (!val.isConstant || val.hasData())
            continue;
        std::mt19937_64 rng(seed * 0x9E3779B97F4A7C15ull + v);
        int64_t n = val.elements();
        int64_t fanIn = val.shape.size() >= 2 ? n / std::max<int64_t>(1, val.shape[0]) : 1;
        double scale = isVariance[v] ? 0.5 : std::sqrt(3.0 / double(std::max<int64_t>(1, fanIn)));
        std::uniform_real_distribution<double> dist(-scale, scale);
        std::vector<double> values(static_cast<size_t>(n));
        for (double &x : values)
            x = isVariance[v] ? 1.0 + dist(rng) : (isFloating(val.dtype) ? dist(rng) : 0.0);
        auto bytes = std::make_shared<Bytes>(size_t(val.bytes()));
        for (size_t i = 0; i < values.size(); ++i) {
            if (val.dtype == DType::Float) {
                float f = float(values[i]);
                std::memcpy(bytes->data() + i * 4, &f, 4);
            } else if (val.dtype == DType::Double) {
                std::memcpy(bytes->data() + i * 8, &values[i], 8);
            }
        }
        val.data = bytes;
    }
}

} // namespace sniper::runtime
