#!/usr/bin/env bats
# lognorm over the real-log corpus (../shared/corpus, or $KZ_CORPUS), one
# test per row of fixtures/lognorm/corpus.tsv:
#   folder<TAB>formats<TAB>notes
# For the folder, the records of the listed formats must be at least 99% of
# the lines that are neither skipped nor rejected, and every rejected line
# must be listed in corpus-rejects.tsv:
#   folder/file<TAB>line<TAB>why it is correctly rejected
# ("*" as the line stands for every line of that file).  The corpus is not
# part of the project: without it each test is skipped, saying so.
#
# Bats 1.8 cannot generate tests at run time, so each row has its @test
# below (corpus_row FOLDER); the first test fails when a row has none.

bats_require_minimum_version 1.5.0
load test_helper

TSV="$FIX/lognorm/corpus.tsv"
REJ="$FIX/lognorm/corpus-rejects.tsv"

# corpus_row FOLDER: run lognorm over the folder and judge it.
corpus_row() {
	local folder=$1 formats out=$BATS_TEST_TMPDIR
	formats=$(awk -F '\t' -v f="$folder" '$1 == f { print $2 }' "$TSV")
	[ -n "$formats" ] || { echo "no row for $folder in corpus.tsv"; return 1; }
	[ -d "$CORPUS/$folder" ] || skip "corpus folder $CORPUS/$folder not found"
	(cd "$CORPUS" && lognorm -y 2026 -s -r "$out/rej" "$folder"/*) \
	    > /dev/null 2> "$out/stats" || true
	# every actual reject must be listed
	cut -f1 "$out/rej" | sed 's/: .*//' | sort -u > "$out/got"
	awk -F '\t' -v f="$folder/" 'index($1, f) == 1 { print $1 ":" $2 }' \
	    "$REJ" | sort -u > "$out/listed"
	awk -F: 'NR == FNR { if ($NF == "*") whole[$1] = 1; else ok[$0] = 1; next }
	    { file = $1; for (i = 2; i < NF; i++) file = file ":" $i
	      if (!($0 in ok) && !(file in whole)) print }' \
	    "$out/listed" "$out/got" > "$out/unexpected"
	if [ -s "$out/unexpected" ]; then
		echo "rejected but not listed in corpus-rejects.tsv:"
		grep -F -f "$out/unexpected" "$out/rej" | cut -c1-300
		return 1
	fi
	# records of the listed formats >= 99% of lines - skipped - rejected
	awk -v formats="$formats" '
	    BEGIN { n = split(formats, f, ","); for (i = 1; i <= n; i++) want[f[i]] = 1 }
	    $2 == "stats:" {
		for (i = 4; i <= NF; i++) { split($i, kv, "="); v[kv[1]] = kv[2] }
		if ($3 == "total") { lines = v["lines"]; skip = v["skipped"]; rej = v["rejected"] }
		else if ($3 in want) rec += v["records"]
	    }
	    END {
		base = lines - skip - rej
		printf "%s: %d records of %d lines (%d skipped, %d rejected as listed)\n",
		    formats, rec, lines, skip, rej
		if (lines == 0 || rec * 100 < base * 99) { print "below 99%"; exit 1 }
	    }' "$out/stats"
}

@test "lognorm corpus: every corpus.tsv row has a test here" {
	missing=$(awk -F '\t' '!/^#/ && NF { print $1 }' "$TSV" | while read -r f; do
		grep -q "corpus_row $f;" "$BATS_TEST_FILENAME" || echo "$f"; done)
	[ -z "$missing" ] || { echo "rows without a test (add a line" \
	    "@test \"lognorm corpus: F\" { corpus_row F; } here):" $missing; false; }
}

@test "lognorm corpus: iptables" { corpus_row iptables; }
@test "lognorm corpus: cisco-asa" { corpus_row cisco-asa; }
@test "lognorm corpus: cisco-ftd" { corpus_row cisco-ftd; }
@test "lognorm corpus: fortinet" { corpus_row fortinet; }
@test "lognorm corpus: paloalto" { corpus_row paloalto; }
@test "lognorm corpus: pfsense" { corpus_row pfsense; }
@test "lognorm corpus: pf-openbsd" { corpus_row pf-openbsd; }
@test "lognorm corpus: juniper-srx" { corpus_row juniper-srx; }
@test "lognorm corpus: sonicwall" { corpus_row sonicwall; }
@test "lognorm corpus: checkpoint" { corpus_row checkpoint; }
@test "lognorm corpus: syslog-rfc3164" { corpus_row syslog-rfc3164; }
@test "lognorm corpus: firewall-mixed" { corpus_row firewall-mixed; }

# The other families' folders (their rows in corpus.tsv belong to them).
@test "lognorm corpus: squid" { corpus_row squid; }
@test "lognorm corpus: apache-access" { corpus_row apache-access; }
@test "lognorm corpus: nginx-access" { corpus_row nginx-access; }
@test "lognorm corpus: iis-w3c" { corpus_row iis-w3c; }
@test "lognorm corpus: bind" { corpus_row bind; }
@test "lognorm corpus: dnsmasq" { corpus_row dnsmasq; }
@test "lognorm corpus: unbound" { corpus_row unbound; }
@test "lognorm corpus: postfix" { corpus_row postfix; }
@test "lognorm corpus: sendmail" { corpus_row sendmail; }
@test "lognorm corpus: exim" { corpus_row exim; }
@test "lognorm corpus: sshd" { corpus_row sshd; }
@test "lognorm corpus: nsd" { corpus_row nsd; }
@test "lognorm corpus: proxy-other" { corpus_row proxy-other; }
@test "lognorm corpus: mail-other" { corpus_row mail-other; }
@test "lognorm corpus: snort-fast" { corpus_row snort-fast; }
@test "lognorm corpus: suricata-fast" { corpus_row suricata-fast; }
@test "lognorm corpus: suricata-eve" { corpus_row suricata-eve; }
@test "lognorm corpus: zeek-tsv" { corpus_row zeek-tsv; }
@test "lognorm corpus: zeek-json" { corpus_row zeek-json; }
@test "lognorm corpus: windows-security" { corpus_row windows-security; }
@test "lognorm corpus: windows-evtx-json" { corpus_row windows-evtx-json; }
@test "lognorm corpus: windows-security-snare" { corpus_row windows-security-snare; }
@test "lognorm corpus: samba" { corpus_row samba; }
@test "lognorm corpus: auditd" { corpus_row auditd; }
@test "lognorm corpus: auditd-laurel-json" { corpus_row auditd-laurel-json; }

# Spot checks: field values against the raw line they came from.

@test "lognorm corpus: netfilter src, dst and dport match SRC=, DST=, DPT=" {
	[ -d "$CORPUS/iptables" ] || skip "corpus folder $CORPUS/iptables not found"
	lognorm -y 2026 -f netfilter -R "$CORPUS"/iptables/* 2>/dev/null |
	    grep ' SRC=[0-9.]* DST=[0-9.]* ' | grep 'DPT=' > "$BATS_TEST_TMPDIR/out"
	[ "$(wc -l < "$BATS_TEST_TMPDIR/out")" -gt 1000 ]
	run awk -F, '{
		s = $0; sub(/.* SRC=/, "", s); sub(/ .*/, "", s)
		d = $0; sub(/.* DST=/, "", d); sub(/ .*/, "", d)
		p = $0; sub(/.* DPT=/, "", p); sub(/ .*/, "", p)
		if ($6 != s || $8 != d || $9 != p) print "mismatch: " $0
	}' "$BATS_TEST_TMPDIR/out"
	assert_output ""
}

