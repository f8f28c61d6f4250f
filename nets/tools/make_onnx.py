#!/usr/bin/env python3
"""Writes ONNX forms of zoo networks to nets/onnx/ and of the test networks in nets/tests/
to nets/tests/onnx/ (docs/onnx.md, nets/README.md).

Each model is built from the network's TOML in nets/ (not from a framework export), in
the shape exporters give, so that reading the ONNX file and reading the TOML must give
the same pf::Network (tests/net/OnnxReaderTest.cc checks this layer by layer):

  mlperf_tiny_kws_dscnn          float: Conv (group = channels for depthwise) followed by
                                 BatchNormalization and Relu, auto_pad = SAME_UPPER,
                                 AveragePool, Flatten, Gemm (transB = 1, with bias)
  mlperf_tiny_ic_resnet8         QDQ: int8 weights behind DequantizeLinear (per output
                                 channel), int32 biases, QuantizeLinear/DequantizeLinear on
                                 every activation, explicit pads, residual Add, MatMul +
                                 bias Add for the classifier
  mlperf_tiny_ad_fc_autoencoder  QDQ fully connected: Gemm and MatMul + Add alternating,
                                 each followed by BatchNormalization (as in the Keras
                                 reference) and Relu
  mlperf_tiny_vww_mobilenetv1_025  QOperator: QuantizeLinear at the input, QLinearConv
                                 with int32 bias, Relu on int8 (opset 14), DequantizeLinear
                                 before the float AveragePool/Flatten, QLinearMatMul
                                 (no bias: it has no bias input)

and the test networks of nets/tests/ (host operators, docs/host.md), all at opset 14 (the
first with HardSwish; Softmax has its opset 13 single-axis semantics):

  test_cnn_softmax               float: as kws above, then Softmax
  test_mobilenetv3_block         QDQ: HardSwish, a squeeze-and-excitation block
                                 (GlobalAveragePool, Squeeze, Gemm, HardSigmoid,
                                 Unsqueeze, Mul broadcasting [1,C,1,1]), residual Add,
                                 Softmax; every host operator between DequantizeLinear and
                                 QuantizeLinear with the scales its TOML gives
  test_transpose_max_pool        QOperator: Transpose on int8 tensors, QLinearConv,
                                 Sigmoid and GlobalMaxPool between DequantizeLinear and
                                 QuantizeLinear, a float Softmax output
  test_squeezenet_fire           QDQ: fire modules, Concat (axis 1) of the two expand
                                 convolutions between DequantizeLinear and QuantizeLinear
                                 with one scale (a concat's inputs and output share it)
  test_dscnn_pool25x5            float: as kws above with AveragePool 25x5 over the whole
                                 map, then Softmax
  test_cnn_softmax_qdq_u8        test_cnn_softmax in onnxruntime's default quantize_static
                                 shape ("qdq_u8"): uint8 activations, zero point 0 for
                                 tensors that cannot be negative (ReLU outputs, whose Relu
                                 nodes onnxruntime removes: the QuantizeLinear clamps at 0;
                                 pools and relabellings of them) at scale 0.025, 128 for the
                                 others at 0.05; int8 symmetric per-channel weights; the
                                 final Softmax reads the default host input scale 1/16 and
                                 its output stays float (the TOML gives no scales)

Host operators in each form:

  float     the op on float tensors (the reader gives them defaultHostParams' scales)
  QDQ       DequantizeLinear -> op -> QuantizeLinear -> DequantizeLinear; the scales are
            the TOML's input_scale (input2_scale) and output_scale, which the QDQ form
            therefore needs for every host operator but transpose
  QOperator DequantizeLinear -> op -> QuantizeLinear (no QLinear host ops exist in the
            standard domain); the last layer's output may stay float (no output_scale)
  transpose has no scales: on the float tensor (float, QDQ, with its input's scale) or
            on the int8 tensor directly (QOperator), as onnxruntime's quantiser does

A fully connected layer on a 1x1xC tensor that is [1, C, 1, 1] in ONNX reads it through
Squeeze (axes 2, 3); a Mul whose second operand is [1, C] reads it through Unsqueeze to
[1, C, 1, 1]: neither makes a layer, as in the TOML. TOML scales and HardSigmoid's alpha
and beta must be decimals that float32 keeps (at most about 7 significant digits; the
reader reads float32 values back as the shortest such decimal).

Layer nodes (Conv, Gemm, pools, Add, Flatten, ...) are named after the TOML layers, the
graph input after the TOML input, so the reader's layer names equal the TOML's. Weights
are deterministic pseudo-random values (seeded by network and layer name) with no zeros
except a fraction weight_sparsity of each layer's weights where the TOML gives one.

Needs Debian's python3-onnx (which brings numpy):

    apt-get install -y python3-onnx
    /usr/bin/python3 nets/tools/make_onnx.py        # from the repository root

Use the system interpreter: a python3 from pyenv or a virtualenv does not see Debian's
packages.
"""

