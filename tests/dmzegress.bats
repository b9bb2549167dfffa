#!/usr/bin/env bats
# dmzegress: DMZ servers' outbound traffic against a role policy.
load test_helper

D="$FIX/dmzegress"

@test "dmzegress: --help prints usage on stdout and exits 0" {
	run dmzegress --help
	assert_success
	assert_line --index 0 'usage: dmzegress [-ehnruV] [-a FILE] [-g DUR] [-L DUR] [-p FILE] [-z ZONE] [FILE...]'
	assert_output --partial '--policy FILE'
}

@test "dmzegress: --version prints the version" {
	run dmzegress --version
	assert_success
	assert_output --regexp '^dmzegress \(kazami\) [0-9]+\.[0-9]+'
}

@test "dmzegress: an unknown option is a usage error (2)" {
	run dmzegress -Y
	assert_failure 2
	assert_output --partial 'usage: dmzegress'
}

@test "dmzegress: every long option is in the man page" {
	man_has_options dmzegress
}

@test "dmzegress: zero-byte input is an error (2)" {
	run dmzegress -a "$D/assets.csv" /dev/null
	assert_failure 2
	assert_output --partial 'no header'
}

@test "dmzegress: header-only input gives the alert header only" {
	run_stdin <(printf '%s\n' "$CORE_HEADER") dmzegress -a "$D/assets.csv"
	assert_success
	assert_output "$ALERT_HEADER"
}

@test "dmzegress: header-only input gives a header-only report" {
	run_stdin <(printf '%s\n' "$CORE_HEADER") dmzegress -r -a "$D/assets.csv"
	assert_success
	assert_output 'src,src_name,proto,dport,dst,verdict,count,blocked,first,last'
}

@test "dmzegress: a missing dport column is an error (2)" {
	run_stdin <(printf 'ts,src,dst\n2026-11-21T04:00:00.000Z,192.0.2.10,198.51.100.7\n') \
	    dmzegress -a "$D/assets.csv"
	assert_failure 2
	assert_output --partial "missing column 'dport'"
}

@test "dmzegress: stdin, a file and - give the same output" {
	local a b c
	a=$(dmzegress -a "$D/assets.csv" "$D/events.csv")
	b=$(dmzegress -a "$D/assets.csv" < "$D/events.csv")
	c=$(dmzegress -a "$D/assets.csv" - < "$D/events.csv")
	[ "$a" = "$(cat "$D/events.out")" ]
	[ "$a" = "$b" ]
	[ "$a" = "$c" ]
}

@test "dmzegress: no inventory is an error (2), not a silent safe state" {
	run dmzegress "$D/events.csv"
	assert_failure 2
	assert_output --partial 'no site inventory'
	assert_output --partial 'give -a FILE'
}

@test "dmzegress: egress beyond each host's role alerts once per episode" {
	run dmzegress -a "$D/assets.csv" "$D/events.csv"
	assert_success
	assert_output "$(cat "$D/events.out")"
}

@test "dmzegress: roles allow their own traffic: proxy web, dns 53, mailrelay 25, everyone ntp" {
	run dmzegress -a "$D/assets.csv" "$D/events.csv"
	refute_output --partial ',192.0.2.3,'
	refute_output --partial ',192.0.2.25,'
	refute_output --partial ',192.0.2.53,'
	refute_output --partial ',198.51.100.123,123,,,1,2026-11-21T04:00:03'
	refute_output --partial '2001:db8:d::3'
}

@test "dmzegress: ssh out of the DMZ alerts even when the firewall denied it" {
	run dmzegress -a "$D/assets.csv" "$D/events.csv"
	assert_line --partial 'dmzegress.egress,high,192.0.2.10,198.51.100.7,22,,,2,2026-11-21T04:00:02.000Z,2026-11-21T04:00:12.000Z,22/tcp (ssh) from DMZ host www1'
}

