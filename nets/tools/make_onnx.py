#!/usr/bin/env python3
"""Writes ONNX forms of zoo networks to nets/onnx/ (docs/onnx.md, nets/README.md).

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
OUT_DIR = os.path.join(NETS_DIR, "onnx")

# network -> (form, options)
MODELS = {
    "mlperf_tiny_kws_dscnn": dict(form="float", batch_norm=True, pads="auto", fc="gemm"),
    "mlperf_tiny_ic_resnet8": dict(form="qdq", batch_norm=False, pads="explicit", fc="matmul"),
    "mlperf_tiny_ad_fc_autoencoder": dict(form="qdq", batch_norm=True, pads="explicit",
                                          fc="alternate"),
    "mlperf_tiny_vww_mobilenetv1_025": dict(form="qop", batch_norm=False, pads="explicit",
                                            fc="matmul"),
}

ACT_SCALE = 0.05  # every activation's int8 scale (zero point 0); values do not matter here


def same_pads(size, kernel, stride):
    out = -(-size // stride)
    total = max((out - 1) * stride + kernel - size, 0)
    return total // 2, total - total // 2


def pair(value):
    return list(value) if isinstance(value, list) else [value, value]


class Builder:
    def __init__(self, net, options):
        self.net, self.opt = net, options
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

    def quantize(self, tensor, scale=ACT_SCALE):
        return self.node("QuantizeLinear",
                         [tensor, self.scalar("scale", scale, np.float32),
                          self.scalar("zero", 0, np.int8)], [self.fresh(tensor + "_q")])

    def dequantize(self, tensor, scale=ACT_SCALE):
        return self.node("DequantizeLinear",
                         [tensor, self.scalar("scale", scale, np.float32),
                          self.scalar("zero", 0, np.int8)], [self.fresh(tensor + "_dq")])

    def as_float(self, name):
        entry = self.tensors[name]
        if entry.get("float") is None:
            entry["float"] = self.dequantize(entry["int8"])
        return entry["float"]

    def as_int8(self, name):
        entry = self.tensors[name]
        if entry.get("int8") is None:
            entry["int8"] = self.quantize(entry["float"])
        return entry["int8"]

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
            inputs = [self.as_int8(src), self.scalar("x_scale", ACT_SCALE, np.float32),
                      self.scalar("x_zero", 0, np.int8), self.init(name + ".weight_q", q),
                      self.init(name + ".weight_scale", scales),
                      self.init(name + ".weight_zero", np.zeros(m, np.int8)),
                      self.scalar("y_scale", ACT_SCALE, np.float32),
                      self.scalar("y_zero", 0, np.int8),
                      self.init(name + ".bias_q",
                                np.round(bias / (ACT_SCALE * scales)).astype(np.int32))]
            out = self.node("QLinearConv", inputs, [name + "_out"], name=name, **attrs)
            return self.finish(layer, out, [1, m, out_h, out_w], int8=True)
        if form == "qdq":
            q, scales = self.int8_weights(name, w, 0)
            weight = self.node("DequantizeLinear",
                               [self.init(name + ".weight_q", q),
                                self.init(name + ".weight_scale", scales),
                                self.init(name + ".weight_zero", np.zeros(m, np.int8))],
                               [name + ".weight"], axis=0)
            b = self.node("DequantizeLinear",
                          [self.init(name + ".bias_q",
                                     np.round(bias / (ACT_SCALE * scales)).astype(np.int32)),
                           self.init(name + ".bias_scale", (ACT_SCALE * scales).astype(np.float32)),
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
            inputs = [self.as_int8(src), self.scalar("a_scale", ACT_SCALE, np.float32),
                      self.scalar("a_zero", 0, np.int8), self.init(name + ".weight_q", q),
                      self.init(name + ".weight_scale", scales),
                      self.init(name + ".weight_zero", np.zeros(n, np.int8)),
                      self.scalar("y_scale", ACT_SCALE, np.float32),
                      self.scalar("y_zero", 0, np.int8)]
            # QLinearMatMul has no bias input, and a float Add after its requantised
            # output would not fold exactly (the reader refuses it): no bias here.
            out = self.node("QLinearMatMul", inputs, [name + "_out"], name=name)
            return self.finish(layer, out, [1, n], int8=True)
        if form == "qdq":
            weights_t = w.T if style == "gemm" else w  # Gemm uses transB = 1: [N, K]
            axis = 0 if style == "gemm" else 1
            q, scales = self.int8_weights(name, weights_t, axis)
            weight = self.node("DequantizeLinear",
                               [self.init(name + ".weight_q", q),
                                self.init(name + ".weight_scale", scales),
                                self.init(name + ".weight_zero", np.zeros(n, np.int8))],
                               [name + ".weight"], axis=axis)
            bias_q = np.round(bias / (ACT_SCALE * scales)).astype(np.int32)
            b = self.node("DequantizeLinear",
                          [self.init(name + ".bias_q", bias_q),
                           self.init(name + ".bias_scale", (ACT_SCALE * scales).astype(np.float32)),
                           self.init(name + ".bias_zero", np.zeros(n, np.int32))],
                          [name + ".bias"], axis=0)
        else:
            weights_t = w.T if style == "gemm" else w
            weight = self.init(name + ".weight", weights_t)
            b = self.init(name + ".bias", bias)
        x = self.as_float(src)
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
        if activation == "relu":
            out = self.node("Relu", [out], [name + "_relu"], name=name + "_relu")
        elif activation == "relu6":
            low, high = (0, round(6 / ACT_SCALE)) if int8 else (0.0, 6.0)
            dtype = np.int8 if int8 else np.float32
            out = self.node("Clip", [out, self.scalar("min", low, dtype),
                                     self.scalar("max", min(high, 127) if int8 else high, dtype)],
                            [name + "_relu6"], name=name + "_relu6")
        if int8:
            self.tensors[name] = dict(int8=out, float=None, dims=dims)
        elif self.opt["form"] == "qdq":
            self.tensors[name] = dict(float=self.dequantize(self.quantize(out)), int8=None,
                                      dims=dims)
        else:
            self.tensors[name] = dict(float=out, int8=None, dims=dims)

    def pool(self, layer, src):
        name, dims = layer["name"], self.tensors[src]["dims"]
        if layer["op"] == "global_avg_pool":
            out = self.node("GlobalAveragePool", [self.as_float(src)], [name + "_out"], name=name)
            return self.finish(layer, out, [1, dims[1], 1, 1])
        attrs, _, out_h, out_w = self.window_attrs(layer, dims)
        op = "MaxPool" if layer["op"] == "max_pool" else "AveragePool"
        out = self.node(op, [self.as_float(src)], [name + "_out"], name=name, **attrs)
        return self.finish(layer, out, [1, dims[1], out_h, out_w])

    def build(self, toml_net):
        header, inp = toml_net["network"], toml_net["input"]
        h, w, c = inp["shape_hwc"]
        input_name = inp.get("name", "input")
        dims = [1, c, h, w] if (h, w) != (1, 1) else [1, c]
        self.tensors[input_name] = dict(float=input_name, int8=None, dims=dims)
        if self.opt["form"] == "qdq":
            self.tensors[input_name]["float"] = self.dequantize(self.quantize(input_name))
        previous, fc_index = input_name, 0
        for layer in toml_net["layer"]:
            srcs = layer.get("inputs", [previous])
            op = layer["op"]
            if op in ("conv2d", "depthwise_conv2d"):
                self.conv(layer, srcs[0])
            elif op == "fully_connected":
                self.fully_connected(layer, srcs[0], fc_index)
                fc_index += 1
            elif op in ("max_pool", "avg_pool", "global_avg_pool"):
                self.pool(layer, srcs[0])
            elif op == "add":
                out = self.node("Add", [self.as_float(s) for s in srcs], [layer["name"] + "_out"],
                                name=layer["name"])
                self.finish(layer, out, self.tensors[srcs[0]]["dims"])
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
        opset = 14 if self.opt["form"] == "qop" else 13
        model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", opset)],
                                  producer_name="powerflow nets/tools/make_onnx.py",
                                  producer_version="1")
        model.doc_string = header.get("source", "")
        model.ir_version = 8
        model = onnx.shape_inference.infer_shapes(model, strict_mode=True)
        onnx.checker.check_model(model, full_check=True)
        return model


def main():
    os.makedirs(OUT_DIR, exist_ok=True)
    for net, options in MODELS.items():
        with open(os.path.join(NETS_DIR, net + ".toml"), "rb") as handle:
            toml_net = tomllib.load(handle)
        model = Builder(net, options).build(toml_net)
        path = os.path.join(OUT_DIR, net + ".onnx")
        data = model.SerializeToString(deterministic=True)
        with open(path, "wb") as handle:
            handle.write(data)
        print(f"{os.path.relpath(path)}: {len(data)} bytes, {len(model.graph.node)} nodes")


if __name__ == "__main__":
    main()
