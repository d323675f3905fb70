// SPDX-License-Identifier: Apache-2.0
// Staging ahead: the "auto" rule and its edges, the payload as staging would pin it (an arm64
// image's recorded decompressed size), the "stage-ahead" check line, and what `refresh` decides.
#include "core/stage_ahead.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "arm64_image_builder.h"
#include "core/downtime_history.h"
#include "core/enable_setup.h"
#include "fakes/fake_filesystem.h"
#include "uki_builder.h"

namespace warmboot {
namespace {

using ::testing::HasSubstr;
using testing::make_test_zboot;
using testing::put_le;

constexpr uint64_t kMiB = 1ull << 20;
constexpr uint64_t kGiB = 1ull << 30;

TEST(StageAheadRule, AutoStagesAheadAtMostTwoPercentOfMemAvailable) {
  EXPECT_TRUE(decide_stage_ahead(StageAhead::Auto, 68 * kMiB, 6 * kGiB).ahead);
  // Exactly 2 % is ahead; a byte more is not.
  EXPECT_TRUE(decide_stage_ahead(StageAhead::Auto, 100 * kMiB, 5000 * kMiB).ahead);
  auto over = decide_stage_ahead(StageAhead::Auto, 100 * kMiB + 1, 5000 * kMiB);
  EXPECT_FALSE(over.ahead);
  EXPECT_EQ(over.why_not, "over 2%");
  // A 2 GiB VM keeps staging on the way down.
  EXPECT_FALSE(decide_stage_ahead(StageAhead::Auto, 68 * kMiB, 2 * kGiB).ahead);
}

TEST(StageAheadRule, AutoLeavesAtLeast256MiBOfMemAvailable) {
  EXPECT_TRUE(decide_stage_ahead(StageAhead::Auto, 1 * kMiB, 257 * kMiB).ahead);
  auto tight = decide_stage_ahead(StageAhead::Auto, 1 * kMiB, 257 * kMiB - 1);
  EXPECT_FALSE(tight.ahead);
  EXPECT_EQ(tight.why_not, "less than 256.0 MiB would remain");
  EXPECT_FALSE(decide_stage_ahead(StageAhead::Auto, 0, 100 * kMiB).ahead);
}

TEST(StageAheadRule, AutoStaysOnTheWayDownWhenANumberIsUnknown) {
  auto no_mem = decide_stage_ahead(StageAhead::Auto, 68 * kMiB, std::nullopt);
  EXPECT_FALSE(no_mem.ahead);
  EXPECT_EQ(no_mem.why_not, "MemAvailable unknown");
  auto no_payload = decide_stage_ahead(StageAhead::Auto, std::nullopt, 64 * kGiB);
  EXPECT_FALSE(no_payload.ahead);
  EXPECT_EQ(no_payload.why_not, "payload unknown");
}

TEST(StageAheadRule, TrueAndFalseAreTheOperatorsWhateverTheNumbers) {
  EXPECT_TRUE(decide_stage_ahead(StageAhead::On, 900 * kMiB, 1 * kGiB).ahead);
  EXPECT_TRUE(decide_stage_ahead(StageAhead::On, std::nullopt, std::nullopt).ahead);
  EXPECT_FALSE(decide_stage_ahead(StageAhead::Off, 1 * kMiB, 64 * kGiB).ahead);
}

TEST(StageAheadRule, DescribeShowsTheDecisionAndItsNumbers) {
  const uint64_t payload = 71617331;      // 68.3 MiB
  const uint64_t available = 6012954214;  // 5.6 GiB
  EXPECT_EQ(describe(decide_stage_ahead(StageAhead::Auto, payload, available)),
            "auto: 68.3 MiB payload, 1.2% of 5.6 GiB MemAvailable -> staged ahead after boot");
  EXPECT_EQ(describe(decide_stage_ahead(StageAhead::Auto, 300 * kMiB, available)),
            "auto: 300.0 MiB payload, 5.2% of 5.6 GiB MemAvailable -> staged on the way down "
            "(over 2%)");
  EXPECT_EQ(describe(decide_stage_ahead(StageAhead::Auto, payload, std::nullopt)),
            "auto: 68.3 MiB payload, MemAvailable unknown -> staged on the way down");
  EXPECT_EQ(describe(decide_stage_ahead(StageAhead::On, payload, available)),
            "on (config): 68.3 MiB payload, 1.2% of 5.6 GiB MemAvailable -> staged ahead after "
            "boot");
  EXPECT_EQ(describe(decide_stage_ahead(StageAhead::Off, payload, available)),
            "off (config) -> staged on the way down");
}

class StageAheadPayload : public ::testing::Test {
 protected:
  void SetUp() override {
    fs.add_file("/boot/initrd.img", std::string(3000, 'i'));
    plan.kernel = "/boot/vmlinuz";
    plan.initrds = {"/boot/initrd.img"};
  }
  // A gzip stream as an Image.gz is: magic, then anything, then ISIZE (the input size mod 2^32).
  static std::string gzip_like(size_t size, uint32_t isize) {
    std::string out(size, 'z');
    out.replace(0, 3, "\x1f\x8b\x08");
    put_le(out, size - 4, isize, 4);
    return out;
  }
  FakeFileSystem fs;
  Plan plan;
};

TEST_F(StageAheadPayload, ABzImageCountsItsInitSizeTheMemoryKexecReservesForIt) {
  testing::TestBzImage spec;
  spec.size = 8192;
  std::string bz = testing::make_test_bzimage(spec);
  put_le(bz, 0x260, 40000, 4);  // init_size: the kernel decompresses itself in place
  fs.add_file("/boot/vmlinuz", bz);
  EXPECT_EQ(staged_payload_bytes(fs, plan, "x86_64"), 40000u + 3000u);
  put_le(bz, 0x260, 100, 4);  // never less than the file
  fs.add_file("/boot/vmlinuz", bz);
  EXPECT_EQ(staged_payload_bytes(fs, plan, "x86_64"), 8192u + 3000u);
}

TEST_F(StageAheadPayload, KernelAndEveryInitrdAsTheirFilesAre) {
  fs.add_file("/boot/vmlinuz", std::string(5000, 'k'));
  fs.add_file("/boot/second.img", std::string(700, 'i'));
  plan.initrds.push_back("/boot/second.img");
  EXPECT_EQ(staged_payload_bytes(fs, plan, "x86_64"), 5000u + 3000u + 700u);
  plan.initrds.push_back("/boot/gone.img");
  EXPECT_EQ(staged_payload_bytes(fs, plan, "x86_64"), std::nullopt);
}

TEST_F(StageAheadPayload, ACompressedArm64ImageCountsDecompressedWhenItsTrailerSays) {
  fs.add_file("/boot/vmlinuz", gzip_like(10000, 40000));
  EXPECT_EQ(staged_payload_bytes(fs, plan, "arm64"), 40000u + 3000u);
  // x86_64 hands its kernel over as it is: the file is what is copied.
  EXPECT_EQ(staged_payload_bytes(fs, plan, "x86_64"), 10000u + 3000u);
  // A trailer that cannot be the size of what is inside: the file's size.
  fs.add_file("/boot/vmlinuz", gzip_like(10000, 9000));
  EXPECT_EQ(staged_payload_bytes(fs, plan, "arm64"), 10000u + 3000u);
  fs.add_file("/boot/vmlinuz", gzip_like(10000, 0xffffffff));
  EXPECT_EQ(staged_payload_bytes(fs, plan, "arm64"), 10000u + 3000u);
}

TEST_F(StageAheadPayload, ZbootSizeComesFromTheGzipTrailerOrTheAppendedSize) {
  // zstd22_with_size: the size follows the payload, outside the header's payload size.
  std::string zstd = make_test_zboot(std::string(5000, 'p'), "zstd22");
  put_le(zstd, zstd.size() - 4, 80000, 4);
  fs.add_file("/boot/vmlinuz", zstd);
  EXPECT_EQ(staged_payload_bytes(fs, plan, "arm64"), 80000u + 3000u);
  // gzip: ISIZE is the payload's own last 4 bytes.
  std::string gzip_payload = gzip_like(5000, 70000);
  fs.add_file("/boot/vmlinuz", make_test_zboot(gzip_payload, "gzip"));
  EXPECT_EQ(staged_payload_bytes(fs, plan, "arm64"), 70000u + 3000u);
  // Nothing recorded: the file's size.
  const std::string bare = make_test_zboot(std::string(5000, 'p'), "zstd22");
  fs.add_file("/boot/vmlinuz", bare);
  EXPECT_EQ(staged_payload_bytes(fs, plan, "arm64"), bare.size() + 3000u);
}

TEST(StageAheadCheck, SaysTheDecisionAndWarnsOnlyWhenTrueLeavesTooLittle) {
  FakeFileSystem fs;
  fs.add_file("/boot/vmlinuz", std::string(10 * kMiB, 'k'));
  Plan plan;
  plan.kernel = "/boot/vmlinuz";
  MachineFacts machine;
  machine.mem_available = 4 * kGiB;
  fs.add_file(kEnableDropIn, enable_drop_in_text());
  auto ok = check_stage_ahead(fs, machine, StageAhead::Auto, plan);
  EXPECT_EQ(ok.name, "stage-ahead");
  EXPECT_EQ(ok.level, CheckLevel::Ok);
  EXPECT_EQ(ok.seen,
            "auto: 10.0 MiB payload, 0.2% of 4.0 GiB MemAvailable -> staged ahead after "
            "boot");

  machine.mem_available = 260 * kMiB;  // 3.8 %: auto stages on the way down, and that is fine
  auto down = check_stage_ahead(fs, machine, StageAhead::Auto, plan);
  EXPECT_EQ(down.level, CheckLevel::Ok);
  EXPECT_THAT(down.seen, HasSubstr("-> staged on the way down (over 2%)"));
  auto forced = check_stage_ahead(fs, machine, StageAhead::On, plan);
  EXPECT_EQ(forced.level, CheckLevel::Warn);
  EXPECT_THAT(forced.remedy, HasSubstr("stage_ahead = \"auto\""));

  ASSERT_TRUE(fs.remove_file(kEnableDropIn).ok());
  EXPECT_THAT(check_stage_ahead(fs, machine, StageAhead::Off, plan).seen, HasSubstr("not enabled"));
}

TEST(RefreshDecision, EveryCase) {
  using A = RefreshAction;
  RefreshFacts f;
  EXPECT_EQ(decide_refresh(f), A::Nothing);  // nothing staged, nothing to stage
  f.have_plan = true;
  f.stage_ahead = true;
  EXPECT_EQ(decide_refresh(f), A::Stage);  // nothing staged, but it is to be staged ahead
  f.loaded = true;
  f.ours = true;
  f.staged_is_plan = true;
  EXPECT_EQ(decide_refresh(f), A::Nothing);  // the same plan, still staged
  f.staged_is_plan = false;
  EXPECT_EQ(decide_refresh(f), A::Stage);  // the boot loader's choice changed: restage
  f.stage_ahead = false;
  EXPECT_EQ(decide_refresh(f), A::Unload);  // ... but not to be staged ahead: unload
  f.have_plan = false;
  EXPECT_EQ(decide_refresh(f), A::Unload);  // no plan any more
  f.ours = false;
  EXPECT_EQ(decide_refresh(f), A::LeaveAlone);  // another tool's kernel
  f.ours = true;
  f.have_plan = true;
  f.stage_ahead = true;
  f.reboot_under_way = true;
  EXPECT_EQ(decide_refresh(f), A::LeaveAlone);  // the handover cleared the one-shot: hands off
}

TEST(RefreshDecision, ARebootIsUnderWayWhileItsMarkOrThisBootsHandoverRecordExists) {
  FakeFileSystem fs;
  const std::string boot = "11111111-2222-3333-4444-555555555555";
  EXPECT_FALSE(reboot_under_way(fs, boot));
  HandoverRecord earlier;
  earlier.boot_id = "00000000-2222-3333-4444-555555555555";  // a boot that never recorded itself
  earlier.method = "kexec_file_load";
  ASSERT_TRUE(write_handover(fs, earlier).ok());
  EXPECT_FALSE(reboot_under_way(fs, boot));
  HandoverRecord now = earlier;
  now.boot_id = boot;
  ASSERT_TRUE(write_handover(fs, now).ok());
  EXPECT_TRUE(reboot_under_way(fs, boot));
  FakeFileSystem marked;
  marked.add_file(kRebootMarker, "/boot/vmlinuz\n");
  EXPECT_TRUE(reboot_under_way(marked, boot));
}

TEST(MachineFactsMemAvailable, ReadFromProcMeminfo) {
  FakeFileSystem fs;
  EXPECT_EQ(read_machine_facts(fs, nullptr).mem_available, std::nullopt);
  fs.add_file("/proc/meminfo", "MemTotal:  8000000 kB\nMemAvailable:    5872026 kB\n");
  EXPECT_EQ(read_machine_facts(fs, nullptr).mem_available, 5872026ull * 1024);
}

}  // namespace
}  // namespace warmboot
