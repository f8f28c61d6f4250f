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

Network networkFromToml(const std::string &name, const std::string &toml) {
  return readNetwork(scratchFile(name, toml));
}

}  // namespace pf::test