import os
import sys
import tomllib
import zlib

try:
    import numpy as np
    import onnx
    from onnx import TensorProto, helper, numpy_helper
except ImportError as error:  # pragma: no cover - environment message
    sys.exit(f"make_onnx.py: {error}; install Debian's python3-onnx and run /usr/bin/python3")

NETS_DIR = os.path.normpath(os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))

# network (TOML path under nets/, without .toml) -> (form, options); the model is
# written to onnx/<name>.onnx beside the TOML (the TOML is options["toml"] if given).
MODELS = {
    "mlperf_tiny_kws_dscnn": dict(form="float", batch_norm=True, pads="auto", fc="gemm"),
    "mlperf_tiny_ic_resnet8": dict(form="qdq", batch_norm=False, pads="explicit", fc="matmul"),
    "mlperf_tiny_ad_fc_autoencoder": dict(form="qdq", batch_norm=True, pads="explicit",
                                          fc="alternate"),
    "mlperf_tiny_vww_mobilenetv1_025": dict(form="qop", batch_norm=False, pads="explicit",
                                            fc="matmul"),
    "tests/test_cnn_softmax": dict(form="float", batch_norm=True, pads="auto", fc="gemm"),
    "tests/test_mobilenetv3_block": dict(form="qdq", batch_norm=False, pads="explicit",
                                         fc="gemm"),
    "tests/test_transpose_max_pool": dict(form="qop", batch_norm=False, pads="explicit",
                                          fc="matmul"),
    "tests/test_squeezenet_fire": dict(form="qdq", batch_norm=False, pads="explicit", fc="gemm"),
    "tests/test_dscnn_pool25x5": dict(form="float", batch_norm=True, pads="auto", fc="gemm"),
    # onnxruntime's quantize_static default shape, from the TOML named by `toml`.
    "tests/test_cnn_softmax_qdq_u8": dict(toml="tests/test_cnn_softmax", form="qdq_u8",
                                          batch_norm=False, pads="explicit", fc="gemm"),
}

HOST_OPS = ("softmax", "sigmoid", "hard_sigmoid", "hard_swish", "mul", "transpose")
# A relabelling (and a transpose, which moves int8 values unchanged) keeps its input's
# scale: the tensors of one such chain share one scale; a concat's inputs and output too.
SAME_SCALE_OPS = ("flatten", "reshape", "transpose", "concat")
# docs/host.md, "Default scales": the u8 form gives a host operator without TOML scales
# these, so that the reader's scales equal the TOML's defaults.
HOST_DEFAULT_INPUT_SCALE = 1.0 / 16
# HWC axis (0 = H, 1 = W, 2 = C) -> NCHW axis
NCHW_AXIS = {0: 2, 1: 3, 2: 1}

ACT_SCALE = 0.05  # an activation's int8 scale (zero point 0) unless a host op gives one


def fail(message):
    sys.exit(f"make_onnx.py: {message}")


def float32_decimal(layer, key, value):
    """A TOML number that float32 keeps as the same shortest decimal (the reader's view)."""
    if float(str(np.float32(value))) != float(value):
        fail(f"layer '{layer}': {key} = {value} is not a float32 decimal (ONNX stores float32; "
             f"write {str(np.float32(value))})")
    return float(value)


