#include "graph/graph.h"

#include "common/error.h"

#include <queue>

namespace sniper::graph {

int dtypeSize(DType t)
{
    switch (t) {
    case DType::Float: case DType::Int32: case DType::UInt32: return 4;
    case DType::Double: case DType::Int64: case DType::UInt64: return 8;
    case DType::Float16: case DType::BFloat16: case DType::Int16: case DType::UInt16: return 2;
    case DType::UInt8: case DType::Int8: case DType::Bool: return 1;
    case DType::String: case DType::Undefined: return 0;
    }
    return 0;
}

bool isFloating(DType t)
{
    return t == DType::Float || t == DType::Double || t == DType::Float16 || t == DType::BFloat16;
}

const char *dtypeName(DType t)
{
    switch (t) {
    case DType::Float: return "float32";
    case DType::UInt8: return "uint8";
    case DType::Int8: return "int8";
    case DType::UInt16: return "uint16";
    case DType::Int16: return "int16";
    case DType::Int32: return "int32";
    case DType::Int64: return "int64";
    case DType::String: return "string";
    case DType::Bool: return "bool";
    case DType::Float16: return "float16";
    case DType::Double: return "float64";
    case DType::UInt32: return "uint32";
    case DType::UInt64: return "uint64";
    case DType::BFloat16: return "bfloat16";
    case DType::Undefined: break;
    }
    return "undefined";
}

int64_t numElements(const Shape &s)
{
    int64_t n = 1;
    for (int64_t d : s)
        n *= d;
    return n;
}

std::string shapeString(const Shape &s)
{
    if (s.empty())
        return "scalar";
    std::string out;
    for (size_t i = 0; i < s.size(); ++i) {
        if (i)
            out += 'x';
        out += std::to_string(s[i]);
    }
    return out;
}

const Attribute *Node::attribute(std::string_view n) const
{
    for (const Attribute &a : attributes)
        if (a.name == n)
            return &a;
    return nullptr;
}

int64_t Node::attrInt(std::string_view n, int64_t fallback) const
{
    const Attribute *a = attribute(n);
    return a && a->kind == Attribute::Kind::Int ? a->i : fallback;
}

double Node::attrFloat(std::string_view n, double fallback) const
{
    const Attribute *a = attribute(n);
    return a && a->kind == Attribute::Kind::Float ? a->f : fallback;
}

std::vector<int64_t> Node::attrInts(std::string_view n, std::vector<int64_t> fallback) const
{
    const Attribute *a = attribute(n);
    return a && a->kind == Attribute::Kind::Ints ? a->ints : fallback;
}

std::string Node::attrString(std::string_view n, std::string fallback) const
{
    const Attribute *a = attribute(n);
    return a && a->kind == Attribute::Kind::String ? a->s : fallback;
}

int Graph::addValue(Value v)
{
    values.push_back(std::move(v));
    return int(values.size()) - 1;
}

int Graph::findValue(std::string_view n) const
{
    for (size_t i = 0; i < values.size(); ++i)
        if (values[i].name == n)
            return int(i);
    return -1;
}

void Graph::finalize()
{
    for (Value &v : values) {
        v.producer = -1;
        v.consumers.clear();
    }
    for (size_t n = 0; n < nodes.size(); ++n) {
        for (int o : nodes[n].outputs) {
            if (values[o].producer >= 0)
                throw Error("value '" + values[o].name + "' is produced by two nodes",
                            "node '" + nodes[n].name + "'");
            values[o].producer = int(n);
        }
    }
    // Kahn's algorithm; stable so that an already sorted graph keeps its order.
    std::vector<int> indegree(nodes.size(), 0);
    std::vector<std::vector<int>> succ(nodes.size());
    for (size_t n = 0; n < nodes.size(); ++n) {
        for (int in : nodes[n].inputs) {
            if (in < 0)
                continue;
            int p = values[in].producer;
            if (p >= 0) {
                succ[p].push_back(int(n));
                ++indegree[n];
            }
        }
    }
    std::priority_queue<int, std::vector<int>, std::greater<int>> ready;
    for (size_t n = 0; n < nodes.size(); ++n)
        if (indegree[n] == 0)
            ready.push(int(n));
    std::vector<int> order;
    order.reserve(nodes.size());
    while (!ready.empty()) {
        int n = ready.top();
        ready.pop();
        order.push_back(n);
        for (int s : succ[n])
            if (--indegree[s] == 0)
                ready.push(s);
    }
    if (order.size() != nodes.size()) {
        for (size_t n = 0; n < nodes.size(); ++n)
            if (indegree[n] > 0)
                throw Error("the graph has a cycle", "node '" + nodes[n].name + "' (" + nodes[n].opType + ")");
    }
    bool sorted = true;
    for (size_t i = 0; i < order.size(); ++i)
        sorted = sorted && order[i] == int(i);
    if (!sorted) {
        std::vector<Node> reordered;
        reordered.reserve(nodes.size());
        for (int n : order)
            reordered.push_back(std::move(nodes[n]));
        nodes = std::move(reordered);
        for (Value &v : values)
            v.producer = -1;
        for (size_t n = 0; n < nodes.size(); ++n)
            for (int o : nodes[n].outputs)
                values[o].producer = int(n);
    }
    for (size_t n = 0; n < nodes.size(); ++n)
        for (int in : nodes[n].inputs)
            if (in >= 0)
                values[in].consumers.push_back(int(n));
}

} // namespace sniper::graph
