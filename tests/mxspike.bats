#!/usr/bin/env bats
# mxspike: direct SMTP, mail bursts and MX query spikes.
load test_helper
bats_require_minimum_version 1.5.0

F="$FIX/mxspike"

@test "mxspike: --help prints usage on stdout and exits 0" {
	run --separate-stderr mxspike --help
	assert_success
	assert_line --index 0 'usage: mxspike [-ehuV] [-a FILE] [-g DUR] [-L DUR] [-M N] [-m N] [-n N] [-q N] [-r N] [-w DUR] [FILE...]'
	assert_output --partial '--servers N'
	[ -z "$stderr" ]
}

@test "mxspike: --version prints the version" {
	run mxspike --version
	assert_success
	assert_output --regexp '^mxspike \(kazami\) [0-9]+\.[0-9]+'
}

@test "mxspike: an unknown option is a usage error (2)" {
	run mxspike -Z
	assert_failure 2
	assert_output --partial 'usage: mxspike'
}

@test "mxspike: a bad option value is an error (2)" {
	run mxspike -q 0 "$F/direct.csv"
	assert_failure 2
	assert_output --partial -- '--queries: 0'
	run mxspike -L soon "$F/direct.csv"
	assert_failure 2
	assert_output --partial -- '--lateness: soon'
}

@test "mxspike: every long option is in the man page" {
	man_has_options mxspike
}

@test "mxspike: zero-byte input is an error (2)" {
	run mxspike /dev/null
	assert_failure 2
	assert_output --partial 'no header'
}

@test "mxspike: header-only input gives header-only output" {
	run_stdin <(printf '%s\n' "$CORE_HEADER") mxspike
	assert_success
	assert_output "$ALERT_HEADER"
}

@test "mxspike: a missing qtype column is an error (2)" {
	run_stdin <(printf 'ts,kind,proto,src,dst,dport\n') mxspike
	assert_failure 2
	assert_output --partial "missing column 'qtype'"
}

@test "mxspike: stdin, a file and - give the same output" {
	local a b c
	a=$(mxspike "$F/burst.csv")
	b=$(mxspike < "$F/burst.csv")
	c=$(mxspike - < "$F/burst.csv")
	[ "$a" = "$(cat "$F/burst.out")" ]
	[ "$a" = "$b" ]
	[ "$a" = "$c" ]
}

@test "mxspike: -e exits 1 after alerts and 0 without" {
	run mxspike -e "$F/direct.csv"
	assert_failure 1
	assert_output "$(cat "$F/direct.out")"
	run_stdin <(head -n 58 "$F/mxq.csv") mxspike -e
	assert_success
	assert_output "$ALERT_HEADER"
}

@test "mxspike: direct SMTP from an inside host is one episode per host" {
	run mxspike "$F/direct.csv"
	assert_success
	assert_output "$(cat "$F/direct.out")"
}

@test "mxspike: inside destinations, other ports, udp, inbound mail and IDS records are no direct SMTP" {
	run_stdin <(grep -v '10\.1\.1\.20,' "$F/direct.csv") mxspike
	assert_success
	assert_output "$ALERT_HEADER"
}

@test "mxspike: ten outside mail servers within 10 minutes are a burst" {
	run mxspike "$F/burst.csv"
	assert_success
	assert_output "$(cat "$F/burst.out")"
}

@test "mxspike: nine are not" {
	run_stdin <(head -n 11 "$F/burst.csv") mxspike
	assert_success
	assert_output "$(cat "$F/burst-below.out")"
}

@test "mxspike: servers exactly one window apart are not in one window" {
	run mxspike -m 3 "$F/burst-edge.csv"
	assert_success
	assert_output "$(cat "$F/burst-edge.out")"
}

