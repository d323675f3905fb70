// SPDX-License-Identifier: Apache-2.0
// Staging ahead: once warm reboots are enabled, whether the next kernel is staged after boot
// (warmboot-stage-ahead.service) or on the way down of the reboot. One decision, taken the same way
// by the stage-ahead unit, `enable`, `refresh` and `check`; and what `refresh` then does with a
// staged kernel when the boot loader's choice or the plan's files change.
//
// Staging ahead takes the staging time (reading and copying the kernel and initrds, decompressing
// an arm64 image) out of every reboot's downtime. Its price: kexec_file_load copies the kernel and
// initrds into kernel memory, and they stay there, neither reclaimable nor swappable, until the
// reboot or an unload. [handover] stage_ahead = "auto" (the default) pays it only when the machine
// cannot feel it:
//
//   payload <= kStageAheadMaxPercent (2) % of MemAvailable, and
//   MemAvailable - payload >= kStageAheadMinHeadroom (256 MiB).
//
// Why these: 2 % is well inside the swings MemAvailable goes through anyway (page cache, slab,
// tmpfs), so nothing sized against the machine's memory (a JVM heap, a database buffer pool, a
// container limit) comes up short for it, while the pinned pages are the same ones the way down
// would take anyway, just for longer. A Debian amd64 kernel with its initrd is 40-80 MiB: machines
// with more than 2-4 GiB available stage ahead, small VMs keep staging on the way down as before.
// The 256 MiB floor keeps a machine that is nearly out of memory from pinning anything, however
// small. "true" stages ahead whatever the numbers ("check" warns when it leaves less than the
// floor), "false" never.
//
// The payload is the plan's files as they are now: the kernel image (a compressed arm64 Image or
// EFI zboot image at its decompressed size when the file records it, an x86 bzImage at its
// init_size when that is larger, else the file's size) and every initrd. MemAvailable is read when
// the decision is taken; a kernel staged already counts against it, so a decision on the edge may
// come out differently after staging.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "core/check.h"
#include "core/config.h"
#include "core/filesystem.h"
#include "core/kernel_image.h"
#include "core/machine_facts.h"
#include "core/plan.h"

namespace warmboot {

inline constexpr uint64_t kStageAheadMaxPercent = 2;
inline constexpr uint64_t kStageAheadMinHeadroom = 256ull << 20;

struct StageAheadDecision {
  StageAhead setting = StageAhead::Auto;
  bool ahead = false;                     // staged after boot; else on the way down
  std::optional<uint64_t> payload;        // bytes staging pins; nullopt: a file could not be seen
  std::optional<uint64_t> mem_available;  // MemAvailable in bytes; nullopt: unknown
  // Why "auto" left it to the way down: "over 2%", "less than 256 MiB would remain",
  // "MemAvailable unknown", "payload unknown"; empty otherwise.
  std::string why_not;

  bool operator==(const StageAheadDecision&) const = default;
};

// The rule alone.
StageAheadDecision decide_stage_ahead(StageAhead setting, std::optional<uint64_t> payload,
                                      std::optional<uint64_t> mem_available);

// The rule for `plan` on this machine: its payload read through `fs`, MemAvailable from the facts.
StageAheadDecision decide_stage_ahead(const FileSystem& fs, const MachineFacts& machine,
                                      StageAhead setting, const Plan& plan);

// What staging `plan` pins in kernel memory, as its files are now (see above); `machine_arch`
// decides whether the kernel is decompressed first (core/kernel_preparation.h). nullopt when a file
// cannot be looked at.
std::optional<uint64_t> staged_payload_bytes(const FileSystem& fs, const Plan& plan,
                                             std::string_view machine_arch);

// An x86 bzImage's init_size (setup header, 0x260): the memory kexec_file_load reserves for the
// kernel's segment, more than the file's size, as the kernel decompresses itself in place. 0 when
// the head is too short.
uint64_t bzimage_init_size(std::string_view head);

// The decompressed size a compressed kernel image records (`info` is inspect_kernel_image of the
// file's head), its last bytes read through `fs`: gzip's ISIZE trailer (an Image.gz, a gzip zboot
// payload), or the 32-bit size the kernel's build appends after any other zboot payload
// (drivers/firmware/efi/libstub/Makefile.zboot). nullopt when the format records none, or the
// value is not plausible (no larger than the compressed data, or above kMaxUnpackedKernelBytes).
std::optional<uint64_t> recorded_unpacked_size(const FileSystem& fs, const std::string& path,
                                               const KernelImageInfo& info, uint64_t file_size);

// One line: "auto: 68.3 MiB payload, 1.2% of 5.6 GiB MemAvailable -> staged ahead after boot",
// "auto: ... -> staged on the way down (over 2%)", "on (config): ...", "off (config) -> staged on
// the way down".
std::string describe(const StageAheadDecision& decision);

// "stage-ahead": the decision and its numbers; Ok, but Warn when "true" pins so much that less
// than kStageAheadMinHeadroom of MemAvailable would remain. Says so when warm reboots are not
// enabled (nothing is staged ahead then).
CheckResult check_stage_ahead(const FileSystem& fs, const MachineFacts& machine, StageAhead setting,
                              const Plan& plan);

// What `warmboot refresh` does (run by the kernel and initramfs hooks, and by
// warmboot-refresh.path when the boot loader's choice changes).
enum class RefreshAction {
  Nothing,     // nothing staged and nothing to stage ahead, or the staged kernel is still the plan
  LeaveAlone,  // another tool's kernel, or a reboot under way is handing over to the staged one
  Stage,       // stage the plan: it is to be staged ahead, and what is staged (if any) is not it
  Unload,      // the staged kernel is stale and nothing is to be staged ahead in its place
};

struct RefreshFacts {
  bool loaded = false;            // the kernel reports a staged image
  bool ours = false;              // warmboot's record describes it
  bool reboot_under_way = false;  // see reboot_under_way()
  bool have_plan = false;         // what the boot loader would boot could be told
  bool staged_is_plan = false;    // the record is of this plan, this boot, from unchanged files
  bool stage_ahead = false;       // enabled, and the decision for the plan says ahead
};

RefreshAction decide_refresh(const RefreshFacts& facts);

// A reboot is handing over to the staged kernel in this boot: the shutdown hook's mark exists, or
// the handover record was written in boot `boot_id`. The handover clears the boot loader's
// one-time choice (core/one_shot.h), which changes the plan: refresh must not answer that by
// restaging or unloading under the handover's feet.
bool reboot_under_way(const FileSystem& fs, const std::string& boot_id);

}  // namespace warmboot
