// ONNX graph -> pf::Network: the graph walk, tensor bookkeeping and the whole-graph
// checks. The per-op rules are in OnnxOps.cc; docs/onnx.md describes both.
#include "net/onnx/OnnxReader.hh"

#include <fmt/format.h>

#include <filesystem>
#include <fstream>
#include <functional>
#include <set>
#include <utility>

#include "core/Error.hh"
#include "net/onnx/OnnxLowering.hh"

namespace pf {

namespace onnx {

namespace {

// The default-domain opset versions whose semantics of the supported ops this reader
// implements (Clip's bounds became inputs at 11; nothing it relies on changed since).
constexpr int64_t kMinOpset = 7;
constexpr int64_t kMaxOpset = 23;

}  // namespace

TensorShape hwcShape(const std::vector<int64_t> &dims) {
  if (dims.size() == 4) return {dims[2], dims[3], dims[1]};
  return {1, 1, dims.at(1)};
}

std::string dimsText(const std::vector<int64_t> &dims) {
  return fmt::format("[{}]", fmt::join(dims, ","));
}

namespace {

// The citation shown by `net show`: the model's documentation, else who wrote it.
std::string sourceOf(const OnnxModel &model) {
  if (!model.doc_string.empty()) return model.doc_string;
  if (!model.graph.doc_string.empty()) return model.graph.doc_string;
  if (model.producer_name.empty()) return "";
  return fmt::format("ONNX model from {} {}", model.producer_name, model.producer_version);
}

}  // namespace

Lowering::Lowering(const OnnxModel &model) : model_(model) {}

std::string Lowering::describe(const OnnxNode &node) const {
  return fmt::format("node {} '{}' ({})", node.index, node.name, node.op_type);
}

void Lowering::fail(int id, const OnnxNode &node, const std::string &why) const {
  throw Error(id, SourceLoc{model_.file, 0, 0}, fmt::format("graph.node[{}]", node.index),
              fmt::format("{}: {}", describe(node), why));
}

void Lowering::failGraph(int id, const std::string &field, const std::string &why) const {
  throw Error(id, SourceLoc{model_.file, 0, 0}, field, why);
}

bool Lowering::hasInput(const OnnxNode &node, size_t i) const {
  return i < node.inputs.size() && !node.inputs[i].empty();
}

bool Lowering::isConstant(const OnnxNode &node, size_t i) const {
  return hasInput(node, i) && std::holds_alternative<Constant>(values_.at(node.inputs[i]));
}

const ComputedTensor &Lowering::computed(const OnnxNode &node, size_t i) const {
  if (!hasInput(node, i)) fail(6531, node, fmt::format("input {} is missing", i));
  const Value &value = values_.at(node.inputs[i]);
  if (const auto *act = std::get_if<ComputedTensor>(&value)) return *act;
  fail(6559, node,
       fmt::format("input {} ('{}') is a constant; the network model needs a computed tensor "
                   "there (fold constant subgraphs before export)",
                   i, node.inputs[i]));
}

const Constant &Lowering::constant(const OnnxNode &node, size_t i, const char *role) const {
  if (!hasInput(node, i)) fail(6532, node, fmt::format("{} (input {}) is missing", role, i));
  const Value &value = values_.at(node.inputs[i]);
  if (const auto *c = std::get_if<Constant>(&value)) return *c;
  fail(6514, node,
       fmt::format("{} (input {}, '{}') is computed at run time; it must be an initializer or "
                   "a Constant (weights, scales and shapes are fixed in the network model)",
                   role, i, node.inputs[i]));
}

int Lowering::uses(const std::string &tensor) const {
  auto it = uses_.find(tensor);
  return it == uses_.end() ? 0 : it->second;
}

const OnnxTensor &Lowering::keep(OnnxTensor tensor) {
  kept_.push_back(std::move(tensor));
  return kept_.back();
}

void Lowering::checkDeclared(const OnnxNode &node, const std::string &tensor,
                             const ComputedTensor &value) const {
  auto it = declared_.find(tensor);
  if (it == declared_.end() || !it->second->is_tensor) return;
  const OnnxValueInfo &info = *it->second;
  const int32_t made = !value.int8                                 ? kFloat
                       : value.quant.type == ActivationType::Uint8 ? kUint8
                                                                   : kInt8;
  const bool checked =
      info.elem_type == kFloat || info.elem_type == kInt8 || info.elem_type == kUint8;
  if (checked && info.elem_type != made)
    fail(6619, node,
         fmt::format("output '{}' is declared {} but the graph makes it {}", tensor,
                     dataTypeName(info.elem_type), dataTypeName(made)));
  if (!info.has_shape) return;
  bool same = info.dims.size() == value.dims.size();
  for (size_t d = 0; same && d < info.dims.size(); ++d)
    same = !info.dims[d].value || *info.dims[d].value == value.dims[d] ||
           (d == 0 && *info.dims[d].value == 0);
  if (same) return;
  std::vector<std::string> declared;
  for (const OnnxDim &dim : info.dims)
    declared.push_back(dim.value ? fmt::format("{}", *dim.value)
                                 : (dim.param.empty() ? "?" : dim.param));
  fail(6620, node,
       fmt::format("output '{}' is declared [{}] (value_info or graph output) but the graph "
                   "gives {}",
                   tensor, fmt::join(declared, ","), dimsText(value.dims)));
}

void Lowering::define(const OnnxNode &node, size_t output, Value value) {
  const std::string &tensor = node.outputs.at(output);
  if (tensor.empty()) return;
  if (values_.count(tensor))
    fail(6533, node,
         fmt::format("output '{}' is already defined by an initializer, the graph input or an "
                     "earlier node",
                     tensor));
  if (const auto *act = std::get_if<ComputedTensor>(&value)) {
    int64_t elements = 1;
    for (int64_t dim : act->dims) {
      if (dim < 1 || dim > kMaxDimension)
        fail(6634, node,
             fmt::format("output '{}' would be {}: every dimension must be in 1..{}", tensor,
                         dimsText(act->dims), kMaxDimension));
      elements *= dim;
      if (elements > kMaxElements)
        fail(6635, node,
             fmt::format("output '{}' would be {}: more than {} elements", tensor,
                         dimsText(act->dims), kMaxElements));
    }
    checkDeclared(node, tensor, *act);
  }
  values_.emplace(tensor, std::move(value));
}

void Lowering::passThrough(const OnnxNode &node, size_t i, bool int8, double scale,
                           double dequantized, const std::optional<ActivationQuant> &quant) {
  const std::string &input = node.inputs.at(i);
  ComputedTensor out = computed(node, i);
  out.fusable = out.fusable && uses(input) == 1;
  out.requantized = out.requantized || (int8 && !out.int8);
  out.int8 = int8;
  out.scale = scale;
  out.dequantized_scale = dequantized;
  if (quant) out.quant = *quant;
  define(node, 0, out);
}

std::string Lowering::layerName(const OnnxNode &node) const {
  auto taken = [&](const std::string &name) {
    return name == network_.input_name || network_.findLayer(name) >= 0;
  };
  if (!node.name.empty() && !taken(node.name)) return node.name;
  if (!node.outputs.empty() && !node.outputs[0].empty() && !taken(node.outputs[0]))
    return node.outputs[0];
  std::string name = fmt::format("{}_{}", node.op_type, node.index);
  while (taken(name)) name += "_";
  return name;
}

int Lowering::addLayer(const OnnxNode &node, NetLayer layer,
                       const std::vector<size_t> &input_indices, LayerState state) {
  layer.name = layerName(node);
  layer.loc = SourceLoc{model_.file, 0, 0};
  for (size_t i : input_indices) {
    const ComputedTensor &input = computed(node, i);
    layer.input_layers.push_back(input.layer);
    layer.inputs.push_back(input.layer == kNetworkInput ? network_.input_name
                                                        : this->layer(input.layer).name);
    layer.input_shapes.push_back(hwcShape(input.dims));
  }
  state.node = node.index;
  network_.layers.push_back(std::move(layer));
  states_.push_back(std::move(state));
  return static_cast<int>(network_.layers.size()) - 1;
}

int Lowering::foldTarget(const OnnxNode &node, size_t i, const std::string &what) const {
  const ComputedTensor &input = computed(node, i);
  if (input.layer == kNetworkInput)
    fail(6653, node,
         fmt::format("{} applies to the network input '{}': there is no layer to fold it into",
                     what, network_.input_name));
  const NetLayer &producer = network_.layers.at(static_cast<size_t>(input.layer));
  if (!input.fusable || uses(node.inputs[i]) != 1)
    fail(6654, node,
         fmt::format("{} cannot be folded into layer '{}' ({}): that layer's output is also "
                     "used by another node, which would see it changed",
                     what, producer.name, netOpName(producer.op)));
  return input.layer;
}

void Lowering::checkModel() const {
  if (model_.bytes->empty()) failGraph(6502, "", "empty file: not an ONNX model");
  if (model_.ir_version < 3 || !model_.has_graph)
    failGraph(6520, "ModelProto",
              fmt::format("not an ONNX model: {} (an ONNX ModelProto has an ir_version >= 3 "
                          "and a graph)",
                          model_.ir_version < 3 ? fmt::format("ir_version is {}", model_.ir_version)
                                                : std::string("no graph")));
  auto it = model_.opsets.find("");
  if (it == model_.opsets.end())
    failGraph(6521, "ModelProto.opset_import",
              "the model imports no version of the default (ai.onnx) operator set");
  if (it->second < kMinOpset || it->second > kMaxOpset)
    failGraph(6522, "ModelProto.opset_import",
              fmt::format("ai.onnx opset {} is not supported ({}..{}: the versions whose "
                          "semantics of the supported ops this reader implements)",
                          it->second, kMinOpset, kMaxOpset));
  if (model_.graph.sparse_initializer_count > 0)
    failGraph(6523, "ModelProto.graph.sparse_initializer",
              "sparse initializers are not supported: store the weights densely");
  if (model_.graph.nodes.empty())
    failGraph(6524, "ModelProto.graph.node", "the graph has no nodes");
}

void Lowering::countUses() {
  for (const OnnxNode &node : model_.graph.nodes)
    for (const std::string &input : node.inputs)
      if (!input.empty()) ++uses_[input];
  for (const OnnxValueInfo &output : model_.graph.outputs) ++uses_[output.name];
  for (const OnnxValueInfo &info : model_.graph.value_info) declared_[info.name] = &info;
  for (const OnnxValueInfo &info : model_.graph.outputs) declared_[info.name] = &info;
}

void Lowering::defineInitializers() {
  for (size_t i = 0; i < model_.graph.initializers.size(); ++i) {
    const OnnxTensor &tensor = model_.graph.initializers[i];
    const std::string field = fmt::format("graph.initializer[{}]", i);
    if (tensor.name.empty()) failGraph(6534, field, "initializer without a name");
    if (values_.count(tensor.name))
      failGraph(6535, field, fmt::format("initializer '{}' is defined twice", tensor.name));
    Constant constant;
    constant.tensor = &tensor;
    constant.int8_domain = tensor.data_type == kInt8;
    values_.emplace(tensor.name, constant);
  }
}

// The one graph input that is not an initializer (before IR version 4 initializers were
// listed as inputs too; an initializer also named as an input is read as the constant).
void Lowering::defineInput() {
  const OnnxValueInfo *input = nullptr;
  for (const OnnxValueInfo &info : model_.graph.inputs) {
    if (values_.count(info.name)) continue;
    if (input)
      failGraph(6525, "graph.input",
                fmt::format("the graph has more than one input ('{}', '{}'); the network model "
                            "has one",
                            input->name, info.name));
    input = &info;
  }
  if (!input) failGraph(6526, "graph.input", "the graph has no input");
  const std::string field = fmt::format("graph.input '{}'", input->name);
  if (!input->is_tensor || !input->has_shape)
    failGraph(6636, field, "the input has no tensor shape to infer shapes from");
  if (input->elem_type != kFloat && input->elem_type != kInt8)
    failGraph(6689, field,
              fmt::format("input type {} is not supported (FLOAT, or INT8 with zero point 0; "
                          "for a quantised input give a FLOAT input and a QuantizeLinear)",
                          dataTypeName(input->elem_type)));
  if (input->dims.size() != 4 && input->dims.size() != 2)
    failGraph(6637, field,
              fmt::format("rank {} input; the network model takes [N, C, H, W] or [N, C]",
                          input->dims.size()));
  ComputedTensor act;
  act.int8 = input->elem_type == kInt8;
  if (act.int8) {  // an int8 input has zero point 0 (its consumers' zero points must say so)
    act.quant.type = ActivationType::Int8;
    network_.input_quant = act.quant;
  }
  for (size_t d = 0; d < input->dims.size(); ++d) {
    const OnnxDim &dim = input->dims[d];
    // A symbolic or unknown batch is common in exports and means "any": the network
    // model is always batch 1. Every other dimension must be fixed.
    if (d == 0 && !dim.value) {
      act.dims.push_back(1);
      continue;
    }
    if (!dim.value)
      failGraph(6638, field,
                fmt::format("dimension {} is {}: shapes are inferred from a fixed input shape", d,
                            dim.param.empty() ? "unknown" : "symbolic ('" + dim.param + "')"));
    if (d == 0 && *dim.value != 1)
      failGraph(6639, field,
                fmt::format("batch {}: the network model runs one sample (batch 1)", *dim.value));
    if (*dim.value < 1 || *dim.value > kMaxDimension)
      failGraph(6640, field,
                fmt::format("dimension {} is {}, outside 1..{}", d, *dim.value, kMaxDimension));
    act.dims.push_back(*dim.value);
  }
  int64_t elements = 1;
  for (int64_t dim : act.dims) elements *= dim;  // at most 4 x 24 bits: no overflow
  if (elements > kMaxElements)
    failGraph(6641, field, fmt::format("{} elements: more than {}", elements, kMaxElements));
  network_.input_name = input->name;
  network_.input_shape = hwcShape(act.dims);
  values_.emplace(input->name, act);
}

void Lowering::lowerNode(const OnnxNode &node) {
  if (!node.domain.empty() && node.domain != "ai.onnx")
    fail(6560, node,
         fmt::format("operator domain '{}' is not supported (only the standard ai.onnx ops; "
                     "contrib ops such as onnxruntime's com.microsoft are not)",
                     node.domain));
  const OpRule *rule = findOpRule(node.op_type);
  if (!rule) fail(6510, node, whyUnsupported(node.op_type));
  if (node.inputs.size() > rule->max_inputs)
    fail(6536, node,
         fmt::format("{} inputs given; {} takes at most {}", node.inputs.size(), node.op_type,
                     rule->max_inputs));
  for (size_t i = 0; i < node.inputs.size(); ++i)
    if (!node.inputs[i].empty() && !values_.count(node.inputs[i]))
      fail(6537, node,
           fmt::format("input '{}' is produced by no earlier node, initializer or graph input "
                       "(ONNX nodes must be listed in topological order)",
                       node.inputs[i]));
  if (node.outputs.empty() || node.outputs[0].empty())
    fail(6538, node, "the node has no (first) output");
  bool used = false;
  for (const std::string &output : node.outputs) used = used || uses(output) > 0;
  if (!used && node.op_type != "Constant")
    fail(6539, node,
         "none of its outputs is used by a later node or is the graph output (a dangling "
         "branch; the network output is the graph's one output)");
  rule->handler(*this, node);
}

void Lowering::finish() {
  const auto &outputs = model_.graph.outputs;
  if (outputs.size() != 1)
    failGraph(
        6527, "graph.output",
        fmt::format("the graph has {} outputs; the network model has exactly one", outputs.size()));
  const std::string field = fmt::format("graph.output '{}'", outputs[0].name);
  auto it = values_.find(outputs[0].name);
  if (it == values_.end()) failGraph(6540, field, "the graph output is produced by no node");
  const auto *out = std::get_if<ComputedTensor>(&it->second);
  if (!out) failGraph(6541, field, "the graph output is a constant");
  if (network_.layers.empty() || out->layer == kNetworkInput)
    failGraph(6542, field, "the graph output is the input: the network has no layers");
  const auto last = static_cast<int>(network_.layers.size()) - 1;
  if (out->layer != last)
    failGraph(6543, field,
              fmt::format("the graph output comes from layer '{}', but layer '{}' comes after "
                          "it",
                          layer(out->layer).name, layer(last).name));

  std::vector<bool> consumed(network_.layers.size(), false);
  for (size_t i = 0; i < network_.layers.size(); ++i) {
    NetLayer &net_layer = network_.layers[i];
    const LayerState &st = states_[i];
    for (int producer : net_layer.input_layers)
      if (producer != kNetworkInput) consumed[static_cast<size_t>(producer)] = true;
    int64_t zeros = 0;
    for (size_t c = 0; c < st.zeros.size(); ++c)
      zeros += st.zeroed[c] ? st.per_channel : st.zeros[c];
    const auto count = static_cast<int64_t>(st.zeros.size()) * st.per_channel;
    const OnnxNode &node = model_.graph.nodes.at(st.node);
    if (count > 0 && zeros == count)
      fail(6695, node,
           fmt::format("every one of its {} weights is zero (after folding): the layer computes "
                       "a constant",
                       count));
    if (count > 0)
      net_layer.weight_sparsity = static_cast<double>(zeros) / static_cast<double>(count);
    layerCost(net_layer);  // refuses counts that overflow 64 bits, naming the layer
  }
  for (size_t i = 0; i + 1 < network_.layers.size(); ++i)
    if (!consumed[i])
      fail(6544, model_.graph.nodes.at(states_[i].node),
           fmt::format("the output of layer '{}' reaches no later layer", network_.layers[i].name));
  decideZeroPointRules();
}

bool keepsQuantization(NetOp op) {
  return op == NetOp::MaxPool || op == NetOp::GlobalMaxPool || op == NetOp::Flatten ||
         op == NetOp::Reshape || op == NetOp::Concat || op == NetOp::Transpose;
}

// docs/onnx.md, "Asymmetric activations": a tensor whose datapath zero point z' is not 0
// keeps it (BiasFold) unless a consumer zero-pads it: the accelerator's padding is the
// int8 value 0, which would be the real value -z'·scale. Such a tensor is re-expressed
// symmetric (Resymmetrised) where it is computed: at the layer that requantises it, seen
// back through the layers that keep their input's values (max pools, relabellings,
// transposes), or at the network input (which the host quantises). A concat's inputs and
// output share one form, so resymmetrising one resymmetrises all of them.
void Lowering::decideZeroPointRules() {
  auto asymmetric = [](const ActivationQuant &q) {
    return q.type != ActivationType::None && q.modelDatapathZeroPoint() != 0 &&
           q.rule != ZeroPointRule::Resymmetrised;
  };
  // Resymmetrises the output of `producer` and what it was taken from; true if it changed.
  std::function<bool(int)> resymmetrise = [&](int producer) {
    ActivationQuant &q = quantOf(producer);
    if (!asymmetric(q)) return false;
    q.rule = ZeroPointRule::Resymmetrised;
    if (producer != kNetworkInput && keepsQuantization(layer(producer).op))
      for (int input : layer(producer).input_layers) resymmetrise(input);
    return true;
  };
  for (bool changed = true; changed;) {
    changed = false;
    for (NetLayer &l : network_.layers) {
      const bool pads =
          (l.op == NetOp::Conv2d || l.op == NetOp::DepthwiseConv2d || l.op == NetOp::AvgPool) &&
          l.padding != Padding{};
      // A layer that keeps its inputs' values, its output or one input resymmetrised.
      bool shared = keepsQuantization(l.op) && l.output_quant.rule == ZeroPointRule::Resymmetrised;
      if (keepsQuantization(l.op))
        for (int input : l.input_layers)
          shared = shared || quantOf(input).rule == ZeroPointRule::Resymmetrised;
      if (pads || shared)
        for (int input : l.input_layers) changed = resymmetrise(input) || changed;
      if (shared && asymmetric(l.output_quant)) {
        l.output_quant.rule = ZeroPointRule::Resymmetrised;
        changed = true;
      }
    }
  }
}

Network Lowering::run() {
  checkModel();
  opset_ = model_.opsets.at("");
  network_.source_file = model_.file;
  network_.name = model_.graph.name.empty() ? std::filesystem::path(model_.file).stem().string()
                                            : model_.graph.name;
  network_.source = sourceOf(model_);
  countUses();
  defineInitializers();
  defineInput();
  for (const OnnxNode &node : model_.graph.nodes) lowerNode(node);
  finish();
  return std::move(network_);
}

}  // namespace onnx

Network readOnnxNetwork(const std::string &path) {
  const onnx::OnnxModel model = onnx::readOnnxFile(path);
  return onnx::Lowering(model).run();
}

Network parseOnnxNetwork(std::string bytes, const std::string &file) {
  const onnx::OnnxModel model =
      onnx::parseOnnxModel(std::make_shared<const std::string>(std::move(bytes)), file);
  return onnx::Lowering(model).run();
}

bool isOnnxFile(const std::string &path) {
  if (std::filesystem::path(path).extension() == ".onnx") return true;
  std::ifstream in(path, std::ios::binary);
  char first = 0;
  return in.get(first) && first == 0x08;
}

Network readNetworkFile(const std::string &path) {
  return isOnnxFile(path) ? readOnnxNetwork(path) : readNetwork(path);
}

}  // namespace pf
