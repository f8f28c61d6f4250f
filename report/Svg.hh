// Small helpers every chart of the report uses: deterministic number text (the page must
// be byte-identical from run to run), XML escaping, engineering units, a linear scale
// with round tick values, and an estimate of a label's width so charts place labels only
// where they fit (the browser test checks that no two labels overlap).
#pragma once

#include <string>
#include <vector>

namespace pf::report {

// Fixed-point text with at most `decimals` decimals, trailing zeros trimmed ("12.5", "3").
std::string num(double value, int decimals = 2);
std::string escapeXml(const std::string &text);

// "662.0 µs", "1.93 ms", "80 ns": a time in ns with a unit chosen by magnitude.
std::string formatTime(double ns);
// "12.3 nJ", "12.12 µJ", "850 pJ": an energy in pJ.
std::string formatEnergy(double pj);
// "1.2 mW", "12.7 µW": a power in µW.
std::string formatPower(double uw);

// Width in px of `text` in the page's sans-serif font at `font_px`: an upper estimate
// (0.62 em per character), so a label judged to fit does.
double textWidthPx(const std::string &text, double font_px);

// The charts' text size.
inline constexpr double kChartFontPx = 11;

struct Scale {
  double domain_lo = 0.0, domain_hi = 1.0;
  double range_lo = 0.0, range_hi = 1.0;
  double operator()(double value) const;
};

// Round tick values (1, 2 or 5 x 10^k apart) covering [lo, hi], about `count` of them.
std::vector<double> niceTicks(double lo, double hi, int count);

// An SVG fragment built element by element; every element can carry a tooltip (<title>).
class SvgBuilder {
 public:
  void rect(double x, double y, double w, double h, const std::string &css_class,
            const std::string &title = "", const std::string &fill = "");
  void text(double x, double y, const std::string &text, const std::string &css_class,
            const std::string &anchor = "start", const std::string &title = "");
  void line(double x1, double y1, double x2, double y2, const std::string &css_class);
  void circle(double cx, double cy, double r, const std::string &css_class,
              const std::string &title = "");
  void polyline(const std::vector<std::pair<double, double>> &points, const std::string &css_class);
  void raw(const std::string &markup) { out_ += markup; }

  // The fragment wrapped in an <svg> element of the given size.
  std::string svg(double width, double height, const std::string &css_class,
                  const std::string &aria_label) const;
  const std::string &body() const { return out_; }

 private:
  std::string out_;
};

}  // namespace pf::report
