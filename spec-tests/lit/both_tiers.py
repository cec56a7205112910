# Runs a `tandem run ...` command once per tier (--tier=interp, then
# --tier=jit, inserted after `run`), fails unless both give the same stdout,
# stderr and exit status, then passes that output and status through, so one
# RUN line checks both tiers (and that they agree).
# Usage: both_tiers.py TANDEM run [ARGS...]  (the runs get an empty stdin)
import subprocess
import sys

TIERS = ["interp", "jit"]

args = sys.argv[1:]
if len(args) < 2 or "run" not in args:
    sys.exit("usage: both_tiers.py TANDEM run [ARGS...]")
at = args.index("run") + 1
results = []
for tier in TIERS:
    cmd = args[:at] + ["--tier=" + tier] + args[at:]
    p = subprocess.run(cmd, stdin=subprocess.DEVNULL, capture_output=True)
    results.append((tier, p.returncode, p.stdout, p.stderr))
first = results[0]
for other in results[1:]:
    if other[1:] != first[1:]:
        for tier, code, out, err in results:
            sys.stderr.write("both_tiers: --tier=%s exited %d\n--- stdout\n%s--- stderr\n%s" %
                             (tier, code, out.decode(errors="replace"), err.decode(errors="replace")))
        sys.exit("both_tiers: --tier=%s and --tier=%s differ" % (first[0], other[0]))
sys.stdout.buffer.write(first[2])
sys.stdout.flush()
sys.stderr.buffer.write(first[3])
sys.exit(first[1])
