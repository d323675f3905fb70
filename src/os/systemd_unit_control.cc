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

Result<std::string> SystemdUnitControl::active_state(const std::string& unit) {
  auto b = bus_.pid1();
  if (!b) return b.error();
  auto path = unit_object_path(*b, unit);
  if (!path) return path.error();
  if (!*path) return std::string("inactive");
  BusError prop_error;
  char* state = nullptr;
  int r =
      sd_bus_get_property_string(*b, kSystemd, (*path)->c_str(), "org.freedesktop.systemd1.Unit",
                                 "ActiveState", &prop_error.e, &state);
  if (r < 0) return bus_error("ActiveState", r, fmt::format("{}: {}", unit, prop_error.text(r)));
  std::string out = state ? state : "";
  free(state);
  return out;
}

Result<std::vector<UnitJob>> SystemdUnitControl::jobs() {
  auto b = bus_.pid1();
  if (!b) return b.error();
  BusError error;
  BusMessage reply;
  int r = sd_bus_call_method(*b, kSystemd, kSystemdPath, kSystemdManager, "ListJobs", &error.e,
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
