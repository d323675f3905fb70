// SPDX-License-Identifier: Apache-2.0
#include "os/systemd_unit_control.h"

#include <systemd/sd-bus.h>
#include <unistd.h>

#include <cstring>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "os/sd_bus_handles.h"

namespace warmboot {
namespace {

constexpr const char* kSystemctl = "/usr/bin/systemctl";

Error bus_error(const std::string& op, int r, const std::string& message) {
  return errno_error(op, -r, {}, message, "is systemd running?");
}

}  // namespace

SystemdUnitControl::~SystemdUnitControl() {
  sd_bus_flush_close_unref(bus_);
}

Result<sd_bus*> SystemdUnitControl::bus() {
  if (bus_) return bus_;
  if (::geteuid() == 0 && sd_bus_new(&bus_) >= 0) {
    if (sd_bus_set_address(bus_, "unix:path=/run/systemd/private") >= 0 && sd_bus_start(bus_) >= 0)
      return bus_;
    bus_ = sd_bus_unref(bus_);
  }
  int r = sd_bus_open_system(&bus_);
  if (r < 0) {
    bus_ = nullptr;
    return bus_error("sd_bus_open_system", r, "cannot reach PID 1");
  }
  return bus_;
}

Result<std::string> SystemdUnitControl::active_state(const std::string& unit) {
  auto b = bus();
  if (!b) return b.error();
  BusError error;
  BusMessage reply;
  int r = sd_bus_call_method(*b, kSystemd, kSystemdPath, kSdBusSystemdClient, "GetUnit", &error.e,
                             &reply.m, "s", unit.c_str());
  if (r < 0) {
    if (sd_bus_error_has_name(&error.e, "org.freedesktop.systemd1.NoSuchUnit"))
      return std::string("inactive");
    return bus_error("GetUnit", r, fmt::format("{}: {}", unit, error.text(r)));
  }
  const char* path = nullptr;
  if ((r = sd_bus_message_read(reply.m, "o", &path)) < 0)
    return bus_error("GetUnit", r, "unexpected reply");
  BusError prop_error;
  char* state = nullptr;
  r = sd_bus_get_property_string(*b, kSystemd, path, "org.freedesktop.systemd1.Unit", "ActiveState",
                                 &prop_error.e, &state);
  if (r < 0) return bus_error("ActiveState", r, fmt::format("{}: {}", unit, prop_error.text(r)));
  std::string out = state ? state : "";
  free(state);
  return out;
}

Result<std::vector<UnitJob>> SystemdUnitControl::jobs() {
  auto b = bus();
  if (!b) return b.error();
  BusError error;
  BusMessage reply;
  int r = sd_bus_call_method(*b, kSystemd, kSystemdPath, kSdBusSystemdClient, "ListJobs", &error.e,
                             &reply.m, "");
  if (r < 0) return bus_error("ListJobs", r, error.text(r));
  std::vector<UnitJob> out;
  if ((r = sd_bus_message_enter_container(reply.m, 'a', "(usssoo)")) < 0)
    return bus_error("ListJobs", r, "unexpected reply");
  for (;;) {
    uint32_t id = 0;
    const char *unit = nullptr, *type = nullptr, *state = nullptr, *job = nullptr, *upath = nullptr;
    r = sd_bus_message_read(reply.m, "(usssoo)", &id, &unit, &type, &state, &job, &upath);
    if (r < 0) return bus_error("ListJobs", r, "unexpected reply");
    if (r == 0) break;
    out.push_back(UnitJob{id, unit ? unit : "", type ? type : ""});
  }
  return out;
}

Status SystemdUnitControl::systemctl(const std::vector<std::string>& args) {
  std::vector<std::string> argv{kSystemctl};
  argv.insert(argv.end(), args.begin(), args.end());
  auto status = runner_.run(argv);
  if (!status) return status.error();
  if (*status != 0) {
    return make_error(
        "systemctl",
        fmt::format("`systemctl {}` failed with exit status {}", fmt::join(args, " "), *status),
        "see `journalctl -b` for why");
  }
  return {};
}

Status SystemdUnitControl::isolate(const std::string& unit) {
  return systemctl({"isolate", unit});
}
Status SystemdUnitControl::reload() {
  return systemctl({"daemon-reload"});
}
Status SystemdUnitControl::start(const std::string& unit) {
  return systemctl({"start", unit});
}
Status SystemdUnitControl::stop(const std::string& unit) {
  return systemctl({"stop", unit});
}

}  // namespace warmboot
