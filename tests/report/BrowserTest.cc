// The headless Chromium harness (report/browser) with the real chromium. Every check is
// shown to pass on a clean page and to fail on a page with the defect planted (a
// console error, an external request, a missing local file, overlapping labels, a hang).
#include <fmt/format.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>

#include "core/Error.hh"
#include "report/browser/Browser.hh"

namespace pf::browser {
namespace {

namespace fs = std::filesystem;

// A fresh file under a per-process scratch directory ($TMPDIR).
std::string writePage(const std::string &name, const std::string &html) {
  const char *tmp = std::getenv("TMPDIR");
  const fs::path dir =
      fs::path(tmp && *tmp ? tmp : "/tmp") / fmt::format("pf_browser_{}", getpid());
  fs::create_directories(dir);
  const fs::path path = dir / name;
  std::ofstream(path, std::ios::binary) << html;
  return path.string();
}

std::string page(const std::string &body, const std::string &head = "") {
  return "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta "
         "charset=\"utf-8\">\n<title>t</title>\n" +
         head + "</head>\n<body>\n" + body + "\n</body>\n</html>\n";
}

// A timeline-like inline SVG: three bars (one with a second class), a rect whose class
// only starts with "bar", and labels well apart. Non-ASCII text keeps its encoding.
const char *const kCleanBody = R"(<style>.bar{fill:#36c}</style>
<svg width="600" height="120" viewBox="0 0 600 120">
<!-- <rect class="bar"> in a comment is no element -->
<rect class="bar" x="10" y="10" width="50" height="20"/>
<rect class="bar gated" x="70" y="10" width="80" height="20"/>
<rect class='bar' x="160" y="10" width="30" height="20"/>
<rect class="barrier" x="200" y="10" width="30" height="20"/>
<text x="10" y="60">conv1 1.2 µJ</text>
<text x="300" y="60">fc 0.4 µJ</text>
</svg>
<p class="pf-label">Energy per period</p>)";

TEST(Browser, CountElementsMatchesWholeClassWords) {
  EXPECT_EQ(countElements(kCleanBody, "rect", "bar"), 3);
  EXPECT_EQ(countElements(kCleanBody, "RECT", "gated"), 1);
  EXPECT_EQ(countElements(kCleanBody, "rect", "barrier"), 1);
  EXPECT_EQ(countElements(kCleanBody, "rect", "ba"), 0);
  EXPECT_EQ(countElements(kCleanBody, "rect", ""), 4);
  EXPECT_EQ(countElements(kCleanBody, "text", ""), 2);
  EXPECT_EQ(
      countElements(R"(<div class=bar></div><div data-x=">" class="x bar"></div>)", "div", "bar"),
      2);
  EXPECT_EQ(
      countElements(R"(<script>"<rect class='bar'>"</script><rect class="bar">)", "rect", "bar"),
      1);
  EXPECT_EQ(countElements("<rectangle class=\"bar\"><rect\nclass=\"bar\">", "rect", "bar"), 1);
}

TEST(Browser, CleanPageLoadsWithoutMessagesOrRequests) {
  const std::string path = writePage("clean.html", page(kCleanBody));
  const std::string png = writePage("clean.png", "");  // replaced by the screenshot
  LoadOptions options;
  options.screenshot_path = png;
  const PageLoad load = loadPage(path, options);
  EXPECT_TRUE(load.loaded) << describe(load);
  EXPECT_TRUE(load.console_messages.empty()) << describe(load);
  EXPECT_TRUE(load.requests.empty()) << describe(load);
  EXPECT_TRUE(load.failed_requests.empty()) << describe(load);
  EXPECT_TRUE(load.overlaps.empty()) << describe(load);
  EXPECT_EQ(load.labels_checked, 3) << describe(load);
  EXPECT_EQ(countElements(load.dom, "rect", "bar"), 3);
  EXPECT_NE(load.dom.find("conv1 1.2 µJ"), std::string::npos) << load.dom;
  // The harness's own elements are not in the DOM it returns.
  EXPECT_EQ(load.dom.find("pf-probe"), std::string::npos) << load.dom;
  EXPECT_EQ(countElements(load.dom, "script", ""), 0);
  EXPECT_TRUE(load.screenshot_saved);
}

TEST(Browser, ConsoleErrorIsReportedWithItsLine) {
  // The script is on line 9 of the page.
  const std::string path =
      writePage("console.html", page("<p>x</p>\n<script>console.error(\"planted\")</script>"));
  const PageLoad load = loadPage(path);
  EXPECT_TRUE(load.loaded) << describe(load);
  ASSERT_EQ(load.console_messages.size(), 1u) << describe(load);
  EXPECT_EQ(load.console_messages[0], path + ":9: planted");
  EXPECT_TRUE(load.requests.empty()) << describe(load);
}

TEST(Browser, ExternalRequestIsListedAndFailed) {
  const std::string path =
      writePage("external.html",
                page(R"(<img src="http://cdn.example.com/chart.png" alt="">)",
                     "<link rel=\"stylesheet\" href=\"https://fonts.example.org/a.css\">\n"));
  const PageLoad load = loadPage(path);
  EXPECT_TRUE(load.loaded) << describe(load);
  EXPECT_EQ(load.requests, (std::vector<std::string>{"https://fonts.example.org/a.css",
                                                     "http://cdn.example.com/chart.png"}))
      << describe(load);
  ASSERT_EQ(load.failed_requests.size(), 2u) << describe(load);
  EXPECT_EQ(load.failed_requests[0], "https://fonts.example.org/a.css (ERR_NAME_NOT_RESOLVED)");
  EXPECT_TRUE(load.console_messages.empty()) << describe(load);
}

TEST(Browser, LocalFilesAreRequestsAndMissingOnesFail) {
  const std::string present = writePage("present.svg", R"(<svg xmlns="http://www.w3.org/2000/svg"
width="4" height="4"><rect width="4" height="4"/></svg>)");
  const std::string path = writePage(
      "local.html", page(R"(<img src="present.svg" alt=""><img src="missing.png" alt="">)"));
  const PageLoad load = loadPage(path);
  EXPECT_TRUE(load.loaded) << describe(load);
  const std::string dir = "file://" + fs::path(path).parent_path().string();
  EXPECT_EQ(load.requests, (std::vector<std::string>{dir + "/present.svg", dir + "/missing.png"}))
      << describe(load);
  EXPECT_EQ(load.failed_requests,
            (std::vector<std::string>{dir + "/missing.png (img: load error)"}))
      << describe(load);
}

std::string labelsPage(double second_x) {
  return page(fmt::format(R"(<svg width="600" height="100">
<text x="10" y="40" font-size="14">idle 12 uW</text>
<text x="{}" y="40" font-size="14">active 3 mW</text>
</svg>
<div style="position:relative;height:40px">
<span class="pf-label" style="position:absolute;left:10px">deadline</span>
<span class="pf-label" style="position:absolute;left:{}px">period</span>
</div>)",
                          second_x, second_x));
}

