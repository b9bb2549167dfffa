#!/usr/bin/env bats
# tally: group-by counting over records.

load test_helper

F=$FIX/tally

@test "tally: --help prints usage to stdout and exits 0" {
	run tally --help
	assert_success
	assert_line --index 0 --partial 'usage: tally'
	assert_output --partial '--merge'
}

@test "tally: --version names the suite" {
	run tally --version
	assert_success
	assert_output --regexp '^tally \(kazami\) [0-9]'
}

@test "tally: an unknown option is a usage error (2)" {
	run tally --frobnicate -k dport "$F/fw.csv"
	assert_failure 2
	assert_output --partial 'usage: tally'
}

@test "tally: every long option is in the man page" {
	run man_has_options tally
	assert_success
}

@test "tally: zero-byte input is an error (2)" {
	run tally -k dport /dev/null
	assert_failure 2
	assert_output --partial 'no header'
}

@test "tally: header-only input gives header-only output" {
	run_stdin <(printf 'ts,dport\n') tally -k dport
	assert_success
	assert_output 'dport,count,first,last'
}

@test "tally: a missing key column is an error naming it (2)" {
	run tally -k nope "$F/fw.csv"
	assert_failure 2
	assert_output --partial "missing column 'nope'"
}

@test "tally: counts by two keys, largest first, ties by key" {
	run tally -k dport,proto "$F/fw.csv"
	assert_success
	assert_output "$(cat "$F/by-port.csv")"
}

@test "tally: stdin, a file and - give the same output" {
	a=$(tally -k dport,proto "$F/fw.csv")
	b=$(tally -k dport,proto < "$F/fw.csv")
	c=$(tally -k dport,proto - < "$F/fw.csv")
	[ "$a" = "$b" ] && [ "$b" = "$c" ]
}

@test "tally: networks, exact decimal sums and distinct counts" {
	run tally -k src/24 -s bytes -d dst -o key "$F/fw.csv"
	assert_success
	assert_output "$(cat "$F/by-net.csv")"
}

@test "tally: an IPv6 prefix of its own with COL/N/M" {
	run tally -k src/16/32 -o key "$F/fw.csv"
	assert_success
	assert_line --index 1 --partial '10.0.0.0/16,5,'
	assert_line --index 2 --partial '2001:db8::/32,1,'
}

@test "tally: hourly bins in local time (Asia/Tokyo)" {
	run tally -k proto -b 1h -z Asia/Tokyo -o key "$F/fw.csv"
	assert_success
	assert_output "$(cat "$F/by-hour-tokyo.csv")"
}

@test "tally: bins follow TZ when --tz is not given" {
	TZ=Asia/Tokyo run tally -k proto -b 1d -o key "$F/fw.csv"
	assert_success
	assert_line --index 1 --partial '2026-11-21T00:00:00+09:00,tcp,4,'
	assert_line --index 2 --partial '2026-11-21T00:00:00+09:00,udp,2,'
}

@test "tally: an unknown zone is an error, not UTC (2)" {
	run tally -k proto -b 1h -z Mars/Olympus "$F/fw.csv"
	assert_failure 2
	assert_output --partial 'unknown time zone'
}

@test "tally: --top keeps the largest, ties by key" {
	run tally -k src -t 2 "$F/fw.csv"
	assert_success
	assert_line --index 1 --partial '10.0.0.5,2,'
	assert_line --index 2 --partial '10.0.0.6,2,'
	[ "${#lines[@]}" -eq 3 ]
}

@test "tally: --bottom keeps the rarest, ties by key" {
	run tally -k src -B 1 "$F/fw.csv"
	assert_success
	assert_line --index 1 --partial '10.0.1.9,1,'
	[ "${#lines[@]}" -eq 2 ]
}

@test "tally: --top and --bottom together are a usage error" {
	run tally -k src -t 1 -B 1 "$F/fw.csv"
	assert_failure 2
}

@test "tally: partial tallies merge to the answer of one run" {
	head -4 "$F/fw.csv" > "$BATS_TEST_TMPDIR/a.csv"
	{ head -1 "$F/fw.csv"; tail -n +5 "$F/fw.csv"; } > "$BATS_TEST_TMPDIR/b.csv"
	tally -k dport -d src -p "$BATS_TEST_TMPDIR/a.csv" > "$BATS_TEST_TMPDIR/pa.csv"
	tally -k dport -d src -p "$BATS_TEST_TMPDIR/b.csv" > "$BATS_TEST_TMPDIR/pb.csv"
	run tally -m "$BATS_TEST_TMPDIR/pa.csv" "$BATS_TEST_TMPDIR/pb.csv"
	assert_success
	assert_output "$(cat "$F/by-port-src.csv")"
}

