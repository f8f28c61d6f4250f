#include "characterize/liberty/Liberty.hh"

#include <algorithm>

namespace pf::liberty {

namespace {

// Where x falls on an axis: interpolate between index[lo] and index[lo + 1] with weight
// `fraction`. Outside the grid the end segment is used and fraction leaves [0, 1], which
// extrapolates linearly.
struct Segment {
  size_t lo = 0;
  double fraction = 0;
};

Segment locate(const std::vector<double> &index, double x) {
  if (index.size() < 2) return {};
  auto upper = std::upper_bound(index.begin() + 1, index.end() - 1, x);
  size_t lo = static_cast<size_t>(upper - index.begin()) - 1;
  double width = index[lo + 1] - index[lo];
  return {lo, width == 0 ? 0.0 : (x - index[lo]) / width};
}

double lerp(double a, double b, double fraction) { return a + (b - a) * fraction; }

// The coordinate for one axis. Axes that are neither a slew nor a load (output net length,
// ...) are read at their first point.
double coordinate(TableVariable variable, const std::vector<double> &index, double transition_ns,
                  double load_pf) {
  switch (variable) {
    case TableVariable::InputTransitionNs:
    case TableVariable::RelatedPinTransitionNs:
    case TableVariable::ConstrainedPinTransitionNs:
      return transition_ns;
    case TableVariable::OutputLoadPf:
      return load_pf;
    case TableVariable::None:
    case TableVariable::Other:
      break;
  }
  return index.empty() ? 0.0 : index.front();
}

}  // namespace

double Table::lookup(double input_transition_ns, double output_load_pf) const {
  return lookupByIndex(coordinate(variable_1, index_1, input_transition_ns, output_load_pf),
                       coordinate(variable_2, index_2, input_transition_ns, output_load_pf));
}

double Table::lookupByIndex(double index_1_value, double index_2_value) const {
  if (values.empty()) return 0;
  if (index_1.empty()) return values.front();
  size_t n2 = std::max<size_t>(1, index_2.size());
  Segment s1 = locate(index_1, index_1_value);
  Segment s2 = locate(index_2, index_2_value);
  size_t hi1 = std::min(s1.lo + 1, index_1.size() - 1);
  size_t hi2 = std::min(s2.lo + 1, n2 - 1);
  auto at = [&](size_t i1, size_t i2) { return values[i1 * n2 + i2]; };
  double low = lerp(at(s1.lo, s2.lo), at(s1.lo, hi2), s2.fraction);
  double high = lerp(at(hi1, s2.lo), at(hi1, hi2), s2.fraction);
  return lerp(low, high, s1.fraction);
}

const Pin *Cell::findPin(const std::string &pin_name) const {
  for (const Pin &pin : pins)
    if (pin.name == pin_name) return &pin;
  return nullptr;
}

// Inout pins are both inputs and outputs.
std::vector<const Pin *> Cell::inputs() const {
  std::vector<const Pin *> result;
  for (const Pin &pin : pins)
    if (pin.direction == PinDirection::Input || pin.direction == PinDirection::Inout)
      result.push_back(&pin);
  return result;
}

std::vector<const Pin *> Cell::outputs() const {
  std::vector<const Pin *> result;
  for (const Pin &pin : pins)
    if (pin.direction == PinDirection::Output || pin.direction == PinDirection::Inout)
      result.push_back(&pin);
  return result;
}

const Cell *Library::findCell(const std::string &cell_name) const {
  for (const Cell &cell : cells)
    if (cell.name == cell_name) return &cell;
  return nullptr;
}

}  // namespace pf::liberty
