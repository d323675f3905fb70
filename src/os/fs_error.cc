// SPDX-License-Identifier: Apache-2.0
#include "os/fs_error.h"

#include <cerrno>

namespace warmboot {

Error fs_error(const char* op, int code, std::string_view path, const char* what) {
  return errno_error(op, code, std::string(path), std::string(path) + ": " + what);
}

const char* describe_errno(int code) {
  switch (code) {
    case ENOENT:
      return "no such file";
    case EACCES:
      return "permission denied";
    case ENOTDIR:
      return "a path component is not a directory";
    case EISDIR:
      return "is a directory";
    case EFBIG:
      return "file is too large";
    case ELOOP:
      return "too many symbolic links";
    default:
      return "cannot access";
  }
}

}  // namespace warmboot
