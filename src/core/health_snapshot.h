// SPDX-License-Identifier: Apache-2.0
// What a machine has when it is healthy, recorded just before a warm handover and compared at the
// next boot (the guard's second part): online CPUs, total memory, PCI devices and the drivers bound
// to them, network interfaces and their carrier, block devices, and the fstab file systems that
// are mounted. A warm boot can come up with a device missing (a NIC that needed a power cycle,
// CPUs not brought up): the comparison names each regression in words an operator can act on.
// Read through a FileSystem from /sys and /proc; pure otherwise.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json_fwd.hpp>

#include "core/filesystem.h"

namespace warmboot {

struct HealthSnapshot {
  int online_cpus = 0;                     // /sys/devices/system/cpu/online
  uint64_t mem_total_kib = 0;              // /proc/meminfo MemTotal
  std::map<std::string, std::string> pci;  // address -> bound driver ("" when none)
  std::map<std::string, bool> net;         // interface (not lo) -> carrier up
  std::vector<std::string> block;          // /sys/block names (not loop, ram, zram)
  std::vector<std::string> mounts;         // fstab mount points mounted (/proc/mounts)
  bool operator==(const HealthSnapshot&) const = default;
};

HealthSnapshot read_health_snapshot(const FileSystem& fs);

nlohmann::json to_json(const HealthSnapshot& snapshot);
std::optional<HealthSnapshot> health_from_json(const nlohmann::json& json);

// What `after` lost against `before`, one line each: "online CPUs 2 -> 1", "memory 2048 MiB ->
// 1024 MiB" (a drop of more than 2 %: kernels reserve slightly different amounts), "PCI
// 0000:00:03.0 (virtio-pci) has no driver", "PCI device 0000:00:04.0 is gone", "network eth0:
// carrier lost", "network eth0 is gone", "block device vdb is gone", "/data (fstab) is not
// mounted". Gains are not regressions.
std::vector<std::string> health_regressions(const HealthSnapshot& before,
                                            const HealthSnapshot& after);

// "0-3,5,7-8" -> 6; nullopt for anything else.
std::optional<int> parse_cpu_list_count(std::string_view text);

}  // namespace warmboot
