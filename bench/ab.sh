#!/usr/bin/env bash
# Compares two newsgraph binaries on the same corpus by running them at the same time, one on each
# of two cores (taskset), RUNS times, swapping the cores each run: both meet the same load from the
# rest of the machine, which on a shared VM moves single runs by ±20%. Each runs
# `bench --cpus 1 --rounds 1` (a warm-up pass, then one timed pass). Prints each run's seconds a
# pass and peak memory, then the medians and OLD/NEW.
#
#   bench/ab.sh OLD_BINARY NEW_BINARY [RUNS] [DIR]
#
# BENCH_ARGS adds flags to both benches (BENCH_ARGS="--layers entities": the entity layer alone).
#
# e.g. git worktree add /tmp/old <rev> && (cd /tmp/old && go build -o /tmp/ng-old ./cmd/newsgraph)
#      go build -o /tmp/ng-new ./cmd/newsgraph
#      bench/ab.sh /tmp/ng-old /tmp/ng-new 4 ../shared/data/news-text/bbc
set -euo pipefail
if [ $# -lt 2 ]; then
	echo "usage: bench/ab.sh OLD_BINARY NEW_BINARY [RUNS] [DIR]" >&2
	exit 2
fi
old=$1 new=$2 runs=${3:-4} dir=${4:-../shared/data/news-text/bbc}
[[ $runs =~ ^[1-9][0-9]*$ ]] || { echo "bench/ab.sh: RUNS must be a whole number of at least 1, not $runs" >&2; exit 2; }
command -v taskset >/dev/null || { echo "bench/ab.sh: taskset not found" >&2; exit 2; }
# The first two cores this process may run on (a container may allow others than 0 and 1).
cores=()
for part in $(sed -n 's/^Cpus_allowed_list:[[:space:]]*//p' /proc/self/status 2>/dev/null | tr ',' ' '); do
	lo=${part%-*} hi=${part#*-}
	for ((c = lo; c <= hi && ${#cores[@]} < 2; c++)); do cores+=("$c"); done
done
[ ${#cores[@]} -ge 2 ] || { echo "bench/ab.sh: needs two cores" >&2; exit 2; }
tmp=$(mktemp -d)
pid=
trap '[ -n "$pid" ] && kill "$pid" 2>/dev/null; rm -rf "$tmp"' EXIT

# seconds FILE: the timed pass's seconds in a bench output; rss FILE: its peak memory in MB.
seconds() { sed -n 's/^best of 1 \([0-9.]*\) s.*/\1/p' "$1"; }
rss() { sed -n 's/^peak RSS *\([0-9]*\) MB.*/\1/p' "$1"; }

olds=() news=()
for i in $(seq 1 "$runs"); do
	if [ $((i % 2)) = 1 ]; then co=${cores[0]} cn=${cores[1]}; else co=${cores[1]} cn=${cores[0]}; fi
	taskset -c "$co" "$old" bench --cpus 1 --rounds 1 ${BENCH_ARGS:-} "$dir" >"$tmp/old" 2>&1 &
	pid=$!
	taskset -c "$cn" "$new" bench --cpus 1 --rounds 1 ${BENCH_ARGS:-} "$dir" >"$tmp/new" 2>&1 || { cat "$tmp/new" >&2; exit 1; }
	wait "$pid" || { pid=; cat "$tmp/old" >&2; exit 1; }
	pid=
	so=$(seconds "$tmp/old") sn=$(seconds "$tmp/new")
	olds+=("$so") news+=("$sn")
	printf 'run %d: old %s s (%s MB, core %s)   new %s s (%s MB, core %s)\n' "$i" "$so" "$(rss "$tmp/old")" "$co" "$sn" "$(rss "$tmp/new")" "$cn"
done
median() { printf '%s\n' "$@" | sort -g | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }
mo=$(median "${olds[@]}") mn=$(median "${news[@]}")
if ! awk -v o="$mo" -v n="$mn" 'BEGIN {exit !(o > 0 && n > 0)}'; then
	echo "bench/ab.sh: a pass took no measurable time ($mo s, $mn s): give a larger corpus" >&2
	exit 1
fi
awk -v o="$mo" -v n="$mn" 'BEGIN {printf "median: old %.3f s, new %.3f s a pass: old/new %.2f\n", o, n, o/n}'
