// SPDX-License-Identifier: Apache-2.0
// Decompresses a gzip, zstd, xz, lzma, lz4 or bzip2 stream with libarchive (its "raw" format
// behind the compression filters). No external programs are run.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>

#include "core/filesystem.h"
#include "core/result.h"

namespace warmboot {

// Decompresses `input` and hands the output to `sink` in chunks; stops at the end of the
// compressed stream (bytes after it are ignored). `filter` receives the compression's name
// ("gzip", "zstd", "xz", "lz4", ...). Fails when `input` is not compressed in a known way, is
// corrupt, or decompresses to more than `max_output` bytes (code EFBIG); or with the sink's error.
Status decompress_stream(std::string_view input, uint64_t max_output,
                         const std::function<Status(std::string_view chunk)>& sink,
                         std::string* filter = nullptr);

// The decompressed content of a compressed file under `fs`, e.g. /proc/config.gz.
Result<std::string> read_compressed_file(const FileSystem& fs, std::string_view path,
                                         uint64_t max_output = 64 << 20);

}  // namespace warmboot
