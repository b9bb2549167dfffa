#!/usr/bin/env bats
# nightweb: web use by internal clients at night and on days off.
load test_helper

N="$FIX/nightweb"

@test "nightweb: --help prints usage on stdout and exits 0" {
	run nightweb --help
	assert_success
	assert_line --index 0 --partial 'usage: nightweb [-ehruVW]'
	assert_output --partial '--holidays FILE'
}

@test "nightweb: --version prints the version" {
	run nightweb --version
	assert_success
	assert_output --regexp '^nightweb \(kazami\) [0-9]+\.[0-9]+'
}

@test "nightweb: an unknown option is a usage error (2)" {
	run nightweb --frobnicate
	assert_failure 2
	assert_output --partial 'usage: nightweb'
}

@test "nightweb: a bad --from is a usage error (2)" {
	run nightweb --from 25:00 "$N/night.csv"
	assert_failure 2
	assert_output --partial 'not HH:MM'
}

@test "nightweb: every long option is in the man page" {
	man_has_options nightweb
}

@test "nightweb: zero-byte input is an error (2)" {
	run nightweb /dev/null
	assert_failure 2
}

@test "nightweb: header-only input gives header-only output" {
	run_stdin <(echo "$CORE_HEADER") nightweb
	assert_success
	assert_output "$ALERT_HEADER"
}

@test "nightweb: header-only input gives a header-only report" {
	run_stdin <(echo "$CORE_HEADER") nightweb --report
	assert_success
	assert_output 'src,requests,bytes,hosts,top_hosts,first,last,left_out,reason'
}

@test "nightweb: a missing host column is an error (2)" {
	run_stdin <(printf 'ts,kind,src\n2026-11-18T01:00:00.000Z,proxy,10.0.0.1\n') nightweb
	assert_failure 2
	assert_output --partial "missing column 'host'"
}

@test "nightweb: stdin, a file and - give the same output" {
	a=$(nightweb -n 3 "$N/night.csv")
	b=$(nightweb -n 3 < "$N/night.csv")
	c=$(nightweb -n 3 - < "$N/night.csv")
	[ "$a" = "$b" ] && [ "$b" = "$c" ]
	[ "$(echo "$a" | wc -l)" -eq 3 ]
}

@test "nightweb: alerts a client at the threshold; the window is [01:00, 06:00)" {
	run nightweb -n 3 "$N/night.csv"
	assert_success
	assert_output "$(cat "$N/night.out")"
}

@test "nightweb: one request below the threshold is no alert" {
	run nightweb -n 4 "$N/night.csv"
	assert_success
	assert_output "$ALERT_HEADER"
}

@test "nightweb: the default threshold is 10 requests" {
	run nightweb "$N/night.csv"
	assert_success
	assert_output "$ALERT_HEADER"
}

@test "nightweb: -e exits 1 with an alert, 0 without" {
	run nightweb -e -n 3 "$N/night.csv"
	assert_failure 1
	run nightweb -e -n 4 "$N/night.csv"
	assert_success
}

@test "nightweb: the night is local time in --tz (Asia/Tokyo, UTC+9)" {
	run nightweb -n 3 -z Asia/Tokyo "$N/tokyo.csv"
	assert_success
	assert_output "$(cat "$N/tokyo.out")"
	run nightweb -n 3 "$N/tokyo.csv"
	assert_output "$ALERT_HEADER"
}

@test "nightweb: TZ gives the zone when --tz is absent" {
	TZ=Asia/Tokyo run nightweb -n 3 "$N/tokyo.csv"
	assert_success
	assert_output "$(cat "$N/tokyo.out")"
}

@test "nightweb: an unknown zone is an error (2)" {
	run nightweb -z Mars/Olympus "$N/night.csv"
	assert_failure 2
}

@test "nightweb: a window across midnight counts as one night" {
	run nightweb -n 3 --from 22:00 --to 02:00 "$N/midnight.csv"
	assert_success
	assert_output "$(cat "$N/midnight.out")"
	run nightweb -n 4 --from 22:00 --to 02:00 "$N/midnight.csv"
	assert_output "$ALERT_HEADER"
}

@test "nightweb: --weekend uses the local weekend, not the UTC one" {
	run nightweb -n 3 -W -z Pacific/Auckland "$N/weekend.csv"
	assert_success
	assert_output "$(cat "$N/weekend.out")"
	# Friday 21:00-23:00 in UTC: neither weekend nor night
	run nightweb -n 3 -W "$N/weekend.csv"
	assert_output "$ALERT_HEADER"
	run nightweb -n 3 -z Pacific/Auckland "$N/weekend.csv"
	assert_output "$ALERT_HEADER"
}

