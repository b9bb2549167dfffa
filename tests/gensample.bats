#!/usr/bin/env bats
# gensample: the sample period of raw device logs with seeded incidents.

load test_helper

FILES="fw.log asa.log squid/access.log named/query.log maillog eve.json
fileserver-security.xml assets.csv incidents.txt confidential.txt
service-accounts.txt"

setup() {
	OUT=$(mktemp -d)
}

teardown() {
	rm -rf "$OUT"
}

@test "gensample: --help prints the usage to stdout and exits 0" {
	run gensample --help
	assert_success
	assert_line --index 0 --partial "usage: gensample [-d YYYY-MM-DD]"
}

@test "gensample: --version" {
	run gensample --version
	assert_success
	assert_output --regexp '^gensample \(kazami\) [0-9]'
}

@test "gensample: an unknown option or an operand exits 2" {
	run gensample --bogus
	assert_failure 2
	run gensample -o "$OUT/x" extra
	assert_failure 2
}

@test "gensample: every long option is in the man page" {
	run man_has_options gensample
	assert_success
}

@test "gensample: bad --scale, --date and --days values exit 2" {
	for s in 0 abc 1e9 -1 ''; do
		run gensample -o "$OUT/x" -s "$s"
		assert_failure 2
	done
	for d in 2026-13-01 20261120 2026-11-20x yesterday; do
		run gensample -o "$OUT/x" -d "$d"
		assert_failure 2
	done
	run gensample -o "$OUT/x" -n 0
	assert_failure 2
}

@test "gensample: writes one file per device and the inventory" {
	run gensample -s 0.05 -o "$OUT/d"
	assert_success
	assert_output --regexp '^gensample: [0-9]+ lines in '
	for f in $FILES; do
		[ -s "$OUT/d/$f" ] || { echo "missing $f"; return 1; }
	done
	run head -n 1 "$OUT/d/assets.csv"
	assert_output "net,name,zone,role,dept,owner,importance"
	grep -q '^172.16.10.25,mx1,dmz,mailrelay,' "$OUT/d/assets.csv"
	grep -q '^10.0.0.9,cache1,internal,cache,' "$OUT/d/assets.csv"
	grep -q '^10.0.0.60,vscan1,internal,scanner,' "$OUT/d/assets.csv"
}

@test "gensample: the same seed gives the same files, another seed others" {
	gensample -s 0.05 -S 7 -o "$OUT/a" 2>/dev/null
	gensample -s 0.05 -S 7 -o "$OUT/b" 2>/dev/null
	gensample -s 0.05 -S 8 -o "$OUT/c" 2>/dev/null
	for f in $FILES; do
		cmp "$OUT/a/$f" "$OUT/b/$f"
	done
	! cmp -s "$OUT/a/asa.log" "$OUT/c/asa.log"
	! cmp -s "$OUT/a/squid/access.log" "$OUT/c/squid/access.log"
	# the organisation stays the same
	cmp "$OUT/a/assets.csv" "$OUT/c/assets.csv"
}

@test "gensample: --scale sizes normal traffic, the incidents stay whole" {
	gensample -s 0.05 -o "$OUT/small" 2>/dev/null
	gensample -s 0.5 -o "$OUT/big" 2>/dev/null
	small=$(wc -l < "$OUT/small/asa.log")
	big=$(wc -l < "$OUT/big/asa.log")
	# ten times the traffic, give or take the fixed-size incidents
	[ "$big" -gt $((small * 5)) ]
	[ "$big" -lt $((small * 11)) ]
	diff <(grep -v '^#' "$OUT/small/incidents.txt") \
	    <(grep -v '^#' "$OUT/big/incidents.txt")
	# the tunnel is there at any scale
	grep -q ' 10.1.4.12 TCP_TUNNEL/200 381442311 CONNECT vpn-gate.test:443 ' \
	    "$OUT/small/squid/access.log"
}

@test "gensample: --date moves every format's stamps" {
	# 2026-03-06 is a Friday; 1772755200 is its midnight UTC
	gensample -s 0.02 -d 2026-03-06 -n 1 -o "$OUT/d" 2>/dev/null
	run head -c 6 "$OUT/d/fw.log"
	assert_output "Mar  6"
	run head -c 11 "$OUT/d/named/query.log"
	assert_output "06-Mar-2026"
	grep -q '"timestamp":"2026-03-06T' "$OUT/d/eve.json"
	grep -q "SystemTime='2026-03-06T" "$OUT/d/fileserver-security.xml"
	first=$(head -n 1 "$OUT/d/squid/access.log" | cut -d. -f1)
	[ "$first" -ge 1772755200 ] && [ "$first" -lt $((1772755200 + 86400)) ]
	# one Friday: no Saturday night to seed the deletions in
	grep -q '^# saturday-deletes not seeded' "$OUT/d/incidents.txt"
	! grep -q '^saturday-deletes' "$OUT/d/incidents.txt"
}

@test "gensample: the default period is a Friday and a Saturday" {
	gensample -s 0.02 -o "$OUT/d" 2>/dev/null
	run cut -f1,2 "$OUT/d/incidents.txt"
	assert_line "irc-bot	2026-11-20T09:12:03.000Z"
	assert_line "saturday-deletes	2026-11-21T23:14:52.000Z"
	run grep -c -v '^#' "$OUT/d/incidents.txt"
	assert_output 7
	grep -q '^Nov 21 ' "$OUT/d/fw.log"
	! grep -q '^Nov 22 ' "$OUT/d/fw.log"
}

