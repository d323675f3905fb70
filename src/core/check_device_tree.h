// SPDX-License-Identifier: Apache-2.0
// arm64's hardware description across a warm reboot. kexec_file_load on arm64 takes no device
// tree: the kernel copies the flattened tree it booted with (/sys/firmware/fdt), rewrites /chosen
// (the new command line, the initrd's place, a fresh rng seed and KASLR seed) and hands that copy
// to the next kernel (drivers/of/kexec.c, arch/arm64/kernel/machine_kexec_file.c). On an ACPI
// machine the firmware's tables stay in memory and the next kernel finds them through the same
// /chosen node's EFI system table (kexec-tools' kexec_load does the same from /sys/firmware/fdt).
// So the next kernel describes the machine the way this one did. A board that needs another tree
// gives it with --dtb / [kernel] dtb (core/device_tree_blob.h): staged with kexec_load, which
// lockdown refuses.
#pragma once

#include <optional>
#include <string>

#include "core/check.h"
#include "core/filesystem.h"

namespace warmboot {

// "device-tree", on arm64 only (machine_arch "arm64"): what the next kernel will be described by:
// "device tree of <model>, copied from the running kernel" or "ACPI tables (...)". Ok unless
// neither a flattened tree nor ACPI tables can be found (warn: the next kernel would see nothing
// that describes the machine; check the firmware's configuration). With the plan's `dtb`: that
// file, checked as staging checks it (fail when it is not a whole device tree).
CheckResult check_device_tree(const FileSystem& fs, const std::optional<std::string>& dtb);

// "device-tree" on a machine that is not arm64 but whose plan names a dtb: fail.
CheckResult check_device_tree_not_arm64(const std::string& dtb, std::string_view arch);

// The board's name in a device tree's "model" property: the bytes up to the first NUL, printable
// ASCII only ("?" for others), at most 80 characters.
std::string device_tree_model(std::string_view property);

}  // namespace warmboot
