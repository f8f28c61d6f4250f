// Helpers shared by the network tests: write a TOML snippet to a temporary file and
// read it, or expect the reader's error.
#pragma once

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "core/Error.hh"
#include "net/Network.hh"

namespace pf::test {

inline std::string writeNet(const std::string &name, const std::string &text) {
  const std::filesystem::path dir =
      std::filesystem::temp_directory_path() / ("pf_net_test_" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  const std::filesystem::path path = dir / name;
  std::ofstream(path) << text;
  return path.string();
}

// The reader must refuse `text` with message `id` at `line`, and the formatted message
// must contain every string in `needles` (the layer name, op, shapes, ...).
inline void expectNetError(const std::string &name, const std::string &text, int id, int line,
                           const std::vector<std::string> &needles) {
  const std::string path = writeNet(name, text);
  try {
    readNetwork(path);
    ADD_FAILURE() << name << ": accepted, expected PF-" << id;
  } catch (const Error &error) {
    EXPECT_EQ(error.id(), id) << error.formatted();
    EXPECT_EQ(error.loc().file, path);
    EXPECT_EQ(error.loc().line, line) << error.formatted();
    EXPECT_GT(error.loc().column, 0) << error.formatted();
    for (const std::string &needle : needles)
      EXPECT_NE(error.formatted().find(needle), std::string::npos)
          << "'" << needle << "' missing from: " << error.formatted();
  }
}

}  // namespace pf::test
