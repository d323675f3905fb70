// SPDX-License-Identifier: Apache-2.0
// Stages a Plan: opens and checks the kernel and initrds, builds one initrd (concatenated, or
// extracted from a unified kernel image), and loads it all with kexec_file_load, falling back to
// kexec-tools' kexec_load only where that can help. Never reboots.
#pragma once

#include <cstdint>
#include <string>

#include "core/filesystem.h"
#include "core/kexec_interface.h"
#include "core/machine_facts.h"
#include "core/plan.h"
#include "core/process_runner.h"
#include "core/result.h"
#include "core/staged_record.h"

namespace warmboot {

// What was loaded into the kernel.
struct StagedImage {
  StagingMethod method = StagingMethod::FileLoad;
  uint64_t kernel_bytes = 0;  // bytes of the kernel image passed (the .linux section for a UKI,
                              // the decompressed Image for a compressed arm64 kernel)
  uint64_t initrd_bytes = 0;  // bytes of the single initrd passed, padding included; 0 if none
  // What was done to the kernel before the load ("gzip-compressed arm64 Image: decompressed in
  // memory before staging (31.0 MiB)"); "" when it was passed as is.
  std::string kernel_note;
};

// Where kexec-tools is looked for, on the host (never under --root).
inline constexpr const char* kKexecToolsPaths[] = {"/usr/sbin/kexec", "/sbin/kexec"};

// Every file is opened and checked (regular, readable, non-empty) before the first kexec call, so
// a missing initrd never leaves a half-staged kernel. Several initrds are concatenated into one
// memfd, each padded with zeros to a 4-byte boundary; a single one is passed as is. For a UKI
// (plan.uki) the .linux section becomes the kernel and the .initrd section comes before
// plan.initrds. The command line is checked against kCommandLineSize up front.
//
// The kernel (or a UKI's .linux) is checked against machine.arch (core/kernel_image_check.h). On
// arm64 a compressed Image or an EFI zboot image is decompressed into a memfd, bounded and checked
// to be a raw arm64 Image (os/kernel_unpack.h), and that memfd is what is loaded.
//
// Fallback: only when kexec_file_load fails with ENOSYS or ENOEXEC, runs
//   kexec -l /proc/PID/fd/K [--initrd=/proc/PID/fd/I] --command-line=CMDLINE
// through `runner`. The /proc/PID/fd paths name warmboot's own open fds (PID is warmboot's pid,
// not "self"): kexec-tools, running as root while warmboot waits, reads exactly the bytes that
// were checked (no temporary file, no second lookup of the path), and the fds stay close-on-exec.
// A plan with a device tree (plan.dtb, arm64 only; checked whole by core/device_tree_blob.h before
// any call) skips kexec_file_load, which cannot take one: kexec-tools gets it as
// --dtb=/proc/PID/fd/D. `machine` explains a refusal (core/kexec_errors.h). `require_signed`:
// kexec_file_load only, never kexec-tools (kexec_load verifies no signature).
Result<StagedImage> stage_plan(const Plan& plan, const FileSystem& fs, KexecInterface& kexec,
                               ProcessRunner& runner, const MachineFacts& machine,
                               bool require_signed = false);

}  // namespace warmboot
