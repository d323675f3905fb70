// SPDX-License-Identifier: Apache-2.0
// What warmboot knows about the running machine, read once per run (read_machine_facts) and passed
// around as plain data: the running kernel, whether kexec is switched off, lockdown and Secure
// Boot, how this boot began, and which systemd runs it. `check`, the errno explanations, staging,
// the history and the systemd client all take their facts from here instead of reading /proc and
// /sys themselves. Whether a kernel is staged right now is not a fact of the run (it changes when
// warmboot stages): KexecInterface::is_loaded() reads it when it matters.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "core/filesystem.h"
#include "core/result.h"

namespace warmboot {

class SystemdClient;

enum class Lockdown { Unknown, None, Integrity, Confidentiality };
const char* to_string(Lockdown lockdown);

inline constexpr const char* kSecureBootVar =
    "/sys/firmware/efi/efivars/SecureBoot-8be4df61-93ca-11d2-aa0d-e0c9ade40c0c";

// What runs now, from /proc: the release and the command line it was booted with.
struct RunningKernel {
  std::string release;  // /proc/sys/kernel/osrelease, its first line
  std::string cmdline;  // /proc/cmdline, its first line, as read
};
Result<RunningKernel> read_running_kernel(const FileSystem& fs);

struct MachineFacts {
  RunningKernel running;  // empty strings when unreadable (running_error says why)
  std::optional<Error> running_error;
  std::string
      boot_id;  // /proc/sys/kernel/random/boot_id, as the kernel spells it; "" if unreadable
  // /proc/sys/kernel/arch ("aarch64") in KernelImageInfo::arch's words ("arm64"); the arch
  // warmboot was built for when unreadable. Decides what staging does with a kernel image.
  std::string arch;
  std::optional<long> kexec_load_disabled;      // 1: off until the next boot
  std::optional<long> kexec_load_limit_reboot;  // Linux 6.7+: -1 unlimited, N loads left
  Lockdown lockdown = Lockdown::Unknown;        // Unknown: no lockdown LSM or no securityfs
  bool efi = false;                             // /sys/firmware/efi exists
  std::optional<bool> secure_boot;  // false on BIOS; nullopt: EFI, but the variable is unreadable
  // boot_params' type_of_loader (x86): 0xD0 when kexec started this kernel, nullopt elsewhere.
  std::optional<int> loader_type;
  // An IMA policy appraises kexec images (core/signature_policy.h), as far as it can be read.
  bool ima_appraises_kexec = false;
  bool booted_with_systemd = false;  // /run/systemd/system
  int systemd_version = 0;           // the running PID 1 (installed files under --root); 0: unknown
  // /proc/meminfo's MemAvailable in bytes, as the run began; nullopt when unreadable. What a
  // staged kernel takes comes out of it (core/stage_ahead.h).
  std::optional<uint64_t> mem_available;

  const std::string& release() const { return running.release; }
  bool came_from_kexec() const { return loader_type && (*loader_type >> 4) == 0xD; }
  bool locked_down() const {
    return lockdown == Lockdown::Integrity || lockdown == Lockdown::Confidentiality;
  }
};

// Reads every fact through `fs` (inside --root); `systemd`, when given (on the host's root), says
// whether systemd runs the machine and PID 1's version.
MachineFacts read_machine_facts(const FileSystem& fs, SystemdClient* systemd);

// The parsers, one per file format.
// /sys/kernel/kexec_loaded: "0\n" or "1\n".
Result<bool> parse_kexec_loaded(std::string_view text);
// /sys/kernel/security/lockdown: the bracketed word of "none [integrity] confidentiality".
Lockdown parse_lockdown(std::string_view text);
// An efivarfs file: 4 bytes of attributes, then the data; SecureBoot's one data byte is 1 when on.
// nullopt when shorter than 5 bytes.
std::optional<bool> parse_secure_boot_efivar(std::string_view bytes);
// A decimal integer alone on its line ("-1\n"); nullopt for anything else.
std::optional<long> parse_proc_long(std::string_view text);
// A "Key:   123 kB" line of /proc/meminfo, in bytes.
std::optional<uint64_t> meminfo_bytes(std::string_view meminfo, std::string_view key);

}  // namespace warmboot
