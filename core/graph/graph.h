#pragma once

// The graph IR: a DAG of ONNX-style nodes over values with static shapes.
// Values are referred to by index; nodes are kept in topological order.

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "graph/ops.h"

namespace sniper::graph {

enum class DType : uint8_t {
    Undefined = 0, Float = 1, UInt8 = 2, Int8 = 3, UInt16 = 4, Int16 = 5, Int32 = 6,
    Int64 = 7, String = 8, Bool = 9, Float16 = 10, Double = 11, UInt32 = 12, UInt64 = 13,
    BFloat16 = 16,
};

// Values use ONNX TensorProto::DataType numbers, so conversion is a cast.
int dtypeSize(DType t);
bool isFloating(DType t);
const char *dtypeName(DType t);

using Shape = std::vector<int64_t>;
int64_t numElements(const Shape &s);
std::string shapeString(const Shape &s); // "1x3x224x224"

// Constant contents, little-endian, dtypeSize(dtype) * numElements(shape) bytes.
using Bytes = std::vector<uint8_t>;

struct Value {
    std::string name;
    DType dtype = DType::Float;
    Shape shape;
    bool isConstant = false;              // an initializer, a Constant node or folded at import
    bool isParameter = false;             // counts as a trainable parameter (see docs/features.md)
    std::shared_ptr<const Bytes> data;    // null for structure-only constants and activations
    int producer = -1;                    // node index, -1 for graph inputs and constants
    std::vector<int> consumers;           // node indices, may repeat

    bool hasData() const { return data != nullptr; }
    int64_t elements() const { return numElements(shape); }
    int64_t bytes() const { return elements() * dtypeSize(dtype); }
};

struct Attribute {
    enum class Kind : uint8_t { Int, Float, String, Ints, Floats, Tensor };
    std::string name;
    Kind kind = Kind::Int;
    int64_t i = 0;
    double f = 0;
    std::string s;
    std::vector<int64_t> ints;
    std::vector<double> floats;
    // Tensor attributes (e.g. ConstantOfShape's value): dtype/shape/data.
    DType tensorType = DType::Float;
    Shape tensorShape;
    std::shared_ptr<const Bytes> tensorData;
};

struct Node {
    std::string name;
    std::string opType;
    OpKind kind = OpKind::Unknown;
    std::vector<int> inputs;   // value indices, -1 for an omitted optional input
    std::vector<int> outputs;  // value indices
    std::vector<Attribute> attributes;

    const Attribute *attribute(std::string_view name) const;
    int64_t attrInt(std::string_view name, int64_t fallback) const;
    double attrFloat(std::string_view name, double fallback) const;
    std::vector<int64_t> attrInts(std::string_view name, std::vector<int64_t> fallback = {}) const;
    std::string attrString(std::string_view name, std::string fallback = {}) const;

    bool isLayer() const { return opInfo(kind).isLayer; }
};

struct Graph {
    std::string name;
    int64_t opset = 13;
    std::vector<Value> values;
    std::vector<Node> nodes;     // topological order
    std::vector<int> inputs;     // non-constant graph inputs
    std::vector<int> outputs;

    int addValue(Value v);
    int findValue(std::string_view name) const; // -1 if absent

    // Recomputes producer/consumer links and sorts nodes topologically.
    // Throws sniper::Error naming a node on a cycle.
    void finalize();
};

} // namespace sniper::graph
