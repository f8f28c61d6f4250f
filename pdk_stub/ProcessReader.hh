// Reads pdk_stub/process.toml into ProcessParams. Every field is required, range-checked
// and unit-converted here; errors are pf::Error naming file, line, column and field
// (PF-2001..2099 for pdk-specific checks, PF-11xx from the TOML layer).
#pragma once

#include <toml++/toml.h>

#include <string>

#include "pdk_stub/Model.hh"

namespace pf::pdk {

ProcessParams readProcessFile(const std::string &path);

// `file` names the source in error messages.
ProcessParams parseProcessTable(const toml::table &root, const std::string &file);

}  // namespace pf::pdk