@test "dmzegress: traffic to the inside and from outside the DMZ is not egress" {
	run dmzegress -a "$D/assets.csv" "$D/events.csv"
	refute_output --partial '10.1.1.1'
	refute_output --partial '6667'
}

@test "dmzegress: -e exits 1 with alerts and 0 without" {
	run dmzegress -e -a "$D/assets.csv" "$D/events.csv"
	assert_failure 1
	run_stdin <(head -2 "$D/events.csv") dmzegress -e -a "$D/assets.csv"
	assert_success
	assert_output "$ALERT_HEADER"
}

@test "dmzegress: --policy replaces the defaults" {
	run dmzegress -a "$D/assets.csv" -p "$D/policy.csv" "$D/events.csv"
	assert_success
	refute_output --partial '198.51.100.7,22'
	refute_output --partial '2026-11-21T04:00:03.000Z'
	assert_line --partial '2026-11-21T04:00:09.000Z,dmzegress.egress,high,192.0.2.99,198.51.100.123,123,'
	assert_line --partial '2026-11-21T04:00:00.000Z,dmzegress.egress,high,192.0.2.3,198.51.100.9,443,'
	assert_line --partial '2026-11-21T04:00:05.000Z,dmzegress.egress,high,192.0.2.25,203.0.113.5,25,'
}

@test "dmzegress: a policy destination limits where a port is allowed" {
	# 198.51.100.0/28 holds .7 but not .123.
	printf 'ts,proto,src,dst,dport\n%s\n%s\n' \
	    '2026-11-21T04:00:00.000Z,tcp,192.0.2.10,198.51.100.7,22' \
	    '2026-11-21T04:00:01.000Z,tcp,192.0.2.10,198.51.100.123,22' \
	    > "$BATS_TEST_TMPDIR/in.csv"
	run dmzegress -a "$D/assets.csv" -p "$D/policy.csv" "$BATS_TEST_TMPDIR/in.csv"
	assert_success
	refute_output --partial '198.51.100.7'
	assert_line --index 1 --partial 'dmzegress.egress,high,192.0.2.10,198.51.100.123,22,'
}

@test "dmzegress: a bad policy line is an error (2) naming the line" {
	printf 'net,proto,dport,dst\nrole:proxy,tcp,80,*\n*,gre,1,*\n' \
	    > "$BATS_TEST_TMPDIR/bad.csv"
	run dmzegress -a "$D/assets.csv" -p "$BATS_TEST_TMPDIR/bad.csv" "$D/events.csv"
	assert_failure 2
	assert_output --partial "bad.csv:3: proto 'gre'"
	printf 'net,proto,dport,dst\n192.0.2.0/33,tcp,80,*\n' > "$BATS_TEST_TMPDIR/bad.csv"
	run dmzegress -a "$D/assets.csv" -p "$BATS_TEST_TMPDIR/bad.csv" "$D/events.csv"
	assert_failure 2
	assert_output --partial "bad.csv:2: net '192.0.2.0/33'"
}

@test "dmzegress: --report lists every DMZ egress flow marked allowed or violation" {
	run dmzegress -r -a "$D/assets.csv" "$D/events.csv"
	assert_success
	assert_output "$(cat "$D/report.out")"
}

@test "dmzegress: --report --violations lists only violations; -e exits 1 then" {
	run dmzegress -r -n -e -a "$D/assets.csv" "$D/events.csv"
	assert_failure 1
	assert_output "$(grep -v ',allowed,' "$D/report.out")"
}

@test "dmzegress: a day with only allowed egress gives an empty violations report" {
	run_stdin <(head -2 "$D/events.csv") dmzegress -r -n -e -a "$D/assets.csv"
	assert_success
	assert_output 'src,src_name,proto,dport,dst,verdict,count,blocked,first,last'
}

@test "dmzegress: --violations without --report is a usage error (2)" {
	run dmzegress -n -a "$D/assets.csv" "$D/events.csv"
	assert_failure 2
}

