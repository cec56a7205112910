# lit configuration of Tandem's CLI tests (spec-tests/lit). Each *.test file
# has RUN lines; inputs live in Inputs/. Substitutions:
#   %tandem          the tandem binary (lit param `tandem`, set by ctest)
#   %expect-exit N   runs the rest of the line and fails unless it exits with N
#   %both-tiers CMD  runs `tandem run` CMD on interp and jit; outputs must agree
#   %inputs          the Inputs/ directory
#   FileCheck        LLVM's FileCheck
#   %wasi-programs   spec-tests/wasi's built programs; %node-wasi: node:wasi runner
# Features: `jit-fault-injection` when tandem honours
# TANDEM_INJECT_DIFFERENTIAL_FAULT (read from `tandem --version`).
import os
import subprocess

import lit.formats
import lit.util

config.name = "tandem"
config.test_format = lit.formats.ShTest(execute_external=False)
config.suffixes = [".test"]
config.excludes = ["Inputs"]
config.test_source_root = config.tandem_source_root
config.test_exec_root = config.tandem_obj_root

tandem = lit_config.params.get("tandem")
if not tandem or not os.path.exists(tandem):
    lit_config.fatal("pass the tandem binary with --param tandem=PATH (ctest does this)")

expect_exit = os.path.join(config.tandem_source_root, "expect_exit.py")
config.substitutions.append(("%expect-exit", "%s %s" % (config.python, expect_exit)))
# %both-tiers CMD: runs a `tandem run` command on --tier=interp and --tier=jit,
# requires identical output and status, and passes them through.
both_tiers = os.path.join(config.tandem_source_root, "both_tiers.py")
config.substitutions.append(("%both-tiers", "%s %s" % (config.python, both_tiers)))
config.substitutions.append(("%tandem", tandem))
config.substitutions.append(("%inputs", os.path.join(config.tandem_source_root, "Inputs")))
config.substitutions.append(("FileCheck", config.filecheck))

version = subprocess.run([tandem, "--version"], capture_output=True, text=True).stdout
if "jit-fault-injection: yes" in version:
    config.available_features.add("jit-fault-injection")

config.environment["LC_ALL"] = "C"

# `tandem run` tests (run/): %wasi-programs is where spec-tests/wasi builds its
# C programs (feature `wasi-programs` when built); %node-wasi runs a program
# under node:wasi for comparison (feature `node-wasi`, node >= 20).
wasi_programs = os.path.join(os.path.dirname(config.tandem_obj_root), "wasi", "programs")
if os.path.isfile(os.path.join(wasi_programs, "hello.wasm")):
    config.available_features.add("wasi-programs")
config.substitutions.append(("%wasi-programs", wasi_programs))
node_run = os.path.join(os.path.dirname(config.tandem_source_root), "wasi", "node_run.mjs")
node = lit.util.which("node")
if node:
    node_version = subprocess.run([node, "--version"], capture_output=True, text=True).stdout
    if node_version.startswith("v") and int(node_version[1:].split(".")[0]) >= 20:
        config.available_features.add("node-wasi")
config.substitutions.append(("%node-wasi", "%s --no-warnings %s" % (node, node_run)))
