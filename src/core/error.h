// SPDX-License-Identifier: Apache-2.0
// Error values: what failed, the errno, the file involved, and what to do about it.
#pragma once

#include <string>

namespace warmboot {

struct Error {
  std::string op;    // the operation or place, e.g. "kexec_file_load" or "/boot/grub/grub.cfg:12"
  int code = 0;      // errno, or 0 when no system call is involved
  std::string file;  // the file involved, as seen inside --root; may be empty
  std::string message;  // one line, no trailing period
  std::string remedy;   // what the operator can do; may be empty

  // "op: ENAME: message; remedy"
  std::string str() const;
};

// Shorthands for building errors.
Error make_error(std::string op, std::string message, std::string remedy = {});
Error errno_error(std::string op, int code, std::string file, std::string message,
                  std::string remedy = {});

// "EKEYREJECTED" for EKEYREJECTED, "E123" for unknown numbers.
std::string errno_name(int code);

}  // namespace warmboot
