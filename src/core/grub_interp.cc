#include "core/grub_interp.h"

#include <map>
#include <set>

#include <fmt/format.h>

#include "core/grub_commands.h"
#include "core/grub_test_expr.h"

namespace warmboot {
namespace {

using Cmd = GrubCommand::Kind;

bool is_digits(std::string_view s) {
  if (s.empty()) return false;
  for (char c : s) {
    if (c < '0' || c > '9') return false;
  }
  return true;
}

bool is_positional(const std::string& name) {
  return is_digits(name) || name == "#" || name == "@" || name == "*";
}

// The variable a word copies whole after `prefix`, e.g. "saved_entry" for default="${saved_entry}".
std::string copied_variable(const GrubWord& word, std::string_view prefix) {
  std::vector<const GrubWordPart*> parts;
  for (const GrubWordPart& part : word.parts) {
    if (part.kind == GrubWordPart::Kind::Var || !part.text.empty()) parts.push_back(&part);
  }
  if (parts.size() != 2 || parts[0]->kind != GrubWordPart::Kind::Text || parts[0]->text != prefix ||
      parts[1]->kind != GrubWordPart::Kind::Var) {
    return {};
  }
  return parts[1]->text;
}

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
        Result<BootEntry> entry = expand_bls_entry(*node.bls, ctx.vars);
        if (!entry) return entry.error();
        node.bls = std::move(entry).value();
        continue;
      }
      Context body;
      body.vars = ctx.vars;
      for (size_t i = 0; i < p.params.size(); ++i) body.vars[std::to_string(i + 1)] = p.params[i];
      body.vars["#"] = std::to_string(p.params.size());
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
        Result<std::vector<std::string>> items = expand_grub_words(
            std::vector<GrubWord>(command.words.begin() + 1, command.words.end()), ctx.vars);
        if (!items) return error(command.line, items.error().message);
        for (const std::string& item : *items) {
          ctx.vars[command.words[0].plain()] = item;
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
    Result<std::vector<std::string>> args = expand_grub_words(command.words, ctx.vars);
    if (!args) return error(command.line, args.error().message);
    GrubMenuArgs parsed = parse_menu_args(*args);
    if (parsed.title.empty()) {
      warnings_.push_back(
          fmt::format("{}:{}: menu item without a title skipped", cfg_path_, command.line));
      return {};
    }
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
  Status call_function(const GrubBlock& body, const std::vector<std::string>& args, int line,
                       Context& ctx);
  void load_env(const std::vector<std::string>& args, Context& ctx);

  std::string cfg_path_;
  const GrubVars& grubenv_;
  const std::vector<BootEntry>& bls_;
  std::map<std::string, const GrubBlock*> functions_;
  std::vector<std::string> warnings_;
  std::string default_source_;
  long steps_ = 0;
  int depth_ = 0;
  int status_ = 0;
};

Status Interpreter::exec_simple(const GrubCommand& command, Context& ctx) {
  status_ = 0;
  const GrubWord& first = command.words.front();
  // name=value: an assignment when the word starts with a valid name and '='.
  if (command.words.size() == 1 && !first.parts.empty() &&
      first.parts[0].kind == GrubWordPart::Kind::Text && !first.parts[0].quoted) {
    const std::string& text = first.parts[0].text;
    size_t eq = text.find('=');
    if (eq != std::string::npos && is_grub_var_name(text.substr(0, eq))) {
      GrubWord value = first;
      value.parts[0].text = text.substr(eq + 1);
      Result<std::string> expanded = expand_grub_word(value, ctx.vars);
      if (!expanded) return error(command.line, expanded.error().message);
      std::string name = text.substr(0, eq);
      if (ctx.top && name == "default") default_source_ = copied_variable(first, "default=");
      ctx.vars[name] = std::move(expanded).value();
      return {};
    }
  }
  Result<std::vector<std::string>> expanded = expand_grub_words(command.words, ctx.vars);
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
        default_source_ = command.words.size() == 2 ? copied_variable(command.words[1], "default=")
                                                    : std::string();
      }
      ctx.vars[var] = args[1].substr(var.size() + 1);
    }
  } else if (name == "unset") {
    for (size_t i = 1; i < args.size(); ++i) ctx.vars.erase(args[i]);
  } else if (name == "export") {
    for (size_t i = 1; i < args.size(); ++i) ctx.exported.insert(args[i]);
  } else if (name == "load_env") {
    load_env(args, ctx);
  } else if (name == "[" || name == "test") {
    std::vector<std::string> test_args(args.begin() + 1, args.end());
    bool bracket_ok = name == "test" || (!test_args.empty() && test_args.back() == "]");
    if (name == "[" && bracket_ok) test_args.pop_back();
    std::optional<bool> result =
        bracket_ok ? eval_grub_test(test_args, grub_file_test(!grubenv_.empty())) : std::nullopt;
    status_ = result.value_or(false) ? 0 : 1;
  } else if (name == "blscfg") {
    if (ctx.items) {
      for (const BootEntry& bls : bls_) {
        ctx.pending.push_back({ctx.items->size(), nullptr, {}});
        GrubMenuNode node;
        node.title = bls.title;
        node.id = bls.id;
        node.line = command.line;
        node.bls = bls;
        ctx.items->push_back(std::move(node));
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
  GrubVars saved;
  for (auto it = ctx.vars.begin(); it != ctx.vars.end();) {
    if (is_positional(it->first)) {
      saved.insert(*it);
      it = ctx.vars.erase(it);
    } else {
      ++it;
    }
  }
  std::string all;
  for (size_t i = 1; i < args.size(); ++i) {
    ctx.vars[std::to_string(i)] = args[i];
    all += (i > 1 ? " " : "") + args[i];
  }
  ctx.vars["#"] = std::to_string(args.size() - 1);
  ctx.vars["@"] = ctx.vars["*"] = all;
  Status status = exec_block(body, ctx);
  for (auto it = ctx.vars.begin(); it != ctx.vars.end();) {
    it = is_positional(it->first) ? ctx.vars.erase(it) : std::next(it);
  }
  ctx.vars.merge(saved);
  --depth_;
  return status;
}

void Interpreter::load_env(const std::vector<std::string>& args, Context& ctx) {
  GrubLoadEnvArgs parsed = parse_load_env_args(args);
  if (!parsed.file.empty() && !is_grubenv_path(parsed.file)) {
    warnings_.push_back(
        fmt::format("load_env -f {}: only the grubenv beside grub.cfg is read", parsed.file));
    return;
  }
  for (const auto& [name, value] : grubenv_) {
    if (parsed.only.empty() || parsed.only.contains(name)) ctx.vars[name] = value;
  }
}

}  // namespace

Result<GrubRun> run_grub_script(const GrubBlock& script, std::string_view cfg_path,
                                const GrubVars& grubenv,
                                const std::vector<BootEntry>& bls_entries) {
  return Interpreter(cfg_path, grubenv, bls_entries).run(script);
}

}  // namespace warmboot
