#include "report/browser/Browser.hh"

#include <fmt/format.h>
#include <stdlib.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <map>
#include <regex>
#include <sstream>

#include "core/Error.hh"
#include "core/Files.hh"
#include "core/Json.hh"
#include "core/Subprocess.hh"

namespace pf::browser {

namespace fs = std::filesystem;

namespace {

// A fresh directory under $TMPDIR (or /tmp) for one chromium run: the page copy, the
// profile, the net log and chromium's stderr. Removed with everything in it.
class ScratchDir {
 public:
  ScratchDir() {
    const char *env = std::getenv("TMPDIR");
    const std::string root = env && *env ? env : "/tmp";
    std::error_code ignored;
    fs::create_directories(root, ignored);
    std::string pattern = root + "/pf-browser-XXXXXX";
    if (::mkdtemp(pattern.data()) == nullptr)
      throw Error(10905, {root}, "",
                  fmt::format("cannot create a temporary directory: {}", std::strerror(errno)));
    path_ = pattern;
  }
  ~ScratchDir() {
    std::error_code ignored;
    fs::remove_all(path_, ignored);
  }
  ScratchDir(const ScratchDir &) = delete;
  ScratchDir &operator=(const ScratchDir &) = delete;
  const std::string &path() const { return path_; }

 private:
  std::string path_;
};

std::string fileUrl(const fs::path &absolute) {
  std::string url = "file://";
  for (const unsigned char c : absolute.string()) {
    if (std::isalnum(c) || std::strchr("/-._~", c) != nullptr)
      url += static_cast<char>(c);
    else
      url += fmt::format("%{:02X}", c);
  }
  return url;
}

std::string lower(std::string text) {
  for (char &c : text) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return text;
}

bool startsWith(const std::string &text, const std::string &prefix) {
  return text.compare(0, prefix.size(), prefix) == 0;
}

std::vector<std::string> splitLines(const std::string &text) {
  std::vector<std::string> lines;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  return lines;
}

// Lines chromium prints on every run on a machine without D-Bus, GPU or display; none
// says anything about the page.
bool isNoise(const std::string &line) {
  static const char *const kNoise[] = {"dbus",
                                       "D-Bus",
                                       "bluez",
                                       "Floss",
                                       "UPower",
                                       "vaapi",
                                       "sandbox_linux",
                                       "idle_linux",
                                       "unexpected operator",
                                       "bytes written to file"};
  return std::any_of(std::begin(kNoise), std::end(kNoise),
                     [&](const char *noise) { return line.find(noise) != std::string::npos; });
}

// The end of chromium's stderr without the noise: what a failure message shows.
std::string excerpt(const std::string &chromium_stderr, size_t max_lines = 30) {
  std::vector<std::string> kept;
  for (const std::string &line : splitLines(chromium_stderr))
    if (!line.empty() && !isNoise(line)) kept.push_back(line);
  std::string text;
  if (kept.size() > max_lines) {
    text = fmt::format("  [{} earlier lines left out]\n", kept.size() - max_lines);
    kept.erase(kept.begin(), kept.end() - static_cast<std::ptrdiff_t>(max_lines));
  }
  for (const std::string &line : kept) text += "  " + line + "\n";
  return text.empty() ? "  (nothing but the usual D-Bus/GPU noise)\n" : text;
}

struct ChromiumRun {
  int exit_status = -1;
  std::string stdout_text;
  std::string stderr_text;
  double seconds = 0;
};

// Flags of every run. --headless is the new headless mode (the old one is no longer in
// the chromium binary); --no-sandbox because tests may run as root; --disable-gpu and
// device scale 1 for software rendering with a fixed layout; --enable-logging=stderr
// prints the page's console messages; the host resolver rule keeps every run off the
// network (a host name fails at once, without a DNS query).
std::vector<std::string> commonFlags(const std::string &profile_dir, int width, int height) {
  return {"--headless",
          "--no-sandbox",
          "--disable-gpu",
          "--enable-logging=stderr",
          "--v=0",
          "--user-data-dir=" + profile_dir,
          "--no-first-run",
          "--no-default-browser-check",
          "--disable-extensions",
          "--disable-background-networking",
          "--disable-component-update",
          "--disable-sync",
          "--disable-default-apps",
          "--host-resolver-rules=MAP * ~NOTFOUND",
          fmt::format("--window-size={},{}", width, height),
          "--force-device-scale-factor=1",
          "--hide-scrollbars"};
}

// Runs chromium under `timeout` (which signals its whole process group, so renderer and
// GPU processes go too) with stdout captured and stderr in a file of `dir`. Chromium's
// own temporary files (its profile lock socket) go to `dir` too, so a killed run leaves
// nothing behind; but a Unix socket path has at most 107 bytes, so for a long `dir` they
// go to /tmp. Throws PF-10901 if chromium cannot be run, PF-10902 if it did not finish
// in time.
ChromiumRun runChromium(const LoadOptions &options, const std::vector<std::string> &flags,
                        const std::string &url, const std::string &dir) {
  const std::string stderr_path = dir + "/chromium-stderr.txt";
  // "<tmp>/org.chromium.Chromium.XXXXXX/SingletonSocket"
  const std::string chromium_tmp = dir.size() <= 64 ? dir : "/tmp";
  std::vector<std::string> argv = {
      "sh",
      "-c",
      "f=$1; t=$2; shift 2; export TMPDIR=\"$t\"; exec \"$@\" 2>\"$f\"",
      "pf-browser",
      stderr_path,
      chromium_tmp,
      "timeout",
      "-k",
      "5",
      fmt::format("{}", options.timeout_seconds),
      options.chromium};
  argv.insert(argv.end(), flags.begin(), flags.end());
  argv.push_back(url);
  const ProcessResult result = runProcess(argv);

  ChromiumRun run;
  run.exit_status = result.exit_status;
  run.stdout_text = result.output;
  run.seconds = result.wall_seconds;
  if (fs::exists(stderr_path)) run.stderr_text = readTextFile(stderr_path);

  const bool timed_out = result.exit_status == 124 ||
                         (result.exit_status == 137 && run.seconds >= options.timeout_seconds);
  if (timed_out)
    throw Error(10902, {url}, "",
                fmt::format("{} did not finish within {} s and was killed (a page that never "
                            "finishes loading, or a hung browser); its stderr:\n{}",
                            options.chromium, options.timeout_seconds, excerpt(run.stderr_text)));
  if (result.exit_status == 126 || result.exit_status == 127)
    throw Error(10901, {}, "",
                fmt::format("cannot run '{}' (Debian package chromium, flows/deps.sh): {}",
                            options.chromium, excerpt(run.stderr_text)));
  return run;
}

// Where the harness's elements go into the page copy: after a <meta charset> within the
// first 1024 bytes (so Chromium's encoding prescan still finds it), else after <head>,
// <html> or <!doctype>, else at the start (after a byte order mark). Nothing inserted
// contains a newline, so the page's line numbers stay the same.
size_t injectionPoint(const std::string &html) {
  const std::string text = lower(html);
  auto tagEnd = [&](size_t from) {
    const size_t end = text.find('>', from);
    return end == std::string::npos ? std::string::npos : end + 1;
  };
  for (size_t at = text.find("<meta"); at != std::string::npos && at < 1024;
       at = text.find("<meta", at + 1)) {
    const size_t end = tagEnd(at);
    if (end != std::string::npos && text.substr(at, end - at).find("charset") != std::string::npos)
      return end;
  }
  for (const char *tag : {"<head", "<html"}) {
    for (size_t at = text.find(tag); at != std::string::npos; at = text.find(tag, at + 1)) {
      const size_t after = at + std::strlen(tag);
      if (after < text.size() && (std::isspace(static_cast<unsigned char>(text[after])) ||
                                  text[after] == '>' || text[after] == '/')) {
        const size_t end = tagEnd(after);
        if (end != std::string::npos) return end;
      }
    }
  }
  if (const size_t at = text.find("<!doctype"); at != std::string::npos) {
    const size_t end = tagEnd(at);
    if (end != std::string::npos) return end;
  }
  return startsWith(html, "\xEF\xBB\xBF") ? 3 : 0;
}

// The harness's script, injected into the copy only. It records every element load and
// load error (capturing listeners, registered before any element exists), and after the
// load event measures the labels, removes itself and leaves its findings, URI-encoded, in
// a hidden <pre id="pf-probe-result">. It logs nothing. Block comments only: the script
// is joined into one line.
constexpr const char *kProbeScript = R"JS(
(function () {
  var loads = [], errors = [];
  function what(t) {
    if (!t || t === window || t === document || !t.tagName) return null;
    var u = t.currentSrc || t.src || t.href || t.data || '';
    if (u && typeof u === 'object') u = u.baseVal || '';  /* SVGAnimatedString */
    if (!u) return null;
    try { u = new URL(u, document.baseURI).href; } catch (e) {}
    return { tag: t.tagName.toLowerCase(), url: String(u) };
  }
  document.addEventListener('load', function (e) { var w = what(e.target); if (w) loads.push(w); }, true);
  window.addEventListener('error', function (e) { var w = what(e.target); if (w) errors.push(w); }, true);
  function label(el) {
    var s = (el.textContent || '').replace(/\s+/g, ' ').trim();
    return s.length > 60 ? s.slice(0, 57) + '...' : s;
  }
  function num(v) { return String(Math.round(v * 10) / 10); }
  function describe(b) {
    return '"' + b.text + '" [' + num(b.left) + ',' + num(b.top) + ' ' + num(b.right - b.left) +
           'x' + num(b.bottom - b.top) + ']';
  }
  window.addEventListener('load', function () {
    var tol = TOLERANCE, boxes = [], overlaps = [];
    var els = document.querySelectorAll('svg text, .pf-label');
    for (var i = 0; i < els.length; i++) {
      var el = els[i], r = el.getBoundingClientRect(), t = label(el);
      if (r.width <= 0 || r.height <= 0 || t === '' || getComputedStyle(el).visibility === 'hidden') continue;
      boxes.push({ el: el, text: t, left: r.left + scrollX, top: r.top + scrollY,
                   right: r.right + scrollX, bottom: r.bottom + scrollY });
    }
    for (i = 0; i < boxes.length; i++) {
      for (var j = i + 1; j < boxes.length; j++) {
        var a = boxes[i], b = boxes[j];
        if (a.el.contains(b.el) || b.el.contains(a.el)) continue;
        if (a.left < b.right - tol && b.left < a.right - tol && a.top < b.bottom - tol && b.top < a.bottom - tol)
          overlaps.push(describe(a) + ' overlaps ' + describe(b));
      }
    }
    ['pf-probe', 'pf-probe-base'].forEach(function (id) {
      var n = document.getElementById(id); if (n) n.remove();
    });
    var out = document.createElement('pre');
    out.id = 'pf-probe-result';
    out.hidden = true;
    out.textContent = encodeURIComponent(JSON.stringify({ loaded: true, loads: loads, errors: errors,
                                                          labels: boxes.length, overlaps: overlaps }));
    (document.body || document.documentElement).appendChild(out);
  });
})();
)JS";

std::string probeElements(const std::string &base_url, double tolerance_px) {
  std::string script = kProbeScript;
  std::replace(script.begin(), script.end(), '\n', ' ');
  const std::string placeholder = "TOLERANCE";
  script.replace(script.find(placeholder), placeholder.size(), fmt::format("{}", tolerance_px));
  return fmt::format(R"(<base id="pf-probe-base" href="{}"><script id="pf-probe">{}</script>)",
                     base_url, script);
}

std::string percentDecode(const std::string &text) {
  std::string out;
  out.reserve(text.size());
  for (size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '%' && i + 2 < text.size() &&
        std::isxdigit(static_cast<unsigned char>(text[i + 1])) &&
        std::isxdigit(static_cast<unsigned char>(text[i + 2]))) {
      out += static_cast<char>(std::stoi(text.substr(i + 1, 2), nullptr, 16));
      i += 2;
    } else {
      out += text[i];
    }
  }
  return out;
}

