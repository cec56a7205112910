// WAVE text for component values (tandem/component_text.h): a type-directed
// recursive-descent reader over the validated type arena, and a printer that
// needs no types (ComponentValue carries its kind and case labels).
//
// Nesting is bounded by the type (kMaxTypeDepth), so the reader's recursion
// is bounded whatever the text: a value can only nest as deep as its type.
#include "component/runtime.h"
#include "component/types.h"
#include "tandem/component_text.h"

#include <cmath>
#include <cstdio>
#include <cstring>
#include <limits>

namespace tandem {

struct ComponentTextAccess {
  static Result<const component::FuncRt*> func(const ComponentInstance& inst,
                                               std::string_view name) {
    if (!inst.ci_) return Error::make(ErrorKind::Usage, "no component instance");
    auto it = inst.ci_->exports.find(std::string(name));
    if (it == inst.ci_->exports.end() || !it->second.func)
      return Error::make(ErrorKind::Usage,
                         "failed to find function export `" + std::string(name) + "`");
    return it->second.func.get();
  }
};

namespace {

using component::DefinedType;
using component::DefKind;
using component::PrimVal;
using component::TypeArena;
using component::ValTy;
using K = ComponentValue::Kind;

Error bad(std::string message) {
  return Error::make(ErrorKind::Usage, std::move(message));
}

std::string type_text(const TypeArena& a, const ValTy& t);

std::string list_text(const TypeArena& a, const std::vector<ValTy>& ts) {
  std::string out;
  for (size_t i = 0; i < ts.size(); ++i) out += (i ? ", " : "") + type_text(a, ts[i]);
  return out;
}

std::string type_text(const TypeArena& a, const ValTy& t) {
  if (t.is_prim) return component::prim_name(t.prim);
  const DefinedType& d = a.defined[t.def];
  switch (d.kind) {
  case DefKind::Primitive: return component::prim_name(d.prim);
  case DefKind::Record: {
    std::string out = "record {";
    for (size_t i = 0; i < d.fields.size(); ++i)
      out += (i ? ", " : " ") + d.fields[i].first + ": " + type_text(a, d.fields[i].second);
    return out + " }";
  }
  case DefKind::Variant: {
    std::string out = "variant {";
    for (size_t i = 0; i < d.cases.size(); ++i) {
      out += (i ? ", " : " ") + d.cases[i].first;
      if (d.cases[i].second) out += "(" + type_text(a, *d.cases[i].second) + ")";
    }
    return out + " }";
  }
  case DefKind::List: return "list<" + type_text(a, *d.first) + ">";
  case DefKind::FixedList:
    return "list<" + type_text(a, *d.first) + ", " + std::to_string(d.length) + ">";
  case DefKind::Map: return "map<" + type_text(a, *d.first) + ", " + type_text(a, *d.second) + ">";
  case DefKind::Tuple: return "tuple<" + list_text(a, d.types) + ">";
  case DefKind::Flags:
  case DefKind::Enum: {
    std::string out = d.kind == DefKind::Flags ? "flags {" : "enum {";
    for (size_t i = 0; i < d.names.size(); ++i) out += (i ? ", " : " ") + d.names[i];
    return out + " }";
  }
  case DefKind::Option: return "option<" + type_text(a, *d.first) + ">";
  case DefKind::Result: {
    std::string out = "result";
    if (d.first || d.second)
      out += "<" + (d.first ? type_text(a, *d.first) : "_") +
             (d.second ? ", " + type_text(a, *d.second) : "") + ">";
    return out;
  }
  case DefKind::Own: return "own<resource>";
  case DefKind::Borrow: return "borrow<resource>";
  case DefKind::Stream: return "stream";
  case DefKind::Future: return "future";
  }
  return "?";
}

// The reader: one instance per argument text.
class Reader {
public:
  Reader(const TypeArena& a, std::string_view text) : a_(a), s_(text) {}

  Result<ComponentValue> whole(const ValTy& t) {
    TANDEM_ASSIGN(ComponentValue v, value(t));
    skip_ws();
    if (i_ != s_.size()) return fail("unexpected text after the value");
    return v;
  }

private:
  const TypeArena& a_;
  std::string_view s_;
  size_t i_ = 0;

