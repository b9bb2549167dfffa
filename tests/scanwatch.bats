#!/usr/bin/env bats
# scanwatch: horizontal and vertical port scans, episodes, lateness.
load test_helper
bats_require_minimum_version 1.5.0

F="$FIX/scanwatch"

# sw FILE ARGS...: scanwatch with small thresholds (3 hosts, 3 ports), so
# fixtures stay readable.
sw() {
	local f=$1
	shift
	scanwatch -H 3 -P 3 "$@" "$F/$f"
}

@test "scanwatch: --help prints usage on stdout and exits 0" {
	run --separate-stderr scanwatch --help
	assert_success
	assert_line --index 0 'usage: scanwatch [-ehuV] [-A LIST] [-a FILE] [-g DUR] [-H N] [-L DUR] [-M N] [-P N] [-w DUR] [FILE...]'
	assert_output --partial '--hosts N'
	[ -z "$stderr" ]
}

@test "scanwatch: --version prints the version" {
	run scanwatch --version
	assert_success
	assert_output --regexp '^scanwatch \(kazami\) [0-9]+\.[0-9]+'
}

@test "scanwatch: an unknown option is a usage error (2)" {
	run scanwatch --frobnicate
	assert_failure 2
	assert_output --partial 'usage: scanwatch'
}

@test "scanwatch: a bad option value is an error (2)" {
	run scanwatch -H 0 "$F/h-inside.csv"
	assert_failure 2
	assert_output --partial -- '--hosts: 0'
	run scanwatch -w 5x "$F/h-inside.csv"
	assert_failure 2
	assert_output --partial -- '--window: 5x'
}

@test "scanwatch: every long option is in the man page" {
	man_has_options scanwatch
}

@test "scanwatch: zero-byte input is an error (2)" {
	run scanwatch /dev/null
	assert_failure 2
	assert_output --partial 'no header'
}

@test "scanwatch: header-only input gives header-only output" {
	run_stdin <(printf '%s\n' "$CORE_HEADER") scanwatch
	assert_success
	assert_output "$ALERT_HEADER"
}

@test "scanwatch: a missing dport column is an error (2)" {
	run_stdin <(printf 'ts,kind,action,proto,src,dst\n') scanwatch
	assert_failure 2
	assert_output --partial "missing column 'dport'"
}

@test "scanwatch: stdin, a file and - give the same output" {
	local a b c
	a=$(scanwatch -H 3 -P 3 "$F/mixed.csv")
	b=$(scanwatch -H 3 -P 3 < "$F/mixed.csv")
	c=$(scanwatch -H 3 -P 3 - < "$F/mixed.csv")
	[ "$a" = "$(cat "$F/mixed.out")" ]
	[ "$a" = "$b" ]
	[ "$a" = "$c" ]
}

@test "scanwatch: -e exits 1 after alerts and 0 without" {
	run sw h-inside.csv -e
	assert_failure 1
	assert_output "$(cat "$F/h-inside.out")"
	run sw h-below.csv -e
	assert_success
	assert_output "$ALERT_HEADER"
}

@test "scanwatch: horizontal scan from inside opens at the threshold and closes with the full count" {
	run sw h-inside.csv
	assert_success
	assert_output "$(cat "$F/h-inside.out")"
}

@test "scanwatch: repeats, other protocols and other ports do not add hosts" {
	run sw h-below.csv
	assert_success
	assert_output "$ALERT_HEADER"
}

@test "scanwatch: default threshold: 25 hosts in 5 minutes alert" {
	run scanwatch "$F/h25.csv"
	assert_success
	assert_output "$(cat "$F/h25.out")"
}

@test "scanwatch: default threshold: 24 hosts do not" {
	run_stdin <(head -n 25 "$F/h25.csv") scanwatch
	assert_success
	assert_output "$ALERT_HEADER"
}

@test "scanwatch: vertical scan from outside is low severity" {
	run sw v-outside.csv
	assert_success
	assert_output "$(cat "$F/v-outside.out")"
}

@test "scanwatch: two ports on one host and one on another are no vertical scan" {
	run sw v-below.csv
	assert_success
	assert_output "$ALERT_HEADER"
}

@test "scanwatch: -P sets the vertical threshold" {
	run sw v-below.csv -P 2
	assert_success
	assert_output "$ALERT_HEADER
2026-11-21T04:20:01.000Z,scanwatch.vertical,low,203.0.113.50,10.2.0.9,,,,2,2026-11-21T04:20:00.000Z,2026-11-21T04:20:01.000Z,vertical scan from outside: 2 ports on one host within 5m,open
2026-11-21T04:20:02.000Z,scanwatch.vertical,low,203.0.113.50,10.2.0.9,,,,3,2026-11-21T04:20:00.000Z,2026-11-21T04:20:02.000Z,vertical scan from outside: peak 2 ports on one host within 5m,closed"
}

@test "scanwatch: allowed connections and IDS records do not count by default" {
	run sw allowed.csv
	assert_success
	assert_output "$ALERT_HEADER"
}

@test "scanwatch: -A any counts allowed connections, still not IDS records" {
	run sw allowed.csv -A any
	assert_success
	assert_output "$(cat "$F/allowed-any.out")"
	run sw allowed.csv -A allow,alert
	assert_success
	assert_output "$(cat "$F/allowed-any.out")"
}

@test "scanwatch: a scanner is exempt; inventory zones decide inside and outside" {
	run sw roles.csv -a "$F/assets.csv"
	assert_success
	assert_output "$(cat "$F/roles.out")"
}

@test "scanwatch: KAZAMI_ASSETS is the default inventory" {
	KAZAMI_ASSETS="$F/assets.csv" run sw roles.csv
	assert_success
	assert_output "$(cat "$F/roles.out")"
}

