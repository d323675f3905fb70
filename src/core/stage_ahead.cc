// SPDX-License-Identifier: Apache-2.0
#include "core/stage_ahead.h"

#include <algorithm>

#include <fmt/format.h>

#include "core/downtime_history.h"
#include "core/enable_setup.h"
#include "core/kernel_preparation.h"
#include "core/little_endian.h"
#include "core/state_paths.h"

namespace warmboot {
namespace {

constexpr uint64_t kHeadBytes = 64 * 1024;  // what inspect_kernel_image wants to see

std::string size_text(uint64_t bytes) {
  const double b = static_cast<double>(bytes);
  if (bytes >= (1ull << 30)) return fmt::format("{:.1f} GiB", b / (1ull << 30));
  if (bytes >= (1ull << 20)) return fmt::format("{:.1f} MiB", b / (1ull << 20));
  return fmt::format("{:.1f} KiB", b / 1024);
}

// "68.3 MiB payload, 1.2% of 5.6 GiB MemAvailable", or what of it is known.
std::string numbers(const StageAheadDecision& d) {
  const std::string payload = d.payload ? size_text(*d.payload) + " payload" : "payload unknown";
  if (!d.mem_available) return payload + ", MemAvailable unknown";
  if (!d.payload || *d.mem_available == 0)
    return fmt::format("{}, {} MemAvailable", payload, size_text(*d.mem_available));
  const double share =
      100.0 * static_cast<double>(*d.payload) / static_cast<double>(*d.mem_available);
  return fmt::format("{}, {:.1f}% of {} MemAvailable", payload, share, size_text(*d.mem_available));
}

bool leaves_headroom(uint64_t payload, uint64_t available) {
  return available >= payload && available - payload >= kStageAheadMinHeadroom;
}

// A little-endian 32-bit value at `offset` of the file, if it lies inside.
std::optional<uint64_t> le32_at(const FileSystem& fs, const std::string& path, uint64_t offset,
                                uint64_t file_size) {
  if (offset + 4 > file_size) return std::nullopt;
  auto bytes = fs.read_range(path, offset, 4);
  if (!bytes || bytes->size() != 4) return std::nullopt;
  return read_le(*bytes, 0, 4);
}

}  // namespace

StageAheadDecision decide_stage_ahead(StageAhead setting, std::optional<uint64_t> payload,
                                      std::optional<uint64_t> mem_available) {
  StageAheadDecision d{setting, false, payload, mem_available, {}};
  switch (setting) {
    case StageAhead::On:
      d.ahead = true;
      return d;
    case StageAhead::Off:
      return d;
    case StageAhead::Auto:
      break;
  }
  if (!payload) {
    d.why_not = "payload unknown";
  } else if (!mem_available) {
    d.why_not = "MemAvailable unknown";
  } else if (*payload * 100 > *mem_available * kStageAheadMaxPercent) {
    d.why_not = fmt::format("over {}%", kStageAheadMaxPercent);
  } else if (!leaves_headroom(*payload, *mem_available)) {
    d.why_not = fmt::format("less than {} would remain", size_text(kStageAheadMinHeadroom));
  } else {
    d.ahead = true;
  }
  return d;
}

StageAheadDecision decide_stage_ahead(const FileSystem& fs, const MachineFacts& machine,
                                      StageAhead setting, const Plan& plan) {
  if (setting == StageAhead::Off) return decide_stage_ahead(setting, std::nullopt, std::nullopt);
  return decide_stage_ahead(setting, staged_payload_bytes(fs, plan, machine.arch),
                            machine.mem_available);
}

std::optional<uint64_t> recorded_unpacked_size(const FileSystem& fs, const std::string& path,
                                               const KernelImageInfo& info, uint64_t file_size) {
  std::optional<uint64_t> size;
  uint64_t compressed = file_size;
  if (info.format == KernelImageInfo::Format::Compressed && info.compression == "gzip") {
    if (file_size >= 4) size = le32_at(fs, path, file_size - 4, file_size);
  } else if (info.format == KernelImageInfo::Format::Zboot && info.payload_size >= 4) {
    compressed = info.payload_size;
    const uint64_t end = info.payload_offset + info.payload_size;
    // gzip's own trailer ends the payload; any other method has the size appended after it, left
    // out of the header's payload size.
    size = le32_at(fs, path, info.compression == "gzip" ? end - 4 : end, file_size);
  }
  if (!size || *size <= compressed || *size > kMaxUnpackedKernelBytes) return std::nullopt;
  return size;
}

uint64_t bzimage_init_size(std::string_view head) {
  // init_size (boot protocol 2.10 and later) at 0x260 of the setup header.
  constexpr size_t kInitSize = 0x260;
  if (head.size() < kInitSize + 4) return 0;
  return read_le(head, kInitSize, 4);
}

std::optional<uint64_t> staged_payload_bytes(const FileSystem& fs, const Plan& plan,
                                             std::string_view machine_arch) {
  auto kernel = fs.stat(plan.kernel);
  if (!kernel) return std::nullopt;
  uint64_t total = kernel->size;
  if (!plan.uki) {
    auto head = fs.read_prefix(plan.kernel, kHeadBytes);
    auto info = head ? inspect_kernel_image(*head) : Result<KernelImageInfo>(head.error());
    if (info && kernel_preparation(*info, machine_arch) != KernelPreparation::AsIs) {
      if (auto unpacked = recorded_unpacked_size(fs, plan.kernel, *info, kernel->size))
        total = *unpacked;
    } else if (info && info->format == KernelImageInfo::Format::BzImage) {
      total = std::max(total, bzimage_init_size(*head));
    }
  }
  for (const auto& path : plan.initrds) {
    auto initrd = fs.stat(path);
    if (!initrd) return std::nullopt;
    total += initrd->size;
  }
  return total;
}

std::string describe(const StageAheadDecision& d) {
  switch (d.setting) {
    case StageAhead::Off:
      return "off (config) -> staged on the way down";
    case StageAhead::On:
      return "on (config): " + numbers(d) + " -> staged ahead after boot";
    case StageAhead::Auto:
      break;
  }
  if (d.ahead) return "auto: " + numbers(d) + " -> staged ahead after boot";
  std::string line = "auto: " + numbers(d) + " -> staged on the way down";
  if (d.payload && d.mem_available) line += " (" + d.why_not + ")";
  return line;
}

CheckResult check_stage_ahead(const FileSystem& fs, const MachineFacts& machine, StageAhead setting,
                              const Plan& plan) {
  const char* name = "stage-ahead";
  const StageAheadDecision d = decide_stage_ahead(fs, machine, setting, plan);
  std::string seen = describe(d);
  if (enable_state(fs) != EnableState::Enabled)
    seen += " (not enabled: applies after `warmboot enable`)";
  if (setting == StageAhead::On && d.payload && d.mem_available &&
      !leaves_headroom(*d.payload, *d.mem_available)) {
    return check_warn(name, seen,
                      fmt::format("less than {} of MemAvailable would remain: set [handover] "
                                  "stage_ahead = \"auto\" to stage on the way down here",
                                  size_text(kStageAheadMinHeadroom)));
  }
  return check_ok(name, seen);
}

RefreshAction decide_refresh(const RefreshFacts& f) {
  if (f.reboot_under_way) return RefreshAction::LeaveAlone;
  if (f.loaded && !f.ours) return RefreshAction::LeaveAlone;
  if (f.loaded && f.staged_is_plan) return RefreshAction::Nothing;
  if (f.stage_ahead && f.have_plan) return RefreshAction::Stage;
  return f.loaded ? RefreshAction::Unload : RefreshAction::Nothing;
}

bool reboot_under_way(const FileSystem& fs, const std::string& boot_id) {
  if (fs.exists(kRebootMarker)) return true;
  auto handover = read_handover(fs);
  return handover && !boot_id.empty() && handover->boot_id == boot_id;
}

}  // namespace warmboot