// Takes the probe's <pre> out of the dumped DOM; returns its decoded JSON text, or ""
// if the probe never ran (no load event, or the page forbids inline scripts).
std::string extractProbeResult(std::string &dom) {
  const size_t start = dom.find("<pre id=\"pf-probe-result\"");
  if (start == std::string::npos) return "";
  const size_t open_end = dom.find('>', start);
  const size_t close = dom.find("</pre>", open_end);
  if (open_end == std::string::npos || close == std::string::npos) return "";
  const std::string encoded = dom.substr(open_end + 1, close - open_end - 1);
  dom.erase(start, close + std::strlen("</pre>") - start);
  return percentDecode(encoded);
}

// Console messages from chromium's stderr: "[pid:tid:time:INFO:CONSOLE:LINE] "MESSAGE",
// source: URL (LINE)" (older versions: "CONSOLE(LINE)"); a message with newlines goes
// on over the following lines up to its ", source:" tail.
std::vector<std::string> consoleMessages(const std::string &chromium_stderr,
                                         const std::string &copy_url,
                                         const std::string &page_path) {
  static const std::regex kConsole(R"(^\[[^\]]*:CONSOLE[:(]\d+\)?\] ?(.*)$)");
  static const std::regex kLogLine(R"(^\[\d+:\d+:)");
  static const std::regex kTail(R"re(^"([\s\S]*)", source: (.*) \((\d+)\)$)re");
  const std::vector<std::string> lines = splitLines(chromium_stderr);
  std::vector<std::string> messages;
  for (size_t i = 0; i < lines.size(); ++i) {
    std::smatch head;
    if (!std::regex_match(lines[i], head, kConsole)) continue;
    std::string text = head[1].str();
    std::smatch tail;
    while (!std::regex_match(text, tail, kTail) && i + 1 < lines.size() &&
           !std::regex_search(lines[i + 1], kLogLine))
      text += "\n" + lines[++i];
    if (std::regex_match(text, tail, kTail)) {
      std::string source = tail[2].str();
      if (source == copy_url) source = page_path;
      messages.push_back(fmt::format("{}:{}: {}", source, tail[3].str(), tail[1].str()));
    } else {
      messages.push_back(text);
    }
  }
  return messages;
}

