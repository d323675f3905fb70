// SPDX-License-Identifier: Apache-2.0
// A streaming reader of "newc" cpio archives (magic 070701, or 070702 with checksums), the only
// format the kernel unpacks from an initramfs. Like the kernel it accepts several archives back to
// back, each ending in a "TRAILER!!!" entry, with NUL padding between them. It lists entry names
// and skips file data, so it works on a stream fed in chunks (a decompressor's output).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"

namespace warmboot {

class CpioNewcScanner {
 public:
  // Feeds the next bytes. Returns how many were consumed: all of them, unless the stream stops
  // being cpio at an archive boundary (foreign() is then true and the rest was not looked at).
  // Fails on a header that is not newc inside an archive or has impossible sizes.
  Result<size_t> feed(std::string_view bytes);
  // After the last feed: fails if the stream ended inside an entry.
  Status finish() const;

  bool foreign() const { return foreign_; }
  const std::vector<std::string>& names() const { return names_; }
  int archives() const { return archives_; }       // trailers seen
  uint64_t position() const { return position_; }  // bytes consumed so far

 private:
  enum class State { Between, Header, Name, Data };
  Status take_header();

  State state_ = State::Between;
  std::string buffer_;       // the header, then the name, being collected
  uint64_t header_at_ = 0;   // stream offset of the header being collected
  uint64_t name_bytes_ = 0;  // name length including NUL and padding
  uint64_t name_size_ = 0;   // c_namesize
  uint64_t skip_ = 0;        // file data plus padding still to skip
  uint64_t position_ = 0;
  bool in_archive_ = false;  // entries seen since the last trailer
  bool foreign_ = false;
  int archives_ = 0;
  std::vector<std::string> names_;
  size_t names_total_ = 0;  // bytes of every name kept
};

inline constexpr size_t kNewcHeaderSize = 110;
// What a listing may hold: real initrds have a few thousand entries (Debian's MODULES=most about
// 4000, dracut's up to some 20000); a compressed bomb of long names must not take gigabytes.
inline constexpr size_t kMaxCpioNames = 1 << 18;
inline constexpr size_t kMaxCpioNameBytes = 32 << 20;  // all names together

// Entry names as listed: "usr/sbin/cryptsetup" for "./usr/sbin/cryptsetup" or "/usr/...".
std::string normalize_cpio_name(std::string_view name);

}  // namespace warmboot
