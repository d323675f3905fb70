// SPDX-License-Identifier: Apache-2.0
// What the root filesystem sits on: dm-crypt, LVM, md RAID (or another device-mapper target),
// possibly stacked (LVM on dm-crypt on md). Read from /proc/mounts and the block device tree in
// /sys/block (dm/uuid "CRYPT-..." and "LVM-...", md/level, slaves/), with /etc/crypttab and
// /proc/mdstat as fallbacks when /sys does not tell.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "core/filesystem.h"

namespace warmboot {

struct RootStorage {
  std::string device;  // as /proc/mounts names it, e.g. "/dev/mapper/vg-root"; "" if unknown
  bool crypt = false;
  bool lvm = false;
  bool md = false;
  bool other_dm = false;               // a device-mapper target that is neither
  std::vector<std::string> md_levels;  // "raid1", "raid5", ...
  std::vector<std::string> chain;      // "dm-1 (LVM)", "dm-0 (dm-crypt)", "md0 (raid1)", ...

  bool needs_assembly() const { return crypt || lvm || md || other_dm; }
};

RootStorage detect_root_storage(const FileSystem& fs);

// The device mounted on "/" in a /proc/mounts text (the last such line); "" if none.
std::string root_device_from_mounts(std::string_view mounts);

}  // namespace warmboot