struct NetLogRequests {
  std::vector<std::string> urls;  // in order of their first request
  std::vector<std::string> failed;
};

// Chromium's net log (--log-net-log) is one JSON object but written one event per line:
// line 1 the constants (event type and error names), then the events. It is read line
// by line so a log cut short by a killed browser still gives its complete events.
// A page's requests are URL_REQUEST_START_JOB events with an initiator; the browser's
// own (update checks, network time) have the initiator "not an origin".
NetLogRequests readNetLog(const std::string &path) {
  std::string text;
  try {
    text = readTextFile(path);
  } catch (const Error &error) {
    throw Error(10903, {path}, "", "chromium left no net log: " + error.message());
  }
  const std::vector<std::string> lines = splitLines(text);
  const std::string constants_prefix = "{\"constants\":";
  if (lines.empty() || !startsWith(lines[0], constants_prefix))
    throw Error(10906, {path}, "", "the net log does not start with its constants");
  std::string constants_text = lines[0].substr(constants_prefix.size());
  while (!constants_text.empty() &&
         (constants_text.back() == ',' ||
          std::isspace(static_cast<unsigned char>(constants_text.back()))))
    constants_text.pop_back();
  int start_job = -1;
  int request_alive = -1;
  std::map<int, std::string> error_names;
  try {
    const Json constants = parseJson(constants_text, path);
    start_job =
        static_cast<int>(constants.at("logEventTypes").at("URL_REQUEST_START_JOB").asNumber());
    if (const Json *alive = constants.at("logEventTypes").find("REQUEST_ALIVE"))
      request_alive = static_cast<int>(alive->asNumber());
    if (const Json *errors = constants.find("netError"))
      for (const auto &[name, code] : errors->asObject())
        error_names[static_cast<int>(code.asNumber())] = name;
  } catch (const Error &error) {
    throw Error(10907, {path}, "", "unreadable net log constants: " + error.message());
  }

  struct Request {
    std::vector<std::string> urls;
    bool page = false;
    int net_error = 0;
  };
  std::map<int, Request> requests;  // by net log source id
  std::vector<int> order;
  for (size_t i = 1; i < lines.size(); ++i) {
    std::string line = lines[i];
    if (line.find("\"source\"") == std::string::npos) continue;
    while (!line.empty() &&
           (line.back() == ',' || std::isspace(static_cast<unsigned char>(line.back()))))
      line.pop_back();
    Json event;
    try {
      event = parseJson(line, path);
      if (!event.isObject() || !event.find("type") || !event.find("source")) continue;
      const int type = static_cast<int>(event.at("type").asNumber());
      const int source = static_cast<int>(event.at("source").at("id").asNumber());
      const int phase = event.find("phase") ? static_cast<int>(event.at("phase").asNumber()) : 0;
      const Json *params = event.find("params");
      if (type == start_job && phase == 1 && params && params->find("url")) {
        const Json *initiator = params->find("initiator");
        const bool page =
            !initiator || !initiator->isString() || initiator->asString() != "not an origin";
        if (!requests.count(source)) order.push_back(source);
        Request &request = requests[source];
        request.page = request.page || page;
        request.urls.push_back(params->at("url").asString());
      } else if ((type == start_job || type == request_alive) && phase == 2 && params &&
                 params->find("net_error") && requests.count(source)) {
        const int net_error = static_cast<int>(params->at("net_error").asNumber());
        if (net_error != 0 && requests[source].net_error == 0)
          requests[source].net_error = net_error;
      }
    } catch (const Error &) {
      continue;  // a line cut short, or not an event
    }
  }

  NetLogRequests result;
  for (const int source : order) {
    const Request &request = requests[source];
    if (!request.page) continue;
    for (const std::string &url : request.urls) result.urls.push_back(url);
    if (request.net_error != 0) {
      const auto name = error_names.find(request.net_error);
      result.failed.push_back(fmt::format("{} ({})", request.urls.back(),
                                          name != error_names.end()
                                              ? name->second
                                              : fmt::format("net error {}", request.net_error)));
    }
  }
  return result;
}

