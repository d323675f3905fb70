// SPDX-License-Identifier: Apache-2.0
#include "core/health_snapshot.h"

#include <algorithm>
#include <charconv>
#include <set>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "core/path.h"
#include "core/text.h"

namespace warmboot {
namespace {

constexpr uint64_t kSmall = 1 << 20;
constexpr size_t kMaxEntries = 4096;  // per directory: a hostile /sys cannot grow the snapshot

std::optional<long> to_long(std::string_view text) {
  long value = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || end != text.data() + text.size()) return std::nullopt;
  return value;
}

std::vector<std::string> entries(const FileSystem& fs, const std::string& dir) {
  auto list = fs.list_dir(dir);
  if (!list) return {};
  std::vector<std::string> out = std::move(*list);
  std::sort(out.begin(), out.end());
  if (out.size() > kMaxEntries) out.resize(kMaxEntries);
  return out;
}

uint64_t mem_total_kib(const FileSystem& fs) {
  auto text = fs.read_file("/proc/meminfo", kSmall);
  if (!text) return 0;
  for (std::string_view line : split_lines(*text)) {
    auto words = split_words(line);
    if (words.size() >= 2 && words[0] == "MemTotal:") {
      if (auto kib = to_long(words[1]); kib && *kib > 0) return static_cast<uint64_t>(*kib);
    }
  }
  return 0;
}

// Which driver each PCI device is bound to: every driver directory lists its devices by address.
std::map<std::string, std::string> pci_drivers(const FileSystem& fs) {
  std::map<std::string, std::string> pci;
  for (const auto& address : entries(fs, "/sys/bus/pci/devices")) pci[address] = "";
  for (const auto& driver : entries(fs, "/sys/bus/pci/drivers")) {
    for (const auto& name : entries(fs, "/sys/bus/pci/drivers/" + driver)) {
      if (auto it = pci.find(name); it != pci.end()) it->second = driver;
    }
  }
  return pci;
}

std::map<std::string, bool> net_carrier(const FileSystem& fs) {
  std::map<std::string, bool> net;
  for (const auto& iface : entries(fs, "/sys/class/net")) {
    if (iface == "lo") continue;
    auto carrier = fs.read_file("/sys/class/net/" + iface + "/carrier", 64);
    net[iface] = carrier && trim(*carrier) == "1";
  }
  return net;
}

std::vector<std::string> block_devices(const FileSystem& fs) {
  std::vector<std::string> out;
  for (const auto& name : entries(fs, "/sys/block")) {
    if (name.starts_with("loop") || name.starts_with("ram") || name.starts_with("zram")) continue;
    out.push_back(name);
  }
  return out;
}

// fstab's mount points (not swap, not noauto) that /proc/mounts shows mounted.
std::vector<std::string> fstab_mounted(const FileSystem& fs) {
  auto fstab = fs.read_file("/etc/fstab", kSmall);
  auto mounts = fs.read_file("/proc/mounts", kSmall);
  if (!fstab || !mounts) return {};
  std::set<std::string, std::less<>> mounted;
  for (std::string_view line : split_lines(*mounts)) {
    auto words = split_words(line);
    if (words.size() >= 2) mounted.emplace(words[1]);
  }
  std::vector<std::string> out;
  for (std::string_view line : split_lines(*fstab)) {
    line = trim(line);
    if (line.empty() || line.starts_with('#')) continue;
    auto words = split_words(line);
    if (words.size() < 3 || words[2] == "swap" || !words[1].starts_with('/')) continue;
    if (words.size() >= 4 && words[3].find("noauto") != std::string_view::npos) continue;
    if (mounted.count(words[1]) && out.size() < kMaxEntries) out.emplace_back(words[1]);
  }
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
}

}  // namespace

