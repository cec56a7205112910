// The .wast directive semantics (docs/wast-script-language.md sections 3-12),
// on top of ScriptSession (engine state) and the script AST.
//
// Every top-level command yields exactly one DirectiveOutcome. Text modules
// are encoded before the first command runs, as the wast crate does: a text
// module that does not encode aborts the file (one failure at its line).
// Unsupported features and component forms make a directive SKIPPED, and so
// is everything that depends on a skipped (or failed) module.
#include "script_runner.h"

#include "component_runner.h"
#include "message_match.h"
#include "script_session.h"
#include "value_match.h"
#include "wast/custom_annotations.h"
#include "wast/script.h"
#include "wast/wat_module.h"

#include <fstream>
#include <sstream>

namespace tandem::harness {
namespace {

using wast::Command;
using wast::CommandKind;
using wast::ModuleForm;
using wast::ModuleKind;
using wast::ModuleSource;

constexpr const char* kComponentSkip = "component model not implemented yet";

std::string describe_error(const Error& e) {
  return std::string(error_kind_name(e.kind)) + ": " + e.message;
}

// A compiled module, or why there is none.
struct Obtained {
  std::optional<Module> module;
  std::optional<std::string> skip; // unsupported feature
  std::optional<Error> error;      // encode (text) or compile failure
  bool text_error = false;         // the error came from the text encoder
};

class ScriptRunner {
public:
  ScriptRunner(const wast::Script& script, const ScriptRunConfig& config, const FileRunContext& ctx,
               FileOutcome& out)
      : script_(script), ctx_(ctx), out_(out) {
    sessions_.push_back(std::make_unique<ScriptSession>(engine_config(config, config.tier)));
    if (config.differential) {
      bool tiered = config.differential_tiered_threshold != 0;
      EngineConfig jit = engine_config(config, tiered ? TierChoice::Tiered : TierChoice::Jit);
      if (tiered) jit.tierup_threshold = config.differential_tiered_threshold;
      second_name_ = tiered ? "tiered" : "jit";
      jit.debug_jit_miscompile = config.inject_jit_miscompile;
      sessions_.push_back(std::make_unique<ScriptSession>(jit));
    }
    for (auto& s : sessions_) components_.push_back(std::make_unique<ComponentSession>(*s));
    s_ = sessions_.front().get();
    cs_ = components_.front().get();
    setup_isolation(config);
  }

  // The isolation audit: one per session. Default mode: full when the script
  // has an isolation directive or annotation or a report is requested, else
  // off (no audit at all).
  void setup_isolation(const ScriptRunConfig& config) {
    bool has_directive = wast::count_commands(script_)[CommandKind::AssertIsolated] != 0;
    IsolationMode mode = config.isolation_explicit                  ? config.isolation
                         : has_directive || config.isolation_report ? IsolationMode::Full
                                                                    : IsolationMode::Off;
    if (mode == IsolationMode::Off && !has_directive && !config.isolation_report) return;
    auto_check_ = mode == IsolationMode::Auto;
    for (auto& cs : components_) {
      audits_.push_back(std::make_unique<IsolationAudit>());
      audits_.back()->set_recording(mode != IsolationMode::Off);
      cs->set_audit(audits_.back().get(), mode != IsolationMode::Off);
    }
    if (mode == IsolationMode::Off && has_directive)
      out_.warnings.push_back("note: ledger disabled by --isolation=off");
  }

  // Collects the primary session's audit for --isolation-report.
  void finish_isolation(bool report) {
    if (!report || audits_.empty()) return;
    audits_.front()->report_json(script_.file_name, out_.isolation_cis, out_.isolation_edges,
                                 out_.isolation_ledger);
    out_.isolation_dot = audits_.front()->report_dot(script_.file_name);
  }

  // --isolation=auto: every crossing recorded during the directive must
  // match a static edge (an engine self-check).
  void self_check(DirectiveOutcome& d) {
    for (auto& a : audits_) {
      auto m = a->self_check();
      if (m && d.outcome != Outcome::Failed) {
        d.outcome = Outcome::Failed;
        d.message = *m;
      }
    }
  }

