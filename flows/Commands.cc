#include "characterize/CharacterizeCommand.hh"
#include "flows/Command.hh"
#include "flows/DesignCommand.hh"
#include "flows/schedule/ScheduleCommand.hh"
#include "gen/GenCommand.hh"
#include "net/NetCommand.hh"
#include "pdk_stub/PdkCommand.hh"
#include "report/ReportCommand.hh"
#include "sim/cosim/SimCommand.hh"
#include "sweep/SweepCommand.hh"
#include "sweep/SweepResultsCommand.hh"
#include "workload/ProfileCommand.hh"

namespace pf {

const std::vector<Command> &allCommands() {
  static const std::vector<Command> commands = {
      {"characterize", characterizeCommandLine, runCharacterizeCommand},
      {"design", designCommandLine, runDesignCommand},
      {"gen", genCommandLine, runGenCommand},
      {"net", netCommandLine, runNetCommand},
      {"pdk", pdkCommandLine, runPdkCommand},
      {"profile", profileCommandLine, runProfileCommand},
      {"report", reportCommandLine, runReportCommand},
      {"schedule", scheduleCommandLine, runScheduleCommand},
      {"sim", simCommandLine, runSimCommand},
      {"sweep", sweepCommandLine, runSweepCommand},
      {"sweep-results", sweepResultsCommandLine, runSweepResultsCommand},
  };
  return commands;
}

}  // namespace pf