  Error fail(const std::string& what) const {
    return bad(what + " at column " + std::to_string(i_ + 1) + " of `" + std::string(s_) + "`");
  }
  void skip_ws() {
    while (i_ < s_.size() && (s_[i_] == ' ' || s_[i_] == '\t' || s_[i_] == '\n' || s_[i_] == '\r'))
      ++i_;
  }
  bool eat(char c) {
    skip_ws();
    if (i_ < s_.size() && s_[i_] == c) {
      ++i_;
      return true;
    }
    return false;
  }
  Status expect(char c) {
    if (!eat(c)) return fail(std::string("expected `") + c + "`");
    return {};
  }
  static bool label_char(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-';
  }
  // A label, with the optional `%` escape; or a bare word such as `true`.
  std::string word() {
    skip_ws();
    if (i_ < s_.size() && s_[i_] == '%') ++i_;
    size_t b = i_;
    while (i_ < s_.size() && label_char(s_[i_])) ++i_;
    return std::string(s_.substr(b, i_ - b));
  }
  // A number token: sign, digits, '.', exponent, and the words nan/inf.
  std::string number_token() {
    skip_ws();
    size_t b = i_;
    if (i_ < s_.size() && (s_[i_] == '-' || s_[i_] == '+')) ++i_;
    while (i_ < s_.size() &&
           (std::isalnum(uint8_t(s_[i_])) || s_[i_] == '.' || s_[i_] == '_' ||
            ((s_[i_] == '-' || s_[i_] == '+') && (s_[i_ - 1] == 'e' || s_[i_ - 1] == 'E'))))
      ++i_;
    return std::string(s_.substr(b, i_ - b));
  }

