#!/usr/bin/env bats
# portwatch: outbound traffic to IRC, watched, rare and --where ports.
load test_helper

P="$FIX/portwatch"

@test "portwatch: --help prints usage on stdout and exits 0" {
	run portwatch --help
	assert_success
	assert_line --index 0 --partial 'usage: portwatch [-ehuV] [-a FILE]'
	assert_output --partial '--where COND'
}

@test "portwatch: --version prints the version" {
	run portwatch --version
	assert_success
	assert_output --regexp '^portwatch \(kazami\) [0-9]+\.[0-9]+'
}

@test "portwatch: an unknown option is a usage error (2)" {
	run portwatch --no-such-option
	assert_failure 2
	assert_output --partial 'usage: portwatch'
}

@test "portwatch: every long option is in the man page" {
	man_has_options portwatch
}

@test "portwatch: zero-byte input is an error (2)" {
	run portwatch /dev/null
	assert_failure 2
	assert_output --partial 'no header'
}

@test "portwatch: header-only input gives the alert header only" {
	run_stdin <(printf '%s\n' "$CORE_HEADER") portwatch
	assert_success
	assert_output "$ALERT_HEADER"
}

@test "portwatch: a missing dport column is an error (2)" {
	run_stdin <(printf 'ts,src,dst\n2026-11-21T04:00:00.000Z,10.1.2.3,203.0.113.9\n') \
	    portwatch
	assert_failure 2
	assert_output --partial "missing column 'dport'"
}

@test "portwatch: stdin, a file and - give the same output" {
	local a b c
	a=$(portwatch -n 0 "$P/watched.csv")
	b=$(portwatch -n 0 < "$P/watched.csv")
	c=$(portwatch -n 0 - < "$P/watched.csv")
	[ "$a" = "$(cat "$P/watched.out")" ]
	[ "$a" = "$b" ]
	[ "$a" = "$c" ]
}

@test "portwatch: IRC and watched ports outbound alert, inbound and inside traffic does not" {
	run portwatch -n 0 "$P/watched.csv"
	assert_success
	assert_output "$(cat "$P/watched.out")"
}

@test "portwatch: -e exits 1 with alerts and 0 without" {
	run portwatch -e -n 0 "$P/watched.csv"
	assert_failure 1
	run_stdin <(printf 'ts,proto,src,dst,dport\n2026-11-21T04:00:00.000Z,tcp,10.1.2.3,203.0.113.9,443\n') \
	    portwatch -e
	assert_success
	assert_output "$ALERT_HEADER"
}

@test "portwatch: an episode ends after the gap, not at exactly the gap" {
	run portwatch -n 0 -g 10m "$P/gap.csv"
	assert_success
	assert_output "$(cat "$P/gap.out")"
}

@test "portwatch: a port is rare for at most N inside hosts, common after" {
	run portwatch "$P/rare.csv"
	assert_success
	assert_output "$(cat "$P/rare.out")"
}

@test "portwatch: a rare port is one episode per source, however many hosts it reaches" {
	run portwatch "$P/rarescan.csv"
	assert_success
	assert_output "$(cat "$P/rarescan.out")"
}

@test "portwatch: without a proto, ports are judged by port alone" {
	run portwatch "$P/noproto.csv"
	assert_success
	assert_output "$(cat "$P/noproto.out")"
}

@test "portwatch: a --where proto= term does not match a record without proto" {
	run portwatch -n 0 -w 'dport=8333 proto=tcp' "$P/noproto.csv"
	assert_success
	refute_output --partial 'portwatch.where'
	run portwatch -n 0 -w 'dport=8333' "$P/noproto.csv"
	assert_success
	assert_line "2026-11-21T09:00:03.000Z,portwatch.where,medium,10.1.1.1,198.51.100.7,8333,,,1,2026-11-21T09:00:03.000Z,2026-11-21T09:00:03.000Z,port 8333 matches where 'dport=8333' to 198.51.100.7; 0 of 1 blocked,open"
}

@test "portwatch: --rare-hosts 1 makes the second host's use common" {
	run portwatch -n 1 "$P/rare.csv"
	assert_success
	assert_line --partial 'portwatch.rare,low,10.1.1.1,198.51.100.20,8333'
	refute_line --partial '10.1.1.2,198.51.100.20,8333'
	[ "${#lines[@]}" -eq 3 ]
}

@test "portwatch: --rare-hosts 0 turns the rare check off" {
	run portwatch -n 0 "$P/rare.csv"
	assert_success
	assert_output "$ALERT_HEADER"
}

