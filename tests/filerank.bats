#!/usr/bin/env bats
# filerank: the five monthly file-access rankings.
load test_helper
bats_require_minimum_version 1.5.0

F="$FIX/filerank"
RANK_HEADER='rank,user,count,files,first,last,top_files'

# --- the standard set -------------------------------------------------

@test "filerank: --help prints usage on stdout and exits 0" {
	run --separate-stderr filerank --help
	assert_success
	assert_line --index 0 --partial 'usage: filerank [-aesuV] [-C FILE]'
	assert_output --partial '--copy-window DUR'
	[ -z "$stderr" ]
}

@test "filerank: --version prints the version" {
	run filerank -V
	assert_success
	assert_output --regexp '^filerank \(kazami\) [0-9]+\.[0-9]+'
}

@test "filerank: an unknown option is a usage error (2)" {
	run filerank -Q -r night
	assert_failure 2
	assert_output --partial 'usage: filerank'
}

@test "filerank: no -r and no -o is a usage error (2)" {
	run filerank "$F/night.csv"
	assert_failure 2
	assert_output --partial 'choose a report'
}

@test "filerank: an unknown report name is an error (2)" {
	run filerank -r hourly "$F/night.csv"
	assert_failure 2
	assert_output --partial 'hourly: unknown report'
}

@test "filerank: every long option is in the man page" {
	man_has_options filerank
}

@test "filerank: zero-byte input is an error (2)" {
	run filerank -r night /dev/null
	assert_failure 2
}

@test "filerank: header-only input gives a header-only report" {
	run_stdin <(printf '%s\n' "$CORE_HEADER") filerank -r deleters
	assert_success
	assert_output "$RANK_HEADER"
}

@test "filerank: a missing op column is an error (2)" {
	run_stdin <(printf 'ts,user,file\n2026-11-21T04:12:09.250Z,a,/x\n') \
	    filerank -r deleters
	assert_failure 2
	assert_output --partial "missing column 'op'"
}

@test "filerank: stdin, a file and - give the same output" {
	local a b c
	a=$(filerank -z Asia/Tokyo -r night "$F/night.csv")
	b=$(filerank -z Asia/Tokyo -r night < "$F/night.csv")
	c=$(filerank -z Asia/Tokyo -r night - < "$F/night.csv")
	[ "$a" = "$(cat "$F/night-tokyo.out")" ]
	[ "$a" = "$b" ]
	[ "$a" = "$c" ]
}

@test "filerank: -e exits 1 when the report has rows, 0 when it has none" {
	run filerank -e -r deleters "$F/ops.csv"
	assert_failure 1
	run filerank -e -r copiers "$F/ops.csv"
	assert_success
	assert_output "$RANK_HEADER"
}

@test "filerank: --line-buffered gives the same report" {
	run filerank -u -z Asia/Tokyo -r night "$F/night.csv"
	assert_success
	assert_output "$(cat "$F/night-tokyo.out")"
}

@test "filerank: a bad ts is reported with file and line and exits 2" {
	run --separate-stderr filerank -r deleters \
	    <(printf 'ts,user,file,op\nyesterday,a,/x,delete\n2026-11-21T04:12:09.250Z,b,/y,delete\n')
	assert_failure 2
	[[ "$stderr" == *":2: bad ts 'yesterday'"* ]]
	assert_line --index 1 --partial '1,b,1,1,'
}

@test "filerank: arbitrary bytes do not crash it" {
	run bash -c 'head -c 65536 "$0" | tr "\000" x | filerank -r night' \
	    "$KZ_BIN/filerank"
	[ "$status" -le 2 ]
	run bash -c '{ echo "ts,user,file,op"; head -c 65536 "$0"; } |
	    filerank -a -o "$1"' "$KZ_BIN/filerank" "$BATS_TEST_TMPDIR/junk"
	[ "$status" -le 2 ]
}

# --- night ------------------------------------------------------------

@test "filerank: night ranks by count, then files, then user, ties share a rank (Tokyo edges)" {
	# 22:00:00.000 and 05:59:59.999 JST are night, 21:59:59.999 and
	# 06:00:00.000 are not; alice and bob tie at 2 events on 2 files.
	run filerank -z Asia/Tokyo -r night "$F/night.csv"
	assert_success
	assert_output "$(cat "$F/night-tokyo.out")"
}

@test "filerank: the zone comes from TZ when --tz is not given" {
	TZ=Asia/Tokyo run filerank -r night "$F/night.csv"
	assert_success
	assert_output "$(cat "$F/night-tokyo.out")"
}