@test "nightweb: --holidays makes a listed day off hours" {
	run nightweb -n 3 --holidays "$N/holidays.txt" "$N/holiday.csv"
	assert_success
	assert_output "$(cat "$N/holiday.out")"
	run nightweb -n 3 "$N/holiday.csv"
	assert_output "$ALERT_HEADER"
}

@test "nightweb: a malformed holidays file is an error (2)" {
	run nightweb -H <(echo 'next monday') "$N/holiday.csv"
	assert_failure 2
	assert_output --partial 'not a date'
}

@test "nightweb: --report lists night-active clients and what was left out" {
	run nightweb --report -a "$N/assets.csv" --allow "$N/allow.txt" "$N/report.csv"
	assert_success
	assert_output "$(cat "$N/report.out")"
}

@test "nightweb: a cache server's crawl raises no alert" {
	run nightweb -n 3 -a "$N/assets.csv" "$N/report.csv"
	assert_success
	refute_output --partial '10.0.0.9'
	assert_line --index 1 --partial ',10.0.0.5,'
	# without the inventory the crawl is an alert
	run nightweb -n 3 "$N/report.csv"
	assert_output --partial ',10.0.0.9,,,mirror.example,,3,'
}

@test "nightweb: a proxy seen by the edge sensor raises no alert; its clients do" {
	run nightweb -n 3 -a "$N/assets.csv" "$N/proxy.csv"
	assert_success
	assert_output "$(cat "$N/proxy.out")"
	# without the inventory the proxy's six relayed requests are an alert
	run nightweb -n 3 "$N/proxy.csv"
	assert_line --index 1 --partial ',172.16.10.8,,,mirror.example,,3,2026-11-18T01:00:00.000Z,2026-11-18T01:02:00.000Z,'
}

@test "nightweb: --report counts what a proxy role left out" {
	run nightweb --report -a "$N/assets.csv" "$N/proxy.csv"
	assert_success
	assert_output "$(cat "$N/proxy-report.out")"
}

@test "nightweb: --allow leaves out listed clients" {
	run nightweb -n 3 -A <(echo 10.0.0.0/29) "$N/night.csv"
	assert_success
	assert_output "$ALERT_HEADER"
}

@test "nightweb: replayed in one go or line by line, the alerts are the same" {
	one=$(nightweb -n 3 "$N/report.csv")
	live=$( { head -1 "$N/report.csv"
		tail -n +2 "$N/report.csv" | while IFS= read -r l; do
			echo "$l"; sleep 0.05; done; } | nightweb -u -n 3)
	[ "$one" = "$live" ]
	[ "$(echo "$one" | wc -l)" -eq 5 ]
}

@test "nightweb: events out of order within --lateness are placed correctly" {
	for n in 1 7 3 2 4 5 6 8; do sed -n "${n}p" "$N/night.csv"; done \
	    > "$BATS_TEST_TMPDIR/shuf.csv"
	run nightweb -n 3 -L 6h "$BATS_TEST_TMPDIR/shuf.csv"
	assert_success
	assert_output "$(cat "$N/night.out")"
}

@test "nightweb: events later than --lateness are counted in a warning" {
	for n in 1 7 3 2 4 5 6 8; do sed -n "${n}p" "$N/night.csv"; done \
	    > "$BATS_TEST_TMPDIR/shuf.csv"
	run nightweb -n 3 "$BATS_TEST_TMPDIR/shuf.csv"
	assert_success
	assert_output --partial 'events arrived more than 60s late'
	refute_output --partial 'nightweb.offhours'
}

@test "nightweb: --to 24:00 ends the night at midnight; 7:00 is not HH:MM" {
	run nightweb -n 3 --from 22:00 --to 24:00 "$N/midnight.csv"
	assert_success
	assert_output "$ALERT_HEADER"
	run nightweb -n 2 --from 22:00 --to 24:00 "$N/midnight.csv"
	assert_line --index 1 --partial ',nightweb.offhours,low,10.0.0.5,,,a.example,alice,2,2026-11-18T22:00:00.000Z,2026-11-18T23:30:00.000Z,2 web requests at night (22:00-24:00 UTC),open'
	run nightweb --to 7:00 "$N/night.csv"
	assert_failure 2
}
