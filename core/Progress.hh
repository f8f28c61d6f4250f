// Progress of long steps, for the terminal only (issue 13): characterize's tool runs, the
// co-simulation's periods. A library takes a ProgressSink pointer (null: silent, so
// libraries print nothing and tests stay quiet); a command passes a StreamProgress on the
// stream it prints its status to. Progress never goes into an output file: output files
// stay byte-identical from run to run, wall times are only seen here.
//
// A step is a line "what (tool) ..." when it starts, ended by "done in 12.3 s" or
// "(cached)"; `N/M` in the text counts the steps of a stage when their number is known:
//
//   characterize: 2/5 timing at 6 corners (OpenSTA) ... done in 4.3 s
//
// Lines reported while a step is open (its sub-steps, notes) are indented by two spaces
// per open step, and the step's end then repeats its text on a line of its own:
//
//   characterize: 3/5 always-on energy of aon (Yosys, Verilator) ...
//     workload on the RTL (Verilator) ... done in 6.1 s
//   characterize: 3/5 always-on energy of aon (Yosys, Verilator) ... done in 60.2 s
#pragma once

#include <chrono>
#include <iosfwd>
#include <string>
#include <vector>

namespace pf {

// Where progress goes. Implementations decide the layout; calls come from one thread.
class ProgressSink {
 public:
  virtual ~ProgressSink() = default;
  // A step starts (its text, without " ...").
  virtual void begin(const std::string &text) = 0;
  // The innermost open step ends: "done in 1.2 s", "(cached)", "failed after 3.0 s".
  virtual void end(const std::string &outcome) = 0;
  // A line of its own: a note, a warning, a period finished.
  virtual void line(const std::string &text) = 0;
};

// Writes to a stream, one line per event as laid out above (a step's begin and end share
// one line when nothing came in between), flushing after every write so the terminal
// shows a step while it runs.
class StreamProgress final : public ProgressSink {
 public:
  explicit StreamProgress(std::ostream &out);
  ~StreamProgress() override;  // finishes a line left open
  void begin(const std::string &text) override;
  void end(const std::string &outcome) override;
  void line(const std::string &text) override;

 private:
  void closeOpenLine();
  std::string indent() const;

  std::ostream &out_;
  std::vector<std::string> open_;  // texts of the open steps, outermost first
  bool line_open_ = false;         // the last write was open_.back()'s begin, without newline
};

// A line to a sink that may be null.
void progressLine(ProgressSink *sink, const std::string &text);

// "2/5".
std::string progressCount(int index, int count);

// One step reported to a sink (null: silent) for the scope of the work:
//
//   ProgressStep step(sink, "characterize: 1/5 synthesis of pf_accel (Yosys)");
//   ... the work ...
//   step.done();  // or step.cached()
//
// A step left without done() or cached() (the work threw) ends as "failed after X s".
class ProgressStep {
 public:
  ProgressStep(ProgressSink *sink, const std::string &text);
  ~ProgressStep();
  ProgressStep(const ProgressStep &) = delete;
  ProgressStep &operator=(const ProgressStep &) = delete;

  // "done in 12.3 s", or "done in 12.3 s (detail)" when detail is not empty.
  void done(const std::string &detail = "");
  void cached();           // "(cached)"
  double seconds() const;  // since the step began

 private:
  void finish(const std::string &outcome);

  ProgressSink *sink_;
  std::chrono::steady_clock::time_point start_;
  bool open_;
};

}  // namespace pf
