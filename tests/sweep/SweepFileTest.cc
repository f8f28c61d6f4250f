// The sweep file and its design points (issue 17): a bad sweep file is refused before any
// job starts, naming file, line and field, with nothing written; a design point's design
// file is the base design with its parameters replaced and its domain families rewritten.
// The refusals run the real powerflow binary (Snakemake must never see a bad sweep).
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <string>

#include "core/Design.hh"
#include "core/Files.hh"
#include "core/Subprocess.hh"
#include "sweep/DesignPoint.hh"
#include "sweep/SweepPlan.hh"
#include "sweep/SweepReader.hh"

namespace fs = std::filesystem;

namespace {

const std::string kSource = PF_SOURCE_DIR;

class SweepFile : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() /
           ("pf_sweep_file_" + std::to_string(::getpid()) + "_" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir_);
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }

  // A valid sweep of the repository's design and networks, with `axes` and `points`
  // as the [axes] body and the design points.
  std::string write(const std::string &axes, const std::string &points = "") {
    const std::string path = (dir_ / "sweep.toml").string();
    std::ofstream(path) << "[sweep]\nname = \"t\"\ndesign = \"" << kSource
                        << "/rtl/design.toml\"\ncorners = \"" << kSource
                        << "/pdk_stub/corners.toml\"\n\n[axes]\n"
                        << axes << "\n"
                        << points;
    return path;
  }

  static std::string axes(const std::string &extra = "") {
    return "rails = [[0.6, 1.1]]\nnetworks = [\"" + kSource +
           "/nets/mlperf_tiny_kws_dscnn.toml\"]\nperiods_us = [20000]\n" + extra;
  }

  // Runs powerflow sweep on `file` into dir_/out; the refusal must leave no dir_/out.
  pf::ProcessResult refused(const std::string &file) {
    const pf::ProcessResult result =
        pf::runProcess({PF_POWERFLOW, "sweep", file, "--out", (dir_ / "out").string()});
    EXPECT_EQ(result.exit_status, 1) << result.output;
    EXPECT_FALSE(fs::exists(dir_ / "out")) << "a refused sweep wrote its folder";
    EXPECT_EQ(result.output.find("snakemake --snakefile"), std::string::npos)
        << "Snakemake was started:\n"
        << result.output;
    return result;
  }

  fs::path dir_;
};

TEST_F(SweepFile, AnUnknownAxisIsRefusedAtItsLine) {
  const std::string file = write(axes("deadline_fraction = [0.1]"));
  const pf::ProcessResult result = refused(file);
  EXPECT_NE(result.output.find("PF-11001"), std::string::npos) << result.output;
  EXPECT_NE(result.output.find(file + ":10:"), std::string::npos) << result.output;
  EXPECT_NE(result.output.find("axes.deadline_fraction"), std::string::npos) << result.output;
}

TEST_F(SweepFile, AnEmptyAxisIsRefusedAtItsLine) {
  const std::string file = write("rails = [[0.6, 1.1]]\nnetworks = []\nperiods_us = [20000]\n");
  const pf::ProcessResult result = refused(file);
  EXPECT_NE(result.output.find("PF-11002"), std::string::npos) << result.output;
  EXPECT_NE(result.output.find(file + ":8:"), std::string::npos) << result.output;
  EXPECT_NE(result.output.find("axes.networks"), std::string::npos) << result.output;
}

TEST_F(SweepFile, ADesignPointTheAcceleratorCannotTakeIsRefusedAtItsEntry) {
  const std::string file =
      write(axes(),
            "[[design_point]]\nname = \"ok\"\n\n[[design_point]]\nname = \"three\"\n"
            "parameters = { COL_GROUPS = 3 }\n");
  const pf::ProcessResult result = refused(file);
  EXPECT_NE(result.output.find("PF-11105"), std::string::npos) << result.output;
  EXPECT_NE(result.output.find(file + ":14:"), std::string::npos) << result.output;
  EXPECT_NE(result.output.find("design_point[1]"), std::string::npos) << result.output;
  EXPECT_NE(result.output.find("COL_GROUPS 3 must divide COLS 8"), std::string::npos)
      << result.output;
}

TEST_F(SweepFile, AParameterTheDesignDoesNotHaveIsRefusedWithTheNearestName) {
  const std::string file =
      write(axes(), "[[design_point]]\nname = \"x\"\nparameters = { COL_GROUP = 2 }\n");
  const pf::ProcessResult result = refused(file);
  EXPECT_NE(result.output.find("PF-11101"), std::string::npos) << result.output;
  EXPECT_NE(result.output.find("did you mean COL_GROUPS?"), std::string::npos) << result.output;
}

TEST_F(SweepFile, ABankWhoseMacroNoLongerFitsIsRefused) {
  const std::string file =
      write(axes(), "[[design_point]]\nname = \"x\"\nparameters = { W_BANK_WORDS = 128 }\n");
  const pf::ProcessResult result = refused(file);
  EXPECT_NE(result.output.find("PF-11103"), std::string::npos) << result.output;
  EXPECT_NE(result.output.find("pf40_sram_256x512"), std::string::npos) << result.output;
}

