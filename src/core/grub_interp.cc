// SPDX-License-Identifier: Apache-2.0
#include "core/grub_interp.h"

#include <map>
#include <set>

#include <fmt/format.h>

#include "core/grub_commands.h"

namespace warmboot {
namespace {

using Cmd = GrubCommand::Kind;

// Where a command adds menu items and which entry receives linux/initrd.
struct Context {
  GrubVars vars;
  std::set<std::string> exported;
  std::vector<GrubMenuNode>* items = nullptr;  // null inside an entry's body
  GrubMenuNode* entry = nullptr;               // the entry whose body runs, or null
  bool top = false;
  struct Pending {
    size_t index;
    const GrubBlock* body;  // null for blscfg entries
    std::vector<std::string> params;
  };
  std::vector<Pending> pending;  // entry bodies to run when the scope ends
};

class Interpreter {
 public:
  Interpreter(std::string_view cfg_path, const GrubVars& grubenv, const std::vector<BootEntry>& bls)
      : cfg_path_(cfg_path), grubenv_(grubenv), bls_(bls) {}

  Result<GrubRun> run(const GrubBlock& script) {
    GrubRun out;
    Context top;
    top.top = true;
    top.items = &out.items;
    for (const auto& [name, value] : grub_preset_vars(cfg_path_)) {
      top.vars[name] = value;
      if (name != "config_file") top.exported.insert(name);
    }
    Status status = run_scope(script, top);
    if (!status) return status.error();
    out.vars = std::move(top.vars);
    out.default_source = default_source_;
    out.warnings = std::move(warnings_);
    return out;
  }

 private:
  Error error(int line, std::string message) const {
    Error e = make_error(fmt::format("{}:{}", cfg_path_, line), std::move(message));
    e.file = cfg_path_;
    return e;
  }

  // Runs a menu-level scope, then the bodies of the entries it defined.
  Status run_scope(const GrubBlock& block, Context& ctx) {
    Status status = exec_block(block, ctx);
    if (!status) return status;
    for (const Context::Pending& p : ctx.pending) {
      GrubMenuNode& node = (*ctx.items)[p.index];
      if (!p.body) {
        Result<BootEntry> entry = expand_bls_entry(*node.bls, ctx.vars, budget_);
        if (!entry) return entry.error();
        node.bls = std::move(entry).value();
        continue;
      }
      Context body;
      body.vars = ctx.vars;
      set_grub_positional(body.vars, p.params);
      body.entry = &node;
      status = exec_block(*p.body, body);
      if (!status) return status;
    }
    return {};
  }

  Status exec_block(const GrubBlock& block, Context& ctx) {
    for (const GrubCommand& command : block) {
      if (++steps_ > kMaxGrubSteps) {
        return error(command.line, fmt::format("runs more than {} commands", kMaxGrubSteps));
      }
      Status status = exec(command, ctx);
      if (!status) return status;
      if (command.negate) status_ = status_ == 0 ? 1 : 0;
    }
    return {};
  }

  Status exec(const GrubCommand& command, Context& ctx) {
    switch (command.kind) {
      case Cmd::Simple:
        return exec_simple(command, ctx);
      case Cmd::If:
        for (const GrubBranch& branch : command.branches) {
          Status status = exec_block(branch.condition, ctx);
          if (!status) return status;
          if (status_ == 0) return exec_block(branch.body, ctx);
        }
        status_ = 0;
        return command.has_else ? exec_block(command.body, ctx) : Status();
      case Cmd::For: {
        Result<std::vector<std::string>> items =
            expand_grub_words(std::vector<GrubWord>(command.words.begin() + 1, command.words.end()),
                              ctx.vars, budget_);
        if (!items) return error(command.line, items.error().message);
        for (const std::string& item : *items) {
          // The loop variable counts like any assignment.
          if (Status set = assign(ctx, command.words[0].plain(), item, command.line); !set)
            return set;
          Status status = exec_block(command.body, ctx);
          if (!status) return status;
        }
        return {};
      }
      case Cmd::While:
        warnings_.push_back(
            fmt::format("{}:{}: while/until loop not run", cfg_path_, command.line));
        return {};
      case Cmd::Function:
        functions_[command.words[0].plain()] = &command.body;
        return {};
      case Cmd::Menuentry:
      case Cmd::Submenu:
        return exec_menu_item(command, ctx);
    }
    return {};
  }

  Status exec_menu_item(const GrubCommand& command, Context& ctx) {
    status_ = 0;
    if (!ctx.items) return {};  // a menuentry inside an entry's body is not part of the menu
    Result<std::vector<std::string>> args = expand_grub_words(command.words, ctx.vars, budget_);
    if (!args) return error(command.line, args.error().message);
    GrubMenuArgs parsed = parse_menu_args(*args);
    if (parsed.title.empty()) {
      warnings_.push_back(
          fmt::format("{}:{}: menu item without a title skipped", cfg_path_, command.line));
      return {};
    }
    Status counted = count_menu_item(command.line);
    if (!counted) return counted;
    GrubMenuNode node;
    node.title = parsed.title;
    node.id = parsed.id;
    node.line = command.line;
    if (command.kind == Cmd::Menuentry) {
      ctx.pending.push_back({ctx.items->size(), &command.body, parsed.params});
      ctx.items->push_back(std::move(node));
      return {};
    }
    node.submenu = true;
    if (++depth_ > kMaxGrubCallDepth) return error(command.line, "submenus nested too deeply");
    Context sub;
    for (const std::string& name : ctx.exported) {
      auto it = ctx.vars.find(name);
      if (it != ctx.vars.end()) sub.vars.insert(*it);
    }
    sub.exported = ctx.exported;
    sub.items = &node.children;
    Status status = run_scope(command.body, sub);
    --depth_;
    if (!status) return status;
    ctx.items->push_back(std::move(node));
    return {};
  }

