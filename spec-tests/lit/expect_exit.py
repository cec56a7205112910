# Runs a command and succeeds only if it exits with the expected status.
# Usage: expect_exit.py N COMMAND [ARGS...]; the command's output passes through.
import subprocess
import sys

if len(sys.argv) < 3:
    sys.exit("usage: expect_exit.py N COMMAND [ARGS...]")
want = int(sys.argv[1])
sys.stdout.flush()
got = subprocess.call(sys.argv[2:])
if got != want:
    sys.stderr.write("expect_exit: %s exited with %d, expected %d\n" % (sys.argv[2], got, want))
    sys.exit(1)
