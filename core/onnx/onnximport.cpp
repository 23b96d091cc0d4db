#include "onnx/onnximport.h"

#include "common/error.h"
#include "onnx/constantfold.h"
#include "onnx/shapeinference.h"

#include <onnx/onnx_pb.h>

#include <google/protobuf/io/coded_stream.h>
#include <google/protobuf/io/zero_copy_stream_impl_lite.h>

#include <charconv>
#include <climits>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <unordered_map>

namespace sniper::onnx {

using namespace sniper::graph;
namespace fs = std::filesystem;

namespace {

constexpr int64_t kMinOpset = 7;
constexpr int64_t kMaxOpset = 18;
constexpr int64_t kMaxDim = int64_t(1) << 31;

template <typename Src, typename Dst>
std::shared_ptr<const Bytes> packRepeated(const google::protobuf::RepeatedField<Src> &field)
{
    auto out = std::make_shared<Bytes>(size_t(field.size()) * sizeof(Dst));
    for (int i = 0; i < field.size(); ++i) {
        Dst v = Dst(field.Get(i));
        std::memcpy(out->data() + size_t(i) * sizeof(Dst), &v, sizeof(Dst));
    }
    return out;
}

class Importer {
public:
    Importer(const ImportOptions &opt, std::string label, std::string baseDir)
        : m_opt(opt), m_label(std::move(label)), m_baseDir(std::move(baseDir)) {}

    Graph run(const ::onnx::ModelProto &model)
    {
        if (model.ir_version() <= 0 || !model.has_graph())
            fail("not an ONNX model (no IR version or no graph); is it the right file?");
        m_g.opset = -1;
        for (const auto &op : model.opset_import())
            if (op.domain().empty() || op.domain() == "ai.onnx")
                m_g.opset = op.version();
        if (m_g.opset < 0)
            fail("the model imports no opset of the default ONNX domain");
        if (m_g.opset < kMinOpset || m_g.opset > kMaxOpset)
            fail("opset " + std::to_string(m_g.opset) + " is not supported (supported: " +
                 std::to_string(kMinOpset) + "-" + std::to_string(kMaxOpset) + ")");
        const auto &graph = model.graph();
        m_g.name = graph.name().empty() ? m_label : graph.name();
        if (graph.node_size() == 0)
            fail("the graph has no nodes");
        if (graph.output_size() == 0)
            fail("the graph has no outputs");

        for (const auto &t : graph.initializer())
            addConstant(t.name(), t, true);
        int firstInput = 0;
        for (const auto &in : graph.input()) {
            if (m_names.count(in.name()))
                continue; // an initializer listed as input (IR < 4)
            m_g.inputs.push_back(addInput(in, firstInput++ == 0));
        }
        for (int i = 0; i < graph.node_size(); ++i)
            addNode(graph.node(i), i);
        for (const auto &out : graph.output()) {
            auto it = m_names.find(out.name());
            if (it == m_names.end())
                fail("graph output '" + out.name() + "' is not produced by any node");
            m_g.outputs.push_back(it->second);
        }
        m_g.finalize();
        for (size_t v = 0; v < m_g.values.size(); ++v) {
            const Value &val = m_g.values[v];
            if (!val.isConstant && val.producer < 0 &&
                std::find(m_g.inputs.begin(), m_g.inputs.end(), int(v)) == m_g.inputs.end())
                fail("value '" + val.name + "' is used but no node, graph input or initializer defines it",
                     val.consumers.empty() ? std::string() : nodeWhere(m_g.nodes[val.consumers[0]]));
        }
        inferAndFold();
        simplify();
        return std::move(m_g);
    }

private:
    [[noreturn]] void fail(const std::string &what, const std::string &where = {}) const
    {
        throw Error(what, where.empty() ? m_label : m_label + ", " + where);
    }
    static std::string nodeWhere(const Node &n) { return "node '" + n.name + "' (" + n.opType + ")"; }

