#include "onnx/onnxexport.h"

#include "common/error.h"

#include <onnx/checker.h>
#include <onnx/onnx_pb.h>
#include <onnx/shape_inference/implementation.h>

#include <filesystem>
#include <fstream>

namespace sniper::onnx {

using namespace sniper::graph;

namespace {

void writeTensor(const Value &v, ::onnx::TensorProto &t, bool zeroFill)
{
    t.set_name(v.name);
    t.set_data_type(int(v.dtype));
    for (int64_t d : v.shape)
        t.add_dims(d);
    if (v.data)
        t.set_raw_data(v.data->data(), v.data->size());
    else if (zeroFill)
        t.set_raw_data(std::string(size_t(v.bytes()), '\0'));
}

void writeValueInfo(const Value &v, ::onnx::ValueInfoProto &info)
{
    info.set_name(v.name);
    auto *tt = info.mutable_type()->mutable_tensor_type();
    tt->set_elem_type(int(v.dtype));
    auto *shape = tt->mutable_shape();
    for (int64_t d : v.shape)
        shape->add_dim()->set_dim_value(d);
}

void writeAttribute(const Attribute &a, ::onnx::AttributeProto &p)
{
    p.set_name(a.name);
    switch (a.kind) {
    case Attribute::Kind::Int: p.set_type(::onnx::AttributeProto::INT); p.set_i(a.i); break;
    case Attribute::Kind::Float: p.set_type(::onnx::AttributeProto::FLOAT); p.set_f(float(a.f)); break;
    case Attribute::Kind::String: p.set_type(::onnx::AttributeProto::STRING); p.set_s(a.s); break;
    case Attribute::Kind::Ints:
        p.set_type(::onnx::AttributeProto::INTS);
        for (int64_t x : a.ints)
            p.add_ints(x);
        break;
    case Attribute::Kind::Floats:
        p.set_type(::onnx::AttributeProto::FLOATS);
        for (double x : a.floats)
            p.add_floats(float(x));
        break;
    case Attribute::Kind::Tensor: {
        p.set_type(::onnx::AttributeProto::TENSOR);
        Value tmp;
        tmp.name = a.name;
        tmp.dtype = a.tensorType;
        tmp.shape = a.tensorShape;
        tmp.data = a.tensorData;
        writeTensor(tmp, *p.mutable_t(), true);
        break;
    }
    }
}

} // namespace

std::string exportOnnx(const Graph &g, const ExportOptions &options)
{
    ::onnx::ModelProto model;
    // IR version 8 is what ONNX 1.12 writes for opsets up to 17.
    model.set_ir_version(g.opset >= 15 ? 8 : 7);
    model.set_producer_name(options.producer);
    auto *op = model.add_opset_import();
    op->set_domain("");
    op->set_version(g.opset);
    auto *graph = model.mutable_graph();
    graph->set_name(g.name.empty() ? "graph" : g.name);
    for (int v : g.inputs)
        writeValueInfo(g.values[v], *graph->add_input());
    for (int v : g.outputs)
        writeValueInfo(g.values[v], *graph->add_output());
    std::vector<char> isIo(g.values.size(), 0);
    for (int v : g.inputs)
        isIo[v] = 1;
    for (int v : g.outputs)
        isIo[v] = 1;
    for (const Value &v : g.values) {
        if (v.isConstant)
            writeTensor(v, *graph->add_initializer(), options.zeroFillMissingData);
    }
    for (const Node &n : g.nodes) {
        auto *p = graph->add_node();
        p->set_name(n.name);
        p->set_op_type(n.opType);
        for (int in : n.inputs)
            p->add_input(in >= 0 ? g.values[in].name : std::string());
        for (int out : n.outputs) {
            p->add_output(g.values[out].name);
            if (!isIo[out])
                writeValueInfo(g.values[out], *graph->add_value_info());
        }
        for (const Attribute &a : n.attributes)
            writeAttribute(a, *p->add_attribute());
    }
    std::string bytes;
    if (!model.SerializeToString(&bytes))
        throw Error("the model could not be serialized (over 2 GiB?)", g.name);
    return bytes;
}

void exportOnnxFile(const Graph &g, const std::string &path, const ExportOptions &options)
{
    std::string bytes = exportOnnx(g, options);
    // Write next to the target, then rename: a failed export never leaves a half file.
    std::string tmp = path + ".part";
    {
        std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
        if (!out)
            throw Error("cannot open the file for writing", path);
        out.write(bytes.data(), std::streamsize(bytes.size()));
        if (!out)
            throw Error("writing failed (disk full?)", path);
    }
    std::error_code ec;
    std::filesystem::rename(tmp, path, ec);
    if (ec)
        throw Error("cannot rename " + tmp + ": " + ec.message(), path);
}

void checkOnnxFile(const std::string &path)
{
    try {
        ::onnx::checker::check_model(path);
        ::onnx::ModelProto model;
        std::ifstream in(path, std::ios::binary);
        if (!model.ParseFromIstream(&in))
            throw Error("cannot parse", path);
        // The "full check": strict shape and type inference over the whole graph.
        ::onnx::shape_inference::InferShapes(model, ::onnx::OpSchemaRegistry::Instance(),
                                             ::onnx::ShapeInferenceOptions(true, 1, false));
    } catch (const Error &) {
        throw;
    } catch (const std::exception &e) {
        throw Error(std::string("onnx::checker rejected the model: ") + e.what(), path);
    }
}

} // namespace sniper::onnx
