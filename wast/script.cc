// The .wast script parser: file form detection, commands, module sources and
// actions (values are in values.cc). Works on the token vector with a
// precomputed paren match; module bodies are skipped, never descended into.
#include "wast/script.h"

#include "wast/script_cursor.h"
#include "wast/strings.h"
#include "wast/values.h"

namespace tandem::wast {
namespace detail {

Result<std::vector<uint32_t>> match_parens(std::span<const Token> tokens) {
  std::vector<uint32_t> match(tokens.size(), 0);
  std::vector<uint32_t> open;
  for (uint32_t i = 0; i < tokens.size(); ++i) {
    TokKind k = tokens[i].kind;
    if (k == TokKind::LParen || k == TokKind::LParenAnnot) {
      open.push_back(i);
    } else if (k == TokKind::RParen) {
      if (open.empty()) return error_at(tokens[i], "unexpected token");
      match[open.back()] = i;
      open.pop_back();
    }
  }
  if (!open.empty()) return error_at(tokens[open.back()], "unclosed parenthesis");
  return match;
}

namespace {

Location loc_of(const Token& t) {
  return Location{t.pos.line, t.pos.column};
}

bool starts_command(std::string_view kw) {
  return kw.substr(0, 7) == "assert_" || kw == "module" || kw == "component" || kw == "register" ||
         kw == "invoke" || kw == "get" || kw == "thread" || kw == "wait";
}

class ScriptParser {
public:
  ScriptParser(std::span<const Token> tokens, std::span<const uint32_t> match)
      : c_(tokens, match) {}

  Result<std::vector<Command>> parse_commands() {
    std::vector<Command> out;
    c_.seek(0); // is_inline_module() may have skipped leading annotations
    while (true) {
      // Top-level annotations are skipped, except `(@isolation ...)`.
      uint32_t p = c_.raw_pos();
      while (c_.at_index(p).kind == TokKind::LParenAnnot && c_.at_index(p).text != "isolation")
        p = c_.match(p) + 1;
      c_.seek(p);
      if (c_.at_index(p).kind == TokKind::LParenAnnot) {
        Command cmd;
        cmd.kind = CommandKind::AssertIsolated;
        cmd.loc = loc_of(c_.at_index(p));
        cmd.isolation.annotation = true;
        c_.seek(p + 1);
        TANDEM_TRY(parse_isolation(cmd.isolation));
        TANDEM_TRY(c_.expect(TokKind::RParen));
        out.push_back(std::move(cmd));
        continue;
      }
      if (c_.at(TokKind::Eof)) break;
      TANDEM_ASSIGN(Command cmd, parse_command(0));
      out.push_back(std::move(cmd));
    }
    return out;
  }

  // Is the file an inline module (a bare list of module fields)?
  bool is_inline_module() {
    if (c_.at(TokKind::Eof)) return false;
    if (!c_.at(TokKind::LParen)) return false; // let parse_commands report it
    const Token& kw = c_.peek2();
    return !(kw.kind == TokKind::Keyword && starts_command(kw.text));
  }

private:
  Result<std::optional<std::string>> optional_id() {
    if (!c_.at(TokKind::Id)) return std::optional<std::string>();
    TANDEM_ASSIGN(std::string name, decode_id(c_.next()));
    return std::optional<std::string>(std::move(name));
  }

  Result<std::string> expect_string() {
    const Token& t = c_.next();
    if (t.kind != TokKind::String) return ScriptCursor::unexpected(t);
    return decode_string(t);
  }

  Result<std::string> expect_name() {
    const Token& t = c_.next();
    if (t.kind != TokKind::String) return ScriptCursor::unexpected(t);
    return decode_name(t);
  }

  bool at_module_form() { return c_.at_form("module") || c_.at_form("component"); }

  // `$a`, `$a/$b/...` or "import name".
  Result<InstanceName> parse_instance_name() {
    const Token& t = c_.next();
    InstanceName n;
    if (t.kind == TokKind::String) {
      TANDEM_ASSIGN(std::string s, decode_name(t));
      n.host_import = true;
      n.ids.push_back(std::move(s));
      return n;
    }
    if (t.kind != TokKind::Id) return ScriptCursor::unexpected(t);
    TANDEM_ASSIGN(std::string id, decode_id(t));
    size_t start = 0;
    while (true) {
      size_t sep = id.find("/$", start);
      std::string part = id.substr(start, sep == std::string::npos ? sep : sep - start);
      if (part.empty()) return error_at(t, "empty instance name");
      n.ids.push_back(std::move(part));
      if (sep == std::string::npos) break;
      start = sep + 2;
    }
    return n;
  }

