#!/usr/bin/env bats
# Every tool under valgrind on a stream of real-looking events: no
# invalid read or write, and no leak (definite or indirect).  Skipped in
# the sanitizer build, which checks the same with ASan and LSan, and when
# valgrind is missing.

load test_helper

setup_file() {
	export EV="$BATS_FILE_TMPDIR/events.csv"
	local raw
	# Events of every kind, from lognorm's own fixtures, in time order.
	raw=$(ls "$FIX"/lognorm/app/*.log "$FIX"/lognorm/sensors/*.log \
	    "$FIX"/lognorm/sensors/*.json "$FIX"/pipeline/*.log 2>/dev/null)
	# shellcheck disable=SC2086
	"$KZ_BIN/lognorm" --year 2026 $raw 2>/dev/null |
	    { IFS= read -r h; printf "%s\n" "$h"; grep -v "^,"  | sort; } > "$EV"
	export DB="$BATS_FILE_TMPDIR/country.mmdb"
	"$FIX/geoip/mkmmdb.pl" GeoLite2-Country 6 "$FIX/geoip/country.csv" \
	    "$DB" 2>/dev/null || rm -f "$DB"
}

# vg TOOL ARGS...: run under valgrind; fail on any error or leak.
vg() {
	[ "${SANITIZE:-}" != 1 ] || skip "sanitizer build: ASan/LSan check this"
	command -v valgrind >/dev/null || skip "valgrind is not installed"
	run valgrind -q --leak-check=full --errors-for-leak-kinds=definite,indirect \
	    --error-exitcode=99 "$KZ_BIN/$1" "${@:2}"
	[ "$status" -ne 99 ] || { echo "$output"; return 1; }
	# The tool itself must have run, not stopped on its arguments.
	[ "$status" -le 1 ] || { echo "exit $status: $output"; return 1; }
}

@test "leaks: the event stream for these tests is not empty" {
	[ "$(wc -l < "$EV")" -gt 50 ]
}

@test "leaks: lognorm" {
	vg lognorm --year 2026 --raw --stats "$FIX"/lognorm/app/squid.log \
	    "$FIX"/lognorm/sensors/eve.json "$FIX"/lognorm/sensors/audit.log
}

@test "leaks: tally" {
	vg tally -k dst/24,dport -b 1h -s bytes -d src -p "$EV"
}

@test "leaks: tally --merge" {
	"$KZ_BIN/tally" -k dport -d src -p "$EV" > "$BATS_TEST_TMPDIR/p.csv"
	vg tally -m -t 3 "$BATS_TEST_TMPDIR/p.csv" "$BATS_TEST_TMPDIR/p.csv"
}

@test "leaks: geoip" {
	[ -s "$DB" ] || skip "cannot build a test database"
	vg geoip -d "$DB" "$EV"
}

@test "leaks: assets" {
	vg assets -a "$FIX/assets/assets.csv" "$EV"
}

@test "leaks: portwatch" {
	vg portwatch "$EV"
}

@test "leaks: scanwatch" {
	vg scanwatch "$EV"
}

@test "leaks: mxspike" {
	vg mxspike "$EV"
}

@test "leaks: dmzegress" {
	vg dmzegress -a "$FIX/dmzegress/assets.csv" --report "$FIX/dmzegress/events.csv"
}

@test "leaks: nightweb" {
	vg nightweb --report "$EV"
}

@test "leaks: domrank" {
	vg domrank "$EV"
}

@test "leaks: longconn" {
	vg longconn "$EV"
}

@test "leaks: dlwatch" {
	vg dlwatch "$EV"
}

@test "leaks: filerank" {
	vg filerank -o "$BATS_TEST_TMPDIR/ranks" "$EV"
}

@test "leaks: report" {
	vg report -o "$BATS_TEST_TMPDIR/r.html" -t "$BATS_TEST_TMPDIR/r.txt" \
	    "$FIX/report/day"
}