@test "mxspike: -w widens the window" {
	run mxspike -m 3 -w 11m "$F/burst-edge.csv"
	assert_success
	assert_output "$ALERT_HEADER
2026-11-21T11:00:00.000Z,mxspike.direct,low,10.1.1.31,198.51.100.1,25,,,1,2026-11-21T11:00:00.000Z,2026-11-21T11:00:00.000Z,direct SMTP to an outside server from a host that is not a mail relay,open
2026-11-21T11:10:00.000Z,mxspike.burst,high,10.1.1.31,,25,,,3,2026-11-21T11:00:00.000Z,2026-11-21T11:10:00.000Z,mail burst: 3 outside mail servers within 11m,open
2026-11-21T11:10:00.000Z,mxspike.burst,high,10.1.1.31,,25,,,3,2026-11-21T11:00:00.000Z,2026-11-21T11:10:00.000Z,mail burst: peak 3 outside mail servers within 11m,closed
2026-11-21T11:10:00.000Z,mxspike.direct,low,10.1.1.31,198.51.100.1,25,,,3,2026-11-21T11:00:00.000Z,2026-11-21T11:10:00.000Z,direct SMTP from a host that is not a mail relay: peak 3 outside servers within 11m,closed"
}

@test "mxspike: -g splits a host's direct SMTP into episodes" {
	run mxspike -m 3 -g 4m "$F/burst-edge.csv"
	assert_success
	assert_output "$ALERT_HEADER
2026-11-21T11:00:00.000Z,mxspike.direct,low,10.1.1.31,198.51.100.1,25,,,1,2026-11-21T11:00:00.000Z,2026-11-21T11:00:00.000Z,direct SMTP to an outside server from a host that is not a mail relay,open
2026-11-21T11:00:00.000Z,mxspike.direct,low,10.1.1.31,198.51.100.1,25,,,1,2026-11-21T11:00:00.000Z,2026-11-21T11:00:00.000Z,direct SMTP from a host that is not a mail relay: peak 1 outside server within 10m,closed
2026-11-21T11:05:00.000Z,mxspike.direct,low,10.1.1.31,198.51.100.2,25,,,1,2026-11-21T11:05:00.000Z,2026-11-21T11:05:00.000Z,direct SMTP to an outside server from a host that is not a mail relay,open
2026-11-21T11:05:00.000Z,mxspike.direct,low,10.1.1.31,198.51.100.2,25,,,1,2026-11-21T11:05:00.000Z,2026-11-21T11:05:00.000Z,direct SMTP from a host that is not a mail relay: peak 2 outside servers within 10m,closed
2026-11-21T11:10:00.000Z,mxspike.direct,low,10.1.1.31,198.51.100.3,25,,,1,2026-11-21T11:10:00.000Z,2026-11-21T11:10:00.000Z,direct SMTP to an outside server from a host that is not a mail relay,open
2026-11-21T11:10:00.000Z,mxspike.direct,low,10.1.1.31,198.51.100.3,25,,,1,2026-11-21T11:10:00.000Z,2026-11-21T11:10:00.000Z,direct SMTP from a host that is not a mail relay: peak 2 outside servers within 10m,closed"
}

@test "mxspike: 20 MX queries within 10 minutes are a spike; A queries and outside clients do not count" {
	run mxspike "$F/mxq.csv"
	assert_success
	assert_output "$(cat "$F/mxq.out")"
}

@test "mxspike: 19 MX queries are not" {
	run_stdin <(head -n 58 "$F/mxq.csv") mxspike
	assert_success
	assert_output "$ALERT_HEADER"
}

@test "mxspike: -q sets the absolute MX threshold" {
	run_stdin <(head -n 58 "$F/mxq.csv") mxspike -q 19
	assert_success
	assert_line --index 1 '2026-11-21T12:06:00.000Z,mxspike.mxquery,medium,10.1.1.40,10.1.1.53,,,,19,2026-11-21T12:00:00.000Z,2026-11-21T12:06:00.000Z,19 MX queries within 10m,open'
}

@test "mxspike: MX queries far above the client's own baseline are a spike; too little history is not" {
	run mxspike -n 2 "$F/rate.csv"
	assert_success
	assert_output "$(cat "$F/rate.out")"
}

@test "mxspike: -r raises the factor over the baseline" {
	run mxspike -n 2 -r 6 "$F/rate.csv"
	assert_success
	assert_output "$(cat "$F/rate-r6.out")"
}

