// What every fuzz target shares (fuzz/README.md): a scratch folder of its own for the
// readers that take a path, and the rule that separates a finding from a refusal. A
// reader that throws pf::Error has refused bad input correctly; anything else escaping
// (std::out_of_range, std::bad_alloc, ...) is a finding, and so is every sanitizer report,
// abort, timeout and out-of-memory, which libFuzzer reports itself.
#pragma once

#include <cstddef>
#include <cstdint>
#include <exception>
#include <string>
#include <string_view>

#include "core/Error.hh"

namespace pf::fuzz {

// This process's scratch folder (a new one in /dev/shm, else under TMPDIR; removed at
// exit).
const std::string &scratchDir();

// Writes the input to scratchDir()/name and returns the path.
std::string writeInput(const uint8_t *data, size_t size, const std::string &name);

// Makes every entry of `source_dir` visible in the scratch folder under its own name
// (symbolic links), so the relative paths an input names (file lists, liberty files)
// resolve as they do beside the repository's own files.
void linkEntriesOf(const std::string &source_dir);

// The repository's root (fuzz targets are built inside a tree of this checkout).
std::string sourceDir();

[[noreturn]] void escapedException(const std::exception &error);

// Runs one input through `read`: a pf::Error is the reader's correct refusal (its text is
// formatted, as the command-line edge would); any other exception is a finding.
template <class Read>
int runOne(Read &&read) {
  try {
    read();
  } catch (const pf::Error &error) {
    (void)error.formatted();
  } catch (const std::exception &error) {
    escapedException(error);
  }
  return 0;
}

}  // namespace pf::fuzz