@test "portwatch: a host's use of a port counts only within the horizon" {
	run portwatch -H 1h "$P/horizon.csv"
	assert_success
	assert_line '2026-11-21T06:01:30.000Z,portwatch.rare,low,10.1.1.4,198.51.100.20,8333,,,1,2026-11-21T06:01:30.000Z,2026-11-21T06:01:30.000Z,rare port 8333/tcp (2 inside hosts) to 198.51.100.20; 0 of 1 blocked,open'
	run portwatch "$P/horizon.csv"
	refute_output --partial '10.1.1.4'
}

@test "portwatch: --common ports are never rare" {
	run portwatch -c 8333/tcp,443/tcp "$P/rare.csv"
	assert_success
	assert_output "$ALERT_HEADER"
}

@test "portwatch: a baseline with more than N hosts makes a port common" {
	run portwatch -b "$P/baseline.csv" "$P/base-in.csv"
	assert_success
	refute_output --partial ',8333,'
	assert_line '2026-11-21T05:00:01.000Z,portwatch.rare,low,10.1.1.1,198.51.100.20,9001,,,1,2026-11-21T05:00:01.000Z,2026-11-21T05:00:01.000Z,rare port 9001/tcp (1 inside host) to 198.51.100.20; 0 of 1 blocked,open'
}

@test "portwatch: a baseline from tally is accepted as tally writes it" {
	tally -k dport,proto --distinct src "$P/rare.csv" \
	    > "$BATS_TEST_TMPDIR/base.csv"
	run portwatch -b "$BATS_TEST_TMPDIR/base.csv" "$P/rare.csv"
	assert_success
	assert_output "$ALERT_HEADER"
}

@test "portwatch: a baseline without distinct_src is an error (2)" {
	printf 'dport,proto,count\n8333,tcp,3\n' > "$BATS_TEST_TMPDIR/b.csv"
	run portwatch -b "$BATS_TEST_TMPDIR/b.csv" "$P/rare.csv"
	assert_failure 2
	assert_output --partial "missing column 'distinct_src'"
}

@test "portwatch: no rare alert during the warm-up, one from its end" {
	run portwatch -W 10m "$P/warmup.csv"
	assert_success
	refute_output --partial ',8333,'
	refute_output --partial ',8334,'
	assert_line --index 1 '2026-11-21T05:10:00.000Z,portwatch.rare,low,10.1.1.1,198.51.100.20,8335,,,1,2026-11-21T05:10:00.000Z,2026-11-21T05:10:00.000Z,rare port 8335/tcp (1 inside host) to 198.51.100.20; 0 of 1 blocked,open'
	[ "${#lines[@]}" -eq 3 ]
}

@test "portwatch: --where matches port, protocol and dst_cc together" {
	run portwatch -n 0 -w 'dport=8080 proto=tcp cc=CN,KR' "$P/where.csv"
	assert_success
	assert_output "$(cat "$P/where.out")"
}

@test "portwatch: --where cc=! matches any known country but those" {
	run portwatch -n 0 -w 'cc=!CN,KR' "$P/where.csv"
	assert_success
	assert_line --partial '06:00:01.000Z,portwatch.where,medium,10.1.2.3,198.51.100.9,8080'
	refute_output --partial '203.0.113'
	refute_output --partial '192.0.2.77'
	[ "${#lines[@]}" -eq 3 ]
}

@test "portwatch: --where cc= without dst_cc or -d is an error (2)" {
	run portwatch -w 'cc=CN' "$P/rare.csv"
	assert_failure 2
	assert_output --partial 'dst_cc'
}

@test "portwatch: a bad --where is a usage error (2)" {
	run portwatch -w 'port=80' "$P/where.csv"
	assert_failure 2
	assert_output --partial "unknown key 'port'"
	run portwatch -w 'dport=99999' "$P/where.csv"
	assert_failure 2
}

@test "portwatch: -d looks countries up in a database of its own" {
	mkdir -p "$BATS_TEST_TMPDIR/db"
	"$FIX/geoip/mkmmdb.pl" GeoLite2-Country 6 "$FIX/geoip/country.csv" \
	    "$BATS_TEST_TMPDIR/db/c.mmdb" 2>/dev/null ||
	    skip "libmaxmind-db-writer-perl missing"
	# country.csv: 203.0.113.0/25 CN, 203.0.113.128/25 KR, 198.51.100/24 US
	cut -d, -f1-6 "$P/where.csv" > "$BATS_TEST_TMPDIR/nocc.csv"
	run portwatch -n 0 -d "$BATS_TEST_TMPDIR/db/c.mmdb" \
	    -w 'dport=8080 proto=tcp cc=CN,KR' "$BATS_TEST_TMPDIR/nocc.csv"
	assert_success
	assert_output "$(cat "$P/where.out")"
}