  // CHILD (from REAL) (via VIRTUALIZER), up to the closing `)`.
  Status parse_isolation(IsolationCheck& out) {
    TANDEM_ASSIGN(out.child, parse_instance_name());
    TANDEM_TRY(c_.expect(TokKind::LParen));
    TANDEM_TRY(c_.expect_keyword("from"));
    TANDEM_ASSIGN(out.real, parse_instance_name());
    TANDEM_TRY(c_.expect(TokKind::RParen));
    TANDEM_TRY(c_.expect(TokKind::LParen));
    TANDEM_TRY(c_.expect_keyword("via"));
    TANDEM_ASSIGN(out.via, parse_instance_name());
    TANDEM_TRY(c_.expect(TokKind::RParen));
    return {};
  }

  // At `(module ...` or `(component ...`.
  Result<ModuleSource> parse_module() {
    ModuleSource m;
    uint32_t open = c_.index();
    const Token& open_tok = c_.next();
    m.loc = loc_of(open_tok);
    const Token& kw = c_.next();
    m.kind = kw.text == "component" ? ModuleKind::Component : ModuleKind::Core;
    // Peeking skips annotations; the body's leading annotations must be kept,
    // so remember raw positions and restore them.
    uint32_t body = c_.raw_pos();
    if (c_.at_keyword("definition")) {
      c_.next();
      m.definition = true;
      body = c_.raw_pos();
    } else if (c_.at_keyword("instance")) {
      c_.next();
      m.form = ModuleForm::Instance;
      TANDEM_ASSIGN(auto first, optional_id());
      TANDEM_ASSIGN(auto second, optional_id());
      if (second) {
        m.id = std::move(first);
        m.instance_of = std::move(second);
      } else {
        m.instance_of = std::move(first);
      }
      TANDEM_TRY(c_.expect(TokKind::RParen));
      return m;
    }
    c_.seek(body);
    // Annotations before the id are skipped; after the id (or when there is
    // no id) they belong to the body.
    if (c_.at(TokKind::Id)) {
      TANDEM_ASSIGN(m.id, optional_id());
      body = c_.raw_pos();
    } else {
      c_.seek(body);
    }
    if (c_.at_keyword("binary")) {
      c_.next();
      m.form = ModuleForm::Binary;
      while (!c_.at(TokKind::RParen)) {
        TANDEM_ASSIGN(std::string bytes, expect_string());
        m.bytes += bytes;
      }
      TANDEM_TRY(c_.expect(TokKind::RParen));
      return m;
    }
    if (c_.at_keyword("quote")) {
      c_.next();
      m.form = ModuleForm::Quote;
      if (m.kind == ModuleKind::Component) m.text = "(component";
      while (!c_.at(TokKind::RParen)) {
        TANDEM_ASSIGN(std::string text, expect_string());
        m.text += text;
        if (m.kind == ModuleKind::Component) m.text += ' ';
      }
      if (m.kind == ModuleKind::Component) m.text += ')';
      TANDEM_TRY(c_.expect(TokKind::RParen));
      return m;
    }
    c_.seek(body);
    m.form = ModuleForm::Text;
    m.form_begin = open;
    m.body_begin = body;
    m.body_end = c_.match(open);
    m.form_end = m.body_end + 1;
    c_.seek(m.form_end);
    return m;
  }

  // At `(invoke ...` or `(get ...`.
  Result<Action> parse_action() {
    Action a;
    const Token& open = c_.peek();
    a.loc = loc_of(open);
    if (!c_.at_form("invoke") && !c_.at_form("get")) return ScriptCursor::unexpected(c_.peek2());
    c_.next();
    a.kind = c_.next().text == "invoke" ? Action::Kind::Invoke : Action::Kind::Get;
    TANDEM_ASSIGN(a.instance, optional_id());
    TANDEM_ASSIGN(a.name, expect_name());
    if (a.kind == Action::Kind::Invoke) {
      while (!c_.at(TokKind::RParen)) {
        TANDEM_ASSIGN(Arg arg, detail::parse_arg(c_));
        a.args.push_back(std::move(arg));
      }
    }
    TANDEM_TRY(c_.expect(TokKind::RParen));
    return a;
  }