void addUnique(std::vector<std::string> &list, const std::string &item) {
  if (std::find(list.begin(), list.end(), item) == list.end()) list.push_back(item);
}

std::string shorten(const std::string &url) {
  return url.size() > 80 ? url.substr(0, 77) + "..." : url;
}

bool isEmbedded(const std::string &url) {
  return startsWith(url, "data:") || startsWith(url, "blob:") || startsWith(url, "about:");
}

}  // namespace

PageLoad loadPage(const std::string &html_path, const LoadOptions &options) {
  const fs::path page = fs::absolute(html_path).lexically_normal();
  std::string html = readTextFile(page.string());
  ScratchDir dir;
  const fs::path copy = fs::path(dir.path()) / "page.html";
  const std::string copy_url = fileUrl(copy);
  const std::string base_url = fileUrl(page.parent_path() / "");
  html.insert(injectionPoint(html), probeElements(base_url, options.overlap_tolerance_px));
  {
    std::ofstream out(copy, std::ios::binary);
    out << html;
    if (!out) throw Error(10908, {copy.string()}, "", "cannot write the page copy");
  }

  const std::string net_log = dir.path() + "/netlog.json";
  std::vector<std::string> flags =
      commonFlags(dir.path() + "/profile", options.width, options.height);
  flags.push_back("--dump-dom");
  flags.push_back("--log-net-log=" + net_log);
  if (!options.screenshot_path.empty()) {
    const fs::path png = fs::absolute(options.screenshot_path);
    std::error_code ignored;
    fs::remove(png, ignored);
    if (png.has_parent_path()) fs::create_directories(png.parent_path(), ignored);
    flags.push_back("--screenshot=" + png.string());
  }
  const ChromiumRun run = runChromium(options, flags, copy_url, dir.path());

  PageLoad load;
  load.exit_status = run.exit_status;
  load.chromium_output = run.stderr_text;
  load.seconds = run.seconds;
  load.dom = run.stdout_text;
  const std::string probe = extractProbeResult(load.dom);
  load.console_messages = consoleMessages(run.stderr_text, copy_url, page.string());

  // After a normal exit the net log must be there; after a crash, what it has is a bonus.
  NetLogRequests net;
  if (run.exit_status == 0) {
    net = readNetLog(net_log);
  } else if (fs::exists(net_log)) {
    try {
      net = readNetLog(net_log);
    } catch (const Error &) {
    }
  }
  for (const std::string &url : net.urls)
    if (url != copy_url) addUnique(load.requests, url);
  for (const std::string &failed : net.failed) addUnique(load.failed_requests, failed);
  if (!probe.empty()) {
    const Json result = parseJson(probe, "the page probe's result");
    load.loaded = run.exit_status == 0 && result.at("loaded").asBool();
    for (const Json &item : result.at("loads").asArray()) {
      const std::string &url = item.at("url").asString();
      if (!isEmbedded(url) && url != copy_url) addUnique(load.requests, url);
    }
    for (const Json &item : result.at("errors").asArray()) {
      const std::string &url = item.at("url").asString();
      if (!isEmbedded(url) && url != copy_url) addUnique(load.requests, url);
      const std::string tag = item.at("tag").asString();
      const bool listed =
          std::any_of(load.failed_requests.begin(), load.failed_requests.end(),
                      [&](const std::string &f) { return startsWith(f, url + " ("); });
      if (!listed)
        load.failed_requests.push_back(fmt::format("{} ({}: load error)", shorten(url), tag));
    }
    load.labels_checked = static_cast<int>(result.at("labels").asNumber());
    for (const Json &line : result.at("overlaps").asArray())
      load.overlaps.push_back(line.asString());
  }
  if (!options.screenshot_path.empty()) load.screenshot_saved = isPng(options.screenshot_path);
  return load;
}