  void run() {
    if (!pre_encode()) return;
    for (size_t i = 0; i < script_.commands.size(); ++i) {
      if (ctx_.stop && ctx_.stop->load()) return;
      const Command& c = script_.commands[i];
      for (auto& a : audits_) a->set_line(c.loc.line);
      DirectiveOutcome d = run_everywhere(c, i);
      if (auto_check_) self_check(d);
      d.line = c.loc.line;
      if (d.directive.empty()) d.directive = wast::command_kind_name(c.kind);
      bool stop = d.outcome == Outcome::Failed && ctx_.fail_fast && !ctx_.is_listed(d.line);
      out_.directives.push_back(std::move(d));
      if (stop) return;
    }
  }

private:
  static EngineConfig engine_config(const ScriptRunConfig& config, TierChoice tier) {
    EngineConfig ec;
    ec.features = config.features;
    ec.tier = tier == TierChoice::Interp ? Tier::Interp
              : tier == TierChoice::Jit  ? Tier::Jit
                                         : Tier::Tiered;
    return ec;
  }

  // Runs one command on every session; in differential mode the sessions'
  // observations and exported state must agree.
  DirectiveOutcome run_everywhere(const Command& c, size_t index) {
    s_ = sessions_[0].get();
    cs_ = components_[0].get();
    DirectiveOutcome d = run_command(c, index);
    if (sessions_.size() == 1) return d;
    std::vector<Observation> obs0 = s_->take_observations();
    std::vector<Observation> state0 = s_->state_digest();
    s_ = sessions_[1].get();
    cs_ = components_[1].get();
    DirectiveOutcome d1 = run_command(c, index);
    std::vector<Observation> obs1 = s_->take_observations();
    std::vector<Observation> state1 = s_->state_digest();
    s_ = sessions_[0].get();
    cs_ = components_[0].get();
    // The expected results give the lane shapes of v128 values.
    std::vector<wast::ResultPattern> patterns;
    for (const auto& e : c.expected)
      if (const auto* p = std::get_if<wast::ResultPattern>(&e)) patterns.push_back(*p);
    if (auto diff = first_disagreement(obs0, obs1, patterns, "interp", second_name_))
      return failed("differential mismatch: " + *diff);
    if (d.outcome != d1.outcome)
      return failed("differential mismatch: interp: " + std::string(outcome_name(d.outcome)) + " " +
                    d.message + " | " + second_name_ + ": " +
                    std::string(outcome_name(d1.outcome)) + " " + d1.message);
    if (auto diff = first_disagreement(state0, state1, {}, "interp", second_name_))
      return failed("differential state mismatch after this directive: " + *diff);
    return d;
  }

  static bool has_module(CommandKind k) {
    switch (k) {
    case CommandKind::Module:
    case CommandKind::AssertUninstantiable:
    case CommandKind::AssertInvalid:
    case CommandKind::AssertMalformed:
    case CommandKind::AssertUnlinkable:
    case CommandKind::AssertMalformedCustom:
    case CommandKind::AssertInvalidCustom: return true;
    default: return false;
    }
  }

  // Encodes every core text module up front (wast-crate behaviour).
  bool pre_encode() {
    encoded_.resize(script_.commands.size());
    for (size_t i = 0; i < script_.commands.size(); ++i) {
      const Command& c = script_.commands[i];
      if (!has_module(c.kind) || c.module.kind != ModuleKind::Core ||
          c.module.form != ModuleForm::Text)
        continue;
      auto bytes = wast::encode_wat_module(script_.form_tokens(c.module));
      if (!bytes && bytes.error().kind != ErrorKind::Unsupported) {
        out_.aborted = true;
        DirectiveOutcome d;
        d.line = c.module.loc.line;
        d.directive = wast::command_kind_name(c.kind);
        d.outcome = Outcome::Failed;
        d.message = "text module does not encode, the file stops here: " +
                    wast::format_error(bytes.error(), script_.file_name);
        out_.directives.push_back(std::move(d));
        return false;
      }
      encoded_[i] = std::move(bytes);
    }
    return true;
  }

