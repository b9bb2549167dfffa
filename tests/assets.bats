#!/usr/bin/env bats
# assets: inventory columns for src and dst by longest-prefix match.
load test_helper

A="$FIX/assets"
HDR_ADDED='src_name,src_zone,src_role,src_dept,src_importance,dst_name,dst_zone,dst_role,dst_dept,dst_importance'

@test "assets: --help prints usage on stdout and exits 0" {
	run assets --help
	assert_success
	assert_line --index 0 'usage: assets [-huV] [-a FILE] [FILE...]'
	assert_output --partial '--assets FILE'
}

@test "assets: --version prints the version" {
	run assets --version
	assert_success
	assert_output --regexp '^assets \(kazami\) [0-9]+\.[0-9]+'
}

@test "assets: an unknown option is a usage error (2)" {
	run assets -Q
	assert_failure 2
	assert_output --partial 'usage: assets'
}

@test "assets: every long option is in the man page" {
	man_has_options assets
}

@test "assets: zero-byte input is an error (2)" {
	run assets -a "$A/assets.csv" /dev/null
	assert_failure 2
	assert_output --partial 'no header'
}

@test "assets: header-only input gives header-only output" {
	run_stdin <(printf '%s\n' "$CORE_HEADER") assets -a "$A/assets.csv"
	assert_success
	assert_output "$CORE_HEADER,$HDR_ADDED"
}

@test "assets: a missing src column is an error (2)" {
	run_stdin <(printf 'ts,dst\n2026-11-21T04:12:09.250Z,10.1.2.3\n') \
	    assets -a "$A/assets.csv"
	assert_failure 2
	assert_output --partial "missing column 'src'"
}

@test "assets: stdin, a file and - give the same output" {
	local a b c
	a=$(assets -a "$A/assets.csv" "$A/events.csv")
	b=$(assets -a "$A/assets.csv" < "$A/events.csv")
	c=$(assets -a "$A/assets.csv" - < "$A/events.csv")
	[ "$a" = "$(cat "$A/events.out")" ]
	[ "$a" = "$b" ]
	[ "$a" = "$c" ]
}

@test "assets: adds name, zone, role, dept and importance by longest prefix" {
	run assets -a "$A/assets.csv" "$A/events.csv"
	assert_success
	assert_output "$(cat "$A/events.out")"
}

@test "assets: a host entry wins over the network around it" {
	run assets -a "$A/assets.csv" "$A/events.csv"
	assert_line --index 1 '2026-11-21T04:12:09.250Z,10.1.2.3,203.0.113.9,6667,host entry beats its /24,fin-pc-03,internal,,finance,5,,,,,'
}

@test "assets: IPv6 addresses match IPv6 networks and hosts" {
	run assets -a "$A/assets.csv" "$A/events.csv"
	assert_line --index 4 '2026-11-21T04:12:12.000Z,2001:db8:100::9,2001:db8:100::25,25,v6,v6-lan,internal,,eng,2,mx1,dmz,"mailrelay, dns",,4'
}

@test "assets: addresses outside the inventory get empty cells" {
	run assets -a "$A/assets.csv" "$A/events.csv"
	assert_line --index 5 '2026-11-21T04:12:13.000Z,198.51.100.7,10.1.2.3,22,outside to inside,,,,,,fin-pc-03,internal,,finance,5'
	assert_line --index 6 '2026-11-21T04:12:14.000Z,,not-an-ip,,no address,,,,,,,,,,'
}

@test "assets: KAZAMI_ASSETS is the default inventory" {
	KAZAMI_ASSETS="$A/assets.csv" run assets "$A/events.csv"
	assert_success
	assert_output "$(cat "$A/events.out")"
}

@test "assets: -a overrides KAZAMI_ASSETS" {
	KAZAMI_ASSETS=/nonexistent.csv run assets -a "$A/assets.csv" \
	    "$A/events.csv"
	assert_success
	assert_output "$(cat "$A/events.out")"
}

@test "assets: no inventory is an error (2)" {
	run assets "$A/events.csv"
	assert_failure 2
	assert_output --partial 'no site inventory'
}

@test "assets: an unreadable inventory is an error (2)" {
	run assets -a "$BATS_TEST_TMPDIR/none.csv" "$A/events.csv"
	assert_failure 2
	assert_output --partial 'none.csv'
}

@test "assets: a bad net in the inventory is an error (2) naming the line" {
	printf 'net,name\n10.0.0.0/8,ok\n10.0.0.1/8,hostbits\n' \
	    > "$BATS_TEST_TMPDIR/bad.csv"
	run assets -a "$BATS_TEST_TMPDIR/bad.csv" "$A/events.csv"
	assert_failure 2
	assert_output --partial 'bad.csv:3:'
}

@test "assets: a second run replaces its columns instead of adding them" {
	run bash -c 'assets -a "$1" "$2" | assets -a "$1"' _ \
	    "$A/assets.csv" "$A/events.csv"
	assert_success
	assert_output "$(cat "$A/events.out")"
}

@test "assets: inventory text is written escaped once, not twice" {
	printf 'net,name,dept\n10.1.2.3,a\\\\b,"x,y"\n' > "$BATS_TEST_TMPDIR/esc.csv"
	run_stdin <(printf 'src,dst\n10.1.2.3,\n') \
	    assets -a "$BATS_TEST_TMPDIR/esc.csv"
	assert_success
	assert_output 'src,dst,src_name,src_zone,src_role,src_dept,src_importance,dst_name,dst_zone,dst_role,dst_dept,dst_importance
10.1.2.3,,a\\b,,,"x,y",,,,,,'
}
