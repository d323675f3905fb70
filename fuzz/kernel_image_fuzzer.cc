// SPDX-License-Identifier: Apache-2.0
// Kernel image headers: inspect_kernel_image (bzImage setup header, ELF, PE/EFI stub, UKI,
// compressed images, raw arm64/riscv64 Images, EFI zboot images), parse_zboot_header, and
// check_kernel_image / bzimage_declared_size / kernel_preparation, which refuse images that cannot
// boot here before anything is staged and decide what staging does with them.
//
// Input: the first bytes of a kernel file (the callers pass 64 KiB or the whole file).
// Properties: only a bzImage or a UKI is ever x86_64_ok, and then its arch is x86_64; a UKI
// passes check_kernel_image; a header declaring more bytes than the file has is refused; a zboot
// payload accepted by parse_zboot_header lies inside the file and after the header; only a
// Compressed or Zboot image is ever unpacked, and only on arm64.
#include <string>

#include "core/kernel_image.h"
#include "core/kernel_image_check.h"
#include "core/kernel_preparation.h"
#include "core/zboot_header.h"
#include "fuzz_support.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace warmboot;
  using Format = KernelImageInfo::Format;
  const std::string_view head = warmboot::fuzz::as_text(data, size);

  auto info = inspect_kernel_image(head);
  if (info) {
    (void)to_string(info->format);
    if (info->x86_64_ok) {
      FUZZ_CHECK(info->format == Format::BzImage || info->format == Format::Uki);
      if (info->format == Format::BzImage) FUZZ_CHECK(info->arch == "x86_64");
    }
  }

  if (auto zboot = parse_zboot_header(head, size)) {
    FUZZ_CHECK(zboot->payload_size > 0 && zboot->payload_offset >= kZbootHeaderSize);
    FUZZ_CHECK(zboot->payload_offset + zboot->payload_size <= size);
    (void)zboot_compression_family(zboot->compression);
  }
  if (info) {
    (void)describe_kernel_format(*info);
    for (std::string_view arch : {"x86_64", "arm64", "riscv64", ""}) {
      const KernelPreparation how = kernel_preparation(*info, arch);
      if (how != KernelPreparation::AsIs) {
        FUZZ_CHECK(arch == "arm64");
        FUZZ_CHECK(info->format == Format::Compressed || info->format == Format::Zboot);
      }
    }
  }

  const std::string path = "/boot/vmlinuz-fuzz";
  const uint64_t declared = bzimage_declared_size(head);
  Status as_is = check_kernel_image(head, size, path);
  if (info && info->format == Format::Uki && size > 0) FUZZ_CHECK(as_is.ok());
  if (declared > size && info && info->format == Format::BzImage) FUZZ_CHECK(!as_is.ok());
  (void)check_kernel_image(head, 0, path);
  (void)check_kernel_image(head, UINT64_MAX, path);
  for (std::string_view arch : {"x86_64", "arm64", ""})
    (void)check_kernel_image(head, size, path, arch);
  return 0;
}