@test "portwatch: --ports replaces the watched list" {
	printf 'ts,proto,src,dst,dport\n%s\n%s\n' \
	    '2026-11-21T04:00:00.000Z,tcp,10.1.2.3,198.51.100.9,31337' \
	    '2026-11-21T04:00:01.000Z,tcp,10.1.2.3,198.51.100.9,8888' \
	    > "$BATS_TEST_TMPDIR/in.csv"
	run portwatch -n 0 -p 8888/tcp "$BATS_TEST_TMPDIR/in.csv"
	assert_success
	assert_line --index 1 '2026-11-21T04:00:01.000Z,portwatch.watched,high,10.1.2.3,198.51.100.9,8888,,,1,2026-11-21T04:00:01.000Z,2026-11-21T04:00:01.000Z,watched port 8888/tcp to 198.51.100.9; 0 of 1 blocked,open'
	refute_output --partial ',31337,'
}

@test "portwatch: an empty --irc-ports turns the IRC check off" {
	run portwatch -n 0 -i '' "$P/watched.csv"
	assert_success
	refute_output --partial 'portwatch.irc'
	assert_output --partial 'portwatch.watched'
}

@test "portwatch: --ports-file gives ports, rules and reasons" {
	printf 'port,proto,rule,reason\n6667,tcp,irc,\n1080,tcp,watched,SOCKS relay\n' \
	    > "$BATS_TEST_TMPDIR/ports.csv"
	printf 'ts,proto,src,dst,dport\n%s\n%s\n%s\n' \
	    '2026-11-21T04:00:00.000Z,tcp,10.1.2.3,198.51.100.9,31337' \
	    '2026-11-21T04:00:01.000Z,tcp,10.1.2.3,198.51.100.9,1080' \
	    '2026-11-21T04:00:02.000Z,tcp,10.1.2.3,198.51.100.9,6667' \
	    > "$BATS_TEST_TMPDIR/in.csv"
	run portwatch -n 0 -f "$BATS_TEST_TMPDIR/ports.csv" \
	    "$BATS_TEST_TMPDIR/in.csv"
	assert_success
	refute_output --partial ',31337,'
	assert_line --index 1 --partial 'portwatch.watched,high,10.1.2.3,198.51.100.9,1080,,,1,2026-11-21T04:00:01.000Z,2026-11-21T04:00:01.000Z,watched port 1080/tcp (SOCKS relay) to 198.51.100.9;'
	assert_line --index 2 --partial 'portwatch.irc,high,10.1.2.3,198.51.100.9,6667,'
}

@test "portwatch: a bad port list is an error (2)" {
	run portwatch -p 70000 "$P/watched.csv"
	assert_failure 2
	assert_output --partial "'70000'"
	run portwatch -c 80/icmp "$P/watched.csv"
	assert_failure 2
}

@test "portwatch: scanner hosts are exempt unless --exempt says otherwise" {
	run portwatch -n 0 -a "$P/assets.csv" "$P/roles.csv"
	assert_success
	refute_output --partial '10.9.0.5'
	run portwatch -n 0 -a "$P/assets.csv" -x '' "$P/roles.csv"
	assert_line --partial 'portwatch.irc,high,10.9.0.5,203.0.113.9,6667'
}

@test "portwatch: an inventory zone other than internal or dmz is outside, even in private space" {
	run portwatch -n 0 -a "$P/assets.csv" "$P/roles.csv"
	assert_line --index 1 '2026-11-21T07:00:01.000Z,portwatch.irc,high,10.1.2.3,172.16.5.5,6667,,,1,2026-11-21T07:00:01.000Z,2026-11-21T07:00:01.000Z,IRC port 6667/tcp to 172.16.5.5; 0 of 1 blocked,open'
	# Without an inventory both ends are private, so inside.
	run portwatch -n 0 -x '' "$P/roles.csv"
	refute_output --partial '172.16.5.5'
}

