// The look the HTML pages of powerflow share (the report page, the sweep's page): one
// stylesheet for text, tables and the charts' common parts, and one way to write a
// section. Each page adds the classes of its own charts.
#pragma once

#include <string>

namespace pf::report {

// Body, headings, notes, tables, and the charts' text and axes.
const char *basePageCss();

// <section id="id"><h2>title</h2>body</section> (the title escaped).
std::string pageSection(const std::string &id, const std::string &title, const std::string &body);

}  // namespace pf::report