TEST_F(SweepFile, ARailWithoutACornerADeadlineAboveItsPeriodAndAMissingNetworkAreRefused) {
  EXPECT_NE(refused(write("rails = [[0.55, 1.1]]\nnetworks = [\"" + kSource +
                          "/nets/mlperf_tiny_kws_dscnn.toml\"]\nperiods_us = [20000]\n"))
                .output.find("PF-11204"),
            std::string::npos);
  EXPECT_NE(refused(write(axes("deadlines_us = [30000]"))).output.find("PF-11201"),
            std::string::npos);
  EXPECT_NE(refused(write("networks = [\"no_such_net.toml\"]\nperiods_us = [20000]\n"))
                .output.find("PF-11205"),
            std::string::npos);
  EXPECT_NE(refused(write(axes("deadlines_us = [100]\ndeadline_fractions = [0.1]")))
                .output.find("PF-11005"),
            std::string::npos);
}

TEST_F(SweepFile, AxesExpandIntoPointsNamedByTheirValues) {
  const std::string file = write("rails = [[0.6, 1.1], [0.8, 1.1]]\nnetworks = [\"" + kSource +
                                 "/nets/mlperf_tiny_kws_dscnn.toml\"]\nperiods_us = [20000]\n"
                                 "deadline_fractions = [0.1, 0.5]\n"
                                 "parameters = { COL_GROUPS = [2, 4] }\n");
  const pf::sweep::SweepSpec spec = pf::sweep::readSweepFile(file);
  ASSERT_EQ(spec.designs.size(), 2u);
  EXPECT_EQ(spec.designs[0].name, "COL_GROUPS2");
  const std::vector<pf::sweep::PlanPoint> points = pf::sweep::expandPoints(spec);
  ASSERT_EQ(points.size(), 8u);
  EXPECT_EQ(points.front().id, "COL_GROUPS2/mlperf_tiny_kws_dscnn/r0.6_1.1/p20000-d2000");
  EXPECT_EQ(points.back().id, "COL_GROUPS4/mlperf_tiny_kws_dscnn/r0.8_1.1/p20000-d10000");
  EXPECT_DOUBLE_EQ(points.back().deadline_us, 10000.0);
}

// The design point's file read back: the PE groups rewritten from the first one, the rest
// of the design as it was; the base design unchanged reads back equal to itself.
TEST_F(SweepFile, ADesignPointRewritesItsDomainFamiliesFromTheFirstMember) {
  pf::sweep::DesignPointSpec point{"pe2",
                                   kSource + "/rtl/design.toml",
                                   {{"COL_GROUPS", 2}, {"ACT_BANKS", 2}},
                                   {},
                                   "design_point[0]"};
  const std::string path = (dir_ / "designs" / "pe2" / "design.toml").string();
  fs::create_directories(fs::path(path).parent_path());
  pf::writeFileAtomic(path, pf::sweep::designPointText(point, "test"));
  const pf::DesignSpec design = pf::sweep::checkDesignPoint(point, path);
  const pf::DesignSpec base = pf::readDesign(kSource + "/rtl/design.toml");
  EXPECT_EQ(design.countDomains(pf::DomainKind::PeGroup), 2);
  const pf::DomainSpec *grp1 = design.findDomain("pe_grp1");
  ASSERT_NE(grp1, nullptr);
  EXPECT_EQ(grp1->columns, (std::vector<int>{4, 5, 6, 7}));
  EXPECT_EQ(grp1->instances, (std::vector<std::string>{"u_pe_array.g_group[1].u_group"}));
  EXPECT_EQ(grp1->pgood_port, "pe_pgood[1]");
  EXPECT_EQ(design.findDomain("pe_grp2"), nullptr);
  EXPECT_EQ(design.findDomain("act_bank2"), nullptr);
  ASSERT_NE(design.findDomain("act_bank1"), nullptr);
  EXPECT_EQ(design.findDomain("act_bank1")->retention_port, "act_ret[1]");
  EXPECT_EQ(design.domains.size(), base.domains.size() - 4);
  EXPECT_EQ(fs::canonical(design.filelist), fs::canonical(base.filelist));

  pf::sweep::DesignPointSpec same{"base", kSource + "/rtl/design.toml", {}, {}, "sweep.design"};
  const std::string same_path = (dir_ / "designs" / "base" / "design.toml").string();
  fs::create_directories(fs::path(same_path).parent_path());
  pf::writeFileAtomic(same_path, pf::sweep::designPointText(same, "test"));
  const pf::DesignSpec copy = pf::sweep::checkDesignPoint(same, same_path);
  ASSERT_EQ(copy.domains.size(), base.domains.size());
  for (size_t d = 0; d < base.domains.size(); ++d) {
    EXPECT_EQ(copy.domains[d].name, base.domains[d].name);
    EXPECT_EQ(copy.domains[d].instances, base.domains[d].instances);
    EXPECT_EQ(copy.domains[d].columns, base.domains[d].columns);
  }
  EXPECT_EQ(copy.parameters, base.parameters);
  EXPECT_EQ(copy.rail_voltages_v, base.rail_voltages_v);
}

}  // namespace
