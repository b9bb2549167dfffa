#!/usr/bin/env bats
# lognorm: the driver: options, envelopes, rejects, stats, raw, long lines,
# compressed input, errors.  The firewall formats are in lognorm-fw.bats,
# the corpus run in lognorm-corpus.bats.

bats_require_minimum_version 1.5.0
load test_helper

D="$FIX/lognorm/driver"

@test "lognorm: --help prints usage to stdout and exits 0" {
	run --separate-stderr lognorm --help
	assert_success
	assert_line -n 0 --partial "usage: lognorm [-eRsu] [-f format]"
	assert_output --partial "--max-line BYTES"
	[ -z "$stderr" ]
}

@test "lognorm: --version" {
	run lognorm -V
	assert_success
	assert_output --regexp '^lognorm \(kazami\) [0-9]'
}

@test "lognorm: an unknown option exits 2" {
	run lognorm --no-such-option
	assert_failure 2
	assert_output --partial "usage:"
}

@test "lognorm: bad option values exit 2" {
	run lognorm -f no-such-format /dev/null
	assert_failure 2
	assert_output --partial "unknown format"
	run lognorm -z Not/AZone /dev/null
	assert_failure 2
	assert_output --partial "unknown time zone"
	run lognorm -m 0 /dev/null
	assert_failure 2
	run lognorm -m 5X /dev/null
	assert_failure 2
	run lognorm -y 20x6 /dev/null
	assert_failure 2
}

@test "lognorm: every long option is in the man page" {
	man_has_options lognorm
}

@test "lognorm: --list-formats names every format, the generic one last" {
	run lognorm --list-formats
	assert_success
	assert_line --regexp '^netfilter +Linux netfilter'
	assert_line --regexp '^asa +Cisco'
	assert_line --regexp '^pf +OpenBSD pf'
	[[ "${lines[-1]}" == syslog* ]]
}

@test "lognorm: zero-byte input gives header-only output" {
	run --separate-stderr lognorm /dev/null
	assert_success
	assert_output "$CORE_HEADER"
	[ -z "$stderr" ]
}

@test "lognorm: stdin, a file and - give the same records" {
	run lognorm -y 2026 "$D/syslog.log"
	assert_output "$(cat "$D/syslog.csv")"
	run_stdin "$D/syslog.log" lognorm -y 2026
	assert_output "$(cat "$D/syslog.csv")"
	run_stdin "$D/syslog.log" lognorm -y 2026 -
	assert_output "$(cat "$D/syslog.csv")"
}

@test "lognorm: RFC 3164, RFC 5424 and ISO 8601 envelopes" {
	run lognorm -y 2026 -f syslog "$D/syslog.log"
	assert_success
	assert_output "$(cat "$D/syslog.csv")"
}

@test "lognorm: RFC 3164 stamps are read in --tz, then \$TZ" {
	printf 'Mar  1 12:00:00 h p: x\n' > "$BATS_TEST_TMPDIR/in"
	run lognorm -y 2026 -z Asia/Tokyo "$BATS_TEST_TMPDIR/in"
	assert_line -n 1 --partial "2026-03-01T03:00:00.000Z,h,syslog,"
	TZ=America/New_York run lognorm -y 2026 "$BATS_TEST_TMPDIR/in"
	assert_line -n 1 --partial "2026-03-01T17:00:00.000Z,h,syslog,"
	# an offset in the stamp wins over the zone
	printf '2026-03-01T12:00:00+01:00 h p: x\n' > "$BATS_TEST_TMPDIR/in"
	run lognorm -z Asia/Tokyo "$BATS_TEST_TMPDIR/in"
	assert_line -n 1 --partial "2026-03-01T11:00:00.000Z,h,syslog,"
}

@test "lognorm: the year steps from December into January within a file" {
	printf 'Dec 31 23:59:59 h p: a\nJan  1 00:00:01 h p: b\n' > "$BATS_TEST_TMPDIR/in"
	run lognorm -y 2025 "$BATS_TEST_TMPDIR/in"
	assert_line -n 1 --partial "2025-12-31T23:59:59.000Z"
	assert_line -n 2 --partial "2026-01-01T00:00:01.000Z"
	# each file starts again at --year
	run lognorm -y 2025 "$BATS_TEST_TMPDIR/in" "$BATS_TEST_TMPDIR/in"
	assert_line -n 3 --partial "2025-12-31T23:59:59.000Z"
	assert_line -n 4 --partial "2026-01-01T00:00:01.000Z"
}

