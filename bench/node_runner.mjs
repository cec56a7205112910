// Runs one exported kernel of a wasm module under node's V8 and times it
// in-process (so node's start-up is not counted). Prints
// "kernel arg checksum seconds cpu-seconds" (wall clock and process CPU time,
// all threads, of the best call).
// Usage: node [--liftoff-only | --no-liftoff] node_runner.mjs MODULE.wasm KERNEL ARG [REPEAT]
import { readFileSync } from 'node:fs';

const [file, kernel, argText, repeatText] = process.argv.slice(2);
const module = new WebAssembly.Module(readFileSync(file));
const instance = new WebAssembly.Instance(module, {});
const fn = instance.exports[kernel];
if (typeof fn !== 'function') {
  console.error(`no exported function ${kernel}`);
  process.exit(2);
}
const arg = Number(argText);
const repeat = Number(repeatText ?? '1');
let best = Infinity;
let bestCpu = Infinity;
let result = 0;
for (let i = 0; i < repeat; ++i) {
  const c0 = process.cpuUsage();
  const t0 = process.hrtime.bigint();
  result = fn(arg) >>> 0;
  const t1 = process.hrtime.bigint();
  const c1 = process.cpuUsage(c0);
  best = Math.min(best, Number(t1 - t0) / 1e9);
  bestCpu = Math.min(bestCpu, (c1.user + c1.system) / 1e6);
}
console.log(`${kernel} ${arg} ${result} ${best.toFixed(6)} ${bestCpu.toFixed(6)}`);
