// Stage caches of synthesize() and analyzeTiming(): content-hash keys and the
// (de)serialization of their results. Internal to characterize/synth.
//
// A cache file `<work>/synthesis.cache.json` / `<work>/timing.cache.json` holds the key
// of the inputs it was computed from and the whole result. It is used only if the key
// matches and every file the result names still exists; anything unreadable is a miss.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "characterize/synth/Synth.hh"

namespace pf::synth {

// The first line of `argv`'s output (a tool's version), or "unavailable".
std::string toolVersion(const std::vector<std::string> &argv);

// SHA-256 over everything synthesis depends on: the Yosys version, the design's top,
// parameters and domains, the synthesis sources (paths and contents, in order), the
// synthesis corner's liberty files (paths and contents), the options that change the
// netlist (max_fanout, clock_port, sram_pins) and the work directory.
std::string synthesisCacheKey(const DesignSpec &design, const std::vector<std::string> &sources,
                              const LibertyCorner &corner, const SynthOptions &options,
                              const std::string &work_dir);

// SHA-256 over everything timing depends on: the OpenSTA version, the generated script
// (paths, corners, clock, false paths, period, probe load), the contents of every
// liberty file and of the STA netlist, the exact voltages, the design's domains and the
// synthesis result's domain instance paths, and the work directory.
std::string timingCacheKey(const DesignSpec &design, const std::vector<LibertyCorner> &corners,
                           const SynthesisResult &synthesis, const SynthOptions &options,
                           const std::string &script, const std::string &work_dir);

// The cached result if `file` exists, parses, carries `key` and names only existing
// files; nullopt otherwise (never throws). The result has from_cache set.
std::optional<SynthesisResult> loadSynthesisCache(const std::string &file, const std::string &key);
std::optional<TimingResult> loadTimingCache(const std::string &file, const std::string &key);

// Writes the cache file atomically.
void storeSynthesisCache(const std::string &file, const std::string &key,
                         const SynthesisResult &result);
void storeTimingCache(const std::string &file, const std::string &key, const TimingResult &result);

}  // namespace pf::synth
