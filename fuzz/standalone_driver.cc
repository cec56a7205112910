// A libFuzzer-compatible main() for compilers without libFuzzer (GCC): the
// fuzz targets link it in the `asan` preset, so CI's fuzz smoke test runs
// under the same ASan+UBSan build as the unit tests. It is a mutation
// fuzzer without coverage feedback: it replays every input of the corpus
// directories given on the command line, then applies random mutations
// (bit flips, interesting bytes, LEB128 edits, inserts, erases, truncation,
// splices of two inputs) to corpus inputs until -max_total_time runs out.
// Coverage-guided runs use the clang build (ci/fuzz.sh) instead.
//
// Accepted flags (the subset of libFuzzer's that ci/fuzz.sh passes):
// -max_total_time=S -runs=N -seed=N -max_len=N -timeout=S -artifact_prefix=P;
// other -flag=value arguments are ignored. Non-flag arguments are corpus
// directories or single input files. The current input is written to
// P + "crash-<n>" when a sanitizer reports or the per-input timeout fires.
#if defined(__SANITIZE_ADDRESS__)
#include <sanitizer/common_interface_defs.h>
#define TANDEM_HAVE_SANITIZER_HOOKS 1
#else
#define TANDEM_HAVE_SANITIZER_HOOKS 0
#endif

#include <algorithm>
#include <chrono>
#include <csignal>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <random>
#include <string>
#include <unistd.h>
#include <vector>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size);

namespace {

using Bytes = std::vector<uint8_t>;

struct Options {
  double max_total_time = 0; // seconds; 0 = only replay (unless runs > 0)
  long runs = -1;            // mutation runs; -1 = until max_total_time
  uint64_t seed = 0;         // 0 = from the clock
  size_t max_len = 65536;
  unsigned timeout = 10; // seconds per input
  std::string artifact_prefix = "./";
  std::vector<std::string> inputs;
};

// The input being run, for the crash and timeout hooks (async-signal-safe
// writes only).
const uint8_t* g_data = nullptr;
size_t g_size = 0;
std::string g_crash_path;

void write_current_input() {
  if (g_crash_path.empty()) return;
  FILE* f = std::fopen(g_crash_path.c_str(), "wb");
  if (!f) return;
  if (g_size) std::fwrite(g_data, 1, g_size, f);
  std::fclose(f);
  std::fprintf(stderr, "standalone fuzz driver: input written to %s (%zu bytes)\n",
               g_crash_path.c_str(), g_size);
}

#if TANDEM_HAVE_SANITIZER_HOOKS
void on_sanitizer_death() {
  write_current_input();
}
#endif

void on_alarm(int) {
  static const char msg[] = "standalone fuzz driver: timeout on one input\n";
  ssize_t unused = write(2, msg, sizeof msg - 1);
  (void)unused;
  write_current_input();
  _exit(70);
}

bool parse_flag(const char* arg, const char* name, std::string* value) {
  size_t n = std::strlen(name);
  if (std::strncmp(arg, name, n) != 0 || arg[n] != '=') return false;
  *value = arg + n + 1;
  return true;
}

Options parse_options(int argc, char** argv) {
  Options o;
  for (int i = 1; i < argc; ++i) {
    const char* a = argv[i];
    std::string v;
    if (a[0] != '-') {
      o.inputs.emplace_back(a);
    } else if (parse_flag(a, "-max_total_time", &v)) {
      o.max_total_time = std::atof(v.c_str());
    } else if (parse_flag(a, "-runs", &v)) {
      o.runs = std::atol(v.c_str());
    } else if (parse_flag(a, "-seed", &v)) {
      o.seed = std::strtoull(v.c_str(), nullptr, 10);
    } else if (parse_flag(a, "-max_len", &v)) {
      o.max_len = std::max<size_t>(1, std::strtoull(v.c_str(), nullptr, 10));
    } else if (parse_flag(a, "-timeout", &v)) {
      o.timeout = unsigned(std::atoi(v.c_str()));
    } else if (parse_flag(a, "-artifact_prefix", &v)) {
      o.artifact_prefix = v;
    } // any other libFuzzer flag: accepted and ignored
  }
  return o;
}

bool read_file(const std::filesystem::path& p, size_t max_len, Bytes* out) {
  std::ifstream in(p, std::ios::binary);
  if (!in) return false;
  out->assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
  if (out->size() > max_len) out->resize(max_len);
  return true;
}

std::vector<Bytes> load_corpus(const Options& o) {
  std::vector<std::filesystem::path> files;
  for (const std::string& in : o.inputs) {
    std::error_code ec;
    if (std::filesystem::is_directory(in, ec)) {
      for (const auto& e : std::filesystem::recursive_directory_iterator(in, ec))
        if (e.is_regular_file()) files.push_back(e.path());
    } else if (std::filesystem::is_regular_file(in, ec)) {
      files.emplace_back(in);
    }
  }
  std::sort(files.begin(), files.end());
  std::vector<Bytes> corpus;
  for (const auto& f : files) {
    Bytes b;
    if (read_file(f, o.max_len, &b)) corpus.push_back(std::move(b));
  }
  return corpus;
}

class Mutator {
public:
  explicit Mutator(uint64_t seed) : rng_(seed) {}

