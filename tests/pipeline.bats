#!/usr/bin/env bats
# The tools composed with pipes, as operators run them.

load test_helper

F=$FIX/pipeline

@test "pipeline: lognorm into tally counts the firewall's verdicts" {
	run bash -c "lognorm --year 2026 '$F/kern.log' 2>/dev/null | tally -k action,proto -o key"
	assert_success
	assert_output - <<-'OUT'
	action,proto,count,first,last
	allow,tcp,1,2026-11-21T09:05:00.000Z,2026-11-21T09:05:00.000Z
	drop,tcp,2,2026-11-21T09:00:01.000Z,2026-11-21T09:00:02.000Z
	drop,udp,1,2026-11-21T09:07:00.000Z,2026-11-21T09:07:00.000Z
	OUT
}

@test "pipeline: the line that is no log line is counted as a reject" {
	run bash -c "lognorm --year 2026 '$F/kern.log' 2>&1 >/dev/null"
	assert_output --partial '1 of 5 lines rejected'
}

@test "pipeline: lognorm into portwatch finds the IRC connection, open then closed" {
	run bash -c "lognorm --year 2026 '$F/kern.log' 2>/dev/null | portwatch | cut -d, -f2-6,9,13"
	assert_success
	assert_output - <<-'OUT'
	rule,sev,src,dst,dport,count,state
	portwatch.irc,high,10.0.0.7,198.51.100.20,6667,1,open
	portwatch.irc,high,10.0.0.7,198.51.100.20,6667,1,closed
	OUT
}

@test "pipeline: line by line through pipes gives what one go gives" {
	once=$(lognorm --year 2026 "$F/kern.log" 2>/dev/null | portwatch)
	live=$(while IFS= read -r l; do printf '%s\n' "$l"; sleep 0.01; done < "$F/kern.log" |
	    lognorm --year 2026 --line-buffered 2>/dev/null | portwatch --line-buffered)
	[ "$once" = "$live" ]
}

@test "pipeline: alerts are records: tally counts them by rule" {
	run bash -c "lognorm --year 2026 '$F/kern.log' 2>/dev/null | portwatch | tally -k rule,state -o key | cut -d, -f1-3"
	assert_success
	assert_output - <<-'OUT'
	rule,state,count
	portwatch.irc,closed,1
	portwatch.irc,open,1
	OUT
}

@test "pipeline: gzip archives read directly, as rotated logs are" {
	gzip -c "$F/kern.log" > "$BATS_TEST_TMPDIR/kern.log.1.gz"
	run bash -c "lognorm --year 2026 '$BATS_TEST_TMPDIR/kern.log.1.gz' 2>/dev/null | tally -k proto -o key | cut -d, -f1,2"
	assert_success
	assert_output - <<-'OUT'
	proto,count
	tcp,3
	udp,1
	OUT
}

@test "pipeline: a detector counts events of unknown time once, not as errors" {
	printf '%s\n' "$CORE_HEADER" \
	    ',gw,fw,deny,tcp,203.0.113.5,1,192.0.2.1,22,,,,,,,,,,,,,,' \
	    ',gw,fw,deny,tcp,203.0.113.5,1,192.0.2.2,22,,,,,,,,,,,,,,' \
	    > "$BATS_TEST_TMPDIR/nots.csv"
	run scanwatch "$BATS_TEST_TMPDIR/nots.csv"
	assert_success
	assert_line --index 0 'scanwatch: 2 events without a time (empty ts) could not be placed and were not processed'
	assert_line --index 1 "$ALERT_HEADER"
}
