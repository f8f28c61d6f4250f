// Test helpers for the JSON readers' refusals (core/JsonNode.hh): edit a good file's text
// and check that the reader names the message number, the file, the line and the JSON
// path. Shared by the tests of every JSON format (characterization, profile, schedule,
// instance, timing, sim report, gen manifest).
#pragma once

#include <gtest/gtest.h>

#include <algorithm>
#include <cstddef>
#include <string>

#include "core/Error.hh"

namespace pf::test {

// The line of the first occurrence of `needle` in `text` (1-based).
inline int lineOf(const std::string &text, const std::string &needle) {
  const size_t at = text.find(needle);
  EXPECT_NE(at, std::string::npos) << needle;
  return int(std::count(text.begin(), text.begin() + std::ptrdiff_t(at), '\n')) + 1;
}

// `text` with the first `from` replaced by `to` (a test failure if there is none).
inline std::string replacedOnce(std::string text, const std::string &from, const std::string &to) {
  const size_t at = text.find(from);
  EXPECT_NE(at, std::string::npos) << from;
  if (at != std::string::npos) text.replace(at, from.size(), to);
  return text;
}

// `read(text, file)` refuses `text` with `id`, naming `file`, `line` (a column too),
// `field` and a message holding `needle`.
template <typename Reader>
void expectRefusedAt(Reader read, const std::string &text, int id, int line,
                     const std::string &field, const std::string &needle,
                     const std::string &file = "bad.json") {
  try {
    read(text, file);
    ADD_FAILURE() << "accepted; expected PF-" << id << " at " << field;
  } catch (const Error &error) {
    EXPECT_EQ(error.id(), id) << error.formatted();
    EXPECT_EQ(error.loc().file, file) << error.formatted();
    EXPECT_EQ(error.loc().line, line) << error.formatted();
    EXPECT_GT(error.loc().column, 0) << error.formatted();
    EXPECT_EQ(error.field(), field) << error.formatted();
    EXPECT_NE(error.message().find(needle), std::string::npos) << error.formatted();
  }
}

// The first half of `text` is a JSON syntax error (PF-1403) on its last line.
template <typename Reader>
void expectTruncatedRefused(Reader read, const std::string &text) {
  const std::string cut = text.substr(0, text.size() / 2);
  try {
    read(cut, "cut.json");
    ADD_FAILURE() << "a truncated file was accepted";
  } catch (const Error &error) {
    EXPECT_EQ(error.id(), 1403) << error.formatted();
    EXPECT_EQ(error.loc().file, "cut.json");
    EXPECT_EQ(error.loc().line, int(std::count(cut.begin(), cut.end(), '\n')) + 1)
        << error.formatted();
  }
}

}  // namespace pf::test
