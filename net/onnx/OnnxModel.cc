// ONNX messages from the wire format. Field numbers are those of onnx/onnx.proto
// (IR version 3 and later; they have never been renumbered).
#include "net/onnx/OnnxModel.hh"

#include <fmt/format.h>

#include <cmath>
#include <cstring>
#include <tuple>
#include <utility>

#include "core/Error.hh"
#include "core/Files.hh"
#include "net/onnx/ProtoWire.hh"

namespace pf::onnx {

namespace {

// Bytes per element in raw_data, 0 for types whose elements this reader cannot decode.
size_t elementSize(int32_t data_type) {
  switch (data_type) {
    case kUint8:
    case kInt8:
    case kBool:
      return 1;
    case kUint16:
    case kInt16:
    case kFloat16:
      return 2;
    case kFloat:
    case kInt32:
    case kUint32:
      return 4;
    case kInt64:
    case kDouble:
    case kUint64:
      return 8;
    default:
      return 0;
  }
}

uint64_t littleEndian(const char *bytes, size_t width) {
  uint64_t value = 0;
  for (size_t i = width; i-- > 0;) value = (value << 8) | static_cast<uint8_t>(bytes[i]);
  return value;
}

double halfToDouble(uint16_t bits) {
  const int exponent = (bits >> 10) & 0x1f;
  const int mantissa = bits & 0x3ff;
  const double sign = (bits & 0x8000) ? -1.0 : 1.0;
  if (exponent == 0) return sign * std::ldexp(mantissa, -24);
  if (exponent == 31) return mantissa ? std::nan("") : sign * INFINITY;
  return sign * std::ldexp(mantissa + 1024, exponent - 25);
}

// Which typed field holds the elements of each data type (onnx.proto comments).
enum class TypedField { None, Float, Int32, Int64, Double, Uint64 };

TypedField typedFieldFor(int32_t data_type) {
  switch (data_type) {
    case kFloat:
      return TypedField::Float;
    case kUint8:
    case kInt8:
    case kUint16:
    case kInt16:
    case kInt32:
    case kBool:
    case kFloat16:
      return TypedField::Int32;
    case kInt64:
      return TypedField::Int64;
    case kDouble:
      return TypedField::Double;
    case kUint32:
    case kUint64:
      return TypedField::Uint64;
    default:
      return TypedField::None;
  }
}

[[noreturn]] void tensorFail(const WireReader &reader, const OnnxTensor &tensor,
                             const std::string &what) {
  throw Error(6501, SourceLoc{reader.file(), 0, 0}, tensor.where,
              fmt::format("tensor '{}' ({}{}): {}", tensor.name, dataTypeName(tensor.data_type),
                          fmt::format("[{}]", fmt::join(tensor.dims, ",")), what));
}

// int32_data carries 8- and 16-bit values widened; a value outside the type's range
// would otherwise be misread as a valid weight.
void checkIntegerRange(const WireReader &reader, const OnnxTensor &tensor) {
  int64_t low = 0, high = 0;
  switch (tensor.data_type) {
    case kInt8:
      std::tie(low, high) = std::pair<int64_t, int64_t>{-128, 127};
      break;
    case kUint8:
    case kBool:
      std::tie(low, high) = std::pair<int64_t, int64_t>{0, 255};
      break;
    case kInt16:
      std::tie(low, high) = std::pair<int64_t, int64_t>{-32768, 32767};
      break;
    case kUint16:
    case kFloat16:
      std::tie(low, high) = std::pair<int64_t, int64_t>{0, 65535};
      break;
    default:
      return;
  }
  for (int64_t value : tensor.integers)
    if (value < low || value > high)
      tensorFail(reader, tensor,
                 fmt::format("value {} is outside the range of {}", value,
                             dataTypeName(tensor.data_type)));
}

void checkTensorData(const WireReader &reader, OnnxTensor &tensor, bool external, TypedField seen) {
  if (external)
    tensorFail(reader, tensor,
               "data stored outside the model file (external data) is not "
               "supported: save the model with its weights embedded");
  for (int64_t dim : tensor.dims) {
    if (dim < 0) tensorFail(reader, tensor, fmt::format("negative dimension {}", dim));
    if (dim > 0 && tensor.element_count > kMaxElements / dim)
      tensorFail(reader, tensor, fmt::format("more than {} elements", kMaxElements));
    tensor.element_count *= dim;
  }
  const auto count = static_cast<size_t>(tensor.element_count);
  const size_t width = elementSize(tensor.data_type);
  if (!tensor.raw.empty()) {
    if (width == 0) tensorFail(reader, tensor, "raw data of a type this reader does not decode");
    if (tensor.raw.size() != count * width)
      tensorFail(reader, tensor,
                 fmt::format("raw_data has {} bytes; {} elements of {} bytes need {}",
                             tensor.raw.size(), count, width, count * width));
    return;
  }
  const size_t typed = tensor.integers.size() + tensor.reals.size();
  if (typed == 0) {
    if (count != 0 && typedFieldFor(tensor.data_type) != TypedField::None)
      tensorFail(reader, tensor, fmt::format("has no data for its {} elements", count));
    return;
  }
  if (seen != typedFieldFor(tensor.data_type))
    tensorFail(reader, tensor, "its values are in a field that does not belong to its data type");
  if (typed != count)
    tensorFail(reader, tensor, fmt::format("has {} values for {} elements", typed, count));
  checkIntegerRange(reader, tensor);
}

OnnxTensor parseTensor(const WireReader &reader) {
  WireReader r = reader;
  OnnxTensor tensor;
  tensor.where = reader.path();
  bool external = false;
  TypedField seen = TypedField::None;
  WireField field;
  auto mark = [&](TypedField typed) {
    if (seen != TypedField::None && seen != typed)
      r.fail(field.offset, "tensor values in two different typed fields");
    seen = typed;
  };
  while (r.next(field)) {
    switch (field.number) {
      case 1:
        r.appendInt64s(field, "dims", tensor.dims);
        break;
      case 2:
        tensor.data_type = r.int32Value(field, "data_type");
        break;
      case 4: {
        std::vector<float> floats;
        r.appendFloats(field, "float_data", floats);
        tensor.reals.insert(tensor.reals.end(), floats.begin(), floats.end());
        mark(TypedField::Float);
        break;
      }
      case 5:
        r.appendInt64s(field, "int32_data", tensor.integers);
        mark(TypedField::Int32);
        break;
      case 7:
        r.appendInt64s(field, "int64_data", tensor.integers);
        mark(TypedField::Int64);
        break;
      case 8:
        tensor.name = r.stringValue(field, "name");
        break;
      case 9:
        if (field.type != WireType::Bytes) r.stringValue(field, "raw_data");  // reports it
        tensor.raw = field.bytes;
        break;
      case 10:
        r.appendDoubles(field, "double_data", tensor.reals);
        mark(TypedField::Double);
        break;
      case 11:
        r.appendInt64s(field, "uint64_data", tensor.integers);
        mark(TypedField::Uint64);
        break;
      case 14:
        external = r.int64Value(field, "data_location") == 1;
        break;
      default:
        break;
    }
  }
  // int32_data holds int8/int16/bool values sign- or zero-extended; narrow them so an
  // out-of-range value is caught here rather than misread later.
  if (seen == TypedField::Int32)
    for (int64_t &value : tensor.integers) value = static_cast<int32_t>(value);
  checkTensorData(reader, tensor, external, seen);
  return tensor;
}

OnnxAttribute parseAttribute(const WireReader &reader) {
  WireReader r = reader;
  OnnxAttribute attribute;
  WireField field;
  while (r.next(field)) {
    switch (field.number) {
      case 1:
        attribute.name = r.stringValue(field, "name");
        break;
      case 20:
        attribute.type = r.int32Value(field, "type");
        break;
      case 2:
        attribute.f = r.floatValue(field, "f");
        break;
      case 3:
        attribute.i = r.int64Value(field, "i");
        break;
      case 4:
        attribute.s = r.stringValue(field, "s");
        break;
      case 5:
        attribute.t = parseTensor(r.nested(field, r.path() + ".t"));
        break;
      case 7:
        r.appendFloats(field, "floats", attribute.floats);
        break;
      case 8:
        r.appendInt64s(field, "ints", attribute.ints);
        break;
      default:  // graphs, sparse tensors, type protos: no supported op takes them
        break;
    }
  }
  return attribute;
}

OnnxNode parseNode(const WireReader &reader, size_t index) {
  WireReader r = reader;
  OnnxNode node;
  node.index = index;
  WireField field;
  while (r.next(field)) {
    switch (field.number) {
      case 1:
        node.inputs.push_back(r.stringValue(field, "input"));
        break;
      case 2:
        node.outputs.push_back(r.stringValue(field, "output"));
        break;
      case 3:
        node.name = r.stringValue(field, "name");
        break;
      case 4:
        node.op_type = r.stringValue(field, "op_type");
        break;
      case 7:
        node.domain = r.stringValue(field, "domain");
        break;
      case 5:
        node.attributes.push_back(parseAttribute(
            r.nested(field, fmt::format("{}.attribute[{}]", r.path(), node.attributes.size()))));
        break;
      default:
        break;
    }
  }
  return node;
}

void parseShape(const WireReader &reader, OnnxValueInfo &info) {
  WireReader r = reader;
  info.has_shape = true;
  WireField field;
  while (r.next(field)) {
    if (field.number != 1) continue;
    WireReader dim_reader = r.nested(field, fmt::format("{}.dim[{}]", r.path(), info.dims.size()));
    OnnxDim dim;
    WireField dim_field;
    while (dim_reader.next(dim_field)) {
      if (dim_field.number == 1) dim.value = dim_reader.int64Value(dim_field, "dim_value");
      if (dim_field.number == 2) dim.param = dim_reader.stringValue(dim_field, "dim_param");
    }
    info.dims.push_back(dim);
  }
}

void parseTensorType(const WireReader &reader, OnnxValueInfo &info) {
  WireReader r = reader;
  info.is_tensor = true;
  WireField field;
  while (r.next(field)) {
    if (field.number == 1) info.elem_type = r.int32Value(field, "elem_type");
    if (field.number == 2) parseShape(r.nested(field, r.path() + ".shape"), info);
  }
}

OnnxValueInfo parseValueInfo(const WireReader &reader) {
  WireReader r = reader;
  OnnxValueInfo info;
  WireField field;
  while (r.next(field)) {
    if (field.number == 1) info.name = r.stringValue(field, "name");
    if (field.number != 2) continue;
    WireReader type = r.nested(field, r.path() + ".type");
    WireField type_field;
    while (type.next(type_field))
      if (type_field.number == 1)
        parseTensorType(type.nested(type_field, type.path() + ".tensor_type"), info);
  }
  return info;
}

std::string indexed(const WireReader &r, const char *name, size_t index) {
  return fmt::format("{}.{}[{}]", r.path(), name, index);
}

OnnxGraph parseGraph(const WireReader &reader) {
  WireReader r = reader;
  OnnxGraph graph;
  WireField field;
  while (r.next(field)) {
    switch (field.number) {
      case 1:
        graph.nodes.push_back(
            parseNode(r.nested(field, indexed(r, "node", graph.nodes.size())), graph.nodes.size()));
        break;
      case 2:
        graph.name = r.stringValue(field, "name");
        break;
      case 5:
        graph.initializers.push_back(
            parseTensor(r.nested(field, indexed(r, "initializer", graph.initializers.size()))));
        break;
      case 10:
        graph.doc_string = r.stringValue(field, "doc_string");
        break;
      case 11:
        graph.inputs.push_back(
            parseValueInfo(r.nested(field, indexed(r, "input", graph.inputs.size()))));
        break;
      case 12:
        graph.outputs.push_back(
            parseValueInfo(r.nested(field, indexed(r, "output", graph.outputs.size()))));
        break;
      case 13:
        graph.value_info.push_back(
            parseValueInfo(r.nested(field, indexed(r, "value_info", graph.value_info.size()))));
        break;
      case 15:
        r.nested(field, "sparse_initializer");  // checks the wire type
        ++graph.sparse_initializer_count;
        break;
      default:
        break;
    }
  }
  return graph;
}

void parseOpset(const WireReader &reader, OnnxModel &model) {
  WireReader r = reader;
  std::string domain;
  int64_t version = 0;
  WireField field;
  while (r.next(field)) {
    if (field.number == 1) domain = r.stringValue(field, "domain");
    if (field.number == 2) version = r.int64Value(field, "version");
  }
  if (domain == "ai.onnx") domain.clear();  // both spellings name the default domain
  model.opsets[domain] = version;
}

// Field names of the onnx.proto messages read here, keyed by the last component of the
// reader's path (which names the message), for wire-format error messages.
std::string onnxFieldName(const std::string &path, uint32_t number) {
  using Fields = std::map<uint32_t, const char *>;
  static const Fields tensor = {{1, "dims"},          {2, "data_type"},    {4, "float_data"},
                                {5, "int32_data"},    {7, "int64_data"},   {8, "name"},
                                {9, "raw_data"},      {10, "double_data"}, {11, "uint64_data"},
                                {14, "data_location"}};
  static const Fields value_info = {{1, "name"}, {2, "type"}};
  static const std::map<std::string, Fields> messages = {
      {"ModelProto",
       {{1, "ir_version"},
        {2, "producer_name"},
        {3, "producer_version"},
        {6, "doc_string"},
        {7, "graph"},
        {8, "opset_import"}}},
      {"graph",
       {{1, "node"},
        {2, "name"},
        {5, "initializer"},
        {10, "doc_string"},
        {11, "input"},
        {12, "output"},
        {13, "value_info"},
        {15, "sparse_initializer"}}},
      {"node",
       {{1, "input"}, {2, "output"}, {3, "name"}, {4, "op_type"}, {5, "attribute"}, {7, "domain"}}},
      {"attribute",
       {{1, "name"},
        {2, "f"},
        {3, "i"},
        {4, "s"},
        {5, "t"},
        {7, "floats"},
        {8, "ints"},
        {20, "type"}}},
      {"initializer", tensor},
      {"t", tensor},
      {"input", value_info},
      {"output", value_info},
      {"value_info", value_info},
      {"type", {{1, "tensor_type"}}},
      {"tensor_type", {{1, "elem_type"}, {2, "shape"}}},
      {"shape", {{1, "dim"}}},
      {"dim", {{1, "dim_value"}, {2, "dim_param"}}},
      {"opset_import", {{1, "domain"}, {2, "version"}}},
  };
  const size_t dot = path.rfind('.');
  std::string message = dot == std::string::npos ? path : path.substr(dot + 1);
  message = message.substr(0, message.find('['));
  const auto it = messages.find(message);
  if (it == messages.end()) return "";
  const auto field = it->second.find(number);
  return field == it->second.end() ? "" : field->second;
}

}  // namespace

std::string dataTypeName(int32_t data_type) {
  static const char *const names[] = {"UNDEFINED", "FLOAT",  "UINT8",  "INT8",   "UINT16",
                                      "INT16",     "INT32",  "INT64",  "STRING", "BOOL",
                                      "FLOAT16",   "DOUBLE", "UINT32", "UINT64"};
  if (data_type >= 0 && data_type < static_cast<int32_t>(std::size(names))) return names[data_type];
  return fmt::format("type {}", data_type);
}

bool OnnxTensor::isInteger() const {
  switch (data_type) {
    case kUint8:
    case kInt8:
    case kUint16:
    case kInt16:
    case kInt32:
    case kInt64:
    case kBool:
    case kUint32:
    case kUint64:
      return true;
    default:
      return false;
  }
}

int64_t OnnxTensor::integer(int64_t i) const {
  const auto index = static_cast<size_t>(i);
  if (raw.empty()) return integers.at(index);
  const size_t width = elementSize(data_type);
  const uint64_t bits = littleEndian(raw.data() + index * width, width);
  switch (data_type) {
    case kInt8:
      return static_cast<int8_t>(bits);
    case kInt16:
      return static_cast<int16_t>(bits);
    case kInt32:
      return static_cast<int32_t>(bits);
    default:  // unsigned types and int64: the bit pattern is the value
      return static_cast<int64_t>(bits);
  }
}

double OnnxTensor::real(int64_t i) const {
  const auto index = static_cast<size_t>(i);
  if (data_type == kFloat || data_type == kDouble) {
    if (raw.empty()) return reals.at(index);
    if (data_type == kDouble) {
      const uint64_t bits = littleEndian(raw.data() + index * 8, 8);
      double value;
      std::memcpy(&value, &bits, sizeof value);
      return value;
    }
    const auto bits = static_cast<uint32_t>(littleEndian(raw.data() + index * 4, 4));
    float value;
    std::memcpy(&value, &bits, sizeof value);
    return value;
  }
  if (data_type == kFloat16) {
    const uint64_t bits = raw.empty() ? static_cast<uint64_t>(integers.at(index))
                                      : littleEndian(raw.data() + index * 2, 2);
    return halfToDouble(static_cast<uint16_t>(bits));
  }
  return static_cast<double>(integer(i));
}

const OnnxAttribute *OnnxNode::attribute(const std::string &attribute_name) const {
  for (const OnnxAttribute &attr : attributes)
    if (attr.name == attribute_name) return &attr;
  return nullptr;
}

OnnxModel parseOnnxModel(std::shared_ptr<const std::string> bytes, const std::string &file) {
  OnnxModel model;
  model.file = file;
  model.bytes = std::move(bytes);
  WireReader r(*model.bytes, 0, file, "ModelProto", onnxFieldName);
  WireField field;
  while (r.next(field)) {
    switch (field.number) {
      case 1:
        model.ir_version = r.int64Value(field, "ir_version");
        break;
      case 2:
        model.producer_name = r.stringValue(field, "producer_name");
        break;
      case 3:
        model.producer_version = r.stringValue(field, "producer_version");
        break;
      case 6:
        model.doc_string = r.stringValue(field, "doc_string");
        break;
      case 7:
        model.graph = parseGraph(r.nested(field, "ModelProto.graph"));
        model.has_graph = true;
        break;
      case 8:
        parseOpset(r.nested(field, fmt::format("ModelProto.opset_import[{}]", model.opsets.size())),
                   model);
        break;
      default:
        break;
    }
  }
  return model;
}

OnnxModel readOnnxFile(const std::string &path) {
  return parseOnnxModel(std::make_shared<const std::string>(readTextFile(path)), path);
}

}  // namespace pf::onnx
