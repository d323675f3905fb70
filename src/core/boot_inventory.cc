#include "core/boot_inventory.h"

#include "core/installed_kernels.h"

namespace warmboot {
namespace {

// systemd-boot sets this on every boot it performs; its presence says systemd-boot booted us.

std::string first_line(std::string text) {
  size_t end = text.find('\n');
  if (end != std::string::npos) text.resize(end);
  return text;
}

}  // namespace

const char* to_string(LoaderKind kind) {
  switch (kind) {
    case LoaderKind::None: return "none";
    case LoaderKind::Grub: return "grub";
    case LoaderKind::SystemdBoot: return "systemd-boot";
  }
  return "none";
}

BootInventory read_boot_inventory(const FileSystem& fs) {
  BootInventory inv;
  inv.installed = find_installed_kernels(fs);

  return inv;
}

Result<RunningKernel> read_running_kernel(const FileSystem& fs) {
  auto release = fs.read_file("/proc/sys/kernel/osrelease", 4096);
  if (!release) return release.error();
  auto cmdline = fs.read_file("/proc/cmdline", 65536);
  if (!cmdline) return cmdline.error();
  return RunningKernel{first_line(*release), first_line(*cmdline)};
}

}  // namespace warmboot
