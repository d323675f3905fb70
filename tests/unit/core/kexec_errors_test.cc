// SPDX-License-Identifier: Apache-2.0
#include "core/kexec_errors.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cerrno>

#include "fakes/fake_filesystem.h"

namespace warmboot {
namespace {

using ::testing::HasSubstr;

struct Case {
  int code;
  const char* message_part;
  const char* remedy_part;
};

KexecFailure failure(int code) {
  KexecFailure f;
  f.code = code;
  f.kernel = "/boot/vmlinuz-6.1.0-9-amd64";
  f.image_bytes = 3u << 20;
  f.cmdline_bytes = 3000;
  return f;
}

class KexecErrorsTest : public ::testing::TestWithParam<Case> {};

TEST_P(KexecErrorsTest, MapsErrnoToMessageAndRemedy) {
  FakeFileSystem fs;
  const Case& c = GetParam();
  Error e = explain_kexec_failure(failure(c.code), read_machine_facts(fs, nullptr));
  EXPECT_EQ(e.op, "kexec_file_load");
  EXPECT_EQ(e.code, c.code);
  EXPECT_THAT(e.message, HasSubstr(c.message_part)) << e.str();
  EXPECT_THAT(e.remedy, HasSubstr(c.remedy_part)) << e.str();
}

INSTANTIATE_TEST_SUITE_P(
    Errnos, KexecErrorsTest,
    ::testing::Values(
        Case{EPERM, "CAP_SYS_BOOT", "run warmboot as root"},
        Case{EKEYREJECTED, "/boot/vmlinuz-6.1.0-9-amd64 is not signed by a trusted key",
             "sign it or boot without lockdown"},
        Case{EBADMSG, "is not signed by a trusted key", "sign it or boot without lockdown"},
        Case{ENOKEY, "is not signed by a trusted key", "sign it or boot without lockdown"},
        Case{EBUSY, "already in progress", "retry"},
        Case{ENOMEM, "contiguous memory to stage /boot/vmlinuz-6.1.0-9-amd64", "smaller initrd"},
        Case{ENOEXEC, "not in a format", "architecture"},
        Case{EINVAL, "rejected the image", "command line"},
        Case{ENOSYS, "CONFIG_KEXEC_FILE", "kexec-tools"}, Case{EFBIG, "3.0 MiB", "smaller initrd"},
        Case{E2BIG, "3000 bytes with its NUL; the limit is 2048", "shorten"},
        Case{EIO, "Input/output error", ""}),
    [](const auto& info) { return errno_name(info.param.code); });

TEST(KexecErrorsEperm, KexecLoadDisabledIsNamed) {
  FakeFileSystem fs;
  fs.add_file("/proc/sys/kernel/kexec_load_disabled", "1\n");
  fs.add_file("/sys/kernel/security/lockdown", "none [integrity] confidentiality\n");
  Error e = explain_kexec_failure(failure(EPERM), read_machine_facts(fs, nullptr));
  EXPECT_THAT(e.message, HasSubstr("kernel.kexec_load_disabled=1"));
  EXPECT_EQ(e.file, "/proc/sys/kernel/kexec_load_disabled");
  EXPECT_THAT(e.remedy, HasSubstr("reboot normally"));
}

TEST(KexecErrorsEperm, LoadLimitUsedUp) {
  FakeFileSystem fs;
  fs.add_file("/proc/sys/kernel/kexec_load_disabled", "0\n");
  fs.add_file("/proc/sys/kernel/kexec_load_limit_reboot", "0\n");
  Error e = explain_kexec_failure(failure(EPERM), read_machine_facts(fs, nullptr));
  EXPECT_THAT(e.message, HasSubstr("kexec_load_limit_reboot=0"));
}

TEST(KexecErrorsEperm, LockdownIntegrityOrConfidentiality) {
  for (const char* text :
       {"none [integrity] confidentiality\n", "none integrity [confidentiality]"}) {
    FakeFileSystem fs;
    fs.add_file("/proc/sys/kernel/kexec_load_disabled", "0\n");
    fs.add_file("/sys/kernel/security/lockdown", text);
    Error e = explain_kexec_failure(failure(EPERM), read_machine_facts(fs, nullptr));
    EXPECT_THAT(e.message, HasSubstr("locked down ([")) << text;
    EXPECT_THAT(e.message, HasSubstr("is not signed by a trusted key"));
    EXPECT_THAT(e.remedy, HasSubstr("boot without lockdown"));
    EXPECT_EQ(e.file, "/boot/vmlinuz-6.1.0-9-amd64");
  }
}

TEST(KexecErrorsEperm, LockdownNoneMeansPrivileges) {
  FakeFileSystem fs;
  fs.add_file("/sys/kernel/security/lockdown", "[none] integrity confidentiality\n");
  EXPECT_THAT(explain_kexec_failure(failure(EPERM), read_machine_facts(fs, nullptr)).message,
              HasSubstr("CAP_SYS_BOOT"));
  EXPECT_FALSE(read_machine_facts(fs, nullptr).locked_down());
}

TEST(KexecErrorsFallback, OnlyEnosysAndEnoexec) {
  EXPECT_TRUE(kexec_fallback_allowed(ENOSYS));
  EXPECT_TRUE(kexec_fallback_allowed(ENOEXEC));
  for (int code : {EPERM, EKEYREJECTED, EBADMSG, ENOKEY, EBUSY, ENOMEM, EINVAL, EFBIG, E2BIG})
    EXPECT_FALSE(kexec_fallback_allowed(code)) << errno_name(code);
}

}  // namespace
}  // namespace warmboot
