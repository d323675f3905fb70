// SPDX-License-Identifier: Apache-2.0
#include "os/sd_bus_systemd_client.h"

#include <systemd/sd-bus.h>

#include <cerrno>

#include "core/logind_policy.h"
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

SdBusSystemdClient::SdBusSystemdClient(const FileSystem& fs) : fs_(fs) {}

SdBusSystemdClient::~SdBusSystemdClient() = default;

bool SdBusSystemdClient::booted_with_systemd() {
  return fs_.is_dir("/run/systemd/system");
}

Status SdBusSystemdClient::reachable() {
  auto b = bus_.pid1();
  if (!b) return b.error();
  return {};
}

int SdBusSystemdClient::version() {
  auto b = bus_.pid1();
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

Result<std::vector<Inhibitor>> SdBusSystemdClient::list_inhibitors() {
  auto b = bus_.system();
  if (!b) return b.error();
  BusError error;
  BusMessage reply;
  int r = sd_bus_call_method(*b, kLogind, kLogindPath, kLogindManager, "ListInhibitors", &error.e,
                             &reply.m, "");
  if (r < 0) return logind_failure("ListInhibitors", r, error);
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

Result<std::vector<Inhibitor>> SdBusSystemdClient::shutdown_blockers() {
  auto all = list_inhibitors();
  if (!all) return all.error();
  return filter_shutdown_blockers(*all);
}

Status SdBusSystemdClient::start_unit(const char* unit) {
  auto b = bus_.pid1();
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

Status SdBusSystemdClient::reboot(bool kexec, bool ignore_inhibitors) {
  const char* target = kexec ? "kexec.target" : "reboot.target";
  auto b = bus_.system();
  if (!b) return start_unit(target);  // no D-Bus daemon: no logind either; PID 1 directly
  uint64_t flags = logind_reboot_flags(kexec, ignore_inhibitors, version());
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

Status SdBusSystemdClient::reboot_kexec(bool ignore_inhibitors) {
  return reboot(true, ignore_inhibitors);
}

Status SdBusSystemdClient::reboot_cold(bool ignore_inhibitors) {
  return reboot(false, ignore_inhibitors);
}

}  // namespace warmboot
