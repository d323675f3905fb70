// SPDX-License-Identifier: Apache-2.0
#include "core/logind_policy.h"

#include <cstring>

#include <fmt/format.h>

namespace warmboot {

int parse_systemd_version(std::string_view version) {
  int value = 0;
  size_t i = 0;
  for (; i < version.size() && version[i] >= '0' && version[i] <= '9' && value < 100000; ++i)
    value = value * 10 + (version[i] - '0');
  return i == 0 ? 0 : value;
}

uint64_t logind_reboot_flags(bool kexec, bool ignore_inhibitors, int systemd_version) {
  uint64_t flags = 0;
  if (kexec) flags |= kLogindKexecReboot;
  if (!ignore_inhibitors) {
    flags |= kLogindRootCheckInhibitors;
  } else if (systemd_version >= kSystemdWithSkipInhibitors) {
    flags |= kLogindSkipInhibitors;
  }
  return flags;
}

bool is_shutdown_blocker(const Inhibitor& inhibitor) {
  if (inhibitor.mode != "block") return false;
  std::string_view what = inhibitor.what;
  while (!what.empty()) {
    size_t colon = what.find(':');
    if (what.substr(0, colon) == "shutdown") return true;
    if (colon == std::string_view::npos) break;
    what.remove_prefix(colon + 1);
  }
  return false;
}

std::vector<Inhibitor> filter_shutdown_blockers(const std::vector<Inhibitor>& all) {
  std::vector<Inhibitor> out;
  for (const auto& inhibitor : all)
    if (is_shutdown_blocker(inhibitor)) out.push_back(inhibitor);
  return out;
}

std::string describe_inhibitor(const Inhibitor& i) {
  return fmt::format("\"{}\" (PID {}, UID {}): \"{}\"", i.who, i.pid, i.uid, i.why);
}

Error blocked_by_inhibitors(const std::vector<Inhibitor>& blockers) {
  std::string who;
  for (const auto& b : blockers) who += (who.empty() ? "" : "; ") + describe_inhibitor(b);
  return errno_error("inhibitors", EBUSY, {},
                     fmt::format("shutdown is blocked by {} inhibitor lock{}: {}", blockers.size(),
                                 blockers.size() == 1 ? "" : "s", who),
                     "wait for them to finish, or pass --ignore-inhibitors");
}

LogindFailure classify_logind_failure(std::string_view name, uint64_t flags_sent) {
  if (name == "org.freedesktop.DBus.Error.InvalidArgs" && (flags_sent & kLogindSkipInhibitors))
    return LogindFailure::RetryWithoutSkip;
  if (name == "org.freedesktop.DBus.Error.UnknownMethod" ||
      name == "org.freedesktop.DBus.Error.UnknownObject" ||
      name == "org.freedesktop.DBus.Error.UnknownInterface" ||
      name == "org.freedesktop.DBus.Error.ServiceUnknown" ||
      name == "org.freedesktop.DBus.Error.NameHasNoOwner")
    return LogindFailure::UseStartUnit;
  return LogindFailure::Fatal;
}

Error bus_failure(std::string op, int r, std::string_view name, std::string_view message,
                  std::string remedy) {
  int code = r < 0 ? -r : r;
  std::string text;
  if (!name.empty()) text = std::string(name);
  if (!message.empty()) text += (text.empty() ? "" : ": ") + std::string(message);
  if (text.empty()) text = std::strerror(code);
  return errno_error(std::move(op), code, {}, std::move(text), std::move(remedy));
}

}  // namespace warmboot