    void checkDims(const Shape &s, const std::string &what) const
    {
        int64_t total = 1;
        for (int64_t d : s) {
            if (d < 0)
                fail(what + " has a negative dimension " + std::to_string(d));
            if (d > kMaxDim || (d > 0 && total > (int64_t(1) << 40) / d))
                fail(what + " has an absurd size " + shapeString(s));
            total *= d;
        }
    }

    std::shared_ptr<const Bytes> tensorData(const ::onnx::TensorProto &t, const Value &v) const
    {
        const std::string what = "tensor '" + t.name() + "'";
        int64_t expected = v.bytes();
        if (t.data_location() == ::onnx::TensorProto::EXTERNAL)
            return externalData(t, expected, what);
        std::shared_ptr<const Bytes> data;
        if (!t.raw_data().empty()) {
            data = std::make_shared<Bytes>(t.raw_data().begin(), t.raw_data().end());
        } else {
            switch (v.dtype) {
            case DType::Float: if (t.float_data_size()) data = packRepeated<float, float>(t.float_data()); break;
            case DType::Double: if (t.double_data_size()) data = packRepeated<double, double>(t.double_data()); break;
            case DType::Int64: if (t.int64_data_size()) data = packRepeated<int64_t, int64_t>(t.int64_data()); break;
            case DType::UInt64: case DType::UInt32:
                if (t.uint64_data_size())
                    data = v.dtype == DType::UInt64 ? packRepeated<uint64_t, uint64_t>(t.uint64_data())
                                                    : packRepeated<uint64_t, uint32_t>(t.uint64_data());
                break;
            case DType::Int32: if (t.int32_data_size()) data = packRepeated<int32_t, int32_t>(t.int32_data()); break;
            case DType::Int16: if (t.int32_data_size()) data = packRepeated<int32_t, int16_t>(t.int32_data()); break;
            case DType::UInt16: case DType::Float16: case DType::BFloat16:
                if (t.int32_data_size()) data = packRepeated<int32_t, uint16_t>(t.int32_data());
                break;
            case DType::Int8: if (t.int32_data_size()) data = packRepeated<int32_t, int8_t>(t.int32_data()); break;
            case DType::UInt8: case DType::Bool:
                if (t.int32_data_size()) data = packRepeated<int32_t, uint8_t>(t.int32_data());
                break;
            default: fail(what + " has the unsupported data type " + std::to_string(t.data_type()));
            }
        }
        if (!data)
            return expected == 0 ? std::make_shared<Bytes>() : nullptr; // structure-only: shape, no data
        if (int64_t(data->size()) != expected)
            fail(what + " holds " + std::to_string(data->size()) + " bytes but its shape " + shapeString(v.shape) +
                 " needs " + std::to_string(expected));
        return data;
    }

