// SPDX-License-Identifier: Apache-2.0
// A KexecInterface for tests: records every call, reads back the bytes behind the fds at call
// time, can be told to fail with an errno per operation, and models the loaded state.
#pragma once

#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <deque>
#include <map>
#include <string>
#include <vector>

#include "core/kexec_interface.h"

namespace warmboot {

class FakeKexec : public KexecInterface {
 public:
  enum class Op { FileLoad, Unload, IsLoaded, ExecNow, ColdReboot };

  struct FileLoadCall {
    std::string kernel;  // bytes of the kernel fd, read with pread from offset 0
    std::string initrd;  // bytes of the initrd fd; empty when none was passed
    bool has_initrd = false;
    std::string cmdline;      // exactly the cmdline_len bytes the ABI would see, NUL included
    unsigned long flags = 0;  // KEXEC_FILE_* flags the real call would use
  };

  // The next call of `op` fails with `code` (queued: several calls fail in order).
  void fail_next(Op op, int code) { failures_[op].push_back(code); }
  void set_loaded(bool loaded) { loaded_ = loaded; }
  bool loaded() const { return loaded_; }

  const std::vector<FileLoadCall>& loads() const { return loads_; }
  const std::vector<Op>& calls() const { return calls_; }
  int count(Op op) const {
    int n = 0;
    for (Op c : calls_) n += c == op;
    return n;
  }

  Status file_load(int kernel_fd, int initrd_fd, const std::string& cmdline) override {
    calls_.push_back(Op::FileLoad);
    FileLoadCall call;
    call.kernel = read_all(kernel_fd);
    call.has_initrd = initrd_fd >= 0;
    if (call.has_initrd) call.initrd = read_all(initrd_fd);
    call.cmdline = std::string(cmdline.c_str(), cmdline.size() + 1);
    call.flags = call.has_initrd ? 0 : 0x4 /* KEXEC_FILE_NO_INITRAMFS */;
    loads_.push_back(std::move(call));
    if (int code = take_failure(Op::FileLoad)) return fail("kexec_file_load", code);
    loaded_ = true;
    return {};
  }
  Status unload() override {
    calls_.push_back(Op::Unload);
    if (int code = take_failure(Op::Unload)) return fail("kexec_file_load", code);
    loaded_ = false;
    return {};
  }
  Result<bool> is_loaded() override {
    calls_.push_back(Op::IsLoaded);
    if (int code = take_failure(Op::IsLoaded)) return fail("/sys/kernel/kexec_loaded", code);
    return loaded_;
  }
  Status exec_now() override {
    calls_.push_back(Op::ExecNow);
    if (int code = take_failure(Op::ExecNow)) return fail("reboot(KEXEC)", code);
    if (!loaded_) return fail("reboot(KEXEC)", EINVAL);  // the kernel's answer with nothing staged
    return {};
  }
  Status cold_reboot_now() override {
    calls_.push_back(Op::ColdReboot);
    if (int code = take_failure(Op::ColdReboot)) return fail("reboot(RESTART)", code);
    return {};
  }

  // Reads a whole fd from offset 0 without moving its file position.
  static std::string read_all(int fd) {
    std::string out;
    if (fd < 0) return out;
    char buf[65536];
    off_t offset = 0;
    for (;;) {
      ssize_t n = ::pread(fd, buf, sizeof buf, offset);
      if (n <= 0) break;
      out.append(buf, static_cast<size_t>(n));
      offset += n;
    }
    return out;
  }

 private:
  int take_failure(Op op) {
    auto& queue = failures_[op];
    if (queue.empty()) return 0;
    int code = queue.front();
    queue.pop_front();
    return code;
  }
  static Error fail(const char* op, int code) { return Error{op, code, {}, "fake failure", {}}; }

  std::map<Op, std::deque<int>> failures_;
  std::vector<FileLoadCall> loads_;
  std::vector<Op> calls_;
  bool loaded_ = false;
};

}  // namespace warmboot
