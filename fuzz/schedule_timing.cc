// Fuzz target: the schedule run's times (sched/io/ScheduleTiming.cc,
// readScheduleTimingFile).
#include "fuzz/FuzzSupport.hh"
#include "sched/io/ScheduleTiming.hh"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  return pf::fuzz::runOne([&] {
    (void)pf::readScheduleTimingFile(pf::fuzz::writeInput(data, size, "schedule.timing.json"));
  });
}
