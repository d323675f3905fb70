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

TEST(MachineFacts, BootIdWithoutNewline) {
  FakeFileSystem fs;
  EXPECT_EQ(read_machine_facts(fs, nullptr).boot_id, "");
  fs.add_file("/proc/sys/kernel/random/boot_id", "abc-def\n");
  EXPECT_EQ(read_machine_facts(fs, nullptr).boot_id, "abc-def");
}

}  // namespace
}  // namespace warmboot
