#include "os/systemd_manager.h"

#include <systemd/sd-bus.h>

#include <cerrno>

#include "os/logind_policy.h"
#include "os/sd_bus_handles.h"

namespace warmboot {
namespace {

constexpr const char* kLogind = "org.freedesktop.login1";
constexpr const char* kLogindPath = "/org/freedesktop/login1";
constexpr const char* kLogindManager = "org.freedesktop.login1.Manager";

Error logind_failure(const char* method, int r, const BusError& error) {
  return bus_failure(std::string(kLogindManager) + "." + method, r, error.name(), error.message());
}

}  // namespace

SystemdManager::SystemdManager(const FileSystem& fs) : fs_(fs) {}

SystemdManager::~SystemdManager() {
  sd_bus_flush_close_unref(bus_);
}

Result<sd_bus*> SystemdManager::bus() {
  if (bus_) return bus_;
  int r = sd_bus_open_system(&bus_);
  if (r < 0) {
    bus_ = nullptr;
    return bus_failure("sd_bus_open_system", r, {}, "cannot connect to the system bus",
                       "is dbus running? warmboot's handover needs systemd and D-Bus");
  }
  return bus_;
}

bool SystemdManager::booted_with_systemd() {
  return fs_.is_dir("/run/systemd/system");
}

int SystemdManager::systemd_version() {
  auto b = bus();
  if (!b) return 0;
  BusError error;
  char* version = nullptr;
  int r = sd_bus_get_property_string(*b, kSystemd, kSystemdPath, kSystemdManager, "Version",
                                     &error.e, &version);
  if (r < 0) return 0;
  int parsed = parse_systemd_version(version ? version : "");
  free(version);
  return parsed;
}

Result<std::vector<Inhibitor>> SystemdManager::list_inhibitors(bool* logind_absent) {
  auto b = bus();
  if (!b) return b.error();
  BusError error;
  BusMessage reply;
  int r = sd_bus_call_method(*b, kLogind, kLogindPath, kLogindManager, "ListInhibitors", &error.e,
                             &reply.m, "");
  if (r < 0) {
    if (logind_absent)
      *logind_absent = classify_logind_failure(error.name(), 0) == LogindFailure::UseStartUnit;
    return logind_failure("ListInhibitors", r, error);
  }
  r = sd_bus_message_enter_container(reply.m, SD_BUS_TYPE_ARRAY, "(ssssuu)");
  if (r < 0) return bus_failure("ListInhibitors", r, {}, "cannot parse the reply");
  std::vector<Inhibitor> all;
  for (;;) {
    const char *what, *who, *why, *mode;
    uint32_t uid, pid;
    r = sd_bus_message_read(reply.m, "(ssssuu)", &what, &who, &why, &mode, &uid, &pid);
    if (r < 0) return bus_failure("ListInhibitors", r, {}, "cannot parse the reply");
    if (r == 0) break;
    all.push_back(Inhibitor{what, who, why, mode, uid, pid});
  }
  return all;
}

Result<std::vector<Inhibitor>> SystemdManager::shutdown_blockers() {
  auto all = list_inhibitors(nullptr);
  if (!all) return all.error();
  return filter_shutdown_blockers(*all);
}

Status SystemdManager::check_inhibitors(bool ignore_inhibitors) {
  if (ignore_inhibitors) return {};
  bool logind_absent = false;
  auto all = list_inhibitors(&logind_absent);
  if (!all) {
    if (logind_absent) return {};  // no logind on the bus: nobody can hold an inhibitor lock
    return all.error();
  }
  auto blockers = filter_shutdown_blockers(*all);
  if (!blockers.empty()) return blocked_by_inhibitors(blockers);
  return {};
}

Status SystemdManager::start_unit(const char* unit) {
  auto b = bus();
  if (!b) return b.error();
  BusError error;
  BusMessage reply;
  int r = sd_bus_call_method(*b, kSystemd, kSystemdPath, kSystemdManager, "StartUnit", &error.e,
                             &reply.m, "ss", unit, "replace-irreversibly");
  if (r < 0) {
    return bus_failure(std::string(kSystemdManager) + ".StartUnit(" + unit + ")", r, error.name(),
                       error.message(), "is systemd PID 1? see journalctl -b");
  }
  return {};
}

Status SystemdManager::reboot(bool kexec, bool ignore_inhibitors) {
  if (auto s = check_inhibitors(ignore_inhibitors); !s) return s;
  const char* target = kexec ? "kexec.target" : "reboot.target";
  if (kexec) {
    auto text = fs_.read_file("/sys/kernel/kexec_loaded", 64);
    if (!text || text->empty() || (*text)[0] != '1') {
      return errno_error("reboot_kexec", ENOENT, "/sys/kernel/kexec_loaded",
                         "no kernel is staged; a kexec reboot now would be a cold reboot",
                         "stage a kernel first");
    }
  }
  auto b = bus();
  if (!b) return b.error();
  uint64_t flags = logind_reboot_flags(kexec, ignore_inhibitors, systemd_version());
  for (;;) {
    BusError error;
    BusMessage reply;
    int r = sd_bus_call_method(*b, kLogind, kLogindPath, kLogindManager, "RebootWithFlags",
                               &error.e, &reply.m, "t", flags);
    if (r >= 0) return {};
    switch (classify_logind_failure(error.name(), flags)) {
      case LogindFailure::RetryWithoutSkip:
        flags &= ~kLogindSkipInhibitors;
        continue;
      case LogindFailure::UseStartUnit:
        return start_unit(target);
      case LogindFailure::Fatal:
        return logind_failure("RebootWithFlags", r, error);
    }
  }
}

Status SystemdManager::reboot_kexec(bool ignore_inhibitors) {
  return reboot(true, ignore_inhibitors);
}

Status SystemdManager::reboot_cold(bool ignore_inhibitors) {
  return reboot(false, ignore_inhibitors);
}

}  // namespace warmboot
