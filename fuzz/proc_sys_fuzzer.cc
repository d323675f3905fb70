// SPDX-License-Identifier: Apache-2.0
// The small files of /proc, /sys and /etc that core reads about the running machine: kexec_loaded,
// lockdown, efivarfs SecureBoot, numeric sysctls, /proc/PID/stat and status, /proc/modules,
// /proc/meminfo, /proc/mounts, the IMA policy, the kernel's .config (KernelConfig::parse),
// crypttab (tpm2_unlocked_volumes), systemd's time spans and version; then read_machine_facts,
// detect_root_storage, default_timeout_stop, find_kernel_config and sibling_shutdown_hooks on a
// fake root built from the input.
//
// Input: parts "PATH\nCONTENT" separated by "\n@@\n" (see fuzz_support.h); every parser also
// reads each part's content as its own file. Properties: a parsed number or flag prints back as
// the text it came from; KernelConfig::enabled agrees with value.
#include <string>

#include "core/check_drivers.h"
#include "core/check_kernel_support.h"
#include "core/check_plan_files.h"
#include "core/check_tpm_unlock.h"
#include "core/enable_setup.h"
#include "core/kernel_config.h"
#include "core/logind_policy.h"
#include "core/machine_facts.h"
#include "core/root_storage.h"
#include "core/shutdown_siblings.h"
#include "core/signature_policy.h"
#include "core/systemd_config.h"
#include "core/text.h"
#include "fuzz_support.h"

namespace warmboot {
namespace {

void parse_text(std::string_view text) {
  if (auto loaded = parse_kexec_loaded(text)) FUZZ_CHECK(trim(text) == (*loaded ? "1" : "0"));
  (void)to_string(parse_lockdown(text));
  if (auto on = parse_secure_boot_efivar(text)) FUZZ_CHECK(*on == (text[4] == 1));
  if (auto number = parse_proc_long(text))
    FUZZ_CHECK(std::to_string(*number) == trim(text) || trim(text).starts_with('0') ||
               trim(text).starts_with("-0"));
  KernelConfig config = KernelConfig::parse(text);
  for (const char* name : {"CONFIG_KEXEC_FILE", "CONFIG_KEXEC", "CONFIG_KEXEC_SIG_FORCE"}) {
    std::string value = config.value(name);
    FUZZ_CHECK(config.enabled(name) == (value == "y" || value == "m"));
  }
  (void)tpm2_unlocked_volumes(text);
  (void)loaded_modules(text);
  (void)status_field(text, "CapEff");
  (void)meminfo_bytes(text, "MemAvailable");
  (void)root_device_from_mounts(text);
  (void)parse_stat_pid(text);
  (void)parse_stat_ppid(text);
  (void)ima_policy_appraises_kexec(text);
  (void)parse_timespan(text);
  (void)parse_systemd_version(text);
  (void)is_earlier_drop_in_text(text);
}

}  // namespace
}  // namespace warmboot

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace warmboot;
  const std::string_view input = fuzz::as_text(data, size);
  for (std::string_view part : fuzz::split_parts(input, 32)) {
    size_t eol = part.find('\n');
    parse_text(eol == std::string_view::npos ? part : part.substr(eol + 1));
  }
  parse_text(input);

  FakeFileSystem fs;
  fuzz::add_files_from_parts(fs, input, 32);
  MachineFacts facts = read_machine_facts(fs, nullptr);
  (void)to_string(facts.lockdown);
  (void)check_kexec_sysctls(facts);
  (void)detect_root_storage(fs);
  (void)default_timeout_stop(fs);
  (void)sibling_shutdown_hooks(fs);
  (void)check_tpm_unlock(fs);
  (void)check_privileges(fs);
  (void)check_drivers(fs);
  (void)to_string(enable_state(fs));
  (void)check_kexec_syscalls(find_kernel_config(fs, facts.release(), std::string(input)));
  return 0;
}
