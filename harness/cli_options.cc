// The option table of the `tandem` CLI, its parser, and the help generator.
// Adding an option = one row in kOptionTable plus one case in apply_option().
#include "cli_options.h"

#include <charconv>
#include <cstdio>

namespace tandem::harness {
namespace {

constexpr uint8_t kAll = kForWast | kForWat2wasm | kForRun;

constexpr SubcommandSpec kSubcommandTable[] = {
    {Subcommand::Wast, "wast", "[OPTIONS] PATH...",
     "run .wast scripts (files, or directories searched recursively for *.wast)"},
    {Subcommand::Wat2wasm, "wat2wasm", "[OPTIONS] FILE",
     "convert a text-format core module (.wat) to binary (.wasm)"},
    {Subcommand::Run, "run", "[OPTIONS] FILE [ARGS...]",
     "run a core module (.wasm or .wat): `_start` as a WASI preview1 command, or the export "
     "named by --invoke; a component runs the export named by --invoke"},
};

constexpr OptionSpec kOptionTable[] = {
    {OptionId::Help, 'h', "help", "", "print this help and exit", kAll},
    {OptionId::Tier, 0, "tier", "interp|jit|tiered",
     "which tier executes (default tiered). interp: the interpreter only. jit: each function is "
     "compiled before its first run (functions using instructions the JIT lacks, such as GC, "
     "run on the interpreter). tiered: start on the interpreter, compile hot functions on a "
     "background thread and move running loops to the compiled code",
     kForWast | kForRun},
    {OptionId::Differential, 0, "differential", "",
     "run every directive on the interpreter and on the JIT, in separate stores, and compare "
     "results, trap kinds, exported globals and memory contents after each step; a difference "
     "is a failure that shows both sides (--tier is then ignored)",
     kForWast},
    {OptionId::Feature, 'W', "", "FEATURE[=y|n]",
     "switch a wasm feature on (y, the default) or off (n); `-W all` enables every feature. "
     "May be repeated or comma-separated",
     kForWast | kForRun},
    {OptionId::ExpectedFailures, 0, "expected-failures", "FILE",
     "known failures, one per line: PATH[:LINE] [TIER] -- reason. Listed failures count as "
     "skipped (xfail); a listed case that passes is a failure (xpass)",
     kForWast},
    {OptionId::WriteExpectedFailures, 0, "write-expected-failures", "FILE",
     "write every failure of this run (and every xfail) as an expected-failures list for the "
     "requested tier, with the failure messages as reasons",
     kForWast},
    {OptionId::Report, 0, "report", "FILE", "write a JSON report of every file and failure",
     kForWast},
    {OptionId::Jobs, 'j', "jobs", "N", "run N files in parallel (0: one per CPU; default 1)",
     kForWast},
    {OptionId::Isolation, 0, "isolation", "off|auto|full",
     "the component isolation audit. full: record every crossing between component instances "
     "(the ledger) and check assert_isolated / (@isolation ...) statically, against the ledger "
     "and against held handles; auto: full, plus after every directive each new crossing must "
     "match a static edge (an engine self-check); off: no ledger, assert_isolated checks "
     "statically only. Default: full for scripts with isolation directives, else off",
     kForWast},
    {OptionId::IsolationReport, 0, "isolation-report", "FILE",
     "write the audited component instances, static edges and ledger as JSON to FILE and as a "
     "Graphviz graph to FILE.dot",
     kForWast},
    {OptionId::FailFast, 0, "fail-fast", "", "stop at the first failure", kForWast},
    {OptionId::Shard, 0, "shard", "K/N",
     "run only the K-th of N deterministic shares of the files (stable hash of the path)",
     kForWast},
    {OptionId::Progress, 0, "progress", "",
     "show a live progress line (default when stdout is a terminal)", kForWast},
    {OptionId::Quiet, 'q', "quiet", "", "print failures and the summary only", kForWast},
    {OptionId::Output, 'o', "output", "FILE", "output file (default: FILE with .wasm)",
     kForWat2wasm},
    {OptionId::Invoke, 0, "invoke", "NAME",
     "call export NAME instead of _start, with ARGS parsed by its parameter types (i32/i64: "
     "decimal or 0x hex; f32/f64: decimal, hex, inf, nan[:0xN]; component values: WAVE text, "
     "also as one call 'NAME(ARG, ...)'); prints the results one per line",
     kForRun},
    {OptionId::Dir, 0, "dir", "HOST[::GUEST]",
     "open a host directory to the guest as GUEST (default HOST); paths cannot leave it", kForRun},
    {OptionId::Env, 0, "env", "K=V", "set an environment variable for the guest", kForRun},
};

uint8_t mask_of(Subcommand s) {
  return uint8_t(1u << uint8_t(s));
}

std::string sub_prefix(Subcommand s) {
  return "tandem " + std::string(subcommand_spec(s).name) + ": ";
}

Error usage(Subcommand s, std::string msg) {
  return Error::make(ErrorKind::Usage, sub_prefix(s) + msg + " (see 'tandem " +
                                           std::string(subcommand_spec(s).name) + " --help')");
}

Result<uint32_t> parse_u32(std::string_view s) {
  uint32_t v = 0;
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (s.empty() || ec != std::errc() || p != s.data() + s.size())
    return Error::make(ErrorKind::Usage, "'" + std::string(s) + "' is not a number");
  return v;
}

Status apply_option(Subcommand sub, const OptionSpec& o, std::string_view value, CliOptions& out) {
  switch (o.id) {
  case OptionId::Help: out.help = true; return {};
  case OptionId::Tier:
    if (value == "interp")
      out.tier = TierChoice::Interp;
    else if (value == "jit")
      out.tier = TierChoice::Jit;
    else if (value == "tiered")
      out.tier = TierChoice::Tiered;
    else
      return usage(sub, "--tier must be interp, jit or tiered, not '" + std::string(value) + "'");
    return {};
  case OptionId::Differential: out.differential = true; return {};
  case OptionId::Feature: {
    Status st = apply_feature_switch(value, out.features);
    if (!st) return Error::make(ErrorKind::Usage, sub_prefix(sub) + st.error().message);
    return {};
  }
  case OptionId::ExpectedFailures: out.expected_failures = std::string(value); return {};
  case OptionId::WriteExpectedFailures: out.write_expected_failures = std::string(value); return {};
  case OptionId::Report: out.report = std::string(value); return {};
  case OptionId::Jobs: {
    auto n = parse_u32(value);
    if (!n) return usage(sub, "-j/--jobs: " + n.error().message);
    out.jobs = *n;
    return {};
  }
  case OptionId::Isolation:
    if (value == "off")
      out.isolation = IsolationMode::Off;
    else if (value == "auto")
      out.isolation = IsolationMode::Auto;
    else if (value == "full")
      out.isolation = IsolationMode::Full;
    else
      return usage(sub, "--isolation must be off, auto or full, not '" + std::string(value) + "'");
    out.isolation_explicit = true;
    return {};
  case OptionId::IsolationReport: out.isolation_report = std::string(value); return {};
  case OptionId::FailFast: out.fail_fast = true; return {};
  case OptionId::Shard: {
    auto s = parse_shard(value);
    if (!s) return usage(sub, s.error().message);
    out.shard = *s;
    return {};
  }
  case OptionId::Progress: out.progress = true; return {};
  case OptionId::Quiet: out.quiet = true; return {};
  case OptionId::Output: out.output = std::string(value); return {};
  case OptionId::Invoke: out.invoke = std::string(value); return {};
  case OptionId::Dir: out.dirs.emplace_back(value); return {};
  case OptionId::Env: out.envs.emplace_back(value); return {};
  }
  return {};
}

const OptionSpec* find_long(Subcommand sub, std::string_view name) {
  for (const auto& o : kOptionTable)
    if ((o.subcommands & mask_of(sub)) && !o.long_name.empty() && o.long_name == name) return &o;
  return nullptr;
}

const OptionSpec* find_short(Subcommand sub, char c) {
  for (const auto& o : kOptionTable)
    if ((o.subcommands & mask_of(sub)) && o.short_name == c) return &o;
  return nullptr;
}

void append_wrapped(std::string& out, std::string_view text, size_t indent, size_t width) {
  size_t col = indent;
  bool first = true;
  while (!text.empty()) {
    size_t sp = text.find(' ');
    std::string_view word = text.substr(0, sp);
    text = sp == std::string_view::npos ? std::string_view() : text.substr(sp + 1);
    if (!first && col + 1 + word.size() > width) {
      out += '\n';
      out.append(indent, ' ');
      col = indent;
    } else if (!first) {
      out += ' ';
      ++col;
    }
    out += word;
    col += word.size();
    first = false;
  }
  out += '\n';
}

} // namespace

std::span<const OptionSpec> option_table() {
  return kOptionTable;
}
std::span<const SubcommandSpec> subcommand_table() {
  return kSubcommandTable;
}

std::optional<Subcommand> subcommand_by_name(std::string_view name) {
  for (const auto& s : kSubcommandTable)
    if (s.name == name) return s.id;
  return std::nullopt;
}

const SubcommandSpec& subcommand_spec(Subcommand s) {
  return kSubcommandTable[size_t(s)];
}

std::string_view tier_name(TierChoice t) {
  switch (t) {
  case TierChoice::Interp: return "interp";
  case TierChoice::Jit: return "jit";
  case TierChoice::Tiered: return "tiered";
  }
  return "?";
}

Status apply_feature_switch(std::string_view spec, FeatureSet& features) {
  if (spec.empty()) return Error::make(ErrorKind::Usage, "-W needs a feature name");
  while (true) {
    size_t comma = spec.find(',');
    std::string_view item = spec.substr(0, comma);
    std::string_view name = item;
    bool on = true;
    if (size_t eq = item.find('='); eq != std::string_view::npos) {
      name = item.substr(0, eq);
      std::string_view v = item.substr(eq + 1);
      if (v == "y" || v == "yes" || v == "true")
        on = true;
      else if (v == "n" || v == "no" || v == "false")
        on = false;
      else
        return Error::make(ErrorKind::Usage, "-W " + std::string(item) +
                                                 ": the value must be y or n, not '" +
                                                 std::string(v) + "'");
    }
    if (name == "all") {
      features = on ? FeatureSet::all() : FeatureSet::none();
    } else if (auto f = feature_by_name(name)) {
      features.set(*f, on);
    } else {
      return Error::make(ErrorKind::Usage, "-W: unknown feature '" + std::string(name) +
                                               "' (the list is in 'tandem help wast')");
    }
    if (comma == std::string_view::npos) break;
    spec = spec.substr(comma + 1);
  }
  return {};
}

Result<Shard> parse_shard(std::string_view spec) {
  size_t slash = spec.find('/');
  if (slash == std::string_view::npos)
    return Error::make(ErrorKind::Usage, "--shard must be K/N, not '" + std::string(spec) + "'");
  auto k = parse_u32(spec.substr(0, slash));
  auto n = parse_u32(spec.substr(slash + 1));
  if (!k || !n || *n == 0 || *k == 0 || *k > *n)
    return Error::make(ErrorKind::Usage,
                       "--shard must be K/N with 1 <= K <= N, not '" + std::string(spec) + "'");
  return Shard{*k, *n};
}

Result<CliOptions> parse_subcommand_args(Subcommand sub, std::span<const std::string_view> args) {
  CliOptions out;
  out.subcommand = sub;
  bool options_done = false;
  for (size_t i = 0; i < args.size(); ++i) {
    std::string_view a = args[i];
    if (options_done || a.size() < 2 || a[0] != '-') {
      out.positionals.emplace_back(a);
      // `run FILE ARGS...`: everything after FILE belongs to the guest.
      if (sub == Subcommand::Run) options_done = true;
      continue;
    }
    if (a == "--") {
      options_done = true;
      continue;
    }
    const OptionSpec* spec = nullptr;
    std::optional<std::string_view> inline_value;
    std::string shown;
    if (a.starts_with("--")) {
      std::string_view body = a.substr(2);
      if (size_t eq = body.find('='); eq != std::string_view::npos) {
        inline_value = body.substr(eq + 1);
        body = body.substr(0, eq);
      }
      shown = "--" + std::string(body);
      spec = find_long(sub, body);
    } else {
      shown = std::string(a.substr(0, 2));
      spec = find_short(sub, a[1]);
      if (a.size() > 2) inline_value = a.substr(2);
    }
    if (!spec) return usage(sub, "unknown option '" + shown + "'");
    std::string_view value;
    if (spec->arg_name.empty()) {
      if (inline_value) return usage(sub, "option '" + shown + "' takes no value");
    } else if (inline_value) {
      value = *inline_value;
    } else if (i + 1 < args.size()) {
      value = args[++i];
    } else {
      return usage(sub,
                   "option '" + shown + "' needs a value (" + std::string(spec->arg_name) + ")");
    }
    TANDEM_TRY(apply_option(sub, *spec, value, out));
  }
  return out;
}

std::string top_level_help() {
  std::string out =
      "tandem " TANDEM_VERSION_STRING ": a WebAssembly conformance harness with its own engine\n\n"
      "Usage: tandem SUBCOMMAND [OPTIONS] ...\n"
      "       tandem help SUBCOMMAND\n"
      "       tandem --version\n\nSubcommands:\n";
  for (const auto& s : kSubcommandTable) {
    std::string head = "  " + std::string(s.name);
    head.resize(14, ' ');
    out += head;
    append_wrapped(out, s.summary, 14, 100);
  }
  out += "\nRun 'tandem SUBCOMMAND --help' for the options of a subcommand.\n";
  out +=
      "\nEnvironment (for engine developers):\n"
      "  TANDEM_JIT_CPU=baseline|sse41|avx2   cap the x86-64 level the JIT emits code for\n"
      "  TANDEM_JIT_STATS=1                   print compiled/fallback counts at exit\n"
      "  TANDEM_JIT_PERFMAP=1                 write /tmp/perf-PID.map for `perf report`\n"
      "  TANDEM_JIT_DUMP=DIR                  write each compiled function's machine code to\n"
      "                                       DIR/wasm-function-N.bin\n"
      "  TANDEM_COMPILE_THREADS=N             threads that validate and JIT-compile the functions\n"
      "                                       of a large module (default: one per core)\n"
      "  TANDEM_INTERP_DUMP=DIR               write each function's interpreter code (as lowered)\n"
      "                                       to DIR/wasm-function-N.txt\n"
      "  TANDEM_TIERUP=random:SEED|sync|noosr tiered: random per-function tiers and thresholds,\n"
      "                                       compile on the calling thread, or no on-stack\n"
      "                                       replacement\n"
      "  TANDEM_DIFFERENTIAL_TIERED=N         wast --differential: compare the interpreter\n"
      "                                       with tiered execution at threshold N\n"
      "  TANDEM_INJECT_DIFFERENTIAL_FAULT=OP  wast --differential: the JIT miscompiles OP\n"
      "                                       (builds with assertions only)\n";
  return out;
}

std::string subcommand_help(Subcommand sub) {
  const SubcommandSpec& s = subcommand_spec(sub);
  std::string out = "tandem " + std::string(s.name) + ": " + std::string(s.summary) +
                    "\n\nUsage: tandem " + std::string(s.name) + " " + std::string(s.usage) +
                    "\n\nOptions:\n";
  constexpr size_t kDescColumn = 30;
  for (const auto& o : kOptionTable) {
    if (!(o.subcommands & mask_of(sub))) continue;
    std::string head = "  ";
    if (o.short_name) {
      head += '-';
      head += o.short_name;
      if (!o.long_name.empty()) head += ", ";
    } else {
      head += "    ";
    }
    if (!o.long_name.empty()) {
      head += "--" + std::string(o.long_name);
      if (!o.arg_name.empty()) head += (o.arg_name.find('|') != std::string_view::npos ? "=" : " ");
    } else if (!o.arg_name.empty()) {
      head += ' ';
    }
    head += o.arg_name;
    if (head.size() + 1 >= kDescColumn) {
      out += head + '\n';
      head.clear();
    }
    head.resize(kDescColumn, ' ');
    out += head;
    append_wrapped(out, o.description, kDescColumn, 100);
    if (o.id == OptionId::Feature) {
      std::string list = "features (* = on by default):";
      for (const auto& f : kFeatureTable)
        list += " " + std::string(f.name) + (f.default_on ? "*" : "");
      out.append(kDescColumn, ' ');
      append_wrapped(out, list, kDescColumn, 100);
    }
  }
  if (sub == Subcommand::Wast) {
    out += "\nOutput: one line per failing assertion (PATH:LINE: DIRECTIVE: expected ..., got "
           "...),\none line per file with its counts, and the summary line\n"
           "  N passed, N failed, N skipped\n"
           "Exit status: 0 when nothing failed, 1 when something failed, 2 for bad usage or an\n"
           "unreadable input.\n";
  } else if (sub == Subcommand::Wat2wasm) {
    out += "\nErrors are printed as FILE:LINE:COLUMN: message. Exit status: 0 on success, 1 on\n"
           "an error in the input, 2 for bad usage or an unreadable file.\n";
  } else if (sub == Subcommand::Run) {
    out += "\nARGS become the guest's argv (argv[0] is FILE). Exit status: the program's exit "
           "code\n(proc_exit, or 0 when _start returns); 1 for a trap (\"error: wasm trap: ...\" "
           "on stderr);\n2 for bad usage or input (unreadable, malformed or invalid module or "
           "component,\nan unknown import or export, wrong --invoke arguments).\n"
           "Components are instantiated with no imports and need --invoke; their arguments and\n"
           "results are WAVE text: true, -3, 1.5, 'c', \"s\", [1, 2], (1, \"a\"), {x: 1}, "
           "{flag-a},\ncase(payload), some(v), none, ok(v), err(v).\n";
  }
  return out;
}

} // namespace tandem::harness