std::vector<std::string> overlappingTexts(const std::string &html_path,
                                          const LoadOptions &options) {
  const PageLoad load = loadPage(html_path, options);
  if (!load.loaded)
    throw Error(10904, {html_path}, "", "the page did not load in chromium:\n" + describe(load));
  return load.overlaps;
}

bool screenshot(const std::string &html_path, const std::string &png_path, int width, int height,
                std::string *error) {
  auto fail = [&](const std::string &message) {
    if (error) *error = message;
    return false;
  };
  try {
    const fs::path page = fs::absolute(html_path).lexically_normal();
    if (!fs::is_regular_file(page)) return fail("no such page: " + page.string());
    const fs::path png = fs::absolute(png_path);
    std::error_code ignored;
    fs::remove(png, ignored);
    if (png.has_parent_path()) fs::create_directories(png.parent_path(), ignored);
    ScratchDir dir;
    std::vector<std::string> flags = commonFlags(dir.path() + "/profile", width, height);
    flags.push_back("--screenshot=" + png.string());
    LoadOptions options;
    const ChromiumRun run = runChromium(options, flags, fileUrl(page), dir.path());
    if (run.exit_status != 0 || !isPng(png.string()))
      return fail(fmt::format("chromium (exit status {}) wrote no PNG to {}; its stderr:\n{}",
                              run.exit_status, png.string(), excerpt(run.stderr_text)));
    return true;
  } catch (const Error &e) {
    return fail(e.formatted());
  }
}

