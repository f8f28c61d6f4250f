// Headless Chromium as a test instrument for self-contained HTML pages (the report
// page): does the page load without console messages or requests, what is its DOM after
// load, do its labels overlap, and a screenshot for a person to look at.
//
// Every call launches Debian's `chromium` once (about a second) with a fresh profile and
// a net log under $TMPDIR, inside `timeout`: a page or browser that hangs becomes a
// pf::Error naming chromium and its output, never a hung test. docs/report-browser.md
// has the flags, what each check sees and its limits.
#pragma once

#include <string>
#include <vector>

namespace pf::browser {

struct LoadOptions {
  int width = 1600;  // window size in CSS pixels (device scale 1): fixes the layout
  int height = 1000;
  double timeout_seconds = 60;        // the whole chromium run; longer is PF-10902
  double overlap_tolerance_px = 0.5;  // boxes must intersect by more than this
  std::string screenshot_path;        // non-empty: also save a PNG of the window there
  std::string chromium = "chromium";  // program (looked up in PATH)
};

struct PageLoad {
  // Chromium exited normally and the page's load event fired.
  bool loaded = false;
  // The document after load (--dump-dom), without the harness's own elements.
  std::string dom;
  // What the page logged to its console, any level (Chromium 156 logs every page
  // console message at INFO on stderr and does not tell the levels apart), one entry
  // per message: "SOURCE:LINE: MESSAGE" where SOURCE is the page's path for the page
  // itself. Chromium's own stderr lines (D-Bus, GPU, sandbox) are never included.
  std::vector<std::string> console_messages;
  // Every URL the page requested other than the page file itself: network requests from
  // Chromium's net log and loads by elements (img, link, script, iframe, SVG image, ...)
  // including local files. Browser-internal requests (update checks) are not the page's.
  std::vector<std::string> requests;
  // The requests that failed, "URL (ERR_NAME_NOT_RESOLVED)" or "URL (img: load error)".
  std::vector<std::string> failed_requests;
  // One line per pair of overlapping labels (SVG <text> and HTML class "pf-label"):
  // "\"idle\" [18,35 30x16] overlaps \"active\" [40,35 44x16]" (left,top width x height in
  // CSS px, page coordinates).
  std::vector<std::string> overlaps;
  int labels_checked = 0;         // visible labels the overlap check measured
  bool screenshot_saved = false;  // LoadOptions::screenshot_path holds a PNG
  int exit_status = -1;           // chromium's
  std::string chromium_output;    // chromium's stderr, for failure messages
  double seconds = 0;             // wall time of the chromium run
};

// Loads the page in headless Chromium. Throws pf::Error: PF-1001 if the page cannot be
// read, PF-10901 if chromium cannot be started, PF-10902 if it runs longer than
// options.timeout_seconds, PF-10903 if it leaves no readable net log after a normal exit,
// PF-10905 if a temporary directory cannot be made.
PageLoad loadPage(const std::string &html_path, const LoadOptions &options = {});

// The overlapping label pairs of loadPage(); PF-10904 if the page did not load (an
// empty answer always means the check ran).
std::vector<std::string> overlappingTexts(const std::string &html_path,
                                          const LoadOptions &options = {});

// Saves a PNG of the page in a width x height window. Never throws: false with *error
// set (when error is not null) if chromium fails, hangs or writes no PNG.
bool screenshot(const std::string &html_path, const std::string &png_path, int width, int height,
                std::string *error);

// Counts the elements named `tag` (ASCII case-insensitive) whose class attribute contains
// `css_class` as a whole word (any class if css_class is empty), in serialized HTML such
// as PageLoad::dom. A plain scanner, not an HTML parser: it skips comments and the
// contents of script, style, textarea and title, and reads quoted and unquoted attribute
// values; it does not decode character references in class names.
int countElements(const std::string &dom, const std::string &tag, const std::string &css_class);

// True if the file exists and starts with the PNG signature.
bool isPng(const std::string &path);

// A multi-line account of a load for test failure messages: what was found and the end
// of chromium's stderr without its known harmless noise.
std::string describe(const PageLoad &load);

}  // namespace pf::browser
