// Fuzz target: the TOML layer every TOML reader stands on (core/Toml.cc): parseTomlFile
// and the typed accessors of TomlReader, tried on every key of every table.
#include "core/Toml.hh"

#include <functional>

#include "fuzz/FuzzSupport.hh"

namespace {

void tryAccess(const std::function<void()> &access) {
  try {
    access();
  } catch (const pf::Error &error) {
    (void)error.formatted();
  }
}

void walk(const pf::TomlReader &reader, int depth) {
  tryAccess([&] { reader.rejectUnknownKeys({"name", "voltage_v"}); });
  for (const auto &[key_view, node] : reader.table()) {
    const std::string key(key_view.str());
    tryAccess([&] { (void)reader.requireNumber(key); });
    tryAccess([&] { (void)reader.requireNumberIn(key, -1.0, 1.0); });
    tryAccess([&] { (void)reader.requireInteger(key); });
    tryAccess([&] { (void)reader.requireString(key); });
    tryAccess([&] { (void)reader.stringArrayOr(key); });
    tryAccess([&] { (void)reader.requireNumberArray(key); });
    (void)reader.fieldPath(key);
    (void)reader.locationOf(key);
    if (depth >= 8) continue;
    tryAccess([&] { walk(reader.requireTable(key), depth + 1); });
    tryAccess([&] {
      for (const pf::TomlReader &item : reader.tableArray(key)) walk(item, depth + 1);
    });
  }
  tryAccess([&] { (void)reader.requireNumber("missing"); });
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  return pf::fuzz::runOne([&] {
    const std::string path = pf::fuzz::writeInput(data, size, "input.toml");
    const toml::table table = pf::parseTomlFile(path);
    walk(pf::TomlReader(table, path), 0);
  });
}