@test "lognorm: without --year the clock's year, last year's when the month is ahead" {
	y=$(date -u +%Y); m=$(date -u +%-m)
	printf 'Jan  2 00:00:00 h p: x\n' > "$BATS_TEST_TMPDIR/in"
	run lognorm "$BATS_TEST_TMPDIR/in"
	assert_line -n 1 --partial "$y-01-02T00:00:00.000Z"
	if [ "$m" -le 10 ]; then
		mon=$(LC_ALL=C date -u -d "$y-$((m + 2))-01" +%b)
		printf '%s  1 00:00:00 h p: x\n' "$mon" > "$BATS_TEST_TMPDIR/in"
		run lognorm "$BATS_TEST_TMPDIR/in"
		assert_line -n 1 --partial "$((y - 1))-"
	fi
}

@test "lognorm: control bytes, invalid UTF-8 and backslash are escaped" {
	printf 'Mar  1 12:00:00 h p: a\001b\377c\\d \xc3\xa9\n' > "$BATS_TEST_TMPDIR/in"
	run lognorm -y 2026 "$BATS_TEST_TMPDIR/in"
	assert_success
	assert_line -n 1 '2026-03-01T12:00:00.000Z,h,syslog,,,,,,,,,,,,,,,,,,,,p: a\x01b\xffc\\d é'
}

@test "lognorm: rejects are written verbatim with file and line, and counted" {
	printf 'Mar  1 12:00:00 h p: ok\n\n%%%% not a log line \001\n' > "$BATS_TEST_TMPDIR/in"
	run --separate-stderr lognorm -y 2026 -s -r "$BATS_TEST_TMPDIR/rej" \
	    "$BATS_TEST_TMPDIR/in"
	assert_success
	assert_equal "${#lines[@]}" 2
	[ "$(sed -n 1p <<< "$stderr")" = "lognorm: stats: syslog lines=1 records=1 skipped=0 rejected=0" ]
	[ "$(sed -n 2p <<< "$stderr")" = "lognorm: stats: unknown lines=2 records=0 skipped=1 rejected=1" ]
	[ "$(sed -n 3p <<< "$stderr")" = "lognorm: stats: total lines=3 records=1 skipped=1 rejected=1" ]
	[ "$(sed -n 4p <<< "$stderr")" = "lognorm: 1 of 3 lines rejected" ]
	printf '%s:3: no format recognises this line\t%%%% not a log line \001\n' \
	    "$BATS_TEST_TMPDIR/in" > "$BATS_TEST_TMPDIR/want"
	cmp "$BATS_TEST_TMPDIR/want" "$BATS_TEST_TMPDIR/rej"
}

@test "lognorm: the reject warning appears without --stats, and -e makes it exit 1" {
	printf 'no envelope here\n' > "$BATS_TEST_TMPDIR/in"
	run --separate-stderr lognorm "$BATS_TEST_TMPDIR/in"
	assert_success
	[ "$stderr" = "lognorm: 1 of 1 lines rejected (see --rejects)" ]
	run lognorm -e "$BATS_TEST_TMPDIR/in"
	assert_failure 1
	run lognorm -e -y 2026 "$D/syslog.log"
	assert_success
}

@test "lognorm: blank lines are skipped, not rejected" {
	printf '\n  \t\nMar  1 12:00:00 h p: x\n\n' > "$BATS_TEST_TMPDIR/in"
	run --separate-stderr lognorm -y 2026 -e -s "$BATS_TEST_TMPDIR/in"
	assert_success
	[[ "$stderr" == *"stats: unknown lines=3 records=0 skipped=3 rejected=0"* ]]
}

@test "lognorm: --raw appends the original line" {
	run lognorm -y 2026 -R "$D/syslog.log"
	assert_success
	assert_line -n 0 "$CORE_HEADER,raw"
	assert_line -n 1 "2026-03-01T12:00:00.000Z,host1,syslog,,,,,,,,,,,,,,,,,,,,prog[42]: hello world,<13>Mar  1 12:00:00 host1 prog[42]: hello world"
	assert_line -n 5 '2026-03-01T12:00:04.000Z,host1,syslog,,,,,,,,,,,,,,,,,,,,kernel: back\\slash and tab\there,Mar  1 12:00:04 host1 kernel: back\\slash and tab\there'
}

