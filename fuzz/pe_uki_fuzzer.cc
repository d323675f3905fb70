// SPDX-License-Identifier: Apache-2.0
// PE/COFF images: unified kernel images (parse_uki, read_uki, uki_menu_info, os_release_value)
// and the Authenticode certificate table (pe_signature, pe_certificate_table).
//
// Input: the image file. Properties: read_uki, which reads only the headers and the text
// sections, agrees with parse_uki on the whole file; every section it accepts lies inside the
// file; a signed image has a non-empty certificate table.
#include <string>

#include "core/pe_signature.h"
#include "core/uki_image.h"
#include "fuzz_support.h"

namespace warmboot {
namespace {

void check_inside(const std::optional<PeSection>& section, uint64_t size) {
  if (!section) return;
  FUZZ_CHECK(section->offset <= size && section->size <= size - section->offset);
}

}  // namespace
}  // namespace warmboot

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace warmboot;
  const std::string_view bytes = fuzz::as_text(data, size);

  auto whole = parse_uki(bytes);
  if (whole) {
    for (const auto* section :
         {&whole->linux_, &whole->initrd, &whole->cmdline, &whole->osrel, &whole->uname}) {
      check_inside(*section, size);
    }
    FUZZ_CHECK(uki_text_end(*whole) <= size);
    UkiMenuInfo info = uki_menu_info(*whole);
    (void)info;
    (void)pe_machine_name(whole->machine);
    // Only the bytes up to the text sections' end are needed for the same text.
    auto head = parse_uki(bytes.substr(0, uki_text_end(*whole)), size);
    if (head) {
      FUZZ_CHECK(head->cmdline_text == whole->cmdline_text);
      FUZZ_CHECK(head->osrel_text == whole->osrel_text);
      FUZZ_CHECK(head->uname_text == whole->uname_text);
    }
  }
  (void)os_release_value(bytes, "PRETTY_NAME");

  FakeFileSystem fs;
  fs.add_file("/efi/EFI/Linux/fuzz.efi", std::string(bytes));
  auto read = read_uki(fs, "/efi/EFI/Linux/fuzz.efi");
  if (!whole) FUZZ_CHECK(!read);
  if (read) {
    FUZZ_CHECK(read->linux_ == whole->linux_ && read->initrd == whole->initrd);
    FUZZ_CHECK(read->cmdline_text == whole->cmdline_text);
    FUZZ_CHECK(read->osrel_text == whole->osrel_text);
    FUZZ_CHECK(read->uname_text == whole->uname_text);
  }

  PeSignature signature = pe_signature(bytes);
  PeCertificateTable table = pe_certificate_table(bytes);
  (void)to_string(signature);
  if (signature == PeSignature::Signed) FUZZ_CHECK(table.offset != 0 && table.size != 0);
  return 0;
}
