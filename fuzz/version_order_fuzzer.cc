// SPDX-License-Identifier: Apache-2.0
// Version order (compare_versions, as systemd-boot sorts entries and warmboot picks "latest") and
// the release names taken from kernel file names (version_from_image_name, grub_kernel_version,
// looks_like_kernel_release).
//
// Input: versions, one per line. Properties: compare_versions is a total order (reflexive,
// antisymmetric, transitive on the first three lines), so sorting with it is well defined; every
// line is sorted with it (an ordering that is not one would let std::sort run out of bounds).
#include <algorithm>
#include <string>
#include <vector>

#include "core/grub_menu.h"
#include "core/installed_kernels.h"
#include "core/text.h"
#include "core/version_order.h"
#include "fuzz_support.h"

namespace warmboot {
namespace {

int sign(int value) {
  return (value > 0) - (value < 0);
}

}  // namespace
}  // namespace warmboot

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace warmboot;
  std::vector<std::string_view> lines = split_lines(fuzz::as_text(data, size));
  if (lines.size() > 2000) lines.resize(2000);

  for (std::string_view line : lines) {
    FUZZ_CHECK(compare_versions(line, line) == 0);
    (void)looks_like_kernel_release(line);
    (void)version_from_image_name(line);
    (void)grub_kernel_version(line);
  }
  if (lines.size() >= 2) {
    const std::string_view a = lines[0], b = lines[1];
    FUZZ_CHECK(sign(compare_versions(a, b)) == -sign(compare_versions(b, a)));
  }
  if (lines.size() >= 3) {
    const std::string_view a = lines[0], b = lines[1], c = lines[2];
    const int ab = sign(compare_versions(a, b)), bc = sign(compare_versions(b, c));
    const int ac = sign(compare_versions(a, c));
    if (ab <= 0 && bc <= 0) FUZZ_CHECK(ac <= 0);
    if (ab >= 0 && bc >= 0) FUZZ_CHECK(ac >= 0);
    if (ab == 0) FUZZ_CHECK(ac == bc);
  }
  std::sort(lines.begin(), lines.end(),
            [](std::string_view x, std::string_view y) { return compare_versions(x, y) < 0; });
  return 0;
}
