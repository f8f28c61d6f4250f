// Verilog file lists (`.f`): one source per line, relative to the list's directory;
// blank lines, `#` / `//` comments and tool options (`+incdir+`, `-D…`) are skipped.
#pragma once

#include <string>
#include <vector>

namespace pf {

// Absolute paths of the sources, in list order. Throws pf::Error naming the list (and
// the line) if the list or a source cannot be read (PF-1005/1006), a source is not a
// text file (PF-1008), or the list names no source (PF-1007).
std::vector<std::string> readFileList(const std::string &list);

}  // namespace pf
