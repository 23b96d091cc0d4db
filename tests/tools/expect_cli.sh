#!/bin/sh
# Runs a CLI command and checks both its exit status and its output (CTest's
# PASS_REGULAR_EXPRESSION alone ignores the status, WILL_FAIL alone ignores the message).
# Usage: expect_cli.sh STATUS REGEX COMMAND [ARG...]   STATUS: a number, or "fail" for any non-zero
want=$1
regex=$2
shift 2
out=$("$@" 2>&1)
rc=$?
printf '%s\n' "$out"
if [ "$want" = fail ]; then
  [ "$rc" -ne 0 ] || { echo "expect_cli: expected a failure, the command exited 0"; exit 1; }
else
  [ "$rc" -eq "$want" ] || { echo "expect_cli: expected exit status $want, got $rc"; exit 1; }
fi
printf '%s\n' "$out" | grep -Eq -- "$regex" || { echo "expect_cli: the output does not match /$regex/"; exit 1; }
