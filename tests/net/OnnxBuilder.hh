// A tiny protobuf encoder for hand-built ONNX models in tests: just enough of
// onnx.proto (ModelProto, GraphProto, NodeProto, AttributeProto, TensorProto,
// ValueInfoProto) to write small good and bad models without python or a protobuf
// library. Independent of the reader's decoder, so a shared misunderstanding of the wire
// format would not go unnoticed against the python-written zoo files.
#pragma once

#include <cstdint>
#include <cstring>
#include <string>
#include <utility>
#include <vector>

namespace pf::test::onnxpb {

inline std::string varint(uint64_t value) {
  std::string out;
  do {
    uint8_t byte = value & 0x7f;
    value >>= 7;
    if (value) byte |= 0x80;
    out.push_back(static_cast<char>(byte));
  } while (value);
  return out;
}

inline std::string key(uint32_t field, uint32_t wire_type) {
  return varint((uint64_t{field} << 3) | wire_type);
}
// Appended rather than `a + b`: GCC 12 warns falsely (-Wrestrict) on inlined concatenations.
inline std::string intField(uint32_t field, int64_t value) {
  std::string out = key(field, 0);
  out += varint(static_cast<uint64_t>(value));
  return out;
}
inline std::string bytesField(uint32_t field, const std::string &data) {
  std::string out = key(field, 2);
  out += varint(data.size());
  out += data;
  return out;
}
inline std::string floatField(uint32_t field, float value) {
  char bytes[4];
  std::memcpy(bytes, &value, 4);  // the test hosts are little-endian, as the wire format
  return key(field, 5) + std::string(bytes, 4);
}

enum Type : int32_t { kFloat = 1, kUint8 = 2, kInt8 = 3, kInt32 = 6, kInt64 = 7, kBool = 9 };

struct Tensor {
  std::string name;
  std::vector<int64_t> dims;
  int32_t type = kFloat;
  std::vector<double> values;

  std::string encode() const {
    std::string out;
    for (int64_t dim : dims) out += intField(1, dim);
    out += intField(2, type);
    out += bytesField(8, name);
    std::string raw;
    for (double v : values) {
      if (type == kFloat) {
        const auto f = static_cast<float>(v);
        raw.append(reinterpret_cast<const char *>(&f), 4);
      } else if (type == kInt8 || type == kUint8 || type == kBool) {
        raw.push_back(static_cast<char>(static_cast<int64_t>(v)));
      } else if (type == kInt32) {
        const auto i = static_cast<int32_t>(v);
        raw.append(reinterpret_cast<const char *>(&i), 4);
      } else {
        const auto i = static_cast<int64_t>(v);
        raw.append(reinterpret_cast<const char *>(&i), 8);
      }
    }
    return out + bytesField(9, raw);
  }
};

// Encoded AttributeProto.
inline std::string intAttr(const std::string &name, int64_t value) {
  return bytesField(1, name) + intField(20, 2) + intField(3, value);
}
inline std::string floatAttr(const std::string &name, float value) {
  return bytesField(1, name) + intField(20, 1) + floatField(2, value);
}
inline std::string intsAttr(const std::string &name, const std::vector<int64_t> &values) {
  std::string out = bytesField(1, name) + intField(20, 7);
  for (int64_t v : values) out += intField(8, v);
  return out;
}
inline std::string stringAttr(const std::string &name, const std::string &value) {
  return bytesField(1, name) + intField(20, 3) + bytesField(4, value);
}

struct Node {
  Node(std::string op_type, std::string node_name, std::vector<std::string> node_inputs,
       std::vector<std::string> node_outputs, std::vector<std::string> node_attributes = {},
       std::string node_domain = {})
      : op(std::move(op_type)),
        name(std::move(node_name)),
        inputs(std::move(node_inputs)),
        outputs(std::move(node_outputs)),
        attributes(std::move(node_attributes)),
        domain(std::move(node_domain)) {}

  std::string op;
  std::string name;
  std::vector<std::string> inputs;
  std::vector<std::string> outputs;
  std::vector<std::string> attributes;  // encoded AttributeProto
  std::string domain;

  std::string encode() const {
    std::string out;
    for (const std::string &in : inputs) out += bytesField(1, in);
    for (const std::string &o : outputs) out += bytesField(2, o);
    out += bytesField(3, name) + bytesField(4, op);
    for (const std::string &a : attributes) out += bytesField(5, a);
    if (!domain.empty()) out += bytesField(7, domain);
    return out;
  }
};

// ValueInfoProto of a tensor; a dim of -1 is written as the symbol "N".
struct ValueInfo {
  std::string name;
  int32_t type = kFloat;
  std::vector<int64_t> dims;

  std::string encode() const {
    std::string shape;
    for (int64_t dim : dims)
      shape += bytesField(1, dim < 0 ? bytesField(2, "N") : intField(1, dim));
    const std::string tensor_type = intField(1, type) + bytesField(2, shape);
    return bytesField(1, name) + bytesField(2, bytesField(1, tensor_type));
  }
};

struct Model {
  int64_t ir_version = 8;
  int64_t opset = 13;
  std::string name = "hand_built";
  std::vector<ValueInfo> inputs;
  std::vector<ValueInfo> outputs;
  std::vector<ValueInfo> value_info;
  std::vector<Node> nodes;
  std::vector<Tensor> initializers;

  std::string encode() const {
    std::string graph;
    for (const Node &node : nodes) graph += bytesField(1, node.encode());
    graph += bytesField(2, name);
    for (const Tensor &t : initializers) graph += bytesField(5, t.encode());
    for (const ValueInfo &v : inputs) graph += bytesField(11, v.encode());
    for (const ValueInfo &v : outputs) graph += bytesField(12, v.encode());
    for (const ValueInfo &v : value_info) graph += bytesField(13, v.encode());
    return intField(1, ir_version) + bytesField(2, "powerflow test") + bytesField(7, graph) +
           bytesField(8, intField(2, opset));
  }
};

}  // namespace pf::test::onnxpb
