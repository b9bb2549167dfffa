#!/usr/bin/env bats
# lognorm: the firewall formats.  Each fixture holds lines written for the
# test (documentation addresses); each .csv the records they must give,
# written by hand from the mapping in lognorm.1.

bats_require_minimum_version 1.5.0
load test_helper

F="$FIX/lognorm/fw"

# fw_case NAME: auto-detection and -f NAME both give the expected records.
fw_case() {
	run lognorm -y 2026 "$F/$1.log"
	assert_output "$(cat "$F/$1.csv")"
	run lognorm -y 2026 -f "$1" "$F/$1.log"
	assert_output "$(cat "$F/$1.csv")"
}

@test "lognorm: netfilter LOG lines (UFW, iptables, Shorewall, Proxmox)" {
	fw_case netfilter
	assert_success
}

@test "lognorm: Cisco ASA and FTD messages" {
	fw_case asa
	assert_success
}

@test "lognorm: FortiGate traffic, utm and event logs" {
	fw_case fortigate
	assert_success
}

@test "lognorm: PAN-OS TRAFFIC and THREAT, a truncated record is rejected" {
	run --separate-stderr lognorm -y 2026 -r "$BATS_TEST_TMPDIR/rej" \
	    "$F/panos.log"
	assert_success
	assert_output "$(cat "$F/panos.csv")"
	[ "$stderr" = "lognorm: 1 of 4 lines rejected" ]
	printf '%s:4: truncated PAN-OS record (too few fields for its type)\t%s\n' \
	    "$F/panos.log" "$(sed -n 4p "$F/panos.log")" > "$BATS_TEST_TMPDIR/want"
	cmp "$BATS_TEST_TMPDIR/want" "$BATS_TEST_TMPDIR/rej"
}

@test "lognorm: pfSense filterlog IPv4 and IPv6, a truncated record is rejected" {
	run --separate-stderr lognorm -y 2026 -s "$F/filterlog.log"
	assert_success
	assert_output "$(cat "$F/filterlog.csv")"
	[[ "$stderr" == *"lognorm: stats: filterlog lines=3 records=2 skipped=0 rejected=1"* ]]
}

@test "lognorm: OpenBSD pf tcpdump lines" {
	fw_case pf
	assert_success
}

@test "lognorm: Juniper SRX structured and text session logs" {
	fw_case srx
	assert_success
}

@test "lognorm: SonicWall key=value logs" {
	fw_case sonicwall
	assert_success
}

@test "lognorm: Check Point Log Exporter" {
	fw_case checkpoint
	assert_success
}

@test "lognorm: a forced format rejects lines of another" {
	run --separate-stderr lognorm -y 2026 -f asa "$F/netfilter.log"
	assert_success
	assert_output "$CORE_HEADER"
	[ "$stderr" = "lognorm: 5 of 5 lines rejected (see --rejects)" ]
}

@test "lognorm: mixed firewall lines in one file are each recognised" {
	cat "$F/asa.log" "$F/netfilter.log" "$F/srx.log" "$F/pf.log" > \
	    "$BATS_TEST_TMPDIR/mixed.log"
	run --separate-stderr lognorm -y 2026 -s "$BATS_TEST_TMPDIR/mixed.log"
	assert_success
	{ cat "$F/asa.csv"; tail -n +2 "$F/netfilter.csv"; tail -n +2 "$F/srx.csv"
	  tail -n +2 "$F/pf.csv"; } > "$BATS_TEST_TMPDIR/want"
	assert_output "$(cat "$BATS_TEST_TMPDIR/want")"
	[[ "$stderr" == *"stats: asa lines=10 records=10 "* ]]
	[[ "$stderr" == *"stats: netfilter lines=5 records=5 "* ]]
	[[ "$stderr" == *"stats: srx lines=2 records=2 "* ]]
	[[ "$stderr" == *"stats: pf lines=2 records=2 "* ]]
}

@test "lognorm: ASA with --tz reads device-local stamps in that zone" {
	printf '<166>Mar 03 2026 13:05:06: %%ASA-6-106015: Deny TCP (no connection) from 192.0.2.1/443 to 198.51.100.2/5000 flags RST  on interface inside\n' |
	    lognorm -z Asia/Tokyo > "$BATS_TEST_TMPDIR/out"
	run cut -d, -f1,4,5,6,7,8,9 "$BATS_TEST_TMPDIR/out"
	assert_line -n 1 "2026-03-03T04:05:06.000Z,deny,tcp,192.0.2.1,443,198.51.100.2,5000"
}

@test "lognorm: netfilter without addresses is not a netfilter record" {
	printf 'Mar  3 04:05:06 h kernel: usb IN=1 device\n' |
	    lognorm -y 2026 -f netfilter -r "$BATS_TEST_TMPDIR/rej" >/dev/null 2>&1 || true
	run cat "$BATS_TEST_TMPDIR/rej"
	assert_output --partial "stdin:1: not a line of the chosen format"
}

@test "lognorm: a hostile 5 MB ASA token of colons stays linear" {
	{ printf '%%ASA-4-106023: Deny tcp src '; head -c 5000000 /dev/zero | tr '\0' ':'
	  printf ' dst x:192.0.2.4/5\n'; } > "$BATS_TEST_TMPDIR/in"
	run timeout 60 lognorm "$BATS_TEST_TMPDIR/in"
	assert_success
	assert_line -n 1 --partial ",,fw,deny,tcp,,,192.0.2.4,5,"
}