@test "lognorm: gzip input is read directly" {
	gzip -c "$D/syslog.log" > "$BATS_TEST_TMPDIR/in.gz"
	run lognorm -y 2026 "$BATS_TEST_TMPDIR/in.gz"
	assert_success
	assert_output "$(cat "$D/syslog.csv")"
}

@test "lognorm: an unreadable file is reported, the others are read, exit 2" {
	run --separate-stderr lognorm -y 2026 "$BATS_TEST_TMPDIR/missing" "$D/syslog.log"
	assert_failure 2
	assert_output "$(cat "$D/syslog.csv")"
	[[ "$stderr" == *"lognorm: $BATS_TEST_TMPDIR/missing: No such file or directory"* ]]
}

@test "lognorm: rejects name the file and line in multi-file runs" {
	printf 'Mar  1 12:00:00 h p: x\nbad\n' > "$BATS_TEST_TMPDIR/b"
	run lognorm -y 2026 -r "$BATS_TEST_TMPDIR/rej" "$D/syslog.log" "$BATS_TEST_TMPDIR/b"
	assert_success
	run cat "$BATS_TEST_TMPDIR/rej"
	assert_output "$(printf '%s:2: no format recognises this line\tbad' "$BATS_TEST_TMPDIR/b")"
}

@test "lognorm: a 1 MiB line is one record" {
	{ printf 'Mar  1 12:00:00 h p: '; head -c 1048576 /dev/zero | tr '\0' a; echo; } \
	    > "$BATS_TEST_TMPDIR/in"
	lognorm -y 2026 "$BATS_TEST_TMPDIR/in" > "$BATS_TEST_TMPDIR/out"
	run awk 'NR == 2 { print length($0) } END { print NR }' "$BATS_TEST_TMPDIR/out"
	# the record: ts (24), sensor h, kind syslog, 20 commas more, "p: " and the a's
	assert_line -n 0 "$((24 + 1 + 1 + 1 + 6 + 20 + 3 + 1048576))"
	assert_line -n 1 2
}

@test "lognorm: a line over --max-line is rejected whole, not split" {
	{ printf 'Mar  1 12:00:00 h p: '; head -c 2048 /dev/zero | tr '\0' b; echo
	  printf 'Mar  1 12:00:01 h p: short\n'; } > "$BATS_TEST_TMPDIR/in"
	run --separate-stderr lognorm -y 2026 -m 1K -s -r "$BATS_TEST_TMPDIR/rej" \
	    "$BATS_TEST_TMPDIR/in"
	assert_success
	assert_equal "${#lines[@]}" 2
	assert_line -n 1 --partial "2026-03-01T12:00:01.000Z,h,syslog"
	[[ "$stderr" == *"stats: unknown lines=1 records=0 skipped=0 rejected=1"* ]]
	run cut -f1 "$BATS_TEST_TMPDIR/rej"
	assert_output "$BATS_TEST_TMPDIR/in:1: line too long (2069 bytes; first 1024 kept)"
	run bash -c 'cut -f2 "$0" | head -c 25; echo; cut -f2 "$0" | wc -c' \
	    "$BATS_TEST_TMPDIR/rej"
	assert_line -n 0 "Mar  1 12:00:00 h p: bbbb"
	assert_line -n 1 1025
	run lognorm -y 2026 -m 4K "$BATS_TEST_TMPDIR/in"
	assert_equal "${#lines[@]}" 3
}

@test "lognorm: a 100 MiB line is a reject under the default maximum" {
	{ printf 'Mar  1 12:00:00 h p: '; head -c 104857600 /dev/zero | tr '\0' c; echo
	  printf 'Mar  1 12:00:01 h p: after\n'; } > "$BATS_TEST_TMPDIR/in"
	run --separate-stderr lognorm -y 2026 "$BATS_TEST_TMPDIR/in"
	assert_success
	assert_equal "${#lines[@]}" 2
	assert_line -n 1 --partial "p: after"
	[ "$stderr" = "lognorm: 1 of 2 lines rejected (see --rejects)" ]
	rm -f "$BATS_TEST_TMPDIR/in"
}