@test "dmzegress: --report does not depend on the input order" {
	{ head -1 "$D/events.csv"; tail -n +2 "$D/events.csv" | sort -r; } \
	    > "$BATS_TEST_TMPDIR/rev.csv"
	run dmzegress -r -a "$D/assets.csv" "$BATS_TEST_TMPDIR/rev.csv"
	assert_success
	assert_output "$(cat "$D/report.out")"
}

@test "dmzegress: an episode ends after the gap, not at exactly the gap" {
	# The ssh events are 10s apart.
	run dmzegress -g 10s -a "$D/assets.csv" "$D/events.csv"
	assert_line '2026-11-21T04:00:12.000Z,dmzegress.egress,high,192.0.2.10,198.51.100.7,22,,,2,2026-11-21T04:00:02.000Z,2026-11-21T04:00:12.000Z,22/tcp (ssh) from DMZ host www1 to 198.51.100.7 not allowed by the egress policy; 2 of 2 blocked,closed'
	run dmzegress -g 9999ms -a "$D/assets.csv" "$D/events.csv"
	assert_line '2026-11-21T04:00:02.000Z,dmzegress.egress,high,192.0.2.10,198.51.100.7,22,,,1,2026-11-21T04:00:02.000Z,2026-11-21T04:00:02.000Z,22/tcp (ssh) from DMZ host www1 to 198.51.100.7 not allowed by the egress policy; 1 of 1 blocked,closed'
	assert_line '2026-11-21T04:00:12.000Z,dmzegress.egress,high,192.0.2.10,198.51.100.7,22,,,1,2026-11-21T04:00:12.000Z,2026-11-21T04:00:12.000Z,22/tcp (ssh) from DMZ host www1 to 198.51.100.7 not allowed by the egress policy; 1 of 1 blocked,open'
}

@test "dmzegress: events out of order within the lateness are placed correctly" {
	{ head -1 "$D/events.csv"
	  sed -n 3p "$D/events.csv"
	  sed -n 2p "$D/events.csv"
	  tail -n +4 "$D/events.csv"; } > "$BATS_TEST_TMPDIR/ooo.csv"
	run dmzegress -a "$D/assets.csv" "$BATS_TEST_TMPDIR/ooo.csv"
	assert_success
	assert_output "$(cat "$D/events.out")"
}

@test "dmzegress: events later than the lateness are counted and not processed" {
	{ cat "$D/events.csv"
	  echo '2026-11-21T03:50:00.000Z,allow,tcp,192.0.2.10,203.0.113.99,3389'
	} > "$BATS_TEST_TMPDIR/late.csv"
	run dmzegress -a "$D/assets.csv" "$BATS_TEST_TMPDIR/late.csv"
	assert_success
	assert_output --partial '1 event arrived more than 60s late'
	refute_output --partial '203.0.113.99'
	run dmzegress -L 15m -a "$D/assets.csv" "$BATS_TEST_TMPDIR/late.csv"
	assert_line --index 1 --partial '2026-11-21T03:50:00.000Z,dmzegress.egress,high,192.0.2.10,203.0.113.99,3389,,,1,2026-11-21T03:50:00.000Z,2026-11-21T03:50:00.000Z,3389/tcp (rdp) from DMZ host www1'
}

@test "dmzegress: replay in one go equals line by line with --line-buffered" {
	while IFS= read -r line; do
		printf '%s\n' "$line"
		sleep 0.02
	done < "$D/events.csv" |
	    dmzegress -u -a "$D/assets.csv" > "$BATS_TEST_TMPDIR/live"
	run cat "$BATS_TEST_TMPDIR/live"
	assert_output "$(cat "$D/events.out")"
}

@test "dmzegress: IPv6 DMZ hosts are judged by the same policy" {
	run dmzegress -a "$D/assets.csv" "$D/events.csv"
	assert_line --partial '2026-11-21T04:00:14.000Z,dmzegress.egress,high,2001:db8:d::9,2001:db8:ffff::80,443,,,1,'
	refute_output --partial '2001:db8:d::3'
}