@test "lognorm corpus: filterlog addresses and ports match the CSV fields" {
	[ -d "$CORPUS/pfsense" ] || skip "corpus folder $CORPUS/pfsense not found"
	lognorm -y 2026 -f filterlog -R "$CORPUS"/pfsense/* 2>/dev/null | tail -n +2 |
	    grep ',match,[a-z]*,[a-z]*,4,' > "$BATS_TEST_TMPDIR/out"
	[ -s "$BATS_TEST_TMPDIR/out" ]
	# the raw column starts at field 24; in it, IPv4 src is field 18+1
	# of the filterlog CSV, which begins after the last ": " or "] "
	run awk -F, '{
		raw = $0; sub(/^([^,]*,){23}/, "", raw)
		sub(/.*(: |\] |- - )/, "", raw); split(raw, c, ",")
		if ($6 != c[19] || $8 != c[20] || ($5 ~ /^(tcp|udp)$/ && $9 != c[22]))
			print "mismatch: " $0
	}' "$BATS_TEST_TMPDIR/out"
	assert_output ""
}

@test "lognorm corpus: ASA sig and severity come from the %ASA-L-NNNNNN tag" {
	[ -d "$CORPUS/cisco-asa" ] || skip "corpus folder $CORPUS/cisco-asa not found"
	lognorm -y 2026 -f asa -R "$CORPUS"/cisco-asa/* 2>/dev/null | tail -n +2 \
	    > "$BATS_TEST_TMPDIR/out"
	[ "$(wc -l < "$BATS_TEST_TMPDIR/out")" -gt 100 ]
	run awk '{
		if (!match($0, /%(ASA|PIX)-[0-7]-[0-9]+/)) { print "no tag: " $0; next }
		tag = substr($0, RSTART + 1, RLENGTH - 1)
		split(tag, t, "-")
		sev = t[2] <= 2 ? "critical" : t[2] == 3 ? "high" : t[2] == 4 ? "medium" : t[2] == 5 ? "low" : "info"
		if (index($0, "," t[1] "-" t[3] "," sev ",") == 0) print "mismatch: " $0
	}' "$BATS_TEST_TMPDIR/out"
	assert_output ""
}
