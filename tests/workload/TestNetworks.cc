#include "tests/workload/TestNetworks.hh"

#include <unistd.h>

#include <filesystem>
#include <fstream>

namespace pf::test {

const char *const kGatherNetworkToml = R"([network]
name = "gather"
[input]
name = "x"
shape_hwc = [6, 5, 64]
[[layer]]
name = "a"
op = "conv2d"
out_channels = 128
kernel = 3
padding = "same"
activation = "relu"
[[layer]]
name = "b"
op = "conv2d"
out_channels = 128
kernel = 3
padding = "same"
[[layer]]
name = "down"
op = "conv2d"
inputs = ["x"]
out_channels = 128
kernel = 1
[[layer]]
name = "sum"
op = "add"
inputs = ["b", "down"]
activation = "relu"
[[layer]]
name = "c"
op = "conv2d"
out_channels = 16
kernel = 3
stride = 2
padding = "same"
[[layer]]
name = "e"
op = "conv2d"
inputs = ["sum"]
out_channels = 16
kernel = 1
stride = 2
[[layer]]
name = "sum2"
op = "add"
inputs = ["c", "e"]
[[layer]]
name = "f"
op = "conv2d"
inputs = ["sum"]
out_channels = 512
kernel = 1
stride = 2
activation = "relu"
[[layer]]
name = "g"
op = "conv2d"
out_channels = 16
kernel = 1
[[layer]]
name = "out"
op = "add"
inputs = ["sum2", "g"]
)";

std::string scratchDir() {
  const std::filesystem::path dir =
      std::filesystem::temp_directory_path() / ("pf_workload_test_" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  return dir.string();
}

std::string scratchFile(const std::string &name, const std::string &text) {
  const std::string path = scratchDir() + "/" + name;
  std::ofstream(path) << text;
  return path;
}

const char *const kHostNetworkToml = R"(
[network]
name = "host_ops"
source = "powerflow test network: every host operator between accelerator layers"
[input]
name = "x"
shape_hwc = [8, 8, 8]
[[layer]]
name = "c1"
op = "conv2d"
out_channels = 16
kernel = 3
padding = "same"
[[layer]]
name = "hs"
op = "hard_swish"
[[layer]]
name = "dw"
op = "depthwise_conv2d"
kernel = 3
padding = "same"
activation = "relu"
[[layer]]
name = "gap"
op = "global_avg_pool"
[[layer]]
name = "fc1"
op = "fully_connected"
out_channels = 8
activation = "relu"
[[layer]]
name = "fc2"
op = "fully_connected"
out_channels = 16
[[layer]]
name = "gate"
op = "hard_sigmoid"
[[layer]]
name = "se"
op = "mul"
inputs = ["dw", "gate"]
input_scale = 0.05
input2_scale = 0.0078125
output_scale = 0.05
[[layer]]
name = "pw"
op = "conv2d"
out_channels = 16
kernel = 1
[[layer]]
name = "sig"
op = "sigmoid"
[[layer]]
name = "tr"
op = "transpose"
perm_hwc = [1, 0, 2]
[[layer]]
name = "gmp"
op = "global_max_pool"
[[layer]]
name = "fc3"
op = "fully_connected"
out_channels = 10
[[layer]]
name = "prob"
op = "softmax"
)";

const char *const kConcatNetworkToml = R"toml([network]
name = "concat"
source = "powerflow test network: concats stored in place (a SqueezeNet fire module and more)"
[input]
name = "x"
shape_hwc = [8, 8, 16]
[[layer]]
name = "squeeze"
op = "conv2d"
out_channels = 8
kernel = 1
activation = "relu"
[[layer]]
name = "e1"
op = "conv2d"
out_channels = 16
kernel = 1
activation = "relu"
[[layer]]
name = "e3"
op = "conv2d"
inputs = ["squeeze"]
out_channels = 32
kernel = 3
padding = "same"
activation = "relu"
[[layer]]
name = "fire"
op = "concat"
inputs = ["e1", "e3"]
[[layer]]
name = "pool"
op = "max_pool"
kernel = 2
stride = 2
[[layer]]
name = "dw"
op = "depthwise_conv2d"
kernel = 3
padding = "same"
activation = "relu"
[[layer]]
name = "mix"
op = "concat"
inputs = ["dw", "pool"]
[[layer]]
name = "sq2"
op = "conv2d"
out_channels = 48
kernel = 1
activation = "relu"
[[layer]]
name = "res"
op = "add"
inputs = ["pool", "sq2"]
[[layer]]
name = "gap"
op = "global_avg_pool"
[[layer]]
name = "fc"
op = "fully_connected"
out_channels = 10
)toml";

