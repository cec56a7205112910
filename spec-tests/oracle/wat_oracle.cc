// tandem_wat_oracle: checks Tandem's WAT encoder against the official suites.
//
// Modes:
//   compare   (default) every well-formed text module (plain text modules and
//             quote modules outside assert_malformed) of every .wast under
//             SUITE/core and SUITE/proposals is encoded by Tandem and by wabt's
//             `wat2wasm --enable-all --no-check`; the bytes must be identical
//             unless the module is covered by an entry of the known-differences
//             list. An entry that covers no differing module is stale and also
//             fails the run. Exit 77 (ctest SKIP) when wat2wasm is missing.
//   malformed every `assert_malformed (module quote ...)` must be rejected;
//             reports how many messages match (expected text is a prefix).
//   timing    lex + parse + encode every module of every file under SUITE/core.
//
// known-differences.txt: one entry per line, `PATH[:LINE] reason`, where PATH
// is relative to SUITE (e.g. core/gc/array.wast:12) and may end in `*` to
// match a prefix of paths (e.g. core/gc/*). An entry without a line covers
// only modules that one side rejects; byte differences need `PATH:LINE` (or a
// `rule:NAME` normalisation). `#` starts a comment line.
#include "base/leb128.h"
#include "wast/script.h"
#include "wast/wat_module.h"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <sstream>
#include <string>
#include <sys/wait.h>
#include <unistd.h>
#include <vector>

namespace fs = std::filesystem;
using namespace tandem;
using namespace tandem::wast;

