// Hostile input: (1) a malformed corpus made of every truncation and some
// random bit flips of a sample of suite modules, run through decode +
// validate; (2) extreme nesting in binary (1,000,000 blocks), in text
// (100,000 blocks, WAT encoder and .wast parser) and in component types
// (1,000 nested instance/component types). Each input must give a clean
// error or a valid result within the time limit; a crash fails the run (under
// the asan preset, so does any memory error).
#include "component/decoder.h"
#include "component/validator.h"
#include "decoder/module_decoder.h"
#include "tandem/tandem.h"
#include "validator/validator.h"
#include "wast/component_encoder.h"
#include "wast/script.h"
#include "wast/wat_module.h"

#include <gtest/gtest.h>

#include <ctime>
#include <fstream>
#include <random>
#include <sstream>
#include <string>

namespace tandem {
namespace {

// Limits are on process CPU time (all threads), not wall time: the CI box is
// shared, and wall time there mostly measures the other jobs.
double cpu_now() {
  timespec ts;
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
  return double(ts.tv_sec) + double(ts.tv_nsec) * 1e-9;
}

// Limit for one hostile input. The brief is one second; sanitizer and debug
// builds are several times slower, so they get a proportionally larger one.
#if defined(__SANITIZE_ADDRESS__) || defined(TANDEM_SLOW_BUILD)
constexpr double kSecondsPerInput = 8.0;
#else
constexpr double kSecondsPerInput = 1.0;
#endif

double seconds_since(double start) {
  return cpu_now() - start;
}

// Decode + validate; returns true if the module is valid. Never crashes.
bool decode_validate(std::vector<uint8_t> bytes) {
  Result<wasm::Module> m = decode_module(std::move(bytes), FeatureSet::all());
  if (!m.ok()) return false;
  return validate_module(m.value(), FeatureSet::all()).ok();
}

// Suite modules encoded by the WAT encoder, from a fixed sample of files.
std::vector<std::vector<uint8_t>> sample_modules() {
  const char* files[] = {"core/i32.wast",
                         "core/br_table.wast",
                         "core/memory.wast",
                         "core/call_indirect.wast",
                         "core/global.wast",
                         "core/table.wast",
                         "core/simd/simd_lane.wast",
                         "core/gc/struct.wast",
                         "core/gc/array.wast",
                         "core/exceptions/try_table.wast",
                         "core/bulk.wast",
                         "core/elem.wast",
                         "core/data.wast",
                         "core/func.wast",
                         "core/if.wast",
                         "core/loop.wast"};
  std::vector<std::vector<uint8_t>> modules;
  for (const char* rel : files) {
    std::ifstream in(std::string(TANDEM_TESTSUITE_DIR) + "/" + rel, std::ios::binary);
    if (!in) continue;
    std::stringstream ss;
    ss << in.rdbuf();
    Result<wast::Script> script = wast::parse_script(ss.str(), rel);
    if (!script.ok()) continue;
    for (const wast::Command& c : script.value().commands) {
      if (c.kind != wast::CommandKind::Module || c.module.kind != wast::ModuleKind::Core ||
          c.module.form != wast::ModuleForm::Text)
        continue;
      Result<std::vector<uint8_t>> b =
          wast::encode_wat_module(script.value().form_tokens(c.module));
      if (b.ok() && b.value().size() <= 3000) modules.push_back(std::move(b).value());
    }
  }
  return modules;
}

TEST(MalformedCorpus, TruncationsAndBitFlipsDecodeCleanly) {
  std::vector<std::vector<uint8_t>> modules = sample_modules();
  if (modules.empty()) GTEST_SKIP() << "no suite at " << TANDEM_TESTSUITE_DIR;
  std::mt19937 rng(12345);
  size_t inputs = 0, valid = 0, sampled = 0;
  double start = cpu_now();
  for (size_t i = 0; i < modules.size(); ++i) {
    const std::vector<uint8_t>& m = modules[i];
    ++sampled;
    ASSERT_TRUE(decode_validate(m)) << "sample module " << i << " should be valid";
    for (size_t len = 0; len < m.size(); ++len) {
      valid += decode_validate(std::vector<uint8_t>(m.begin(), m.begin() + long(len)));
      ++inputs;
    }
    for (int flip = 0; flip < 256; ++flip) {
      std::vector<uint8_t> copy = m;
      int nbits = 1 + int(rng() % 3);
      for (int b = 0; b < nbits; ++b) copy[rng() % copy.size()] ^= uint8_t(1u << (rng() % 8));
      valid += decode_validate(std::move(copy));
      ++inputs;
    }
  }
  std::printf("malformed corpus: %zu sample modules, %zu inputs (%zu still valid), %.2f s\n",
              sampled, inputs, valid, seconds_since(start));
  EXPECT_GT(sampled, 50u);
}

// One function whose body is `depth` nested empty blocks.
std::vector<uint8_t> nested_blocks_binary(size_t depth) {
  std::vector<uint8_t> body;
  body.push_back(0); // no locals
  for (size_t i = 0; i < depth; ++i) body.insert(body.end(), {0x02, 0x40});
  body.insert(body.end(), depth + 1, 0x0b);
  auto leb = [](std::vector<uint8_t>& out, size_t v) {
    do {
      uint8_t byte = v & 0x7f;
      v >>= 7;
      out.push_back(byte | (v ? 0x80 : 0));
    } while (v);
  };
  std::vector<uint8_t> code;
  code.push_back(1);
  leb(code, body.size());
  code.insert(code.end(), body.begin(), body.end());
  std::vector<uint8_t> m = {0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00,
                            0x00, 0x01, 0x04, 0x01, 0x60, 0x00, 0x00,  // type () -> ()
                            0x03, 0x02, 0x01, 0x00,                    // func 0: type 0
                            0x07, 0x05, 0x01, 0x01, 'f',  0x00, 0x00}; // export "f"
  m.push_back(0x0a);
  leb(m, code.size());
  m.insert(m.end(), code.begin(), code.end());
  return m;
}

TEST(HostileNesting, MillionNestedBlocksInBinary) {
  std::vector<uint8_t> bytes = nested_blocks_binary(1'000'000);
  double start = cpu_now();
  bool ok = decode_validate(bytes);
  double t = seconds_since(start);
  std::printf("1,000,000 nested blocks: decode+validate %s in %.3f s\n", ok ? "valid" : "error", t);
  EXPECT_LT(t, kSecondsPerInput);
  // Through the public API and the interpreter: compile, instantiate, run.
  for (Tier tier : {Tier::Interp, Tier::Jit}) {
    EngineConfig config;
    config.tier = tier;
    Engine engine(config);
    start = cpu_now();
    Result<Module> m = Module::compile(engine, bytes);
    if (!m.ok()) continue; // a clean error is fine
    Store store(engine);
    Result<Instance> inst = Instance::instantiate(store, m.value(), {});
    ASSERT_TRUE(inst.ok());
    Result<std::vector<Value>> r = inst.value().get_export(store, "f")->func.call(store, {});
    t = seconds_since(start);
    std::printf("  tier %d: compile+run %s in %.3f s\n", int(tier),
                r.ok() ? "ok" : r.error().message.c_str(), t);
    EXPECT_LT(t, 2 * kSecondsPerInput);
  }
}

TEST(HostileNesting, HundredThousandNestedBlocksInText) {
  std::string text = "(module (func";
  for (int i = 0; i < 100'000; ++i) text += " (block";
  text.append(100'000, ')');
  text += "))";
  double start = cpu_now();
  Result<std::vector<uint8_t>> bytes = wast::wat_to_binary(text);
  double t = seconds_since(start);
  std::printf("100,000 nested blocks in text: encode %s in %.3f s\n",
              bytes.ok() ? "ok" : bytes.error().message.c_str(), t);
  EXPECT_LT(t, kSecondsPerInput);
  if (bytes.ok()) {
    start = cpu_now();
    decode_validate(std::move(bytes).value());
    EXPECT_LT(seconds_since(start), kSecondsPerInput);
  }
  start = cpu_now();
  Result<wast::Script> script = wast::parse_script(text, "nested.wast");
  t = seconds_since(start);
  std::printf("  .wast parse %s in %.3f s\n", script.ok() ? "ok" : script.error().message.c_str(),
              t);
  EXPECT_LT(t, kSecondsPerInput);
  // Folded instructions nest too: 100,000 nested (i32.add ...) operands.
  std::string folded = "(module (func (result i32)";
  for (int i = 0; i < 100'000; ++i) folded += " (i32.add (i32.const 1)";
  folded += " (i32.const 0)";
  folded.append(100'000, ')');
  folded += "))";
  start = cpu_now();
  Result<std::vector<uint8_t>> fb = wast::wat_to_binary(folded);
  t = seconds_since(start);
  std::printf("  100,000 nested folded i32.add: %s in %.3f s\n",
              fb.ok() ? "ok" : fb.error().message.c_str(), t);
  EXPECT_LT(t, kSecondsPerInput);
}

void check_component_nesting(const std::string& open, int depth) {
  std::string text = "(component";
  for (int i = 0; i < depth; ++i) text += open;
  text.append(size_t(depth) * 2, ')');
  text += ")";
  double start = cpu_now();
  Result<std::vector<uint8_t>> bytes = wast::component_text_to_binary(text);
  std::string what = bytes.ok() ? "encoded" : "encode error: " + bytes.error().message;
  if (bytes.ok()) {
    auto c = component::decode_component(bytes.value(), FeatureSet::all());
    if (!c.ok())
      what += ", decode error: " + c.error().message;
    else {
      Status s = component::validate_component(*c.value(), FeatureSet::all());
      what += s.ok() ? ", valid" : ", invalid: " + s.error().message;
    }
  }
  double t = seconds_since(start);
  std::printf("component nesting %d x%s: %s in %.3f s\n", depth, open.c_str(),
              what.substr(0, 120).c_str(), t);
  EXPECT_LT(t, kSecondsPerInput);
}

void leb(std::vector<uint8_t>& out, size_t v) {
  do {
    uint8_t byte = v & 0x7f;
    v >>= 7;
    out.push_back(byte | (v ? 0x80 : 0));
  } while (v);
}

const std::vector<uint8_t> kComponentPreamble = {0x00, 0x61, 0x73, 0x6d, 0x0d, 0x00, 0x01, 0x00};

void check_component_binary(const char* what, const std::vector<uint8_t>& bytes) {
  double start = cpu_now();
  auto c = component::decode_component(bytes, FeatureSet::all());
  std::string result = c.ok() ? "decoded" : "decode error: " + c.error().message;
  if (c.ok()) {
    Status s = component::validate_component(*c.value(), FeatureSet::all());
    result += s.ok() ? ", valid" : ", invalid: " + s.error().message;
  }
  double t = seconds_since(start);
  std::printf("%s (%zu bytes): %s in %.3f s\n", what, bytes.size(), result.substr(0, 120).c_str(),
              t);
  EXPECT_LT(t, kSecondsPerInput);
}

TEST(HostileNesting, ComponentBinariesThousandDeep) {
  // 1,000 nested components: c(0) = preamble, c(d) = preamble + section 4 (c(d-1)).
  std::vector<uint8_t> c = kComponentPreamble;
  for (int d = 0; d < 1000; ++d) {
    std::vector<uint8_t> outer = kComponentPreamble;
    outer.push_back(0x04);
    leb(outer, c.size());
    outer.insert(outer.end(), c.begin(), c.end());
    c = std::move(outer);
  }
  check_component_binary("1,000 nested components", c);
  // 1,000 nested instance types: t(0) = 0x42 0, t(d) = 0x42 1 (0x01 t(d-1)).
  std::vector<uint8_t> t = {0x42, 0x00};
  for (int d = 0; d < 1000; ++d) {
    std::vector<uint8_t> outer = {0x42, 0x01, 0x01};
    outer.insert(outer.end(), t.begin(), t.end());
    t = std::move(outer);
  }
  std::vector<uint8_t> m = kComponentPreamble;
  m.push_back(0x07);
  leb(m, t.size() + 1);
  m.push_back(0x01);
  m.insert(m.end(), t.begin(), t.end());
  check_component_binary("1,000 nested instance types", m);
}

TEST(HostileNesting, ComponentTypesThousandDeep) {
  check_component_nesting(" (type (instance", 1000);
  check_component_nesting(" (type (component", 1000);
  check_component_nesting(" (component (component", 500); // 1000 nested components
}

} // namespace
} // namespace tandem