  Status exec_simple(const GrubCommand& command, Context& ctx);

  // Sets a variable, keeping the total ever assigned under kMaxGrubAssignedBytes.
  Status assign(Context& ctx, const std::string& name, std::string value, int line) {
    assigned_bytes_ += value.size();
    if (assigned_bytes_ > kMaxGrubAssignedBytes) {
      return error(line,
                   fmt::format("assigns more than {} bytes to variables", kMaxGrubAssignedBytes));
    }
    ctx.vars[name] = std::move(value);
    return {};
  }

  Status count_menu_item(int line) {
    if (++menu_items_ > kMaxGrubMenuItems) {
      return error(line, fmt::format("defines more than {} menu items", kMaxGrubMenuItems));
    }
    return {};
  }
  Status call_function(const GrubBlock& body, const std::vector<std::string>& args, int line,
                       Context& ctx);

  std::string cfg_path_;
  const GrubVars& grubenv_;
  const std::vector<BootEntry>& bls_;
  std::map<std::string, const GrubBlock*> functions_;
  std::vector<std::string> warnings_;
  std::string default_source_;
  long steps_ = 0;
  size_t assigned_bytes_ = 0;
  GrubExpansionBudget budget_;
  size_t menu_items_ = 0;
  int depth_ = 0;
  int status_ = 0;
};

Status Interpreter::exec_simple(const GrubCommand& command, Context& ctx) {
  status_ = 0;
  const GrubWord& first = command.words.front();
  if (auto assignment = split_grub_assignment(command.words)) {
    Result<std::string> expanded = expand_grub_word(assignment->second, ctx.vars, budget_);
    if (!expanded) return error(command.line, expanded.error().message);
    if (ctx.top && assignment->first == "default") {
      default_source_ = grub_copied_variable(first, "default=");
    }
    return assign(ctx, assignment->first, std::move(expanded).value(), command.line);
  }
  Result<std::vector<std::string>> expanded = expand_grub_words(command.words, ctx.vars, budget_);
  if (!expanded) return error(command.line, expanded.error().message);
  const std::vector<std::string>& args = *expanded;
  if (args.empty()) return {};
  const std::string& name = args[0];

  if (auto fn = functions_.find(name); fn != functions_.end()) {
    return call_function(*fn->second, args, command.line, ctx);
  }
  if (name == "set") {
    if (args.size() >= 2 && args[1].find('=') != std::string::npos) {
      std::string var = args[1].substr(0, args[1].find('='));
      if (ctx.top && var == "default") {
        default_source_ = command.words.size() == 2
                              ? grub_copied_variable(command.words[1], "default=")
                              : std::string();
      }
      Status status = assign(ctx, var, args[1].substr(var.size() + 1), command.line);
      if (!status) return status;
    }
  } else if (name == "unset") {
    for (size_t i = 1; i < args.size(); ++i) ctx.vars.erase(args[i]);
  } else if (name == "export") {
    for (size_t i = 1; i < args.size(); ++i) ctx.exported.insert(args[i]);
  } else if (name == "load_env") {
    GrubLoadEnvArgs parsed = parse_load_env_args(args);
    if (!parsed.file.empty() && !is_grubenv_path(parsed.file)) {
      warnings_.push_back(
          fmt::format("load_env -f {}: only the grubenv beside grub.cfg is read", parsed.file));
    }
    for (const auto& [var, value] : grubenv_) {
      if (parsed.file.empty() || is_grubenv_path(parsed.file)) {
        if (parsed.only.empty() || parsed.only.contains(var)) ctx.vars[var] = value;
      }
    }
  } else if (name == "[" || name == "test") {
    status_ = grub_test_succeeds(args, !grubenv_.empty()) ? 0 : 1;
  } else if (name == "blscfg") {
    if (ctx.items) {
      for (const BootEntry& bls : bls_) {
        Status status = count_menu_item(command.line);
        if (!status) return status;
        ctx.pending.push_back({ctx.items->size(), nullptr, {}});
        ctx.items->push_back(bls_menu_node(bls, command.line));
      }
    }
  } else if (ctx.entry && apply_boot_command(args, *ctx.entry)) {
    // linux / initrd recorded
  } else {
    status_ = grub_command_succeeds(name) ? 0 : 1;
  }
  ctx.vars["?"] = std::to_string(status_);
  return {};
}

Status Interpreter::call_function(const GrubBlock& body, const std::vector<std::string>& args,
                                  int line, Context& ctx) {
  if (++depth_ > kMaxGrubCallDepth) {
    return error(line, fmt::format("function calls nested deeper than {}", kMaxGrubCallDepth));
  }
  GrubVars saved =
      set_grub_positional(ctx.vars, std::vector<std::string>(args.begin() + 1, args.end()));
  Status status = exec_block(body, ctx);
  set_grub_positional(ctx.vars, {});
  ctx.vars.merge(saved);
  --depth_;
  return status;
}

}  // namespace

Result<GrubRun> run_grub_script(const GrubBlock& script, std::string_view cfg_path,
                                const GrubVars& grubenv,
                                const std::vector<BootEntry>& bls_entries) {
  return Interpreter(cfg_path, grubenv, bls_entries).run(script);
}

}  // namespace warmboot
