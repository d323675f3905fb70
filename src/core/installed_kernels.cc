// SPDX-License-Identifier: Apache-2.0
#include "core/installed_kernels.h"

#include <algorithm>
#include <set>

#include "core/text.h"
#include "core/version_order.h"

namespace warmboot {
namespace {

constexpr const char* kBootDirs[] = {"/boot", "/efi", "/boot/efi"};
constexpr const char* kModuleDirs[] = {"/usr/lib/modules", "/lib/modules"};
constexpr const char* kMicrocode[] = {"intel-ucode.img", "amd-ucode.img", "early_ucode.cpio",
                                      "microcode.cpio"};

// Arch names images after the package ("vmlinuz-linux-lts"); the module tree says which release
// each package installed, in /usr/lib/modules/V/pkgbase.
std::string release_of_pkgbase(const FileSystem& fs, std::string_view pkgbase) {
  for (const char* dir : kModuleDirs) {
    auto names = fs.list_dir(dir);
    if (!names) continue;
    for (const auto& release : *names) {
      auto content = fs.read_file(std::string(dir) + "/" + release + "/pkgbase", 4096);
      if (content && trim(*content) == pkgbase) return release;
    }
  }
  return {};
}

void add_microcode(const FileSystem& fs, const std::string& dir, std::vector<std::string>& out) {
  for (const char* name : kMicrocode) {
    std::string path = dir + "/" + name;
    if (fs.is_file(path)) out.push_back(path);
  }
}

}  // namespace

std::string version_from_image_name(std::string_view file_name) {
  for (std::string_view prefix : {"vmlinuz-", "vmlinux-", "bzImage-", "kernel-", "Image-"}) {
    if (file_name.starts_with(prefix)) {
      std::string_view rest = file_name.substr(prefix.size());
      if (looks_like_kernel_release(rest)) return std::string(rest);
    }
  }
  return {};
}

std::vector<std::string> initrds_for_kernel(const FileSystem& fs, const std::string& kernel,
                                            const std::string& version) {
  std::vector<std::string> out;
  std::string dir = dirname_of(kernel);
  std::string name = basename_of(kernel);
  add_microcode(fs, dir, out);
  std::vector<std::string> candidates;
  for (const std::string& where : {dir, std::string("/boot")}) {
    if (version.empty()) break;
    for (const char* pattern :
         {"/initrd.img-{}", "/initramfs-{}.img", "/initrd-{}", "/initrd-{}.img"}) {
      std::string file = pattern;
      file.replace(file.find("{}"), 2, version);
      candidates.push_back(where + file);
    }
  }
  if (name.starts_with("vmlinuz-")) {  // Arch: vmlinuz-linux → initramfs-linux.img
    candidates.push_back(dir + "/initramfs-" + name.substr(8) + ".img");
  }
  for (const auto& path : candidates) {
    if (fs.is_file(path)) {
      out.push_back(path);
      break;
    }
  }
  return out;
}

std::vector<BootEntry> find_installed_kernels(const FileSystem& fs) {
  std::vector<BootEntry> found;
  std::set<std::string> versions_in_boot;
  auto add = [&](const std::string& path, const std::string& version) {
    BootEntry entry;
    entry.origin = EntryOrigin::Installed;
    entry.kernel = path;
    entry.id = path;
    entry.version = version;
    entry.title = version.empty() ? path : "Linux " + version;
    entry.initrds = initrds_for_kernel(fs, path, version);
    entry.source_file = dirname_of(path);
    found.push_back(std::move(entry));
  };
  for (const char* dir : kBootDirs) {
    auto names = fs.list_dir(dir);
    if (!names) continue;
    for (const auto& name : *names) {
      std::string path = std::string(dir) + "/" + name;
      if (!name.starts_with("vmlinuz") || !fs.is_file(path)) continue;
      if (name.find("rescue") != std::string::npos) continue;  // Fedora's rescue image
      std::string version = version_from_image_name(name);
      if (version.empty() && name.starts_with("vmlinuz-")) {
        version = release_of_pkgbase(fs, name.substr(8));
      }
      if (version.empty()) continue;  // "vmlinuz" / "vmlinuz.old" links name no release
      if (!versions_in_boot.insert(version).second) continue;
      add(path, version);
    }
  }
  for (const char* dir : kModuleDirs) {  // Fedora keeps the pristine image with the modules
    auto releases = fs.list_dir(dir);
    if (!releases) continue;
    for (const auto& release : *releases) {
      std::string path = std::string(dir) + "/" + release + "/vmlinuz";
      if (versions_in_boot.count(release) || !fs.is_file(path)) continue;
      versions_in_boot.insert(release);
      add(path, release);
    }
  }
  std::stable_sort(found.begin(), found.end(), [](const BootEntry& a, const BootEntry& b) {
    return compare_versions(a.version, b.version) > 0;
  });
  return found;
}

}  // namespace warmboot
