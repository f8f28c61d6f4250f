// Fuzz target: the schedule file reader (sched/io/ScheduleFile.cc, readScheduleFile),
// which gen, sim and report read schedules through.
#include "fuzz/FuzzSupport.hh"
#include "sched/io/ScheduleFile.hh"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  return pf::fuzz::runOne(
      [&] { (void)pf::readScheduleFile(pf::fuzz::writeInput(data, size, "schedule.json")); });
}
