// SPDX-License-Identifier: Apache-2.0
// Whether a PE/COFF image (an EFI-stub kernel, a UKI) carries an Authenticode signature: the
// optional header's data directory entry 4, IMAGE_DIRECTORY_ENTRY_SECURITY (the certificate
// table; its first field is a file offset, not an RVA), is present and non-empty. Says nothing
// about who signed it or whether the kernel's keyrings trust that key.
#pragma once

#include <cstdint>
#include <string_view>

namespace warmboot {

enum class PeSignature {
  NotPe,     // no "MZ" / "PE\0\0" headers: a plain bzImage without EFI stub, an ELF, garbage
  Unsigned,  // a PE image whose certificate table is empty
  Signed,    // certificate table present and non-empty
};
const char* to_string(PeSignature signature);

// `head` is the start of the image: the DOS header, PE header and optional header must lie inside
// it (4 KiB is plenty for kernels). A header that points outside `head` gives NotPe.
PeSignature pe_signature(std::string_view head);

// Where the certificate table lives; {0, 0} when absent or not a PE image.
struct PeCertificateTable {
  uint32_t offset = 0;
  uint32_t size = 0;
};
PeCertificateTable pe_certificate_table(std::string_view head);

}  // namespace warmboot
