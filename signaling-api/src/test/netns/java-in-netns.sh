#!/bin/sh
# Surefire's `jvm` for browser interop tests: runs the forked test JVM inside a fresh network
# namespace where only loopback is up, so a browser started by the tests can see (and offer ICE
# candidates for) nothing but 127.0.0.1. Needs root and a working `ip netns`; otherwise it runs
# java directly and the tests skip (or fail under CI=true) on their isolation check.
JAVA="${SLUICE_REAL_JAVA:-${JAVA_HOME:+$JAVA_HOME/bin/java}}"
[ -n "$JAVA" ] || JAVA=java

if [ "$(id -u)" != 0 ] || ! command -v ip >/dev/null 2>&1; then
    exec "$JAVA" "$@"
fi

# A run that was killed (SIGKILL skips the EXIT trap) leaves its namespace behind: remove those of
# this script whose process is gone and in which nothing runs.
for stale in $(ip netns list 2>/dev/null | sed -n 's/^\(sluice-it-[0-9][0-9]*\).*/\1/p'); do
    owner="${stale#sluice-it-}"
    if ! kill -0 "$owner" 2>/dev/null && [ -z "$(ip netns pids "$stale" 2>/dev/null)" ]; then
        ip netns del "$stale" 2>/dev/null
    fi
done

NS="sluice-it-$$"
if ! ip netns add "$NS" 2>/dev/null; then
    exec "$JAVA" "$@"
fi
trap 'ip netns del "$NS" 2>/dev/null' EXIT
ip -n "$NS" link set lo up || exit 1

# In the background so a TERM to this script reaches java. A background job's stdin would be
# /dev/null; Surefire's command pipe is stdin, so hand it over through fd 3.
exec 3<&0
ip netns exec "$NS" "$JAVA" "$@" <&3 3<&- &
CHILD=$!
trap 'kill -TERM "$CHILD" 2>/dev/null' TERM INT HUP
while :; do
    wait "$CHILD"
    rc=$?
    kill -0 "$CHILD" 2>/dev/null || break
done
exit "$rc"
