#!/usr/bin/env bats
# longconn: HTTP and HTTPS connections held open for an hour or more.
load test_helper

C="$FIX/longconn"

@test "longconn: --help prints usage on stdout and exits 0" {
	run longconn --help
	assert_success
	assert_line --index 0 --partial 'usage: longconn [-ehuV]'
	assert_output --partial '--min DUR'
}

@test "longconn: --version prints the version" {
	run longconn --version
	assert_success
	assert_output --regexp '^longconn \(kazami\) [0-9]+\.[0-9]+'
}

@test "longconn: an unknown option is a usage error (2)" {
	run longconn --frobnicate
	assert_failure 2
	assert_output --partial 'usage: longconn'
}

@test "longconn: a bad --ports list is a usage error (2)" {
	run longconn --ports 443,http "$C/conn.csv"
	assert_failure 2
	assert_output --partial 'not a list of ports'
}

@test "longconn: every long option is in the man page" {
	man_has_options longconn
}

@test "longconn: zero-byte input is an error (2)" {
	run longconn /dev/null
	assert_failure 2
}

@test "longconn: header-only input gives header-only output" {
	run_stdin <(echo "$CORE_HEADER") longconn
	assert_success
	assert_output "$ALERT_HEADER"
}

@test "longconn: a missing dur column is an error (2)" {
	run_stdin <(printf 'ts,src,dst,dport\n2026-11-21T10:00:00.000Z,10.0.0.1,192.0.2.1,443\n') longconn
	assert_failure 2
	assert_output --partial "missing column 'dur'"
}

@test "longconn: stdin, a file and - give the same output" {
	a=$(longconn "$C/conn.csv")
	b=$(longconn < "$C/conn.csv")
	c=$(longconn - < "$C/conn.csv")
	[ "$a" = "$b" ] && [ "$b" = "$c" ]
	[ "$(echo "$a" | wc -l)" -eq 9 ]
}

@test "longconn: durations, ASA built/teardown pairs and connections still open" {
	run longconn "$C/conn.csv"
	assert_success
	assert_output "$(cat "$C/conn.out")"
}

@test "longconn: a connection one millisecond short of --min is not reported" {
	run longconn "$C/conn.csv"
	refute_output --partial '10.0.0.6'
}

@test "longconn: connections between two internal hosts are not reported" {
	run longconn "$C/conn.csv"
	refute_output --partial '10.0.0.12'
}

@test "longconn: --min raises the bar" {
	run longconn --min 2h "$C/conn.csv"
	assert_success
	assert_output "$(head -2 "$C/conn.out")
$(sed -n 4p "$C/conn.out")"
}

@test "longconn: a teardown whose start came before the input counts by its duration" {
	run_stdin <(head -1 "$C/conn.csv"; tail -1 "$C/conn.csv") longconn
	assert_success
	assert_line --index 1 '2026-11-21T11:50:00.000Z,longconn.long,medium,10.0.0.8,198.51.100.50,443,,,1,2026-11-21T10:20:00.000Z,2026-11-21T11:50:00.000Z,connection open for 1h30m00s,open'
	assert_line --index 2 '2026-11-21T11:50:00.000Z,longconn.long,medium,10.0.0.8,198.51.100.50,443,,,1,2026-11-21T10:20:00.000Z,2026-11-21T11:50:00.000Z,"1 connection of up to 1h30m00s, 9999 bytes",closed'
}