    // External data is only read from the model's own folder (no absolute paths, no "..").
    std::shared_ptr<const Bytes> externalData(const ::onnx::TensorProto &t, int64_t expected, const std::string &what) const
    {
        std::string location;
        int64_t offset = 0, length = -1;
        // offset and length are decimal byte counts; anything else is malformed, not zero.
        auto count = [&](const std::string &key, const std::string &text) {
            int64_t v = 0;
            const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
            if (ec != std::errc() || end != text.data() + text.size() || text.empty() || v < 0)
                fail(what + " has an external data " + key + " '" + text.substr(0, 40) + "' that is not a byte count");
            return v;
        };
        for (const auto &kv : t.external_data()) {
            if (kv.key() == "location")
                location = kv.value();
            else if (kv.key() == "offset")
                offset = count("offset", kv.value());
            else if (kv.key() == "length")
                length = count("length", kv.value());
        }
        if (location.empty())
            fail(what + " is marked as external data but names no location");
        fs::path rel(location);
        if (rel.is_absolute() || rel.has_root_name() || rel.has_root_directory())
            fail(what + " points to external data at the absolute path '" + location +
                 "', outside the model's folder; only relative paths inside it are read");
        for (const auto &part : rel)
            if (part == "..")
                fail(what + " points to external data '" + location + "' outside the model's folder");
        if (!m_opt.loadWeights || m_baseDir.empty())
            return nullptr;
        fs::path full = fs::path(m_baseDir) / rel;
        std::error_code ec;
        if (!fs::is_regular_file(full, ec))
            return nullptr; // missing external data: import the structure, weights stay empty
        // A symbolic link inside the folder may still point outside it: follow links, then check.
        std::error_code realError, baseError;
        const fs::path real = fs::canonical(full, realError), base = fs::canonical(m_baseDir, baseError);
        const fs::path inside = real.lexically_relative(base);
        if (realError || baseError || inside.empty() || *inside.begin() == "..")
            fail(what + " points to external data '" + location + "' that resolves outside the model's folder (" +
                 real.string() + ")");
        if (length < 0)
            length = expected;
        if (length != expected)
            fail(what + " external data length " + std::to_string(length) + " does not match its shape (" +
                 std::to_string(expected) + " bytes)");
        const uint64_t size = fs::file_size(full, ec);
        if (ec || uint64_t(offset) > size || uint64_t(length) > size - uint64_t(offset))
            fail(what + " external data range [" + std::to_string(offset) + ", " +
                 std::to_string(uint64_t(offset) + uint64_t(length)) +
                 ") lies outside '" + location + "' (" + std::to_string(size) + " bytes)");
        std::ifstream in(full, std::ios::binary);
        auto data = std::make_shared<Bytes>(size_t(length));
        in.seekg(offset);
        in.read(reinterpret_cast<char *>(data->data()), length);
        if (!in)
            fail("could not read external data '" + location + "' of " + what);
        return data;
    }

    int addConstant(const std::string &name, const ::onnx::TensorProto &t, bool fromInitializer)
    {
        Value v;
        v.name = name;
        v.dtype = DType(t.data_type());
        if (dtypeSize(v.dtype) == 0)
            fail("tensor '" + name + "' has the unsupported data type " + std::to_string(t.data_type()));
        v.shape.assign(t.dims().begin(), t.dims().end());
        checkDims(v.shape, "tensor '" + name + "'");
        v.isConstant = true;
        v.isParameter = isFloating(v.dtype) && v.elements() > 1;
        (void)fromInitializer;
        v.data = tensorData(t, v);
        return define(std::move(v));
    }

    int define(Value v)
    {
        auto it = m_names.find(v.name);
        if (it != m_names.end()) {
            Value &existing = m_g.values[it->second];
            if (existing.isConstant || existing.producer >= 0 || m_defined.count(it->second))
                fail("the name '" + v.name + "' is defined twice");
            existing = std::move(v); // a forward reference from an earlier node
            m_defined.insert({it->second, true});
            return it->second;
        }
        std::string name = v.name;
        int idx = m_g.addValue(std::move(v));
        m_names[name] = idx;
        m_defined.insert({idx, true});
        return idx;
    }

    int use(const std::string &name)
    {
        if (name.empty())
            return -1;
        auto it = m_names.find(name);
        if (it != m_names.end())
            return it->second;
        Value v;
        v.name = name;
        int idx = m_g.addValue(std::move(v));
        m_names[name] = idx;
        return idx;
    }

