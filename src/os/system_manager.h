// PID 1 and logind: whether systemd runs the machine, who blocks a shutdown, and the handover.
// The real implementation is SystemdManager (os/systemd_manager.h); tests use FakeSystemManager.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "core/result.h"

namespace warmboot {

// One entry of logind's ListInhibitors.
struct Inhibitor {
  std::string what;  // colon-separated: "shutdown:sleep"
  std::string who;
  std::string why;
  std::string mode;  // "block" or "delay" (and since systemd 257 "block-weak")
  uint32_t uid = 0;
  uint32_t pid = 0;

  bool operator==(const Inhibitor&) const = default;
};

class SystemManager {
 public:
  virtual ~SystemManager() = default;

  // /run/systemd/system is a directory (sd_booted() semantics, read through the FileSystem).
  virtual bool booted_with_systemd() = 0;
  // logind's inhibitors whose `what` contains "shutdown" and whose mode is "block".
  virtual Result<std::vector<Inhibitor>> shutdown_blockers() = 0;
  // Hands over to the staged kernel through an orderly shutdown (kexec.target). Refuses when
  // shutdown blockers exist unless ignore_inhibitors. Returns once the shutdown job is queued.
  virtual Status reboot_kexec(bool ignore_inhibitors) = 0;
  // An orderly cold reboot (reboot.target), with the same inhibitor rule.
  virtual Status reboot_cold(bool ignore_inhibitors) = 0;
};

}  // namespace warmboot