@test "lognorm: a failed write exits 2" {
	[ -w /dev/full ] || skip "no /dev/full"
	run bash -c 'lognorm -y 2026 "$0" > /dev/full' "$D/syslog.log"
	assert_failure 2
}

@test "lognorm: quiet on SIGPIPE" {
	for i in $(seq 20000); do echo "Mar  1 12:00:00 h p: line $i"; done > "$BATS_TEST_TMPDIR/in"
	run bash -c 'lognorm -y 2026 "$0" 2>"$0.err" | head -1 >/dev/null; echo "${PIPESTATUS[0]}"' \
	    "$BATS_TEST_TMPDIR/in"
	assert_output 141
	[ ! -s "$BATS_TEST_TMPDIR/in.err" ]
}

@test "lognorm: --line-buffered gives the same records" {
	run lognorm -u -y 2026 "$D/syslog.log"
	assert_output "$(cat "$D/syslog.csv")"
}

@test "lognorm: inputs a fuzzer once crashed on are taken calmly" {
	# found by lognorm-auto (a Zeek JSON probe read past a short line)
	printf '\t{\t\t\t{\t\t\r\n' > "$BATS_TEST_TMPDIR/in"
	run --separate-stderr lognorm -s "$BATS_TEST_TMPDIR/in"
	assert_success
	[[ "$stderr" == *"stats: total lines=1 "* ]]
}

@test "lognorm: mangled copies of every fixture line never break it" {
	# Each fixture line cut at every 7th byte, and with bytes replaced by
	# NUL-free control and high bytes: every line must be accounted for.
	find "$FIX/lognorm" -name '*.log' -exec cat {} + > "$BATS_TEST_TMPDIR/lines"
	awk 'BEGIN { srand(1) }
	    { for (c = 7; c < length($0); c += 7) print substr($0, 1, c)
	      s = ""
	      for (i = 1; i <= length($0); i++) {
		ch = substr($0, i, 1)
		r = rand()
		if (r < 0.05) ch = sprintf("%c", 1 + int(rand() * 31))
		else if (r < 0.10) ch = sprintf("%c", 128 + int(rand() * 127))
		else if (r < 0.12) ch = "\\"
		s = s ch
	      }
	      print s }' "$BATS_TEST_TMPDIR/lines" > "$BATS_TEST_TMPDIR/in"
	total=$(wc -l < "$BATS_TEST_TMPDIR/in")
	run --separate-stderr lognorm -y 2026 -s -R "$BATS_TEST_TMPDIR/in"
	assert_success
	[[ "$stderr" == *"stats: total lines=$total "* ]]
	# one record per output line: no raw control byte reached the output
	run bash -c 'LC_ALL=C grep -c "[[:cntrl:]]" "$0" || true' <(printf '%s\n' "$output")
	assert_output 0
}

@test "lognorm: envelope variants: no host, year first, Cisco host:, RFC 5424 nil fields" {
	printf '%s\n' 'Mar  1 08:05:30 RT_FLOW: hello' \
	    '2015 Nov 13 13:40:01 ether rsyslogd-2177: imux' \
	    '<13>Mar  1 12:00:00 h: %FOO-5-BAR: x' \
	    '<34>1 2026-03-01T12:00:00Z - - - - - only msg' \
	    '<999>Mar  1 12:00:00 h p: x' \
	    'Mar 32 12:00:00 h p: x' > "$BATS_TEST_TMPDIR/in"
	run --separate-stderr lognorm -y 2026 -f syslog "$BATS_TEST_TMPDIR/in"
	assert_success
	E=',,,,,,,,,,,,,,,,,,,,'
	assert_output "$CORE_HEADER
2026-03-01T08:05:30.000Z,,syslog${E}RT_FLOW: hello
2015-11-13T13:40:01.000Z,ether,syslog${E}rsyslogd-2177: imux
2026-03-01T12:00:00.000Z,h,syslog${E}%FOO-5-BAR: x
2026-03-01T12:00:00.000Z,,syslog${E}only msg"
	[ "$stderr" = "lognorm: 2 of 6 lines rejected (see --rejects)" ]
}
