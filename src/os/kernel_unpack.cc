// SPDX-License-Identifier: Apache-2.0
#include "os/kernel_unpack.h"

#include <unistd.h>

#include <cerrno>

#include <fmt/format.h>

#include "os/decompress.h"
#include "os/memfd_builder.h"

namespace warmboot {
namespace {

constexpr size_t kHeadBytes = 64 * 1024;  // what inspect_kernel_image looks at
constexpr const char* kReinstall = "reinstall the kernel package or choose another kernel";

Error unpack_error(const std::string& path, int code, std::string message,
                   std::string remedy = kReinstall) {
  return errno_error("unpack kernel", code, path, fmt::format("{}: {}", path, message),
                     std::move(remedy));
}

Result<std::string> read_range(int fd, uint64_t offset, uint64_t size, const std::string& path) {
  std::string bytes(static_cast<size_t>(size), '\0');
  uint64_t done = 0;
  while (done < size) {
    ssize_t n = ::pread(fd, bytes.data() + done, static_cast<size_t>(size - done),
                        static_cast<off_t>(offset + done));
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return unpack_error(path, errno, "cannot read the kernel image");
    if (n == 0) {
      return unpack_error(path, ENOEXEC,
                          fmt::format("truncated: {} bytes expected at offset {}, the file ends "
                                      "after {}",
                                      size, offset, offset + done));
    }
    done += static_cast<uint64_t>(n);
  }
  return bytes;
}

// The decompressed bytes must be what kexec_file_load takes on this machine: a raw Image.
Status verify_raw_image(std::string_view head, const std::string& path, const std::string& what,
                        std::string_view machine_arch) {
  auto inner = inspect_kernel_image(head);
  if (inner && inner->format == KernelImageInfo::Format::Image) {
    if (inner->arch == machine_arch) return {};
    return unpack_error(path, ENOEXEC,
                        fmt::format("{} holds a kernel Image for {}, this machine is {}", what,
                                    inner->arch, machine_arch),
                        fmt::format("choose a kernel built for {}", machine_arch));
  }
  std::string found = inner ? describe_kernel_format(*inner) : inner.error().message;
  return unpack_error(path, ENOEXEC,
                      fmt::format("{} is not a raw {} Image (no \"ARM\\x64\" magic at offset 56; "
                                  "found: {})",
                                  what, machine_arch, found));
}

}  // namespace

Result<UnpackedKernel> unpack_kernel(int fd, uint64_t file_size, const KernelImageInfo& info,
                                     KernelPreparation how, const std::string& path,
                                     std::string_view machine_arch, const UnpackLimits& limits) {
  uint64_t offset = 0;
  uint64_t size = file_size;
  std::string what = fmt::format("the {}-compressed data", info.compression);
  if (how == KernelPreparation::UnwrapZboot) {
    offset = info.payload_offset;
    size = info.payload_size;
    what = fmt::format("the EFI zboot payload ({})", info.compression);
    if (offset > file_size || size > file_size - offset) {
      return unpack_error(path, ENOEXEC,
                          fmt::format("truncated EFI zboot image: its payload ends at {} bytes, "
                                      "the file has {}",
                                      offset + size, file_size));
    }
  } else if (how != KernelPreparation::Decompress) {
    return unpack_error(path, EINVAL, "nothing to unpack: the image is passed as is");
  }
  const std::string cap = human_bytes(limits.max_output);
  if (size > limits.max_output) {
    return unpack_error(
        path, EFBIG,
        fmt::format("{} is {} bytes, more than warmboot decompresses ({})", what, size, cap));
  }
  auto input = read_range(fd, offset, size, path);
  if (!input) return input.error();
  auto memfd = make_memfd("warmboot-kernel");
  if (!memfd) return memfd.error();

  const auto deadline = std::chrono::steady_clock::now() + limits.timeout;
  std::string head;
  uint64_t total = 0;
  bool timed_out = false;
  auto sink = [&](std::string_view chunk) -> Status {
    if (std::chrono::steady_clock::now() > deadline) {
      timed_out = true;
      return make_error("decompress", "timed out");
    }
    if (head.size() < kHeadBytes) head.append(chunk.substr(0, kHeadBytes - head.size()));
    total += chunk.size();
    return append_bytes(memfd->get(), chunk, path + " (decompressed)");
  };
  std::string filter;
  if (auto status = decompress_stream(*input, limits.max_output, sink, &filter); !status) {
    const std::string& message = status.error().message;
    if (timed_out) {
      return unpack_error(
          path, ETIMEDOUT,
          fmt::format("decompressing {} took longer than {} ms", what, limits.timeout.count()));
    }
    if (status.error().code == EFBIG && status.error().op == "decompress") {
      return unpack_error(path, EFBIG,
                          fmt::format("{} decompresses to more than {}: refused (damaged or "
                                      "hostile image)",
                                      what, cap));
    }
    if (status.error().code != 0 && status.error().op != "decompress") return status.error();
    return unpack_error(path, ENOEXEC,
                        fmt::format("cannot decompress {} (truncated, corrupt, or a compression "
                                    "warmboot cannot read: gzip, zstd, xz, lzma, lz4, bzip2): {}",
                                    what, message));
  }
  if (auto ok = verify_raw_image(head, path, what, machine_arch); !ok) return ok.error();
  if (::lseek(memfd->get(), 0, SEEK_SET) < 0)
    return unpack_error(path, errno, "cannot rewind the decompressed kernel's memfd");

  UnpackedKernel out;
  out.fd = std::move(memfd).value();
  out.size = total;
  const std::string format =
      how == KernelPreparation::Decompress
          ? fmt::format("{}-compressed {} Image", info.compression, machine_arch)
          : describe_kernel_format(info);
  out.description =
      fmt::format("{}: {} ({})", format, describe_preparation(how), human_bytes(total));
  return out;
}

}  // namespace warmboot