@test "filerank: night follows the zone's offset across a DST change" {
	# New York, 2026-11-01: 01:30 EDT and 01:30 EST are both night;
	# 10:59:59.999Z is 05:59 EST (night), the day before 06:59 EDT (not).
	run filerank -z America/New_York -r night "$F/dst.csv"
	assert_success
	assert_output "$(cat "$F/dst.out")"
}

@test "filerank: --from and --to set the night window" {
	run filerank -z Asia/Tokyo -F 01:00 -T 05:00 -r night "$F/night.csv"
	assert_success
	assert_output "$(cat "$F/night-0105.out")"
}

@test "filerank: an empty or malformed night window is an error (2)" {
	run filerank -F 06:00 -r night "$F/night.csv"
	assert_failure 2
	assert_output --partial 'empty night'
	run filerank -T 25:00 -r night "$F/night.csv"
	assert_failure 2
	assert_output --partial 'not a time of day'
}

@test "filerank: an unknown zone is an error (2)" {
	run filerank -z Mars/Olympus -r night "$F/night.csv"
	assert_failure 2
	assert_output --partial 'unknown time zone'
}

@test "filerank: --top keeps ranks up to N, ties at N included" {
	run filerank -z Asia/Tokyo -n 2 -r night "$F/night.csv"
	assert_success
	assert_output "$(head -4 "$F/night-tokyo.out")"
}

# --- weekend ----------------------------------------------------------

@test "filerank: weekend is local Saturday and Sunday (Tokyo: Friday 15:30 UTC is Saturday)" {
	run filerank -z Asia/Tokyo -r weekend "$F/weekend.csv"
	assert_success
	assert_output "$(cat "$F/weekend-tokyo.out")"
}

@test "filerank: the same events in UTC fall on other days" {
	run filerank -r weekend "$F/weekend.csv"
	assert_success
	assert_output "$(cat "$F/weekend-utc.out")"
}

@test "filerank: --holidays dates count as weekend from local midnight" {
	run filerank -z Asia/Tokyo -H "$F/holidays.txt" -r weekend \
	    "$F/weekend.csv"
	assert_success
	assert_output "$(cat "$F/weekend-holidays.out")"
}

@test "filerank: a bad holidays line is an error with file and line (2)" {
	printf '# ok\n2026-11-03\n2026-02-30 no such day\n' \
	    > "$BATS_TEST_TMPDIR/h.txt"
	run filerank -H "$BATS_TEST_TMPDIR/h.txt" -r weekend "$F/weekend.csv"
	assert_failure 2
	assert_output --partial 'h.txt:3: not a date'
}

# --- confidential -----------------------------------------------------

@test "filerank: confidential globs match Windows paths without case and POSIX paths with it" {
	run filerank -C "$F/confidential.txt" -r confidential \
	    "$F/confidential.csv"
	assert_success
	assert_output "$(cat "$F/confidential.out")"
}

@test "filerank: the confidential report needs --confidential (2)" {
	run filerank -r confidential "$F/confidential.csv"
	assert_failure 2
	assert_output --partial 'needs -C/--confidential'
}

@test "filerank: a bad confidential pattern is an error with file and line (2)" {
	printf '/srv/ok/**\n/srv/[abc\n' > "$BATS_TEST_TMPDIR/c.txt"
	run filerank -C "$BATS_TEST_TMPDIR/c.txt" -r confidential \
	    "$F/confidential.csv"
	assert_failure 2
	assert_output --partial 'c.txt:2: unterminated ['
}

# --- deleters ---------------------------------------------------------

@test "filerank: deleters counts deletes only, not reads, writes, renames or 4660 confirmations" {
	# erin's record is kind auth; frank's empty kind still counts.
	run filerank -r deleters "$F/ops.csv"
	assert_success
	assert_output "$(cat "$F/deleters.out")"
}

# --- acts: one act, several records -----------------------------------

@test "filerank: records of one user, file and op within 2s are one act; at exactly 2s too" {
	# a: 11:59:59 (late) and 12:00:02.000 join the act of 12:00:00.000;
	# 12:00:04.001 and 12:00:06.002 are acts of their own; b is another
	# user; a's read is another op; DELETE is delete.
	run filerank -r deleters "$F/acts/edges.csv"
	assert_success
	assert_output "$(cat "$F/acts/edges.out")"
}

@test "filerank: --act-window 0 counts every record, 5s makes longer acts" {
	run filerank -w 0 -r deleters "$F/acts/edges.csv"
	assert_success
	assert_output "$(cat "$F/acts/edges-w0.out")"
	run filerank --act-window 5s -r deleters "$F/acts/edges.csv"
	assert_success
	assert_output "$(cat "$F/acts/edges-w5.out")"
}

