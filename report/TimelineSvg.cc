#include "report/TimelineSvg.hh"

#include <fmt/format.h>

#include <algorithm>

#include "report/Svg.hh"

namespace pf::report {

std::string railColor(int rail, int rails) {
  static const char *const kPalette[] = {"#2f9e44", "#94d82d", "#fcc419",
                                         "#ff922b", "#f03e3e", "#ae3ec9"};
  const int last = 5;
  const int index = rails <= 1 ? last - 1 : std::clamp(rail * last / (rails - 1), 0, last);
  return kPalette[index];
}

namespace {

constexpr double kWidth = 1400;
constexpr double kLabelColumn = 120;
constexpr double kRightMargin = 16;
constexpr double kIdleWidth = 170;  // the last row's idle state, drawn compressed
constexpr double kLaneHeight = 16;
constexpr double kBarHeight = 12;
constexpr double kTopBand = 18;  // row header, deadline and period labels
constexpr double kAxisBand = 22;
constexpr double kRowGap = 10;
constexpr double kLegendHeight = 28;

std::string styleBlock(int rails) {
  std::string css =
      "<style>\n"
      ".tl text{font:11px sans-serif;fill:#212529}\n"
      ".tl .state{stroke:#fff;stroke-width:0.5}\n"
      ".tl .off{fill:#e9ecef}\n"
      ".tl .ret{fill:#74c0fc}\n"
      ".tl .mismatch{stroke:#c92a2a;stroke-width:2}\n"
      ".tl .transition,.tl .tmark{fill:#212529;fill-opacity:0.75}\n"
      ".tl .layer{fill:#dee2e6;stroke:#868e96;stroke-width:0.5}\n"
      ".tl .layer.host{fill:#ffd8a8}\n"
      ".tl .layer.idle{fill:#f8f9fa}\n"
      ".tl .clock{fill:#d0bfff;stroke:#fff;stroke-width:0.5}\n"
      ".tl .clock.stopped{fill:#f1f3f5}\n"
      ".tl .axis{stroke:#adb5bd;stroke-width:1}\n"
      ".tl .deadline{stroke:#c92a2a;stroke-width:1.5;stroke-dasharray:4 3}\n"
      ".tl .break{stroke:#868e96;stroke-width:1;stroke-dasharray:2 2}\n"
      ".tl text.small{font-size:10px;fill:#495057}\n"
      ".tl text.lane{fill:#495057}\n"
      ".tl text.red{fill:#c92a2a}\n";
  for (int r = 0; r < rails; ++r)
    css += fmt::format(".tl .r{}{{fill:{}}}\n", r, railColor(r, rails));
  return css + "</style>\n";
}

class Drawer {
 public:
  explicit Drawer(const Timeline &t) : t_(t) {}

  std::string draw() {
    svg_.raw(styleBlock(int(t_.rail_voltages_v.size())));
    legend();
    double y = kLegendHeight;
    for (const TimelineRow &r : t_.rows) y = row(r, y) + kRowGap;
    const std::string label =
        fmt::format("Power-state timeline of one period of {} ({})", t_.network, sourceText());
    return svg_.svg(kWidth, y, "tl", label);
  }

 private:
  std::string sourceText() const {
    return t_.source == TimelineSource::CoSimulation
               ? "layer times and supplies measured in co-simulation"
               : "from the schedule: no co-simulation";
  }

  void legend() {
    double x = 4;
    const double y = 6;
    auto item = [&](const std::string &css, const std::string &label, const std::string &fill) {
      svg_.rect(x, y, 14, 12, css, "", fill);
      svg_.text(x + 18, y + 10, label, "small");
      x += 18 + textWidthPx(label, 10) + 14;
    };
    for (size_t r = 0; r < t_.rail_voltages_v.size(); ++r)
      item(fmt::format("swatch r{}", r), fmt::format("on {:.2f} V", t_.rail_voltages_v[r]), "");
    // Swatches never carry the classes the page's bars are counted by (state, transition).
    item("swatch ret", "retention", "");
    item("swatch off", "off", "");
    item("swatch tmark", "change of supply", "");
    item("swatch clock", "clock divider", "");
    item("swatch layer host", "host segment", "");
  }