  Result<Command> parse_command(unsigned thread_depth) {
    Command cmd;
    const Token& open = c_.peek();
    if (open.kind != TokKind::LParen) return ScriptCursor::unexpected(open);
    cmd.loc = loc_of(open);
    const Token& kwt = c_.peek2();
    if (kwt.kind != TokKind::Keyword) return ScriptCursor::unexpected(kwt);
    std::string_view kw = kwt.text;
    if (kw == "module" || kw == "component") {
      cmd.kind = CommandKind::Module;
      TANDEM_ASSIGN(cmd.module, parse_module());
      return cmd;
    }
    if (kw == "invoke" || kw == "get") {
      cmd.kind = CommandKind::Action;
      TANDEM_ASSIGN(cmd.action, parse_action());
      return cmd;
    }
    c_.next();
    c_.next();
    if (kw == "register") {
      cmd.kind = CommandKind::Register;
      TANDEM_ASSIGN(cmd.register_name, expect_name());
      TANDEM_ASSIGN(cmd.register_instance, optional_id());
    } else if (kw == "assert_return") {
      cmd.kind = CommandKind::AssertReturn;
      TANDEM_ASSIGN(cmd.action, parse_action());
      while (!c_.at(TokKind::RParen)) {
        TANDEM_ASSIGN(Expected e, detail::parse_expected(c_));
        cmd.expected.push_back(std::move(e));
      }
    } else if (kw == "assert_trap") {
      if (at_module_form()) {
        cmd.kind = CommandKind::AssertUninstantiable;
        TANDEM_ASSIGN(cmd.module, parse_module());
      } else {
        cmd.kind = CommandKind::AssertTrap;
        TANDEM_ASSIGN(cmd.action, parse_action());
      }
      TANDEM_ASSIGN(cmd.message, expect_string());
    } else if (kw == "assert_exhaustion" || kw == "assert_suspension") {
      cmd.kind =
          kw == "assert_exhaustion" ? CommandKind::AssertExhaustion : CommandKind::AssertSuspension;
      TANDEM_ASSIGN(cmd.action, parse_action());
      TANDEM_ASSIGN(cmd.message, expect_string());
    } else if (kw == "assert_exception") {
      cmd.kind = CommandKind::AssertException;
      TANDEM_ASSIGN(cmd.action, parse_action());
    } else if (kw == "assert_invalid" || kw == "assert_malformed" || kw == "assert_unlinkable" ||
               kw == "assert_malformed_custom" || kw == "assert_invalid_custom") {
      cmd.kind = kw == "assert_invalid"            ? CommandKind::AssertInvalid
                 : kw == "assert_malformed"        ? CommandKind::AssertMalformed
                 : kw == "assert_unlinkable"       ? CommandKind::AssertUnlinkable
                 : kw == "assert_malformed_custom" ? CommandKind::AssertMalformedCustom
                                                   : CommandKind::AssertInvalidCustom;
      if (!at_module_form()) return ScriptCursor::unexpected(c_.peek2());
      TANDEM_ASSIGN(cmd.module, parse_module());
      TANDEM_ASSIGN(cmd.message, expect_string());
    } else if (kw == "thread") {
      cmd.kind = CommandKind::Thread;
      if (thread_depth >= kMaxThreadDepth) return error_at(kwt, "nesting too deep");
      const Token& name = c_.next();
      if (name.kind != TokKind::Id) return ScriptCursor::unexpected(name);
      TANDEM_ASSIGN(cmd.thread_name, decode_id(name));
      if (c_.at_form("shared")) {
        c_.next();
        c_.next();
        TANDEM_TRY(c_.expect(TokKind::LParen));
        TANDEM_TRY(c_.expect_keyword("module"));
        const Token& mod = c_.next();
        if (mod.kind != TokKind::Id) return ScriptCursor::unexpected(mod);
        TANDEM_ASSIGN(cmd.shared_module, decode_id(mod));
        TANDEM_TRY(c_.expect(TokKind::RParen));
        TANDEM_TRY(c_.expect(TokKind::RParen));
      }
      while (!c_.at(TokKind::RParen)) {
        TANDEM_ASSIGN(Command inner, parse_command(thread_depth + 1));
        cmd.body.push_back(std::move(inner));
      }
    } else if (kw == "assert_isolated") {
      cmd.kind = CommandKind::AssertIsolated;
      TANDEM_TRY(parse_isolation(cmd.isolation));
    } else if (kw == "wait") {
      cmd.kind = CommandKind::Wait;
      const Token& name = c_.next();
      if (name.kind != TokKind::Id) return ScriptCursor::unexpected(name);
      TANDEM_ASSIGN(cmd.thread_name, decode_id(name));
    } else {
      return error_at(kwt, "unknown command '" + std::string(kw) + "'");
    }
    TANDEM_TRY(c_.expect(TokKind::RParen));
    return cmd;
  }