  size_t below(size_t n) { return n ? std::uniform_int_distribution<size_t>(0, n - 1)(rng_) : 0; }

  // Applies 1 to 4 random edits to `b`, splicing from `other` when asked.
  void mutate(Bytes& b, const Bytes& other, size_t max_len) {
    size_t edits = 1 + below(4);
    for (size_t i = 0; i < edits; ++i) edit(b, other);
    if (b.size() > max_len) b.resize(max_len);
  }

private:
  void edit(Bytes& b, const Bytes& other) {
    static const uint8_t kInteresting[] = {0x00, 0x01, 0x02, 0x0b, 0x40, 0x7f,
                                           0x80, 0xff, 0x41, 0x20, 0x10, 0x60};
    switch (below(b.empty() ? 2 : 9)) {
    case 0: // insert random bytes
    case 1: {
      size_t at = below(b.size() + 1), n = 1 + below(8);
      Bytes ins(n);
      for (auto& x : ins) x = uint8_t(below(256));
      b.insert(b.begin() + ptrdiff_t(at), ins.begin(), ins.end());
      break;
    }
    case 2: b[below(b.size())] ^= uint8_t(1u << below(8)); break;
    case 3: b[below(b.size())] = kInteresting[below(sizeof kInteresting)]; break;
    case 4: b[below(b.size())] = uint8_t(below(256)); break;
    case 5: { // erase a range
      size_t at = below(b.size()), n = 1 + below(std::min<size_t>(16, b.size() - at));
      b.erase(b.begin() + ptrdiff_t(at), b.begin() + ptrdiff_t(at + n));
      break;
    }
    case 6: b.resize(below(b.size() + 1)); break; // truncate
    case 7: { // make a LEB128 byte long or huge: continuation bits
      size_t at = below(b.size());
      b[at] |= 0x80;
      if (below(2)) b.insert(b.begin() + ptrdiff_t(at) + 1, uint8_t(0x80 | below(128)));
      break;
    }
    default: { // splice: a chunk of `other` replaces the tail from a random point
      if (other.empty()) break;
      size_t at = below(b.size()), from = below(other.size());
      size_t n = 1 + below(std::min<size_t>(256, other.size() - from));
      b.resize(at);
      b.insert(b.end(), other.begin() + ptrdiff_t(from), other.begin() + ptrdiff_t(from + n));
      break;
    }
    }
  }

  std::mt19937_64 rng_;
};

void run_one(const Bytes& b, unsigned timeout) {
  g_data = b.data();
  g_size = b.size();
  if (timeout) alarm(timeout);
  LLVMFuzzerTestOneInput(b.data(), b.size());
  if (timeout) alarm(0);
}

} // namespace

int main(int argc, char** argv) {
  Options o = parse_options(argc, argv);
  if (o.seed == 0) o.seed = uint64_t(std::chrono::steady_clock::now().time_since_epoch().count());
  g_crash_path = o.artifact_prefix + "crash-" + std::to_string(getpid());
#if TANDEM_HAVE_SANITIZER_HOOKS
  __sanitizer_set_death_callback(on_sanitizer_death);
#endif
  std::signal(SIGALRM, on_alarm);
  std::fprintf(stderr, "standalone fuzz driver (no coverage feedback): seed %llu\n",
               static_cast<unsigned long long>(o.seed));

  auto start = std::chrono::steady_clock::now();
  auto elapsed = [&] {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  };
  std::vector<Bytes> corpus = load_corpus(o);
  long executed = 0;
  for (const Bytes& b : corpus) {
    run_one(b, o.timeout);
    ++executed;
  }
  std::fprintf(stderr, "replayed %zu corpus inputs in %.1f s\n", corpus.size(), elapsed());
  if (corpus.empty()) corpus.emplace_back();

  Mutator m(o.seed);
  long mutations = 0;
  bool timed = o.max_total_time > 0;
  auto more = [&] {
    if (o.runs >= 0 && mutations >= o.runs) return false;
    if (timed && elapsed() >= o.max_total_time) return false;
    return o.runs >= 0 || timed;
  };
  while (more()) {
    Bytes b = corpus[m.below(corpus.size())];
    m.mutate(b, corpus[m.below(corpus.size())], o.max_len);
    run_one(b, o.timeout);
    ++mutations;
    ++executed;
  }
  // The same final line as libFuzzer's -print_final_stats=1, which
  // ci/fuzz-smoke.sh reads.
  std::fprintf(stderr, "stat::number_of_executed_units: %ld\n", executed);
  std::fprintf(stderr, "Done %ld runs (%ld mutated) in %.0f second(s)\n", executed, mutations,
               elapsed());
  return 0;
}
