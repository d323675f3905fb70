// SPDX-License-Identifier: Apache-2.0
#include "core/check_tpm_unlock.h"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "core/text.h"

namespace warmboot {
namespace {

constexpr uint64_t kMaxCrypttab = 1 << 20;

}  // namespace

std::vector<std::string> tpm2_unlocked_volumes(std::string_view crypttab) {
  std::vector<std::string> volumes;
  for (std::string_view line : split_lines(crypttab)) {
    line = trim(line);
    if (line.empty() || line.starts_with('#')) continue;
    auto f = split_words(line);
    if (f.size() < 4) continue;  // name, device, key file, options
    for (size_t at = 0; at < f[3].size();) {
      size_t comma = f[3].find(',', at);
      std::string_view option = f[3].substr(at, comma == f[3].npos ? f[3].npos : comma - at);
      if (option.starts_with("tpm2-device=")) {
        volumes.emplace_back(f[0]);
        break;
      }
      if (comma == f[3].npos) break;
      at = comma + 1;
    }
  }
  return volumes;
}

CheckResult check_tpm_unlock(const FileSystem& fs) {
  const char* name = "tpm-unlock";
  auto text = fs.read_file("/etc/crypttab", kMaxCrypttab);
  if (!text) return check_ok(name, "no /etc/crypttab");
  auto volumes = tpm2_unlocked_volumes(*text);
  if (volumes.empty()) return check_ok(name, "no volume is unlocked by a TPM2-sealed key");
  return check_warn(
      name,
      fmt::format("{} unlocked by a TPM2-sealed key (crypttab tpm2-device=): kexec does not reset "
                  "the PCRs, so after a warm reboot the unlock fails or asks for the passphrase",
                  fmt::join(volumes, ", ")),
      "enroll a recovery key or passphrase that someone can type, or seal to PCRs a warm boot "
      "reproduces (systemd-cryptenroll --tpm2-pcrs=; PCR 7 alone survives kexec unchanged), or "
      "reboot these machines cold");
}

}  // namespace warmboot
