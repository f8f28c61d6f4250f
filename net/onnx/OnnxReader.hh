// Reading a network from an ONNX model (docs/onnx.md), and from either format.
#pragma once

#include <string>

#include "net/Network.hh"

namespace pf {

// Reads an ONNX model and lowers it to the network model: layers in node order, shapes
// inferred from the graph input and the initializers, BatchNormalization, biases and
// ReLU/ReLU6 folded into the producing layer, weight sparsity measured from the weights.
// Throws pf::Error PF-65xx naming the file and the node (or the byte offset of a
// malformed file); docs/onnx.md lists the ids.
Network readOnnxNetwork(const std::string &path);

// The same for a model already in memory; `file` names it in messages.
Network parseOnnxNetwork(std::string bytes, const std::string &file);

// True when `path` is read as ONNX: its name ends in ".onnx", or its first byte is that
// of an ONNX ModelProto (field 1, ir_version: 0x08), which no TOML file can start with.
bool isOnnxFile(const std::string &path);

// Reads a network in either format: ONNX when isOnnxFile(), the TOML of
// docs/networks.md otherwise.
Network readNetworkFile(const std::string &path);

}  // namespace pf
