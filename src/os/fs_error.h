// SPDX-License-Identifier: Apache-2.0
// Errors of the file system layer: "PATH: what" with the errno, and a few words for the errnos a
// path meets most.
#pragma once

#include <string>
#include <string_view>

#include "core/error.h"

namespace warmboot {

Error fs_error(const char* op, int code, std::string_view path, const char* what);
const char* describe_errno(int code);

}  // namespace warmboot
