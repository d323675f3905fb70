// SPDX-License-Identifier: Apache-2.0
#include "core/root_storage.h"
#include "core/text.h"

#include <algorithm>
#include <set>

namespace warmboot {
namespace {

constexpr int kMaxDepth = 8;

std::string first_line(const FileSystem& fs, const std::string& path) {
  auto text = fs.read_file(path, 4096);
  if (!text) return {};
  return std::string(trim_end(std::string_view(*text).substr(0, text->find('\n'))));
}

std::vector<std::string> words(std::string_view line) {
  std::vector<std::string> out;
  size_t i = 0;
  while (i < line.size()) {
    while (i < line.size() && (line[i] == ' ' || line[i] == '\t')) ++i;
    size_t start = i;
    while (i < line.size() && line[i] != ' ' && line[i] != '\t') ++i;
    if (i > start) out.emplace_back(line.substr(start, i - start));
  }
  return out;
}

void add_level(RootStorage& storage, const std::string& level) {
  if (!level.empty() && std::find(storage.md_levels.begin(), storage.md_levels.end(), level) ==
                            storage.md_levels.end()) {
    storage.md_levels.push_back(level);
  }
}

// Each block device is visited once: /sys/block/*/slaves links that cross or loop (a hostile or
// broken tree) used to make this exponential.
void visit(const FileSystem& fs, const std::string& block, RootStorage& storage, int depth,
           std::set<std::string>& seen) {
  if (depth > kMaxDepth || !seen.insert(block).second) return;
  const std::string sys = "/sys/block/" + block;
  if (block.starts_with("dm-")) {
    std::string uuid = first_line(fs, sys + "/dm/uuid");
    if (uuid.starts_with("CRYPT-")) {
      storage.crypt = true;
      storage.chain.push_back(block + " (dm-crypt)");
    } else if (uuid.starts_with("LVM-")) {
      storage.lvm = true;
      storage.chain.push_back(block + " (LVM)");
    } else {
      storage.other_dm = true;
      storage.chain.push_back(block + " (device-mapper)");
    }
  } else if (block.starts_with("md")) {
    storage.md = true;
    std::string level = first_line(fs, sys + "/md/level");
    add_level(storage, level);
    storage.chain.push_back(block + (level.empty() ? " (md)" : " (" + level + ")"));
  } else {
    storage.chain.push_back(block);
  }
  auto slaves = fs.list_dir(sys + "/slaves");
  if (!slaves) return;
  for (const auto& slave : *slaves) visit(fs, slave, storage, depth + 1, seen);
}

// "dm-3" for a /dev/mapper name, by dm/name in /sys/block/dm-*; "" if not found.
std::string dm_block_of(const FileSystem& fs, std::string_view mapper_name) {
  auto blocks = fs.list_dir("/sys/block");
  if (!blocks) return {};
  for (const auto& block : *blocks) {
    if (block.starts_with("dm-") &&
        first_line(fs, "/sys/block/" + block + "/dm/name") == mapper_name)
      return block;
  }
  return {};
}

bool in_crypttab(const FileSystem& fs, std::string_view mapper_name) {
  auto text = fs.read_file("/etc/crypttab", 1 << 20);
  if (!text) return false;
  std::string_view rest = *text;
  while (!rest.empty()) {
    size_t end = rest.find('\n');
    auto fields = words(rest.substr(0, end));
    rest = end == std::string_view::npos ? std::string_view{} : rest.substr(end + 1);
    if (!fields.empty() && !fields[0].starts_with("#") && fields[0] == mapper_name) return true;
  }
  return false;
}

// "raid1" for md0 from a /proc/mdstat line "md0 : active raid1 sdb1[1] sda1[0]".
std::string mdstat_level(const FileSystem& fs, std::string_view md) {
  auto text = fs.read_file("/proc/mdstat", 1 << 20);
  if (!text) return {};
  std::string_view rest = *text;
  while (!rest.empty()) {
    size_t end = rest.find('\n');
    auto fields = words(rest.substr(0, end));
    rest = end == std::string_view::npos ? std::string_view{} : rest.substr(end + 1);
    if (fields.size() >= 4 && fields[0] == md && fields[1] == ":") {
      return fields[2] == "active" || fields[2] == "inactive" ? fields[3] : fields[2];
    }
  }
  return {};
}

}  // namespace

std::string root_device_from_mounts(std::string_view mounts) {
  std::string device;
  while (!mounts.empty()) {
    size_t end = mounts.find('\n');
    auto fields = words(mounts.substr(0, end));
    mounts = end == std::string_view::npos ? std::string_view{} : mounts.substr(end + 1);
    if (fields.size() >= 2 && fields[1] == "/" && fields[0] != "rootfs") device = fields[0];
  }
  return device;
}

RootStorage detect_root_storage(const FileSystem& fs) {
  RootStorage storage;
  if (auto mounts = fs.read_file("/proc/mounts", 4 << 20))
    storage.device = root_device_from_mounts(*mounts);
  const std::string& device = storage.device;
  std::string block;
  std::string mapper_name;
  if (device.starts_with("/dev/mapper/")) {
    mapper_name = device.substr(12);
    block = dm_block_of(fs, mapper_name);
  } else if (device.starts_with("/dev/dm-") || device.starts_with("/dev/md")) {
    block = device.substr(5);
    if (block.starts_with("md/")) block.clear();  // /dev/md/NAME: the md number is not known
  }
  if (!block.empty() && fs.is_dir("/sys/block/" + block)) {
    std::set<std::string> seen;
    visit(fs, block, storage, 0, seen);
    return storage;
  }
  // /sys does not tell (or names do not resolve): judge by the device name.
  if (!mapper_name.empty()) {
    if (in_crypttab(fs, mapper_name)) {
      storage.crypt = true;
      storage.chain.push_back(device + " (in /etc/crypttab)");
    } else {
      storage.other_dm = true;
      storage.chain.push_back(device + " (device-mapper)");
    }
  } else if (device.starts_with("/dev/md")) {
    storage.md = true;
    std::string md = device.substr(5);
    if (md.starts_with("md/")) md = md.substr(3);
    std::string level = mdstat_level(fs, md);
    add_level(storage, level);
    storage.chain.push_back(device + (level.empty() ? " (md)" : " (" + level + ")"));
  }
  return storage;
}

}  // namespace warmboot