TEST(Browser, OverlappingLabelsAreReported) {
  const std::string path = writePage("overlap.html", labelsPage(40));
  const std::vector<std::string> overlaps = overlappingTexts(path);
  ASSERT_EQ(overlaps.size(), 2u) << fmt::format("{}", fmt::join(overlaps, "\n"));
  EXPECT_NE(overlaps[0].find("\"idle 12 uW\""), std::string::npos) << overlaps[0];
  EXPECT_NE(overlaps[0].find("overlaps \"active 3 mW\""), std::string::npos) << overlaps[0];
  EXPECT_NE(overlaps[1].find("\"deadline\""), std::string::npos) << overlaps[1];
  EXPECT_NE(overlaps[1].find("overlaps \"period\""), std::string::npos) << overlaps[1];
}

TEST(Browser, LabelsApartAreNotReported) {
  const std::string path = writePage("apart.html", labelsPage(300));
  const PageLoad load = loadPage(path);
  EXPECT_TRUE(load.loaded) << describe(load);
  EXPECT_TRUE(load.overlaps.empty()) << describe(load);
  EXPECT_EQ(load.labels_checked, 4) << describe(load);
}

TEST(Browser, ScreenshotIsAPngInTheBuildTree) {
  const std::string path = writePage("shot.html", page(kCleanBody));
  const std::string png = std::string(PF_BROWSER_TEST_OUT) + "/screenshots/browser-clean.png";
  std::string error;
  ASSERT_TRUE(screenshot(path, png, 800, 300, &error)) << error;
  EXPECT_TRUE(isPng(png));
  EXPECT_GT(fs::file_size(png), 1000u);

  const std::string none = std::string(PF_BROWSER_TEST_OUT) + "/screenshots/none.png";
  EXPECT_FALSE(screenshot(path + ".absent", none, 800, 300, &error));
  EXPECT_NE(error.find("no such page"), std::string::npos) << error;
  EXPECT_FALSE(fs::exists(none));
}

TEST(Browser, HangIsAnErrorNamingChromium) {
  const std::string path = writePage("hang.html", page("<script>while (true) {}</script>"));
  LoadOptions options;
  options.timeout_seconds = 2;
  try {
    loadPage(path, options);
    FAIL() << "a page that never loads did not time out";
  } catch (const Error &error) {
    EXPECT_EQ(error.id(), 10902);
    EXPECT_NE(error.message().find("chromium did not finish within 2 s"), std::string::npos)
        << error.formatted();
  }
}

TEST(Browser, MissingPageOrProgramIsAnError) {
  try {
    loadPage("/nonexistent/page.html");
    FAIL() << "no error for a missing page";
  } catch (const Error &error) {
    EXPECT_EQ(error.id(), 1001) << error.formatted();
  }
  const std::string path = writePage("any.html", page("<p>x</p>"));
  LoadOptions options;
  options.chromium = "pf-no-such-browser";
  try {
    loadPage(path, options);
    FAIL() << "no error for a missing chromium";
  } catch (const Error &error) {
    EXPECT_EQ(error.id(), 10901) << error.formatted();
  }
}

}  // namespace
}  // namespace pf::browser