int countElements(const std::string &dom, const std::string &tag, const std::string &css_class) {
  const std::string wanted = lower(tag);
  const size_t n = dom.size();
  auto isNameChar = [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == ':' || c == '_';
  };
  auto isSpace = [](char c) { return std::isspace(static_cast<unsigned char>(c)) != 0; };
  int count = 0;
  size_t i = 0;
  while ((i = dom.find('<', i)) != std::string::npos) {
    if (dom.compare(i, 4, "<!--") == 0) {
      const size_t end = dom.find("-->", i + 4);
      i = end == std::string::npos ? n : end + 3;
      continue;
    }
    if (i + 1 < n && (dom[i + 1] == '!' || dom[i + 1] == '?' || dom[i + 1] == '/')) {
      const size_t end = dom.find('>', i);
      i = end == std::string::npos ? n : end + 1;
      continue;
    }
    size_t p = i + 1;
    while (p < n && isNameChar(dom[p])) ++p;
    if (p == i + 1) {  // a '<' in text
      ++i;
      continue;
    }
    const std::string name = lower(dom.substr(i + 1, p - i - 1));
    // Attributes up to the end of the tag.
    std::string class_value;
    bool has_class = false;
    while (p < n && dom[p] != '>') {
      if (isSpace(dom[p]) || dom[p] == '/') {
        ++p;
        continue;
      }
      const size_t name_start = p;
      while (p < n && !isSpace(dom[p]) && dom[p] != '=' && dom[p] != '>' && dom[p] != '/') ++p;
      const std::string attribute = lower(dom.substr(name_start, p - name_start));
      while (p < n && isSpace(dom[p])) ++p;
      std::string value;
      if (p < n && dom[p] == '=') {
        ++p;
        while (p < n && isSpace(dom[p])) ++p;
        if (p < n && (dom[p] == '"' || dom[p] == '\'')) {
          const char quote = dom[p];
          const size_t end = dom.find(quote, p + 1);
          const size_t stop = end == std::string::npos ? n : end;
          value = dom.substr(p + 1, stop - p - 1);
          p = stop == n ? n : stop + 1;
        } else {
          const size_t value_start = p;
          while (p < n && !isSpace(dom[p]) && dom[p] != '>') ++p;
          value = dom.substr(value_start, p - value_start);
        }
      }
      if (attribute == "class" && !has_class) {
        has_class = true;
        class_value = value;
      }
    }
    i = p < n ? p + 1 : n;
    if (name == wanted) {
      bool match = css_class.empty();
      std::istringstream words(class_value);
      for (std::string word; !match && words >> word;) match = word == css_class;
      if (match) ++count;
    }
    if (name == "script" || name == "style" || name == "textarea" || name == "title") {
      const std::string close = "</" + name;
      auto same = [](char a, char b) {
        return std::tolower(static_cast<unsigned char>(a)) ==
               std::tolower(static_cast<unsigned char>(b));
      };
      const auto end = std::search(dom.begin() + static_cast<std::ptrdiff_t>(i), dom.end(),
                                   close.begin(), close.end(), same);
      i = static_cast<size_t>(end - dom.begin());
    }
  }
  return count;
}

bool isPng(const std::string &path) {
  std::ifstream in(path, std::ios::binary);
  char signature[8] = {};
  if (!in.read(signature, sizeof signature)) return false;
  return std::memcmp(signature, "\x89PNG\r\n\x1a\n", sizeof signature) == 0;
}

std::string describe(const PageLoad &load) {
  std::string text =
      fmt::format("loaded: {}, chromium exit status {}, {:.1f} s, {} labels checked\n",
                  load.loaded ? "yes" : "no", load.exit_status, load.seconds, load.labels_checked);
  if (!load.loaded && load.exit_status == 0)
    text +=
        "the harness's script never reported: the load event did not fire, or the page "
        "forbids inline scripts (Content-Security-Policy)\n";
  auto list = [&](const char *what, const std::vector<std::string> &items) {
    text += fmt::format("{}: {}\n", what, items.size());
    for (const std::string &item : items) text += "  " + item + "\n";
  };
  list("console messages", load.console_messages);
  list("requests", load.requests);
  list("failed requests", load.failed_requests);
  list("overlapping labels", load.overlaps);
  text += "chromium stderr (noise left out):\n" + excerpt(load.chromium_output);
  return text;
}

}  // namespace pf::browser