  Obtained obtain(const Command& c, size_t index) {
    Obtained o;
    const ModuleSource& m = c.module;
    std::vector<uint8_t> quoted;
    std::span<const uint8_t> bytes;
    switch (m.form) {
    case ModuleForm::Text: {
      const auto& enc = *encoded_[index];
      if (!enc) {
        o.skip = enc.error().message;
        return o;
      }
      bytes = enc.value();
      break;
    }
    case ModuleForm::Binary:
      bytes = std::span(reinterpret_cast<const uint8_t*>(m.bytes.data()), m.bytes.size());
      break;
    case ModuleForm::Quote: {
      auto enc = wast::wat_to_binary(m.text);
      if (!enc) {
        if (enc.error().kind == ErrorKind::Unsupported)
          o.skip = enc.error().message;
        else {
          o.error = enc.error();
          o.text_error = true;
        }
        return o;
      }
      quoted = std::move(*enc);
      bytes = quoted;
      break;
    }
    case ModuleForm::Instance: {
      o.error = Error::make(ErrorKind::Usage, "a module instance form cannot be used here");
      return o;
    }
    }
    auto compiled = s_->compile(bytes);
    if (!compiled) {
      if (compiled.error().kind == ErrorKind::Unsupported)
        o.skip = compiled.error().message;
      else
        o.error = compiled.error();
      return o;
    }
    o.module = std::move(*compiled);
    return o;
  }

  static DirectiveOutcome passed() { return make_outcome(0, "", Outcome::Passed, ""); }
  static DirectiveOutcome failed(std::string msg) {
    return make_outcome(0, "", Outcome::Failed, std::move(msg));
  }
  static DirectiveOutcome skipped(std::string reason) {
    return make_outcome(0, "", Outcome::Skipped, std::move(reason));
  }
  // A dependent directive: skipped with the reason of what it depends on.
  static DirectiveOutcome not_run(const Unavailable& u) { return skipped(u.reason); }

  Unavailable failed_dependency(const Command& c) const {
    return {true, "not run: depends on the module at line " + std::to_string(c.loc.line) +
                      ", which failed"};
  }

  DirectiveOutcome run_command(const Command& c, size_t index) {
    switch (c.kind) {
    case CommandKind::Module: return run_module(c, index);
    case CommandKind::Register: return run_register(c);
    case CommandKind::Action: {
      if (cs_->handles(c.action)) return cs_->action(c);
      ActionOutcome a = run_action(c.action);
      if (a.unavailable) return not_run(*a.unavailable);
      if (!a.result) return failed("the action failed: " + describe_error(a.result.error()));
      return passed();
    }
    case CommandKind::AssertReturn:
      if (cs_->handles(c.action)) return cs_->assert_return(c);
      return run_assert_return(c);
    case CommandKind::AssertTrap:
      if (cs_->handles(c.action)) return cs_->assert_trap(c);
      return run_assert_failure(c, ErrorKind::Trap, MessageContext::Trap, "a trap");
    case CommandKind::AssertExhaustion:
      return run_assert_failure(c, ErrorKind::Exhaustion, MessageContext::Exhaustion, "exhaustion");
    case CommandKind::AssertException:
      return run_assert_failure(c, ErrorKind::Exception, MessageContext::Trap, "an exception");
    case CommandKind::AssertUninstantiable: return run_assert_instantiation(c, index, true);
    case CommandKind::AssertUnlinkable: return run_assert_instantiation(c, index, false);
    case CommandKind::AssertInvalid: return run_assert_invalid(c, index);
    case CommandKind::AssertMalformed: return run_assert_malformed(c, index);
    case CommandKind::AssertSuspension:
      return skipped("assert_suspension needs stack switching, which is not implemented");
    case CommandKind::AssertMalformedCustom: return run_assert_custom(c, index, true);
    case CommandKind::AssertInvalidCustom: return run_assert_custom(c, index, false);
    case CommandKind::Thread:
    case CommandKind::Wait: return skipped("thread and wait blocks are not implemented");
    case CommandKind::AssertIsolated: return cs_->assert_isolated(c);
    }
    return failed("unknown command");
  }

  // ---- modules -----------------------------------------------------------

  void bind_unavailable(const ModuleSource& m, const Unavailable& u, bool instance_too) {
    ModuleBinding mb;
    mb.unavailable = u;
    if (m.id) s_->bind_module(*m.id, mb);
    s_->set_last_module(mb);
    if (!instance_too) return;
    InstanceBinding ib;
    ib.unavailable = u;
    if (m.id) s_->bind_instance(*m.id, ib);
    s_->set_current(ib);
  }

