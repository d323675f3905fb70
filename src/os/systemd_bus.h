// SPDX-License-Identifier: Apache-2.0
// Connections to systemd over sd-bus, shared by the D-Bus clients (SdBusSystemdClient,
// SystemdUnitControl): PID 1 through its private socket when root (as systemctl does: it works
// without a D-Bus daemon, on minimal installs and late in a shutdown when dbus.service is gone),
// else through the system bus; logind only through the system bus.
#pragma once

#include <optional>
#include <string>

#include "core/result.h"

struct sd_bus;

namespace warmboot {

// An sd_bus connection, flushed and closed when it goes.
class BusConnection {
 public:
  BusConnection() = default;
  ~BusConnection();
  BusConnection(const BusConnection&) = delete;
  BusConnection& operator=(const BusConnection&) = delete;

  // PID 1: /run/systemd/private (as root), else the system bus. Opened once, then reused.
  Result<sd_bus*> pid1();
  // The system bus (logind lives only there). Opened once, then reused.
  Result<sd_bus*> system();

 private:
  sd_bus* pid1_ = nullptr;
  sd_bus* system_ = nullptr;
};

// PID 1's GetUnit: the unit's object path; nullopt when no such unit is loaded.
Result<std::optional<std::string>> unit_object_path(sd_bus* bus, const std::string& unit);

}  // namespace warmboot