@test "filerank: --stats counts the records merged into acts" {
	run --separate-stderr filerank -s -r deleters "$F/acts/edges.csv"
	assert_success
	[[ "$stderr" == *"records=7 used=5 same_act=2 acts_dropped=0 "* ]]
}

@test "filerank: a Windows delete logged as 5145, 4663 and 4660 counts once" {
	lognorm_has winxml
	# two deletes of nda.docx 30s apart, each a triple; a read as 5145
	# and 4663.
	run --separate-stderr bash -c 'lognorm "$0" | filerank -r deleters' \
	    "$F/acts/win-triple.xml"
	assert_success
	assert_output "$(cat "$F/acts/win-deleters.out")"
	run --separate-stderr bash -c 'lognorm "$0" | filerank -w 0 -r deleters' \
	    "$F/acts/win-triple.xml"
	assert_success
	assert_output "$(cat "$F/acts/win-deleters-w0.out")"
	run --separate-stderr bash -c 'lognorm "$0" |
	    filerank -C "$1" -r confidential' "$F/acts/win-triple.xml" \
	    "$F/acts/confidential.txt"
	assert_success
	assert_output "$(cat "$F/acts/win-confidential.out")"
}

@test "filerank: Samba and auditd deletes, one record each, are never merged across files" {
	lognorm_has samba-audit auditd
	run --separate-stderr bash -c 'lognorm -y 2026 "$0" "$1" |
	    filerank -r deleters' "$F/acts/samba.log" "$F/acts/audit.log"
	assert_success
	assert_output "$(cat "$F/acts/unix-deleters.out")"
}

# --- copiers ----------------------------------------------------------

@test "filerank: copiers pairs a read with a same-name write elsewhere within 30s" {
	# alice: Windows names match without case, the second write of the
	# same copy is not a second copy; carol: the write came first in the
	# input.  Not copies: same directory, other name, write before read,
	# POSIX case, another user, delete then create, 31 seconds.
	run filerank -r copiers "$F/copies.csv"
	assert_success
	assert_output "$(cat "$F/copiers.out")"
}

@test "filerank: reads, writes and creates alone are not copies" {
	run filerank -r copiers "$F/ops.csv"
	assert_success
	assert_output "$RANK_HEADER"
}

@test "filerank: --copy-window widens the read-to-write time" {
	run filerank -c 1m -r copiers "$F/copies.csv"
	assert_success
	assert_output "$(cat "$F/copiers-1m.out")"
}

@test "filerank: input out of order beyond --lateness loses the copy, within it keeps it" {
	run filerank -r copiers "$F/lateness.csv"
	assert_success
	assert_output "$RANK_HEADER"
	run filerank -L 5m -r copiers "$F/lateness.csv"
	assert_success
	assert_output "$(cat "$F/lateness-5m.out")"
}

@test "filerank: copies are found in archives concatenated newest first" {
	run filerank -r copiers "$F/archives.csv"
	assert_success
	assert_output "$(cat "$F/archives.out")"
}

# --- accounts, departments, period -------------------------------------

@test "filerank: computer and listed accounts are left out and counted on stderr" {
	run --separate-stderr filerank -x "$F/exclude.txt" -r deleters \
	    "$F/accounts.csv"
	assert_success
	assert_output "$(cat "$F/accounts-excluded.out")"
	[ "$stderr" = "filerank: left out 5 events of accounts (2 computer, 3 listed, 0 over the user cap), 0 events outside the period" ]
}

@test "filerank: --all-accounts keeps computer accounts" {
	run --separate-stderr filerank -a -x "$F/exclude.txt" -r deleters \
	    "$F/accounts.csv"
	assert_success
	assert_output "$(cat "$F/accounts-all.out")"
	[[ "$stderr" == *"(0 computer, 3 listed,"* ]]
}

@test "filerank: nothing left out prints nothing on stderr" {
	run --separate-stderr filerank -r deleters "$F/ops.csv"
	assert_success
	[ -z "$stderr" ]
}

@test "filerank: --users adds dept by full or short name, without case" {
	run filerank -D "$F/users.csv" -r deleters "$F/dept.csv"
	assert_success
	assert_output "$(cat "$F/dept.out")"
}

@test "filerank: --since is inclusive and --until exclusive, dates in UTC" {
	run --separate-stderr filerank -S 2026-11-01 -U 2026-12-01 \
	    -r deleters "$F/period.csv"
	assert_success
	assert_output "$(cat "$F/period-utc.out")"
}

