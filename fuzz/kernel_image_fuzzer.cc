// SPDX-License-Identifier: Apache-2.0
// Kernel image headers: inspect_kernel_image (bzImage setup header, ELF, PE/EFI stub, UKI,
// compressed images) and check_kernel_image / bzimage_declared_size, which refuse images that
// cannot boot here before anything is staged.
//
// Input: the first bytes of a kernel file (the callers pass 64 KiB or the whole file).
// Properties: only a bzImage or a UKI is ever x86_64_ok, and then its arch is x86_64; a UKI
// passes check_kernel_image; a header declaring more bytes than the file has is refused.
#include <string>

#include "core/kernel_image.h"
#include "core/kernel_image_check.h"
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

  const std::string path = "/boot/vmlinuz-fuzz";
  const uint64_t declared = bzimage_declared_size(head);
  Status as_is = check_kernel_image(head, size, path);
  if (info && info->format == Format::Uki && size > 0) FUZZ_CHECK(as_is.ok());
  if (declared > size && info && info->format == Format::BzImage) FUZZ_CHECK(!as_is.ok());
  (void)check_kernel_image(head, 0, path);
  (void)check_kernel_image(head, UINT64_MAX, path);
  return 0;
}
