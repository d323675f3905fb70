// SPDX-License-Identifier: Apache-2.0
// Paths as warmboot handles them: always absolute, inside the target root, normalised without
// touching the disk (no symlink is resolved here; FileSystem implementations do that).
#pragma once

#include <string>
#include <string_view>

namespace warmboot {

// Joins and normalises path components: join_path("/boot", "../x") == "/x".
std::string join_path(std::string_view base, std::string_view rel);
std::string dirname_of(std::string_view path);
std::string basename_of(std::string_view path);

}  // namespace warmboot