  DirectiveOutcome run_module(const Command& c, size_t index) {
    const ModuleSource& m = c.module;
    if (m.kind == ModuleKind::Component) return cs_->module(script_, c);
    if (!m.definition) cs_->clear_current();
    if (m.form == ModuleForm::Instance) return run_module_instance(c);

    Obtained o = obtain(c, index);
    if (o.skip) {
      bind_unavailable(m, {false, *o.skip}, !m.definition);
      return skipped(*o.skip);
    }
    if (o.error) {
      bind_unavailable(m, failed_dependency(c), !m.definition);
      return failed("the module does not " + std::string(o.text_error ? "parse" : "compile") +
                    ": " + describe_error(*o.error));
    }
    ModuleBinding mb;
    mb.module = *o.module;
    if (m.id) s_->bind_module(*m.id, mb);
    s_->set_last_module(mb);
    if (m.definition) return passed();
    return instantiate_and_bind(c, *o.module, m.id);
  }

  DirectiveOutcome instantiate_and_bind(const Command& c, const Module& module,
                                        const std::optional<std::string>& name) {
    Instance inst;
    ActionOutcome a = s_->instantiate(module, &inst);
    InstanceBinding ib;
    DirectiveOutcome result = passed();
    if (a.unavailable) {
      ib.unavailable = a.unavailable;
      result = not_run(*a.unavailable);
    } else if (!a.result) {
      ib.unavailable = failed_dependency(c);
      result = failed("instantiation failed: " + describe_error(a.result.error()));
    } else {
      ib.instance = inst;
    }
    if (name) s_->bind_instance(*name, ib);
    s_->set_current(ib);
    return result;
  }

  DirectiveOutcome run_module_instance(const Command& c) {
    const ModuleSource& m = c.module;
    const ModuleBinding* mb = s_->find_module(m.instance_of);
    if (!mb) {
      bind_unavailable_instance(m, failed_dependency(c));
      return failed(m.instance_of ? "unknown module $" + *m.instance_of
                                  : std::string("no module defined yet"));
    }
    if (mb->unavailable) {
      Unavailable u = *mb->unavailable;
      bind_unavailable_instance(m, u);
      return not_run(u);
    }
    Module module = *mb->module;
    return instantiate_and_bind(c, module, m.id);
  }

  void bind_unavailable_instance(const ModuleSource& m, const Unavailable& u) {
    InstanceBinding ib;
    ib.unavailable = u;
    if (m.id) s_->bind_instance(*m.id, ib);
    s_->set_current(ib);
  }

  DirectiveOutcome run_register(const Command& c) {
    const InstanceBinding* ib = s_->find_instance(c.register_instance);
    if (!ib)
      return failed(c.register_instance ? "unknown instance $" + *c.register_instance
                                        : std::string("no current instance to register"));
    InstanceBinding copy = *ib;
    (void)s_->register_instance(c.register_name, copy);
    if (copy.unavailable) return not_run(*copy.unavailable);
    return passed();
  }

  // ---- actions -----------------------------------------------------------

  ActionOutcome run_action(const wast::Action& action) {
    ActionOutcome out;
    const InstanceBinding* ib = s_->find_instance(action.instance);
    if (!ib) {
      out.result =
          Error::make(ErrorKind::Usage, action.instance ? "unknown instance $" + *action.instance
                                                        : std::string("no current instance"));
      return out;
    }
    InstanceBinding binding = *ib;
    if (action.kind == wast::Action::Kind::Get) return s_->get(binding, action.name);
    std::vector<Value> args;
    for (const wast::Arg& arg : action.args) {
      const auto* core = std::get_if<wast::CoreValue>(&arg);
      if (!core) {
        out.unavailable = Unavailable{false, kComponentSkip};
        return out;
      }
      auto v = to_value(*core);
      if (!v) {
        out.result = v.error();
        return out;
      }
      args.push_back(*v);
    }
    return s_->invoke(binding, action.name, args);
  }

  Result<Value> to_value(const wast::CoreValue& v) {
    using K = wast::CoreValue::Kind;
    switch (v.kind) {
    case K::I32: return Value::i32(uint32_t(v.bits));
    case K::I64: return Value::i64(v.bits);
    case K::F32: return Value::f32_bits(uint32_t(v.bits));
    case K::F64: return Value::f64_bits(v.bits);
    case K::V128: {
      V128 x;
      for (int i = 0; i < 16; ++i) x.bytes[i] = v.v128[i];
      return Value::v128(x);
    }
    case K::RefNull:
      if (!v.heap.is_abstract())
        return Error::make(ErrorKind::Usage, "ref.null with a type index is not supported as an "
                                             "argument");
      return Value::null(ValType::ref(v.heap, true));
    case K::RefExtern: return s_->store().extern_ref(uint32_t(v.bits));
    case K::RefHost: return s_->store().host_any_ref(uint32_t(v.bits));
    }
    return Error::make(ErrorKind::Usage, "unknown argument kind");
  }

