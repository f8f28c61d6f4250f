// The parts of an ONNX model (onnx/onnx.proto) that the network reader needs, decoded
// from the wire format by net/onnx/ProtoWire. Fields that are not listed here are
// skipped; what they would mean is rejected later by the reader where it matters.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace pf::onnx {

// As in the TOML reader: far above any real network, low enough that shape arithmetic
// cannot overflow before layerCost() checks products.
inline constexpr int64_t kMaxDimension = int64_t{1} << 24;
// Bounds every tensor, so element counts (flatten, reshape) cannot overflow.
inline constexpr int64_t kMaxElements = int64_t{1} << 40;

// TensorProto.DataType values used here.
enum DataType : int32_t {
  kUndefined = 0,
  kFloat = 1,
  kUint8 = 2,
  kInt8 = 3,
  kUint16 = 4,
  kInt16 = 5,
  kInt32 = 6,
  kInt64 = 7,
  kString = 8,
  kBool = 9,
  kFloat16 = 10,
  kDouble = 11,
  kUint32 = 12,
  kUint64 = 13,
};

// "FLOAT", "INT8", ... or "type N".
std::string dataTypeName(int32_t data_type);

// A constant tensor (initializer, Constant node value, tensor attribute). Its elements
// are read on demand: raw_data stays a view into the file, the typed fields are decoded.
struct OnnxTensor {
  std::string name;
  std::vector<int64_t> dims;
  int32_t data_type = kUndefined;
  int64_t element_count = 1;  // product of dims, checked against the data when parsed
  std::string where;          // "ModelProto.graph.initializer[3]" for messages

  std::string_view raw;           // raw_data (little-endian), if given
  std::vector<int64_t> integers;  // int32_data / int64_data / uint64_data
  std::vector<double> reals;      // float_data / double_data

  // Element `i` (row-major) as a number; valid for every numeric type read here.
  double real(int64_t i) const;
  // Element `i` of an integer type, exactly.
  int64_t integer(int64_t i) const;
  bool isInteger() const;
};

struct OnnxAttribute {
  enum Type : int32_t {
    kUnset = 0,
    kFloatAttr = 1,
    kInt = 2,
    kStringAttr = 3,
    kTensor = 4,
    kGraph = 5,
    kFloats = 6,
    kInts = 7,
    kStrings = 8
  };
  std::string name;
  int32_t type = kUnset;
  float f = 0;
  int64_t i = 0;
  std::string s;
  std::optional<OnnxTensor> t;
  std::vector<float> floats;
  std::vector<int64_t> ints;
};

struct OnnxNode {
  size_t index = 0;  // position in GraphProto.node
  std::string name;
  std::string op_type;
  std::string domain;
  std::vector<std::string> inputs;  // "" marks an omitted optional input
  std::vector<std::string> outputs;
  std::vector<OnnxAttribute> attributes;

  const OnnxAttribute *attribute(const std::string &attribute_name) const;
};

// One dimension of a declared shape: a number, a symbol ("batch") or unknown.
struct OnnxDim {
  std::optional<int64_t> value;
  std::string param;
};

struct OnnxValueInfo {
  std::string name;
  bool is_tensor = false;  // TypeProto.tensor_type present
  int32_t elem_type = kUndefined;
  bool has_shape = false;
  std::vector<OnnxDim> dims;
};

struct OnnxGraph {
  std::string name;
  std::string doc_string;
  std::vector<OnnxNode> nodes;
  std::vector<OnnxTensor> initializers;
  size_t sparse_initializer_count = 0;
  std::vector<OnnxValueInfo> inputs;
  std::vector<OnnxValueInfo> outputs;
  std::vector<OnnxValueInfo> value_info;
};

struct OnnxModel {
  std::string file;
  std::shared_ptr<const std::string> bytes;  // the file; tensors' raw data point into it
  int64_t ir_version = 0;
  bool has_graph = false;
  std::map<std::string, int64_t> opsets;  // domain ("" = ai.onnx) -> version
  std::string producer_name;
  std::string producer_version;
  std::string doc_string;
  OnnxGraph graph;
};

// Parses the wire format; throws pf::Error PF-6500 (wire format, with the byte offset)
// or PF-6501 (a tensor whose data does not match its dims/type), naming `file`.
OnnxModel parseOnnxModel(std::shared_ptr<const std::string> bytes, const std::string &file);

// Reads and parses a file (PF-1001 if it cannot be read).
OnnxModel readOnnxFile(const std::string &path);

}  // namespace pf::onnx
