// SPDX-License-Identifier: Apache-2.0
#include "os/decompress.h"

#include <archive.h>
#include <archive_entry.h>

#include <cerrno>
#include <memory>

namespace warmboot {
namespace {

struct ArchiveCloser {
  void operator()(archive* a) const { archive_read_free(a); }
};

Error archive_failure(archive* a, std::string message) {
  const char* detail = archive_error_string(a);
  if (detail) message += std::string(": ") + detail;
  return make_error("decompress", message);
}

}  // namespace

Status decompress_stream(std::string_view input, uint64_t max_output,
                         const std::function<Status(std::string_view chunk)>& sink,
                         std::string* filter) {
  std::unique_ptr<archive, ArchiveCloser> a(archive_read_new());
  if (!a) return make_error("decompress", "archive_read_new failed");
  // Explicit filters: archive_read_support_filter_all would also allow external programs.
  archive_read_support_filter_gzip(a.get());
  archive_read_support_filter_zstd(a.get());
  archive_read_support_filter_xz(a.get());
  archive_read_support_filter_lzma(a.get());
  archive_read_support_filter_lz4(a.get());
  archive_read_support_filter_bzip2(a.get());
  archive_read_support_format_raw(a.get());
  if (archive_read_open_memory(a.get(), input.data(), input.size()) != ARCHIVE_OK)
    return archive_failure(a.get(), "cannot open the data");
  archive_entry* entry = nullptr;
  if (archive_read_next_header(a.get(), &entry) != ARCHIVE_OK)
    return archive_failure(a.get(), "unrecognised data");
  if (archive_filter_code(a.get(), 0) == ARCHIVE_FILTER_NONE)
    return make_error("decompress", "not compressed in a known way (gzip, zstd, xz, lz4, bzip2)");
  if (filter) *filter = archive_filter_name(a.get(), 0);
  std::string buffer(1 << 16, '\0');
  uint64_t total = 0;
  while (true) {
    la_ssize_t n = archive_read_data(a.get(), buffer.data(), buffer.size());
    if (n < 0) return archive_failure(a.get(), "corrupt compressed data");
    if (n == 0) break;
    total += static_cast<uint64_t>(n);
    if (total > max_output) {
      return errno_error("decompress", EFBIG, {},
                         "decompresses to more than " + std::to_string(max_output) + " bytes");
    }
    if (auto status = sink(std::string_view(buffer.data(), static_cast<size_t>(n))); !status.ok())
      return status;
  }
  return {};
}

Result<std::string> read_compressed_file(const FileSystem& fs, std::string_view path,
                                         uint64_t max_output) {
  auto input = fs.read_file(path, max_output);
  if (!input) return input.error();
  std::string out;
  auto status = decompress_stream(*input, max_output, [&](std::string_view chunk) -> Status {
    out.append(chunk);
    return {};
  });
  if (!status.ok()) {
    Error error = status.error();
    error.file = std::string(path);
    error.message = std::string(path) + ": " + error.message;
    return error;
  }
  return out;
}

}  // namespace warmboot
