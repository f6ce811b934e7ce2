#!/bin/sh
# Guest side of retry-test.sh (run by run-guest.sh): the first attempt writes an output file and hangs (the host's first
# timeout kills it); the retry must start from a scratch dir without that file.
if [ -e output.txt ]; then
  echo "FAIL: the retry sees output of attempt $(cat output.txt)"
  exit 1
fi
echo "$FALCO_VM_ATTEMPT" >output.txt
sync
if [ "$FALCO_VM_ATTEMPT" = 1 ]; then
  echo "attempt 1: hanging"
  sleep 3600
fi
echo "RETRY OK: attempt $FALCO_VM_ATTEMPT started from a clean scratch dir"
