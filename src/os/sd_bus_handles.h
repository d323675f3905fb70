// SPDX-License-Identifier: Apache-2.0
// Scope-bound sd-bus error and message handles, and PID 1's bus names, shared by the D-Bus clients
// (sd_bus_systemd_client, systemd_boot_times, systemd_unit_control).
#pragma once

#include <systemd/sd-bus.h>

#include <cstring>
#include <string>
#include <string_view>

namespace warmboot {

inline constexpr const char* kSystemd = "org.freedesktop.systemd1";
inline constexpr const char* kSystemdPath = "/org/freedesktop/systemd1";
inline constexpr const char* kSystemdManager = "org.freedesktop.systemd1.Manager";

// An sd_bus_error freed at scope exit.
struct BusError {
  sd_bus_error e = SD_BUS_ERROR_NULL;
  BusError() = default;
  BusError(const BusError&) = delete;
  BusError& operator=(const BusError&) = delete;
  ~BusError() { sd_bus_error_free(&e); }
  std::string_view name() const { return e.name ? e.name : ""; }
  std::string_view message() const { return e.message ? e.message : ""; }
  // The bus's message, or the errno text of the call's negative return value.
  std::string text(int r) const { return e.message ? e.message : std::strerror(-r); }
};

// An sd_bus_message reference dropped at scope exit.
struct BusMessage {
  sd_bus_message* m = nullptr;
  BusMessage() = default;
  BusMessage(const BusMessage&) = delete;
  BusMessage& operator=(const BusMessage&) = delete;
  ~BusMessage() { sd_bus_message_unref(m); }
};

}  // namespace warmboot
