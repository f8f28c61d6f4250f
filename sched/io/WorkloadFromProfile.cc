#include "sched/io/WorkloadFromProfile.hh"

#include <fmt/format.h>

namespace pf {

namespace {

// Domain index per profile unit.
struct UnitDomains {
  std::vector<int> pe_groups;
  std::vector<int> act_banks;
  std::vector<int> w_banks;
};

int bankDomain(const DesignSpec &design, const std::string &instance) {
  for (size_t d = 0; d < design.domains.size(); ++d) {
    const DomainSpec &domain = design.domains[d];
    if (domain.kind != DomainKind::SramBank) continue;
    for (const std::string &path : domain.instances)
      if (path == instance) return int(d);
  }
  return -1;
}

UnitDomains unitDomains(const Profile &profile, const DesignSpec &design, const std::string &file) {
  UnitDomains units;
  for (size_t d = 0; d < design.domains.size(); ++d)
    if (design.domains[d].kind == DomainKind::PeGroup) units.pe_groups.push_back(int(d));
  if (int(units.pe_groups.size()) != profile.accel.col_groups)
    throw Error(
        7110, {file, 0, 0}, "accel.col_groups",
        fmt::format("the profile has {} PE column groups but design {} has {} pe_group domains",
                    profile.accel.col_groups, design.source_file, units.pe_groups.size()));
  auto banks = [&](const char *buffer, int count, std::vector<int> &out) {
    for (int i = 0; i < count; ++i) {
      const std::string instance = fmt::format("{}.g_bank[{}].u_sram", buffer, i);
      const int domain = bankDomain(design, instance);
      if (domain < 0)
        throw Error(
            7111, {file, 0, 0}, "accel",
            fmt::format(
                "design {} has no sram_bank domain with instance {} (bank {} of the profile)",
                design.source_file, instance, i));
      out.push_back(domain);
    }
  };
  banks("u_act_buf", profile.accel.act_banks, units.act_banks);
  banks("u_w_buf", profile.accel.w_banks, units.w_banks);
  return units;
}

void markUsed(sched::LayerWork &work, const std::vector<int> &domains, uint32_t mask) {
  for (size_t u = 0; u < domains.size(); ++u)
    if (mask >> u & 1u) work.uses[domains[u]] = true;
}

void addAccesses(sched::LayerWork &work, const std::vector<int> &domains,
                 const std::vector<int64_t> &reads, const std::vector<int64_t> &writes) {
  for (size_t u = 0; u < domains.size() && u < reads.size() && u < writes.size(); ++u) {
    work.read_words[domains[u]] += reads[u];
    work.write_words[domains[u]] += writes[u];
  }
}

sched::LayerWork layerWork(const LayerProfile &layer, const UnitDomains &units, size_t domain_count,
                           uint32_t live_before) {
  sched::LayerWork work;
  work.name = layer.name;
  const PhaseCycles &cycles = layer.cycles;
  const LayerTraffic &traffic = layer.traffic;
  // Everything but the beats of the three transfer phases runs at the accelerator clock.
  work.clock_cycles = cycles.total - traffic.fetch_beats - traffic.load_beats - traffic.store_beats;
  work.compute_cycles = cycles.compute;
  work.transfers = {{traffic.fetch_beats, traffic.fetch_bytes},
                    {traffic.load_beats, traffic.load_bytes},
                    {traffic.store_beats, traffic.store_bytes}};
  work.mac_sparsity = layer.operand_sparsity;
  if (layer.on_host) work.host_time_ns = layer.host_cost.time_ns;  // the accelerator waits
  work.uses.assign(domain_count, false);
  work.keeps_data.assign(domain_count, false);
  work.read_words.assign(domain_count, 0);
  work.write_words.assign(domain_count, 0);
  markUsed(work, units.pe_groups, layer.pe_groups);
  markUsed(work, units.act_banks, layer.act_banks_used);
  markUsed(work, units.w_banks, layer.w_banks_used);
  // A data bank holding a tensor that was live after the previous layer and that this
  // layer does not touch is still live: it may go to retention, not off.
  for (size_t u = 0; u < units.act_banks.size(); ++u)
    if (live_before >> u & 1u) work.keeps_data[units.act_banks[u]] = true;
  addAccesses(work, units.act_banks, layer.accesses.act_reads_words,
              layer.accesses.act_writes_words);
  addAccesses(work, units.w_banks, layer.accesses.w_reads_words, layer.accesses.w_writes_words);
  return work;
}

void checkConfig(const Profile &profile, const DesignSpec &design, const std::string &file) {
  const std::pair<const char *, int> expected[] = {{"ROWS", profile.accel.rows},
                                                   {"COLS", profile.accel.cols},
                                                   {"COL_GROUPS", profile.accel.col_groups},
                                                   {"ACT_BANKS", profile.accel.act_banks},
                                                   {"ACT_BANK_WORDS", profile.accel.act_bank_words},
                                                   {"W_BANKS", profile.accel.w_banks},
                                                   {"W_BANK_WORDS", profile.accel.w_bank_words}};
  for (const auto &[parameter, value] : expected) {
    const auto found = design.parameters.find(parameter);
    if (found != design.parameters.end() && found->second != value)
      throw Error(7112, {file, 0, 0}, "accel",
                  fmt::format("the profile was mapped for {} = {} but design {} has {} = {}; "
                              "re-run powerflow profile",
                              parameter, value, design.source_file, parameter, found->second));
  }
}

}  // namespace

sched::Workload workloadFromProfile(const Profile &profile, const DesignSpec &design,
                                    const std::string &profile_file) {
  checkConfig(profile, design, profile_file);
  const UnitDomains units = unitDomains(profile, design, profile_file);
  sched::Workload workload;
  workload.name = profile.network;
  uint32_t live = 0;
  for (const LayerProfile &layer : profile.layers) {
    workload.layers.push_back(layerWork(layer, units, design.domains.size(), live));
    live = layer.act_banks_live_after;
  }
  return workload;
}

}  // namespace pf
