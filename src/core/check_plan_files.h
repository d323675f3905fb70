// SPDX-License-Identifier: Apache-2.0
// The planned files themselves: present, readable, safe from tampering, small enough for memory,
// and the planned kernel's modules installed.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

#include "core/check.h"
#include "core/filesystem.h"
#include "core/machine_facts.h"  // meminfo_bytes
#include "core/plan.h"

namespace warmboot {

// "plan-files": the kernel and every initrd exist, are regular and readable (fail otherwise), are
// owned by root and not group- or world-writable (warn: anyone who can write them chooses what
// runs next).
CheckResult check_plan_files(const FileSystem& fs, const Plan& plan);

// "memory": kernel and initrds are copied into kernel memory when staged. Fail above MemAvailable
// (/proc/meminfo), warn above half of it.
CheckResult check_plan_memory(const FileSystem& fs, const Plan& plan);

// "modules": /usr/lib/modules/VERSION or /lib/modules/VERSION exists for the planned release.
CheckResult check_plan_modules(const FileSystem& fs, const Plan& plan);

}  // namespace warmboot