@test "mxspike: the rate test needs at least --min-queries" {
	run mxspike "$F/rate.csv"
	assert_success
	assert_output "$ALERT_HEADER"
}

@test "mxspike: mail relays are exempt from everything, DNS servers from MX spikes" {
	run mxspike -a "$F/assets.csv" -q 3 -m 3 "$F/roles.csv"
	assert_success
	assert_output "$ALERT_HEADER"
}

@test "mxspike: without an inventory relays and resolvers are reported" {
	run mxspike -q 3 -m 3 "$F/roles.csv"
	assert_success
	assert_output "$(cat "$F/roles-noinv.out")"
}

@test "mxspike: KAZAMI_ASSETS is the default inventory" {
	KAZAMI_ASSETS="$F/assets.csv" run mxspike -q 3 -m 3 "$F/roles.csv"
	assert_success
	assert_output "$ALERT_HEADER"
}

@test "mxspike: records out of order within the lateness are placed in time order" {
	run mxspike "$F/burst-shuffled.csv"
	assert_success
	assert_output "$(cat "$F/burst.out")"
}

@test "mxspike: records later than the lateness are counted in one warning, not processed" {
	run --separate-stderr mxspike "$F/late.csv"
	assert_success
	assert_output "$(cat "$F/late.out")"
	[ "$stderr" = "mxspike: 1 event arrived more than 60s late and was not processed" ]
}

@test "mxspike: replaying at once and feeding line by line give the same output" {
	local once live f
	for f in rate burst-shuffled; do
		once=$(mxspike -n 2 "$F/$f.csv")
		live=$(while IFS= read -r l; do printf '%s\n' "$l"; sleep 0; \
		    done < "$F/$f.csv" | mxspike -n 2 -u)
		[ "$(printf '%s\n' "$once" | wc -l)" -gt 1 ]
		[ "$live" = "$once" ]
	done
}

@test "mxspike: IPv6 hosts, clients and servers" {
	run mxspike -q 2 "$F/ipv6.csv"
	assert_success
	assert_output "$(cat "$F/ipv6.out")"
}

@test "mxspike: an invalid ts is an error naming file and line (2)" {
	run --separate-stderr mxspike "$F/bad-ts.csv"
	assert_failure 2
	[ "$stderr" = "mxspike: $F/bad-ts.csv:3: invalid ts '2026-13-01T00:00:00Z'" ]
}

@test "mxspike: past --max-keys the oldest client is forgotten and a warning says so" {
	run --separate-stderr mxspike -M 1 -n 2 "$F/rate.csv"
	assert_success
	assert_output "$ALERT_HEADER"
	[ "$stderr" = "mxspike: 16 hosts or clients were forgotten early to stay within --max-keys 1" ]
}

@test "mxspike: reads lognorm's records of raw netfilter and BIND lines" {
	run bash -c 'lognorm -y 2026 "$0" "$1" | mxspike -q 2' \
	    "$F/ufw.log" "$F/named.log"
	assert_success
	assert_output "$ALERT_HEADER
2026-11-21T04:00:04.000Z,mxspike.direct,low,10.1.1.7,198.51.100.25,25,,,1,2026-11-21T04:00:04.000Z,2026-11-21T04:00:04.000Z,direct SMTP to an outside server from a host that is not a mail relay,open
2026-11-21T04:01:00.480Z,mxspike.mxquery,medium,10.1.1.40,10.1.1.53,,,,2,2026-11-21T04:01:00.120Z,2026-11-21T04:01:00.480Z,2 MX queries within 10m,open
2026-11-21T04:00:04.000Z,mxspike.direct,low,10.1.1.7,198.51.100.25,25,,,1,2026-11-21T04:00:04.000Z,2026-11-21T04:00:04.000Z,direct SMTP from a host that is not a mail relay: peak 1 outside server within 10m,closed
2026-11-21T04:01:00.480Z,mxspike.mxquery,medium,10.1.1.40,10.1.1.53,,,,2,2026-11-21T04:01:00.120Z,2026-11-21T04:01:00.480Z,peak 2 MX queries within 10m,closed"
}
