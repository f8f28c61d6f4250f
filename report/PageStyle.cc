#include "report/PageStyle.hh"

#include <fmt/format.h>

#include "report/Svg.hh"

namespace pf::report {

const char *basePageCss() {
  return R"(body{font:14px/1.45 sans-serif;color:#212529;margin:24px;max-width:1440px}
h1{font-size:22px;margin:0 0 4px}
h2{font-size:17px;margin:28px 0 6px;border-bottom:1px solid #dee2e6;padding-bottom:3px}
p.lead{color:#495057;margin:2px 0 10px}
p.note{background:#fff4e6;border-left:4px solid #ff922b;padding:6px 10px;margin:8px 0}
p.bad{background:#fff5f5;border-left:4px solid #c92a2a;padding:6px 10px}
table{border-collapse:collapse;margin:6px 0}
td,th{border:1px solid #dee2e6;padding:3px 8px;text-align:right;font-size:13px}
th{background:#f1f3f5}
td.l,th.l{text-align:left}
code{font-size:12px;word-break:break-all}
.scroll{overflow-x:auto}
.chart text{font:11px sans-serif;fill:#212529}
.chart text.small{font-size:10px;fill:#495057}
.chart text.head{font-weight:bold}
.chart text.red{fill:#c92a2a}
.chart .axis{stroke:#adb5bd;stroke-width:1}
.chart .series{fill:none;stroke-width:1.5}
.multiples{display:flex;flex-wrap:wrap;gap:16px}
)";
}

std::string pageSection(const std::string &id, const std::string &title, const std::string &body) {
  return fmt::format("<section id=\"{}\">\n<h2>{}</h2>\n{}</section>\n", id, escapeXml(title),
                     body);
}

}  // namespace pf::report