@test "tally: merged sums and a merge of merges stay exact" {
	tally -k proto -s bytes "$F/fw.csv" > "$BATS_TEST_TMPDIR/p.csv"
	run bash -c "tally -m '$BATS_TEST_TMPDIR/p.csv' '$BATS_TEST_TMPDIR/p.csv' | tally -m"
	assert_success
	# tcp: 100+200+50 twice; udp: 1.25+0.75 twice
	assert_line --index 1 'tcp,8,700,2026-11-21T00:10:00.000Z,2026-11-21T01:10:00.000Z'
	assert_line --index 2 'udp,4,4,2026-11-21T00:05:00.000Z,2026-11-21T02:00:00.500Z'
}

@test "tally: --partial lists the distinct values" {
	run tally -k dport -d src -p -o key "$F/fw.csv"
	assert_success
	assert_line --index 0 'dport,count,distinct_src,values_src,first,last'
	assert_line --index 1 --partial '443,3,3,10.0.0.5|10.0.0.6|10.0.1.9,'
	assert_line --index 2 --partial '53,2,2,10.0.0.6|2001:db8::5,'
}

@test "tally: merging distinct counts without their values is refused (2)" {
	run tally -m "$F/no-values.csv"
	assert_failure 2
	assert_output --partial 'values_src'
}

@test "tally: quoted keys stay quoted and intact" {
	run tally -k user "$F/quoted.csv"
	assert_success
	assert_line --index 1 '"smith, j",2,2026-11-21T00:00:00.000Z,2026-11-21T00:00:01.000Z'
	assert_line --index 2 '"say ""hi""",1,2026-11-21T00:00:02.000Z,2026-11-21T00:00:02.000Z'
}

@test "tally: malformed records are reported by line, the rest counted (2)" {
	run tally -k dport "$F/bad.csv"
	assert_failure 2
	assert_output --partial 'bad.csv:3: 3 fields, the header has 2'
	assert_output --partial '22,1,2026-11-21T00:00:00.000Z'
	assert_output --partial '25,1,,'
}

@test "tally: --bin reports a record without a valid time (2)" {
	run tally -k dport -b 1h "$F/bad.csv"
	assert_failure 2
	assert_output --partial "bad.csv:4: bad ts 'not-a-time'"
}

@test "tally: a sum over a non-number is reported (2)" {
	run_stdin <(printf 'k,n\na,1\na,x1\n') tally -k k -s n
	assert_failure 2
	assert_output --partial "not a number 'x1'"
}

@test "tally: --max-keys bounds memory on a flood of keys (2)" {
	run tally -k src -M 3 "$F/fw.csv"
	assert_failure 2
	assert_output --partial 'more than 3 keys'
}

@test "tally: -e exits 1 when rows were written, 0 when none" {
	run tally -e -k dport "$F/fw.csv"
	assert_failure 1
	run_stdin <(printf 'ts,dport\n') tally -e -k dport
	assert_success
}

@test "tally: several files are one stream, a repeated header is skipped" {
	run bash -c "cat '$F/fw.csv' '$F/fw.csv' | tally -k proto"
	assert_success
	assert_line --index 1 --partial 'tcp,8,'
	run tally -k proto "$F/fw.csv" "$F/fw.csv"
	assert_line --index 1 --partial 'tcp,8,'
}

@test "tally: a file with another header is skipped with a warning (2)" {
	run tally -k dport "$F/fw.csv" "$F/bad.csv"
	assert_failure 2
	assert_output --partial 'header differs'
	assert_output --partial '443,3,'
}

@test "tally: gzip input is read directly" {
	gzip -c "$F/fw.csv" > "$BATS_TEST_TMPDIR/fw.csv.gz"
	run tally -k dport,proto "$BATS_TEST_TMPDIR/fw.csv.gz"
	assert_success
	assert_output "$(cat "$F/by-port.csv")"
}

@test "tally: a write error is exit 2, never 0" {
	[ -w /dev/full ] || skip "no /dev/full"
	run bash -c "tally -k dport '$F/fw.csv' > /dev/full"
	assert_failure 2
	assert_output --partial 'write error'
}

@test "tally: quiet on a closed pipe" {
	run bash -c "set -o pipefail; tally -k src '$F/fw.csv' | head -c1 >/dev/null; echo done"
	assert_output --partial done
	refute_output --partial 'Broken pipe'
}

@test "tally: a flood of malformed records names ten, then gives the total (2)" {
	{ printf 'k,n\n'; for i in $(seq 1 25); do printf 'x%d\n' "$i"; done; printf 'a,1\n'; } > "$BATS_TEST_TMPDIR/flood.csv"
	run --separate-stderr tally -k k "$BATS_TEST_TMPDIR/flood.csv"
	assert_failure 2
	[ "$(printf '%s\n' "$stderr" | grep -c 'record skipped')" -eq 10 ]
	[[ "$stderr" == *"25 malformed records skipped in all"* ]]
	assert_output --partial 'a,1,,'
}
