// SPDX-License-Identifier: Apache-2.0
#include "core/hook_runner.h"

#include <syslog.h>

#include <map>
#include <set>

#include <fmt/format.h>

#include "core/module_order.h"

namespace warmboot {
namespace {

class Steps {
 public:
  Steps(HookBackends& b, const HookRun& run) : b_(b), run_(run) {}

  void say(const std::string& line) {
    b_.journal.log(LOG_NOTICE, "hook: " + line, {{"event", "hook"}});
    if (run_.progress) run_.progress(line);
  }
  Status failed(Error error) {
    b_.journal.log(LOG_ERR, "hook failed, no warm reboot: " + error.str(), {{"event", "hook"}});
    return error;
  }

  Status isolate() {
    auto state = b_.units.active_state(kGraphicalTarget);
    if (!state) return failed(state.error());
    if (*state != "active") return {};
    say(fmt::format("{} is active: isolating {}", kGraphicalTarget, kMultiUserTarget));
    if (auto ok = b_.units.isolate(kMultiUserTarget); !ok) return failed(ok.error());
    return {};
  }

  // The hook itself, exactly the file checked (ProcessSpec::trusted_file_only), with the plan in
  // its environment and a time limit.
  Status user_hook(const std::string& path, const std::vector<std::string>& env) {
    say("running " + path);
    auto status = b_.runner.execute(ProcessSpec{{path}, env, run_.timeout_s, true});
    if (!status) return failed(status.error());
    if (*status != 0)
      return failed(errno_error("hook", 0, path,
                                fmt::format("{} failed with exit status {}", path, *status),
                                "fix the hook, or run `warmboot reboot --no-hooks`"));
    return {};
  }

  Status modules(const std::vector<std::string>& listed) {
    std::map<std::string, std::vector<std::string>> holders;
    std::vector<std::string> pending(listed.begin(), listed.end());
    std::set<std::string> seen;
    while (!pending.empty()) {
      std::string name = pending.back();
      pending.pop_back();
      if (!seen.insert(name).second) continue;
      auto loaded = b_.modules.is_loaded(name);
      if (!loaded) return failed(loaded.error());
      if (!*loaded) continue;
      auto held = b_.modules.holders(name);
      if (!held) return failed(held.error());
      for (auto& h : *held) h = normalize_module_name(h);
      pending.insert(pending.end(), held->begin(), held->end());
      holders[name] = std::move(*held);
    }
    auto order = module_unload_order(listed, holders);
    if (!order) return failed(order.error());
    for (const auto& name : *order) {
      say("unloading module " + name);
      if (auto ok = b_.modules.unload(name); !ok) return failed(ok.error());
    }
    return {};
  }

  Status interfaces(const std::vector<std::string>& names) {
    for (const auto& name : names) {
      auto done = b_.interfaces.set_down(name);
      if (!done) return failed(done.error());
      say(*done ? "interface " + name + " down" : "interface " + name + " absent: nothing to do");
    }
    return {};
  }

 private:
  HookBackends& b_;
  const HookRun& run_;
};

}  // namespace

Status run_hooks(const HookPlan& hooks, const Plan& plan, HookBackends& backends,
                 const HookRun& run) {
  Steps steps(backends, run);
  for (const auto& path : hooks.skipped) steps.say("skipping " + path + ": not executable");
  if (hooks.isolate_multi_user && run.phase != HookPhase::Shutdown) {
    if (auto ok = steps.isolate(); !ok) return ok;
  }
  auto env = hook_environment(plan, run.phase);
  for (const auto& path : hooks.user_hooks)
    if (auto ok = steps.user_hook(path, env); !ok) return ok;
  if (auto ok = steps.modules(hooks.modules); !ok) return ok;
  return steps.interfaces(hooks.interfaces);
}

}  // namespace warmboot
