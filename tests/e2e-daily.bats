#!/usr/bin/env bats
# End to end: gensample's sample period through scripts/daily-report.
# Every incident gensample seeds (incidents.txt) must be found by the rules
# it names, and the normal traffic around them must raise no high or
# critical alert.

load test_helper

DAILY="${KZ_DAILY:-$ROOT/scripts/daily-report}"
DATE=2026-11-20

setup_file() {
	export LOGS="$BATS_FILE_TMPDIR/logs" REPORTS="$BATS_FILE_TMPDIR/reports"
	gensample -s 0.2 -o "$LOGS" 2>/dev/null
	KZ_BIN=$KZ_BIN "$DAILY" -z UTC -d "$DATE" -o "$REPORTS" \
	    -a "$LOGS/assets.csv" -C "$LOGS/confidential.txt" \
	    -x "$LOGS/service-accounts.txt" "$LOGS" \
	    > "$BATS_FILE_TMPDIR/daily.out" 2>&1 ||
	    echo "daily-report failed: $?" >> "$BATS_FILE_TMPDIR/daily.out"
	export OUT="$REPORTS/$DATE"
}

# alerts RULE SRC: closed alert records of RULE from SRC, in every
# alert file; columns found by header name.
alerts() {
	local f
	for f in "$OUT"/*.alerts.csv; do
		awk -F, -v rule="$1" -v src="$2" '
			NR == 1 { for (i = 1; i <= NF; i++) c[$i] = i; next }
			$c["rule"] == rule && $c["src"] == src &&
			    $c["state"] != "open"' "$f"
	done
}

# top_users NAME: the users ranked among the first three by filerank's
# NAME ranking (a manager reads the top of each; on the sample's Saturday
# the staff who came in rank in the weekend ranking too).
top_users() {
	awk -F, 'NR == 1 { for (i = 1; i <= NF; i++) c[$i] = i; next }
	    $c["rank"] <= 3 { print $c["user"] }' "$OUT/files-$1.csv"
}

@test "e2e: the daily report ran to the end" {
	run cat "$BATS_FILE_TMPDIR/daily.out"
	refute_output --partial "failed"
	assert_output --partial "report in $OUT/report.html"
	for f in report.html summary.txt spreadsheet.csv events.csv.gz \
	    traffic.csv ports.csv destinations.csv rare.csv night.csv dmz.csv \
	    files-deleters.csv; do
		[ -s "$OUT/$f" ] || { echo "no $f"; return 1; }
	done
	# nothing half-made is left beside it
	run ls -A "$REPORTS"
	assert_output "$DATE"
}

@test "e2e: lognorm read every line of the sample" {
	run sh -c "cat '$OUT'/log/rejects-*.txt | wc -l"
	assert_output 0
	lines=$(cat "$LOGS"/*.log "$LOGS"/squid/access.log \
	    "$LOGS"/named/query.log "$LOGS"/maillog "$LOGS"/eve.json \
	    "$LOGS"/fileserver-security.xml | wc -l)
	records=$(($(gzip -dc "$OUT/events.csv.gz" | wc -l) - 1))
	[ "$records" -eq "$lines" ]
}

@test "e2e: every seeded incident is found by the rules it names" {
	missing=""
	while IFS=$'\t' read -r id first src who rules what; do
		case $id in '#'*) continue ;; esac
		for rule in ${rules//,/ }; do
			case $rule in
			filerank.*)
				top_users "${rule#filerank.}" | grep -qxF "$who" ||
				    missing="$missing $id:$rule"
				;;
			*)
				[ -n "$(alerts "$rule" "$src")" ] ||
				    missing="$missing $id:$rule"
				;;
			esac
		done
	done < "$LOGS/incidents.txt"
	[ -z "$missing" ] || { echo "not found:$missing"; return 1; }
	# and the list is the whole set of seven
	run grep -c -v '^#' "$LOGS/incidents.txt"
	assert_output 7
}

@test "e2e: normal traffic raises no high or critical alert" {
	srcs=$(grep -v '^#' "$LOGS/incidents.txt" | cut -f3 | sort -u)
	run sh -c "cat '$OUT'/*.alerts.csv | awk -F, '\$3 == \"high\" || \$3 == \"critical\" { print \$4 }' | sort -u"
	assert_success
	[ -n "$output" ]
	for s in $output; do
		grep -qxF "$s" <<< "$srcs" ||
		    { echo "high alert from $s, no incident"; return 1; }
	done
}

# The most alerts per rule, on the sample day at its default seed and
# scale, that may come from a source no seeded incident names (an alert
# of an incident's source counts as the incident's).  A rule not listed
# may raise none: an operator must be able to trust each alert, so a rule
# gets an entry here ("rule=N") only with the cause of its N alerts
# written beside it.  None has one now: the proxy's upstream requests
# (nightweb, domrank), squid records without proto and a scan's one alert
# per destination (portwatch.rare) were fixed at their causes.
NOISE_MAX=""

# noise_over INCIDENTS ALERTFILE...: one line per rule whose closed records
# (state is the last column: details may hold commas) from a src that no
# incident of INCIDENTS names outnumber the rule's bound in $NOISE_MAX.
noise_over() {
	awk -F, -v max="$NOISE_MAX" '
		BEGIN { n = split(max, m, " ")
			for (i = 1; i <= n; i++) {
				split(m[i], kv, "="); bound[kv[1]] = kv[2] } }
		FNR == NR { if ($0 !~ /^#/) { split($0, f, "\t"); inc[f[3]] = 1 }
			next }
		FNR == 1 { for (i = 1; i <= NF; i++) c[$i] = i; next }
		$NF == "closed" && !($c["src"] in inc) { noise[$c["rule"]]++ }
		END { for (r in noise) {
				b = (r in bound) ? bound[r] : 0
				if (noise[r] > b)
					printf "%s: %d alerts of no incident, " \
					    "at most %d\n", r, noise[r], b } }' "$@"
}

@test "e2e: alerts that belong to no seeded incident stay within their bound per rule" {
	local d="$BATS_TEST_TMPDIR/default" out
	gensample -o "$d/logs" 2>/dev/null
	KZ_BIN=$KZ_BIN "$DAILY" -z UTC -d "$DATE" -o "$d/reports" \
	    -a "$d/logs/assets.csv" -C "$d/logs/confidential.txt" \
	    -x "$d/logs/service-accounts.txt" "$d/logs" >/dev/null 2>&1
	out="$d/reports/$DATE"
	run noise_over "$d/logs/incidents.txt" "$out"/*.alerts.csv
	assert_success
	assert_output ""
	# the check can fail: one more alert of no incident, with a comma in
	# its detail, is over portwatch.rare's bound of 0
	printf '%s\n' "$ALERT_HEADER" \
	    '2026-11-20T10:00:00.000Z,portwatch.rare,low,10.9.9.9,192.0.2.1,8333,,,1,2026-11-20T10:00:00.000Z,2026-11-20T10:00:00.000Z,"x, y",closed' \
	    > "$BATS_TEST_TMPDIR/probe.alerts.csv"
	run noise_over "$d/logs/incidents.txt" "$out"/*.alerts.csv \
	    "$BATS_TEST_TMPDIR/probe.alerts.csv"
	assert_output "portwatch.rare: 1 alerts of no incident, at most 0"
}

@test "e2e: the cache server's night crawl raises no alert" {
	run sh -c "cat '$OUT'/*.alerts.csv | awk -F, '\$4 == \"10.0.0.9\" && \$3 != \"low\"'"
	assert_output ""
	# and the vulnerability scanner's sweep is no scan alert
	run sh -c "cat '$OUT'/*.alerts.csv | awk -F, '\$4 == \"10.0.0.60\"'"
	assert_output ""
}

@test "e2e: the report and the summary name the incidents" {
	grep -q 'portwatch.irc' "$OUT/summary.txt"
	grep -q 'mxspike.burst' "$OUT/summary.txt"
	grep -q '10.1.2.57' "$OUT/report.html"
	grep -q '172.16.10.10' "$OUT/report.html"
	run grep -c '<svg xmlns=' "$OUT/report.html"
	[ "$output" -ge 8 ]
}

@test "e2e: rotated .gz logs give the same alerts; rejects are reported" {
	cp -r "$LOGS" "$BATS_FILE_TMPDIR/gz"
	gzip "$BATS_FILE_TMPDIR/gz/asa.log" "$BATS_FILE_TMPDIR/gz/squid/access.log"
	printf 'not a log line\nnor this\n' > "$BATS_FILE_TMPDIR/gz/junk.log"
	"$DAILY" -z UTC -d "$DATE" -o "$BATS_FILE_TMPDIR/gzrep" \
	    -a "$LOGS/assets.csv" -C "$LOGS/confidential.txt" \
	    -x "$LOGS/service-accounts.txt" "$BATS_FILE_TMPDIR/gz" 2>/dev/null
	for f in "$OUT"/*.alerts.csv; do
		cmp "$f" "$BATS_FILE_TMPDIR/gzrep/$DATE/${f##*/}"
	done
	grep -q '2 lines rejected by lognorm' \
	    "$BATS_FILE_TMPDIR/gzrep/$DATE/summary.txt"
	! grep -q 'rejected' "$OUT/summary.txt"
}

@test "e2e: a failing stage leaves no report and says which" {
	printf 'net,name\nnot-an-address,x\n' > "$BATS_FILE_TMPDIR/bad-assets.csv"
	run "$DAILY" -z UTC -d "$DATE" -o "$BATS_FILE_TMPDIR/bad" \
	    -a "$BATS_FILE_TMPDIR/bad-assets.csv" "$LOGS"
	assert_failure 2
	assert_output --regexp 'daily-report: stage [a-z-]+ failed'
	run ls -A "$BATS_FILE_TMPDIR/bad"
	assert_output ""
}

@test "e2e: an existing report is not overwritten" {
	run "$DAILY" -z UTC -d "$DATE" -o "$REPORTS" "$LOGS"
	assert_failure 2
	assert_output --partial "already exists"
}

@test "e2e: daily-report usage errors exit 2" {
	run "$DAILY" --bogus "$LOGS"
	assert_failure 2
	run "$DAILY"
	assert_failure 2
	run "$DAILY" -d 20261120 "$LOGS"
	assert_failure 2
	run "$DAILY" -z No/Such_Zone "$LOGS"
	assert_failure 2
	run "$DAILY" --help
	assert_success
	assert_line --index 0 --partial "usage: daily-report"
}
