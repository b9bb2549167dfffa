#!/usr/bin/env bats
# report: the daily report page, text summary and spreadsheet CSV.

load test_helper

DAY="$FIX/report/day"
ONE="$FIX/report/one.alerts.csv"

setup() {
	OUT=$(mktemp -d)
}

teardown() {
	rm -rf "$OUT"
}

@test "report: --help prints the usage to stdout and exits 0" {
	run report --help
	assert_success
	assert_line --index 0 --partial "usage: report [-ehV]"
	assert_output --partial "--text FILE"
}

@test "report: --version" {
	run report --version
	assert_success
	assert_output --regexp '^report \(kazami\) [0-9]'
}

@test "report: an unknown option exits 2" {
	run report --bogus
	assert_failure 2
	assert_output --partial "usage:"
}

@test "report: every long option is in the man page" {
	run man_has_options report
	assert_success
}

@test "report: zero-byte input is an error" {
	: > "$OUT/empty.alerts.csv"
	run report -o "$OUT/r.html" "$OUT/empty.alerts.csv"
	assert_failure 2
	run_stdin /dev/null report -o "$OUT/r.html"
	assert_failure 2
}

@test "report: header-only alerts make a report with no alerts" {
	echo "$ALERT_HEADER" > "$OUT/x.alerts.csv"
	run report -o "$OUT/r.html" -t - "$OUT/x.alerts.csv"
	assert_success
	assert_line "Alerts: 0 (critical 0, high 0, medium 0, low 0, info 0)"
	grep -q '<p>No alerts.</p>' "$OUT/r.html"
}

@test "report: alerts without a rule column are an error" {
	printf 'ts,sev,src\n2026-11-20T00:00:00.000Z,high,10.0.0.1\n' \
	    > "$OUT/bad.alerts.csv"
	run report -o "$OUT/r.html" "$OUT/bad.alerts.csv"
	assert_failure 2
	assert_output --partial "missing column 'rule'"
}

@test "report: stdin, the file and - give the same report" {
	report -o "$OUT/a.html" -t "$OUT/a.txt" "$ONE"
	report -o "$OUT/b.html" -t "$OUT/b.txt" < "$ONE"
	report -o "$OUT/c.html" -t "$OUT/c.txt" - < "$ONE"
	cmp "$OUT/a.html" "$OUT/b.html"
	cmp "$OUT/a.html" "$OUT/c.html"
	cmp "$OUT/a.txt" "$OUT/c.txt"
	grep -q '^  high     dmzegress.egress' "$OUT/a.txt"
}

@test "report: -e exits 1 with alerts and 0 without" {
	run report -e -o "$OUT/r.html" "$ONE"
	assert_failure 1
	echo "$ALERT_HEADER" > "$OUT/x.alerts.csv"
	run report -e -o "$OUT/r.html" "$OUT/x.alerts.csv"
	assert_success
}

@test "report: an operand with an unknown name is an error" {
	cp "$ONE" "$OUT/whatever.csv"
	run report -o "$OUT/r.html" "$OUT/whatever.csv"
	assert_failure 2
	assert_output --partial "whatever.csv: not a file report knows"
}

@test "report: a missing input file is an error" {
	run report -o "$OUT/r.html" "$OUT/none.alerts.csv"
	assert_failure 2
}

@test "report: a failed write exits 2" {
	[ -w /dev/full ] || skip "no /dev/full"
	run report -o /dev/full "$DAY"
	assert_failure 2
	run report -o "$OUT/r.html" -t /dev/full "$DAY"
	assert_failure 2
}

@test "report: the text summary of a day" {
	run report -o "$OUT/r.html" -t - "$DAY"
	assert_success
	diff -u "$FIX/report/day.txt" <(printf '%s\n' "$output")
}

@test "report: open records are not counted again" {
	report -o "$OUT/r.html" -t "$OUT/s.txt" "$DAY"
	# portwatch.irc has an open and a closed record: one episode of 4
	run grep -c 'portwatch.irc' "$OUT/s.txt"
	assert_output 2	# once by rule, once in the list
	grep -q 'portwatch.irc .* count=4: ' "$OUT/s.txt"
	grep -q '<b>4</b>alerts' "$OUT/r.html"
}

@test "report: the page is self-contained and forbids scripts" {
	cp "$DAY/traffic.csv" "$DAY/ports.csv" "$DAY/files-deleters.csv" \
	    "$ONE" "$OUT"
	report -o "$OUT/r.html" "$OUT"
	run grep -ciE '<script|<link|<img|<iframe|src=|href=|url\(|@import' \
	    "$OUT/r.html"
	assert_output 0
	grep -q "Content-Security-Policy\" content=\"default-src 'none'" \
	    "$OUT/r.html"
}

