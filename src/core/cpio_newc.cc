// SPDX-License-Identifier: Apache-2.0
#include "core/cpio_newc.h"

#include <fmt/format.h>

#include <algorithm>

namespace warmboot {
namespace {

constexpr size_t kFileSizeAt = 54;  // c_filesize, 8 hex digits
constexpr size_t kNameSizeAt = 94;  // c_namesize
constexpr uint64_t kMaxNameSize = 4096;
constexpr std::string_view kTrailer = "TRAILER!!!";

uint64_t pad4(uint64_t n) {
  return (n + 3) & ~uint64_t{3};
}

bool parse_hex8(std::string_view text, uint64_t* out) {
  uint64_t value = 0;
  for (char c : text) {
    int digit = c >= '0' && c <= '9'   ? c - '0'
                : c >= 'a' && c <= 'f' ? c - 'a' + 10
                : c >= 'A' && c <= 'F' ? c - 'A' + 10
                                       : -1;
    if (digit < 0) return false;
    value = value * 16 + static_cast<uint64_t>(digit);
  }
  *out = value;
  return true;
}

Error cpio_error(uint64_t at, std::string message) {
  return make_error("cpio", fmt::format("offset {:#x}: {}", at, message));
}

}  // namespace

std::string normalize_cpio_name(std::string_view name) {
  while (name.starts_with("./")) name.remove_prefix(2);
  while (name.starts_with("/")) name.remove_prefix(1);
  return std::string(name == "." ? std::string_view{} : name);
}

Status CpioNewcScanner::take_header() {
  std::string_view header = buffer_;
  if (header.substr(0, 6) != "070701" && header.substr(0, 6) != "070702")
    return cpio_error(header_at_, "not a newc cpio header");
  uint64_t file_size = 0;
  if (!parse_hex8(header.substr(kFileSizeAt, 8), &file_size) ||
      !parse_hex8(header.substr(kNameSizeAt, 8), &name_size_)) {
    return cpio_error(header_at_, "bad hex digits in the header");
  }
  if (name_size_ == 0 || name_size_ > kMaxNameSize)
    return cpio_error(header_at_, fmt::format("bad name size {}", name_size_));
  name_bytes_ = pad4(kNewcHeaderSize + name_size_) - kNewcHeaderSize;
  skip_ = pad4(file_size);
  return {};
}

Result<size_t> CpioNewcScanner::feed(std::string_view bytes) {
  size_t i = 0;
  while (i < bytes.size() && !foreign_) {
    switch (state_) {
      case State::Between: {
        if (bytes[i] == '\0') {
          ++i;
          break;
        }
        header_at_ = position_ + i;
        state_ = State::Header;
        buffer_.clear();
        break;
      }
      case State::Header: {
        size_t take = std::min(bytes.size() - i, kNewcHeaderSize - buffer_.size());
        buffer_.append(bytes.substr(i, take));
        i += take;
        // A new archive that does not start with a newc magic ends the cpio part of the stream.
        if (!in_archive_ && buffer_.size() >= 6 && buffer_.substr(0, 4) != "0707") {
          foreign_ = true;
          const uint64_t start = position_;
          position_ = header_at_;
          return static_cast<size_t>(header_at_ > start ? header_at_ - start : 0);
        }
        if (buffer_.size() < kNewcHeaderSize) break;
        if (auto status = take_header(); !status.ok()) return status.error();
        buffer_.clear();
        state_ = State::Name;
        break;
      }
      case State::Name: {
        size_t take = std::min<uint64_t>(bytes.size() - i, name_bytes_ - buffer_.size());
        buffer_.append(bytes.substr(i, take));
        i += take;
        if (buffer_.size() < name_bytes_) break;
        std::string_view name = std::string_view(buffer_).substr(0, name_size_);
        if (!name.empty() && name.back() == '\0') name.remove_suffix(1);
        if (name == kTrailer) {
          ++archives_;
          in_archive_ = false;
          state_ = State::Between;
          // The trailer's data (normally none) is skipped like any other.
          if (skip_ > 0) state_ = State::Data;
          break;
        }
        if (names_.size() >= kMaxCpioNames) return cpio_error(header_at_, "too many entries");
        in_archive_ = true;
        std::string normalized = normalize_cpio_name(name);
        names_total_ += normalized.size();
        if (names_total_ > kMaxCpioNameBytes)
          return cpio_error(header_at_, "entry names too long in all");
        if (!normalized.empty()) names_.push_back(std::move(normalized));
        state_ = skip_ > 0 ? State::Data : State::Header;
        buffer_.clear();
        header_at_ = position_ + i;
        break;
      }
      case State::Data: {
        uint64_t take = std::min<uint64_t>(bytes.size() - i, skip_);
        skip_ -= take;
        i += take;
        if (skip_ == 0) {
          state_ = in_archive_ ? State::Header : State::Between;
          buffer_.clear();
          header_at_ = position_ + i;
        }
        break;
      }
    }
  }
  position_ += i;
  return i;
}

Status CpioNewcScanner::finish() const {
  if (state_ == State::Between && !in_archive_) return {};
  if (in_archive_ && state_ == State::Header && buffer_.empty())
    return cpio_error(position_, "archive ends without TRAILER!!!");
  return cpio_error(position_, "truncated entry");
}

}  // namespace warmboot
