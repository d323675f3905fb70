// SPDX-License-Identifier: Apache-2.0
#include "os/kexec_stager.h"

#include "core/kernel_image_check.h"

#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <vector>

#include <fmt/format.h>

#include "core/device_tree_blob.h"
#include "core/kexec_errors.h"
#include "os/kernel_unpack.h"
#include "os/memfd_builder.h"
#include "os/uki_extract.h"
#include "os/unique_fd.h"

namespace warmboot {
namespace {

struct OpenedFile {
  UniqueFd fd;
  uint64_t size = 0;
  std::string path;
};

// What is about to be handed to the kernel.
struct Staging {
  std::vector<OpenedFile> files;  // keeps every fd alive until the load is done
  int kernel_fd = -1;
  uint64_t kernel_bytes = 0;
  int initrd_fd = -1;  // -1: no initrd
  uint64_t initrd_bytes = 0;
  int dtb_fd = -1;          // -1: the running device tree goes on
  std::string kernel_note;  // what was done to the kernel first; "" when passed as is
};

Result<OpenedFile> open_checked(const FileSystem& fs, const std::string& path, const char* what,
                                const char* remedy) {
  auto fd = fs.open_read(path);
  if (!fd) {
    Error e = fd.error();
    return errno_error("stage", e.code, path,
                       fmt::format("cannot open {} {}: {}", what, path, e.message), remedy);
  }
  OpenedFile file{UniqueFd(*fd), 0, path};
  struct stat st {};
  if (::fstat(file.fd.get(), &st) != 0)
    return errno_error("stage", errno, path, fmt::format("cannot stat {} {}", what, path), remedy);
  if (!S_ISREG(st.st_mode))
    return errno_error("stage", EINVAL, path,
                       fmt::format("{} {} is not a regular file", what, path), remedy);
  if (st.st_size <= 0)
    return errno_error("stage", EINVAL, path, fmt::format("{} {} is empty", what, path), remedy);
  file.size = static_cast<uint64_t>(st.st_size);
  return file;
}

std::string proc_fd_path(int fd) {
  return fmt::format("/proc/{}/fd/{}", ::getpid(), fd);
}

Result<StagedImage> run_kexec_tools(const Plan& plan, const Staging& s, const Error& first,
                                    ProcessRunner& runner) {
  std::string tool;
  for (const char* candidate : kKexecToolsPaths) {
    if (runner.is_executable(candidate)) {
      tool = candidate;
      break;
    }
  }
  if (tool.empty()) {
    Error e = first;
    e.message += "; kexec-tools (/usr/sbin/kexec) is not installed to try kexec_load instead";
    e.remedy = "install kexec-tools";
    return e;
  }
  std::vector<std::string> argv{tool, "-l", proc_fd_path(s.kernel_fd)};
  if (s.initrd_fd >= 0) argv.push_back("--initrd=" + proc_fd_path(s.initrd_fd));
  if (s.dtb_fd >= 0) argv.push_back("--dtb=" + proc_fd_path(s.dtb_fd));
  argv.push_back("--command-line=" + plan.cmdline);
  auto status = runner.run(argv);
  if (!status) return status.error();
  if (*status != 0) {
    return errno_error(
        tool, 0, plan.kernel,
        fmt::format("kexec-tools could not load {}{} (exit status {}); {}", plan.kernel,
                    s.dtb_fd >= 0 ? " with its device tree" : " either", *status,
                    s.dtb_fd >= 0 ? first.message
                                  : "kexec_file_load had failed with " + errno_name(first.code)),
        "see kexec's messages above");
  }
  return StagedImage{StagingMethod::KexecTools, s.kernel_bytes, s.initrd_bytes, s.kernel_note};
}

Status check_cmdline(const std::string& cmdline) {
  if (cmdline.find('\0') != std::string::npos)
    return errno_error("stage", EINVAL, {}, "the command line contains a NUL byte");
  if (cmdline.size() + 1 > kCommandLineSize) {
    return errno_error("stage", E2BIG, {},
                       fmt::format("the command line is too long ({} bytes with its NUL; the "
                                   "limit is {})",
                                   cmdline.size() + 1, kCommandLineSize),
                       "shorten the kernel command line");
  }
  return {};
}

// A compressed or zboot kernel on arm64 becomes a raw Image in a memfd (core/kernel_preparation.h).
Status unpack_if_needed(Staging& s, std::string_view head, const std::string& path,
                        std::string_view arch) {
  auto info = inspect_kernel_image(head);
  if (!info) return {};  // check_kernel_image accepted it: nothing to unpack
  const KernelPreparation how = kernel_preparation(*info, arch);
  if (how == KernelPreparation::AsIs) return {};
  auto unpacked = unpack_kernel(s.kernel_fd, s.kernel_bytes, *info, how, path, arch);
  if (!unpacked) return unpacked.error();
  s.kernel_fd = unpacked->fd.get();
  s.kernel_bytes = unpacked->size;
  s.kernel_note = std::move(unpacked->description);
  s.files.push_back(OpenedFile{std::move(unpacked->fd), s.kernel_bytes, path + " (decompressed)"});
  return {};
}

// The plan's device tree (--dtb): opened and checked whole before any kexec call.
Status open_device_tree(Staging& s, const FileSystem& fs, const std::string& path) {
  auto dtb = open_checked(fs, path, "device tree", "give the board's .dtb, or leave --dtb out");
  if (!dtb) return dtb.error();
  std::string head(kDtbHeaderBytes, '\0');
  ssize_t got = ::pread(dtb->fd.get(), head.data(), head.size(), 0);
  if (got < 0) return errno_error("stage", errno, path, "cannot read " + path);
  head.resize(static_cast<size_t>(got));
  if (auto blob = check_device_tree_blob(head, dtb->size, path); !blob) return blob.error();
  s.dtb_fd = dtb->fd.get();
  s.files.push_back(std::move(dtb).value());
  return {};
}

// Opens everything, extracts UKI sections, unpacks a kernel the machine's kexec_file_load cannot
// take as is and joins initrds. No kexec call happens here.
Result<Staging> prepare(const Plan& plan, const FileSystem& fs, std::string_view arch) {
  Staging s;
  auto kernel = open_checked(fs, plan.kernel, plan.uki ? "unified kernel image" : "kernel",
                             "check that the boot entry names an installed kernel");
  if (!kernel) return kernel.error();
  s.files.push_back(std::move(kernel).value());

  std::vector<FdPart> initrds;
  for (const auto& path : plan.initrds) {
    auto initrd = open_checked(fs, path, "initrd",
                               "regenerate it (update-initramfs -u) or fix the boot entry");
    if (!initrd) return initrd.error();
    s.files.push_back(std::move(initrd).value());
    const OpenedFile& f = s.files.back();
    initrds.push_back(FdPart{f.fd.get(), f.size, f.path});
  }
  if (plan.dtb) {  // checked before a kernel is decompressed for nothing
    if (auto opened = open_device_tree(s, fs, *plan.dtb); !opened) return opened.error();
  }

  s.kernel_fd = s.files[0].fd.get();
  s.kernel_bytes = s.files[0].size;
  if (plan.uki) {
    auto parts = extract_uki(s.files[0].fd.get(), s.files[0].size, plan.kernel);
    if (!parts) return parts.error();
    s.kernel_fd = parts->kernel.get();
    s.kernel_bytes = parts->kernel_size;
    s.files.push_back(OpenedFile{std::move(parts->kernel), parts->kernel_size, plan.kernel});
    if (parts->initrd.valid()) {
      std::string name = plan.kernel + " (.initrd)";
      initrds.insert(initrds.begin(), FdPart{parts->initrd.get(), parts->initrd_size, name});
      s.files.push_back(OpenedFile{std::move(parts->initrd), parts->initrd_size, name});
    }
  }

  // A garbage, truncated or foreign kernel is refused here, before any kexec call.
  std::string head(64 * 1024, '\0');
  ssize_t got = ::pread(s.kernel_fd, head.data(), head.size(), 0);
  if (got < 0) return errno_error("stage", errno, plan.kernel, "cannot read " + plan.kernel);
  head.resize(static_cast<size_t>(got));
  if (auto usable = check_kernel_image(head, s.kernel_bytes, plan.kernel, arch); !usable) {
    return usable.error();
  }
  if (auto unpacked = unpack_if_needed(s, head, plan.kernel, arch); !unpacked)
    return unpacked.error();

  if (initrds.size() == 1) {
    s.initrd_fd = initrds[0].fd;
    s.initrd_bytes = initrds[0].size;
  } else if (initrds.size() > 1) {
    uint64_t total = 0;
    auto joined = concatenate_padded(initrds, "warmboot-initrd", &total);
    if (!joined) return joined.error();
    s.initrd_fd = joined->get();
    s.initrd_bytes = total;
    s.files.push_back(OpenedFile{std::move(joined).value(), total, "initrd"});
  }
  return s;
}

}  // namespace

Result<StagedImage> stage_plan(const Plan& plan, const FileSystem& fs, KexecInterface& kexec,
                               ProcessRunner& runner, const MachineFacts& machine,
                               bool require_signed) {
  if (auto s = check_cmdline(plan.cmdline); !s) return s.error();
  // Facts built by hand in tests may leave the arch empty: the build's is the best guess.
  const std::string_view arch = machine.arch.empty() ? native_arch() : machine.arch;
  if (plan.dtb && arch != "arm64") {
    return errno_error(
        "stage", EINVAL, *plan.dtb,
        fmt::format("a device tree (--dtb) is for arm64 boards; this machine is {}", arch),
        "leave --dtb (and [kernel] dtb) out");
  }
  if (plan.dtb && require_signed) {
    return errno_error("stage", EPERM, *plan.dtb,
                       "a device tree (--dtb) can only be staged with kexec-tools' kexec_load, "
                       "which verifies no signature, and --require-signed is set",
                       "leave --dtb out to stage with kexec_file_load and the running tree");
  }
  auto staging = prepare(plan, fs, arch);
  if (!staging) return staging.error();
  const Staging& s = *staging;
  if (s.dtb_fd >= 0) {
    // kexec_file_load has no device tree argument: kexec-tools' kexec_load takes it.
    Error why = errno_error("kexec_file_load", EINVAL, *plan.dtb,
                            "kexec_file_load cannot take a device tree, so kexec_load does");
    return run_kexec_tools(plan, s, why, runner);
  }

  auto loaded = kexec.file_load(s.kernel_fd, s.initrd_fd, plan.cmdline);
  if (loaded)
    return StagedImage{StagingMethod::FileLoad, s.kernel_bytes, s.initrd_bytes, s.kernel_note};

  KexecFailure failure;
  failure.op = loaded.error().op.empty() ? "kexec_file_load" : loaded.error().op;
  failure.code = loaded.error().code;
  failure.kernel = plan.kernel;
  failure.image_bytes = s.kernel_bytes + s.initrd_bytes;
  failure.cmdline_bytes = plan.cmdline.size() + 1;
  Error explained = explain_kexec_failure(failure, machine);
  if (!kexec_fallback_allowed(failure.code)) return explained;
  if (require_signed) {
    explained.message += "; kexec-tools' kexec_load is not tried: it verifies no signature";
    return explained;
  }
  return run_kexec_tools(plan, s, explained, runner);
}

}  // namespace warmboot