@test "filerank: --month is the local calendar month" {
	run --separate-stderr filerank -z Asia/Tokyo -M 2026-11 -r deleters \
	    "$F/period.csv"
	assert_success
	assert_output "$(cat "$F/period-tokyo.out")"
}

@test "filerank: --since and --until take RFC 3339 times with offsets" {
	run --separate-stderr filerank -S 2026-11-01T09:00:00+09:00 \
	    -U 2026-11-30T15:00:00Z -r deleters "$F/period.csv"
	assert_success
	assert_output "$(sed -n '1,3p' "$F/period-utc.out")"
	[[ "$stderr" == *"6 events outside the period" ]]
}

@test "filerank: --month with --since is a usage error (2)" {
	run filerank -M 2026-11 -S 2026-11-02 -r deleters "$F/period.csv"
	assert_failure 2
}

@test "filerank: a bad --since is an error (2)" {
	run filerank -S 2026-13-01 -r deleters "$F/period.csv"
	assert_failure 2
	assert_output --partial 'not a time'
}

# --- output directory, caps, stats ------------------------------------

@test "filerank: -o writes all five reports into a new directory" {
	local d="$BATS_TEST_TMPDIR/reports/2026-11"
	run filerank -z Asia/Tokyo -C "$F/confidential.txt" -o "$d" \
	    "$F/night.csv"
	assert_success
	[ "$(ls "$d")" = "$(printf '%s\n' confidential.csv copiers.csv \
	    deleters.csv night.csv weekend.csv)" ]
	[ "$(cat "$d/night.csv")" = "$(cat "$F/night-tokyo.out")" ]
	[ "$(cat "$d/deleters.csv")" = "$RANK_HEADER" ]
}

@test "filerank: -o without --confidential leaves confidential.csv out and says so" {
	local d="$BATS_TEST_TMPDIR/out"
	run --separate-stderr filerank -o "$d" "$F/ops.csv"
	assert_success
	[ ! -e "$d/confidential.csv" ]
	[ "$(cat "$d/deleters.csv")" = "$(cat "$F/deleters.out")" ]
	[[ "$stderr" == *"confidential.csv not written"* ]]
}

@test "filerank: -o with -r writes only that report" {
	local d="$BATS_TEST_TMPDIR/one"
	run filerank -r deleters -o "$d" "$F/ops.csv"
	assert_success
	[ "$(ls "$d")" = deleters.csv ]
}

@test "filerank: an -o directory that cannot be made is an error (2)" {
	run filerank -o /dev/null/reports "$F/ops.csv"
	assert_failure 2
}

@test "filerank: a full disk is an error (2)" {
	[ -w /dev/full ] || skip "no /dev/full"
	run bash -c 'filerank -r deleters "$0" > /dev/full' "$F/ops.csv"
	assert_failure 2
}

@test "filerank: --max-keys caps users and says so" {
	run --separate-stderr bash -c '{ echo ts,user,file,op
	    for i in $(seq 1 20); do
		echo "2026-11-05T01:00:00.000Z,u$i,/p/$i,delete"
	    done; } | filerank -m 16 -r deleters'
	assert_success
	[ "${#lines[@]}" -eq 17 ]
	[[ "$stderr" == *"4 over the user cap"* ]]
	[[ "$stderr" == *"raise -m/--max-keys"* ]]
}

@test "filerank: --max-keys caps user-file pairs and says the counts are lower bounds" {
	run --separate-stderr bash -c '{ echo ts,user,file,op
	    for u in 1 2 3 4 5; do for f in 1 2 3 4 5; do
		echo "2026-11-05T01:00:00.000Z,u$u,/p/$f,delete"
	    done; done; } | filerank -m 16 -s -r deleters'
	assert_success
	# every event still counts; only 16 of the 25 pairs are kept
	[ "$(awk -F, 'NR > 1 { s += $3 } END { print s }' <<< "$output")" -eq 25 ]
	[ "$(awk -F, 'NR > 1 { s += $4 } END { print s }' <<< "$output")" -eq 16 ]
	[[ "$stderr" == *"deleters: more than 16 user-file pairs: files and top_files are lower bounds"* ]]
	[[ "$stderr" == *"pairs=16 "* ]]
}

@test "filerank: a --users file without a dept column is an error (2)" {
	printf 'user,team\nalice,x\n' > "$BATS_TEST_TMPDIR/u.csv"
	run filerank -D "$BATS_TEST_TMPDIR/u.csv" -r deleters "$F/ops.csv"
	assert_failure 2
	assert_output --partial "missing column 'dept'"
}

