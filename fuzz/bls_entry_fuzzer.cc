// SPDX-License-Identifier: Apache-2.0
// Boot Loader Specification type #1 entries (loader/entries/*.conf): parse_bls_entry, the
// specification's sort order, and read_bls_entries over a fake /boot holding them.
//
// Input: up to 8 parts separated by "\n@@\n", each "NAME\nTEXT": an entry file named NAME in
// /boot/loader/entries (or at NAME itself when it starts with '/'). Properties: a parsed entry
// has a kernel inside its partition; sorting is idempotent and puts entries with no tries left
// last; read_bls_entries returns no more entries than there are files.
#include <string>
#include <vector>

#include "core/bls_entry.h"
#include "fuzz_support.h"

namespace warmboot {
namespace {

std::string entry_path(std::string_view name) {
  if (name.starts_with('/')) return std::string(name);
  return "/boot/loader/entries/" + std::string(name);
}

std::vector<std::string> order_of(const std::vector<BlsEntry>& entries) {
  std::vector<std::string> order;
  for (const BlsEntry& e : entries) order.push_back(e.entry.source_file + '\n' + e.entry.id);
  return order;
}

}  // namespace
}  // namespace warmboot

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace warmboot;
  FakeFileSystem fs;
  std::vector<BlsEntry> parsed;
  size_t files = 0;
  for (std::string_view part : fuzz::split_parts(fuzz::as_text(data, size), 8)) {
    size_t eol = part.find('\n');
    std::string_view name = part.substr(0, eol);
    std::string_view text = eol == std::string_view::npos ? "" : part.substr(eol + 1);
    const std::string path = entry_path(name);
    auto entry = parse_bls_entry(text, path, "/boot");
    if (entry) {
      FUZZ_CHECK(entry->entry.kernel.starts_with("/boot"));
      for (const auto& initrd : entry->entry.initrds) FUZZ_CHECK(initrd.starts_with("/boot"));
      parsed.push_back(std::move(*entry));
    }
    (void)parse_bls_entry(text, path, "");
    if (fuzz::plain_path(path)) {
      fs.add_file(path, std::string(text));
      ++files;
    }
  }

  sort_bls_entries(parsed);
  bool seen_bad = false;
  for (const BlsEntry& e : parsed) {
    bool bad = e.tries_left == 0u;
    FUZZ_CHECK(bad || !seen_bad);
    seen_bad = seen_bad || bad;
  }
  auto sorted = order_of(parsed);
  sort_bls_entries(parsed);
  FUZZ_CHECK(order_of(parsed) == sorted);

  std::vector<Error> skipped;
  if (auto all = read_bls_entries(fs, &skipped)) FUZZ_CHECK(all->size() <= files);
  return 0;
}
