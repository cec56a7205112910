// Runs a WASI preview1 command under node:wasi with the same command line
// shape as `tandem run` (--dir HOST[::GUEST], --env K=V, FILE, ARGS...), so
// the lit tests can compare tandem's stdout and exit status with node's.
import { readFileSync } from 'node:fs';
import { WASI } from 'node:wasi';

const argv = process.argv.slice(2);
const preopens = {};
const env = {};
let i = 0;
for (; i < argv.length; ++i) {
  const a = argv[i];
  if (a === '--dir') {
    const [host, guest] = argv[++i].split('::');
    preopens[guest ?? host] = host;
  } else if (a === '--env') {
    const kv = argv[++i];
    const eq = kv.indexOf('=');
    env[kv.slice(0, eq)] = kv.slice(eq + 1);
  } else {
    break;
  }
}
const file = argv[i];
const wasi = new WASI({ version: 'preview1', args: argv.slice(i), env, preopens,
                        returnOnExit: true });
const module = await WebAssembly.compile(readFileSync(file));
const instance = await WebAssembly.instantiate(module, wasi.getImportObject());
let code;
try {
  code = wasi.start(instance);
} catch (e) {
  console.error(`node: ${e.message}`);
  code = 1;
}
process.exitCode = code;
