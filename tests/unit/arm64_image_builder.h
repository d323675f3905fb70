// SPDX-License-Identifier: Apache-2.0
// Test-only builders of arm64 kernel images: a raw Image (the 64-byte arm64 image header of
// Documentation/arch/arm64/booting.rst, then a payload), an EFI zboot image around a compressed
// payload (drivers/firmware/efi/libstub/zboot-header.S), and compressed streams made with
// libarchive's raw writer, as the kernel's build compresses an Image.
#pragma once

#include <archive.h>
#include <archive_entry.h>

#include <cstdint>
#include <string>
#include <string_view>

#include "uki_builder.h"

namespace warmboot::testing {

// A raw arm64 Image of `size` bytes (at least 64): header, then a recognisable pattern. With
// `efi_stub`, code0 is "MZ" and the PE offset field (0x3c) is set, as in a real Image.
inline std::string make_test_arm64_image(size_t size = 4096, bool efi_stub = false) {
  std::string out(size < 64 ? 64 : size, '\0');
  put_le(out, 8, 0x0, 8);          // text_offset
  put_le(out, 16, out.size(), 8);  // image_size
  put_le(out, 24, 0xa, 8);         // flags: little endian, 4K pages
  out.replace(0x38, 4, "ARM\x64");
  if (efi_stub) {
    out[0] = 'M';
    out[1] = 'Z';
    put_le(out, 0x3c, 0x40, 4);
  }
  for (size_t i = 64; i < out.size(); ++i) out[i] = static_cast<char>((i * 7 + i / 251) & 0xff);
  return out;
}

// An EFI zboot image whose payload (at 0x200) is `payload`; `compression` goes into the header.
inline std::string make_test_zboot(std::string_view payload, std::string_view compression,
                                   uint16_t machine = 0xaa64) {
  std::string out(0x200, '\0');
  out.replace(0, 2, "MZ");
  out.replace(4, 4, "zimg");
  put_le(out, 8, 0x200, 4);
  put_le(out, 12, payload.size(), 4);
  out.replace(0x18, compression.size(), compression);
  put_le(out, 0x3c, 0x80, 4);
  out.replace(0x80, 4, std::string("PE\0\0", 4));
  put_le(out, 0x84, machine, 2);
  out.append(payload);
  out.append(std::string(4, '\0'));  // the decompressor's size trailer, outside the payload
  return out;
}

inline la_ssize_t append_compressed(archive*, void* out, const void* buffer, size_t length) {
  static_cast<std::string*>(out)->append(static_cast<const char*>(buffer), length);
  return static_cast<la_ssize_t>(length);
}

// `data` compressed with `filter`: "gzip", "zstd", "xz", "lz4" or "bzip2"; "" when it fails.
inline std::string compress_test_bytes(std::string_view data, std::string_view filter) {
  std::string out;
  archive* a = archive_write_new();
  archive_write_set_format_raw(a);
  int rc = ARCHIVE_FATAL;
  if (filter == "gzip") rc = archive_write_add_filter_gzip(a);
  if (filter == "zstd") rc = archive_write_add_filter_zstd(a);
  if (filter == "xz") rc = archive_write_add_filter_xz(a);
  if (filter == "lz4") rc = archive_write_add_filter_lz4(a);
  if (filter == "bzip2") rc = archive_write_add_filter_bzip2(a);
  archive_write_set_bytes_in_last_block(a, 1);
  if (rc != ARCHIVE_OK ||
      archive_write_open(a, &out, nullptr, append_compressed, nullptr) != ARCHIVE_OK) {
    archive_write_free(a);
    return {};
  }
  archive_entry* entry = archive_entry_new();
  archive_entry_set_pathname(entry, "Image");
  archive_entry_set_filetype(entry, AE_IFREG);
  archive_entry_set_perm(entry, 0644);
  archive_entry_set_size(entry, static_cast<la_int64_t>(data.size()));
  archive_write_header(a, entry);
  archive_write_data(a, data.data(), data.size());
  archive_entry_free(entry);
  archive_write_close(a);
  archive_write_free(a);
  return out;
}

}  // namespace warmboot::testing
