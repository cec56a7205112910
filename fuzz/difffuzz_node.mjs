// node difffuzz_node.mjs FILE.wasm EXPORTS | --batch JOBS.json: runs binaryen fuzz modules on
// node's V8 and prints binaryen's --fuzz-exec format (fuzz/difffuzz_reference.h)
// for tandem-difffuzz to compare. EXPORTS is a JSON list of [name, params]
// for the exported functions in export order, params "PARAMS/RESULTS", one
// letter per type (i i32, I i64, f f32, F f64, v v128, r reference): JS cannot read
// signatures, and each export is called with zeros like binaryen does.
// hangLimitInitializer is called before every export. An export with v128 in
// its signature cannot be called from JS ([skip]); a stack overflow or a
// v128 logging call ends the run ([host limit ...]).
import fs from "node:fs";

class HostLimit extends Error {}

const out = [];
const fmt = (x) => {
  if (typeof x === "bigint") return x.toString();
  if (Number.isNaN(x)) return "nan";
  return String(x);
};
const log = (...args) => out.push("[LoggingExternalInterface logging " + args.map(fmt).join(" ") + "]");
const imports = {
  "fuzzing-support": {
    "log-i32": (x) => log(x),
    "log-i64": (x) => log(BigInt.asIntN(32, x), BigInt.asIntN(32, x >> 32n)),
    "log-f32": (x) => log(x),
    "log-f64": (x) => log(x),
    "log-v128": () => {
      throw new HostLimit("v128 argument");
    },
  },
};

function result(name, r) {
  if (r === undefined) return;
  const text = Array.isArray(r) ? "(" + r.map(fmt).join(", ") + ")" : fmt(r);
  out.push(`[fuzz-exec] note result: ${name} => ${text}`);
}

function run(file, exports) {
  let instance;
  try {
    instance = new WebAssembly.Instance(new WebAssembly.Module(fs.readFileSync(file)), imports);
  } catch (e) {
    out.push(`[host limit instantiate ${e.constructor.name}]`);
    return;
  }
  const reset = instance.exports.hangLimitInitializer;
  for (const [name, sig] of exports) {
    if (name === "hangLimitInitializer") continue;
    out.push(`[fuzz-exec] calling ${name}`);
    const params = sig.split("/")[0];
    if (sig.includes("v") || params.includes("r")) {
      out.push("[skip]");
      continue;
    }
    const args = [...params].map((p) => (p === "I" ? 0n : 0));
    try {
      if (reset) reset();
      result(name, instance.exports[name](...args));
    } catch (e) {
      if (e instanceof WebAssembly.RuntimeError) {
        out.push(`[trap ${e.message}]`);
      } else {
        out.push(`[host limit ${e.constructor.name}: ${e.message}]`);
        return;
      }
    }
  }
}

if (process.argv[2] === "--batch") {
  // --batch JOBS.json: [[file, exports], ...]; each module's output follows
  // a "[module INDEX]" line.
  const jobs = JSON.parse(fs.readFileSync(process.argv[3], "utf8"));
  jobs.forEach(([file, exports], i) => {
    out.push(`[module ${i}]`);
    run(file, exports);
  });
} else {
  run(process.argv[2], JSON.parse(process.argv[3]));
}
process.stdout.write(out.join("\n") + "\n");
