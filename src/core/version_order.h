// SPDX-License-Identifier: Apache-2.0
// Version order as the Boot Loader Specification defines it (UAPI Version Format Specification,
// an rpmvercmp() relative): "6.1.0-10-amd64" > "6.1.0-9-amd64", "6.1" < "6.1.1", "6.1~rc1" < "6.1".
#pragma once

#include <string_view>

namespace warmboot {

// Negative when a sorts before (is older than) b, zero when equal, positive when a is newer.
//
// The strings are walked together: characters other than ASCII letters, digits and "-.~^" are
// skipped; "~" sorts lower than anything, even the end of the string ("1~rc1" < "1"); then a string
// that ended is older ("6.1" < "6.1.1"); "-" sorts lower than anything else, "^" higher, "." lower;
// digit runs compare as numbers of any length (leading zeros ignored) and beat letter runs; letter
// runs compare as ASCII ("A" < "a"), a longer run being newer when one is a prefix of the other.
//
// Note: the written specification checks for the end of a string before "~", but systemd's
// implementation (`systemd-analyze compare-versions`, what systemd-boot sorts with) checks "~"
// first, which is what makes pre-releases sort before the release. We follow systemd.
int compare_versions(std::string_view a, std::string_view b);

// A plausible kernel release ("6.1.0-9-amd64", "6.6.1-arch1-1"): starts with a digit, contains a
// dot, and has no whitespace, "/" or control characters.
bool looks_like_kernel_release(std::string_view text);

}  // namespace warmboot