@test "portwatch: IPv6 sources are inside by RFC 4193 or by the inventory" {
	run portwatch -n 0 "$P/v6.csv"
	assert_success
	assert_line --index 1 '2026-11-21T08:00:00.000Z,portwatch.irc,high,fd00::9,2001:db8:ffff::1,6697,,,1,2026-11-21T08:00:00.000Z,2026-11-21T08:00:00.000Z,IRC port 6697/tcp to 2001:db8:ffff::1; 0 of 1 blocked,open'
	refute_output --partial '2001:db8:100::9'
	run portwatch -n 0 -a "$P/assets.csv" "$P/v6.csv"
	assert_line --partial 'portwatch.irc,high,2001:db8:100::9,2001:db8:ffff::1,6697'
}

@test "portwatch: events out of order within the lateness are placed correctly" {
	# watched.csv's IRC records, second one first: 10s out of order.
	{ echo 'ts,action,proto,src,dst,dport'
	  echo '2026-11-21T04:00:10.000Z,deny,tcp,10.1.2.3,203.0.113.9,6667'
	  echo '2026-11-21T04:00:00.000Z,allow,tcp,10.1.2.3,203.0.113.9,6667'
	  echo '2026-11-21T04:00:20.000Z,drop,udp,10.1.2.5,198.51.100.9,31337'
	} > "$BATS_TEST_TMPDIR/ooo.csv"
	run portwatch -n 0 "$BATS_TEST_TMPDIR/ooo.csv"
	assert_success
	assert_output "$(cat "$P/watched.out")"
}

@test "portwatch: events later than the lateness are counted and not processed" {
	{ echo 'ts,proto,src,dst,dport'
	  echo '2026-11-21T04:00:00.000Z,tcp,10.1.2.3,203.0.113.9,6667'
	  echo '2026-11-21T04:05:00.000Z,tcp,10.1.2.4,203.0.113.9,6667'
	  echo '2026-11-21T04:00:30.000Z,tcp,10.1.2.5,203.0.113.9,6667'
	} > "$BATS_TEST_TMPDIR/late.csv"
	run portwatch -n 0 "$BATS_TEST_TMPDIR/late.csv"
	assert_success
	assert_output --partial '1 event arrived more than 60s late'
	refute_output --partial '10.1.2.5'
	run portwatch -n 0 -L 10m "$BATS_TEST_TMPDIR/late.csv"
	assert_success
	assert_line --partial '2026-11-21T04:00:30.000Z,portwatch.irc,high,10.1.2.5,203.0.113.9,6667'
	refute_output --partial 'late'
}

@test "portwatch: an invalid ts is reported and makes the exit status 2" {
	printf 'ts,proto,src,dst,dport\nyesterday,tcp,10.1.2.3,203.0.113.9,6667\n' \
	    > "$BATS_TEST_TMPDIR/bad.csv"
	run portwatch "$BATS_TEST_TMPDIR/bad.csv"
	assert_failure 2
	assert_output --partial "bad.csv:2: invalid ts 'yesterday'"
}

@test "portwatch: replay in one go equals line by line with --line-buffered" {
	cat "$P/watched.csv" > "$BATS_TEST_TMPDIR/all.csv"
	tail -n +2 "$P/gap.csv" >> "$BATS_TEST_TMPDIR/all.csv"
	tail -n +2 "$P/rare.csv" >> "$BATS_TEST_TMPDIR/all.csv"
	tail -n +2 "$P/horizon.csv" >> "$BATS_TEST_TMPDIR/all.csv"
	portwatch -H 1h "$BATS_TEST_TMPDIR/all.csv" > "$BATS_TEST_TMPDIR/once"
	while IFS= read -r line; do
		printf '%s\n' "$line"
		sleep 0.02
	done < "$BATS_TEST_TMPDIR/all.csv" |
	    portwatch -u -H 1h > "$BATS_TEST_TMPDIR/live"
	[ "$(wc -l < "$BATS_TEST_TMPDIR/once")" -gt 8 ]
	cmp "$BATS_TEST_TMPDIR/once" "$BATS_TEST_TMPDIR/live"
}

@test "portwatch: --line-buffered writes an open alert before the input ends" {
	{ cat "$P/gap.csv"; sleep 5; } |
	    timeout 2 portwatch -u -n 0 > "$BATS_TEST_TMPDIR/out" || true
	run head -2 "$BATS_TEST_TMPDIR/out"
	assert_line --index 1 --partial '2026-11-21T04:00:00.000Z,portwatch.irc,high,10.1.2.3,203.0.113.9,6667,'
}