@test "scanwatch: without an inventory private addresses are inside" {
	run sw roles.csv
	assert_success
	assert_output "$(cat "$F/roles-noinv.out")"
}

@test "scanwatch: an unreadable inventory is an error (2)" {
	run sw roles.csv -a "$F/no-such-assets.csv"
	assert_failure 2
	assert_output --partial 'no-such-assets.csv'
}

@test "scanwatch: hosts exactly one window apart are not in one window" {
	run sw edge-out.csv
	assert_success
	assert_output "$ALERT_HEADER"
}

@test "scanwatch: hosts a millisecond less than a window apart are" {
	run sw edge-in.csv
	assert_success
	assert_output "$(cat "$F/edge-in.out")"
}

@test "scanwatch: an attempt exactly a gap later extends the episode, a later one starts anew" {
	run sw gap.csv
	assert_success
	assert_output "$(cat "$F/gap.out")"
}

@test "scanwatch: -g shortens the gap that ends an episode" {
	run sw gap.csv -g 1m
	assert_success
	assert_output "$(cat "$F/gap-1m.out")"
}

@test "scanwatch: -w sets the window" {
	run sw h-inside.csv -w 3s
	assert_success
	assert_output "$(cat "$F/window-3s.out")"
	run sw h-inside.csv -w 2s
	assert_success
	assert_output "$ALERT_HEADER"
}

@test "scanwatch: records out of order within the lateness are placed in time order" {
	run sw h-shuffled.csv
	assert_success
	assert_output "$(cat "$F/h-inside.out")"
}

@test "scanwatch: records later than the lateness are counted in one warning, not processed" {
	run --separate-stderr sw late.csv
	assert_success
	assert_output "$(cat "$F/late.out")"
	[ "$stderr" = "scanwatch: 2 events arrived more than 60s late and were not processed" ]
}

@test "scanwatch: -L widens the lateness" {
	run --separate-stderr sw late.csv -L 5m
	assert_success
	assert_output "$(cat "$F/late-5m.out")"
	[ -z "$stderr" ]
}

@test "scanwatch: replaying at once and feeding line by line give the same output" {
	local once live
	once=$(scanwatch -H 3 -P 3 "$F/mixed.csv")
	live=$(while IFS= read -r l; do printf '%s\n' "$l"; sleep 0; done \
	    < "$F/mixed.csv" | scanwatch -H 3 -P 3 -u)
	[ "$once" = "$(cat "$F/mixed.out")" ]
	[ "$live" = "$once" ]
}

@test "scanwatch: with -u an open record is written before the input ends" {
	# The writer feeds the scan, then keeps the input open until the open
	# record shows up (noting that it did) or 10 seconds pass: a tool that
	# wrote alerts only at end of input would leave no note.
	local fifo="$BATS_TEST_TMPDIR/in" out="$BATS_TEST_TMPDIR/out"
	local seen="$BATS_TEST_TMPDIR/seen"
	mkfifo "$fifo"
	: > "$out"
	(
		head -n 5 "$F/h-inside.csv"
		for i in $(seq 100); do
			if grep -q ',open$' "$out"; then
				touch "$seen"
				break
			fi
			sleep 0.1
		done
	) > "$fifo" &
	scanwatch -H 3 -P 3 -L 0 -u < "$fifo" > "$out"
	wait
	[ -e "$seen" ]
}

@test "scanwatch: IPv6 sources and destinations, written canonically" {
	run sw ipv6.csv
	assert_success
	assert_output "$(cat "$F/ipv6.out")"
}

@test "scanwatch: a ping sweep without ports is a horizontal scan by protocol" {
	run sw icmp.csv
	assert_success
	assert_output "$(cat "$F/icmp.out")"
}

@test "scanwatch: two sources scanning at once get an episode each" {
	run sw two-sources.csv
	assert_success
	assert_output "$(cat "$F/two-sources.out")"
}

@test "scanwatch: past --max-keys the oldest key is forgotten and a warning says so" {
	run --separate-stderr sw two-sources.csv -M 1
	assert_success
	assert_output "$ALERT_HEADER"
	[ "$stderr" = "scanwatch: 10 keys were forgotten early to stay within --max-keys 1" ]
}

@test "scanwatch: an invalid ts is an error naming file and line (2)" {
	run --separate-stderr sw bad-ts.csv
	assert_failure 2
	assert_output "$ALERT_HEADER"
	[ "$stderr" = "scanwatch: $F/bad-ts.csv:3: invalid ts 'yesterday'" ]
}

@test "scanwatch: a failed write is an error (2)" {
	[ -w /dev/full ] || skip "no /dev/full"
	run bash -c 'scanwatch -H 3 -P 3 "$0" > /dev/full' "$F/h-inside.csv"
	assert_failure 2
	assert_output --partial 'write error'
}

@test "scanwatch: reads lognorm's records of raw netfilter lines" {
	run bash -c 'lognorm -y 2026 "$0" | scanwatch -H 3 -P 3' "$F/ufw.log"
	assert_success
	assert_output "$ALERT_HEADER
2026-11-21T04:00:03.000Z,scanwatch.horizontal,high,10.1.1.5,,445,,,3,2026-11-21T04:00:00.000Z,2026-11-21T04:00:03.000Z,horizontal scan from inside: 3 hosts on 445/tcp within 5m,open
2026-11-21T04:00:03.000Z,scanwatch.horizontal,high,10.1.1.5,,445,,,3,2026-11-21T04:00:00.000Z,2026-11-21T04:00:03.000Z,horizontal scan from inside: peak 3 hosts on 445/tcp within 5m,closed"
}