  ScriptCursor c_;
};

void count_into(const std::vector<Command>& cmds, CommandCounts& counts) {
  for (const Command& c : cmds) {
    ++counts.by_kind[static_cast<size_t>(c.kind)];
    count_into(c.body, counts); // depth bounded by kMaxThreadDepth
  }
}

} // namespace
} // namespace detail

Result<Script> parse_script(std::string_view source, std::string file_name) {
  Script script;
  script.file_name = std::move(file_name);
  script.source = std::make_shared<const std::string>(source);
  TANDEM_ASSIGN(script.tokens, lex(*script.source));
  TANDEM_ASSIGN(std::vector<uint32_t> match, detail::match_parens(script.tokens));
  detail::ScriptParser parser(script.tokens, match);
  if (parser.is_inline_module()) {
    script.inline_module = true;
    Command cmd;
    cmd.kind = CommandKind::Module;
    cmd.loc = Location{script.tokens[0].pos.line, script.tokens[0].pos.column};
    cmd.module.loc = cmd.loc;
    uint32_t end = static_cast<uint32_t>(script.tokens.size() - 1); // excludes Eof
    cmd.module.form_end = cmd.module.body_end = end;
    script.commands.push_back(std::move(cmd));
    return script;
  }
  TANDEM_ASSIGN(script.commands, parser.parse_commands());
  return script;
}

namespace {
// Appends ":line:col" (append calls only: GCC 12 -O3 warns falsely on
// `":" + std::to_string(...)`).
void append_position(std::string& out, uint32_t line, uint32_t column) {
  out.push_back(':');
  out.append(std::to_string(line));
  out.push_back(':');
  out.append(std::to_string(column));
}
} // namespace

std::string Script::where(Location loc) const {
  std::string out = file_name;
  append_position(out, loc.line, loc.column);
  return out;
}

std::string format_error(const Error& e, std::string_view file_name) {
  std::string out(file_name);
  if (e.line != 0) append_position(out, e.line, e.column);
  out.append(": ");
  out.append(e.message);
  return out;
}

const char* command_kind_name(CommandKind k) {
  switch (k) {
  case CommandKind::Module: return "module";
  case CommandKind::Register: return "register";
  case CommandKind::Action: return "action";
  case CommandKind::AssertReturn: return "assert_return";
  case CommandKind::AssertTrap: return "assert_trap";
  case CommandKind::AssertUninstantiable: return "assert_trap(module)";
  case CommandKind::AssertExhaustion: return "assert_exhaustion";
  case CommandKind::AssertInvalid: return "assert_invalid";
  case CommandKind::AssertMalformed: return "assert_malformed";
  case CommandKind::AssertUnlinkable: return "assert_unlinkable";
  case CommandKind::AssertException: return "assert_exception";
  case CommandKind::AssertSuspension: return "assert_suspension";
  case CommandKind::AssertMalformedCustom: return "assert_malformed_custom";
  case CommandKind::AssertInvalidCustom: return "assert_invalid_custom";
  case CommandKind::Thread: return "thread";
  case CommandKind::Wait: return "wait";
  case CommandKind::AssertIsolated: return "assert_isolated";
  }
  return "?";
}

CommandCounts count_commands(const Script& script) {
  CommandCounts counts;
  detail::count_into(script.commands, counts);
  return counts;
}

} // namespace tandem::wast