namespace {

constexpr int kSkip = 77;

struct Options {
  std::string mode = "compare";
  fs::path suite;
  std::string wat2wasm = "wat2wasm";
  fs::path known;
  bool verbose = false;
  std::string only; // restrict to paths containing this
};

std::string read_file(const fs::path& p, bool& ok) {
  std::ifstream in(p, std::ios::binary);
  ok = bool(in);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

std::vector<fs::path> wast_files(const fs::path& suite, std::vector<std::string> subdirs) {
  std::vector<fs::path> out;
  for (const std::string& sub : subdirs) {
    fs::path dir = suite / sub;
    if (!fs::is_directory(dir)) continue;
    for (const auto& e : fs::recursive_directory_iterator(dir))
      if (e.is_regular_file() && e.path().extension() == ".wast") out.push_back(e.path());
  }
  std::sort(out.begin(), out.end());
  return out;
}

// A module to check: where it is and how to get its text.
struct ModuleRef {
  std::string key; // rel/path.wast:line
  bool quote = false;
  const ModuleSource* src = nullptr;
};

void collect(const std::vector<Command>& cmds, const std::string& rel, bool include_malformed,
             std::vector<ModuleRef>& out, std::vector<const Command*>* malformed) {
  for (const Command& c : cmds) {
    if (!c.body.empty()) collect(c.body, rel, include_malformed, out, malformed);
    const ModuleSource& m = c.module;
    if (m.kind != ModuleKind::Core) continue;
    bool is_malformed =
        c.kind == CommandKind::AssertMalformed || c.kind == CommandKind::AssertMalformedCustom;
    if (is_malformed) {
      if (malformed && c.kind == CommandKind::AssertMalformed && m.form == ModuleForm::Quote)
        malformed->push_back(&c);
      continue;
    }
    bool has_module = c.kind == CommandKind::Module || c.kind == CommandKind::AssertInvalid ||
                      c.kind == CommandKind::AssertUnlinkable ||
                      c.kind == CommandKind::AssertUninstantiable ||
                      c.kind == CommandKind::AssertInvalidCustom || c.kind == CommandKind::Thread;
    if (!has_module) continue;
    if (m.form != ModuleForm::Text && m.form != ModuleForm::Quote) continue;
    if (c.kind == CommandKind::Thread && m.form == ModuleForm::Text && m.body_end == 0) continue;
    (void)include_malformed;
    out.push_back(
        ModuleRef{rel + ":" + std::to_string(m.loc.line), m.form == ModuleForm::Quote, &m});
  }
}

// The text handed to wat2wasm: a complete (module ...) form.
std::string module_text(const Script& s, const ModuleRef& r) {
  const ModuleSource& m = *r.src;
  if (r.quote) {
    auto toks = lex(m.text);
    if (toks.ok() && toks->size() >= 2 && (*toks)[0].kind == TokKind::LParen &&
        (*toks)[1].is_keyword("module"))
      return m.text;
    return "(module\n" + m.text + "\n)";
  }
  if (s.inline_module) return *s.source;
  if (m.body_begin == m.body_end) return "(module)";
  const Token& first = s.tokens[m.body_begin];
  const Token& last = s.tokens[m.body_end - 1];
  size_t begin = first.offset;
  size_t end = last.offset + last.text.size();
  if (last.kind == TokKind::RParen) end = last.offset + 1;
  return "(module\n" + s.source->substr(begin, end - begin) + "\n)";
}

Result<std::vector<uint8_t>> tandem_encode(const Script& s, const ModuleRef& r) {
  if (r.quote) return wat_to_binary(r.src->text);
  return encode_wat_module(s.body_tokens(*r.src));
}

// Runs wat2wasm on `text`; returns false when wabt rejects it.
bool wabt_encode(const Options& o, const fs::path& tmp, const std::string& text,
                 std::vector<uint8_t>& out, std::string& err) {
  fs::path in = tmp / "m.wat", outp = tmp / "m.wasm", errp = tmp / "err.txt";
  {
    std::ofstream f(in, std::ios::binary);
    f << text;
  }
  std::error_code ec;
  fs::remove(outp, ec);
  std::string cmd = "'" + o.wat2wasm + "' --enable-all --no-check '" + in.string() + "' -o '" +
                    outp.string() + "' 2>'" + errp.string() + "'";
  int rc = std::system(cmd.c_str());
  bool ok = false;
  if (rc == 0) {
    std::string bytes = read_file(outp, ok);
    out.assign(bytes.begin(), bytes.end());
  }
  if (!ok) {
    bool dummy;
    err = read_file(errp, dummy);
    if (err.size() > 300) err.resize(300);
  }
  return ok;
}

// ---- normalisation of documented wabt encoding choices

struct Reader {
  const std::vector<uint8_t>& b;
  size_t p = 0;
  bool ok = true;
  uint8_t byte() {
    if (p >= b.size()) {
      ok = false;
      return 0;
    }
    return b[p++];
  }
  uint64_t leb() {
    uint64_t v = 0;
    for (unsigned shift = 0; ok && shift < 70; shift += 7) {
      uint8_t x = byte();
      v |= uint64_t(x & 0x7f) << (shift < 64 ? shift : 0);
      if (!(x & 0x80)) break;
    }
    return v;
  }
  void skip(size_t n) {
    if (p + n > b.size())
      ok = false;
    else
      p += n;
  }
};

// Skips a constant expression up to and including its `end`; false when it
// holds an instruction this skipper does not know.
bool skip_const_expr(Reader& r) {
  while (r.ok) {
    uint8_t op = r.byte();
    switch (op) {
    case 0x0B: return true;
    case 0x41:
    case 0x42:
    case 0x23:
    case 0xD2:
    case 0xD0: r.leb(); break;
    case 0x43: r.skip(4); break;
    case 0x44: r.skip(8); break;
    case 0x6A:
    case 0x6B:
    case 0x6C:
    case 0x7C:
    case 0x7D:
    case 0x7E: break;
    default: return false;
    }
  }
  return false;
}

// Rule "elem-funcref-indices": wabt writes an element segment of type funcref
// whose items are all `ref.func x` with function indices (flags 0-3). Rewrites
// Tandem's flags 4-7 form of such segments into wabt's choice.
bool normalise_elem_funcref(std::vector<uint8_t>& bin) {
  Reader r{bin};
  r.skip(8);
  while (r.ok && r.p < bin.size()) {
    size_t sec_start = r.p;
    uint8_t id = r.byte();
    uint64_t size = r.leb();
    size_t body = r.p;
    if (id != 9) {
      r.skip(size);
      continue;
    }
    std::vector<uint8_t> out;
    uint64_t count = r.leb();
    tandem::write_uleb(out, count);
    bool changed = false;
    for (uint64_t i = 0; i < count && r.ok; ++i) {
      size_t seg_start = r.p;
      uint64_t flags = r.leb();
      uint64_t table = 0;
      size_t off_begin = 0, off_end = 0;
      if (flags == 2 || flags == 6) table = r.leb();
      if (flags == 0 || flags == 2 || flags == 4 || flags == 6) {
        off_begin = r.p;
        if (!skip_const_expr(r)) return false;
        off_end = r.p;
      }
      bool funcref = flags == 4;
      if (flags == 5 || flags == 6 || flags == 7) funcref = r.byte() == 0x70;
      if (flags >= 1 && flags <= 3) r.byte(); // elemkind
      uint64_t n = r.leb();
      std::vector<uint64_t> funcs;
      bool all_ref_func = flags >= 4;
      for (uint64_t k = 0; k < n && r.ok; ++k) {
        if (flags <= 3) {
          r.leb();
          continue;
        }
        size_t e = r.p;
        if (r.byte() == 0xD2) {
          uint64_t f = r.leb();
          if (r.byte() == 0x0B) {
            funcs.push_back(f);
            continue;
          }
        }
        all_ref_func = false;
        r.p = e;
        if (!skip_const_expr(r)) return false;
      }
      if (!r.ok) return false;
      if (flags >= 4 && funcref && all_ref_func) {
        changed = true;
        std::vector<uint8_t> offset(bin.begin() + long(off_begin), bin.begin() + long(off_end));
        switch (flags) {
        case 4: out.push_back(0x00); break;
        case 5: out.push_back(0x01), out.push_back(0x00); break;
        case 7: out.push_back(0x03), out.push_back(0x00); break;
        case 6:
          if (table == 0) {
            out.push_back(0x00);
          } else {
            out.push_back(0x02);
            tandem::write_uleb(out, table);
          }
          break;
        }
        out.insert(out.end(), offset.begin(), offset.end());
        if (flags == 6 && table != 0) out.push_back(0x00);
        tandem::write_uleb(out, funcs.size());
        for (uint64_t f : funcs) tandem::write_uleb(out, f);
      } else {
        out.insert(out.end(), bin.begin() + long(seg_start), bin.begin() + long(r.p));
      }
    }
    if (!r.ok || r.p != body + size || !changed) return false;
    std::vector<uint8_t> rebuilt(bin.begin(), bin.begin() + long(sec_start));
    rebuilt.push_back(9);
    tandem::write_uleb(rebuilt, out.size());
    rebuilt.insert(rebuilt.end(), out.begin(), out.end());
    rebuilt.insert(rebuilt.end(), bin.begin() + long(body + size), bin.end());
    bin = std::move(rebuilt);
    return true;
  }
  return false;
}

struct KnownEntry {
  std::string pattern; // path[:line] or prefix*
  std::string reason;
  int line_no = 0;
  int hits = 0;
};

std::vector<KnownEntry> load_known(const fs::path& p) {
  std::vector<KnownEntry> out;
  if (p.empty()) return out;
  bool ok;
  std::string text = read_file(p, ok);
  std::istringstream in(text);
  std::string line;
  int no = 0;
  while (std::getline(in, line)) {
    ++no;
    if (line.empty() || line[0] == '#') continue;
    size_t sp = line.find_first_of(" \t");
    KnownEntry e;
    e.pattern = line.substr(0, sp);
    e.reason = sp == std::string::npos ? "" : line.substr(sp + 1);
    e.line_no = no;
    out.push_back(e);
  }
  return out;
}

// An exact `path:line` entry covers any difference of that module. A whole-file
// or prefix entry covers only modules that wabt rejects: byte differences must
// be listed one by one (or by a rule).
KnownEntry* find_known(std::vector<KnownEntry>& known, const std::string& key,
                       bool wabt_rejected = true) {
  std::string path = key.substr(0, key.rfind(':'));
  for (KnownEntry& e : known) {
    if (e.pattern == key) return &e;
    if (!wabt_rejected) continue;
    if (e.pattern == path) return &e;
    if (!e.pattern.empty() && e.pattern.back() == '*' &&
        key.compare(0, e.pattern.size() - 1, e.pattern, 0, e.pattern.size() - 1) == 0)
      return &e;
  }
  return nullptr;
}

size_t first_diff(const std::vector<uint8_t>& a, const std::vector<uint8_t>& b) {
  size_t n = std::min(a.size(), b.size());
  for (size_t i = 0; i < n; ++i)
    if (a[i] != b[i]) return i;
  return n;
}

int run_compare(const Options& o) {
  {
    std::string probe = "'" + o.wat2wasm + "' --version >/dev/null 2>&1";
    if (std::system(probe.c_str()) != 0) {
      std::cout << "wat-oracle: SKIP: wat2wasm not found (" << o.wat2wasm
                << "); install Debian's wabt to run the byte-for-byte oracle\n";
      return kSkip;
    }
  }
  char tmpl[] = "/tmp/tandem-wat-oracle-XXXXXX";
  if (!mkdtemp(tmpl)) {
    std::cerr << "wat-oracle: cannot create a temporary directory\n";
    return 2;
  }
  fs::path tmp = tmpl;
  std::vector<KnownEntry> known = load_known(o.known);
  size_t compared = 0, identical = 0, listed = 0, tandem_failed = 0, wabt_failed = 0;
  std::vector<std::string> failures;
  for (const fs::path& file : wast_files(o.suite, {"core", "proposals"})) {
    std::string rel = fs::relative(file, o.suite).generic_string();
    if (!o.only.empty() && rel.find(o.only) == std::string::npos) continue;
    bool ok;
    std::string source = read_file(file, ok);
    auto script = parse_script(source, rel);
    if (!script.ok()) {
      failures.push_back(rel + ": script does not parse: " + script.error().message);
      continue;
    }
    std::vector<ModuleRef> mods;
    collect(script->commands, rel, false, mods, nullptr);
    for (const ModuleRef& r : mods) {
      ++compared;
      auto mine = tandem_encode(*script, r);
      std::vector<uint8_t> theirs;
      std::string err;
      bool wabt_ok = wabt_encode(o, tmp, module_text(*script, r), theirs, err);
      std::string what;
      if (mine.ok() && wabt_ok && mine.value() == theirs) {
        ++identical;
        continue;
      }
      if (mine.ok() && wabt_ok) {
        // Documented wabt encoding choices, listed as `rule:NAME` entries.
        std::vector<uint8_t> normalised = mine.value();
        if (normalise_elem_funcref(normalised) && normalised == theirs) {
          if (KnownEntry* e = find_known(known, "rule:elem-funcref-indices")) {
            ++e->hits;
            ++listed;
            continue;
          }
        }
      }
      if (!mine.ok()) {
        ++tandem_failed;
        what = "tandem rejects: " + format_error(mine.error(), rel);
      } else if (!wabt_ok) {
        ++wabt_failed;
        std::string first_line = err.substr(0, err.find('\n'));
        what = "wabt rejects: " + first_line;
      } else {
        size_t at = first_diff(mine.value(), theirs);
        what = "bytes differ at offset " + std::to_string(at) + " (tandem " +
               std::to_string(mine->size()) + " bytes, wabt " + std::to_string(theirs.size()) + ")";
        if (o.verbose) {
          auto hex = [&](const std::vector<uint8_t>& v) {
            std::string h;
            char buf[4];
            for (size_t i = at >= 16 ? at - 16 : 0; i < v.size() && i < at + 32; ++i) {
              std::snprintf(buf, sizeof buf, "%02x ", v[i]);
              h += buf;
            }
            return h;
          };
          what += "\n    tandem: " + hex(mine.value()) + "\n    wabt:   " + hex(theirs);
        }
      }
      if (KnownEntry* e = find_known(known, r.key, !mine.ok() || !wabt_ok)) {
        ++e->hits;
        ++listed;
        if (o.verbose) std::cout << "listed   " << r.key << ": " << what << "\n";
        continue;
      }
      failures.push_back(r.key + ": " + what);
    }
  }
  std::error_code ec;
  fs::remove_all(tmp, ec);
  for (const KnownEntry& e : known)
    if (e.hits == 0)
      failures.push_back(o.known.filename().string() + ":" + std::to_string(e.line_no) +
                         ": stale entry (now identical or absent): " + e.pattern);
  for (const std::string& f : failures) std::cout << "FAIL " << f << "\n";
  std::cout << "wat-oracle: " << compared << " modules compared, " << identical << " identical, "
            << listed << " listed in known differences (" << tandem_failed
            << " rejected by tandem, " << wabt_failed << " rejected by wabt), " << failures.size()
            << " failures\n";
  return failures.empty() ? 0 : 1;
}

int run_malformed(const Options& o) {
  std::vector<KnownEntry> known = load_known(o.known);
  size_t total = 0, rejected = 0, matching = 0, encodable = 0, wellformed = 0, listed = 0;
  std::map<std::string, int> mismatches;
  std::vector<std::string> accepted;
  for (const fs::path& file : wast_files(o.suite, {"core", "proposals"})) {
    std::string rel = fs::relative(file, o.suite).generic_string();
    if (!o.only.empty() && rel.find(o.only) == std::string::npos) continue;
    bool ok;
    std::string source = read_file(file, ok);
    auto script = parse_script(source, rel);
    if (!script.ok()) {
      std::cout << rel << ": script does not parse: " << script.error().message << "\n";
      continue;
    }
    std::vector<ModuleRef> mods;
    std::vector<const Command*> malformed;
    collect(script->commands, rel, false, mods, &malformed);
    for (const ModuleRef& r : mods) {
      ++wellformed;
      if (tandem_encode(*script, r).ok())
        ++encodable;
      else if (o.verbose)
        std::cout << "not encoded: " << r.key << "\n";
    }
    for (const Command* c : malformed) {
      ++total;
      auto res = wat_to_binary(c->module.text);
      std::string key = rel + ":" + std::to_string(c->loc.line);
      if (res.ok()) {
        if (KnownEntry* e = find_known(known, key, false)) {
          ++e->hits;
          ++listed;
          continue;
        }
        accepted.push_back(key + " (expected \"" + c->message + "\")");
        continue;
      }
      ++rejected;
      if (res.error().message.starts_with(c->message)) {
        ++matching;
      } else {
        ++mismatches["expected \"" + c->message + "\", got \"" + res.error().message + "\""];
        if (o.verbose)
          std::cout << "mismatch " << key << ": expected \"" << c->message << "\", got \""
                    << res.error().message << "\"\n";
      }
    }
  }
  for (const std::string& a : accepted) std::cout << "ACCEPTED " << a << "\n";
  size_t stale = 0;
  for (const KnownEntry& e : known)
    if (e.hits == 0) {
      ++stale;
      std::cout << "FAIL " << o.known.filename().string() << ":" << e.line_no
                << ": stale entry (now rejected or absent): " << e.pattern << "\n";
    }
  if (o.verbose)
    for (const auto& [m, n] : mismatches) std::cout << n << "x " << m << "\n";
  std::cout << "wat-malformed: " << wellformed << " well-formed modules, " << encodable
            << " encoded; " << total << " assert_malformed quote modules, " << rejected
            << " rejected, " << matching << " with the expected message, " << listed
            << " accepted as listed\n";
  return accepted.empty() && stale == 0 && encodable == wellformed ? 0 : 1;
}

int run_timing(const Options& o) {
  auto t0 = std::chrono::steady_clock::now();
  size_t files = 0, modules = 0, errors = 0;
  for (const fs::path& file : wast_files(o.suite, {"core"})) {
    bool ok;
    std::string source = read_file(file, ok);
    std::string rel = fs::relative(file, o.suite).generic_string();
    auto script = parse_script(source, rel);
    ++files;
    if (!script.ok()) {
      ++errors;
      continue;
    }
    std::vector<ModuleRef> mods;
    collect(script->commands, rel, false, mods, nullptr);
    for (const ModuleRef& r : mods) {
      ++modules;
      if (!tandem_encode(*script, r).ok()) ++errors;
    }
  }
  double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  std::printf("wat-timing: %zu files, %zu modules parsed and encoded in %.3f s (%zu errors)\n",
              files, modules, secs, errors);
  return errors == 0 ? 0 : 1;
}

} // namespace

int main(int argc, char** argv) {
  Options o;
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    auto value = [&](const char* name) -> std::string {
      std::string prefix = std::string(name) + "=";
      return a.substr(prefix.size());
    };
    if (a.starts_with("--mode="))
      o.mode = value("--mode");
    else if (a.starts_with("--suite="))
      o.suite = value("--suite");
    else if (a.starts_with("--wat2wasm="))
      o.wat2wasm = value("--wat2wasm");
    else if (a.starts_with("--known="))
      o.known = value("--known");
    else if (a.starts_with("--only="))
      o.only = value("--only");
    else if (a == "-v" || a == "--verbose")
      o.verbose = true;
    else {
      std::cerr << "usage: tandem_wat_oracle [--mode=compare|malformed|timing] --suite=DIR "
                   "[--wat2wasm=PATH] [--known=FILE] [--only=SUBSTR] [-v]\n";
      return 2;
    }
  }
  if (o.suite.empty() || !fs::is_directory(o.suite / "core")) {
    std::cout << "wat-oracle: SKIP: no suite at '" << o.suite.string() << "'\n";
    return kSkip;
  }
  if (o.mode == "compare") return run_compare(o);
  if (o.mode == "malformed") return run_malformed(o);
  if (o.mode == "timing") return run_timing(o);
  std::cerr << "unknown mode " << o.mode << "\n";
  return 2;
}
