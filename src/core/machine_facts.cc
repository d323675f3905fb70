// SPDX-License-Identifier: Apache-2.0
#include "core/machine_facts.h"

#include <cerrno>
#include <charconv>

#include "core/kernel_image.h"
#include "core/signature_policy.h"
#include "core/systemd_client.h"
#include "core/systemd_config.h"
#include "core/text.h"

namespace warmboot {
namespace {

constexpr uint64_t kSmallFile = 4096;
// boot_params (Documentation/arch/x86/boot.rst): type_of_loader at 0x210.
constexpr size_t kTypeOfLoader = 0x210;

std::string read_word(const FileSystem& fs, std::string_view path) {
  auto text = fs.read_file(path, kSmallFile);
  return text ? std::string(trim(*text)) : std::string();
}

std::optional<long> read_long(const FileSystem& fs, std::string_view path) {
  auto text = fs.read_file(path, kSmallFile);
  return text ? parse_proc_long(*text) : std::nullopt;
}

std::optional<bool> read_secure_boot(const FileSystem& fs) {
  if (auto bytes = fs.read_file(kSecureBootVar, kSmallFile))
    return parse_secure_boot_efivar(*bytes);
  if (!fs.is_dir("/sys/firmware/efi/efivars")) return std::nullopt;
  return false;  // efivarfs mounted, no SecureBoot variable: firmware without Secure Boot
}

std::optional<int> read_loader_type(const FileSystem& fs) {
  auto data = fs.read_file("/sys/kernel/boot_params/data", kSmallFile);
  if (!data || data->size() <= kTypeOfLoader) return std::nullopt;
  return static_cast<unsigned char>((*data)[kTypeOfLoader]);
}

}  // namespace

const char* to_string(Lockdown lockdown) {
  switch (lockdown) {
    case Lockdown::Unknown:
      return "not reported";
    case Lockdown::None:
      return "none";
    case Lockdown::Integrity:
      return "integrity";
    case Lockdown::Confidentiality:
      return "confidentiality";
  }
  return "?";
}

std::string first_line(const std::string& text) {
  return text.substr(0, text.find('\n'));
}

Result<RunningKernel> read_running_kernel(const FileSystem& fs) {
  auto release = fs.read_file("/proc/sys/kernel/osrelease", kSmallFile);
  if (!release) return release.error();
  auto cmdline = fs.read_file("/proc/cmdline", 65536);
  if (!cmdline) return cmdline.error();
  return RunningKernel{first_line(*release), first_line(*cmdline)};
}

MachineFacts read_machine_facts(const FileSystem& fs, SystemdClient* systemd) {
  MachineFacts facts;
  if (auto running = read_running_kernel(fs)) {
    facts.running = *running;
  } else {
    facts.running_error = running.error();
  }
  facts.boot_id = read_word(fs, "/proc/sys/kernel/random/boot_id");
  const std::string arch = read_word(fs, "/proc/sys/kernel/arch");
  facts.arch = arch.empty() ? std::string(native_arch()) : normalize_arch(arch);
  facts.kexec_load_disabled = read_long(fs, "/proc/sys/kernel/kexec_load_disabled");
  facts.kexec_load_limit_reboot = read_long(fs, "/proc/sys/kernel/kexec_load_limit_reboot");
  if (auto text = fs.read_file("/sys/kernel/security/lockdown", kSmallFile))
    facts.lockdown = parse_lockdown(*text);
  facts.efi = fs.is_dir("/sys/firmware/efi");
  facts.secure_boot = facts.efi ? read_secure_boot(fs) : std::optional<bool>(false);
  facts.loader_type = read_loader_type(fs);
  if (auto policy = fs.read_file("/sys/kernel/security/ima/policy", 1 << 20))
    facts.ima_appraises_kexec = ima_policy_appraises_kexec(*policy);
  // The running PID 1 says best which systemd performs the shutdown; under --root the installed
  // library's name tells.
  facts.booted_with_systemd =
      systemd ? systemd->booted_with_systemd() : fs.is_dir("/run/systemd/system");
  if (systemd) facts.systemd_version = systemd->version();
  if (facts.systemd_version <= 0) facts.systemd_version = systemd_version_from_files(fs);
  if (auto meminfo = fs.read_file("/proc/meminfo", 1 << 20))
    facts.mem_available = meminfo_bytes(*meminfo, "MemAvailable");
  return facts;
}

Result<bool> parse_kexec_loaded(std::string_view text) {
  text = trim(text);
  if (text == "1") return true;
  if (text == "0") return false;
  return errno_error("/sys/kernel/kexec_loaded", EINVAL, "/sys/kernel/kexec_loaded",
                     "unexpected contents");
}

Lockdown parse_lockdown(std::string_view text) {
  size_t open = text.find('[');
  size_t close = text.find(']', open == std::string_view::npos ? 0 : open);
  if (open == std::string_view::npos || close == std::string_view::npos) return Lockdown::Unknown;
  std::string_view mode = text.substr(open + 1, close - open - 1);
  if (mode == "none") return Lockdown::None;
  if (mode == "integrity") return Lockdown::Integrity;
  if (mode == "confidentiality") return Lockdown::Confidentiality;
  return Lockdown::Unknown;
}

std::optional<bool> parse_secure_boot_efivar(std::string_view bytes) {
  if (bytes.size() < 5) return std::nullopt;
  return bytes[4] == 1;
}

std::optional<long> parse_proc_long(std::string_view text) {
  text = trim(text);
  long number = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), number);
  if (text.empty() || ec != std::errc() || end != text.data() + text.size()) return std::nullopt;
  return number;
}

std::optional<uint64_t> meminfo_bytes(std::string_view meminfo, std::string_view key) {
  while (!meminfo.empty()) {
    size_t end = meminfo.find('\n');
    std::string_view line = meminfo.substr(0, end);
    meminfo = end == std::string_view::npos ? std::string_view{} : meminfo.substr(end + 1);
    if (!(line.size() > key.size() && line.starts_with(key) && line[key.size()] == ':')) continue;
    std::string_view rest = line.substr(key.size() + 1);
    while (!rest.empty() && rest.front() == ' ') rest.remove_prefix(1);
    uint64_t value = 0;
    auto [ptr, ec] = std::from_chars(rest.data(), rest.data() + rest.size(), value);
    if (ec != std::errc()) return std::nullopt;
    std::string_view unit = std::string_view(ptr, rest.data() + rest.size() - ptr);
    while (!unit.empty() && unit.front() == ' ') unit.remove_prefix(1);
    return unit.starts_with("kB") ? value * 1024 : value;
  }
  return std::nullopt;
}

}  // namespace warmboot
