#include "core/Progress.hh"

#include <fmt/format.h>

#include <ostream>

namespace pf {

StreamProgress::StreamProgress(std::ostream &out) : out_(out) {}

StreamProgress::~StreamProgress() {
  try {
    closeOpenLine();
  } catch (...) {  // nothing to report to
  }
}

std::string StreamProgress::indent() const { return std::string(2 * open_.size(), ' '); }

void StreamProgress::closeOpenLine() {
  if (!line_open_) return;
  out_ << "\n";
  line_open_ = false;
}

void StreamProgress::begin(const std::string &text) {
  closeOpenLine();
  out_ << indent() << text << " ..." << std::flush;
  open_.push_back(text);
  line_open_ = true;
}

void StreamProgress::end(const std::string &outcome) {
  if (open_.empty()) {  // no step to end: a line of its own
    line(outcome);
    return;
  }
  const std::string text = open_.back();
  open_.pop_back();
  if (line_open_)
    out_ << " " << outcome << "\n";
  else
    out_ << indent() << text << " ... " << outcome << "\n";
  line_open_ = false;
  out_ << std::flush;
}

void StreamProgress::line(const std::string &text) {
  closeOpenLine();
  out_ << indent() << text << "\n" << std::flush;
}

void progressLine(ProgressSink *sink, const std::string &text) {
  if (sink) sink->line(text);
}

std::string progressCount(int index, int count) { return fmt::format("{}/{}", index, count); }

ProgressStep::ProgressStep(ProgressSink *sink, const std::string &text)
    : sink_(sink), start_(std::chrono::steady_clock::now()), open_(true) {
  if (sink_) sink_->begin(text);
}

ProgressStep::~ProgressStep() {
  if (!open_) return;
  try {
    finish(fmt::format("failed after {:.1f} s", seconds()));
  } catch (...) {  // unwinding already: the error itself is what matters
  }
}

double ProgressStep::seconds() const {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
}

void ProgressStep::done(const std::string &detail) {
  std::string outcome = fmt::format("done in {:.1f} s", seconds());
  if (!detail.empty()) outcome += " (" + detail + ")";
  finish(outcome);
}

void ProgressStep::cached() { finish("(cached)"); }

void ProgressStep::finish(const std::string &outcome) {
  if (!open_) return;
  open_ = false;
  if (sink_) sink_->end(outcome);
}

}  // namespace pf