    int addInput(const ::onnx::ValueInfoProto &in, bool first)
    {
        const std::string what = "input '" + in.name() + "'";
        if (!in.type().has_tensor_type())
            fail(what + " is not a tensor");
        const auto &tt = in.type().tensor_type();
        Value v;
        v.name = in.name();
        v.dtype = DType(tt.elem_type());
        auto given = m_opt.inputShapes.find(in.name());
        if (given == m_opt.inputShapes.end() && first)
            given = m_opt.inputShapes.find("");
        if (given != m_opt.inputShapes.end()) {
            if (tt.has_shape() && tt.shape().dim_size() != int(given->second.size()))
                fail(what + " has rank " + std::to_string(tt.shape().dim_size()) + " but the given shape " +
                     shapeString(given->second) + " has rank " + std::to_string(given->second.size()));
            v.shape = given->second;
        } else {
            if (!tt.has_shape())
                fail(what + " has no shape; give one with --input-shape");
            for (int d = 0; d < tt.shape().dim_size(); ++d) {
                const auto &dim = tt.shape().dim(d);
                if (dim.has_dim_value()) {
                    v.shape.push_back(dim.dim_value());
                    continue;
                }
                std::string param = dim.has_dim_param() ? dim.dim_param() : std::string();
                auto value = m_opt.dimValues.find(param);
                if (!param.empty() && value != m_opt.dimValues.end())
                    v.shape.push_back(value->second);
                else if (d == 0)
                    v.shape.push_back(m_opt.defaultBatch);
                else
                    fail(what + " has the symbolic dimension '" + (param.empty() ? "?" : param) + "' at axis " +
                         std::to_string(d) + " and no value was given; pass --input-shape (e.g. 1x3x224x224) or --dim " +
                         (param.empty() ? "NAME" : param) + "=VALUE");
            }
        }
        for (int64_t d : v.shape)
            if (d == 0)
                fail(what + " has a zero dimension in " + shapeString(v.shape));
        checkDims(v.shape, what);
        return define(std::move(v));
    }

    Attribute convertAttribute(const ::onnx::AttributeProto &a, const std::string &where)
    {
        Attribute out;
        out.name = a.name();
        switch (a.type()) {
        case ::onnx::AttributeProto::INT: out.kind = Attribute::Kind::Int; out.i = a.i(); break;
        case ::onnx::AttributeProto::FLOAT: out.kind = Attribute::Kind::Float; out.f = a.f(); break;
        case ::onnx::AttributeProto::STRING: out.kind = Attribute::Kind::String; out.s = a.s(); break;
        case ::onnx::AttributeProto::INTS:
            out.kind = Attribute::Kind::Ints;
            out.ints.assign(a.ints().begin(), a.ints().end());
            break;
        case ::onnx::AttributeProto::FLOATS:
            out.kind = Attribute::Kind::Floats;
            out.floats.assign(a.floats().begin(), a.floats().end());
            break;
        case ::onnx::AttributeProto::TENSOR: {
            out.kind = Attribute::Kind::Tensor;
            Value tmp;
            tmp.dtype = DType(a.t().data_type());
            tmp.shape.assign(a.t().dims().begin(), a.t().dims().end());
            checkDims(tmp.shape, "attribute '" + a.name() + "' of " + where);
            out.tensorType = tmp.dtype;
            out.tensorShape = tmp.shape;
            out.tensorData = tensorData(a.t(), tmp);
            break;
        }
        default:
            fail("attribute '" + a.name() + "' has a type the importer does not handle", where);
        }
        return out;
    }

    void addNode(const ::onnx::NodeProto &p, int index)
    {
        Node n;
        n.opType = p.op_type();
        n.name = p.name().empty() ? p.op_type() + "_" + std::to_string(index) : p.name();
        const std::string where = nodeWhere(n);
        if (!p.domain().empty() && p.domain() != "ai.onnx")
            fail("unsupported operator '" + p.op_type() + "' from domain '" + p.domain() + "'", where);
        n.kind = opKindFromName(p.op_type());
        if (n.kind == OpKind::Unknown)
            fail("unsupported operator '" + p.op_type() + "'", where);
        if (n.kind == OpKind::Constant) {
            addConstantNode(p, where);
            return;
        }
        for (const auto &a : p.attribute())
            n.attributes.push_back(convertAttribute(a, where));
        for (const auto &in : p.input())
            n.inputs.push_back(use(in));
        for (const auto &out : p.output()) {
            if (out.empty())
                continue;
            Value v;
            v.name = out;
            n.outputs.push_back(define(std::move(v)));
        }
        m_g.nodes.push_back(std::move(n));
    }