  RefDescriber describer() {
    return [this](const Value& v) { return s_->store().describe(v); };
  }

  DirectiveOutcome run_assert_return(const Command& c) {
    std::vector<wast::ResultPattern> patterns;
    for (const auto& e : c.expected) {
      const auto* p = std::get_if<wast::ResultPattern>(&e);
      if (!p) return skipped(kComponentSkip);
      patterns.push_back(*p);
    }
    ActionOutcome a = run_action(c.action);
    if (a.unavailable) return not_run(*a.unavailable);
    if (!a.result)
      return failed("expected " + format_patterns(patterns) + ", got " +
                    describe_error(a.result.error()));
    const std::vector<Value>& values = *a.result;
    RefDescriber d = describer();
    if (matches_results(patterns, values, d)) return passed();
    return failed("expected " + format_patterns(patterns) + ", got " +
                  format_values(values, patterns, d));
  }

  // assert_trap / assert_exhaustion / assert_exception on an action.
  DirectiveOutcome run_assert_failure(const Command& c, ErrorKind want, MessageContext mctx,
                                      const char* what) {
    ActionOutcome a = run_action(c.action);
    if (a.unavailable) return not_run(*a.unavailable);
    bool has_message = want != ErrorKind::Exception;
    std::string expected =
        std::string("expected ") + what + (has_message ? " \"" + c.message + "\"" : "");
    if (a.result) return failed(expected + ", got " + format_values(*a.result, {}, describer()));
    const Error& e = a.result.error();
    if (e.kind != want) return failed(expected + ", got " + describe_error(e));
    if (has_message && !message_matches(mctx, c.message, e.message))
      return failed(expected + ", got " + describe_error(e));
    return passed();
  }

  // ---- module assertions -------------------------------------------------

  // The module of an assertion: a core module compiled, or a component (skip).
  DirectiveOutcome run_assert_instantiation(const Command& c, size_t index, bool trap) {
    const ModuleSource& m = c.module;
    if (m.kind == ModuleKind::Component) return cs_->assert_instantiation(script_, c, trap);
    std::optional<Module> module;
    if (m.form == ModuleForm::Instance) {
      const ModuleBinding* mb = s_->find_module(m.instance_of);
      if (!mb) return failed("unknown module");
      if (mb->unavailable) return not_run(*mb->unavailable);
      module = mb->module;
    } else {
      Obtained o = obtain(c, index);
      if (o.skip) return skipped(*o.skip);
      if (o.error)
        return failed(std::string("expected ") + (trap ? "an instantiation trap" : "a link error") +
                      " \"" + c.message + "\", but the module does not " +
                      (o.text_error ? "parse" : "compile") + ": " + describe_error(*o.error));
      module = o.module;
    }
    Instance inst;
    ActionOutcome a = s_->instantiate(*module, &inst);
    if (a.unavailable) return not_run(*a.unavailable);
    std::string expected = std::string("expected ") +
                           (trap ? "an instantiation trap" : "a link error") + " \"" + c.message +
                           "\"";
    if (a.result) return failed(expected + ", but the module instantiated");
    const Error& e = a.result.error();
    bool kind_ok = trap ? (e.kind == ErrorKind::Trap || e.kind == ErrorKind::Exception)
                        : e.kind == ErrorKind::Unlinkable;
    MessageContext mctx = trap ? MessageContext::Trap : MessageContext::Unlinkable;
    if (!kind_ok ||
        (e.kind != ErrorKind::Exception && !message_matches(mctx, c.message, e.message)))
      return failed(expected + ", got " + describe_error(e));
    return passed();
  }

  DirectiveOutcome run_assert_invalid(const Command& c, size_t index) {
    if (c.module.kind == ModuleKind::Component) return cs_->assert_invalid(script_, c);
    if (c.module.form == ModuleForm::Instance)
      return failed("a module instance form cannot be "
                    "invalid");
    Obtained o = obtain(c, index);
    if (o.skip) return skipped(*o.skip);
    std::string expected = "expected invalid \"" + c.message + "\"";
    if (!o.error) return failed(expected + ", but the module is valid");
    const Error& e = *o.error;
    if (o.text_error) return failed(expected + ", but the text does not parse: " + e.message);
    if (e.kind != ErrorKind::Invalid) return failed(expected + ", got " + describe_error(e));
    if (!message_matches(MessageContext::Invalid, c.message, e.message))
      return failed(expected + ", got " + describe_error(e));
    return passed();
  }

