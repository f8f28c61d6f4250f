// Helpers shared by the Yosys and OpenSTA steps: tool invocation, log scanning,
// message quoting. Internal to characterize/synth.
#pragma once

#include <string>
#include <vector>

#include "characterize/synth/Synth.hh"
#include "core/Subprocess.hh"

namespace pf::synth {

// Lines of `output` that start with `prefix` (after leading spaces) or contain
// "<prefix>:" after a file:line location, at most `limit` of them.
std::vector<std::string> linesWith(const std::string &output, const std::string &prefix,
                                   size_t limit = 5);
// The last `count` non-empty lines of a tool log, for "it died without a message".
std::string lastLines(const std::string &output, size_t count);
// "  | line" quoting of tool output in an error message.
std::string quote(const std::vector<std::string> &lines);

void writeText(const std::string &path, const std::string &text);
void makeDirectories(const std::string &path);
std::string absolutePath(const std::string &path);

// Every liberty file must also parse cleanly in OpenSTA, whose parser is stricter than
// Yosys's (Yosys stops at the library's closing brace). Throws 5204 naming the file.
void checkLibrariesWithSta(const std::vector<LibertyCorner> &corners, const std::string &work_dir);

}  // namespace pf::synth