std::optional<int> parse_cpu_list_count(std::string_view text) {
  text = trim(text);
  if (text.empty()) return std::nullopt;
  long count = 0;
  while (!text.empty()) {
    size_t comma = text.find(',');
    std::string_view range = text.substr(0, comma);
    text = comma == std::string_view::npos ? std::string_view() : text.substr(comma + 1);
    size_t dash = range.find('-');
    auto first = to_long(range.substr(0, dash));
    auto last = dash == std::string_view::npos ? first : to_long(range.substr(dash + 1));
    if (!first || !last || *first < 0 || *last < *first || *last - *first > 1 << 20)
      return std::nullopt;
    count += *last - *first + 1;
    if (count > 1 << 20) return std::nullopt;
  }
  return static_cast<int>(count);
}

HealthSnapshot read_health_snapshot(const FileSystem& fs) {
  HealthSnapshot s;
  if (auto online = fs.read_file("/sys/devices/system/cpu/online", 4096))
    s.online_cpus = parse_cpu_list_count(*online).value_or(0);
  s.mem_total_kib = mem_total_kib(fs);
  s.pci = pci_drivers(fs);
  s.net = net_carrier(fs);
  s.block = block_devices(fs);
  s.mounts = fstab_mounted(fs);
  return s;
}

nlohmann::json to_json(const HealthSnapshot& s) {
  return {{"online_cpus", s.online_cpus},
          {"mem_total_kib", s.mem_total_kib},
          {"pci", s.pci},
          {"net", s.net},
          {"block", s.block},
          {"mounts", s.mounts}};
}

std::optional<HealthSnapshot> health_from_json(const nlohmann::json& json) {
  if (!json.is_object()) return std::nullopt;
  try {
    HealthSnapshot s;
    s.online_cpus = json.at("online_cpus").get<int>();
    s.mem_total_kib = json.at("mem_total_kib").get<uint64_t>();
    s.pci = json.at("pci").get<std::map<std::string, std::string>>();
    s.net = json.at("net").get<std::map<std::string, bool>>();
    s.block = json.at("block").get<std::vector<std::string>>();
    s.mounts = json.at("mounts").get<std::vector<std::string>>();
    return s;
  } catch (const nlohmann::json::exception&) {
    return std::nullopt;
  }
}

std::vector<std::string> health_regressions(const HealthSnapshot& before,
                                            const HealthSnapshot& after) {
  std::vector<std::string> out;
  if (after.online_cpus < before.online_cpus)
    out.push_back(fmt::format("online CPUs {} -> {}", before.online_cpus, after.online_cpus));
  if (after.mem_total_kib * 100 < before.mem_total_kib * 98)
    out.push_back(fmt::format("memory {} MiB -> {} MiB", before.mem_total_kib / 1024,
                              after.mem_total_kib / 1024));
  for (const auto& [address, driver] : before.pci) {
    auto it = after.pci.find(address);
    if (it == after.pci.end()) {
      out.push_back(fmt::format("PCI device {} is gone", address));
    } else if (!driver.empty() && it->second != driver) {
      out.push_back(it->second.empty()
                        ? fmt::format("PCI {} ({}) has no driver", address, driver)
                        : fmt::format("PCI {}: driver {} -> {}", address, driver, it->second));
    }
  }
  for (const auto& [iface, carrier] : before.net) {
    auto it = after.net.find(iface);
    if (it == after.net.end()) {
      out.push_back(fmt::format("network {} is gone", iface));
    } else if (carrier && !it->second) {
      out.push_back(fmt::format("network {}: carrier lost", iface));
    }
  }
  for (const auto& name : before.block) {
    if (std::find(after.block.begin(), after.block.end(), name) == after.block.end())
      out.push_back(fmt::format("block device {} is gone", name));
  }
  for (const auto& mount : before.mounts) {
    if (std::find(after.mounts.begin(), after.mounts.end(), mount) == after.mounts.end())
      out.push_back(fmt::format("{} (fstab) is not mounted", mount));
  }
  return out;
}

}  // namespace warmboot