@test "filerank: --stats prints counts on stderr" {
	run --separate-stderr filerank -s -r deleters "$F/ops.csv"
	assert_success
	[[ "$stderr" == *"records=17 used=14 same_act=0 acts_dropped=0 not_file=1 bookkeeping=2 "* ]]
	[[ "$stderr" == *"report=deleters events=7"* ]]
	[[ "$stderr" != *"report=night"* ]]
	run --separate-stderr filerank -s -o "$BATS_TEST_TMPDIR/s" "$F/ops.csv"
	[[ "$stderr" == *"report=night events=0"* ]]
	[[ "$stderr" == *"report=copiers events=0"* ]]
}

# --- end to end: raw audit logs through lognorm -------------------------
# Raw lines written for these tests, one scenario over five sources (see
# tests/fixtures/filerank/e2e): alice copies and deletes on the Windows
# server on Friday night, bob deletes and reads an HR file on Saturday
# (JSON), carol opens a contract (Event Viewer CSV), dave copies and
# deletes on Samba late on Saturday, erin copies with cp(1) and deletes
# under auditd; FS01$ is the server's own account.

E="$F/e2e"

# lognorm_has FMT...: the formats this end-to-end test reads are listed.
lognorm_has() {
	local fmt
	for fmt in "$@"; do
		lognorm -l | grep -q "^$fmt " ||
		    fail "lognorm lists no format $fmt"
	done
}

@test "filerank: end to end, Windows XML: a copy, and a delete counted once despite its 4660" {
	lognorm_has winxml
	run --separate-stderr bash -c 'lognorm -z Asia/Tokyo "$0" |
	    filerank -r copiers' "$E/security.xml"
	assert_success
	assert_output "$(sed -n 1,2p "$E/copiers.out")"
	run --separate-stderr bash -c 'lognorm -z Asia/Tokyo "$0" |
	    filerank -r deleters' "$E/security.xml"
	assert_success
	assert_output "$(sed -n 1,2p "$E/deleters.out")"
}

@test "filerank: end to end, Windows JSON: a weekend delete and read" {
	lognorm_has winjson
	run bash -c 'lognorm "$0" | filerank -z Asia/Tokyo -r weekend' \
	    "$E/security.json"
	assert_success
	assert_output "$(sed -n '1p;3p' "$E/weekend.out" | sed 's/^2,bob/1,bob/')"
}

@test "filerank: end to end, Windows CSV: a confidential read" {
	lognorm_has wincsv
	run bash -c 'lognorm -z Asia/Tokyo "$0" |
	    filerank -C "$1" -r confidential' "$E/security.csv" \
	    "$E/confidential.txt"
	assert_success
	assert_output "$(sed -n '1p;5p' "$E/confidential.out" | sed 's/^4,/1,/')"
}

@test "filerank: end to end, Samba full_audit: open-read then open-write is a copy" {
	lognorm_has samba-audit
	run bash -c 'lognorm -z Asia/Tokyo -y 2026 "$0" | filerank -r copiers' \
	    "$E/samba.log"
	assert_success
	assert_output "$(sed -n '1p;3p' "$E/copiers.out")"
}

@test "filerank: end to end, auditd: cp(1) is a copy, rm(1) a delete" {
	lognorm_has auditd
	run bash -c 'lognorm "$0" | filerank -r copiers' "$E/audit.log"
	assert_success
	assert_output "$(sed -n '1p;4p' "$E/copiers.out")"
	run bash -c 'lognorm "$0" | filerank -r deleters' "$E/audit.log"
	assert_success
	assert_output "$(sed -n '1p;5p' "$E/deleters.out")"
}

@test "filerank: end to end, all five sources give all five reports" {
	lognorm_has winxml winjson wincsv samba-audit auditd
	local d="$BATS_TEST_TMPDIR/2026-11"
	run --separate-stderr bash -c 'lognorm -z Asia/Tokyo -y 2026 "$@" |
	    filerank -z Asia/Tokyo -M 2026-11 -C "$0" -o "$1"' \
	    "$E/confidential.txt" "$d" "$E/security.xml" "$E/security.json" \
	    "$E/security.csv" "$E/samba.log" "$E/audit.log"
	assert_success
	for r in night weekend confidential deleters copiers; do
		diff -u "$E/$r.out" "$d/$r.csv" || return 1
	done
	[[ "$stderr" == *"left out 1 events of accounts (1 computer,"* ]]
}
