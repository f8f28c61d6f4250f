#include "net/onnx/ProtoWire.hh"

#include <fmt/format.h>

#include <cstring>
#include <utility>

#include "core/Error.hh"

namespace pf::onnx {

namespace {

const char *wireTypeName(WireType type) {
  switch (type) {
    case WireType::Varint:
      return "varint";
    case WireType::Fixed64:
      return "fixed64";
    case WireType::Bytes:
      return "length-delimited";
    case WireType::Fixed32:
      return "fixed32";
  }
  return "?";
}

// Little-endian decoding independent of the host's byte order.
uint64_t littleEndian(std::string_view bytes) {
  uint64_t value = 0;
  for (size_t i = bytes.size(); i-- > 0;) value = (value << 8) | static_cast<uint8_t>(bytes[i]);
  return value;
}

}  // namespace

WireReader::WireReader(std::string_view data, size_t base, std::string file, std::string path,
                       FieldNamer namer)
    : data_(data), base_(base), file_(std::move(file)), path_(std::move(path)), namer_(namer) {}

std::string WireReader::fieldLabel(uint64_t number) const {
  const std::string name =
      namer_ && number <= UINT32_MAX ? namer_(path_, static_cast<uint32_t>(number)) : "";
  return name.empty() ? fmt::format("field {}", number)
                      : fmt::format("field {} ({})", number, name);
}

void WireReader::fail(size_t offset, const std::string &what) const {
  throw Error(6500, SourceLoc{file_, 0, 0}, path_,
              fmt::format("byte {}: {} (the file is truncated, corrupt or not an ONNX model)",
                          offset, what));
}

uint64_t WireReader::readVarint(std::string_view data, size_t &pos, size_t base) const {
  const size_t start = pos;
  uint64_t value = 0;
  for (int shift = 0; shift < 64; shift += 7) {
    if (pos >= data.size()) fail(base + start, "varint runs past the end of the enclosing message");
    const auto byte = static_cast<uint8_t>(data[pos++]);
    if (shift == 63 && byte > 1) fail(base + start, "varint longer than 64 bits");
    value |= static_cast<uint64_t>(byte & 0x7f) << shift;
    if ((byte & 0x80) == 0) return value;
  }
  fail(base + start, "varint longer than 10 bytes");
}

bool WireReader::next(WireField &field) {
  if (pos_ >= data_.size()) return false;
  field = WireField{};
  field.offset = base_ + pos_;
  const uint64_t tag = readVarint(data_, pos_, base_);
  const uint64_t number = tag >> 3;
  const auto type = static_cast<unsigned>(tag & 7);
  if (number == 0 || number > 0x1fffffff)
    fail(field.offset, fmt::format("invalid field number {}", number));
  field.number = static_cast<uint32_t>(number);
  const size_t left = data_.size() - pos_;
  switch (type) {
    case 0:
      field.type = WireType::Varint;
      field.value = readVarint(data_, pos_, base_);
      break;
    case 1:
    case 5: {
      const size_t width = type == 1 ? 8 : 4;
      field.type = type == 1 ? WireType::Fixed64 : WireType::Fixed32;
      if (left < width)
        fail(field.offset, fmt::format("{}: {}-byte value runs past the end of the "
                                       "enclosing message ({} bytes left)",
                                       fieldLabel(number), width, left));
      field.value = littleEndian(data_.substr(pos_, width));
      pos_ += width;
      break;
    }
    case 2: {
      field.type = WireType::Bytes;
      const uint64_t length = readVarint(data_, pos_, base_);
      if (length > data_.size() - pos_)
        fail(field.offset, fmt::format("{}: length {} runs past the end of the enclosing "
                                       "message ({} bytes left)",
                                       fieldLabel(number), length, data_.size() - pos_));
      field.data_offset = base_ + pos_;
      field.bytes = data_.substr(pos_, static_cast<size_t>(length));
      pos_ += static_cast<size_t>(length);
      break;
    }
    case 3:
    case 4:
      fail(field.offset,
           fmt::format("field {}: wire type {} (group) is not used by ONNX", number, type));
    default:
      fail(field.offset, fmt::format("field {}: invalid wire type {}", number, type));
  }
  return true;
}

WireReader WireReader::nested(const WireField &field, const std::string &path) const {
  expectType(field, WireType::Bytes, path.c_str());
  return WireReader(field.bytes, field.data_offset, file_, path, namer_);
}

void WireReader::expectType(const WireField &field, WireType type, const char *name) const {
  if (field.type != type)
    fail(field.offset, fmt::format("field {} ({}) has wire type {}, expected {}", field.number,
                                   name, wireTypeName(field.type), wireTypeName(type)));
}

int64_t WireReader::int64Value(const WireField &field, const char *name) const {
  expectType(field, WireType::Varint, name);
  return static_cast<int64_t>(field.value);  // two's complement, as protobuf int64
}

int32_t WireReader::int32Value(const WireField &field, const char *name) const {
  const int64_t value = int64Value(field, name);
  if (value < INT32_MIN || value > INT32_MAX)
    fail(field.offset,
         fmt::format("field {} ({}): {} does not fit in int32", field.number, name, value));
  return static_cast<int32_t>(value);
}

float WireReader::floatValue(const WireField &field, const char *name) const {
  expectType(field, WireType::Fixed32, name);
  const auto bits = static_cast<uint32_t>(field.value);
  float value;
  std::memcpy(&value, &bits, sizeof value);
  return value;
}

std::string WireReader::stringValue(const WireField &field, const char *name) const {
  expectType(field, WireType::Bytes, name);
  return std::string(field.bytes);
}

void WireReader::appendInt64s(const WireField &field, const char *name,
                              std::vector<int64_t> &out) const {
  if (field.type != WireType::Bytes) {
    out.push_back(int64Value(field, name));
    return;
  }
  size_t pos = 0;
  while (pos < field.bytes.size())
    out.push_back(static_cast<int64_t>(readVarint(field.bytes, pos, field.data_offset)));
}

void WireReader::appendFloats(const WireField &field, const char *name,
                              std::vector<float> &out) const {
  if (field.type != WireType::Bytes) {
    out.push_back(floatValue(field, name));
    return;
  }
  if (field.bytes.size() % 4 != 0)
    fail(field.offset, fmt::format("field {} ({}): packed floats of {} bytes, not a multiple "
                                   "of 4",
                                   field.number, name, field.bytes.size()));
  for (size_t pos = 0; pos < field.bytes.size(); pos += 4) {
    const auto bits = static_cast<uint32_t>(littleEndian(field.bytes.substr(pos, 4)));
    float value;
    std::memcpy(&value, &bits, sizeof value);
    out.push_back(value);
  }
}

void WireReader::appendDoubles(const WireField &field, const char *name,
                               std::vector<double> &out) const {
  auto decode = [](uint64_t bits) {
    double value;
    std::memcpy(&value, &bits, sizeof value);
    return value;
  };
  if (field.type != WireType::Bytes) {
    expectType(field, WireType::Fixed64, name);
    out.push_back(decode(field.value));
    return;
  }
  if (field.bytes.size() % 8 != 0)
    fail(field.offset, fmt::format("field {} ({}): packed doubles of {} bytes, not a multiple "
                                   "of 8",
                                   field.number, name, field.bytes.size()));
  for (size_t pos = 0; pos < field.bytes.size(); pos += 8)
    out.push_back(decode(littleEndian(field.bytes.substr(pos, 8))));
}

}  // namespace pf::onnx
