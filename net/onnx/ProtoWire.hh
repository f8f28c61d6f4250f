// Protocol-buffer wire format, read side only (docs/onnx.md, "The reader").
//
// ONNX files are protobuf messages. Rather than generated code from a vendored
// onnx.proto, this reads the wire format directly: it is a few hundred lines, needs no
// protobuf compiler or library, and every read is bounds-checked so that a truncated or
// garbage file gives a message with the byte offset and the message being read (for
// example `ModelProto.graph.node[3].attribute[1]`) instead of a crash or a bare "parse
// failed". Errors are pf::Error PF-6500.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace pf::onnx {

enum class WireType : uint8_t { Varint = 0, Fixed64 = 1, Bytes = 2, Fixed32 = 5 };

// One field as it appears on the wire.
struct WireField {
  uint32_t number = 0;
  WireType type = WireType::Varint;
  uint64_t value = 0;      // Varint, Fixed64 and Fixed32 (the raw bit pattern)
  std::string_view bytes;  // Bytes
  size_t offset = 0;       // absolute byte offset of the field's tag in the file
  size_t data_offset = 0;  // absolute byte offset of `bytes`
};

// Names field `number` of the message at `path` for error messages ("graph"), or "".
using FieldNamer = std::string (*)(const std::string &path, uint32_t number);

// Reads the fields of one message body in order.
class WireReader {
 public:
  // `data` is the message body; it starts at byte `base` of `file`. `path` names the
  // message for error messages ("ModelProto.graph"); `namer`, if given, its fields.
  WireReader(std::string_view data, size_t base, std::string file, std::string path,
             FieldNamer namer = nullptr);

  // The next field, or false at the end of the message.
  bool next(WireField &field);

  // A reader for the message embedded in `field`, named `path` ("...node[3]").
  WireReader nested(const WireField &field, const std::string &path) const;

  const std::string &file() const { return file_; }
  const std::string &path() const { return path_; }

  // Typed views of a field; each checks the wire type and range and names `name` on error.
  int64_t int64Value(const WireField &field, const char *name) const;
  int32_t int32Value(const WireField &field, const char *name) const;
  float floatValue(const WireField &field, const char *name) const;
  std::string stringValue(const WireField &field, const char *name) const;

  // Repeated scalars, accepted both packed (one Bytes field) and unpacked (one field each).
  void appendInt64s(const WireField &field, const char *name, std::vector<int64_t> &out) const;
  void appendFloats(const WireField &field, const char *name, std::vector<float> &out) const;
  void appendDoubles(const WireField &field, const char *name, std::vector<double> &out) const;

  // Throws PF-6500 at `offset` (absolute) naming this message.
  [[noreturn]] void fail(size_t offset, const std::string &what) const;

 private:
  uint64_t readVarint(std::string_view data, size_t &pos, size_t base) const;
  void expectType(const WireField &field, WireType type, const char *name) const;
  std::string fieldLabel(uint64_t number) const;  // "field 7 (graph)"

  std::string_view data_;
  size_t base_ = 0;
  size_t pos_ = 0;
  std::string file_;
  std::string path_;
  FieldNamer namer_ = nullptr;
};

}  // namespace pf::onnx
