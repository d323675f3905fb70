// SPDX-License-Identifier: Apache-2.0
// "tpm-unlock": a TPM2-sealed volume key does not unseal after a kexec (the PCRs are not reset).
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "core/check_tpm_unlock.h"
#include "fakes/fake_filesystem.h"

namespace warmboot {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

TEST(CheckTpmUnlock, FindsTpm2DeviceInTheOptions) {
  EXPECT_THAT(tpm2_unlocked_volumes("# name device key options\n"
                                    "root UUID=1 none tpm2-device=auto,discard\n"
                                    "swap /dev/sda3 /dev/urandom swap,cipher=aes-xts-plain64\n"
                                    "data\tUUID=2\t-\tdiscard,tpm2-device=/dev/tpmrm0,tpm2-pcrs=7\n"
                                    "short UUID=3\n"),
              ElementsAre("root", "data"));
  EXPECT_TRUE(tpm2_unlocked_volumes("home UUID=4 none luks,discard\n").empty());
}

TEST(CheckTpmUnlock, WarnsOnlyWhenAVolumeIsTpmSealed) {
  FakeFileSystem fs;
  EXPECT_EQ(check_tpm_unlock(fs).level, CheckLevel::Ok);
  fs.add_file("/etc/crypttab", "home UUID=4 none luks\n");
  EXPECT_EQ(check_tpm_unlock(fs).level, CheckLevel::Ok);
  fs.add_file("/etc/crypttab", "root UUID=1 none tpm2-device=auto\n");
  CheckResult r = check_tpm_unlock(fs);
  EXPECT_EQ(r.level, CheckLevel::Warn);
  EXPECT_THAT(r.seen, HasSubstr("root unlocked by a TPM2-sealed key"));
  EXPECT_THAT(r.remedy, HasSubstr("recovery key"));
}

}  // namespace
}  // namespace warmboot
