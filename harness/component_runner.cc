// Component directives of the .wast runner: encode (wast/component_encoder.h),
// compile (decode + validate), instantiate, invoke with component values and
// match component results (doc section 9: records by field order, flags as
// sets, NaN matches NaN).
#include "component_runner.h"

#include "message_match.h"
#include "wast/component_encoder.h"

#include <algorithm>
#include <set>

namespace tandem::harness {
namespace {

using CK = wast::CompValue::Kind;
using VK = ComponentValue::Kind;

DirectiveOutcome passed() {
  return make_outcome(0, "", Outcome::Passed, "");
}
DirectiveOutcome failed(std::string m) {
  return make_outcome(0, "", Outcome::Failed, std::move(m));
}
DirectiveOutcome skipped(std::string m) {
  return make_outcome(0, "", Outcome::Skipped, std::move(m));
}
// Component messages are wasmtime's and wasmtime compares by substring
// (docs/wast-script-language.md section 8); a "wasm trap: " prefix of the
// expected text is wasmtime's error-chain formatting, not part of our message.
bool component_message_matches(MessageContext ctx, std::string_view expected,
                               std::string_view actual) {
  constexpr std::string_view kPrefix = "wasm trap: ";
  if (expected.substr(0, kPrefix.size()) == kPrefix) expected.remove_prefix(kPrefix.size());
  if (actual.find(expected) != std::string_view::npos) return true;
  // wasmtime's spelling of core traps that reach a component caller.
  static constexpr std::pair<std::string_view, std::string_view> kCoreTraps[] = {
      {"wasm `unreachable` instruction executed", "unreachable"},
      // The text lexer speaks the reference interpreter's wording (core
      // scripts expect it); wasm-tools names the same lexical error so.
      {"invalid string escape", "illegal escape"},
  };
  for (const auto& [theirs, ours] : kCoreTraps)
    if (expected == theirs && actual.find(ours) != std::string_view::npos) return true;
  return message_matches(ctx, expected, actual);
}

// The reason of a directive that depends on a component that failed.
std::string depends(const wast::Command& c) {
  return "not run: depends on the component at line " + std::to_string(c.loc.line) +
         ", which failed";
}

std::string describe(const Error& e) {
  return std::string(error_kind_name(e.kind)) + ": " + e.message;
}

ComponentValue to_component(const wast::CompValue& v) {
  ComponentValue o;
  o.bits = v.bits;
  switch (v.kind) {
  case CK::Bool: o.kind = VK::Bool; break;
  case CK::U8: o.kind = VK::U8; break;
  case CK::S8: o.kind = VK::S8; break;
  case CK::U16: o.kind = VK::U16; break;
  case CK::S16: o.kind = VK::S16; break;
  case CK::U32: o.kind = VK::U32; break;
  case CK::S32: o.kind = VK::S32; break;
  case CK::U64: o.kind = VK::U64; break;
  case CK::S64: o.kind = VK::S64; break;
  case CK::F32: o.kind = VK::F32; break;
  case CK::F64: o.kind = VK::F64; break;
  case CK::Char: o.kind = VK::Char; break;
  case CK::String:
    o.kind = VK::String;
    o.text = v.text;
    o.bits = v.text.size();
    break;
  case CK::List: o.kind = VK::List; break;
  case CK::Tuple: o.kind = VK::Tuple; break;
  case CK::Record:
    o.kind = VK::Record;
    o.names = v.names;
    break;
  case CK::Variant:
    o.kind = VK::Variant;
    o.text = v.text;
    break;
  case CK::Enum:
    o.kind = VK::Enum;
    o.text = v.text;
    break;
  case CK::OptionNone:
    o.kind = VK::Option;
    o.text = "none";
    break;
  case CK::OptionSome:
    o.kind = VK::Option;
    o.text = "some";
    break;
  case CK::ResultOk:
    o.kind = VK::Result;
    o.text = "ok";
    break;
  case CK::ResultErr:
    o.kind = VK::Result;
    o.text = "err";
    break;
  case CK::Flags:
    o.kind = VK::Flags;
    o.names = v.names;
    break;
  }
  if (v.kind != CK::Flags)
    for (const auto& i : v.items) o.items.push_back(to_component(i));
  return o;
}

bool is_nan32(uint64_t b) {
  return (b & 0x7f800000) == 0x7f800000 && (b & 0x7fffff);
}
bool is_nan64(uint64_t b) {
  return (b & 0x7ff0000000000000ull) == 0x7ff0000000000000ull && (b & 0xfffffffffffffull);
}

bool matches(const wast::CompValue& want, const ComponentValue& got) {
  ComponentValue w = to_component(want);
  if (w.kind != got.kind) return false;
  switch (w.kind) {
  case VK::F32:
    return (is_nan32(w.bits) && is_nan32(got.bits)) || uint32_t(w.bits) == uint32_t(got.bits);
  case VK::F64: return (is_nan64(w.bits) && is_nan64(got.bits)) || w.bits == got.bits;
  case VK::Bool: return (w.bits != 0) == (got.bits != 0);
  case VK::String: return w.text == got.text;
  case VK::Flags: {
    std::set<std::string> a(w.names.begin(), w.names.end()), b(got.names.begin(), got.names.end());
    return a == b;
  }
  case VK::Variant:
  case VK::Enum:
  case VK::Option:
  case VK::Result:
    if (w.text != got.text) return false;
    break;
  case VK::List:
  case VK::Record:
  case VK::Tuple: break;
  default: return w.bits == got.bits;
  }
  if (want.items.size() != got.items.size()) return false;
  for (size_t i = 0; i < want.items.size(); ++i)
    if (!matches(want.items[i], got.items[i])) return false;
  return true;
}

std::string format(const ComponentValue& v) {
  auto items = [&](const char* head) {
    std::string s = std::string("(") + head;
    for (const auto& i : v.items) {
      s += ' ';
      s += format(i);
    }
    s += ')';
    return s;
  };
  switch (v.kind) {
  case VK::Bool: return v.bits ? "(bool.const true)" : "(bool.const false)";
  case VK::S8: return "(s8.const " + std::to_string(int64_t(v.bits)) + ")";
  case VK::S16: return "(s16.const " + std::to_string(int64_t(v.bits)) + ")";
  case VK::S32: return "(s32.const " + std::to_string(int64_t(v.bits)) + ")";
  case VK::S64: return "(s64.const " + std::to_string(int64_t(v.bits)) + ")";
  case VK::U8: return "(u8.const " + std::to_string(v.bits) + ")";
  case VK::U16: return "(u16.const " + std::to_string(v.bits) + ")";
  case VK::U32: return "(u32.const " + std::to_string(v.bits) + ")";
  case VK::U64: return "(u64.const " + std::to_string(v.bits) + ")";
  case VK::F32: return "(f32.const bits:" + std::to_string(v.bits) + ")";
  case VK::F64: return "(f64.const bits:" + std::to_string(v.bits) + ")";
  case VK::Char: return "(char.const U+" + std::to_string(v.bits) + ")";
  case VK::String: return "(str.const \"" + v.text + "\")";
  case VK::List: return items("list.const");
  case VK::Record: return items("record.const");
  case VK::Tuple: return items("tuple.const");
  case VK::Variant: return items(("variant.const \"" + v.text + "\"").c_str());
  case VK::Enum: return "(enum.const \"" + v.text + "\")";
  case VK::Option: return items(("option." + v.text).c_str());
  case VK::Result: return items(("result." + v.text).c_str());
  case VK::Flags: {
    std::string s = "(flags.const";
    for (const auto& n : v.names) s += " \"" + n + "\"";
    return s + ")";
  }
  case VK::Own: return "(own " + std::to_string(v.bits) + ")";
  case VK::Borrow: return "(borrow " + std::to_string(v.bits) + ")";
  }
  return "?";
}

std::string format_all(const std::vector<ComponentValue>& vs) {
  std::string s;
  for (const auto& v : vs) {
    if (!s.empty()) s += ' ';
    s += format(v);
  }
  return s.empty() ? "()" : s;
}

} // namespace

ComponentSession::Compiled ComponentSession::obtain(const wast::Script& script,
                                                    const wast::ModuleSource& m) {
  Compiled out;
  Result<std::vector<uint8_t>> bytes = std::vector<uint8_t>{};
  switch (m.form) {
  case wast::ModuleForm::Text: bytes = wast::encode_wat_component(script.form_tokens(m)); break;
  case wast::ModuleForm::Binary:
    bytes = std::vector<uint8_t>(m.bytes.begin(), m.bytes.end());
    break;
  case wast::ModuleForm::Quote: bytes = wast::component_text_to_binary(m.text); break;
  case wast::ModuleForm::Instance:
    out.error = Error::make(ErrorKind::Usage, "a component instance form cannot be used here");
    return out;
  }
  if (!bytes) {
    if (bytes.error().kind == ErrorKind::Unsupported)
      out.skip = bytes.error().message;
    else {
      out.error = bytes.error();
      out.text_error = m.form != wast::ModuleForm::Binary;
    }
    return out;
  }
  // Validation as wasmtime's runner does it for this suite: with the async
  // built-ins allowed. Running them is not implemented: instantiating a
  // component that uses them is Unsupported (a skip).
  FeatureSet features = s_.engine().config().features;
  if (features.has(Feature::component_model)) features.set(Feature::component_model_async);
  // wasmparser's defaults include shared memories (threads), so embedded
  // core modules may declare them (validation/instantiation.wast).
  if (features.has(Feature::component_model)) features.set(Feature::threads);
  auto c = Component::compile(s_.engine(), *bytes, features);
  s_.observe(c ? std::string("component compiled") : "component compile " + describe(c.error()));
  if (!c) {
    if (c.error().kind == ErrorKind::Unsupported)
      out.skip = c.error().message;
    else
      out.error = c.error();
    return out;
  }
  out.component = std::move(*c);
  return out;
}

const ComponentSession::Binding*
ComponentSession::find(const std::optional<std::string>& name) const {
  if (!name) return current_is_component_ ? &current_ : nullptr;
  auto it = instances_.find(*name);
  return it == instances_.end() ? nullptr : &it->second;
}

void ComponentSession::bind(const std::optional<std::string>& name, Binding b) {
  if (name) instances_[*name] = b;
  current_ = std::move(b);
  current_is_component_ = true;
}

bool ComponentSession::handles(const wast::Action& a) const {
  if (a.instance) return instances_.count(*a.instance) != 0;
  return current_is_component_;
}

DirectiveOutcome ComponentSession::module(const wast::Script& script, const wast::Command& c) {
  const wast::ModuleSource& m = c.module;
  std::optional<Component> comp;
  if (m.form == wast::ModuleForm::Instance) {
    std::optional<Component>* def = nullptr;
    if (m.instance_of) {
      auto it = definitions_.find(*m.instance_of);
      if (it != definitions_.end()) def = &it->second;
    } else if (last_definition_) {
      comp = last_definition_;
    }
    if (def) comp = *def;
    if (!comp) {
      bind(m.id, Binding{std::nullopt, "not run: the component definition is unavailable", true});
      return skipped("not run: the component definition is unavailable");
    }
  } else {
    Compiled o = obtain(script, m);
    if (!o.component) {
      std::string why = o.skip ? *o.skip
                               : "the component does not " +
                                     std::string(o.text_error ? "parse" : "compile") + ": " +
                                     describe(*o.error);
      if (m.definition) {
        if (m.id) definitions_[*m.id] = std::nullopt;
      } else {
        bind(m.id, Binding{std::nullopt, o.skip ? why : depends(c), !o.skip});
      }
      return o.skip ? skipped(why) : failed(why);
    }
    comp = o.component;
    if (m.definition) {
      if (m.id) definitions_[*m.id] = comp;
      last_definition_ = comp;
      return passed();
    }
  }
  auto inst = instantiate(*comp);
  s_.observe(inst ? std::string("component instantiated")
                  : "component instantiate " + describe(inst.error()));
  if (!inst) {
    bool skip = inst.error().kind == ErrorKind::Unsupported;
    std::string why =
        skip ? inst.error().message : "component instantiation failed: " + describe(inst.error());
    bind(m.id, Binding{std::nullopt, skip ? why : depends(c), !skip});
    return skip ? skipped(why) : failed(why);
  }
  if (audit_) audit_->attach(*inst);
  // Doc section 11: a named instance is importable by later components as
  // `(import "name" (instance ...))`, with its exported core modules and
  // resource types only; a later instance of the same name shadows it.
  if (m.id && host_) host_->instance(*m.id, inst->reflect());
  bind(m.id, Binding{*inst, std::nullopt, false});
  return passed();
}

DirectiveOutcome ComponentSession::assert_invalid(const wast::Script& script,
                                                  const wast::Command& c) {
  Compiled o = obtain(script, c.module);
  if (o.skip) return skipped(*o.skip);
  std::string expected = "expected invalid \"" + c.message + "\"";
  if (!o.error) return failed(expected + ", but the component is valid");
  if (o.text_error) return failed(expected + ", but the text does not parse: " + o.error->message);
  if (o.error->kind != ErrorKind::Invalid ||
      !component_message_matches(MessageContext::Invalid, c.message, o.error->message))
    return failed(expected + ", got " + describe(*o.error));
  return passed();
}

DirectiveOutcome ComponentSession::assert_malformed(const wast::Script& script,
                                                    const wast::Command& c) {
  Compiled o = obtain(script, c.module);
  if (o.skip) return skipped(*o.skip);
  std::string expected = "expected malformed \"" + c.message + "\"";
  if (!o.error) return failed(expected + ", but the component is valid");
  if (o.error->kind != ErrorKind::Malformed ||
      !component_message_matches(MessageContext::Malformed, c.message, o.error->message))
    return failed(expected + ", got " + describe(*o.error));
  return passed();
}

DirectiveOutcome ComponentSession::assert_instantiation(const wast::Script& script,
                                                        const wast::Command& c, bool trap) {
  std::optional<Component> comp;
  if (c.module.form == wast::ModuleForm::Instance) {
    if (c.module.instance_of) {
      auto it = definitions_.find(*c.module.instance_of);
      if (it != definitions_.end()) comp = it->second;
    }
    if (!comp) return skipped("not run: the component definition is unavailable");
  } else {
    Compiled o = obtain(script, c.module);
    if (o.skip) return skipped(*o.skip);
    if (o.error) return failed("the component does not compile: " + describe(*o.error));
    comp = o.component;
  }
  std::string expected = std::string("expected ") +
                         (trap ? "an instantiation trap" : "a link error") + " \"" + c.message +
                         "\"";
  auto inst = instantiate(*comp);
  s_.observe(inst ? std::string("component instantiated")
                  : "component instantiate " + describe(inst.error()));
  if (inst) return failed(expected + ", but the component instantiated");
  const Error& e = inst.error();
  if (e.kind == ErrorKind::Unsupported) return skipped(e.message);
  bool kind_ok = trap ? e.kind == ErrorKind::Trap : e.kind == ErrorKind::Unlinkable;
  if (!kind_ok ||
      !component_message_matches(trap ? MessageContext::Trap : MessageContext::Unlinkable,
                                 c.message, e.message))
    return failed(expected + ", got " + describe(e));
  return passed();
}

Result<ComponentInstance> ComponentSession::instantiate(const Component& c) {
  if (!host_) {
    host_ = wasmtime_component_host(s_.engine(), host_state_);
    host_fs_.add_to(*host_);
  }
  return ComponentInstance::instantiate(s_.store(), c, *host_);
}

ComponentSession::CallOutcome ComponentSession::call(const wast::Action& a) {
  CallOutcome out;
  const Binding* b = find(a.instance);
  if (!b) {
    out.result = Error::make(ErrorKind::Usage, "no component instance");
    return out;
  }
  if (!b->instance) {
    out.not_run = skipped(b->unavailable.value_or("not run"));
    return out;
  }
  if (a.kind == wast::Action::Kind::Get) {
    out.not_run = skipped("component value exports are not implemented");
    return out;
  }
  std::vector<ComponentValue> args;
  for (const auto& arg : a.args) {
    const auto* cv = std::get_if<wast::CompValue>(&arg);
    if (!cv) {
      out.result = Error::make(ErrorKind::Usage, "a core value passed to a component function");
      return out;
    }
    args.push_back(to_component(*cv));
  }
  out.result = b->instance->call(s_.store(), a.name, args);
  s_.observe(out.result ? "component call " + a.name + ": " + format_all(*out.result)
                        : "component call " + a.name + ": " + describe(out.result.error()));
  return out;
}

DirectiveOutcome ComponentSession::action(const wast::Command& c) {
  CallOutcome o = call(c.action);
  if (o.not_run) return *o.not_run;
  if (!o.result && o.result.error().kind == ErrorKind::Unsupported)
    return skipped(o.result.error().message);
  if (!o.result) return failed("the action failed: " + describe(o.result.error()));
  return passed();
}

DirectiveOutcome ComponentSession::assert_return(const wast::Command& c) {
  CallOutcome o = call(c.action);
  if (o.not_run) return *o.not_run;
  std::vector<const wast::CompValue*> want;
  for (const auto& e : c.expected) {
    const auto* v = std::get_if<wast::CompValue>(&e);
    if (!v) return failed("a core result pattern for a component function");
    want.push_back(v);
  }
  std::string expected = "expected " + std::to_string(want.size()) + " result(s)";
  if (!o.result && o.result.error().kind == ErrorKind::Unsupported)
    return skipped(o.result.error().message);
  if (!o.result) return failed(expected + ", got " + describe(o.result.error()));
  const auto& got = *o.result;
  bool ok = got.size() == want.size();
  for (size_t i = 0; ok && i < got.size(); ++i) ok = matches(*want[i], got[i]);
  if (ok) return passed();
  std::string w;
  for (const auto* v : want) w += (w.empty() ? "" : " ") + format(to_component(*v));
  return failed("expected " + (w.empty() ? std::string("()") : w) + ", got " + format_all(got));
}

DirectiveOutcome ComponentSession::assert_trap(const wast::Command& c) {
  CallOutcome o = call(c.action);
  if (o.not_run) return *o.not_run;
  std::string expected = "expected a trap \"" + c.message + "\"";
  if (o.result) return failed(expected + ", got " + format_all(*o.result));
  const Error& e = o.result.error();
  if (e.kind == ErrorKind::Unsupported) return skipped(e.message);
  if (e.kind != ErrorKind::Trap ||
      !component_message_matches(MessageContext::Trap, c.message, e.message))
    return failed(expected + ", got " + describe(e));
  return passed();
}

} // namespace tandem::harness