  // Draws one row; returns its bottom.
  double row(const TimelineRow &row, double top) {
    const double lanes_top = top + kTopBand;
    const double x0 = kLabelColumn;
    const double x1 = kWidth - kRightMargin - (row.last ? kIdleWidth : 0.0);
    const Scale x{row.start_ns, row.end_ns, x0, x1};
    const double idle_end = kWidth - kRightMargin;
    auto place = [&](double ns) { return ns > row.end_ns + 1e-6 ? idle_end : x(ns); };
    auto inRow = [&](int layer) {
      return layer >= 0 ? layer >= row.first_layer && layer < row.end_layer : row.last;
    };
    const std::string header =
        t_.rows.size() == 1 ? "one period"
                            : fmt::format("layers {}–{}", row.first_layer + 1, row.end_layer);
    svg_.text(4, top + 12, header, "small");
    for (size_t lane = 0; lane < t_.lanes.size(); ++lane)
      svg_.text(x0 - 6, lanes_top + double(lane) * kLaneHeight + 10, t_.lanes[lane], "lane", "end");
    auto barY = [&](int lane) { return lanes_top + lane * kLaneHeight + 1; };
    auto drawBars = [&](const std::vector<TimelineBar> &bars) {
      for (const TimelineBar &bar : bars) {
        if (!inRow(bar.layer)) continue;
        const double bx = place(bar.start_ns);
        const double bw = std::max(place(bar.end_ns) - bx, 0.5);
        svg_.rect(bx, barY(bar.lane), bw, kBarHeight, bar.css_class, bar.title);
        if (!bar.label.empty() && textWidthPx(bar.label, kChartFontPx) + 6 <= bw)
          svg_.text(bx + bw / 2, barY(bar.lane) + 10, bar.label, "", "middle", bar.title);
      }
    };
    drawBars(t_.layers);
    drawBars(t_.clocks);
    drawBars(t_.states);
    for (const TimelineMark &mark : t_.transitions) {
      if (!inRow(mark.layer)) continue;
      const double mx = place(mark.start_ns);
      const double mw = std::max(place(mark.end_ns) - mx, 2.0);
      svg_.rect(mx, barY(mark.lane), mw, kBarHeight, "transition", mark.title);
    }
    const double lanes_bottom = lanes_top + double(t_.lanes.size()) * kLaneHeight;
    axis(x, lanes_bottom);
    if (row.last) lastRowMarks(x, top, lanes_top, lanes_bottom, x1, idle_end);
    return lanes_bottom + kAxisBand;
  }

  void axis(const Scale &x, double y) {
    svg_.line(x.range_lo, y + 1, x.range_hi, y + 1, "axis");
    const int count = std::max(2, int((x.range_hi - x.range_lo) / 120));
    for (double tick : niceTicks(x.domain_lo, x.domain_hi, count)) {
      const std::string label = formatTime(tick);
      const double tx = x(tick);
      const double half = textWidthPx(label, 10) / 2;
      if (tx - half < x.range_lo - 1 || tx + half > x.range_hi + 1) continue;
      svg_.line(tx, y + 1, tx, y + 5, "axis");
      svg_.text(tx, y + 16, label, "small", "middle");
    }
  }

  void lastRowMarks(const Scale &x, double top, double lanes_top, double lanes_bottom, double x1,
                    double idle_end) {
    const double xd = x(t_.deadline_ns);
    svg_.line(xd, lanes_top - 2, xd, lanes_bottom + 2, "deadline");
    svg_.text(xd - 3, top + 12, "deadline " + formatTime(t_.deadline_ns), "small red", "end");
    svg_.line(x1 + 4, lanes_top, x1 + 4, lanes_bottom, "break");
    svg_.text(idle_end, top + 12, "period " + formatTime(t_.period_ns), "small", "end",
              "the idle state lasts until the next tick; drawn compressed");
    svg_.text(idle_end, lanes_bottom + 16,
              "idle " + formatTime(t_.period_ns - t_.idle_start_ns) + " →", "small", "end");
  }

  const Timeline &t_;
  SvgBuilder svg_;
};

}  // namespace

std::string timelineSvg(const Timeline &timeline) { return Drawer(timeline).draw(); }

}  // namespace pf::report
