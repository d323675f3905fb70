// SPDX-License-Identifier: Apache-2.0
// arm64's "device-tree" line of `check`: which description of the machine the next kernel gets.
#include "core/check_device_tree.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "core/preflight.h"
#include "dtb_builder.h"
#include "fakes/fake_filesystem.h"

namespace warmboot {
namespace {

using ::testing::HasSubstr;

TEST(CheckDeviceTree, DeviceTreeBoardNamesItsModelAndTheWayToGiveAnotherTree) {
  FakeFileSystem fs;
  fs.add_file("/sys/firmware/fdt", std::string("\xd0\x0d\xfe\xed", 4));
  fs.add_file("/sys/firmware/devicetree/base/model", std::string("linux,dummy-virt\0", 17));
  CheckResult r = check_device_tree(fs, std::nullopt);
  EXPECT_EQ(r.level, CheckLevel::Ok);
  EXPECT_EQ(r.name, "device-tree");
  EXPECT_THAT(r.seen, HasSubstr("device tree of linux,dummy-virt"));
  EXPECT_THAT(r.seen, HasSubstr("the running tree goes to the next kernel"));
  EXPECT_THAT(r.seen, HasSubstr("--dtb"));
}

TEST(CheckDeviceTree, AcpiMachineKeepsTheFirmwareTables) {
  FakeFileSystem fs;
  fs.add_file("/sys/firmware/fdt", "x");  // the EFI stub's minimal tree exists on ACPI machines
  fs.add_file("/sys/firmware/acpi/tables/DSDT", "DSDT");
  CheckResult r = check_device_tree(fs, std::nullopt);
  EXPECT_EQ(r.level, CheckLevel::Ok);
  EXPECT_THAT(r.seen, HasSubstr("ACPI"));
}

TEST(CheckDeviceTree, NothingDescribesTheMachineIsAWarning) {
  FakeFileSystem fs;
  CheckResult r = check_device_tree(fs, std::nullopt);
  EXPECT_EQ(r.level, CheckLevel::Warn);
  EXPECT_FALSE(r.remedy.empty());
}

TEST(CheckDeviceTree, AGivenDtbIsCheckedAndNamed) {
  FakeFileSystem fs;
  fs.add_file("/sys/firmware/fdt", "x");
  testing::TestDtb dtb;
  dtb.total = 128;
  dtb.off_strings = 100;
  dtb.size_strings = 16;
  dtb.size_struct = 40;
  fs.add_file("/boot/board.dtb", testing::make_test_dtb(dtb));
  CheckResult r = check_device_tree(fs, std::string("/boot/board.dtb"));
  EXPECT_EQ(r.level, CheckLevel::Ok) << r.seen;
  EXPECT_THAT(r.seen, HasSubstr("/boot/board.dtb (--dtb, 128 bytes)"));
  EXPECT_THAT(r.seen, HasSubstr("kexec_load"));

  fs.add_file("/boot/garbage.dtb", std::string(128, 'g'));
  r = check_device_tree(fs, std::string("/boot/garbage.dtb"));
  EXPECT_EQ(r.level, CheckLevel::Fail);
  EXPECT_THAT(r.seen, HasSubstr("not a flattened device tree"));

  fs.add_fifo("/boot/fifo.dtb");
  r = check_device_tree(fs, std::string("/boot/fifo.dtb"));
  EXPECT_EQ(r.level, CheckLevel::Fail);
  EXPECT_THAT(r.seen, HasSubstr("/boot/fifo.dtb"));

  r = check_device_tree(fs, std::string("/boot/missing.dtb"));
  EXPECT_EQ(r.level, CheckLevel::Fail);
  EXPECT_THAT(r.seen, HasSubstr("/boot/missing.dtb"));
}

TEST(CheckDeviceTree, ModelIsCutAtNulAndKeptPrintable) {
  EXPECT_EQ(device_tree_model(std::string("Board\0junk", 10)), "Board");
  EXPECT_EQ(device_tree_model("A\x01"
                              "B\xff"),
            "A?B?");
  EXPECT_EQ(device_tree_model(std::string(500, 'm')).size(), 80U);
  EXPECT_EQ(device_tree_model(""), "");
}

TEST(CheckDeviceTree, PreflightShowsTheLineOnArm64Only) {
  FakeFileSystem fs;
  fs.add_file("/sys/firmware/fdt", "x");
  MachineFacts machine;
  PreflightFacts facts;
  machine.arch = "arm64";
  auto named = [](const std::vector<CheckResult>& results) {
    for (const auto& r : results)
      if (r.name == "device-tree") return true;
    return false;
  };
  EXPECT_TRUE(named(run_preflight(fs, machine, facts)));
  machine.arch = "x86_64";
  EXPECT_FALSE(named(run_preflight(fs, machine, facts)));
}

}  // namespace
}  // namespace warmboot
