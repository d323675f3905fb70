// SPDX-License-Identifier: Apache-2.0
// Staging a unified kernel image: .linux becomes the kernel, .initrd goes before plan.initrds.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cerrno>
#include <string>
#include <utility>
#include <vector>

#include "fakes/fake_filesystem.h"
#include "fakes/fake_kexec.h"
#include "fakes/fake_process_runner.h"
#include "os/kexec_stager.h"
#include "uki_builder.h"

namespace warmboot {
namespace {

// The .linux section must be a real 64-bit bzImage: the stager refuses anything else.
const std::string kKernel = testing::make_test_kernel("6.1.0-9-amd64");

using ::testing::HasSubstr;

void put_le(std::string& out, size_t at, uint64_t value, int width) {
  for (int i = 0; i < width; ++i) out[at + i] = static_cast<char>((value >> (8 * i)) & 0xff);
}

// A minimal PE file: DOS header, "PE\0\0", COFF header without optional header, section table,
// then each section's data in order.
std::string make_uki(const std::vector<std::pair<std::string, std::string>>& sections) {
  const size_t table = 0x40 + 4 + 20;
  size_t data = table + 40 * sections.size();
  std::string out(data, '\0');
  out[0] = 'M';
  out[1] = 'Z';
  put_le(out, 0x3c, 0x40, 4);
  out.replace(0x40, 4, std::string("PE\0\0", 4));
  put_le(out, 0x44, 0x8664, 2);
  put_le(out, 0x46, sections.size(), 2);
  for (size_t i = 0; i < sections.size(); ++i) {
    const auto& [name, bytes] = sections[i];
    size_t at = table + 40 * i;
    out.replace(at, name.size(), name);
    put_le(out, at + 8, bytes.size(), 4);   // VirtualSize
    put_le(out, at + 16, bytes.size(), 4);  // SizeOfRawData
    put_le(out, at + 20, out.size(), 4);    // PointerToRawData
    out += bytes;
  }
  return out;
}

class UkiStagingTest : public ::testing::Test {
 protected:
  UkiStagingTest() {
    plan.kernel = "/efi/EFI/Linux/debian-6.1.0-9-amd64.efi";
    plan.uki = true;
    plan.cmdline = "root=/dev/vda1";
    fs.add_file("/boot/extra.img", "EXTRA");
  }
  Result<StagedImage> stage() {
    return stage_plan(plan, fs, kexec, runner, read_machine_facts(fs, nullptr));
  }

  FakeFileSystem fs;
  FakeKexec kexec;
  FakeProcessRunner runner;
  Plan plan;
};

TEST_F(UkiStagingTest, ExtractsLinuxAndPutsEmbeddedInitrdFirst) {
  fs.add_file(plan.kernel, make_uki({{".osrel", "ID=debian\n"},
                                     {".cmdline", "quiet"},
                                     {".linux", kKernel},
                                     {".initrd", "UKI-INITRD"}}));
  plan.initrds = {"/boot/extra.img"};
  auto result = stage();
  ASSERT_TRUE(result.ok()) << result.error().str();
  EXPECT_EQ(result->kernel_bytes, kKernel.size());
  const auto& load = kexec.loads().at(0);
  EXPECT_EQ(load.kernel, kKernel);
  EXPECT_EQ(load.initrd, std::string("UKI-INITRD\0\0", 12) + "EXTRA");
  EXPECT_EQ(result->initrd_bytes, 17u);
  EXPECT_EQ(load.cmdline, std::string("root=/dev/vda1\0", 15));
}

TEST_F(UkiStagingTest, EmbeddedInitrdAloneIsPassedUnpadded) {
  fs.add_file(plan.kernel, make_uki({{".linux", kKernel}, {".initrd", "ABCDE"}}));
  ASSERT_TRUE(stage().ok());
  EXPECT_EQ(kexec.loads().at(0).kernel, kKernel);
  EXPECT_EQ(kexec.loads().at(0).initrd, "ABCDE");
}

TEST_F(UkiStagingTest, UkiWithoutInitrdSectionUsesPlanInitrdsOnly) {
  fs.add_file(plan.kernel, make_uki({{".linux", kKernel}}));
  plan.initrds = {"/boot/extra.img"};
  ASSERT_TRUE(stage().ok());
  EXPECT_EQ(kexec.loads().at(0).initrd, "EXTRA");
}

TEST_F(UkiStagingTest, NoInitrdAtAll) {
  fs.add_file(plan.kernel, make_uki({{".linux", kKernel}}));
  ASSERT_TRUE(stage().ok());
  EXPECT_FALSE(kexec.loads().at(0).has_initrd);
}

TEST_F(UkiStagingTest, NotAPeFileIsAnErrorBeforeAnyKexecCall) {
  fs.add_file(plan.kernel, "this is not a PE file, just text long enough for a DOS header......");
  auto result = stage();
  ASSERT_FALSE(result.ok());
  EXPECT_THAT(result.error().message, HasSubstr(plan.kernel));
  EXPECT_TRUE(kexec.calls().empty());
}

TEST_F(UkiStagingTest, PeWithoutLinuxSectionIsRejected) {
  fs.add_file(plan.kernel, make_uki({{".text", "code"}}));
  auto result = stage();
  ASSERT_FALSE(result.ok());
  EXPECT_THAT(result.error().message, HasSubstr("unified kernel image"));
  EXPECT_TRUE(kexec.calls().empty());
}

TEST_F(UkiStagingTest, FallbackHandsKexecToolsTheExtractedKernel) {
  fs.add_file(plan.kernel, make_uki({{".linux", kKernel}, {".initrd", "RD"}}));
  kexec.fail_next(FakeKexec::Op::FileLoad, ENOEXEC);
  runner.add_executable("/usr/sbin/kexec");
  auto result = stage();
  ASSERT_TRUE(result.ok()) << result.error().str();
  const auto& argv = runner.runs().at(0);
  EXPECT_EQ(runner.proc_files().at(argv[2]), kKernel);
  EXPECT_EQ(runner.proc_files().at(argv[3].substr(9)), "RD");
}

}  // namespace
}  // namespace warmboot