  DirectiveOutcome run_assert_malformed(const Command& c, size_t index) {
    if (c.module.kind == ModuleKind::Component) return cs_->assert_malformed(script_, c);
    if (c.module.form == ModuleForm::Instance)
      return failed("a module instance form cannot be "
                    "malformed");
    Obtained o = obtain(c, index);
    if (o.skip) return skipped(*o.skip);
    std::string expected = "expected malformed \"" + c.message + "\"";
    if (!o.error) return failed(expected + ", but the module is valid");
    const Error& e = *o.error;
    // A text module may also be rejected by the decoder after encoding: both
    // are syntax, so a Malformed error from either counts.
    if (e.kind != ErrorKind::Malformed) return failed(expected + ", got " + describe_error(e));
    if (!message_matches(MessageContext::Malformed, c.message, e.message))
      return failed(expected + ", got " + describe_error(e));
    return passed();
  }

  // assert_malformed_custom / assert_invalid_custom: the module is fine, its
  // custom annotations (placement, then syntax) or the custom sections they
  // produce (decoded and validated by the engine) are not.
  DirectiveOutcome run_assert_custom(const Command& c, size_t index, bool malformed) {
    const ModuleSource& m = c.module;
    if (m.kind == ModuleKind::Component || m.form == ModuleForm::Instance)
      return failed("custom-annotation assertions take a core module");
    std::string expected = std::string(malformed ? "expected malformed" : "expected invalid") +
                           " custom annotation \"" + c.message + "\"";
    Status placed = Status{};
    if (m.form == ModuleForm::Quote)
      placed = wast::check_custom_annotations_text(m.text);
    else if (m.form == ModuleForm::Text)
      placed = wast::check_custom_annotations(script_.form_tokens(m));
    std::optional<Error> err;
    if (!placed) err = placed.error();
    if (!err) {
      Obtained o = obtain(c, index);
      if (o.skip) return skipped(*o.skip);
      if (o.error) err = *o.error;
      if (!err && o.module) {
        Status sections = o.module->check_custom_sections();
        if (!sections) err = sections.error();
      }
    }
    if (!err) return failed(expected + ", but the module and its custom sections are fine");
    ErrorKind want = malformed ? ErrorKind::Malformed : ErrorKind::Invalid;
    MessageContext ctx = malformed ? MessageContext::Malformed : MessageContext::Invalid;
    if (err->kind != want || !message_matches(ctx, c.message, err->message))
      return failed(expected + ", got " + describe_error(*err));
    return passed();
  }

  const wast::Script& script_;
  const FileRunContext& ctx_;
  FileOutcome& out_;
  std::vector<std::unique_ptr<ScriptSession>> sessions_;      // [0] primary, [1] JIT (differential)
  std::string second_name_ = "jit";                           // the second store's tier
  ScriptSession* s_ = nullptr;                                // the session being driven
  std::vector<std::unique_ptr<ComponentSession>> components_; // parallel to sessions_
  std::vector<std::unique_ptr<IsolationAudit>> audits_;       // parallel, when auditing
  bool auto_check_ = false;
  ComponentSession* cs_ = nullptr;
  std::vector<std::optional<Result<std::vector<uint8_t>>>> encoded_;
};

} // namespace

FileOutcome run_script_file(const ScriptFile& file, const FileRunContext& ctx,
                            const ScriptRunConfig& config) {
  FileOutcome out;
  out.path = file.path;
  std::ifstream in(file.path, std::ios::binary);
  if (!in) {
    out.aborted = true;
    out.unreadable = true;
    out.directives.push_back(make_outcome(0, "file", Outcome::Failed, "cannot read the file"));
    return out;
  }
  std::stringstream text;
  text << in.rdbuf();
  auto script = wast::parse_script(text.str(), file.path);
  if (!script) {
    out.aborted = true;
    out.directives.push_back(make_outcome(script.error().line, "script", Outcome::Failed,
                                          "the script does not parse: " + script.error().message));
    return out;
  }
  ScriptRunner runner(*script, config, ctx, out);
  runner.run();
  runner.finish_isolation(config.isolation_report);
  return out;
}

} // namespace tandem::harness