@test "report: markup in a URL and a user name comes out escaped" {
	report -o "$OUT/r.html" "$DAY"
	grep -qF 'x.example/&lt;script&gt;alert(1)&lt;/script&gt;' "$OUT/r.html"
	grep -qF '&lt;script&gt;document.title=&#39;pwned&#39;&lt;/script&gt;' \
	    "$OUT/r.html"
	grep -qF '&lt;img src=x onerror=&quot;document.title=&#39;pwned&#39;&quot;&gt;' \
	    "$OUT/r.html"
	# in an SVG label and its title element too
	grep -qF '<text x="0" y="57">&lt;svg onload=alert(1)&gt;.example</text>' \
	    "$OUT/r.html"
	grep -qF '<title>&lt;svg onload=alert(1)&gt;.example: 7</title>' \
	    "$OUT/r.html"
	run grep -ciE '<script|<svg onload|<img|onerror="' "$OUT/r.html"
	assert_output 0
}

@test "report: the spreadsheet CSV defuses formula cells" {
	run report -o "$OUT/r.html" -c "$OUT/s.csv" "$DAY"
	assert_success
	diff -u "$FIX/report/day-sheet.csv" "$OUT/s.csv"
}

@test "report: the page has its charts" {
	report -o "$OUT/r.html" "$DAY"
	# severity, rule, timeline, denied ports, destinations, deleters
	run grep -c '<svg xmlns="http://www.w3.org/2000/svg"' "$OUT/r.html"
	assert_output 6
	grep -q 'aria-label="Alerts by severity"' "$OUT/r.html"
	grep -q 'aria-label="Alerts by rule"' "$OUT/r.html"
	grep -q 'class="chart timeline"' "$OUT/r.html"
	grep -q 'aria-label="Top denied ports"' "$OUT/r.html"
}

@test "report: traffic and denies by hour" {
	report -o "$OUT/r.html" "$DAY"
	grep -qF '<title>2026-11-20T09:00:00+00:00: 120 events, 20 denied</title>' \
	    "$OUT/r.html"
	grep -qF '<title>2026-11-20T10:00:00+00:00: 440 events, 140 denied</title>' \
	    "$OUT/r.html"
}

@test "report: denied ports are summed by port, allowed ones left out" {
	report -o "$OUT/r.html" "$DAY"
	sed -n '/aria-label="Top denied ports"/,/<\/svg>/p' "$OUT/r.html" |
	    grep -o '<title>[^<]*</title>' > "$OUT/ports"
	printf '%s\n' '<title>Top denied ports</title>' \
	    '<title>445/tcp: 145</title>' '<title>23/tcp: 30</title>' \
	    '<title>161/udp: 2</title>' | diff - "$OUT/ports"
}

@test "report: alerts are listed most severe first" {
	report -o "$OUT/r.html" "$DAY"
	sed -n '/id="alert-table"/,/id="traffic.csv"/p' "$OUT/r.html" |
	    grep -o '<td>[a-z]*\.[a-z]*</td><td>[a-z]*</td>' > "$OUT/order"
	printf '%s\n' '<td>scanwatch.horizontal</td><td>critical</td>' \
	    '<td>portwatch.irc</td><td>high</td>' \
	    '<td>nightweb.client</td><td>medium</td>' \
	    '<td>dlwatch.exe</td><td>low</td>' | diff - "$OUT/order"
	# the low one is folded away, in a details element
	grep -q '<details><summary>1 low, info and unrated alerts</summary>' \
	    "$OUT/r.html"
}

@test "report: an empty DMZ report is the safe state; absent inputs say so" {
	report -o "$OUT/r.html" "$DAY"
	grep -q 'No DMZ egress: the safe state.' "$OUT/r.html"
	sed -n '/id="night.csv"/,/<h2/p' "$OUT/r.html" |
	    grep -q 'Not part of this report'
}

@test "report: ranked files keep their order; others sort by count" {
	report -o "$OUT/r.html" -n 2 "$DAY"
	sed -n '/id="destinations.csv"/,/<h2/p' "$OUT/r.html" |
	    grep -o '<title>[^<]*</title>' > "$OUT/dest"
	printf '%s\n' '<title>Top destinations</title>' \
	    '<title>search.example: 500</title>' \
	    '<title>example.com: 90</title>' | diff - "$OUT/dest"
	grep -q '1 more rows not shown' "$OUT/r.html"
}

@test "report: --max-rows limits the alert table, not the counts" {
	report -o "$OUT/r.html" -m 1 "$DAY"
	grep -q '3 more alerts not shown' "$OUT/r.html"
	grep -q '<b>4</b>alerts' "$OUT/r.html"
}

@test "report: events by kind when the traffic tally kept the kind" {
	run report -o "$OUT/r.html" -t - "$FIX/report/kinds/traffic.csv"
	assert_success
	assert_line "  Traffic and denies by hour     43 events, 6 denied"
	grep -qF '<title>2026-11-20T09:00:00+00:00: 22 events, 5 denied</title>' \
	    "$OUT/r.html"
	grep -qF '<title>2026-11-20T10:00:00+00:00: 21 events, 1 denied</title>' \
	    "$OUT/r.html"
	sed -n '/aria-label="Events by kind"/,/<\/svg>/p' "$OUT/r.html" |
	    grep -o '<title>[^<]*</title>' > "$OUT/kinds"
	printf '%s\n' '<title>Events by kind</title>' \
	    '<title>proxy: 20</title>' '<title>fw: 16</title>' \
	    '<title>dns: 7</title>' | diff - "$OUT/kinds"
}
