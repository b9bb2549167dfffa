#!/usr/bin/env bats
# domrank: destination ranking by registrable domain, watch lists, users.
load test_helper

D="$FIX/domrank"

@test "domrank: --help prints usage on stdout and exits 0" {
	run domrank --help
	assert_success
	assert_line --index 0 --partial 'usage: domrank [-eHhMPuV]'
	assert_output --partial '--watchlist FILE'
}

@test "domrank: --version prints the version" {
	run domrank --version
	assert_success
	assert_output --regexp '^domrank \(kazami\) [0-9]+\.[0-9]+'
}

@test "domrank: an unknown option is a usage error (2)" {
	run domrank --frobnicate
	assert_failure 2
	assert_output --partial 'usage: domrank'
}

@test "domrank: a bad --mode is a usage error (2)" {
	run domrank --mode bottom "$D/web.csv"
	assert_failure 2
	assert_output --partial 'not rank, rare or users'
}

@test "domrank: every long option is in the man page" {
	man_has_options domrank
}

@test "domrank: zero-byte input is an error (2)" {
	run domrank /dev/null
	assert_failure 2
}

@test "domrank: header-only input gives header-only output" {
	run_stdin <(echo "$CORE_HEADER") domrank
	assert_success
	assert_output 'domain,requests,clients,bytes,first,last'
}

@test "domrank: a missing host column is an error (2)" {
	run_stdin <(printf 'ts,kind,src\n2026-11-21T08:00:00.000Z,proxy,10.0.0.1\n') domrank
	assert_failure 2
	assert_output --partial "missing column 'host'"
}

@test "domrank: stdin, a file and - give the same output" {
	a=$(domrank "$D/web.csv")
	b=$(domrank < "$D/web.csv")
	c=$(domrank - < "$D/web.csv")
	[ "$a" = "$b" ] && [ "$b" = "$c" ]
	[ -n "$a" ]
}

@test "domrank: ranks registrable domains (co.jp, github.io, IP literals, ports, case)" {
	run domrank "$D/web.csv"
	assert_success
	assert_output "$(cat "$D/rank.out")"
}

@test "domrank: --host keeps full host names" {
	run domrank --host "$D/web.csv"
	assert_success
	assert_output "$(cat "$D/host.out")"
}

@test "domrank: --top keeps the first N rows" {
	run domrank -n 2 "$D/web.csv"
	assert_success
	assert_output "$(head -3 "$D/rank.out")"
}

@test "domrank: --sort clients puts the widest-used domain first" {
	run domrank -s bytes -n 1 "$D/web.csv"
	assert_success
	assert_line --index 1 --partial 'example.co.jp,4,2,1800,'
	run domrank -s clients "$D/web.csv"
	assert_line --index 1 --partial 'example.co.jp,4,2,'
}

@test "domrank: DNS records are not counted unless --kind says so" {
	run domrank --kind dns "$D/web.csv"
	assert_success
	assert_output 'domain,requests,clients,bytes,first,last
example.co.jp,1,1,0,2026-11-21T08:00:07.000Z,2026-11-21T08:00:07.000Z'
}

@test "domrank: --kind any counts firewall records by destination address" {
	run domrank --kind any "$D/web.csv"
	assert_success
	assert_line '198.51.100.1,1,1,0,2026-11-21T08:00:09.000Z,2026-11-21T08:00:09.000Z'
	assert_line --index 1 'example.co.jp,5,3,1800,2026-11-21T08:00:00.000Z,2026-11-21T08:00:07.000Z'
}

@test "domrank: --mode rare lists the bottom, rarest first" {
	run domrank --mode rare "$D/web.csv"
	assert_success
	assert_output "$(cat "$D/rare.out")"
}

@test "domrank: --mode rare leaves out domains above both thresholds" {
	run domrank -m rare -R 3 -C 1 "$D/web.csv"
	assert_success
	refute_output --partial 'example.co.jp'
	assert_line 'example.com,1,1,400,2026-11-21T08:00:08.000Z,2026-11-21T08:00:08.000Z'
	run domrank -m rare -R 3 -C 2 "$D/web.csv"
	assert_line --partial 'example.co.jp,4,2,'
}

