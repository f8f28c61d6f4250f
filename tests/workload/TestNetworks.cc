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

Network networkFromToml(const std::string &name, const std::string &toml) {
  return readNetwork(scratchFile(name, toml));
}

}  // namespace pf::test