const char *const kDenseConcatNetworkToml = R"toml([network]
name = "dense_concat"
source = "powerflow test network: nested concats as in a DenseNet block, a concat as output"
[input]
name = "x"
shape_hwc = [6, 6, 16]
[[layer]]
name = "s"
op = "conv2d"
out_channels = 16
kernel = 3
padding = "same"
activation = "relu"
[[layer]]
name = "g1"
op = "conv2d"
out_channels = 16
kernel = 1
activation = "relu"
[[layer]]
name = "c1"
op = "concat"
inputs = ["s", "g1"]
[[layer]]
name = "g2"
op = "conv2d"
out_channels = 16
kernel = 3
padding = "same"
activation = "relu"
[[layer]]
name = "c2"
op = "concat"
inputs = ["c1", "g2"]
[[layer]]
name = "g3"
op = "conv2d"
out_channels = 16
kernel = 1
activation = "relu"
[[layer]]
name = "c3"
op = "concat"
inputs = ["c2", "g3"]
[[layer]]
name = "p"
op = "max_pool"
kernel = 2
stride = 2
[[layer]]
name = "q"
op = "depthwise_conv2d"
kernel = 3
padding = "same"
[[layer]]
name = "out"
op = "concat"
inputs = ["p", "q"]
)toml";

const char *const kConcatCopyNetworkToml = R"toml([network]
name = "concat_copy"
source = "powerflow test network: concat inputs copied into place"
[input]
name = "x"
shape_hwc = [6, 6, 16]
[[layer]]
name = "a"
op = "conv2d"
out_channels = 16
kernel = 3
padding = "same"
activation = "relu"
[[layer]]
name = "c1"
op = "concat"
inputs = ["x", "a"]
[[layer]]
name = "b"
op = "conv2d"
out_channels = 16
kernel = 1
[[layer]]
name = "c2"
op = "concat"
inputs = ["a", "b", "a"]
[[layer]]
name = "d"
op = "depthwise_conv2d"
kernel = 3
padding = "same"
[[layer]]
name = "h"
op = "hard_swish"
inputs = ["b"]
[[layer]]
name = "e"
op = "conv2d"
inputs = ["d"]
out_channels = 16
kernel = 1
activation = "relu"
[[layer]]
name = "c3"
op = "concat"
inputs = ["h", "e"]
[[layer]]
name = "f"
op = "conv2d"
out_channels = 4
kernel = 1
[[layer]]
name = "g"
op = "conv2d"
inputs = ["c3"]
out_channels = 4
kernel = 3
padding = "same"
[[layer]]
name = "c4"
op = "concat"
inputs = ["f", "g"]
[[layer]]
name = "dw4"
op = "depthwise_conv2d"
kernel = 3
stride = 2
padding = "same"
[[layer]]
name = "mp"
op = "max_pool"
kernel = 3
stride = 3
)toml";

const char *const kDsCnnPoolNetworkToml = R"toml([network]
name = "dscnn_pool"
source = "powerflow test network: DS-CNN-like, ending in a 25x5 average pool"
[input]
name = "mfcc"
shape_hwc = [49, 10, 1]
[[layer]]
name = "conv1"
op = "conv2d"
out_channels = 64
kernel = [10, 4]
stride = [2, 2]
padding = "same"
activation = "relu"
[[layer]]
name = "dw1"
op = "depthwise_conv2d"
kernel = 3
padding = "same"
activation = "relu"
[[layer]]
name = "pw1"
op = "conv2d"
out_channels = 64
kernel = 1
activation = "relu"
[[layer]]
name = "pool"
op = "avg_pool"
kernel = [25, 5]
stride = [25, 5]
[[layer]]
name = "fc"
op = "fully_connected"
out_channels = 12
)toml";

const char *const kGlobalPoolNetworkToml = R"toml([network]
name = "global_pools"
source = "powerflow test network: pools over 32x32 split into two passes"
[input]
name = "x"
shape_hwc = [32, 32, 8]
[[layer]]
name = "a"
op = "conv2d"
out_channels = 16
kernel = 1
activation = "relu"
[[layer]]
name = "gap"
op = "global_avg_pool"
[[layer]]
name = "gmp"
op = "global_max_pool"
inputs = ["a"]
[[layer]]
name = "sum"
op = "add"
inputs = ["gap", "gmp"]
[[layer]]
name = "mp16"
op = "max_pool"
inputs = ["a"]
kernel = 16
stride = 16
activation = "relu"
[[layer]]
name = "gap2"
op = "global_avg_pool"
[[layer]]
name = "sum2"
op = "add"
inputs = ["sum", "gap2"]
[[layer]]
name = "fc"
op = "fully_connected"
out_channels = 10
)toml";

Network networkFromToml(const std::string &name, const std::string &toml) {
  return readNetwork(scratchFile(name, toml));
}

}  // namespace pf::test
