// SPDX-License-Identifier: Apache-2.0
// systemd-boot's default entry: loader.conf, the EFI string variables bootctl and systemd-boot
// keep (LoaderEntryOneShot, LoaderEntryDefault, LoaderEntryLastBooted) and the glob matching of
// their values against entry ids, through systemd_boot_default on a fake root.
//
// Input: up to 4 parts separated by "\n@@\n": loader.conf, then the raw efivarfs bytes (4 bytes
// of attributes, UTF-16LE) of LoaderEntryOneShot, LoaderEntryDefault and LoaderEntryLastBooted.
// Properties: the chosen index names an entry; "*" matches every id; a pattern without glob
// characters matches itself.
#include <string>
#include <vector>

#include "core/loader_conf.h"
#include "fuzz_support.h"

namespace warmboot {
namespace {

constexpr const char* kVarPrefix = "/sys/firmware/efi/efivars/";
constexpr const char* kVendor = "-4a67b082-0a4c-41cf-b6c7-440b29bb8c4f";
constexpr const char* kVarNames[] = {"LoaderEntryOneShot", "LoaderEntryDefault",
                                     "LoaderEntryLastBooted"};

std::vector<BootEntry> sorted_entries() {
  std::vector<BootEntry> entries;
  for (const char* id : {"arch", "arch-fallback", "fedora-6.6.1-200.fc39.x86_64", "arch-linux.efi",
                         "Debian-12+3-1"}) {
    BootEntry entry;
    entry.origin = EntryOrigin::Bls;
    entry.id = id;
    entry.title = id;
    entry.kernel = std::string("/efi/") + id;
    entries.push_back(entry);
  }
  return entries;
}

bool has_glob_characters(std::string_view text) {
  return text.find_first_of("*?[\\") != std::string_view::npos;
}

void check_glob(std::string_view pattern) {
  if (pattern.size() > 4096) return;
  FUZZ_CHECK(loader_glob_match("*", pattern));
  if (!has_glob_characters(pattern)) FUZZ_CHECK(loader_glob_match(pattern, pattern));
}

}  // namespace
}  // namespace warmboot

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace warmboot;
  static const std::vector<BootEntry> entries = sorted_entries();
  auto parts = fuzz::split_parts(fuzz::as_text(data, size), 4);

  FakeFileSystem fs;
  fs.add_file("/efi/loader/loader.conf", std::string(parts[0]));
  for (size_t i = 1; i < parts.size(); ++i) {
    fs.add_file(std::string(kVarPrefix) + kVarNames[i - 1] + kVendor, std::string(parts[i]));
    if (auto value = decode_efi_string_var(parts[i])) {
      check_glob(*value);
      for (const BootEntry& entry : entries) (void)loader_glob_match(*value, entry.id);
    }
  }
  if (auto conf = parse_loader_conf(parts[0], "/efi/loader/loader.conf")) {
    check_glob(conf->default_pattern);
    for (const BootEntry& entry : entries) (void)loader_glob_match(conf->default_pattern, entry.id);
  }

  for (const auto* list : {&entries, static_cast<const std::vector<BootEntry>*>(nullptr)}) {
    const std::vector<BootEntry> none;
    const std::vector<BootEntry>& given = list ? *list : none;
    auto chosen = systemd_boot_default(fs, given);
    if (!chosen || !*chosen) continue;
    if ((*chosen)->index) FUZZ_CHECK(*(*chosen)->index < given.size());
    if (!given.empty()) FUZZ_CHECK((*chosen)->index.has_value());
  }
  return 0;
}
