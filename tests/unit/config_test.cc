// SPDX-License-Identifier: Apache-2.0
// parse_config: every key, the defaults, and errors that name file:line:column and the key.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "cli/config_merge.h"
#include "core/config.h"
#include "fakes/fake_filesystem.h"

#include <fstream>
#include <regex>

namespace warmboot {
namespace {

using ::testing::HasSubstr;
constexpr const char* kPath = "/etc/warmboot/warmboot.conf";

TEST(ConfigTest, EmptyFileGivesDefaults) {
  auto config = parse_config("", kPath);
  ASSERT_TRUE(config.ok()) << config.error().str();
  EXPECT_EQ(*config, Config{});
  EXPECT_TRUE(config->fallback);
  EXPECT_EQ(config->hooks.directory, "/etc/warmboot/hooks.d");
}

TEST(ConfigTest, EveryKey) {
  auto config = parse_config(R"(
[kernel]
select = "latest"
initrds = ["/boot/a.img", "/boot/b.img"]
cmdline = "root=/dev/vda1 ro"
append = ["quiet", "mitigations=off"]
remove = ["splash"]
dtb = "/boot/dtbs/board.dtb"

[handover]
mode = "force"
fallback = false
ignore_inhibitors = true
stage_ahead = true

[hooks]
isolate_multi_user = true
unload_modules = ["nvidia_drm", "nvidia"]
down_interfaces = ["eth0"]
directory = "/srv/hooks"

[guard]
on_failure = "warn"
watchdog_sec = 300

[metrics]
path = "/var/lib/warmboot/metrics.json"
)",
                             kPath);
  ASSERT_TRUE(config.ok()) << config.error().str();
  EXPECT_EQ(config->kernel, "latest");
  EXPECT_EQ(config->initrds, (std::vector<std::string>{"/boot/a.img", "/boot/b.img"}));
  EXPECT_EQ(config->cmdline, "root=/dev/vda1 ro");
  EXPECT_EQ(config->dtb, "/boot/dtbs/board.dtb");
  EXPECT_EQ(config->append, (std::vector<std::string>{"quiet", "mitigations=off"}));
  EXPECT_EQ(config->remove, (std::vector<std::string>{"splash"}));
  EXPECT_EQ(config->mode, HandoverMode::Force);
  EXPECT_FALSE(config->fallback);
  EXPECT_TRUE(config->ignore_inhibitors);
  EXPECT_EQ(config->stage_ahead, StageAhead::On);
  EXPECT_TRUE(config->hooks.isolate_multi_user);
  EXPECT_EQ(config->hooks.unload_modules, (std::vector<std::string>{"nvidia_drm", "nvidia"}));
  EXPECT_EQ(config->hooks.down_interfaces, (std::vector<std::string>{"eth0"}));
  EXPECT_EQ(config->hooks.directory, "/srv/hooks");
  EXPECT_EQ(config->on_failure, GuardPolicy::Warn);
  EXPECT_EQ(config->watchdog_sec, 300);
  EXPECT_EQ(config->metrics_path, "/var/lib/warmboot/metrics.json");
}

TEST(ConfigTest, WatchdogIsOnByDefaultAndZeroTurnsItOff) {
  EXPECT_EQ(parse_config("", kPath)->watchdog_sec, 120);
  EXPECT_EQ(parse_config("[guard]\nwatchdog_sec = 0\n", kPath)->watchdog_sec, 0);
  EXPECT_EQ(parse_config("[guard]\nwatchdog_sec = 30\n", kPath)->watchdog_sec, 30);
}

// [handover] stage_ahead: "auto" by default (core/stage_ahead.h decides), or the operator's bool.
TEST(ConfigTest, StageAheadIsAutoByDefaultAndTakesAutoTrueOrFalse) {
  EXPECT_EQ(parse_config("", kPath)->stage_ahead, StageAhead::Auto);
  EXPECT_EQ(parse_config("[handover]\nstage_ahead = \"auto\"\n", kPath)->stage_ahead,
            StageAhead::Auto);
  EXPECT_EQ(parse_config("[handover]\nstage_ahead = true\n", kPath)->stage_ahead, StageAhead::On);
  EXPECT_EQ(parse_config("[handover]\nstage_ahead = false\n", kPath)->stage_ahead, StageAhead::Off);
}

TEST(ConfigTest, UnknownKeyNamesLineColumnAndKey) {
  auto config = parse_config("[hooks]\nisolate_multi_user = true\n  unload_modlues = []\n", kPath);
  ASSERT_FALSE(config.ok());
  EXPECT_EQ(config.error().op, "/etc/warmboot/warmboot.conf:3:3");
  EXPECT_THAT(config.error().str(), HasSubstr("unknown key 'hooks.unload_modlues'"));
}

TEST(ConfigTest, UnknownSectionIsAnError) {
  auto config = parse_config("\n[kernal]\nselect = \"latest\"\n", kPath);
  ASSERT_FALSE(config.ok());
  EXPECT_THAT(config.error().op, HasSubstr(":2:"));
  EXPECT_THAT(config.error().message, HasSubstr("'kernal'"));
}

TEST(ConfigTest, WrongTypeNamesKeyAndLine) {
  auto config = parse_config("[handover]\nfallback = \"no\"\n", kPath);
  ASSERT_FALSE(config.ok());
  EXPECT_THAT(config.error().op, HasSubstr("warmboot.conf:2:"));
  EXPECT_THAT(config.error().message, HasSubstr("'handover.fallback' must be true or false"));
}

TEST(ConfigTest, BadValuesAreErrors) {
  struct Case {
    const char* text;
    const char* expect;
  } cases[] = {
      {"[handover]\nmode = \"kexec\"\n", "must be \"systemd\" or \"force\""},
      {"[kernel]\ninitrds = [\"initrd.img\"]\n", "absolute path"},
      {"[kernel]\nremove = [\"quiet=1\"]\n", "parameter name"},
      {"[kernel]\ndtb = \"board.dtb\"\n", "absolute path"},
      {"[hooks]\nunload_modules = [\"nv idia\"]\n", "module name"},
      {"[hooks]\ndown_interfaces = [\"a-very-long-interface-name\"]\n", "interface name"},
      {"[hooks]\nunload_modules = [\"ok\", 3]\n", "must be a string"},
      {"[kernel]\nselect = \"\"\n", "must not be empty"},
      {"\nkernel = \"latest\"\n", "must be a table"},
      {"[guard]\nwatchdog_sec = 10\n", "0 (off) or at least 30"},
      {"[guard]\nwatchdog_sec = -1\n", "between 0 and 3600"},
      {"[guard]\nwatchdog_sec = 86400\n", "between 0 and 3600"},
      {"[guard]\nwatchdog_sec = \"2m\"\n", "whole number"},
      {"[handover]\nstage_ahead = \"yes\"\n",
       "'handover.stage_ahead' must be \"auto\", true or false, not \"yes\""},
      {"[handover]\nstage_ahead = \"Auto\"\n", "must be \"auto\", true or false"},
      {"[handover]\nstage_ahead = 1\n", "'handover.stage_ahead' must be \"auto\", true or false"},
  };
  for (const auto& c : cases) {
    auto config = parse_config(c.text, kPath);
    ASSERT_FALSE(config.ok()) << c.text;
    EXPECT_THAT(config.error().str(), HasSubstr(c.expect)) << c.text;
    EXPECT_THAT(config.error().op, HasSubstr(":2:")) << c.text;
  }
}

TEST(ConfigTest, TomlSyntaxErrorNamesLine) {
  auto config = parse_config("[kernel]\nselect = latest\n", kPath);
  ASSERT_FALSE(config.ok());
  EXPECT_THAT(config.error().op, HasSubstr("warmboot.conf:2:"));
}

TEST(ConfigTest, MissingFileIsDefaultsButUnreadableIsAnError) {
  FakeFileSystem fs;
  auto missing = load_config(fs);
  ASSERT_TRUE(missing.ok());
  EXPECT_EQ(*missing, Config{});
  fs.add_unreadable(kPath, EACCES);
  EXPECT_FALSE(load_config(fs).ok());
}

std::string example_file() {
  std::ifstream in(std::string(WARMBOOT_TEST_DATA) + "/../../etc/warmboot.conf.example");
  return std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
}

TEST(ConfigTest, ShippedExampleParsesCommentedAndUncommented) {
  std::string text = example_file();
  ASSERT_FALSE(text.empty());
  auto commented = parse_config(text, kPath);
  ASSERT_TRUE(commented.ok()) << commented.error().str();
  EXPECT_EQ(*commented, Config{});
  std::string uncommented = std::regex_replace(text, std::regex("\n#([a-z_]+ = )"), "\n$1");
  auto live = parse_config(uncommented, kPath);
  ASSERT_TRUE(live.ok()) << live.error().str();
  EXPECT_EQ(live->hooks.directory, kDefaultHooksDir);  // every default shown is the default
  EXPECT_TRUE(live->fallback);
  EXPECT_EQ(live->kernel, "default");
}

TEST(ConfigMergeTest, FlagsOverrideTheFile) {
  Config config;
  config.kernel = "latest";
  config.initrds = {"/boot/a.img"};
  config.append = {"quiet"};
  config.remove = {"splash"};
  SelectionRequest flags;
  flags.kernel = "6.1.0-9-amd64";
  flags.edit.append = {"debug"};
  auto merged = merge_selection(config, flags, GivenFlags{true, false, false});
  EXPECT_EQ(merged.kernel, "6.1.0-9-amd64");
  EXPECT_EQ(merged.initrds, config.initrds);
  EXPECT_EQ(merged.edit.append, (std::vector<std::string>{"quiet", "debug"}));
  EXPECT_EQ(merged.edit.remove, (std::vector<std::string>{"splash"}));

  auto defaults = merge_selection(config, SelectionRequest{}, GivenFlags{});
  EXPECT_EQ(defaults.kernel, "latest");
  EXPECT_EQ(defaults.dtb, "");
  config.dtb = "/boot/file.dtb";
  EXPECT_EQ(merge_selection(config, SelectionRequest{}, GivenFlags{}).dtb, "/boot/file.dtb");
  SelectionRequest dtb_flag;
  dtb_flag.dtb = "/boot/flag.dtb";
  EXPECT_EQ(merge_selection(config, dtb_flag, GivenFlags{}).dtb, "/boot/flag.dtb");

  SelectionRequest line;
  line.edit.replace = "root=/dev/sdb1";
  auto replaced = merge_selection(config, line, GivenFlags{false, false, true});
  EXPECT_EQ(replaced.edit.replace, "root=/dev/sdb1");
  EXPECT_TRUE(replaced.edit.append.empty());
  EXPECT_TRUE(replaced.edit.remove.empty());
}

TEST(ConfigMergeTest, RebootOptionsFromFileAndFlags) {
  Config config;
  config.mode = HandoverMode::Force;
  config.fallback = false;
  config.hooks.unload_modules = {"dummy"};
  auto merged = merge_reboot(config, RebootOptions{});
  EXPECT_TRUE(merged.force);
  EXPECT_TRUE(merged.no_fallback);
  EXPECT_FALSE(merged.ignore_inhibitors);
  EXPECT_EQ(merged.hooks.unload_modules, config.hooks.unload_modules);
  RebootOptions flags;
  flags.ignore_inhibitors = true;
  EXPECT_TRUE(merge_reboot(Config{}, flags).ignore_inhibitors);
  EXPECT_FALSE(merge_reboot(Config{}, flags).no_fallback);
}

}  // namespace
}  // namespace warmboot