@test "longconn: open and close records without an id pair by their five-tuple" {
	run_stdin <(echo "$CORE_HEADER"
	    echo '2026-11-21T00:00:00.000Z,gw,fw,open,tcp,10.0.0.20,50010,203.0.113.30,443,,,,,,,,,,,,,,'
	    echo '2026-11-21T00:30:00.000Z,gw,fw,open,tcp,10.0.0.21,50011,203.0.113.30,443,,,,,,,,,,,,,,'
	    echo '2026-11-21T00:40:00.000Z,gw,fw,close,tcp,10.0.0.21,50011,203.0.113.30,443,,,,,,,,,,,,,,'
	    echo '2026-11-21T01:59:59.999Z,gw,fw,close,tcp,10.0.0.20,50010,203.0.113.30,443,,,,,,,,,,,,,,') longconn
	assert_success
	assert_output "$ALERT_HEADER
2026-11-21T01:59:59.999Z,longconn.long,medium,10.0.0.20,203.0.113.30,443,,,1,2026-11-21T00:00:00.000Z,2026-11-21T01:59:59.999Z,connection open for 1h59m59s,open
2026-11-21T01:59:59.999Z,longconn.long,medium,10.0.0.20,203.0.113.30,443,,,1,2026-11-21T00:00:00.000Z,2026-11-21T01:59:59.999Z,1 connection of up to 1h59m59s,closed"
}

@test "longconn: --ports decides which firewall records are web" {
	run longconn --ports 22 "$C/conn.csv"
	assert_success
	assert_line --partial ',longconn.long,medium,10.0.0.11,198.51.100.80,22,,,1,2026-11-21T08:55:00.000Z,2026-11-21T11:25:00.000Z,connection open for 2h30m00s,open'
	refute_output --partial '10.0.0.8,'
	assert_output --partial '10.0.0.5,203.0.113.10,443,tunnel.example'
}

@test "longconn: hosts with role proxy are exempt" {
	printf 'net,name,zone,role\n10.0.0.8,proxy1,internal,proxy\n' > "$BATS_TEST_TMPDIR/assets.csv"
	run longconn -a "$BATS_TEST_TMPDIR/assets.csv" "$C/conn.csv"
	assert_success
	refute_output --partial '10.0.0.8,'
	assert_output --partial '10.0.0.9,198.51.100.60'
}

@test "longconn: -e exits 1 with an alert, 0 without" {
	run longconn -e "$C/conn.csv"
	assert_failure 1
	run longconn -e --min 3h "$C/conn.csv"
	assert_success
	assert_output "$ALERT_HEADER"
}

@test "longconn: replayed in one go or line by line, the alerts are the same" {
	one=$(longconn "$C/conn.csv")
	live=$( { head -1 "$C/conn.csv"
		tail -n +2 "$C/conn.csv" | while IFS= read -r l; do
			echo "$l"; sleep 0.05; done; } | longconn -u)
	[ "$one" = "$live" ]
	[ "$one" = "$(cat "$C/conn.out")" ]
}

@test "longconn: a still-open connection is alerted before the input ends" {
	# input stays open for 4 s more; the alert must be out after 2 s
	{ head -1 "$C/conn.csv"; sed -n '7p;11p' "$C/conn.csv"; sleep 4; } |
	    longconn -u -L 0s > "$BATS_TEST_TMPDIR/live.out" &
	sleep 2
	cp "$BATS_TEST_TMPDIR/live.out" "$BATS_TEST_TMPDIR/early.out"
	wait
	grep -q '10.0.0.9,198.51.100.60,443,,,1,2026-11-21T10:30:00.000Z,2026-11-21T11:50:00.000Z,connection open for 1h20m00s and still open,open' "$BATS_TEST_TMPDIR/early.out"
	! grep -q ',closed' "$BATS_TEST_TMPDIR/early.out"
	grep -q ',closed' "$BATS_TEST_TMPDIR/live.out"
}

@test "longconn: Cisco ASA built and teardown lines through lognorm" {
	run bash -c 'lognorm "$0" | longconn' "$C/asa.log"
	assert_success
	assert_output "$ALERT_HEADER
2026-11-21T11:50:00.000Z,longconn.long,medium,10.0.0.8,198.51.100.50,443,,,1,2026-11-21T10:20:00.000Z,2026-11-21T11:50:00.000Z,connection open for 1h30m00s,open
2026-11-21T11:50:00.000Z,longconn.long,medium,10.0.0.8,198.51.100.50,443,,,1,2026-11-21T10:20:00.000Z,2026-11-21T11:50:00.000Z,\"1 connection of up to 1h30m00s, 9999 bytes\",closed"
}
