// SPDX-License-Identifier: Apache-2.0
#include "core/bls_entry.h"

#include <algorithm>
#include <cerrno>
#include <set>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "core/installed_kernels.h"
#include "core/kernel_image.h"
#include "core/text.h"
#include "core/uki_image.h"
#include "core/version_order.h"

namespace warmboot {
namespace {

constexpr const char* kPartitions[] = {"/boot", "/efi", "/boot/efi"};
constexpr uint64_t kMaxEntryBytes = 1 << 20;
constexpr uint64_t kHeadBytes = 64 * 1024;

bool is_space(char c) {
  return c == ' ' || c == '\t';
}

// Text the specification allows: UTF-8 without NUL or control characters other than tab/CR/LF.
bool is_text(std::string_view s) {
  for (size_t i = 0; i < s.size();) {
    auto c = static_cast<unsigned char>(s[i]);
    if (c < 0x80) {
      if ((c < 0x20 && c != '\t' && c != '\r' && c != '\n') || c == 0x7f) return false;
      ++i;
      continue;
    }
    size_t len = (c & 0xe0) == 0xc0 ? 2 : (c & 0xf0) == 0xe0 ? 3 : (c & 0xf8) == 0xf0 ? 4 : 0;
    if (len == 0 || c == 0xc0 || c == 0xc1 || c > 0xf4 || i + len > s.size()) return false;
    for (size_t k = 1; k < len; ++k) {
      if ((static_cast<unsigned char>(s[i + k]) & 0xc0) != 0x80) return false;
    }
    i += len;
  }
  return true;
}

// Splits "name+LEFT-DONE" (suffix already removed) into the name and its boot counters.
std::string strip_boot_counter(std::string_view stem, BlsEntry& out) {
  size_t plus = stem.rfind('+');
  if (plus == std::string_view::npos) return std::string(stem);
  std::string_view counter = stem.substr(plus + 1);
  size_t dash = counter.find('-');
  std::string_view left = counter.substr(0, dash);
  std::string_view done = dash == std::string_view::npos ? "" : counter.substr(dash + 1);
  auto digits = [](std::string_view s) {
    return !s.empty() && s.size() <= 9 &&
           std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
  };
  if (!digits(left) || (dash != std::string_view::npos && !digits(done))) return std::string(stem);
  out.tries_left = static_cast<unsigned>(std::stoul(std::string(left)));
  out.tries_done = done.empty() ? 0 : static_cast<unsigned>(std::stoul(std::string(done)));
  return std::string(stem.substr(0, plus));
}

// A path relative to the partition root, made a path inside the root; ".." cannot leave the
// partition.
std::string on_partition(std::string_view prefix, std::string_view path) {
  std::string inside = join_path("/", path);
  if (prefix.empty() || prefix == "/") return inside;
  return join_path("/", prefix) + (inside == "/" ? "" : inside);
}

std::string release_from_path(const std::string& path) {
  std::string version = version_from_image_name(basename_of(path));
  if (version.empty() && looks_like_kernel_release(basename_of(dirname_of(path)))) {
    version = basename_of(dirname_of(path));  // "/<machine-id>/<version>/linux"
  }
  return version;
}

// Negative when a sorts before b in the menu.
int menu_order(const BlsEntry& a, const BlsEntry& b) {
  bool bad_a = a.tries_left == 0u, bad_b = b.tries_left == 0u;
  if (bad_a != bad_b) return bad_a ? 1 : -1;
  bool key_a = !a.sort_key.empty(), key_b = !b.sort_key.empty();
  if (key_a != key_b) return key_a ? -1 : 1;
  if (key_a) {
    if (int r = a.sort_key.compare(b.sort_key)) return r;
    if (int r = a.machine_id.compare(b.machine_id)) return r;
    if (int r = compare_versions(a.version, b.version)) return -r;
  }
  auto stem = [](const BlsEntry& e) {
    std::string_view id = e.entry.id;
    if (e.entry.origin == EntryOrigin::Uki && id.ends_with(".efi")) id.remove_suffix(4);
    return id;
  };
  if (int r = compare_versions(stem(a), stem(b))) return -r;
  if (a.tries_done != b.tries_done) return a.tries_done < b.tries_done ? -1 : 1;
  return 0;
}

}  // namespace

Result<BlsEntry> parse_bls_entry(std::string_view text, std::string_view path,
                                 std::string_view partition_prefix) {
  BlsEntry out;
  BootEntry& e = out.entry;
  e.origin = EntryOrigin::Bls;
  e.source_file = std::string(path);
  std::string stem = basename_of(path);
  if (std::string_view(stem).ends_with(".conf")) stem.resize(stem.size() - 5);
  e.id = strip_boot_counter(stem, out);

  if (!is_text(text)) {
    return errno_error(std::string(path), EINVAL, std::string(path),
                       "not a boot loader entry: binary data or invalid UTF-8",
                       "remove or repair the file");
  }
  std::string linux_path, efi_path, title;
  std::vector<std::string> options;
  size_t pos = 0;
  while (pos < text.size()) {
    size_t end = text.find('\n', pos);
    if (end == std::string_view::npos) end = text.size();
    std::string_view line = trim(text.substr(pos, end - pos));
    pos = end + 1;
    if (line.empty() || line.front() == '#') continue;
    size_t split = 0;
    while (split < line.size() && !is_space(line[split])) ++split;
    std::string_view key = line.substr(0, split);
    std::string value(trim(line.substr(split)));
    if (value.empty()) continue;
    const std::pair<std::string_view, std::string*> single_valued[] = {
        {"title", &title},
        {"version", &out.version},
        {"machine-id", &out.machine_id},
        {"sort-key", &out.sort_key},
        {"linux", &linux_path},
        {"efi", &efi_path},
        {"devicetree", &out.devicetree},
        {"architecture", &out.architecture}};
    for (const auto& [name, field] : single_valued) {
      if (key == name) *field = value;
    }
    if (key == "initrd") e.initrds.push_back(on_partition(partition_prefix, value));
    if (key == "options") options.push_back(value);
  }
  if (linux_path.empty() && efi_path.empty()) {
    return errno_error(std::string(path), EINVAL, std::string(path),
                       "boot loader entry has neither a \"linux\" nor an \"efi\" line",
                       "add the kernel to the entry or remove the file");
  }
  if (!out.devicetree.empty()) out.devicetree = on_partition(partition_prefix, out.devicetree);
  e.uki = linux_path.empty();
  e.kernel = on_partition(partition_prefix, e.uki ? efi_path : linux_path);
  e.title = title.empty() ? e.id : title;
  if (!options.empty()) {
    e.options = fmt::format("{}", fmt::join(options, " "));
  }
  e.version = looks_like_kernel_release(out.version) ? out.version : release_from_path(e.kernel);
  return out;
}

void sort_bls_entries(std::vector<BlsEntry>& entries) {
  std::stable_sort(entries.begin(), entries.end(),
                   [](const BlsEntry& a, const BlsEntry& b) { return menu_order(a, b) < 0; });
}

namespace {

// Paths written relative to the root instead of the partition (Fedora, /boot not a partition).
void use_root_relative_paths_if_needed(const FileSystem& fs, std::string_view prefix,
                                       BootEntry& e) {
  if (fs.exists(e.kernel) || !e.kernel.starts_with(std::string(prefix) + "/")) return;
  std::string raw = e.kernel.substr(prefix.size());
  if (!fs.exists(raw)) return;
  e.kernel = raw;
  for (auto& initrd : e.initrds) {
    if (initrd.starts_with(std::string(prefix) + "/") && fs.exists(initrd.substr(prefix.size()))) {
      initrd = initrd.substr(prefix.size());
    }
  }
}

// Fills the release from the image itself, and tells a UKI from an EFI-stub kernel in "efi" lines.
void inspect_image(const FileSystem& fs, BootEntry& e) {
  if (!e.uki && !e.version.empty()) return;
  auto head = fs.read_prefix(e.kernel, kHeadBytes);
  if (!head) return;
  auto info = inspect_kernel_image(*head);
  if (!info) return;
  if (e.uki && info->format == KernelImageInfo::Format::BzImage) e.uki = false;
  if (e.uki && info->format == KernelImageInfo::Format::Uki && info->version.empty()) {
    if (auto uki = read_uki(fs, e.kernel)) info->version = uki->uname_text;
  }
  if (e.version.empty() && looks_like_kernel_release(info->version)) e.version = info->version;
}

Result<BlsEntry> read_type2(const FileSystem& fs, const std::string& path) {
  auto uki = read_uki(fs, path);
  if (!uki) return uki.error();
  if (!uki->osrel) {
    return errno_error(path, ENOEXEC, path, "unified kernel image without .osrel section",
                       "systemd-boot does not list it either; rebuild it with ukify");
  }
  BlsEntry out;
  BootEntry& e = out.entry;
  e.origin = EntryOrigin::Uki;
  e.uki = true;
  e.kernel = path;
  e.source_file = path;
  std::string stem = basename_of(path);
  stem.resize(stem.size() - 4);  // ".efi", any case
  e.id = strip_boot_counter(stem, out) + ".efi";
  auto os = [&](const char* key) { return os_release_value(uki->osrel_text, key); };
  e.title = os("PRETTY_NAME")
                .value_or(os("IMAGE_ID").value_or(os("NAME").value_or(os("ID").value_or(e.id))));
  out.sort_key = os("IMAGE_ID").value_or(os("ID").value_or(""));
  out.version = os("IMAGE_VERSION")
                    .value_or(os("VERSION").value_or(
                        os("VERSION_ID").value_or(os("BUILD_ID").value_or(uki->uname_text))));
  if (uki->cmdline) e.options = uki->cmdline_text;
  if (looks_like_kernel_release(uki->uname_text)) e.version = uki->uname_text;
  return out;
}

bool has_suffix_nocase(std::string_view name, std::string_view suffix) {
  return name.size() > suffix.size() && iequals(name.substr(name.size() - suffix.size()), suffix);
}

}  // namespace

Result<std::vector<BootEntry>> read_bls_entries(const FileSystem& fs, std::vector<Error>* skipped) {
  std::vector<BlsEntry> found;
  std::vector<Error> errors;
  std::set<std::string> seen;  // name + content: the same file reached through two paths
  auto fail = [&](Error error) { errors.push_back(std::move(error)); };

  for (const char* prefix : kPartitions) {
    const std::string entries_dir = std::string(prefix) + "/loader/entries";
    auto names = fs.list_dir(entries_dir);
    for (const auto& name : names ? *names : std::vector<std::string>{}) {
      if (!name.ends_with(".conf")) continue;
      const std::string path = entries_dir + "/" + name;
      if (!fs.is_file(path)) continue;
      auto text = fs.read_file(path, kMaxEntryBytes);
      if (!text) {
        fail(text.error());
        continue;
      }
      if (!seen.insert(name + '\0' + *text).second) continue;
      auto entry = parse_bls_entry(*text, path, prefix);
      if (!entry) {
        fail(entry.error());
        continue;
      }
      if (!entry->architecture.empty() && !native_efi_arch().empty() &&
          !iequals(entry->architecture, native_efi_arch())) {
        continue;  // for another architecture: hidden, as the specification says
      }
      use_root_relative_paths_if_needed(fs, prefix, entry->entry);
      inspect_image(fs, entry->entry);
      found.push_back(std::move(*entry));
    }

    const std::string uki_dir = std::string(prefix) + "/EFI/Linux";
    auto ukis = fs.list_dir(uki_dir);
    for (const auto& name : ukis ? *ukis : std::vector<std::string>{}) {
      const std::string path = uki_dir + "/" + name;
      if (!has_suffix_nocase(name, ".efi") || !fs.is_file(path)) continue;
      auto entry = read_type2(fs, path);
      if (!entry) {
        fail(entry.error());
        continue;
      }
      auto size = fs.stat(path);
      std::string key = fmt::format("{}\n{}\n{}\n{}", name, size ? size->size : 0,
                                    entry->entry.options.value_or(""), entry->entry.version);
      if (!seen.insert(key).second) continue;
      found.push_back(std::move(*entry));
    }
  }

  if (found.empty() && !errors.empty()) return errors.front();
  if (skipped) skipped->insert(skipped->end(), errors.begin(), errors.end());
  sort_bls_entries(found);
  std::vector<BootEntry> out;
  out.reserve(found.size());
  for (auto& entry : found) out.push_back(std::move(entry.entry));
  return out;
}

}  // namespace warmboot
