#!/usr/bin/env bats
# e2e-network: raw netfilter, Cisco ASA, BIND and Zeek logs through
# lognorm, geoip and assets into every network detector (portwatch,
# scanwatch, mxspike, dmzegress).  The fixtures tell one morning:
#   04:12:01  fin-pc-03 (10.1.2.3) opens IRC to 203.0.113.9 (CN)
#   04:12:03  lab host fd00::5 opens IRC over TLS (6697) to 2001:db8:1::80 (DE)
#   04:12:05-07  10.1.2.8 tries 25/tcp to three outside mail servers (dropped)
#   04:12:10  the DMZ web server www1 tries ssh out (denied by the ASA)
#   04:12:12  10.1.2.4 connects to Back Orifice's 31337/tcp (US)
#   04:12:14  www1 syncs its clock (ntp: allowed, no alert)
#   04:12:20-22  10.1.2.6 asks the resolver for three MX records
#   04:12:30  10.1.2.7 reaches 8080/tcp in CN (Zeek conn)
#   04:12:31-35  10.1.2.9 tries 445/tcp on five inside hosts, all REJ
load test_helper

E="$FIX/e2e-network"

setup_file() {
	export DB="$BATS_FILE_TMPDIR/country.mmdb"
	"$FIX/geoip/mkmmdb.pl" GeoLite2-Country 6 "$FIX/geoip/country.csv" \
	    "$DB" 2>"$BATS_FILE_TMPDIR/mkmmdb.err" || true
}

# events: the enriched event stream of all four logs, in $BATS_TEST_TMPDIR.
events() {
	[ -s "$DB" ] ||
	    skip "cannot build the test database: $(cat "$BATS_FILE_TMPDIR/mkmmdb.err")"
	lognorm -e -y 2026 "$E/netfilter.log" "$E/asa.log" "$E/bind.log" \
	    "$E/conn.log" | geoip -d "$DB" | assets -a "$E/assets.csv" \
	    > "$BATS_TEST_TMPDIR/events.csv"
}

@test "e2e-network: lognorm parses the netfilter, ASA, BIND and Zeek fixtures without rejects" {
	run lognorm -e -y 2026 "$E/netfilter.log" "$E/asa.log" "$E/bind.log" \
	    "$E/conn.log"
	assert_success
	[ "${#lines[@]}" -eq 19 ]
	assert_line --partial '2026-11-21T04:12:03.000Z,gw1,fw,,tcp,fd00::5,40010,2001:db8:1::80,6697,'
	assert_line --partial '2026-11-21T04:12:10.000Z,asa1,fw,deny,tcp,192.0.2.10,40500,198.51.100.7,22,'
	assert_line --partial '2026-11-21T04:12:22.300Z,,dns,,udp,10.1.2.6,53213,10.0.0.53,,'
	assert_line --partial '2026-11-21T04:12:35.000Z,,flow,reject,tcp,10.1.2.9,41005,10.1.3.5,445,'
}

@test "e2e-network: geoip and assets add countries and inventory to every event" {
	events
	run cat "$BATS_TEST_TMPDIR/events.csv"
	assert_line --index 0 "$CORE_HEADER,src_cc,dst_cc,src_name,src_zone,src_role,src_dept,src_importance,dst_name,dst_zone,dst_role,dst_dept,dst_importance"
	assert_line --partial ',FW-OUT,,,,,,CN,fin-pc-03,internal,,finance,5,,,,,'
	assert_line --partial ',FW-OUT,,,,,,DE,lab6,internal,,eng,2,,,,,'
	assert_line --partial ',,,,,,,corp,internal,,,,resolver,internal,dns,it,4'
}

@test "e2e-network: portwatch finds the IRC, backdoor, rare and country-conditioned traffic" {
	events
	run portwatch -a "$E/assets.csv" -w 'dport=8080 proto=tcp cc=CN,KR' \
	    "$BATS_TEST_TMPDIR/events.csv"
	assert_success
	assert_output "$(cat "$E/portwatch.out")"
}

