// SPDX-License-Identifier: Apache-2.0
// Kernels installed on disk, found by the naming conventions of the distributions, as opposed to
// the entries a boot loader lists: Debian/Ubuntu (vmlinuz-V + initrd.img-V), Fedora/RHEL (vmlinuz-V
// + initramfs-V.img, or /lib/modules/V/vmlinuz), Arch (vmlinuz-PKGBASE + initramfs-PKGBASE.img,
// with microcode images loaded first).
#pragma once

#include <string>
#include <vector>

#include "core/boot_entry.h"
#include "core/filesystem.h"
#include "core/result.h"

namespace warmboot {

// Every installed kernel, newest first by version order (origin Installed, no options).
std::vector<BootEntry> find_installed_kernels(const FileSystem& fs);

// The initrds that go with a kernel image by naming convention, microcode first; empty if none.
std::vector<std::string> initrds_for_kernel(const FileSystem& fs, const std::string& kernel,
                                            const std::string& version);

// The release written in an image file name ("vmlinuz-6.1.0-9-amd64" → "6.1.0-9-amd64"), or "".
std::string version_from_image_name(std::string_view file_name);

}  // namespace warmboot