@test "domrank: --known removes the organisation's sites and their subdomains" {
	run domrank -m rare --known "$D/known.txt" "$D/web.csv"
	assert_success
	assert_output "$(cat "$D/rare-known.out")"
}

@test "domrank: --mode users -c 1 -r 1 ranks every client by requests to the watch list" {
	run domrank --mode users -c 1 -r 1 "$D/web.csv"
	assert_success
	assert_output "$(cat "$D/users.out")"
}

@test "domrank: --mode users by default writes the clients that often visit the watch list" {
	# 10.0.0.1: 3 requests, 2 of them to example.co.jp; 10.0.0.2 and
	# 10.0.0.3 have 2 requests, 10.0.0.4 one: fewer than 3
	run domrank --mode users "$D/web.csv"
	assert_success
	assert_output "$(head -2 "$D/users.out")"
}

@test "domrank: --min-repeat keeps users with N requests to one watch-list domain" {
	# 10.0.0.3 made 2 requests, one to each github.io page
	run domrank -m users -c 1 -r 2 "$D/web.csv"
	assert_success
	assert_output "$(sed -n '1,2p;4p' "$D/users.out")"
	run domrank -m users --min-count 1 --min-repeat 3 "$D/web.csv"
	assert_output "$ALERT_HEADER"
}

@test "domrank: a proxy's relayed requests are left out by its inventory role" {
	run domrank -a "$D/assets.csv" "$D/proxy.csv"
	assert_success
	# 2 crawl requests, 3 relayed for 10.0.0.1, 1 for 10.0.0.2
	assert_output --partial '6 records from proxies (inventory role proxy) left out'
	[ "$(domrank -a "$D/assets.csv" "$D/proxy.csv" 2>/dev/null)" = "$(cat "$D/proxy-rank.out")" ]
	[ "$(KAZAMI_ASSETS="$D/assets.csv" domrank "$D/proxy.csv" 2>/dev/null)" = "$(cat "$D/proxy-rank.out")" ]
	# without the inventory the proxy is a client, counted twice over
	run domrank "$D/proxy.csv"
	assert_line --index 1 'rare.example,6,2,630,2026-11-21T09:00:00.000Z,2026-11-21T09:02:00.500Z'
	refute_output --partial 'left out'
}

@test "domrank: a proxy is not a user to watch; its clients are" {
	[ "$(domrank -m users -a "$D/assets.csv" "$D/proxy.csv" 2>/dev/null)" = "$(cat "$D/proxy-users.out")" ]
	run domrank -m users "$D/proxy.csv"
	assert_line --index 1 --partial ',domrank.users,medium,172.16.10.8,,,rare.example,,6,'
	assert_line --index 2 --partial ',domrank.users,low,10.0.0.1,,,rare.example,,3,'
}

@test "domrank: --watchlist applies an earlier watch list to new data" {
	run domrank -m users -c 1 -r 1 --watchlist "$D/watch.csv" "$D/web.csv"
	assert_success
	assert_output "$(cat "$D/users-watch.out")"
	# one request each: nobody visits it often
	run domrank -m users --watchlist "$D/watch.csv" "$D/web.csv"
	assert_output "$ALERT_HEADER"
	run domrank --watchlist "$D/watch.csv" "$D/web.csv"
	assert_success
	assert_output "$(cat "$D/rank-watch.out")"
}

@test "domrank: a watch list without a domain column is an error (2)" {
	run domrank -w <(printf 'name\nx.example\n') "$D/web.csv"
	assert_failure 2
	assert_output --partial "no column 'domain'"
}

@test "domrank: users with three watch-list domains are medium" {
	run_stdin <(echo "$CORE_HEADER"
	    for h in a.example b.example c.example; do
		echo "2026-11-21T09:00:00.000Z,px,proxy,allow,tcp,10.9.9.9,,,443,,$h,,,,10,,,,,,,,"
	    done) domrank -m users -r 1
	assert_success
	assert_line --index 1 --partial ',domrank.users,medium,10.9.9.9,,,a.example,,3,'
}

