// SPDX-License-Identifier: Apache-2.0
#include "core/plan.h"
#include "core/machine_facts.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "core/staged_record.h"
#include "fakes/fake_filesystem.h"

namespace warmboot {
namespace {

Plan sample_plan() {
  Plan plan;
  plan.kernel = "/boot/vmlinuz-6.1.0-10-amd64";
  plan.initrds = {"/boot/intel-ucode.img", "/boot/initrd.img-6.1.0-10-amd64"};
  plan.cmdline = "root=UUID=1 ro x=\"a b\"";
  plan.version = "6.1.0-10-amd64";
  plan.source = PlanSource::Bootloader;
  plan.entry = "Debian GNU/Linux";
  return plan;
}

TEST(PlanJson, HasTheDocumentedKeys) {
  nlohmann::json json = to_json(sample_plan());
  EXPECT_EQ(json["kernel"], "/boot/vmlinuz-6.1.0-10-amd64");
  EXPECT_EQ(json["initrds"].size(), 2u);
  EXPECT_EQ(json["initrds"][0], "/boot/intel-ucode.img");
  EXPECT_EQ(json["cmdline"], "root=UUID=1 ro x=\"a b\"");
  EXPECT_EQ(json["version"], "6.1.0-10-amd64");
  EXPECT_EQ(json["source"], "bootloader");
  EXPECT_EQ(json["entry"], "Debian GNU/Linux");

  Plan bare;
  bare.kernel = "/k";
  bare.source = PlanSource::Path;
  json = to_json(bare);
  EXPECT_TRUE(json["version"].is_null());
  EXPECT_TRUE(json["entry"].is_null());
  EXPECT_EQ(json["source"], "path");
}

TEST(PlanJson, RoundTripsAndRejectsGarbage) {
  Plan plan = sample_plan();
  EXPECT_EQ(plan_from_json(to_json(plan)), plan);
  EXPECT_TRUE(to_json(plan)["dtb"].is_null());
  plan.dtb = "/boot/board.dtb";
  EXPECT_EQ(to_json(plan)["dtb"], "/boot/board.dtb");
  EXPECT_EQ(plan_from_json(to_json(plan)), plan);
  EXPECT_EQ(plan_from_json(nlohmann::json::parse("[1,2]")), std::nullopt);
  EXPECT_EQ(plan_from_json(nlohmann::json::parse(R"({"kernel": 3})")), std::nullopt);
  auto bad_source = to_json(plan);
  bad_source["source"] = "somewhere";
  EXPECT_EQ(plan_from_json(bad_source), std::nullopt);
}

TEST(StagedRecord, WritesReadsAndIgnoresGarbage) {
  FakeFileSystem fs;
  EXPECT_EQ(read_staged_record(fs), std::nullopt);
  StagedRecord record{sample_plan(),
                      StagingMethod::FileLoad,
                      "boot-1",
                      1700000000,
                      {StagedFile{"/boot/vmlinuz", FileIdentity{1, 2, 3, 4, 5}}}};
  ASSERT_TRUE(write_staged_record(fs, record));
  EXPECT_EQ(read_staged_record(fs), record);
  fs.add_file(kStagedRecordPath, "\x01\x02 not json");
  EXPECT_EQ(read_staged_record(fs), std::nullopt);
  fs.add_file(kStagedRecordPath, R"({"plan": {"kernel": "/k"}})");
  EXPECT_EQ(read_staged_record(fs), std::nullopt);
}

// A GRUB title in Latin-1, a command line with a stray byte: the record must still say exactly
// which plan is staged, or every `reboot` would restage (it used to store U+FFFD and never match).
TEST(StagedRecord, KeepsBytesThatAreNotUtf8) {
  FakeFileSystem fs;
  StagedRecord record{sample_plan(), StagingMethod::FileLoad, "boot-1", 1700000000, {}};
  record.plan.entry =
      "Debian GNU/Linux (r\xe9"
      "cup\xe9ration)";
  record.plan.cmdline = "root=/dev/sda1 label=\xff\xfe";
  record.plan.kernel = "/boot/vmlinuz-\xe9t\xe9";
  record.plan.initrds = {"/boot/initrd-\xe9t\xe9"};
  fs.add_file(record.plan.kernel, "kernel");
  fs.add_file(record.plan.initrds[0], "initrd");
  record.files = identify_plan_files(fs, record.plan);
  ASSERT_TRUE(write_staged_record(fs, record));
  auto text = fs.read_file(kStagedRecordPath, 1 << 20);
  ASSERT_TRUE(text);
  EXPECT_TRUE(nlohmann::json::accept(*text));  // still valid JSON for people and tools
  EXPECT_NE(text->find("\"exact\""), std::string::npos);
  auto read = read_staged_record(fs);
  EXPECT_EQ(read, record);
  ASSERT_TRUE(read);
  EXPECT_TRUE(record_is_current(*read, record.plan, "boot-1", fs));

  StagedRecord plain{sample_plan(), StagingMethod::FileLoad, "boot-1", 1, {}};
  ASSERT_TRUE(write_staged_record(fs, plain));
  text = fs.read_file(kStagedRecordPath, 1 << 20);
  EXPECT_EQ(text->find("\"exact\""), std::string::npos);  // UTF-8 records stay readable as they are
  EXPECT_EQ(read_staged_record(fs), plain);
}

TEST(StagedRecord, IgnoresAGarbledExactCopy) {
  FakeFileSystem fs;
  // The last two announce a map and an array of 2^64-1 elements (from a fuzzer's crash).
  for (const char* exact :
       {"zz", "a", "", "ff", "a16470", "8", "bbffffffffffffffff", "9bffffffffffffffff"}) {
    nlohmann::json json = {{"plan", to_json(sample_plan())},
                           {"files", nlohmann::json::array()},
                           {"method", "kexec_file_load"},
                           {"exact", exact}};
    fs.add_file(kStagedRecordPath, json.dump());
    EXPECT_EQ(read_staged_record(fs), std::nullopt) << exact;
  }
}

TEST(MachineFacts, BootIdWithoutNewline) {
  FakeFileSystem fs;
  EXPECT_EQ(read_machine_facts(fs, nullptr).boot_id, "");
  fs.add_file("/proc/sys/kernel/random/boot_id", "abc-def\n");
  EXPECT_EQ(read_machine_facts(fs, nullptr).boot_id, "abc-def");
}

}  // namespace
}  // namespace warmboot
