// SPDX-License-Identifier: Apache-2.0
#include "core/check_kernel_format.h"

#include <fmt/format.h>

#include <algorithm>

#include "core/kernel_image_check.h"
#include "core/kernel_preparation.h"
#include "core/uki_image.h"

namespace warmboot {
namespace {

constexpr uint64_t kHeadBytes = 64 * 1024;

struct KernelHead {
  std::string bytes;
  uint64_t size = 0;  // of the file, or of the UKI's .linux section
  std::string what;   // "/boot/vmlinuz-6.1.0-9-arm64" or "/efi/.../x.efi (.linux)"
};

Result<KernelHead> read_kernel_head(const FileSystem& fs, const Plan& plan) {
  auto info = fs.stat(plan.kernel);
  if (!info) return info.error();
  KernelHead head{{}, info->size, plan.kernel};
  uint64_t offset = 0;
  if (plan.uki) {
    auto uki = read_uki(fs, plan.kernel);
    if (!uki) return uki.error();
    offset = uki->linux_->offset;
    head.size = uki->linux_->size;
    head.what = plan.kernel + " (.linux)";
  }
  auto bytes = fs.read_prefix(plan.kernel, offset + std::min(head.size, kHeadBytes));
  if (!bytes) return bytes.error();
  if (bytes->size() < offset) return make_error("read", "truncated unified kernel image");
  head.bytes = bytes->substr(offset);
  return head;
}

}  // namespace

CheckResult check_kernel_format(const FileSystem& fs, const Plan& plan,
                                std::string_view machine_arch,
                                const std::optional<Result<std::string>>& unpacked) {
  const char* name = "kernel-format";
  auto head = read_kernel_head(fs, plan);
  if (!head) {
    return check_fail(name, fmt::format("{}: {}", plan.kernel, head.error().message),
                      "reinstall the kernel package, or choose another kernel with --kernel");
  }
  if (auto usable = check_kernel_image(head->bytes, head->size, head->what, machine_arch);
      !usable) {
    return check_fail(name, usable.error().message, usable.error().remedy);
  }
  auto info = inspect_kernel_image(head->bytes);
  if (!info) return check_fail(name, info.error().message, "reinstall the kernel package");
  const KernelPreparation how = kernel_preparation(*info, machine_arch);
  const std::string format = describe_kernel_format(*info);
  if (how == KernelPreparation::AsIs) {
    return check_ok(name, fmt::format("{}: {}", format, describe_preparation(how)));
  }
  if (!unpacked) {
    return check_ok(name, fmt::format("{}: {} (at most {})", format, describe_preparation(how),
                                      human_bytes(kMaxUnpackedKernelBytes)));
  }
  if (!*unpacked) return check_fail(name, unpacked->error().message, unpacked->error().remedy);
  return check_ok(name, **unpacked);
}

}  // namespace warmboot
