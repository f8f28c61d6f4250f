#include "tests/schedule/ZooInstance.hh"

#include "core/Design.hh"
#include "net/onnx/OnnxReader.hh"
#include "sched/InstanceBuilder.hh"
#include "sched/io/ChipModelFromTables.hh"
#include "sched/io/WorkloadFromProfile.hh"
#include "workload/Mapping.hh"
#include "workload/Profile.hh"
#include "workload/ProfileCommand.hh"

namespace pf::test {

sched::Instance zooInstance(const std::string &net, const std::vector<int64_t> &dividers) {
  DesignSpec design = readDesign(PF_SOURCE_DIR "/rtl/design.toml");
  if (!dividers.empty()) design.clock.dividers = dividers;
  const std::string table_path = PF_CHARACTERIZATION_FIXTURE;
  const Characterization table = readCharacterization(table_path);
  const sched::ChipModel chip = chipModelFromTables(design, table, table_path);
  const std::string path = PF_SOURCE_DIR "/nets/" + net + ".toml";
  const Network network = readNetworkFile(path);
  const Profile profile = profileMapping(mapNetwork(network, accelConfigOf(design)), network);
  const sched::Workload workload = workloadFromProfile(profile, design, path);
  const sched::Instance probe = sched::buildInstance(chip, workload, {10.0, 1e12, 1e12});
  const double min_busy_ns = double(sched::minimumBusyTime(probe)) * probe.tick_ns;
  return sched::buildInstance(chip, workload, {10.0, 4 * min_busy_ns, 4 * min_busy_ns});
}

}  // namespace pf::test