@test "e2e-network: dmzegress finds the DMZ server's ssh and passes its ntp" {
	events
	run dmzegress -a "$E/assets.csv" "$BATS_TEST_TMPDIR/events.csv"
	assert_success
	assert_output "$(cat "$E/dmzegress.out")"
	run dmzegress -r -a "$E/assets.csv" "$BATS_TEST_TMPDIR/events.csv"
	assert_success
	assert_output "$(cat "$E/dmzegress-report.out")"
}

@test "e2e-network: mxspike finds direct SMTP, the burst and the MX queries" {
	events
	run mxspike -a "$E/assets.csv" -m 3 -q 3 "$BATS_TEST_TMPDIR/events.csv"
	assert_success
	assert_line --partial '2026-11-21T04:12:05.000Z,mxspike.direct,low,10.1.2.8,198.51.100.25,25,,,1,2026-11-21T04:12:05.000Z,2026-11-21T04:12:05.000Z,'
	assert_line --partial '2026-11-21T04:12:07.000Z,mxspike.burst,high,10.1.2.8,,25,,,3,2026-11-21T04:12:05.000Z,2026-11-21T04:12:07.000Z,'
	assert_line --partial '2026-11-21T04:12:22.300Z,mxspike.mxquery,medium,10.1.2.6,10.0.0.53,,,,3,2026-11-21T04:12:20.100Z,2026-11-21T04:12:22.300Z,'
	[ "$(grep -c ',open$' <<< "$output")" -eq 3 ]
	[ "$(grep -c ',closed$' <<< "$output")" -eq 3 ]
}

@test "e2e-network: scanwatch finds the worm's horizontal scan of 445/tcp" {
	events
	run scanwatch -a "$E/assets.csv" -H 5 "$BATS_TEST_TMPDIR/events.csv"
	assert_success
	assert_line --partial '2026-11-21T04:12:35.000Z,scanwatch.horizontal,high,10.1.2.9,,445,,,5,2026-11-21T04:12:31.000Z,2026-11-21T04:12:35.000Z,'
	[ "${#lines[@]}" -eq 3 ]
	# One host fewer than the threshold is no scan.
	run scanwatch -a "$E/assets.csv" -H 6 "$BATS_TEST_TMPDIR/events.csv"
	assert_output "$ALERT_HEADER"
}

@test "e2e-network: the live pipeline fed line by line gives the same alerts as the archive" {
	events
	local raw="$BATS_TEST_TMPDIR/raw.log" live="$BATS_TEST_TMPDIR/live.csv"
	cat "$E/netfilter.log" "$E/asa.log" "$E/bind.log" "$E/conn.log" > "$raw"
	while IFS= read -r line; do
		printf '%s\n' "$line"
		sleep 0.01
	done < "$raw" | lognorm -u -y 2026 | geoip -u -d "$DB" |
	    assets -u -a "$E/assets.csv" | tee "$live" |
	    portwatch -u -a "$E/assets.csv" -w 'dport=8080 proto=tcp cc=CN,KR' \
	    > "$BATS_TEST_TMPDIR/portwatch.live"
	cmp "$live" "$BATS_TEST_TMPDIR/events.csv"
	run cat "$BATS_TEST_TMPDIR/portwatch.live"
	assert_output "$(cat "$E/portwatch.out")"
	for tool in dmzegress mxspike scanwatch; do
		"$tool" -a "$E/assets.csv" "$BATS_TEST_TMPDIR/events.csv" \
		    > "$BATS_TEST_TMPDIR/$tool.once"
		while IFS= read -r line; do
			printf '%s\n' "$line"
			sleep 0.005
		done < "$live" | "$tool" -u -a "$E/assets.csv" \
		    > "$BATS_TEST_TMPDIR/$tool.live"
		cmp "$BATS_TEST_TMPDIR/$tool.once" "$BATS_TEST_TMPDIR/$tool.live"
	done
}
