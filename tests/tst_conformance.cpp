// ONNX operator conformance: every node test of Debian's libonnx-testdata whose operators the
// torch-cpu executor claims runs on torch-cpu-1t and matches the expected outputs.
// Shape-determining inputs (Reshape's shape, Slice's starts, ...) are bound as constants when
// they must be: the workbench's graphs have static shapes (docs/runtime.md).

#include "common/error.h"
#include "onnx/onnximport.h"
#include "runtime/runtime.h"
#include "runtime/torchops.h"

#include <onnx/onnx_pb.h>

#include <QtTest>

#include <cmath>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <set>

using namespace sniper;
namespace fs = std::filesystem;

namespace {

const char *kNodeTests = "/usr/share/libonnx-testdata/data/node";

bool readProto(const fs::path &p, google::protobuf::Message &m)
{
    std::ifstream in(p, std::ios::binary);
    return in && m.ParseFromIstream(&in);
}

// Expected values as doubles (any numeric dtype), with shape.
struct Expected {
    graph::Shape shape;
    std::vector<double> values;
    bool integral = false;
    bool supported = true;
};

Expected expectedOf(const ::onnx::TensorProto &t)
{
    Expected e;
    e.shape.assign(t.dims().begin(), t.dims().end());
    int64_t n = graph::numElements(e.shape);
    const std::string &raw = t.raw_data();
    auto rawAs = [&](auto sample) {
        using T = decltype(sample);
        for (int64_t i = 0; i < n; ++i) {
            T v;
            std::memcpy(&v, raw.data() + i * sizeof(T), sizeof(T));
            e.values.push_back(double(v));
        }
    };
    switch (t.data_type()) {
    case ::onnx::TensorProto::FLOAT:
        if (!raw.empty()) rawAs(float{}); else for (float v : t.float_data()) e.values.push_back(v);
        break;
    case ::onnx::TensorProto::DOUBLE:
        if (!raw.empty()) rawAs(double{}); else for (double v : t.double_data()) e.values.push_back(v);
        break;
    case ::onnx::TensorProto::INT64:
        e.integral = true;
        if (!raw.empty()) rawAs(int64_t{}); else for (int64_t v : t.int64_data()) e.values.push_back(double(v));
        break;
    case ::onnx::TensorProto::INT32:
        e.integral = true;
        if (!raw.empty()) rawAs(int32_t{}); else for (int32_t v : t.int32_data()) e.values.push_back(v);
        break;
    case ::onnx::TensorProto::BOOL: case ::onnx::TensorProto::UINT8:
        e.integral = true;
        if (!raw.empty()) rawAs(uint8_t{}); else for (int32_t v : t.int32_data()) e.values.push_back(v);
        break;
    case ::onnx::TensorProto::INT8:
        e.integral = true;
        if (!raw.empty()) rawAs(int8_t{}); else for (int32_t v : t.int32_data()) e.values.push_back(v);
        break;
    default:
        e.supported = false;
    }
    return e;
}

runtime::HostTensor hostOf(const ::onnx::TensorProto &t)
{
    // Re-use the importer's tensor decoding: a one-initializer model is overkill, so decode here.
    runtime::HostTensor h;
    h.dtype = graph::DType(t.data_type());
    h.shape.assign(t.dims().begin(), t.dims().end());
    Expected e = expectedOf(t);
    int es = graph::dtypeSize(h.dtype);
    h.bytes.resize(e.values.size() * size_t(es));
    for (size_t i = 0; i < e.values.size(); ++i) {
        double v = e.values[i];
        switch (h.dtype) {
        case graph::DType::Float: { float f = float(v); std::memcpy(&h.bytes[i * 4], &f, 4); break; }
        case graph::DType::Double: std::memcpy(&h.bytes[i * 8], &v, 8); break;
        case graph::DType::Int64: { int64_t x = int64_t(v); std::memcpy(&h.bytes[i * 8], &x, 8); break; }
        case graph::DType::Int32: { int32_t x = int32_t(v); std::memcpy(&h.bytes[i * 4], &x, 4); break; }
        default: h.bytes[i] = uint8_t(int(v)); break;
        }
    }
    return h;
}

std::vector<double> valuesOf(const runtime::HostTensor &h)
{
    std::vector<double> out;
    int64_t n = graph::numElements(h.shape);
    for (int64_t i = 0; i < n; ++i) {
        switch (h.dtype) {
        case graph::DType::Float: { float f; std::memcpy(&f, &h.bytes[size_t(i) * 4], 4); out.push_back(f); break; }
        case graph::DType::Double: { double d; std::memcpy(&d, &h.bytes[size_t(i) * 8], 8); out.push_back(d); break; }
        case graph::DType::Int64: { int64_t x; std::memcpy(&x, &h.bytes[size_t(i) * 8], 8); out.push_back(double(x)); break; }
        case graph::DType::Int32: { int32_t x; std::memcpy(&x, &h.bytes[size_t(i) * 4], 4); out.push_back(x); break; }
        case graph::DType::Int8: out.push_back(int8_t(h.bytes[size_t(i)])); break;
        default: out.push_back(h.bytes[size_t(i)]); break;
        }
    }
    return out;
}

// Moves graph inputs into initializers (with the test's data): the int64 ones, or all.
::onnx::ModelProto bindInputs(::onnx::ModelProto model, const std::vector<::onnx::TensorProto> &inputs, bool all)
{
    auto *g = model.mutable_graph();
    google::protobuf::RepeatedPtrField<::onnx::ValueInfoProto> kept;
    size_t k = 0;
    for (const auto &in : g->input()) {
        bool isInit = false;
        for (const auto &init : g->initializer())
            isInit = isInit || init.name() == in.name();
        if (isInit) {
            *kept.Add() = in;
            continue;
        }
        const ::onnx::TensorProto &data = inputs[k++];
        // Shape-determining inputs (shape, starts, pads, axes, repeats, ...) are int64 in ONNX.
        if (all || data.data_type() == ::onnx::TensorProto::INT64) {
            auto *t = g->add_initializer();
            *t = data;
            t->set_name(in.name());
        } else {
            *kept.Add() = in;
        }
    }
    *g->mutable_input() = kept;
    return model;
}

} // namespace

