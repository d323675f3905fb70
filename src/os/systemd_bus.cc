// SPDX-License-Identifier: Apache-2.0
#include "os/systemd_bus.h"

#include <systemd/sd-bus.h>
#include <unistd.h>

#include "core/logind_policy.h"
#include "os/sd_bus_handles.h"

namespace warmboot {
namespace {

constexpr const char* kPrivateSocket = "unix:path=/run/systemd/private";

Result<sd_bus*> open_system_bus(sd_bus** slot) {
  int r = sd_bus_open_system(slot);
  if (r < 0) {
    *slot = nullptr;
    return bus_failure("sd_bus_open_system", r, {}, "cannot connect to the system bus",
                       "is dbus running? (without it, root still reaches PID 1 directly)");
  }
  return *slot;
}

}  // namespace

BusConnection::~BusConnection() {
  sd_bus_flush_close_unref(pid1_);
  sd_bus_flush_close_unref(system_);
}

Result<sd_bus*> BusConnection::pid1() {
  if (pid1_) return pid1_;
  if (::geteuid() == 0 && sd_bus_new(&pid1_) >= 0) {
    if (sd_bus_set_address(pid1_, kPrivateSocket) >= 0 && sd_bus_start(pid1_) >= 0) return pid1_;
    pid1_ = sd_bus_unref(pid1_);
  }
  auto bus = open_system_bus(&pid1_);
  if (!bus) {
    Error e = bus.error();
    e.message = "cannot reach PID 1 (neither /run/systemd/private nor the system bus)";
    e.remedy = "is systemd running this machine? use --force to hand over without it";
    return e;
  }
  return bus;
}

Result<sd_bus*> BusConnection::system() {
  if (system_) return system_;
  return open_system_bus(&system_);
}

Result<std::optional<std::string>> unit_object_path(sd_bus* bus, const std::string& unit) {
  BusError error;
  BusMessage reply;
  int r = sd_bus_call_method(bus, kSystemd, kSystemdPath, kSystemdManager, "GetUnit", &error.e,
                             &reply.m, "s", unit.c_str());
  if (r < 0) {
    if (error.name() == "org.freedesktop.systemd1.NoSuchUnit") return std::optional<std::string>{};
    return bus_failure(std::string(kSystemdManager) + ".GetUnit(" + unit + ")", r, error.name(),
                       error.message());
  }
  const char* path = nullptr;
  r = sd_bus_message_read(reply.m, "o", &path);
  if (r < 0 || !path) return bus_failure("GetUnit", r < 0 ? r : -EBADMSG, {}, "bad reply");
  return std::optional<std::string>{path};
}

}  // namespace warmboot