def tensor_scales(toml_net, form):
    """The int8 scale of every TOML tensor (input and layer names).

    Host operators ask for their inputs' scales (input_scale, input2_scale) and give their
    output's (output_scale); flatten, reshape and transpose keep their input's scale. A
    tensor nobody asks about gets ACT_SCALE; two different requests are an error.
    """
    input_name = toml_net["input"].get("name", "input")
    parent, previous = {input_name: input_name}, input_name
    layers = toml_net["layer"]

    def root(name):
        while parent[name] != name:
            name = parent[name]
        return name

    for layer in layers:
        srcs = layer.get("inputs", [previous])
        parent[layer["name"]] = root(srcs[0]) if layer["op"] in SAME_SCALE_OPS else layer["name"]
        if layer["op"] == "concat":
            for src in srcs[1:]:
                parent[root(src)] = root(srcs[0])
        previous = layer["name"]

    wanted = {}

    def want(tensor, scale, who):
        group = root(tensor)
        if group in wanted and wanted[group][0] != scale:
            fail(f"tensor '{tensor}' needs scale {scale} for {who} but {wanted[group][0]} for "
                 f"{wanted[group][1]}: one int8 tensor has one scale")
        wanted[group] = (scale, who)

    previous = input_name
    for index, layer in enumerate(layers):
        srcs, name, op = layer.get("inputs", [previous]), layer["name"], layer["op"]
        previous = name
        if op not in HOST_OPS or op == "transpose":
            continue
        keys = ["input_scale", "input2_scale"][:len(srcs)]
        last = index == len(layers) - 1
        if form == "qdq_u8":
            if not last or op != "softmax" or any(k in layer for k in keys + ["output_scale"]):
                fail(f"layer '{name}' ({op}): the u8 form carries only a final softmax without "
                     f"TOML scales (its input gets the default scale, its output stays float)")
            want(srcs[0], HOST_DEFAULT_INPUT_SCALE, f"{name} (default input scale)")
            continue
        if form != "float":
            missing = [k for k in keys + ["output_scale"] if k not in layer
                       and not (k == "output_scale" and form == "qop" and last)]
            if missing:
                fail(f"layer '{name}' ({op}): the {form} form carries its scales, so the TOML "
                     f"must give {', '.join(missing)} (else the reader's defaults differ)")
        elif any(k in layer for k in keys + ["output_scale"]):
            fail(f"layer '{name}' ({op}): a float model has no scales; the reader gives "
                 f"defaultHostParams, so the TOML must not give any")
        for key, src in zip(keys, srcs):
            if key in layer:
                want(src, float32_decimal(name, key, layer[key]), f"{name}.{key}")
        if "output_scale" in layer:
            want(name, float32_decimal(name, "output_scale", layer["output_scale"]),
                 f"{name}.output_scale")
    positive = non_negative(toml_net)
    if form != "qdq_u8":
        positive = {tensor: False for tensor in parent}
    # u8 form: a range that starts at 0 needs half the symmetric range's scale.
    return {tensor: wanted.get(root(tensor), (ACT_SCALE / (2 if positive[tensor] else 1),))[0]
            for tensor in parent}


def non_negative(toml_net):
    """Which TOML tensors cannot be negative: outputs of a ReLU/ReLU6, of softmax, sigmoid
    and hard sigmoid, and pools, adds, relabellings and concats of such tensors."""
    input_name = toml_net["input"].get("name", "input")
    result, previous = {input_name: False}, input_name
    for layer in toml_net["layer"]:
        srcs, name, op = layer.get("inputs", [previous]), layer["name"], layer["op"]
        previous = name
        inputs = [result[src] for src in srcs]
        if layer.get("activation", "none") in ("relu", "relu6"):
            result[name] = True
        elif op in ("softmax", "sigmoid", "hard_sigmoid"):
            result[name] = True
        elif op in ("max_pool", "avg_pool", "global_avg_pool", "global_max_pool", "add",
                    "flatten", "reshape", "transpose", "concat"):
            result[name] = all(inputs)
        else:
            result[name] = False
    return result


