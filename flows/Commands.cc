#include "characterize/CharacterizeCommand.hh"
#include "flows/Command.hh"
#include "flows/DesignCommand.hh"
#include "flows/schedule/ScheduleCommand.hh"
#include "gen/GenCommand.hh"
#include "net/NetCommand.hh"
#include "pdk_stub/PdkCommand.hh"
#include "report/ReportCommand.hh"
#include "sim/cosim/SimCommand.hh"
#include "workload/ProfileCommand.hh"

namespace pf {

const std::vector<Command> &allCommands() {
  static const std::vector<Command> commands = {
      {"characterize", kCharacterizeCommandSummary, kCharacterizeCommandHelp,
       runCharacterizeCommand},
      {"design", kDesignCommandSummary, kDesignCommandHelp, runDesignCommand},
      {"gen", kGenCommandSummary, kGenCommandHelp, runGenCommand},
      {"net", kNetCommandSummary, kNetCommandHelp, runNetCommand},
      {"pdk", kPdkCommandSummary, kPdkCommandHelp, runPdkCommand},
      {"profile", kProfileCommandSummary, kProfileCommandHelp, runProfileCommand},
      {"report", kReportCommandSummary, kReportCommandHelp, runReportCommand},
      {"schedule", kScheduleCommandSummary, kScheduleCommandHelp, runScheduleCommand},
      {"sim", kSimCommandSummary, kSimCommandHelp, runSimCommand},
  };
  return commands;
}

}  // namespace pf
