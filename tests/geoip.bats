#!/usr/bin/env bats
# geoip: country and AS columns from MaxMind DB files built at test time
# by tests/fixtures/geoip/mkmmdb.pl (libmaxmind-db-writer-perl).
load test_helper

G="$FIX/geoip"

setup_file() {
	local spec
	export DBS="$BATS_FILE_TMPDIR/db"
	mkdir -p "$DBS"
	for spec in "GeoLite2-Country 6 country" "GeoLite2-ASN 6 asn" \
	    "DBIP-Country-Lite 6 dbip" "GeoIP2-Country 4 v4only" \
	    "GeoLite2-City 6 country:city" "DBIP-ASN-Lite 6 asn:dbip-asn" \
	    "GeoIP2-Anonymous-IP 6 dbip:anon"; do
		set -- $spec
		local src=${3%%:*} out=${3##*:}
		"$FIX/geoip/mkmmdb.pl" "$1" "$2" "$FIX/geoip/$src.csv" \
		    "$DBS/$out.mmdb" 2>"$DBS/mkmmdb.err" || {
			touch "$DBS/missing"
			return 0
		}
	done
}

# need_db: skip when the Perl writer is missing (install
# libmaxmind-db-writer-perl, or run `make deps`).
need_db() {
	[ ! -e "$DBS/missing" ] ||
	    skip "cannot build test databases: $(cat "$DBS/mkmmdb.err")"
}

@test "geoip: --help prints usage on stdout and exits 0" {
	run geoip --help
	assert_success
	assert_line --index 0 'usage: geoip [-huV] [-d DB]... [FILE...]'
	assert_output --partial '--db DB'
}

@test "geoip: --version prints the version" {
	run geoip --version
	assert_success
	assert_output --regexp '^geoip \(kazami\) [0-9]+\.[0-9]+'
}

@test "geoip: an unknown option is a usage error (2)" {
	run geoip --frobnicate
	assert_failure 2
	assert_output --partial 'usage: geoip'
}

@test "geoip: every long option is in the man page" {
	man_has_options geoip
}

@test "geoip: zero-byte input is an error (2)" {
	need_db
	run geoip -d "$DBS/country.mmdb" /dev/null
	assert_failure 2
	assert_output --partial 'no header'
}

@test "geoip: header-only input gives header-only output" {
	need_db
	run_stdin <(printf 'ts,src,dst\n') geoip -d "$DBS/country.mmdb" \
	    -d "$DBS/asn.mmdb"
	assert_success
	assert_output 'ts,src,dst,src_cc,dst_cc,src_asn,src_asorg,dst_asn,dst_asorg'
}

@test "geoip: a missing dst column is an error (2)" {
	need_db
	run_stdin <(printf 'ts,src\n2026-11-21T04:12:09.250Z,198.51.100.7\n') \
	    geoip -d "$DBS/country.mmdb"
	assert_failure 2
	assert_output --partial "missing column 'dst'"
}

@test "geoip: stdin, a file and - give the same output" {
	need_db
	local a b c
	a=$(geoip -d "$DBS/country.mmdb" "$G/events.csv")
	b=$(geoip -d "$DBS/country.mmdb" < "$G/events.csv")
	c=$(geoip -d "$DBS/country.mmdb" - < "$G/events.csv")
	[ "$a" = "$(cat "$G/country.out")" ]
	[ "$a" = "$b" ]
	[ "$a" = "$c" ]
}

@test "geoip: a country database adds src_cc and dst_cc" {
	need_db
	run geoip -d "$DBS/country.mmdb" "$G/events.csv"
	assert_success
	assert_output "$(cat "$G/country.out")"
}

@test "geoip: a City database gives countries too" {
	need_db
	run geoip -d "$DBS/city.mmdb" "$G/events.csv"
	assert_success
	assert_output "$(cat "$G/country.out")"
}

@test "geoip: country and ASN databases add AS number and organisation" {
	need_db
	run geoip -d "$DBS/country.mmdb" -d "$DBS/asn.mmdb" "$G/events.csv"
	assert_success
	assert_output "$(cat "$G/both.out")"
}

@test "geoip: an ASN database alone adds only the AS columns" {
	need_db
	run geoip -d "$DBS/asn.mmdb" "$G/events.csv"
	assert_success
	assert_output "$(cat "$G/asn.out")"
}

@test "geoip: a DB-IP ASN lite file is detected as ASN" {
	need_db
	run geoip -d "$DBS/dbip-asn.mmdb" "$G/events.csv"
	assert_success
	assert_output "$(cat "$G/asn.out")"
}

@test "geoip: private addresses get empty cells even when the database covers them" {
	need_db
	# country.csv maps 10.0.0.0/8 and fd00::/8 to ZZ.
	run geoip -d "$DBS/country.mmdb" "$G/events.csv"
	refute_output --partial 'ZZ'
	assert_line '2026-11-21T04:12:13.000Z,2001:db8:1::5,fd00::1,53,v6,DE,'
}

@test "geoip: registered_country is used when country is absent" {
	need_db
	run geoip -d "$DBS/country.mmdb" "$G/events.csv"
	assert_line '2026-11-21T04:12:12.000Z,192.168.1.5,192.0.2.10,443,registered only,,JP'
}

@test "geoip: the first database with an answer wins" {
	need_db
	run geoip -d "$DBS/dbip.mmdb" -d "$DBS/country.mmdb" "$G/events.csv"
	assert_success
	assert_line '2026-11-21T04:12:10.000Z,198.51.100.7,10.1.2.3,22,"inbound, ssh",GB,'
	assert_line '2026-11-21T04:12:09.250Z,10.1.2.3,203.0.113.9,6667,irc,,CN'
	run geoip -d "$DBS/country.mmdb" -d "$DBS/dbip.mmdb" "$G/events.csv"
	assert_line '2026-11-21T04:12:10.000Z,198.51.100.7,10.1.2.3,22,"inbound, ssh",US,'
}

@test "geoip: IPv6 falls through an IPv4-only database to the next" {
	need_db
	run geoip -d "$DBS/v4only.mmdb" "$G/v6.csv"
	assert_success
	assert_output "ts,src,dst,src_cc,dst_cc
2026-11-21T05:00:00.000Z,2001:0db8:0002::7,203.0.113.9,,FR"
	run geoip -d "$DBS/v4only.mmdb" -d "$DBS/dbip.mmdb" "$G/v6.csv"
	assert_output "ts,src,dst,src_cc,dst_cc
2026-11-21T05:00:00.000Z,2001:0db8:0002::7,203.0.113.9,NL,FR"
}

@test "geoip: a second run replaces its columns instead of adding them" {
	need_db
	run bash -c 'geoip -d "$1" "$2" | geoip -d "$1"' _ \
	    "$DBS/country.mmdb" "$G/events.csv"
	assert_success
	assert_output "$(cat "$G/country.out")"
}

@test "geoip: KAZAMI_GEOIP lists databases separated by colons" {
	need_db
	KAZAMI_GEOIP="$DBS/country.mmdb:$DBS/asn.mmdb" run geoip "$G/events.csv"
	assert_success
	assert_output "$(cat "$G/both.out")"
}

@test "geoip: -d overrides KAZAMI_GEOIP" {
	need_db
	KAZAMI_GEOIP=/nonexistent.mmdb run geoip -d "$DBS/country.mmdb" \
	    "$G/events.csv"
	assert_success
	assert_output "$(cat "$G/country.out")"
}

@test "geoip: a missing database is an error (2)" {
	run geoip -d "$BATS_TEST_TMPDIR/none.mmdb" "$G/events.csv"
	assert_failure 2
	assert_output --partial "none.mmdb"
	assert_output --partial "No such file"
}

@test "geoip: a missing database named in KAZAMI_GEOIP is an error (2)" {
	KAZAMI_GEOIP="$BATS_TEST_TMPDIR/none.mmdb" run geoip "$G/events.csv"
	assert_failure 2
	assert_output --partial "none.mmdb"
}

@test "geoip: a corrupt database is an error (2)" {
	need_db
	head -c 300 "$DBS/country.mmdb" > "$BATS_TEST_TMPDIR/cut.mmdb"
	run geoip -d "$BATS_TEST_TMPDIR/cut.mmdb" "$G/events.csv"
	assert_failure 2
	assert_output --partial 'cut.mmdb: not a usable MaxMind DB'
	printf 'not a database\n' > "$BATS_TEST_TMPDIR/text.mmdb"
	run geoip -d "$BATS_TEST_TMPDIR/text.mmdb" "$G/events.csv"
	assert_failure 2
	assert_output --partial 'text.mmdb: not a usable MaxMind DB'
}

@test "geoip: a database of an unusable type is an error (2)" {
	need_db
	run geoip -d "$DBS/anon.mmdb" "$G/events.csv"
	assert_failure 2
	assert_output --partial "unsupported database type 'GeoIP2-Anonymous-IP'"
}

@test "geoip: no database anywhere is an error (2)" {
	if ls /usr/share/GeoIP/*.mmdb /var/lib/GeoIP/*.mmdb >/dev/null 2>&1; then
		skip "this machine has databases in the default directories"
	fi
	run geoip "$G/events.csv"
	assert_failure 2
	assert_output --partial 'no GeoIP database'
}

@test "geoip: --line-buffered writes each record before the input ends" {
	need_db
	# The input stays open; without flushing, nothing would reach the
	# file before timeout kills geoip.
	{ cat "$G/v6.csv"; sleep 5; } |
	    timeout 2 geoip -u -d "$DBS/country.mmdb" > "$BATS_TEST_TMPDIR/out" ||
	    true
	run cat "$BATS_TEST_TMPDIR/out"
	assert_output "ts,src,dst,src_cc,dst_cc
2026-11-21T05:00:00.000Z,2001:0db8:0002::7,203.0.113.9,,CN"
}

@test "geoip: answers stay right when the address cache is emptied" {
	need_db
	# 140000 records of two new addresses each fill the 262144-entry
	# cache; the known addresses come before and after it is emptied.
	awk 'BEGIN {
		print "ts,src,dst"
		print "2026-11-21T05:00:00.000Z,198.51.100.7,203.0.113.9"
		for (i = 0; i < 140000; i++)
			printf "2026-11-21T05:00:01.000Z,11.%d.%d.%d,12.%d.%d.%d\n",
			    int(i / 65536), int(i / 256) % 256, i % 256,
			    int(i / 65536), int(i / 256) % 256, i % 256
		print "2026-11-21T05:00:02.000Z,198.51.100.7,203.0.113.9"
	}' > "$BATS_TEST_TMPDIR/many.csv"
	run geoip -d "$DBS/country.mmdb" "$BATS_TEST_TMPDIR/many.csv"
	assert_success
	assert_line --index 1 '2026-11-21T05:00:00.000Z,198.51.100.7,203.0.113.9,US,CN'
	assert_line --index 2 '2026-11-21T05:00:01.000Z,11.0.0.0,12.0.0.0,,'
	assert_line --index 140001 '2026-11-21T05:00:01.000Z,11.2.34.223,12.2.34.223,,'
	assert_line --index 140002 '2026-11-21T05:00:02.000Z,198.51.100.7,203.0.113.9,US,CN'
}