def same_pads(size, kernel, stride):
    out = -(-size // stride)
    total = max((out - 1) * stride + kernel - size, 0)
    return total // 2, total - total // 2


def pair(value):
    return list(value) if isinstance(value, list) else [value, value]


class Builder:
    def __init__(self, net, options):
        self.net, self.opt = net, options
        self.scale = {}  # TOML tensor name -> int8 scale (tensor_scales)
        self.nodes, self.inits = [], []
        self.tensors = {}  # TOML name -> dict(float=..., int8=..., dims=[...])
        self.counter = 0

    # ---- helpers
    def rng(self, layer, what):
        return np.random.default_rng(zlib.crc32(f"{self.net}/{layer}/{what}".encode()))

    def fresh(self, base):
        self.counter += 1
        return f"{base}__{self.counter}"

    def init(self, name, array):
        self.inits.append(numpy_helper.from_array(np.asarray(array), name))
        return name

    def node(self, op, inputs, outputs, name=None, **attrs):
        self.nodes.append(helper.make_node(op, inputs, outputs, name=name or self.fresh(op), **attrs))
        return outputs[0]

    def scalar(self, name, value, dtype):
        return self.init(self.fresh(name), np.array(value, dtype=dtype))

    def zero_point(self, name):
        """TOML tensor `name`'s zero point: int8 0, or in the u8 form uint8 0 for a tensor
        that cannot be negative and 128 otherwise (onnxruntime's default from a range that
        starts at 0 or is symmetric)."""
        if self.opt["form"] != "qdq_u8":
            return np.array(0, dtype=np.int8)
        return np.array(0 if self.non_negative[name] else 128, dtype=np.uint8)

    def quantize(self, tensor, name):
        """QuantizeLinear of ONNX tensor `tensor` with TOML tensor `name`'s parameters."""
        return self.node("QuantizeLinear",
                         [tensor, self.scalar("scale", self.scale[name], np.float32),
                          self.init(self.fresh("zero"), self.zero_point(name))],
                         [self.fresh(tensor + "_q")])

    def dequantize(self, tensor, name):
        return self.node("DequantizeLinear",
                         [tensor, self.scalar("scale", self.scale[name], np.float32),
                          self.init(self.fresh("zero"), self.zero_point(name))],
                         [self.fresh(tensor + "_dq")])

    def as_float(self, name):
        entry = self.tensors[name]
        if entry.get("float") is None:
            entry["float"] = self.dequantize(entry["int8"], name)
        return entry["float"]

    def as_int8(self, name):
        entry = self.tensors[name]
        if entry.get("int8") is None:
            entry["int8"] = self.quantize(entry["float"], name)
        return entry["int8"]

    def as_vector(self, name, tensor):
        """`tensor` (a form of TOML tensor `name`) as [1, C]: Squeeze of [1, C, 1, 1]."""
        dims = self.tensors[name]["dims"]
        if len(dims) == 2:
            return tensor
        if dims[2:] != [1, 1]:
            fail(f"{self.net}: '{name}' {dims} is not a vector (insert a flatten)")
        axes = self.init(self.fresh("axes"), np.array([2, 3], dtype=np.int64))
        return self.node("Squeeze", [tensor, axes], [self.fresh(name + "_vector")])

    def weights(self, layer, shape, sparsity, out_axis):
        """Float weights with exactly round(sparsity * count) zeros, none elsewhere."""
        values = self.rng(layer, "w").uniform(0.05, 1.0, size=shape)
        values *= self.rng(layer, "sign").choice([-1.0, 1.0], size=shape)
        zeros = round(sparsity * values.size)
        if zeros:
            flat = values.reshape(-1)
            flat[self.rng(layer, "zeros").choice(values.size, size=zeros, replace=False)] = 0.0
        return values.astype(np.float32)

    def int8_weights(self, layer, values, out_axis):
        """Per-output-channel int8 weights: nonzero floats map to nonzero int8."""
        moved = np.moveaxis(values, out_axis, 0).reshape(values.shape[out_axis], -1)
        scales = (np.abs(moved).max(axis=1) / 127.0).astype(np.float32)
        shape = [1] * values.ndim
        shape[out_axis] = -1
        q = np.round(values / scales.reshape(shape))
        q = np.where((q == 0) & (values != 0), np.sign(values), q)
        return np.clip(q, -127, 127).astype(np.int8), scales

    # ---- layers
    def window_attrs(self, layer, dims):
        kernel = pair(layer.get("kernel", 1))
        stride = pair(layer.get("stride", 1))
        padding = layer.get("padding", "valid")
        attrs = dict(kernel_shape=kernel, strides=stride)
        if padding == "same":
            if self.opt["pads"] == "auto":
                attrs["auto_pad"] = "SAME_UPPER"
                pads = None
            else:
                top, bottom = same_pads(dims[2], kernel[0], stride[0])
                left, right = same_pads(dims[3], kernel[1], stride[1])
                pads = [top, left, bottom, right]
        elif padding == "valid":
            pads = None
        elif isinstance(padding, int):
            pads = [padding] * 4
        else:
            pads = list(padding)
        if pads is not None:
            attrs["pads"] = pads
        top, left, bottom, right = pads or (0, 0, 0, 0)
        if attrs.get("auto_pad") == "SAME_UPPER":
            out_h, out_w = -(-dims[2] // stride[0]), -(-dims[3] // stride[1])
        else:
            out_h = (dims[2] + top + bottom - kernel[0]) // stride[0] + 1
            out_w = (dims[3] + left + right - kernel[1]) // stride[1] + 1
        return attrs, kernel, out_h, out_w

    def conv(self, layer, src):
        name, dims = layer["name"], self.tensors[src]["dims"]
        depthwise = layer["op"] == "depthwise_conv2d"
        c_in = dims[1]
        m = c_in if depthwise else layer["out_channels"]
        attrs, kernel, out_h, out_w = self.window_attrs(layer, dims)
        if depthwise:
            attrs["group"] = c_in
        w = self.weights(name, [m, 1 if depthwise else c_in] + kernel,
                         layer.get("weight_sparsity", 0.0), 0)
        bias = self.rng(name, "b").normal(0, 0.1, size=m).astype(np.float32)
        form = self.opt["form"]
        if form == "qop":
            q, scales = self.int8_weights(name, w, 0)
            inputs = [self.as_int8(src), self.scalar("x_scale", self.scale[src], np.float32),
                      self.scalar("x_zero", 0, np.int8), self.init(name + ".weight_q", q),
                      self.init(name + ".weight_scale", scales),
                      self.init(name + ".weight_zero", np.zeros(m, np.int8)),
                      self.scalar("y_scale", self.scale[name], np.float32),
                      self.scalar("y_zero", 0, np.int8),
                      self.init(name + ".bias_q",
                                np.round(bias / (self.scale[src] * scales)).astype(np.int32))]
            out = self.node("QLinearConv", inputs, [name + "_out"], name=name, **attrs)
            return self.finish(layer, out, [1, m, out_h, out_w], int8=True)
        if form in ("qdq", "qdq_u8"):
            q, scales = self.int8_weights(name, w, 0)
            weight = self.node("DequantizeLinear",
                               [self.init(name + ".weight_q", q),
                                self.init(name + ".weight_scale", scales),
                                self.init(name + ".weight_zero", np.zeros(m, np.int8))],
                               [name + ".weight"], axis=0)
            bias_scale = (self.scale[src] * scales).astype(np.float32)
            b = self.node("DequantizeLinear",
                          [self.init(name + ".bias_q",
                                     np.round(bias / bias_scale).astype(np.int32)),
                           self.init(name + ".bias_scale", bias_scale),
                           self.init(name + ".bias_zero", np.zeros(m, np.int32))],
                          [name + ".bias"], axis=0)
            inputs = [self.as_float(src), weight, b]
        else:
            inputs = [self.as_float(src), self.init(name + ".weight", w)]
            if not self.has_batch_norm(layer):  # the BatchNormalization's beta is the bias
                inputs.append(self.init(name + ".bias", bias))
        out = self.node("Conv", inputs, [name + "_out"], name=name, **attrs)
        return self.finish(layer, out, [1, m, out_h, out_w])

    def fully_connected(self, layer, src, index):
        name, dims = layer["name"], self.tensors[src]["dims"]
        k, n = dims[1], layer["out_channels"]
        form = self.opt["form"]
        style = self.opt["fc"]
        if style == "alternate":
            style = "gemm" if index % 2 == 0 else "matmul"
        w = self.weights(name, [k, n], layer.get("weight_sparsity", 0.0), 1)
        bias = self.rng(name, "b").normal(0, 0.1, size=n).astype(np.float32)
        if form == "qop":
            q, scales = self.int8_weights(name, w, 1)
            inputs = [self.as_vector(src, self.as_int8(src)),
                      self.scalar("a_scale", self.scale[src], np.float32),
                      self.scalar("a_zero", 0, np.int8), self.init(name + ".weight_q", q),
                      self.init(name + ".weight_scale", scales),
                      self.init(name + ".weight_zero", np.zeros(n, np.int8)),
                      self.scalar("y_scale", self.scale[name], np.float32),
                      self.scalar("y_zero", 0, np.int8)]
            # QLinearMatMul has no bias input, and a float Add after its requantised
            # output would not fold exactly (the reader refuses it): no bias here.
            out = self.node("QLinearMatMul", inputs, [name + "_out"], name=name)
            return self.finish(layer, out, [1, n], int8=True)
        if form in ("qdq", "qdq_u8"):
            weights_t = w.T if style == "gemm" else w  # Gemm uses transB = 1: [N, K]
            axis = 0 if style == "gemm" else 1
            q, scales = self.int8_weights(name, weights_t, axis)
            weight = self.node("DequantizeLinear",
                               [self.init(name + ".weight_q", q),
                                self.init(name + ".weight_scale", scales),
                                self.init(name + ".weight_zero", np.zeros(n, np.int8))],
                               [name + ".weight"], axis=axis)
            bias_scale = (self.scale[src] * scales).astype(np.float32)
            bias_q = np.round(bias / bias_scale).astype(np.int32)
            b = self.node("DequantizeLinear",
                          [self.init(name + ".bias_q", bias_q),
                           self.init(name + ".bias_scale", bias_scale),
                           self.init(name + ".bias_zero", np.zeros(n, np.int32))],
                          [name + ".bias"], axis=0)
        else:
            weights_t = w.T if style == "gemm" else w
            weight = self.init(name + ".weight", weights_t)
            b = self.init(name + ".bias", bias)
        x = self.as_vector(src, self.as_float(src))
        if style == "gemm":
            out = self.node("Gemm", [x, weight, b], [name + "_out"], name=name, transB=1)
        else:
            out = self.node("MatMul", [x, weight], [name + "_mm"], name=name)
            out = self.node("Add", [out, b], [name + "_out"], name=name + "_bias")
        return self.finish(layer, out, [1, n])

    def has_batch_norm(self, layer):
        """As in both Keras references: every weighted layer followed by a ReLU has one."""
        weighted = layer["op"] in ("conv2d", "depthwise_conv2d", "fully_connected")
        return self.opt["batch_norm"] and weighted and layer.get("activation") == "relu"

    def finish(self, layer, out, dims, int8=False):
        """BatchNormalization (weighted layers), activation, then the activation's QDQ."""
        name = layer["name"]
        if self.has_batch_norm(layer):
            c = dims[1]
            rng = self.rng(name, "bn")
            params = [rng.uniform(0.5, 1.5, c), rng.normal(0, 0.1, c), rng.normal(0, 0.1, c),
                      rng.uniform(0.5, 1.5, c)]
            names = [self.init(f"{name}.bn.{p}", v.astype(np.float32))
                     for p, v in zip(["scale", "bias", "mean", "var"], params)]
            out = self.node("BatchNormalization", [out] + names, [name + "_bn"],
                            name=name + "_bn", epsilon=1e-3)
        activation = layer.get("activation", "none")
        if activation == "relu" and self.opt["form"] == "qdq_u8":
            pass  # removed, as onnxruntime does: the QuantizeLinear's zero point 0 clamps at 0
        elif activation == "relu":
            out = self.node("Relu", [out], [name + "_relu"], name=name + "_relu")
        elif activation == "relu6":
            low, high = (0, round(6 / self.scale[name])) if int8 else (0.0, 6.0)
            dtype = np.int8 if int8 else np.float32
            out = self.node("Clip", [out, self.scalar("min", low, dtype),
                                     self.scalar("max", min(high, 127) if int8 else high, dtype)],
                            [name + "_relu6"], name=name + "_relu6")
        if int8:
            self.tensors[name] = dict(int8=out, float=None, dims=dims)
        elif self.opt["form"] in ("qdq", "qdq_u8"):
            self.tensors[name] = dict(float=self.dequantize(self.quantize(out, name), name),
                                      int8=None, dims=dims)
        else:
            self.tensors[name] = dict(float=out, int8=None, dims=dims)

    def pool(self, layer, src):
        name, dims = layer["name"], self.tensors[src]["dims"]
        if layer["op"] in ("global_avg_pool", "global_max_pool"):
            op = "GlobalAveragePool" if layer["op"] == "global_avg_pool" else "GlobalMaxPool"
            out = self.node(op, [self.as_float(src)], [name + "_out"], name=name)
            return self.finish(layer, out, [1, dims[1], 1, 1])
        attrs, _, out_h, out_w = self.window_attrs(layer, dims)
        op = "MaxPool" if layer["op"] == "max_pool" else "AveragePool"
        out = self.node(op, [self.as_float(src)], [name + "_out"], name=name, **attrs)
        return self.finish(layer, out, [1, dims[1], out_h, out_w])

    def concat(self, layer, srcs):
        """Concat along channels (axis 1) of the inputs in the form they have: int8 tensors
        directly in the QOperator form, float (dequantised) tensors otherwise; all inputs
        share one scale (tensor_scales), so the concat does not requantise."""
        name = layer["name"]
        dims = list(self.tensors[srcs[0]]["dims"])
        dims[1] = sum(self.tensors[src]["dims"][1] for src in srcs)
        if len({int(self.zero_point(src)) for src in srcs}) > 1:
            fail(f"{self.net}: concat '{name}' of inputs with and without negative values: their "
                 f"zero points differ in the u8 form (a requantising concat)")
        if self.opt["form"] == "qop":
            out = self.node("Concat", [self.as_int8(src) for src in srcs], [name + "_out"],
                            name=name, axis=1)
            self.tensors[name] = dict(int8=out, float=None, dims=dims)
            return
        out = self.node("Concat", [self.as_float(src) for src in srcs], [name + "_out"],
                        name=name, axis=1)
        self.finish(layer, out, dims)

    def host_op(self, layer, srcs):
        """A host operator (docs/host.md) in the model's form; see the module docstring."""
        name, op = layer["name"], layer["op"]
        dims = self.tensors[srcs[0]]["dims"]
        form = self.opt["form"]
        if op == "transpose":
            perm = layer["perm_hwc"]
            if len(dims) == 2:
                if perm != [0, 1, 2]:
                    fail(f"{self.net}: transpose '{name}' of the vector '{srcs[0]}' {dims}")
                onnx_perm = [0, 1]
            else:
                onnx_perm = [0, NCHW_AXIS[perm[2]], NCHW_AXIS[perm[0]], NCHW_AXIS[perm[1]]]
            out_dims = [dims[a] for a in onnx_perm]
            if form == "qop":  # data movement on the int8 tensor, as onnxruntime does
                out = self.node("Transpose", [self.as_int8(srcs[0])], [name + "_out"], name=name,
                                perm=onnx_perm)
                self.tensors[name] = dict(int8=out, float=None, dims=out_dims)
                return
            out = self.node("Transpose", [self.as_float(srcs[0])], [name + "_out"], name=name,
                            perm=onnx_perm)
            return self.finish(layer, out, out_dims)
        if op == "mul":
            a = self.as_float(srcs[0])
            b = self.as_float(srcs[1])
            b_dims = self.tensors[srcs[1]]["dims"]
            if len(dims) == 4 and len(b_dims) == 2 and b_dims[1] != 1:
                axes = self.init(self.fresh("axes"), np.array([2, 3], dtype=np.int64))
                b = self.node("Unsqueeze", [b, axes], [self.fresh(srcs[1] + "_nchw")])
            out = self.node("Mul", [a, b], [name + "_out"], name=name)
        else:
            attrs = {}
            if op == "softmax":
                axis = "hwc".index(layer.get("axis", "c"))
                if len(dims) == 2 and axis != 2:
                    fail(f"{self.net}: softmax '{name}' along {'hw'[axis]} of a vector")
                attrs["axis"] = 1 if len(dims) == 2 else NCHW_AXIS[axis]
            if op == "hard_sigmoid":
                attrs["alpha"] = float32_decimal(name, "alpha", layer.get("alpha", 0.2))
                attrs["beta"] = float32_decimal(name, "beta", layer.get("beta", 0.5))
            onnx_op = {"softmax": "Softmax", "sigmoid": "Sigmoid", "hard_sigmoid": "HardSigmoid",
                       "hard_swish": "HardSwish"}[op]
            out = self.node(onnx_op, [self.as_float(srcs[0])], [name + "_out"], name=name, **attrs)
        if form == "qop" and "output_scale" in layer:  # DQ -> op -> Q
            self.tensors[name] = dict(int8=self.quantize(out, name), float=None,
                                      dims=dims)
        elif form == "qdq_u8":  # the final softmax's output stays float (tensor_scales)
            self.tensors[name] = dict(float=out, int8=None, dims=dims)
        else:
            self.finish(layer, out, dims)

    def build(self, toml_net):
        header, inp = toml_net["network"], toml_net["input"]
        self.scale = tensor_scales(toml_net, self.opt["form"])
        self.non_negative = non_negative(toml_net)
        h, w, c = inp["shape_hwc"]
        input_name = inp.get("name", "input")
        dims = [1, c, h, w] if (h, w) != (1, 1) else [1, c]
        self.tensors[input_name] = dict(float=input_name, int8=None, dims=dims)
        if self.opt["form"] in ("qdq", "qdq_u8"):
            self.tensors[input_name]["float"] = self.dequantize(
                self.quantize(input_name, input_name), input_name)
        previous, fc_index = input_name, 0
        for layer in toml_net["layer"]:
            srcs = layer.get("inputs", [previous])
            op = layer["op"]
            if op in ("conv2d", "depthwise_conv2d"):
                self.conv(layer, srcs[0])
            elif op == "fully_connected":
                self.fully_connected(layer, srcs[0], fc_index)
                fc_index += 1
            elif op in ("max_pool", "avg_pool", "global_avg_pool", "global_max_pool"):
                self.pool(layer, srcs[0])
            elif op in HOST_OPS:
                self.host_op(layer, srcs)
            elif op == "add":
                out = self.node("Add", [self.as_float(s) for s in srcs], [layer["name"] + "_out"],
                                name=layer["name"])
                self.finish(layer, out, self.tensors[srcs[0]]["dims"])
            elif op == "concat":
                self.concat(layer, srcs)
            elif op == "flatten":
                src = self.tensors[srcs[0]]
                form = "float" if src.get("float") is not None else "int8"
                out = self.node("Flatten", [src[form]], [layer["name"] + "_out"],
                                name=layer["name"], axis=1)
                self.tensors[layer["name"]] = dict(float=None, int8=None,
                                                   dims=[1, int(np.prod(src["dims"]))])
                self.tensors[layer["name"]][form] = out
            else:
                sys.exit(f"make_onnx.py: {self.net}: op {op} has no ONNX form here")
            previous = layer["name"]

        last = self.tensors[previous]
        output = self.as_float(previous)
        out_dims = last["dims"]
        graph = helper.make_graph(
            self.nodes, header["name"],
            [helper.make_tensor_value_info(input_name, TensorProto.FLOAT, ["batch"] + dims[1:])],
            [helper.make_tensor_value_info(output, TensorProto.FLOAT, out_dims)],
            initializer=self.inits)
        host = any(layer["op"] in HOST_OPS for layer in toml_net["layer"])
        # HardSwish is an opset 14 op; the zoo models keep the opsets they were made with.
        opset = 14 if self.opt["form"] == "qop" or host else 13
        model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", opset)],
                                  producer_name="powerflow nets/tools/make_onnx.py",
                                  producer_version="1")
        model.doc_string = header.get("source", "")
        model.ir_version = 8
        model = onnx.shape_inference.infer_shapes(model, strict_mode=True)
        onnx.checker.check_model(model, full_check=True)
        return model


def main():
    for net, options in MODELS.items():
        with open(os.path.join(NETS_DIR, options.get("toml", net) + ".toml"), "rb") as handle:
            toml_net = tomllib.load(handle)
        model = Builder(os.path.basename(net), options).build(toml_net)
        out_dir = os.path.join(NETS_DIR, os.path.dirname(net), "onnx")
        os.makedirs(out_dir, exist_ok=True)
        path = os.path.join(out_dir, os.path.basename(net) + ".onnx")
        data = model.SerializeToString(deterministic=True)
        with open(path, "wb") as handle:
            handle.write(data)
        print(f"{os.path.relpath(path)}: {len(data)} bytes, {len(model.graph.node)} nodes")


if __name__ == "__main__":
    main()
