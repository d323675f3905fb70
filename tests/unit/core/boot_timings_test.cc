// SPDX-License-Identifier: Apache-2.0
// boot_phases against systemd-analyze's arithmetic, and the warm saving's honesty when the
// firmware reported nothing or this boot came from a kexec.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "core/boot_timings.h"

namespace warmboot {
namespace {

TEST(BootTimings, EfiBootWithInitrdAsSystemdAnalyzeCountsIt) {
  // systemd-analyze: "12.000s (firmware) + 3.000s (loader) + 1.500s (kernel) + 2.500s (initrd) +
  // 6.000s (userspace) = 25.000s".
  BootTimestamps t{15'000'000, 3'000'000, 1'500'000, 4'000'000, 10'000'000};
  BootPhases p = boot_phases(t);
  EXPECT_EQ(p.firmware, 12.0);
  EXPECT_EQ(p.loader, 3.0);
  EXPECT_EQ(p.kernel, 1.5);
  EXPECT_EQ(p.initrd, 2.5);
  EXPECT_EQ(p.userspace, 6.0);
  EXPECT_DOUBLE_EQ(p.total(), 25.0);
}

TEST(BootTimings, BiosBootWithoutInitrdAndUnfinished) {
  BootTimestamps t{0, 0, 0, 2'250'000, 0};
  BootPhases p = boot_phases(t);
  EXPECT_EQ(p.firmware, std::nullopt);
  EXPECT_EQ(p.loader, std::nullopt);
  EXPECT_EQ(p.kernel, 2.25);
  EXPECT_EQ(p.initrd, std::nullopt);
  EXPECT_EQ(p.userspace, std::nullopt);  // the boot transaction has not finished
  EXPECT_DOUBLE_EQ(p.total(), 2.25);
}

TEST(BootTimings, SavingIsFirmwarePlusLoaderOfTheWholeBoot) {
  BootPhases p =
      boot_phases(BootTimestamps{15'000'000, 3'000'000, 1'500'000, 4'000'000, 10'000'000});
  WarmSaving s = warm_saving(p, false);
  ASSERT_TRUE(s.seconds.has_value());
  EXPECT_DOUBLE_EQ(*s.seconds, 15.0);
  EXPECT_DOUBLE_EQ(*s.percent, 60.0);
}

TEST(BootTimings, SavingUnknownSaysWhy) {
  BootPhases bios = boot_phases(BootTimestamps{0, 0, 1'000'000, 3'000'000, 9'000'000});
  WarmSaving s = warm_saving(bios, false);
  EXPECT_EQ(s.seconds, std::nullopt);
  EXPECT_NE(s.note.find("firmware reported no boot times"), std::string::npos);
  WarmSaving after_kexec = warm_saving(bios, true);
  EXPECT_EQ(after_kexec.seconds, std::nullopt);
  EXPECT_NE(after_kexec.note.find("came from a kexec"), std::string::npos);
  // Even with numbers, a kexec'd boot's firmware times are not this machine's (stale EFI vars).
  BootPhases efi = boot_phases(BootTimestamps{15'000'000, 3'000'000, 0, 1'000'000, 2'000'000});
  EXPECT_EQ(warm_saving(efi, true).seconds, std::nullopt);
}

TEST(BootTimings, PhasesJsonRoundTrip) {
  BootPhases p{1.0, std::nullopt, 2.0, 3.0, std::nullopt};
  nlohmann::json j = to_json(p);
  EXPECT_TRUE(j["loader_s"].is_null());
  EXPECT_DOUBLE_EQ(j["total_s"].get<double>(), 6.0);
  EXPECT_EQ(boot_phases_from_json(j), p);
  EXPECT_EQ(boot_phases_from_json(nlohmann::json("garbage")), std::nullopt);
}

}  // namespace
}  // namespace warmboot
