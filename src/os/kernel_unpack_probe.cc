// SPDX-License-Identifier: Apache-2.0
#include "os/kernel_unpack_probe.h"

#include <sys/stat.h>
#include <unistd.h>

#include "core/kernel_preparation.h"
#include "os/kernel_unpack.h"
#include "os/uki_extract.h"
#include "os/unique_fd.h"

namespace warmboot {

std::optional<Result<std::string>> probe_kernel_unpack(const FileSystem& fs, const Plan& plan,
                                                       std::string_view machine_arch) {
  if (machine_arch != "arm64") return std::nullopt;  // the only arch whose kernels are unpacked
  auto opened = fs.open_read(plan.kernel);
  if (!opened) return std::nullopt;  // "plan-files" reports it
  UniqueFd file(*opened);
  struct stat st {};
  if (::fstat(file.get(), &st) != 0 || st.st_size <= 0) return std::nullopt;
  int fd = file.get();
  uint64_t size = static_cast<uint64_t>(st.st_size);
  UniqueFd section;
  if (plan.uki) {
    auto parts = extract_uki(fd, size, plan.kernel);
    if (!parts) return Result<std::string>(parts.error());
    section = std::move(parts->kernel);
    fd = section.get();
    size = parts->kernel_size;
  }
  std::string head(64 * 1024, '\0');
  ssize_t got = ::pread(fd, head.data(), head.size(), 0);
  if (got <= 0) return std::nullopt;
  head.resize(static_cast<size_t>(got));
  auto info = inspect_kernel_image(head);
  if (!info) return std::nullopt;
  const KernelPreparation how = kernel_preparation(*info, machine_arch);
  if (how == KernelPreparation::AsIs) return std::nullopt;
  auto unpacked = unpack_kernel(fd, size, *info, how, plan.kernel, machine_arch);
  if (!unpacked) return Result<std::string>(unpacked.error());
  return Result<std::string>(std::move(unpacked->description));
}

}  // namespace warmboot
