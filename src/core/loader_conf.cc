// SPDX-License-Identifier: Apache-2.0
#include "core/loader_conf.h"

#include <cerrno>

#include <fmt/format.h>

namespace warmboot {
namespace {

constexpr const char* kEfiVarDir = "/sys/firmware/efi/efivars/";
constexpr const char* kLoaderVendor = "4a67b082-0a4c-41cf-b6c7-440b29bb8c4f";
constexpr const char* kLoaderConfDirs[] = {"/efi", "/boot/efi", "/boot"};

char lower(char c) {
  return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
}

bool is_space(char c) {
  return c == ' ' || c == '\t';
}

// One pattern element at p[pi] against character c. Sets `next` past the element.
bool element_matches(std::string_view p, size_t pi, char c, size_t& next) {
  if (p[pi] == '?') {
    next = pi + 1;
    return true;
  }
  if (p[pi] == '\\' && pi + 1 < p.size()) {
    next = pi + 2;
    return lower(p[pi + 1]) == c;
  }
  if (p[pi] == '[') {
    size_t i = pi + 1;
    bool negate = i < p.size() && (p[i] == '!' || p[i] == '^');
    if (negate) ++i;
    size_t first = i;
    bool hit = false;
    for (; i < p.size() && (p[i] != ']' || i == first); ++i) {
      char lo = lower(p[i]), hi = lo;
      if (i + 2 < p.size() && p[i + 1] == '-' && p[i + 2] != ']') {
        hi = lower(p[i + 2]);
        i += 2;
      }
      if (lo <= c && c <= hi) hit = true;
    }
    if (i < p.size()) {  // found the closing ']'
      next = i + 1;
      return hit != negate;
    }
    // No closing bracket: a literal '['.
  }
  next = pi + 1;
  return lower(p[pi]) == c;
}

bool glob(std::string_view p, std::string_view s) {
  size_t pi = 0, si = 0, star = std::string_view::npos, star_si = 0;
  while (si < s.size()) {
    if (pi < p.size() && p[pi] == '*') {
      star = pi++;
      star_si = si;
      continue;
    }
    size_t next = 0;
    if (pi < p.size() && element_matches(p, pi, lower(s[si]), next)) {
      pi = next;
      ++si;
      continue;
    }
    if (star == std::string_view::npos) return false;
    pi = star + 1;  // let the last '*' swallow one more character
    si = ++star_si;
  }
  while (pi < p.size() && p[pi] == '*') ++pi;
  return pi == p.size();
}

std::optional<std::string> read_efi_var(const FileSystem& fs, std::string_view name) {
  auto bytes = fs.read_file(fmt::format("{}{}-{}", kEfiVarDir, name, kLoaderVendor), 64 * 1024);
  if (!bytes) return std::nullopt;
  auto value = decode_efi_string_var(*bytes);
  if (!value || value->empty()) return std::nullopt;
  return value;
}

std::optional<size_t> find_entry(std::string_view pattern, const std::vector<BootEntry>& entries) {
  for (size_t i = 0; i < entries.size(); ++i) {
    if (loader_glob_match(pattern, entries[i].id)) return i;
  }
  return std::nullopt;
}

}  // namespace

Result<LoaderConf> parse_loader_conf(std::string_view text, std::string_view path) {
  LoaderConf conf;
  size_t pos = 0;
  for (int line_no = 1; pos < text.size(); ++line_no) {
    size_t end = text.find('\n', pos);
    if (end == std::string_view::npos) end = text.size();
    std::string_view line = text.substr(pos, end - pos);
    pos = end + 1;
    for (char c : line) {
      if ((static_cast<unsigned char>(c) < 0x20 && c != '\t' && c != '\r') || c == 0x7f) {
        return errno_error(fmt::format("{}:{}", path, line_no), EINVAL, std::string(path),
                           "binary data in loader.conf", "check the file is not corrupted");
      }
    }
    while (!line.empty() && (is_space(line.back()) || line.back() == '\r')) line.remove_suffix(1);
    while (!line.empty() && is_space(line.front())) line.remove_prefix(1);
    if (line.empty() || line.front() == '#') continue;
    size_t split = 0;
    while (split < line.size() && !is_space(line[split])) ++split;
    std::string_view key = line.substr(0, split), value = line.substr(split);
    while (!value.empty() && is_space(value.front())) value.remove_prefix(1);
    if (value.size() >= 2 && value.front() == '"' && value.back() == '"') {
      value = value.substr(1, value.size() - 2);
    }
    if (key == "default") conf.default_pattern = std::string(value);
    if (key == "timeout") conf.timeout = std::string(value);
  }
  return conf;
}

bool loader_glob_match(std::string_view pattern, std::string_view id) {
  if (glob(pattern, id)) return true;
  // Type #2 ids keep their ".efi"; type #1 ids are matched as systemd-boot names them.
  const bool type2 = id.size() >= 4 && glob("*.efi", id);
  return !type2 && glob(pattern, std::string(id) + ".conf");
}

std::optional<std::string> decode_efi_string_var(std::string_view bytes) {
  if (bytes.size() < 4 || (bytes.size() - 4) % 2 != 0) return std::nullopt;
  std::string out;
  for (size_t i = 4; i + 1 < bytes.size(); i += 2) {
    unsigned unit = static_cast<unsigned char>(bytes[i]) |
                    (static_cast<unsigned>(static_cast<unsigned char>(bytes[i + 1])) << 8);
    if (unit == 0) break;
    if (unit < 0x20 || unit >= 0x7f) return std::nullopt;
    out += static_cast<char>(unit);
  }
  return out;
}

Result<std::optional<SdBootDefault>> systemd_boot_default(
    const FileSystem& fs, const std::vector<BootEntry>& sorted_entries) {
  std::string conf_path;
  LoaderConf conf;
  for (const char* dir : kLoaderConfDirs) {
    std::string path = std::string(dir) + "/loader/loader.conf";
    auto text = fs.read_file(path, 1 << 20);
    if (!text && (text.error().code == ENOENT || text.error().code == ENOTDIR)) continue;
    if (!text) return text.error();  // there, but unreadable: say so rather than guess
    auto parsed = parse_loader_conf(*text, path);
    if (!parsed) return parsed.error();
    conf = std::move(*parsed);
    conf_path = path;
    break;
  }
  if (conf_path.empty()) return std::optional<SdBootDefault>();

  std::vector<std::string> unmatched;
  auto pick = [&](const std::string& pattern, std::string setting) -> std::optional<SdBootDefault> {
    std::string via = setting;
    std::string effective = pattern;
    if (pattern == "@saved") {
      auto saved = read_efi_var(fs, "LoaderEntryLastBooted");
      if (!saved) {
        unmatched.push_back(setting + "=@saved but LoaderEntryLastBooted is not set");
        return std::nullopt;
      }
      effective = *saved;
      via = fmt::format("{}=@saved, EFI variable LoaderEntryLastBooted", setting);
    }
    if (auto index = find_entry(effective, sorted_entries)) {
      return SdBootDefault{index, fmt::format("{}=\"{}\"", via, effective)};
    }
    unmatched.push_back(fmt::format("{}=\"{}\" matches no entry", via, effective));
    return std::nullopt;
  };

  std::optional<SdBootDefault> chosen;
  if (auto oneshot = read_efi_var(fs, "LoaderEntryOneShot")) {
    chosen = pick(*oneshot, "EFI variable LoaderEntryOneShot");
    if (chosen) {
      chosen->reason += " (one-time choice, consumed by systemd-boot on the next boot)";
      chosen->one_shot = true;
    }
  }
  if (!chosen) {
    if (auto efi_default = read_efi_var(fs, "LoaderEntryDefault")) {
      chosen = pick(*efi_default, "EFI variable LoaderEntryDefault");
    }
  }
  if (!chosen && !conf.default_pattern.empty()) {
    chosen = pick(conf.default_pattern, conf_path + " default");
  }
  if (!chosen) {
    chosen = SdBootDefault{};
    if (sorted_entries.empty()) {
      chosen->reason = "systemd-boot has no entries";
    } else {
      chosen->index = 0;
      chosen->reason = "first entry in systemd-boot's sort order";
    }
  }
  for (const auto& note : unmatched) chosen->reason += "; " + note;
  return chosen;
}

}  // namespace warmboot
