// SPDX-License-Identifier: Apache-2.0
// Lists what an initramfs image contains. An image is a sequence of cpio archives, as the kernel
// unpacks it (Documentation/driver-api/early-userspace/buffer-format.rst): typically an
// uncompressed early archive (CPU microcode) followed by a compressed one (gzip, zstd, xz, lz4),
// or a single archive, compressed or not.
//
// How concatenation is handled: the leading uncompressed archives are walked header by header
// (exact sizes are in the headers), skipping the NUL padding between them; where something that
// is not a cpio header begins, the rest is decompressed with libarchive and walked the same way,
// so several archives inside one compressed stream (or several gzip members, zstd frames) are all
// listed. A second compressed segment in a different compression after the first is not read
// (libarchive stops at the end of the first stream): no initramfs generator writes that.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "core/filesystem.h"
#include "core/result.h"

namespace warmboot {

struct InitrdListing {
  std::vector<std::string> names;         // entry paths without "./", in archive order
  std::vector<std::string> compressions;  // per segment: "none", "gzip", "zstd", "xz", "lz4", ...
  int archives = 0;                       // cpio archives (trailers) seen
};

inline constexpr uint64_t kMaxInitrdBytes = 1ull << 30;
inline constexpr uint64_t kMaxInitrdUnpacked = 4ull << 30;

Result<InitrdListing> list_initrd(std::string_view image);
Result<InitrdListing> list_initrd_file(const FileSystem& fs, const std::string& path);

}  // namespace warmboot
