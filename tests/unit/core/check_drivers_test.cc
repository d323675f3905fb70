// SPDX-License-Identifier: Apache-2.0
// Loaded drivers known to misbehave across kexec, from /proc/modules.
#include "core/check_drivers.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "fakes/fake_filesystem.h"

namespace warmboot {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

TEST(CheckDrivers, ParsesProcModules) {
  EXPECT_THAT(loaded_modules("nvidia_drm 73728 4 - Live 0x0 (POE)\next4 1007616 1 - Live 0x0\n"),
              ElementsAre("nvidia_drm", "ext4"));
  EXPECT_TRUE(loaded_modules("").empty());
}

TEST(CheckDrivers, NothingRisky) {
  FakeFileSystem fs;
  fs.add_file("/proc/modules", "ext4 1007616 1 - Live 0x0\nvirtio_net 65536 0 - Live 0x0\n");
  auto result = check_drivers(fs);
  EXPECT_EQ(result.level, CheckLevel::Ok);
  EXPECT_THAT(result.seen, HasSubstr("2 modules"));
}

TEST(CheckDrivers, NvidiaStackWarnsWithUnloadOrder) {
  FakeFileSystem fs;
  fs.add_file("/proc/modules",
              "nvidia 56500224 420 nvidia_modeset, Live 0x0 (POE)\n"
              "nvidia_modeset 1142784 8 nvidia_drm, Live 0x0 (POE)\n"
              "nvidia_drm 73728 4 - Live 0x0 (POE)\n"
              "mlx5_core 2068480 1 mlx5_ib, Live 0x0\n");
  auto result = check_drivers(fs);
  EXPECT_EQ(result.level, CheckLevel::Warn);
  EXPECT_THAT(result.seen, HasSubstr("mlx5_core"));
  // Dependents first, whatever order /proc/modules lists them in.
  EXPECT_THAT(result.remedy, HasSubstr("modprobe -r nvidia_drm nvidia_modeset nvidia mlx5_core"));
}

TEST(CheckDrivers, NoProcModulesIsFine) {
  FakeFileSystem fs;
  EXPECT_EQ(check_drivers(fs).level, CheckLevel::Ok);
}

TEST(CheckDrivers, ListNamesRealModules) {
  for (const auto& driver : risky_drivers()) {
    EXPECT_EQ(driver.module.find('-'), std::string_view::npos) << driver.module;
    EXPECT_FALSE(driver.why.empty());
  }
}

}  // namespace
}  // namespace warmboot