    void addConstantNode(const ::onnx::NodeProto &p, const std::string &where)
    {
        if (p.output_size() != 1 || p.attribute_size() != 1)
            fail("a Constant node needs one output and one value attribute", where);
        const auto &a = p.attribute(0);
        ::onnx::TensorProto t;
        if (a.name() == "value") {
            t = a.t();
        } else if (a.name() == "value_float") {
            t.set_data_type(::onnx::TensorProto::FLOAT);
            t.add_float_data(a.f());
        } else if (a.name() == "value_floats") {
            t.set_data_type(::onnx::TensorProto::FLOAT);
            t.add_dims(a.floats_size());
            *t.mutable_float_data() = a.floats();
        } else if (a.name() == "value_int") {
            t.set_data_type(::onnx::TensorProto::INT64);
            t.add_int64_data(a.i());
        } else if (a.name() == "value_ints") {
            t.set_data_type(::onnx::TensorProto::INT64);
            t.add_dims(a.ints_size());
            *t.mutable_int64_data() = a.ints();
        } else {
            fail("Constant attribute '" + a.name() + "' is not supported", where);
        }
        t.set_name(p.output(0));
        addConstant(p.output(0), t, false);
    }

    void inferAndFold()
    {
        m_folded.assign(m_g.nodes.size(), false);
        for (size_t i = 0; i < m_g.nodes.size(); ++i) {
            const Node &n = m_g.nodes[i];
            inferNodeShapes(m_g, n, m_g.opset);
            bool allConstant = !n.inputs.empty();
            bool fromParameter = false;
            for (int in : n.inputs) {
                if (in < 0)
                    continue;
                allConstant = allConstant && m_g.values[in].isConstant;
                fromParameter = fromParameter || m_g.values[in].isParameter;
            }
            // Shape only reads the (static) shape, so it always folds.
            if ((!allConstant && n.kind != OpKind::Shape) || !isFoldable(m_g, n))
                continue;
            for (int o : n.outputs) {
                Value &out = m_g.values[o];
                out.isConstant = true;
                out.isParameter = fromParameter && isFloating(out.dtype) && out.elements() > 1;
            }
            try {
                evaluateConstantNode(m_g, n);
            } catch (const Error &e) {
                fail(e.problem(), nodeWhere(n));
            }
            m_folded[i] = true;
        }
    }

    // Drops folded nodes and pass-through nodes (Identity, Dropout), then unused values.
    void simplify()
    {
        std::vector<int> alias(m_g.values.size());
        for (size_t v = 0; v < alias.size(); ++v)
            alias[v] = int(v);
        std::vector<char> isOutput(m_g.values.size(), 0);
        for (int o : m_g.outputs)
            isOutput[o] = 1;
        std::vector<Node> kept;
        for (size_t i = 0; i < m_g.nodes.size(); ++i) {
            Node &n = m_g.nodes[i];
            for (int &in : n.inputs)
                if (in >= 0)
                    in = alias[in];
            if (m_folded[i])
                continue;
            bool passThrough = (n.kind == OpKind::Identity || n.kind == OpKind::Dropout) && !isOutput[n.outputs[0]];
            if (passThrough) {
                alias[n.outputs[0]] = n.inputs[0];
                continue;
            }
            kept.push_back(std::move(n));
        }
        m_g.nodes = std::move(kept);
        // BatchNormalization's running mean and variance are buffers, not parameters.
        std::vector<char> usedAsParameter(m_g.values.size(), 0);
        for (const Node &n : m_g.nodes)
            for (size_t k = 0; k < n.inputs.size(); ++k)
                if (n.inputs[k] >= 0 && !(n.kind == OpKind::BatchNormalization && k >= 3))
                    usedAsParameter[n.inputs[k]] = 1;
        for (size_t v = 0; v < m_g.values.size(); ++v)
            if (!usedAsParameter[v])
                m_g.values[v].isParameter = false;
        compactValues();
        m_g.finalize();
    }

