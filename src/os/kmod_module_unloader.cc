// SPDX-License-Identifier: Apache-2.0
#include "os/kmod_module_unloader.h"

#include <libkmod.h>

#include <cerrno>

namespace warmboot {
namespace {

// Owns a kmod_module reference.
struct Module {
  kmod_module* m = nullptr;
  ~Module() { kmod_module_unref(m); }
};

Error kmod_error(const std::string& op, int r, const std::string& name, std::string message,
                 std::string remedy = {}) {
  return errno_error(op, r < 0 ? -r : r, name, std::move(message), std::move(remedy));
}

}  // namespace

KmodModuleUnloader::KmodModuleUnloader() {
  ctx_ = kmod_new(nullptr, nullptr);
}

KmodModuleUnloader::~KmodModuleUnloader() {
  kmod_unref(ctx_);
}

Result<bool> KmodModuleUnloader::is_loaded(const std::string& name) {
  if (!ctx_) return kmod_error("kmod_new", ENOMEM, name, "cannot start libkmod");
  Module mod;
  int r = kmod_module_new_from_name(ctx_, name.c_str(), &mod.m);
  if (r < 0) return kmod_error("kmod_module_new_from_name", r, name, "bad module name " + name);
  int state = kmod_module_get_initstate(mod.m);
  if (state == -ENOENT) return false;
  if (state < 0) return kmod_error("kmod_module_get_initstate", state, name, "cannot read state");
  return state == KMOD_MODULE_LIVE || state == KMOD_MODULE_COMING || state == KMOD_MODULE_GOING;
}

Result<std::vector<std::string>> KmodModuleUnloader::holders(const std::string& name) {
  if (!ctx_) return kmod_error("kmod_new", ENOMEM, name, "cannot start libkmod");
  Module mod;
  int r = kmod_module_new_from_name(ctx_, name.c_str(), &mod.m);
  if (r < 0) return kmod_error("kmod_module_new_from_name", r, name, "bad module name " + name);
  std::vector<std::string> out;
  kmod_list* list = kmod_module_get_holders(mod.m);
  kmod_list* item = nullptr;
  kmod_list_foreach(item, list) {
    Module holder{kmod_module_get_module(item)};
    if (holder.m) out.emplace_back(kmod_module_get_name(holder.m));
  }
  kmod_module_unref_list(list);
  return out;
}

Status KmodModuleUnloader::unload(const std::string& name) {
  if (!ctx_) return kmod_error("kmod_new", ENOMEM, name, "cannot start libkmod");
  Module mod;
  int r = kmod_module_new_from_name(ctx_, name.c_str(), &mod.m);
  if (r < 0) return kmod_error("kmod_module_new_from_name", r, name, "bad module name " + name);
  r = kmod_module_remove_module(mod.m, 0);
  if (r < 0) {
    return kmod_error("delete_module", r, name, "cannot unload " + name,
                      r == -EBUSY ? "something still uses it (lsmod shows the use count); stop it "
                                    "first, or take the module off hooks.unload_modules"
                                  : "");
  }
  return {};
}

}  // namespace warmboot
