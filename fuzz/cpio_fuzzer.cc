// SPDX-License-Identifier: Apache-2.0
// newc cpio archives as the initrd listing reads them (CpioNewcScanner): several archives back to
// back, NUL padding, and a stream that stops being cpio (a compressed part follows).
//
// Input: the stream. It is fed whole, then in chunks of one size derived from its length, then
// byte by byte (short inputs). Property: how the stream is cut into chunks changes nothing: the
// same names, archives, position, foreign() and errors.
#include <string>
#include <vector>

#include "core/cpio_newc.h"
#include "fuzz_support.h"

namespace warmboot {
namespace {

struct Scan {
  bool ok = true;
  bool finished = false;
  bool foreign = false;
  int archives = 0;
  uint64_t position = 0;
  std::vector<std::string> names;

  bool operator==(const Scan&) const = default;
};

Scan scan(std::string_view bytes, size_t chunk) {
  CpioNewcScanner scanner;
  Scan out;
  for (size_t at = 0; at < bytes.size() && out.ok; at += chunk) {
    auto fed = scanner.feed(bytes.substr(at, chunk));
    out.ok = fed.ok();
    if (fed) FUZZ_CHECK(*fed <= std::min(chunk, bytes.size() - at));
  }
  if (!out.ok) return out;
  out.finished = scanner.finish().ok();
  out.foreign = scanner.foreign();
  out.archives = scanner.archives();
  out.position = scanner.position();
  out.names = scanner.names();
  FUZZ_CHECK(out.position <= bytes.size());
  FUZZ_CHECK(out.names.size() <= kMaxCpioNames);
  return out;
}

}  // namespace
}  // namespace warmboot

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace warmboot;
  const std::string_view bytes = fuzz::as_text(data, size);
  const Scan whole = scan(bytes, bytes.size() + 1);
  for (const auto& name : whole.names) (void)normalize_cpio_name(name);
  FUZZ_CHECK(scan(bytes, 1 + size % 113) == whole);
  if (size <= 4096) FUZZ_CHECK(scan(bytes, 1) == whole);
  return 0;
}