@test "gensample: every file is in time order" {
	gensample -s 0.1 -o "$OUT/d" 2>/dev/null
	cut -d' ' -f1 "$OUT/d/squid/access.log" | sort -c -n
	grep -o '"timestamp":"[^"]*"' "$OUT/d/eve.json" | sort -c
	grep -o "SystemTime='[^']*'" "$OUT/d/fileserver-security.xml" | sort -c
	# the Security log numbers its events 1, 2, 3 ... in that order
	run sh -c "grep -o '<EventRecordID>[0-9]*<' '$OUT/d/fileserver-security.xml' |
	    tr -dc '0-9\n' | awk '\$0 != NR' | wc -l"
	assert_output 0
	# syslog stamps: "Nov 20 09:01:02" sorts as text within one month
	for f in fw.log asa.log maillog; do
		cut -c1-15 "$OUT/d/$f" | sort -c
	done
	# "20-Nov-2026 09:01:02.123" sorts as text within one month
	cut -d' ' -f1-2 "$OUT/d/named/query.log" | sort -c
}

@test "gensample: nobody but the cache and the night incident browses 01-06" {
	gensample -s 0.2 -o "$OUT/d" 2>/dev/null
	# squid stamps end requests; 01:00-06:00 UTC of both days
	run awk '{ t = int($1) % 86400 }
	    t >= 3600 && t < 21600 { print $3 }' "$OUT/d/squid/access.log"
	assert_success
	run sort -u <<< "$output"
	assert_output "$(printf '10.0.0.9\n10.1.3.21')"
}

@test "gensample: direct 25/tcp from a PC is the worm's alone" {
	gensample -s 0.2 -o "$OUT/d" 2>/dev/null
	run sh -c "grep ' DPT=25 ' '$OUT/d/fw.log' | grep -o 'SRC=10\.1\.[0-9.]*' | sort -u"
	assert_output "SRC=10.1.1.33"
	run grep -c 'SRC=10\.1\.1\.33 .* DPT=25 ' "$OUT/d/fw.log"
	assert_output 45
}

@test "gensample: DMZ hosts go out only as their roles allow, but www1" {
	gensample -s 0.2 -o "$OUT/d" 2>/dev/null
	# outbound built by DMZ hosts: proxy 80/443, mx1 25/123, ns1 53, www1 123
	run sh -c "grep -o 'Built outbound [A-Z]* connection [0-9]* for outside:[0-9.]*/[0-9]* ([^)]*) to dmz:[0-9.]*' '$OUT/d/asa.log' |
	    sed 's/.*outside:[0-9.]*\/\([0-9]*\) .* to dmz:\(.*\)/\2 \1/' | sort -u"
	assert_output "$(printf '%s\n' '172.16.10.10 123' '172.16.10.10 22' \
	    '172.16.10.10 4444' '172.16.10.25 123' '172.16.10.25 25' \
	    '172.16.10.53 53' '172.16.10.8 443' '172.16.10.8 80')"
}

@test "gensample: the deletions are 48 DELETE accesses by one user" {
	gensample -s 0.05 -o "$OUT/d" 2>/dev/null
	user=$(awk -F'\t' '$1 == "saturday-deletes" { print $4 }' \
	    "$OUT/d/incidents.txt")
	[ -n "$user" ]
	run sh -c "grep '<EventID>4663</EventID>' '$OUT/d/fileserver-security.xml' |
	    grep \"SubjectUserName'>$user<\" | grep -c 'Finance.Confidential.*<Data Name=.AccessMask.>0x10000<'"
	assert_output 48
}

@test "gensample: lognorm reads every line of every log" {
	gensample -s 0.05 -o "$OUT/d" 2>/dev/null
	for f in fw.log asa.log squid/access.log named/query.log maillog \
	    eve.json; do
		lognorm -y 2026 -z UTC -e "$OUT/d/$f" > "$OUT/ev.csv" ||
		    { echo "$f: lognorm rejected lines"; return 1; }
		n=$(($(wc -l < "$OUT/ev.csv") - 1))
		[ "$n" -eq "$(wc -l < "$OUT/d/$f")" ] ||
		    { echo "$f: $n records"; return 1; }
	done
}

@test "gensample: lognorm reads the file server's XML" {
	gensample -s 0.05 -o "$OUT/d" 2>/dev/null
	lognorm -e "$OUT/d/fileserver-security.xml" > "$OUT/ev.csv"
	n=$(($(wc -l < "$OUT/ev.csv") - 1))
	[ "$n" -eq "$(wc -l < "$OUT/d/fileserver-security.xml")" ]
	# the 48 deleted files, by the deleter of incidents.txt
	user=$(awk -F'\t' '$1 == "saturday-deletes" { print $4 }' \
	    "$OUT/d/incidents.txt")
	run sh -c "awk -F, '\$10 == \"$user\" && \$22 ~ /^delete/ { print \$21 }' \
	    '$OUT/ev.csv' | sort -u | grep -c 'Finance.*Confidential'"
	assert_output 48
}

@test "gensample: a failed write exits 2" {
	[ -w /dev/full ] || skip "no /dev/full"
	mkdir -p "$OUT/d/squid"
	ln -s /dev/full "$OUT/d/squid/access.log"
	run gensample -s 0.02 -o "$OUT/d"
	assert_failure 2
	assert_output --partial "squid/access.log"
	rm "$OUT/d/squid/access.log"
	ln -s /dev/full "$OUT/d/assets.csv"
	run gensample -s 0.02 -o "$OUT/d"
	assert_failure 2
	assert_output --partial "assets.csv"
}
