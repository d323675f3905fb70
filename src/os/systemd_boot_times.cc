// SPDX-License-Identifier: Apache-2.0
// SdBusSystemdClient's reading of boot timestamps: PID 1's Manager properties, as systemd-analyze
// reads them, and a unit's ActiveEnterTimestamp.
#include <systemd/sd-bus.h>

#include <cerrno>

#include "core/logind_policy.h"
#include "os/sd_bus_handles.h"
#include "os/sd_bus_systemd_client.h"

namespace warmboot {
namespace {

constexpr const char* kUnitInterface = "org.freedesktop.systemd1.Unit";

Result<uint64_t> read_u64(sd_bus* bus, const char* path, const char* interface,
                          const char* property) {
  BusError error;
  uint64_t value = 0;
  int r =
      sd_bus_get_property_trivial(bus, kSystemd, path, interface, property, &error.e, 't', &value);
  if (r < 0) {
    return bus_failure(std::string(interface) + "." + property, r, error.name(), error.message(),
                       "is systemd PID 1? systemd-analyze reads the same properties");
  }
  return value;
}

}  // namespace

Result<BootTimestamps> SdBusSystemdClient::boot_timestamps() {
  auto b = bus_.pid1();
  if (!b) return b.error();
  BootTimestamps stamps;
  const std::pair<const char*, uint64_t*> properties[] = {
      {"FirmwareTimestampMonotonic", &stamps.firmware_us},
      {"LoaderTimestampMonotonic", &stamps.loader_us},
      {"InitRDTimestampMonotonic", &stamps.initrd_us},
      {"UserspaceTimestampMonotonic", &stamps.userspace_us},
      {"FinishTimestampMonotonic", &stamps.finish_us},
  };
  for (const auto& [name, field] : properties) {
    auto value = read_u64(*b, kSystemdPath, kSystemdManager, name);
    if (!value) return value.error();
    *field = *value;
  }
  return stamps;
}

Result<std::optional<UnitActivation>> SdBusSystemdClient::unit_active_since(
    const std::string& unit) {
  auto b = bus_.pid1();
  if (!b) return b.error();
  auto path = unit_object_path(*b, unit);
  if (!path) return path.error();
  if (!*path) return std::optional<UnitActivation>{};
  auto usec = read_u64(*b, (*path)->c_str(), kUnitInterface, "ActiveEnterTimestamp");
  if (!usec) return usec.error();
  auto mono = read_u64(*b, (*path)->c_str(), kUnitInterface, "ActiveEnterTimestampMonotonic");
  if (!mono) return mono.error();
  if (*usec == 0) return std::optional<UnitActivation>{};
  return std::optional<UnitActivation>{UnitActivation{static_cast<double>(*usec) / 1e6, *mono}};
}

}  // namespace warmboot