class TestConformance : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void nodeTests();
};

void TestConformance::nodeTests()
{
    QVERIFY2(fs::is_directory(kNodeTests), "libonnx-testdata is not installed (scripts/install-deps.sh)");
    std::set<std::string> claimed;
    for (graph::OpKind k : runtime::torchClaimedOperators())
        claimed.insert(std::string(graph::opInfo(k).name));
    auto rt = runtime::createRuntime("torch-cpu-1t");

    std::vector<fs::path> dirs;
    for (const auto &e : fs::directory_iterator(kNodeTests))
        if (e.is_directory())
            dirs.push_back(e.path());
    std::sort(dirs.begin(), dirs.end());

    int passed = 0, declared = 0, outOfScope = 0;
    std::vector<std::string> failures, declaredList;
    std::map<std::string, int> passedPerOp;
    for (const fs::path &dir : dirs) {
        ::onnx::ModelProto model;
        if (!readProto(dir / "model.onnx", model))
            continue;
        int64_t opset = 0;
        for (const auto &op : model.opset_import())
            if (op.domain().empty() || op.domain() == "ai.onnx")
                opset = op.version();
        // The importer's contract is opset 7-18; values must be tensors.
        bool inScope = model.graph().node_size() > 0 && opset >= 7;
        for (const auto &io : model.graph().input())
            inScope = inScope && io.type().has_tensor_type();
        for (const auto &io : model.graph().output())
            inScope = inScope && io.type().has_tensor_type();
        std::string ops;
        for (const auto &n : model.graph().node()) {
            inScope = inScope && claimed.count(n.op_type()) && (n.domain().empty() || n.domain() == "ai.onnx");
            ops += (ops.empty() ? "" : "+") + n.op_type();
        }
        std::vector<::onnx::TensorProto> inputs, outputs;
        for (int i = 0;; ++i) {
            ::onnx::TensorProto t;
            if (!readProto(dir / "test_data_set_0" / ("input_" + std::to_string(i) + ".pb"), t))
                break;
            inputs.push_back(t);
        }
        for (int i = 0;; ++i) {
            ::onnx::TensorProto t;
            if (!readProto(dir / "test_data_set_0" / ("output_" + std::to_string(i) + ".pb"), t))
                break;
            outputs.push_back(t);
        }
        for (const auto &t : inputs)
            inScope = inScope && expectedOf(t).supported;
        for (const auto &t : outputs)
            inScope = inScope && expectedOf(t).supported;
        if (!inScope) {
            ++outOfScope;
            continue;
        }
        const std::string name = dir.filename().string();
        // Import with runtime inputs; if a shape-determining input must be constant, bind it.
        graph::Graph g;
        ::onnx::ModelProto used = model;
        std::string importError;
        int attempt = 0;
        for (; attempt < 3; ++attempt) {
            if (attempt > 0)
                used = bindInputs(model, inputs, attempt == 2);
            std::string bytes;
            used.SerializeToString(&bytes);
            try {
                g = sniper::onnx::importOnnxBuffer(bytes.data(), bytes.size(), {}, name);
                importError.clear();
                break;
            } catch (const Error &e) {
                importError = e.what();
            }
        }
        if (!importError.empty()) {
            failures.push_back(name + " (" + ops + "): import: " + importError);
            continue;
        }
        std::string why = rt->unsupportedReason(g);
        if (!why.empty()) {
            ++declared;
            declaredList.push_back(name + ": " + why);
            continue;
        }
        std::vector<runtime::HostTensor> feed;
        for (int v : g.inputs)
            for (size_t i = 0; i < inputs.size(); ++i)
                if (model.graph().input_size() > int(i) && model.graph().input(int(i)).name() == g.values[v].name)
                    feed.push_back(hostOf(inputs[i]));
        std::vector<runtime::HostTensor> got;
        try {
            got = rt->prepare(g)->run(feed);
        } catch (const std::exception &e) {
            failures.push_back(name + " (" + ops + "): run: " + e.what());
            continue;
        }
        std::string mismatch;
        for (size_t o = 0; o < outputs.size() && mismatch.empty(); ++o) {
            Expected want = expectedOf(outputs[o]);
            if (o >= got.size()) {
                mismatch = "missing output " + std::to_string(o);
                break;
            }
            if (graph::numElements(got[o].shape) != graph::numElements(want.shape) ||
                (got[o].shape != want.shape && !want.shape.empty())) {
                mismatch = "output " + std::to_string(o) + " shape " + graph::shapeString(got[o].shape) + " vs " +
                           graph::shapeString(want.shape);
                break;
            }
            std::vector<double> have = valuesOf(got[o]);
            for (size_t i = 0; i < have.size(); ++i) {
                double a = have[i], b = want.values[i];
                bool ok = (std::isnan(a) && std::isnan(b)) || a == b ||
                          (!want.integral && std::fabs(a - b) <= 1e-5 + 1e-3 * std::fabs(b));
                if (!ok) {
                    mismatch = "output " + std::to_string(o) + "[" + std::to_string(i) + "] = " + std::to_string(a) +
                               ", expected " + std::to_string(b);
                    break;
                }
            }
        }
        if (!mismatch.empty()) {
            failures.push_back(name + " (" + ops + "): " + mismatch + " [inputs bound: " +
                               (attempt == 0 ? "none" : attempt == 1 ? "integer" : "all") + "]");
            continue;
        }
        ++passed;
        for (const auto &n : model.graph().node())
            ++passedPerOp[n.op_type()];
    }
    std::string claimedList, perOp;
    for (const auto &c : claimed)
        claimedList += c + " ";
    for (const auto &[op, n] : passedPerOp)
        perOp += op + ":" + std::to_string(n) + " ";
    qInfo("claimed operators (%zu): %s", claimed.size(), claimedList.c_str());
    qInfo("node tests passed per operator: %s", perOp.c_str());
    qInfo("passed %d, declared unsupported variants %d, out of scope (unclaimed operators or data types) %d", passed,
          declared, outOfScope);
    for (const auto &d : declaredList)
        qInfo("declared unsupported: %s", d.c_str());
    for (const auto &f : failures)
        qWarning("FAILED %s", f.c_str());
    QVERIFY(passed > 200);
    QVERIFY2(failures.empty(), qPrintable(QStringLiteral("%1 node tests failed").arg(failures.size())));
}

QTEST_APPLESS_MAIN(TestConformance)
#include "tst_conformance.moc"
