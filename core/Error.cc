#include "core/Error.hh"

#include <fmt/format.h>

namespace pf {

namespace {

std::string compose(int id, const SourceLoc &loc, const std::string &field,
                    const std::string &message) {
  std::string text = fmt::format("error PF-{:04d}: ", id);
  if (!loc.file.empty()) {
    text += loc.file;
    if (loc.line > 0) text += fmt::format(":{}", loc.line);
    if (loc.column > 0) text += fmt::format(":{}", loc.column);
    text += ": ";
  }
  if (!field.empty()) text += fmt::format("field '{}': ", field);
  return text + message;
}

}  // namespace

Error::Error(int id, SourceLoc loc, std::string field, const std::string &message)
    : std::runtime_error(compose(id, loc, field, message)),
      id_(id),
      loc_(std::move(loc)),
      field_(std::move(field)),
      message_(message) {}

std::string Error::formatted() const { return what(); }

}  // namespace pf