  Result<uint32_t> escape() {
    if (i_ >= s_.size()) return fail("unterminated escape");
    char c = s_[i_++];
    switch (c) {
    case 'n': return uint32_t('\n');
    case 't': return uint32_t('\t');
    case 'r': return uint32_t('\r');
    case '\'':
    case '"':
    case '\\': return uint32_t(uint8_t(c));
    case 'u': {
      if (i_ >= s_.size() || s_[i_] != '{') return fail("expected `{` after \\u");
      size_t close = s_.find('}', i_);
      if (close == std::string_view::npos || close == i_ + 1 || close - i_ > 7)
        return fail("bad \\u{...} escape");
      uint32_t cp = 0;
      for (size_t k = i_ + 1; k < close; ++k) {
        char h = s_[k];
        int d = h >= '0' && h <= '9'   ? h - '0'
                : h >= 'a' && h <= 'f' ? h - 'a' + 10
                : h >= 'A' && h <= 'F' ? h - 'A' + 10
                                       : -1;
        if (d < 0) return fail("bad hex digit in \\u{...}");
        cp = cp * 16 + uint32_t(d);
      }
      i_ = close + 1;
      if (cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
        return fail("not a Unicode scalar value");
      return cp;
    }
    default: return fail(std::string("unknown escape `\\") + c + "`");
    }
  }
  static void append_utf8(std::string& out, uint32_t cp) {
    if (cp < 0x80) {
      out += char(cp);
    } else if (cp < 0x800) {
      out += char(0xc0 | (cp >> 6));
      out += char(0x80 | (cp & 0x3f));
    } else if (cp < 0x10000) {
      out += char(0xe0 | (cp >> 12));
      out += char(0x80 | ((cp >> 6) & 0x3f));
      out += char(0x80 | (cp & 0x3f));
    } else {
      out += char(0xf0 | (cp >> 18));
      out += char(0x80 | ((cp >> 12) & 0x3f));
      out += char(0x80 | ((cp >> 6) & 0x3f));
      out += char(0x80 | (cp & 0x3f));
    }
  }
  // One UTF-8 scalar from the text (input is a C++ string, assumed UTF-8).
  Result<uint32_t> utf8_scalar() {
    uint8_t c = uint8_t(s_[i_]);
    int n = c < 0x80 ? 1 : (c >> 5) == 6 ? 2 : (c >> 4) == 14 ? 3 : (c >> 3) == 30 ? 4 : 0;
    if (n == 0 || i_ + n > s_.size()) return fail("invalid UTF-8");
    uint32_t cp = n == 1 ? c : n == 2 ? c & 0x1f : n == 3 ? c & 0x0f : c & 0x07;
    for (int k = 1; k < n; ++k) {
      uint8_t cc = uint8_t(s_[i_ + k]);
      if ((cc & 0xc0) != 0x80) return fail("invalid UTF-8");
      cp = (cp << 6) | (cc & 0x3f);
    }
    i_ += n;
    return cp;
  }
  Result<std::string> quoted(char q) {
    TANDEM_TRY(expect(q));
    std::string out;
    while (true) {
      if (i_ >= s_.size()) return fail("unterminated literal");
      char c = s_[i_];
      if (c == q) {
        ++i_;
        return out;
      }
      uint32_t cp;
      if (c == '\\') {
        ++i_;
        TANDEM_ASSIGN(cp, escape());
      } else {
        TANDEM_ASSIGN(cp, utf8_scalar());
      }
      append_utf8(out, cp);
    }
  }

  Result<ComponentValue> integer(PrimVal p) {
    std::string tok = number_token();
    if (tok.empty()) return fail("expected an integer");
    bool is_signed =
        p == PrimVal::S8 || p == PrimVal::S16 || p == PrimVal::S32 || p == PrimVal::S64;
    unsigned bits = p == PrimVal::S8 || p == PrimVal::U8     ? 8
                    : p == PrimVal::S16 || p == PrimVal::U16 ? 16
                    : p == PrimVal::S32 || p == PrimVal::U32 ? 32
                                                             : 64;
    bool neg = tok[0] == '-';
    size_t k = (tok[0] == '-' || tok[0] == '+') ? 1 : 0;
    if (k == tok.size()) return fail("expected an integer");
    unsigned __int128 mag = 0;
    for (; k < tok.size(); ++k) {
      if (tok[k] < '0' || tok[k] > '9') return fail("`" + tok + "` is not an integer");
      mag = mag * 10 + unsigned(tok[k] - '0');
      if (mag > (unsigned __int128)(1) << 65) return fail("`" + tok + "` is out of range");
    }
    unsigned __int128 limit_pos = is_signed ? ((unsigned __int128)(1) << (bits - 1)) - 1
                                            : ((unsigned __int128)(1) << bits) - 1;
    unsigned __int128 limit_neg = is_signed ? ((unsigned __int128)(1) << (bits - 1)) : 0;
    if ((neg && mag > limit_neg) || (!neg && mag > limit_pos))
      return fail("`" + tok + "` is out of range for " + component::prim_name(p));
    ComponentValue v;
    v.kind = K(uint8_t(K::S8) + (uint8_t(PrimVal::S8) - uint8_t(p)));
    uint64_t m = uint64_t(mag);
    v.bits = neg ? uint64_t(0) - m : m;
    return v;
  }

  Result<ComponentValue> floating(PrimVal p) {
    std::string tok = number_token();
    ComponentValue v;
    v.kind = p == PrimVal::F32 ? K::F32 : K::F64;
    double d;
    if (tok == "nan") {
      d = std::numeric_limits<double>::quiet_NaN();
    } else if (tok == "inf" || tok == "-inf") {
      d = tok[0] == '-' ? -HUGE_VAL : HUGE_VAL;
    } else {
      if (tok.empty() || tok.find_first_not_of("+-0123456789.eE") != std::string::npos)
        return fail("expected a number");
      char* end = nullptr;
      d = std::strtod(tok.c_str(), &end);
      if (end != tok.c_str() + tok.size()) return fail("`" + tok + "` is not a number");
    }
    if (p == PrimVal::F32) {
      float f = float(d);
      uint32_t b;
      std::memcpy(&b, &f, 4);
      v.bits = b;
    } else {
      std::memcpy(&v.bits, &d, 8);
    }
    return v;
  }

  Result<ComponentValue> primitive(PrimVal p) {
    ComponentValue v;
    switch (p) {
    case PrimVal::Bool: {
      std::string w = word();
      if (w != "true" && w != "false") return fail("expected `true` or `false`");
      v.kind = K::Bool;
      v.bits = w == "true";
      return v;
    }
    case PrimVal::F32:
    case PrimVal::F64: return floating(p);
    case PrimVal::Char: {
      skip_ws();
      TANDEM_ASSIGN(std::string s, quoted('\''));
      Reader inner(a_, s);
      if (s.empty()) return fail("empty char literal");
      TANDEM_ASSIGN(uint32_t cp, inner.utf8_scalar());
      if (inner.i_ != s.size()) return fail("a char literal holds one character");
      v.kind = K::Char;
      v.bits = cp;
      return v;
    }
    case PrimVal::String: {
      skip_ws();
      TANDEM_ASSIGN(v.text, quoted('"'));
      v.kind = K::String;
      return v;
    }
    case PrimVal::ErrorContext: return fail("error-context values cannot be written");
    default: return integer(p);
    }
  }

  // `[v, ...]`, `(v, ...)` or `{...}` bodies: calls `one` per element.
  template <typename F> Status sequence(char open, char close, F&& one) {
    TANDEM_TRY(expect(open));
    if (eat(close)) return {};
    while (true) {
      TANDEM_TRY(one());
      if (eat(close)) return {};
      TANDEM_TRY(expect(','));
      if (eat(close)) return {}; // trailing comma
    }
  }

  Result<ComponentValue> value(const ValTy& t) {
    if (t.is_prim) return primitive(t.prim);
    const DefinedType& d = a_.defined[t.def];
    ComponentValue v;
    switch (d.kind) {
    case DefKind::Primitive: return primitive(d.prim);
    case DefKind::List:
    case DefKind::FixedList:
    case DefKind::Map: {
      v.kind = K::List;
      TANDEM_TRY(sequence('[', ']', [&]() -> Status {
        if (d.kind == DefKind::Map) {
          ComponentValue pair;
          pair.kind = K::Tuple;
          TANDEM_TRY(expect('('));
          TANDEM_ASSIGN(ComponentValue key, value(*d.first));
          TANDEM_TRY(expect(','));
          TANDEM_ASSIGN(ComponentValue val, value(*d.second));
          TANDEM_TRY(expect(')'));
          pair.items = {std::move(key), std::move(val)};
          v.items.push_back(std::move(pair));
          return {};
        }
        TANDEM_ASSIGN(ComponentValue item, value(*d.first));
        v.items.push_back(std::move(item));
        return {};
      }));
      if (d.kind == DefKind::FixedList && v.items.size() != d.length)
        return fail("expected " + std::to_string(d.length) + " elements");
      return v;
    }
    case DefKind::Tuple: {
      v.kind = K::Tuple;
      TANDEM_TRY(sequence('(', ')', [&]() -> Status {
        if (v.items.size() >= d.types.size()) return fail("too many tuple elements");
        TANDEM_ASSIGN(ComponentValue item, value(d.types[v.items.size()]));
        v.items.push_back(std::move(item));
        return {};
      }));
      if (v.items.size() != d.types.size()) return fail("too few tuple elements");
      return v;
    }
    case DefKind::Record: {
      v.kind = K::Record;
      std::vector<std::optional<ComponentValue>> got(d.fields.size());
      TANDEM_TRY(sequence('{', '}', [&]() -> Status {
        std::string name = word();
        size_t k = 0;
        while (k < d.fields.size() && d.fields[k].first != name) ++k;
        if (k == d.fields.size()) return fail("unknown field `" + name + "`");
        if (got[k]) return fail("field `" + name + "` given twice");
        TANDEM_TRY(expect(':'));
        TANDEM_ASSIGN(ComponentValue item, value(d.fields[k].second));
        got[k] = std::move(item);
        return {};
      }));
      for (size_t k = 0; k < d.fields.size(); ++k) {
        if (!got[k]) {
          const DefinedType* fd = a_.def(d.fields[k].second);
          if (!fd || fd->kind != DefKind::Option)
            return fail("missing field `" + d.fields[k].first + "`");
          got[k] = ComponentValue{};
          got[k]->kind = K::Option;
          got[k]->text = "none";
        }
        v.names.push_back(d.fields[k].first);
        v.items.push_back(std::move(*got[k]));
      }
      return v;
    }
    case DefKind::Flags: {
      v.kind = K::Flags;
      TANDEM_TRY(sequence('{', '}', [&]() -> Status {
        std::string name = word();
        bool known = false;
        for (const auto& n : d.names) known |= n == name;
        if (!known) return fail("unknown flag `" + name + "`");
        v.names.push_back(name);
        return {};
      }));
      return v;
    }
    case DefKind::Enum:
    case DefKind::Variant:
    case DefKind::Option:
    case DefKind::Result: return cased(d);
    case DefKind::Own:
    case DefKind::Borrow: return fail("resource handles cannot be written as text");
    case DefKind::Stream:
    case DefKind::Future: return fail("streams and futures cannot be written as text");
    }
    return fail("unsupported type");
  }

  Result<ComponentValue> cased(const DefinedType& d) {
    std::vector<std::string> labels;
    std::vector<std::optional<ValTy>> payloads;
    switch (d.kind) {
    case DefKind::Enum:
      labels = d.names;
      payloads.resize(labels.size());
      break;
    case DefKind::Variant:
      for (const auto& c : d.cases) {
        labels.push_back(c.first);
        payloads.push_back(c.second);
      }
      break;
    case DefKind::Option:
      labels = {"none", "some"};
      payloads = {std::nullopt, d.first};
      break;
    default:
      labels = {"ok", "err"};
      payloads = {d.first, d.second};
      break;
    }
    std::string name = word();
    size_t k = 0;
    while (k < labels.size() && labels[k] != name) ++k;
    if (k == labels.size())
      return fail(name.empty() ? "expected a case label" : "unknown case `" + name + "`");
    ComponentValue v;
    v.kind = d.kind == DefKind::Enum      ? K::Enum
             : d.kind == DefKind::Variant ? K::Variant
             : d.kind == DefKind::Option  ? K::Option
                                          : K::Result;
    v.text = labels[k];
    v.bits = k;
    if (payloads[k]) {
      TANDEM_TRY(expect('('));
      TANDEM_ASSIGN(ComponentValue item, value(*payloads[k]));
      TANDEM_TRY(expect(')'));
      v.items.push_back(std::move(item));
    } else if (eat('(')) {
      return fail("case `" + name + "` has no payload");
    }
    return v;
  }
};

std::string escape_text(std::string_view s, char quote) {
  std::string out(1, quote);
  for (char c : s) {
    switch (c) {
    case '\n': out += "\\n"; break;
    case '\t': out += "\\t"; break;
    case '\r': out += "\\r"; break;
    case '\\': out += "\\\\"; break;
    default:
      if (c == quote) {
        out += '\\';
        out += c;
      } else if (uint8_t(c) < 0x20 || c == 0x7f) {
        char buf[16];
        std::snprintf(buf, sizeof buf, "\\u{%x}", unsigned(uint8_t(c)));
        out += buf;
      } else {
        out += c;
      }
    }
  }
  return out + quote;
}

std::string float_text(double d) {
  if (std::isnan(d)) return "nan";
  if (std::isinf(d)) return d < 0 ? "-inf" : "inf";
  char buf[64];
  for (int precision = 1; precision <= 17; ++precision) {
    std::snprintf(buf, sizeof buf, "%.*g", precision, d);
    if (std::strtod(buf, nullptr) == d) break;
  }
  return buf;
}

std::string join(const std::vector<ComponentValue>& items) {
  std::string out;
  for (size_t i = 0; i < items.size(); ++i)
    out += (i ? ", " : "") + format_component_value(items[i]);
  return out;
}

} // namespace

Result<std::string> describe_component_func(const ComponentInstance& instance,
                                            std::string_view func) {
  TANDEM_ASSIGN(const component::FuncRt* f, ComponentTextAccess::func(instance, func));
  const component::FuncTy& ft = f->arena->funcs[f->type];
  std::string out;
  for (size_t i = 0; i < ft.params.size(); ++i)
    out += (i ? ", " : "") + ft.params[i].first + ": " + type_text(*f->arena, ft.params[i].second);
  if (ft.result) out += " -> " + type_text(*f->arena, *ft.result);
  return out;
}

Result<std::vector<ComponentValue>> parse_component_args(const ComponentInstance& instance,
                                                         std::string_view func,
                                                         std::span<const std::string> args) {
  TANDEM_ASSIGN(const component::FuncRt* f, ComponentTextAccess::func(instance, func));
  const component::FuncTy& ft = f->arena->funcs[f->type];
  if (args.size() != ft.params.size())
    return bad("`" + std::string(func) + "` takes " + std::to_string(ft.params.size()) +
               " argument(s), " + std::to_string(args.size()) + " given");
  std::vector<ComponentValue> out;
  for (size_t i = 0; i < args.size(); ++i) {
    const ValTy& t = ft.params[i].second;
    std::optional<PrimVal> prim = f->arena->as_prim(t);
    std::string_view text = args[i];
    size_t first = text.find_first_not_of(" \t");
    if (prim == PrimVal::String && (first == std::string_view::npos || text[first] != '"')) {
      ComponentValue v;
      v.kind = K::String;
      v.text = std::string(text);
      out.push_back(std::move(v));
      continue;
    }
    auto v = Reader(*f->arena, text).whole(t);
    if (!v)
      return bad("argument " + std::to_string(i + 1) + " (" + ft.params[i].first + ": " +
                 type_text(*f->arena, t) + "): " + v.error().message);
    out.push_back(std::move(*v));
  }
  return out;
}

Result<std::pair<std::string, std::vector<std::string>>>
split_component_call(std::string_view call) {
  size_t open = call.find('(');
  if (open == std::string_view::npos || call.empty() || call.back() != ')')
    return bad("expected `NAME(ARG, ...)`, got `" + std::string(call) + "`");
  std::string name(call.substr(0, open));
  while (!name.empty() && name.back() == ' ') name.pop_back();
  std::vector<std::string> args;
  std::string_view body = call.substr(open + 1, call.size() - open - 2);
  int depth = 0;
  char quote = 0;
  std::string cur;
  for (size_t i = 0; i < body.size(); ++i) {
    char c = body[i];
    if (quote) {
      cur += c;
      if (c == '\\' && i + 1 < body.size()) {
        cur += body[++i];
      } else if (c == quote) {
        quote = 0;
      }
      continue;
    }
    if (c == '"' || c == '\'') quote = c;
    if (c == '(' || c == '[' || c == '{') ++depth;
    if (c == ')' || c == ']' || c == '}') {
      if (--depth < 0) return bad("unbalanced brackets in `" + std::string(call) + "`");
    }
    if (c == ',' && depth == 0) {
      args.push_back(cur);
      cur.clear();
      continue;
    }
    cur += c;
  }
  if (depth != 0 || quote)
    return bad("unbalanced brackets or quotes in `" + std::string(call) + "`");
  if (cur.find_first_not_of(" \t") != std::string::npos || !args.empty()) args.push_back(cur);
  return std::pair{std::move(name), std::move(args)};
}

std::string format_component_value(const ComponentValue& v) {
  switch (v.kind) {
  case K::Bool: return v.bits ? "true" : "false";
  case K::S8:
  case K::S16:
  case K::S32:
  case K::S64: return std::to_string(int64_t(v.bits));
  case K::U8:
  case K::U16:
  case K::U32:
  case K::U64: return std::to_string(v.bits);
  case K::F32: {
    float f;
    uint32_t b = uint32_t(v.bits);
    std::memcpy(&f, &b, 4);
    return float_text(f);
  }
  case K::F64: {
    double d;
    std::memcpy(&d, &v.bits, 8);
    return float_text(d);
  }
  case K::Char: {
    std::string s;
    uint32_t cp = uint32_t(v.bits);
    if (cp < 0x80) {
      s += char(cp);
    } else if (cp < 0x800) {
      s += char(0xc0 | (cp >> 6));
      s += char(0x80 | (cp & 0x3f));
    } else if (cp < 0x10000) {
      s += char(0xe0 | (cp >> 12));
      s += char(0x80 | ((cp >> 6) & 0x3f));
      s += char(0x80 | (cp & 0x3f));
    } else {
      s += char(0xf0 | (cp >> 18));
      s += char(0x80 | ((cp >> 12) & 0x3f));
      s += char(0x80 | ((cp >> 6) & 0x3f));
      s += char(0x80 | (cp & 0x3f));
    }
    return escape_text(s, '\'');
  }
  case K::String: return escape_text(v.text, '"');
  case K::List: return "[" + join(v.items) + "]";
  case K::Tuple: return "(" + join(v.items) + ")";
  case K::Record: {
    std::string out = "{";
    for (size_t i = 0; i < v.items.size(); ++i)
      out += (i ? ", " : "") + (i < v.names.size() ? v.names[i] : std::to_string(i)) + ": " +
             format_component_value(v.items[i]);
    return out + "}";
  }
  case K::Flags: {
    std::string out = "{";
    for (size_t i = 0; i < v.names.size(); ++i) out += (i ? ", " : "") + v.names[i];
    return out + "}";
  }
  case K::Variant:
  case K::Enum:
  case K::Option:
  case K::Result: {
    std::string label = v.text;
    if (label.empty())
      label = v.kind == K::Option   ? (v.bits ? "some" : "none")
              : v.kind == K::Result ? (v.bits ? "err" : "ok")
                                    : "#" + std::to_string(v.bits);
    return v.items.empty() ? label : label + "(" + join(v.items) + ")";
  }
  case K::Own: return "own(" + std::to_string(v.bits) + ")";
  case K::Borrow: return "borrow(" + std::to_string(v.bits) + ")";
  }
  return "?";
}

} // namespace tandem
