#include "features/inspect.h"

#include "common/error.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <filesystem>
#include <iomanip>
#include <ostream>

namespace sniper::features {

namespace fs = std::filesystem;
using namespace sniper::graph;

ModelReport analyzeGraph(Graph g, const std::string &source, const FeatureOptions &opt)
{
    ModelReport r;
    r.source = source;
    r.graph = std::move(g);
    r.cost = computeCosts(r.graph);
    r.dag = buildLayerDag(r.graph);
    r.criticalPath = criticalPath(r.graph, r.cost, r.dag);
    r.lineStructure = isLineStructure(r.dag);
    r.branches = branchRegions(r.dag);
    r.features = extractFeatures(r.graph, r.cost, r.dag, r.criticalPath, opt);
    return r;
}

ModelReport inspectModel(const std::string &path, const onnx::ImportOptions &importOptions, const FeatureOptions &opt)
{
    onnx::ImportOptions io = importOptions;
    io.loadWeights = false; // features need shapes only
    return analyzeGraph(onnx::importOnnxFile(path, io), path, opt);
}

nlohmann::json reportToJson(const ModelReport &r, bool withNodes)
{
    using nlohmann::json;
    const Graph &g = r.graph;
    json j;
    j["model"] = r.source;
    j["opset"] = g.opset;
    json inputs = json::array();
    for (int v : g.inputs)
        inputs.push_back({{"name", g.values[v].name}, {"shape", g.values[v].shape}, {"dtype", dtypeName(g.values[v].dtype)}});
    j["inputs"] = inputs;
    json outputs = json::array();
    for (int v : g.outputs)
        outputs.push_back({{"name", g.values[v].name}, {"shape", g.values[v].shape}});
    j["outputs"] = outputs;
    j["nodes"] = g.nodes.size();
    j["layers"] = r.dag.layers.size();
    j["macs"] = r.cost.macs;
    j["flops"] = r.cost.flops;
    j["params"] = r.cost.params;
    j["memory_access_bytes"] = r.cost.memoryAccess;
    j["line_structure"] = r.lineStructure;
    json cp = json::array();
    for (int n : r.criticalPath.nodes)
        cp.push_back(g.nodes[n].name);
    j["critical_path"] = {{"nodes", cp}, {"macs", r.criticalPath.macs}, {"params", r.criticalPath.params}};
    json branches = json::array();
    for (const BranchRegion &b : r.branches)
        branches.push_back({{"fork", b.fork >= 0 ? g.nodes[b.fork].name : std::string("input")},
                            {"join", b.join >= 0 ? g.nodes[b.join].name : std::string("output")},
                            {"width", b.width}, {"layers", b.nodes.size()}});
    j["branches"] = branches;
    json feats = json::object();
    const auto &table = featureTable();
    for (size_t i = 0; i < table.size(); ++i)
        feats[table[i].name] = r.features.values[i];
    j["features"] = feats;
    j["structure_class"] = r.features.structureClass;
    j["required_operators"] = r.features.requiredOperators;
    if (withNodes) {
        json nodes = json::array();
        for (size_t i = 0; i < g.nodes.size(); ++i) {
            const Node &n = g.nodes[i];
            const NodeCost &c = r.cost.nodes[i];
            json outShapes = json::array();
            for (int o : n.outputs)
                outShapes.push_back(g.values[o].shape);
            nodes.push_back({{"name", n.name}, {"op", n.opType}, {"layer", n.isLayer()}, {"output_shapes", outShapes},
                             {"macs", c.macs}, {"flops", c.flops}, {"params", c.params},
                             {"memory_access_bytes", c.memoryAccess()}});
        }
        j["node_list"] = nodes;
    }
    return j;
}

void printReport(const ModelReport &r, std::ostream &out, bool withNodes)
{
    const Graph &g = r.graph;
    out << "model        " << r.source << "\n";
    out << "opset        " << g.opset << "\n";
    for (int v : g.inputs)
        out << "input        " << g.values[v].name << " " << shapeString(g.values[v].shape) << " "
            << dtypeName(g.values[v].dtype) << "\n";
    out << "nodes        " << g.nodes.size() << " (" << r.dag.layers.size() << " layers)\n";
    out << "params       " << r.cost.params << "\n";
    out << "MACs         " << r.cost.macs << " (" << std::fixed << std::setprecision(3) << double(r.cost.macs) / 1e9
        << " G)\n";
    out << "FLOPs        " << r.cost.flops << "\n";
    out << "memory       " << r.cost.memoryAccess << " bytes accessed\n";
    out << "structure    " << (r.lineStructure ? "line" : "branched") << ", " << r.branches.size()
        << " branch regions\n";
    out << "critical     " << r.criticalPath.nodes.size() << " layers, " << r.criticalPath.macs << " MACs\n";
    if (withNodes) {
        out << "\n" << std::left << std::setw(40) << "node" << std::setw(20) << "op" << std::setw(22) << "output"
            << std::right << std::setw(14) << "MACs" << std::setw(12) << "params" << "\n";
        std::vector<char> onPath(g.nodes.size(), 0);
        for (int n : r.criticalPath.nodes)
            onPath[n] = 1;
        for (size_t i = 0; i < g.nodes.size(); ++i) {
            const Node &n = g.nodes[i];
            std::string name = (onPath[i] ? "* " : "  ") + n.name;
            out << std::left << std::setw(40) << name.substr(0, 39) << std::setw(20) << n.opType << std::setw(22)
                << (n.outputs.empty() ? std::string() : shapeString(g.values[n.outputs[0]].shape)) << std::right
                << std::setw(14) << r.cost.nodes[i].macs << std::setw(12) << r.cost.nodes[i].params << "\n";
        }
        out << "(* = on the critical path)\n";
    }
    out << "\nfeatures\n";
    const auto &table = featureTable();
    out << std::defaultfloat << std::setprecision(6);
    for (size_t i = 0; i < table.size(); ++i)
        out << "  " << std::left << std::setw(34) << table[i].name << std::setw(20) << dimensionName(table[i].dimension)
            << r.features.values[i] << "\n";
    out << "  required operators:";
    for (const auto &op : r.features.requiredOperators)
        out << " " << op;
    out << "\n";
}

FolderFeatures featuresOfFolder(const std::string &dir, const onnx::ImportOptions &importOptions,
                                const FeatureOptions &opt, const ProgressFn &progress)
{
    std::error_code ec;
    if (!fs::is_directory(dir, ec))
        throw Error("not a folder", dir);
    std::vector<std::string> files;
    for (const auto &entry : fs::directory_iterator(dir, ec))
        if (entry.is_regular_file() && entry.path().extension() == ".onnx")
            files.push_back(entry.path().string());
    std::sort(files.begin(), files.end());
    FolderFeatures result;
    for (size_t i = 0; i < files.size(); ++i) {
        if (progress && !progress(i, files.size(), files[i]))
            break;
        try {
            ModelReport r = inspectModel(files[i], importOptions, opt);
            result.files.push_back(files[i]);
            result.features.push_back(std::move(r.features));
        } catch (const Error &e) {
            result.errors.push_back(e.what());
        }
    }
    return result;
}

namespace {
std::string csvField(const std::string &s)
{
    if (s.find_first_of(",\"\n") == std::string::npos)
        return s;
    std::string q = "\"";
    for (char c : s)
        q += c == '"' ? std::string("\"\"") : std::string(1, c);
    return q + "\"";
}
} // namespace

void writeFeaturesCsv(const FolderFeatures &rows, std::ostream &out)
{
    const auto &table = featureTable();
    out << "model";
    for (const auto &f : table)
        out << ',' << f.name;
    out << ",required_operators\n";
    out << std::setprecision(17); // exact for integer counts up to 2^53
    for (size_t i = 0; i < rows.files.size(); ++i) {
        out << csvField(fs::path(rows.files[i]).filename().string());
        for (double v : rows.features[i].values)
            out << ',' << v;
        std::string ops;
        for (const auto &op : rows.features[i].requiredOperators)
            ops += (ops.empty() ? "" : ";") + op;
        out << ',' << csvField(ops) << "\n";
    }
}

} // namespace sniper::features
