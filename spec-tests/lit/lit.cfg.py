# lit configuration of Tandem's CLI tests (spec-tests/lit). Each *.test file
# has RUN lines; inputs live in Inputs/. Substitutions:
#   %tandem          the tandem binary (lit param `tandem`, set by ctest)
#   %expect-exit N   runs the rest of the line and fails unless it exits with N
#   %inputs          the Inputs/ directory
#   FileCheck        LLVM's FileCheck
# Features: `script-runner` when tandem was built with the script runner and
# the engine, `wat-encoder` when it was built with the text encoder
# (read from `tandem --version`).
import os
import subprocess

import lit.formats

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
config.substitutions.append(("%tandem", tandem))
config.substitutions.append(("%inputs", os.path.join(config.tandem_source_root, "Inputs")))
config.substitutions.append(("FileCheck", config.filecheck))

version = subprocess.run([tandem, "--version"], capture_output=True, text=True).stdout
if "script-runner: yes" in version:
    config.available_features.add("script-runner")
if "wat-encoder: yes" in version:
    config.available_features.add("wat-encoder")

config.environment["LC_ALL"] = "C"
