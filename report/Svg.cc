#include "report/Svg.hh"

#include <fmt/format.h>

#include <cmath>

namespace pf::report {

std::string num(double value, int decimals) {
  if (!std::isfinite(value)) return "0";
  std::string text = fmt::format("{:.{}f}", value, decimals);
  if (text.find('.') != std::string::npos) {
    while (text.back() == '0') text.pop_back();
    if (text.back() == '.') text.pop_back();
  }
  return text == "-0" ? "0" : text;
}

std::string escapeXml(const std::string &text) {
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      default:
        out += c;
    }
  }
  return out;
}

namespace {

// Three significant digits at most, in the unit whose value lies in [1, 1000).
std::string withUnit(double value, const char *const units[], int unit_count) {
  int unit = 0;
  double scaled = value;
  while (unit + 1 < unit_count && std::abs(scaled) >= 1000.0) {
    scaled /= 1000.0;
    ++unit;
  }
  const double magnitude = std::abs(scaled);
  const int decimals = magnitude >= 100 ? 1 : magnitude >= 10 ? 2 : 3;
  return num(scaled, decimals) + " " + units[unit];
}

}  // namespace

std::string formatTime(double ns) {
  static const char *const kUnits[] = {"ns", "µs", "ms", "s"};
  return withUnit(ns, kUnits, 4);
}

std::string formatEnergy(double pj) {
  static const char *const kUnits[] = {"pJ", "nJ", "µJ", "mJ", "J"};
  return withUnit(pj, kUnits, 5);
}

std::string formatPower(double uw) {
  if (std::abs(uw) < 1.0) return num(uw * 1000.0, 1) + " nW";
  static const char *const kUnits[] = {"µW", "mW", "W"};
  return withUnit(uw, kUnits, 3);
}

double textWidthPx(const std::string &text, double font_px) {
  size_t characters = 0;
  for (unsigned char c : text)
    if ((c & 0xC0) != 0x80) ++characters;  // count UTF-8 code points, not bytes
  return 0.62 * font_px * double(characters);
}

double Scale::operator()(double value) const {
  if (domain_hi == domain_lo) return range_lo;
  return range_lo + (value - domain_lo) / (domain_hi - domain_lo) * (range_hi - range_lo);
}

std::vector<double> niceTicks(double lo, double hi, int count) {
  std::vector<double> ticks;
  if (!(hi > lo) || count < 1) return ticks;
  const double raw = (hi - lo) / count;
  const double power = std::pow(10.0, std::floor(std::log10(raw)));
  double step = power;
  for (double factor : {1.0, 2.0, 5.0, 10.0}) {
    step = factor * power;
    if (step >= raw) break;
  }
  for (double t = std::ceil(lo / step - 1e-9) * step; t <= hi + step * 1e-9; t += step)
    ticks.push_back(std::abs(t) < step * 1e-9 ? 0.0 : t);
  return ticks;
}

void SvgBuilder::rect(double x, double y, double w, double h, const std::string &css_class,
                      const std::string &title, const std::string &fill) {
  out_ += fmt::format("<rect class=\"{}\" x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\"", css_class,
                      num(x), num(y), num(std::max(w, 0.0)), num(std::max(h, 0.0)));
  if (!fill.empty()) out_ += fmt::format(" fill=\"{}\"", fill);
  if (title.empty()) {
    out_ += "/>";
  } else {
    out_ += fmt::format("><title>{}</title></rect>", escapeXml(title));
  }
  out_ += "\n";
}

void SvgBuilder::text(double x, double y, const std::string &text, const std::string &css_class,
                      const std::string &anchor, const std::string &title) {
  out_ += fmt::format("<text class=\"{}\" x=\"{}\" y=\"{}\"", css_class, num(x), num(y));
  if (anchor != "start") out_ += fmt::format(" text-anchor=\"{}\"", anchor);
  out_ += ">" + escapeXml(text);
  if (!title.empty()) out_ += fmt::format("<title>{}</title>", escapeXml(title));
  out_ += "</text>\n";
}

void SvgBuilder::line(double x1, double y1, double x2, double y2, const std::string &css_class) {
  out_ += fmt::format("<line class=\"{}\" x1=\"{}\" y1=\"{}\" x2=\"{}\" y2=\"{}\"/>\n", css_class,
                      num(x1), num(y1), num(x2), num(y2));
}

void SvgBuilder::circle(double cx, double cy, double r, const std::string &css_class,
                        const std::string &title) {
  out_ += fmt::format("<circle class=\"{}\" cx=\"{}\" cy=\"{}\" r=\"{}\"", css_class, num(cx),
                      num(cy), num(r));
  out_ += title.empty() ? "/>\n" : fmt::format("><title>{}</title></circle>\n", escapeXml(title));
}

void SvgBuilder::polyline(const std::vector<std::pair<double, double>> &points,
                          const std::string &css_class) {
  std::string coords;
  for (const auto &[x, y] : points) coords += (coords.empty() ? "" : " ") + num(x) + "," + num(y);
  out_ += fmt::format("<polyline class=\"{}\" points=\"{}\"/>\n", css_class, coords);
}

std::string SvgBuilder::svg(double width, double height, const std::string &css_class,
                            const std::string &aria_label) const {
  return fmt::format(
      "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"{}\" width=\"{}\" height=\"{}\" "
      "viewBox=\"0 0 {} {}\" role=\"img\" aria-label=\"{}\">\n{}</svg>\n",
      css_class, num(width), num(height), num(width), num(height), escapeXml(aria_label), out_);
}

}  // namespace pf::report
