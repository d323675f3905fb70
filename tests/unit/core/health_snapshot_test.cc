// SPDX-License-Identifier: Apache-2.0
// The guard's health snapshot: read from a /sys and /proc tree, compared across a warm reboot.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "core/health_snapshot.h"
#include "fakes/fake_filesystem.h"

namespace warmboot {
namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;

void healthy_machine(FakeFileSystem& fs) {
  fs.add_file("/sys/devices/system/cpu/online", "0-1\n");
  fs.add_file("/proc/meminfo", "MemTotal:        2014016 kB\nMemFree:          123 kB\n");
  fs.add_dir("/sys/bus/pci/devices/0000:00:02.0");
  fs.add_dir("/sys/bus/pci/devices/0000:00:03.0");
  fs.add_dir("/sys/bus/pci/devices/0000:00:04.0");
  fs.add_file("/sys/bus/pci/drivers/virtio-pci/0000:00:03.0", "");
  fs.add_file("/sys/bus/pci/drivers/virtio-pci/bind", "");
  fs.add_file("/sys/bus/pci/drivers/i6300esb/0000:00:04.0", "");
  fs.add_file("/sys/class/net/lo/carrier", "1\n");
  fs.add_file("/sys/class/net/eth0/carrier", "1\n");
  fs.add_dir("/sys/block/vda");
  fs.add_dir("/sys/block/loop0");
  fs.add_file("/etc/fstab",
              "# comment\nUUID=1 / ext4 errors=remount-ro 0 1\n"
              "UUID=2 /data ext4 defaults 0 2\nUUID=3 none swap sw 0 0\n"
              "UUID=4 /mnt/usb ext4 noauto 0 0\n");
  fs.add_file("/proc/mounts", "/dev/vda / ext4 rw 0 0\n/dev/vdb /data ext4 rw 0 0\n");
}

TEST(HealthSnapshot, ReadsWhatAMachineHas) {
  FakeFileSystem fs;
  healthy_machine(fs);
  HealthSnapshot s = read_health_snapshot(fs);
  EXPECT_EQ(s.online_cpus, 2);
  EXPECT_EQ(s.mem_total_kib, 2014016u);
  EXPECT_EQ(s.pci.at("0000:00:03.0"), "virtio-pci");
  EXPECT_EQ(s.pci.at("0000:00:02.0"), "");
  EXPECT_EQ(s.pci.at("0000:00:04.0"), "i6300esb");
  EXPECT_EQ(s.pci.count("bind"), 0u);
  EXPECT_EQ(s.net.count("lo"), 0u);
  EXPECT_TRUE(s.net.at("eth0"));
  EXPECT_THAT(s.block, ElementsAre("vda"));
  EXPECT_THAT(s.mounts, ElementsAre("/", "/data"));
  EXPECT_EQ(health_from_json(nlohmann::json::parse(to_json(s).dump())), s);
  EXPECT_EQ(health_from_json(nlohmann::json::parse("{\"online_cpus\": \"x\"}")), std::nullopt);
}

TEST(HealthSnapshot, RegressionsNameWhatWasLost) {
  FakeFileSystem fs;
  healthy_machine(fs);
  const HealthSnapshot before = read_health_snapshot(fs);
  EXPECT_THAT(health_regressions(before, before), IsEmpty());

  HealthSnapshot after = before;
  after.online_cpus = 1;
  after.mem_total_kib = before.mem_total_kib / 2;
  after.pci["0000:00:03.0"] = "";
  after.pci.erase("0000:00:04.0");
  after.net["eth0"] = false;
  after.block.clear();
  after.mounts = {"/"};
  EXPECT_THAT(health_regressions(before, after),
              ElementsAre("online CPUs 2 -> 1", "memory 1966 MiB -> 983 MiB",
                          "PCI 0000:00:03.0 (virtio-pci) has no driver",
                          "PCI device 0000:00:04.0 is gone", "network eth0: carrier lost",
                          "block device vda is gone", "/data (fstab) is not mounted"));

  // Small differences and gains are not regressions.
  HealthSnapshot better = before;
  better.mem_total_kib -= before.mem_total_kib / 100;
  better.online_cpus = 4;
  better.net["eth1"] = true;
  EXPECT_THAT(health_regressions(before, better), IsEmpty());
}

TEST(HealthSnapshot, CpuListCount) {
  EXPECT_EQ(parse_cpu_list_count("0\n"), 1);
  EXPECT_EQ(parse_cpu_list_count("0-3,5,7-8"), 7);
  EXPECT_EQ(parse_cpu_list_count(""), std::nullopt);
  EXPECT_EQ(parse_cpu_list_count("3-1"), std::nullopt);
  EXPECT_EQ(parse_cpu_list_count("0-99999999999"), std::nullopt);
  EXPECT_EQ(parse_cpu_list_count("a"), std::nullopt);
}

}  // namespace
}  // namespace warmboot
