// SPDX-License-Identifier: Apache-2.0
#include "os/initrd_reader.h"

#include <fmt/format.h>

#include "core/cpio_newc.h"
#include "os/decompress.h"

namespace warmboot {

Result<InitrdListing> list_initrd(std::string_view image) {
  InitrdListing listing;
  CpioNewcScanner plain;
  auto consumed = plain.feed(image);
  if (!consumed) return consumed.error();
  listing.names = plain.names();
  listing.archives = plain.archives();
  if (plain.archives() > 0) listing.compressions.push_back("none");
  if (!plain.foreign()) {
    if (auto status = plain.finish(); !status.ok()) return status.error();
    if (plain.archives() == 0) return make_error("initrd", "empty image");
    return listing;
  }
  const uint64_t offset = plain.position();
  CpioNewcScanner inner;
  std::string filter;
  auto status = decompress_stream(
      image.substr(offset), kMaxInitrdUnpacked,
      [&](std::string_view chunk) -> Status {
        auto fed = inner.feed(chunk);
        if (!fed) return fed.error();
        if (inner.foreign())
          return make_error("cpio", fmt::format("decompressed offset {:#x}: not a cpio archive",
                                                inner.position()));
        return {};
      },
      &filter);
  if (!status.ok()) {
    Error error = status.error();
    error.message = fmt::format("at offset {:#x}: {}", offset, error.message);
    return error;
  }
  if (auto done = inner.finish(); !done.ok()) return done.error();
  if (inner.archives() == 0)
    return make_error("initrd", fmt::format("no cpio archive in the {} data", filter));
  listing.compressions.push_back(filter);
  listing.archives += inner.archives();
  listing.names.insert(listing.names.end(), inner.names().begin(), inner.names().end());
  return listing;
}

Result<InitrdListing> list_initrd_file(const FileSystem& fs, const std::string& path) {
  auto image = fs.read_file(path, kMaxInitrdBytes);
  if (!image) return image.error();
  auto listing = list_initrd(*image);
  if (!listing) {
    Error error = listing.error();
    error.file = path;
    error.message = path + ": " + error.message;
    return error;
  }
  return listing;
}

}  // namespace warmboot
