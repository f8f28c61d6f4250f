#include "tests/gen/SequencerSpec.hh"

#include <fmt/format.h>

#include <charconv>
#include <stdexcept>

namespace pf::gen {

namespace {

int number(std::string_view key, std::string_view value) {
  int result = 0;
  const auto [end, error] = std::from_chars(value.data(), value.data() + value.size(), result);
  if (error != std::errc{} || end != value.data() + value.size())
    throw std::invalid_argument(fmt::format("sequencer spec: {}={} is not a number", key, value));
  return result;
}

std::vector<bool> bits(std::string_view value) {
  std::vector<bool> result;
  for (char c : value) {
    if (c != '0' && c != '1')
      throw std::invalid_argument(fmt::format("sequencer spec: has_ret={} is not 0/1", value));
    result.push_back(c == '1');
  }
  return result;
}

std::vector<int> hexDigits(std::string_view value) {
  std::vector<int> result;
  for (char c : value) {
    int digit = 0;
    if (std::from_chars(&c, &c + 1, digit, 16).ec != std::errc{})
      throw std::invalid_argument(fmt::format("sequencer spec: div_min={} is not hex", value));
    result.push_back(digit);
  }
  return result;
}

void set(SequencerParams &p, std::string_view key, std::string_view value) {
  if (key == "module")
    p.module_name = std::string(value);
  else if (key == "rails")
    p.rails = number(key, value);
  else if (key == "domains")
    p.domains = number(key, value);
  else if (key == "dividers")
    p.dividers = number(key, value);
  else if (key == "depth")
    p.rom_depth = number(key, value);
  else if (key == "timeout")
    p.pg_timeout_cycles = number(key, value);
  else if (key == "has_ret")
    p.has_retention = bits(value);
  else if (key == "div_min")
    p.div_min = hexDigits(value);
  else
    throw std::invalid_argument(fmt::format("sequencer spec: unknown key '{}'", key));
}

}  // namespace

SequencerParams parseSequencerSpec(const std::vector<std::string> &words) {
  SequencerParams p;
  for (const std::string &word : words) {
    const size_t eq = word.find('=');
    if (eq == std::string::npos)
      throw std::invalid_argument(fmt::format("sequencer spec: '{}' is not key=value", word));
    set(p, std::string_view(word).substr(0, eq), std::string_view(word).substr(eq + 1));
  }
  const std::vector<std::string> problems = checkSequencerParams(p);
  if (!problems.empty()) throw std::invalid_argument("sequencer spec: " + problems.front());
  return p;
}

SequencerParams parseSequencerSpec(std::string_view text) {
  std::vector<std::string> words;
  size_t at = 0;
  while (at < text.size()) {
    const size_t begin = text.find_first_not_of(" \t\n", at);
    if (begin == std::string_view::npos) break;
    const size_t end = std::min(text.find_first_of(" \t\n", begin), text.size());
    words.emplace_back(text.substr(begin, end - begin));
    at = end;
  }
  return parseSequencerSpec(words);
}

}  // namespace pf::gen