    void compactValues()
    {
        std::vector<char> used(m_g.values.size(), 0);
        for (const Node &n : m_g.nodes) {
            for (int v : n.inputs)
                if (v >= 0)
                    used[v] = 1;
            for (int v : n.outputs)
                used[v] = 1;
        }
        for (int v : m_g.inputs)
            used[v] = 1;
        for (int v : m_g.outputs)
            used[v] = 1;
        std::vector<int> remap(m_g.values.size(), -1);
        std::vector<Value> values;
        for (size_t v = 0; v < m_g.values.size(); ++v) {
            if (!used[v])
                continue;
            remap[v] = int(values.size());
            values.push_back(std::move(m_g.values[v]));
        }
        m_g.values = std::move(values);
        auto fix = [&](std::vector<int> &ids) {
            for (int &v : ids)
                if (v >= 0)
                    v = remap[v];
        };
        for (Node &n : m_g.nodes) {
            fix(n.inputs);
            fix(n.outputs);
        }
        fix(m_g.inputs);
        fix(m_g.outputs);
    }

    const ImportOptions &m_opt;
    std::string m_label;
    std::string m_baseDir;
    Graph m_g;
    std::unordered_map<std::string, int> m_names;
    std::unordered_map<int, bool> m_defined;
    std::vector<bool> m_folded;
};

} // namespace

Graph importOnnxBuffer(const void *data, size_t size, const ImportOptions &options, const std::string &label,
                       const std::string &baseDir)
{
    if (size == 0)
        throw Error("the file is empty", label);
    if (size > size_t(INT_MAX))
        throw Error("the file is larger than 2 GiB; store the weights as external data", label);
    ::onnx::ModelProto model;
    google::protobuf::io::ArrayInputStream raw(data, int(size));
    google::protobuf::io::CodedInputStream coded(&raw);
    coded.SetTotalBytesLimit(INT_MAX);
    if (!model.ParseFromCodedStream(&coded) || !coded.ConsumedEntireMessage())
        throw Error("not a valid ONNX model: the protobuf data could not be parsed (truncated or not an ONNX file?)",
                    label);
    return Importer(options, label, baseDir).run(model);
}

Graph importOnnxFile(const std::string &path, const ImportOptions &options)
{
    std::error_code ec;
    if (!fs::exists(path, ec))
        throw Error("the file does not exist", path);
    if (!fs::is_regular_file(path, ec))
        throw Error("not a regular file", path);
    std::ifstream in(path, std::ios::binary | std::ios::ate);
    if (!in)
        throw Error("the file cannot be opened for reading", path);
    std::streamsize size = in.tellg();
    in.seekg(0);
    std::string buffer(size_t(size), '\0');
    if (size > 0 && !in.read(buffer.data(), size))
        throw Error("the file could not be read", path);
    std::string baseDir = fs::path(path).parent_path().string();
    return importOnnxBuffer(buffer.data(), buffer.size(), options, path, baseDir.empty() ? "." : baseDir);
}

Shape parseShape(const std::string &text)
{
    Shape s;
    std::string cur;
    auto flush = [&]() {
        if (cur.empty())
            throw Error("malformed shape '" + text + "': expected numbers separated by 'x' (e.g. 1x3x224x224)");
        size_t pos = 0;
        long long v = 0;
        try {
            v = std::stoll(cur, &pos);
        } catch (...) {
            pos = 0;
        }
        if (pos != cur.size() || v <= 0 || v > kMaxDim)
            throw Error("malformed shape '" + text + "': '" + cur + "' is not a positive dimension");
        s.push_back(v);
        cur.clear();
    };
    for (char ch : text) {
        if (ch == 'x' || ch == 'X' || ch == ',')
            flush();
        else if (ch != ' ')
            cur += ch;
    }
    flush();
    return s;
}

} // namespace sniper::onnx
