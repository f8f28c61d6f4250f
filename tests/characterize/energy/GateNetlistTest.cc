// BLIF reading: ports by bit, buffer aliases, constants and continuation lines.
#include <gtest/gtest.h>

#include "characterize/energy/GateNetlist.hh"
#include "core/Error.hh"

namespace pf::energy {
namespace {

TEST(GateNetlist, BlifAliasesConstantsAndPorts) {
  const GateNetlist n = parseBlif(R"(# comment
.model m
.inputs a[0] a[1] \
  clk
.outputs y[1] y[0]
.names $false
.names $true
1
.names $undef
.subckt INV A=a[0] Y=w
.subckt DFF D=w CK=clk Q=q
.names q y[0]
1 1
.names $true y[1]
1 1
.subckt NAND2 A=a[1] B=$false Y=u
.end
)",
                                  "m.blif");
  EXPECT_EQ(n.top, "m");
  ASSERT_EQ(n.ports.size(), 3u);
  EXPECT_EQ(n.ports[0].name, "a");
  EXPECT_EQ(n.ports[0].nets.size(), 2u);
  const NetlistPort *y = n.findPort("y");
  ASSERT_NE(y, nullptr);
  EXPECT_FALSE(y->is_input);
  EXPECT_EQ(y->nets[1], GateNetlist::kConst1);
  ASSERT_EQ(n.cells.size(), 3u);
  EXPECT_EQ(n.cells[1].pins[2].second, y->nets[0]);  // q and y[0] are one net
  EXPECT_EQ(n.cells[2].pins[1].second, GateNetlist::kConst0);
  EXPECT_EQ(n.cells[0].pins[1].second, n.cells[1].pins[0].second);
}

TEST(GateNetlist, RejectsLogicInNames) {
  EXPECT_THROW(parseBlif(".model m\n.inputs a b\n.outputs y\n.names a b y\n11 1\n.end\n", "x.blif"),
               Error);
}

}  // namespace
}  // namespace pf::energy