@test "domrank: -e exits 1 when the watch list is not empty, 0 otherwise" {
	run domrank -e -m rare "$D/web.csv"
	assert_failure 1
	run domrank -e -m rare -K "$D/known.txt" -w "$D/watch.csv" "$D/web.csv"
	assert_success
	assert_output 'domain,requests,clients,bytes,first,last'
	run domrank -e "$D/web.csv"
	assert_success
}

@test "domrank: merged partial rankings equal one run" {
	head -6 "$D/web.csv" > "$BATS_TEST_TMPDIR/a.csv"
	{ head -1 "$D/web.csv"; tail -n +7 "$D/web.csv"; } > "$BATS_TEST_TMPDIR/b.csv"
	domrank -P "$BATS_TEST_TMPDIR/a.csv" > "$BATS_TEST_TMPDIR/a.p"
	domrank -P "$BATS_TEST_TMPDIR/b.csv" > "$BATS_TEST_TMPDIR/b.p"
	run domrank --merge "$BATS_TEST_TMPDIR/a.p" "$BATS_TEST_TMPDIR/b.p"
	assert_success
	assert_output "$(cat "$D/rank.out")"
	run domrank -M -m rare "$BATS_TEST_TMPDIR/a.p" "$BATS_TEST_TMPDIR/b.p"
	assert_output "$(cat "$D/rare.out")"
}

@test "domrank: --partial carries the client set" {
	run domrank -P "$D/web.csv"
	assert_success
	assert_line --index 0 'domain,requests,clients,bytes,first,last,clientset'
	assert_line --index 1 'example.co.jp,4,2,1800,2026-11-21T08:00:00.000Z,2026-11-21T08:00:05.000Z,10.0.0.1 10.0.0.2'
}

@test "domrank: merge stays exact past the exact client-set size" {
	# 100 clients, then the first 10 of them again: 110 requests
	{ echo "$CORE_HEADER"
	  for i in $(seq 1 100) $(seq 1 10); do
		echo "2026-11-21T09:00:00.000Z,px,proxy,allow,tcp,10.1.0.$i,,,443,,many.example,,,,1,,,,,,,,"
	  done; } > "$BATS_TEST_TMPDIR/all.csv"
	head -61 "$BATS_TEST_TMPDIR/all.csv" > "$BATS_TEST_TMPDIR/a.csv"
	{ echo "$CORE_HEADER"; tail -n 50 "$BATS_TEST_TMPDIR/all.csv"; } > "$BATS_TEST_TMPDIR/b.csv"
	one=$(domrank -P "$BATS_TEST_TMPDIR/all.csv")
	domrank -P "$BATS_TEST_TMPDIR/a.csv" > "$BATS_TEST_TMPDIR/a.p"
	domrank -P "$BATS_TEST_TMPDIR/b.csv" > "$BATS_TEST_TMPDIR/b.p"
	merged=$(domrank -M -P "$BATS_TEST_TMPDIR/a.p" "$BATS_TEST_TMPDIR/b.p")
	[ "$one" = "$merged" ]
	# 100 distinct clients: the sketch estimate is within 5%
	n=$(echo "$one" | awk -F, 'NR == 2 { print $3 }')
	[ "$n" -ge 95 ] && [ "$n" -le 105 ]
	echo "$one" | grep -q ',hll9:'
	echo "$merged" | grep -q '^many.example,110,'
}

@test "domrank: --merge of --host partials into domains regroups them" {
	domrank -H -P "$D/web.csv" > "$BATS_TEST_TMPDIR/h.p"
	run domrank -M "$BATS_TEST_TMPDIR/h.p"
	assert_success
	assert_output "$(cat "$D/rank.out")"
}

