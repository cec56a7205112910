// Peer measurement for bench/compare_compile: how fast node's V8 compiles a
// module eagerly (run node with --liftoff-only --no-wasm-lazy-compilation,
// and --wasm-num-compilation-tasks=0 for the main thread alone).
// Usage: node FLAGS bench/compile_peer.mjs FILE.wasm RUNS
// Prints "best_wall_s cpu_s_of_that_run code_section_bytes".
import { readFileSync } from "node:fs";

const [file, runsArg] = process.argv.slice(2);
const bytes = readFileSync(file);
const runs = Number(runsArg || 5);

// The code section's size (id 10), to report MB/s of code as Tandem does.
function codeSectionBytes(b) {
  let p = 8;
  const leb = () => {
    let v = 0, shift = 0, x;
    do { x = b[p++]; v += (x & 0x7f) * 2 ** shift; shift += 7; } while (x & 0x80);
    return v;
  };
  while (p < b.length) {
    const id = b[p++];
    const size = leb();
    if (id === 10) return size;
    p += size;
  }
  return 0;
}

let best = Infinity, bestCpu = 0;
for (let i = 0; i < runs; ++i) {
  const cpu0 = process.cpuUsage();
  const t0 = process.hrtime.bigint();
  const m = new WebAssembly.Module(bytes);
  const t = Number(process.hrtime.bigint() - t0) / 1e9;
  const c = process.cpuUsage(cpu0);
  if (!m) throw new Error("no module");
  if (t < best) { best = t; bestCpu = (c.user + c.system) / 1e6; }
}
console.log(best.toFixed(4), bestCpu.toFixed(4), codeSectionBytes(bytes));
