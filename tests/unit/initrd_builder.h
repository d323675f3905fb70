// SPDX-License-Identifier: Apache-2.0
// Test-only initramfs images, written at run time with libarchive's writer: newc cpio archives,
// uncompressed or compressed with gzip, zstd, xz or lz4, to be concatenated like real images.
#pragma once

#include <archive.h>
#include <archive_entry.h>

#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

namespace warmboot::testing {

struct CpioFile {
  std::string path;  // "usr/sbin/cryptsetup"; a trailing "/" makes a directory
  std::string content;
};

inline la_ssize_t append_to_string(archive*, void* out, const void* buffer, size_t length) {
  static_cast<std::string*>(out)->append(static_cast<const char*>(buffer), length);
  return static_cast<la_ssize_t>(length);
}

// One newc archive holding `files`; `filter` is "none", "gzip", "zstd", "xz" or "lz4".
inline std::string make_test_cpio(const std::vector<CpioFile>& files,
                                  const std::string& filter = "none") {
  std::string out;
  archive* a = archive_write_new();
  archive_write_set_format_cpio_newc(a);
  int rc = ARCHIVE_OK;
  if (filter == "gzip") rc = archive_write_add_filter_gzip(a);
  if (filter == "zstd") rc = archive_write_add_filter_zstd(a);
  if (filter == "xz") rc = archive_write_add_filter_xz(a);
  if (filter == "lz4") rc = archive_write_add_filter_lz4(a);
  // Generators write compressed streams unpadded; uncompressed archives keep libarchive's
  // zero padding to a 10 KiB block, which the kernel (and the reader) skip.
  if (filter != "none") archive_write_set_bytes_in_last_block(a, 1);
  if (rc != ARCHIVE_OK ||
      archive_write_open(a, &out, nullptr, append_to_string, nullptr) != ARCHIVE_OK) {
    std::string error = archive_error_string(a) ? archive_error_string(a) : "?";
    archive_write_free(a);
    throw std::runtime_error("libarchive writer: " + error);
  }
  for (const auto& file : files) {
    archive_entry* entry = archive_entry_new();
    const bool dir = !file.path.empty() && file.path.back() == '/';
    archive_entry_set_pathname(
        entry, dir ? file.path.substr(0, file.path.size() - 1).c_str() : file.path.c_str());
    archive_entry_set_filetype(entry, dir ? AE_IFDIR : AE_IFREG);
    archive_entry_set_perm(entry, dir ? 0755 : 0644);
    archive_entry_set_size(entry, dir ? 0 : static_cast<la_int64_t>(file.content.size()));
    archive_write_header(a, entry);
    if (!dir) archive_write_data(a, file.content.data(), file.content.size());
    archive_entry_free(entry);
  }
  archive_write_close(a);
  archive_write_free(a);
  return out;
}

// What an early microcode archive looks like (uncompressed, first in the image).
inline std::string make_test_microcode_cpio() {
  return make_test_cpio({{"kernel/", {}},
                         {"kernel/x86/", {}},
                         {"kernel/x86/microcode/", {}},
                         {"kernel/x86/microcode/GenuineIntel.bin", std::string(3000, '\x5a')}});
}

}  // namespace warmboot::testing