@test "domrank: --max-keys caps the names held and says so" {
	run domrank -x 2 "$D/web.csv"
	assert_success
	assert_output --partial 'records for names beyond --max-keys 2 not ranked'
	[ "$(domrank -x 2 "$D/web.csv" 2>/dev/null | wc -l)" -eq 3 ]
}

@test "domrank: a hostile host name stays one escaped record" {
	run_stdin <(echo "$CORE_HEADER"
	    echo '2026-11-21T09:00:00.000Z,px,proxy,allow,tcp,10.0.0.1,,,443,,"=cmd|x,y.example\x0a",,,,5,,,,,,,,') domrank -H
	assert_success
	assert_line --index 1 '"=cmd|x,y.example\x0a",1,1,5,2026-11-21T09:00:00.000Z,2026-11-21T09:00:00.000Z'
}

@test "domrank: a host that holds no name is counted in a warning" {
	run_stdin <(echo "$CORE_HEADER"
	    echo '2026-11-21T09:00:00.000Z,px,proxy,allow,tcp,10.0.0.1,,,443,,..,,,,5,,,,,,,,'
	    echo '2026-11-21T09:00:01.000Z,px,proxy,allow,tcp,10.0.0.1,,,443,,:80,,,,5,,,,,,,,'
	    echo '2026-11-21T09:00:02.000Z,px,proxy,allow,tcp,10.0.0.1,,,443,,a.example,,,,5,,,,,,,,') domrank
	assert_success
	assert_output --partial '2 records whose host is no name'
	assert_line 'a.example,1,1,5,2026-11-21T09:00:02.000Z,2026-11-21T09:00:02.000Z'
	refute_output --partial 'beyond --max-keys'
}

@test "domrank: a record with a bad ts counts but leaves first and last alone" {
	run_stdin <(echo "$CORE_HEADER"
	    echo 'yesterday,px,proxy,allow,tcp,10.0.0.1,,,443,,a.example,,,,5,,,,,,,,'
	    echo '2026-11-21T09:00:02.000Z,px,proxy,allow,tcp,10.0.0.2,,,443,,a.example,,,,5,,,,,,,,') domrank
	assert_success
	assert_output 'domain,requests,clients,bytes,first,last
a.example,2,2,10,2026-11-21T09:00:02.000Z,2026-11-21T09:00:02.000Z'
}

@test "domrank: times within one second, out of order or with an offset, give first and last" {
	# .900 and .100 share their second, .100 is the earliest; 01.050 is
	# the next second; 18:00:01.999+09:00 is 09:00:01.999Z, the latest
	run_stdin <(echo "$CORE_HEADER"
	    for t in 2026-11-21T09:00:00.900Z 2026-11-21T09:00:00.100Z \
		2026-11-21T09:00:01.050Z 2026-11-21T18:00:01.999+09:00; do
		echo "$t,px,proxy,allow,tcp,10.0.0.1,,,443,,a.example,,,,5,,,,,,,,"
	    done) domrank
	assert_success
	assert_output 'domain,requests,clients,bytes,first,last
a.example,4,1,20,2026-11-21T09:00:00.100Z,2026-11-21T09:00:01.999Z'
}

@test "domrank: --min-count keeps users with at least N watch-list requests" {
	run domrank -m users -c 2 -r 1 "$D/web.csv"
	assert_success
	assert_output "$(head -4 "$D/users.out")"
}

@test "domrank: --psl and KAZAMI_PSL load the list from a file" {
	# a list without github.io: the two pages become one domain
	run domrank --psl "$D/mini.dat" "$D/web.csv"
	assert_success
	assert_line 'github.io,2,1,400,2026-11-21T08:00:03.000Z,2026-11-21T08:00:04.000Z'
	assert_line --index 1 --partial 'example.co.jp,4,2,1800,'
	KAZAMI_PSL="$D/mini.dat" run domrank "$D/web.csv"
	assert_line 'github.io,2,1,400,2026-11-21T08:00:03.000Z,2026-11-21T08:00:04.000Z'
	run domrank --psl /nonexistent.dat "$D/web.csv"
	assert_failure 2
}
