#!/usr/bin/env bats
# dlwatch: executables downloaded from outside.
load test_helper

W="$FIX/dlwatch"

@test "dlwatch: --help prints usage on stdout and exits 0" {
	run dlwatch --help
	assert_success
	assert_line --index 0 --partial 'usage: dlwatch [-ehuV]'
	assert_output --partial '--watchlist FILE'
}

@test "dlwatch: --version prints the version" {
	run dlwatch --version
	assert_success
	assert_output --regexp '^dlwatch \(kazami\) [0-9]+\.[0-9]+'
}

@test "dlwatch: an unknown option is a usage error (2)" {
	run dlwatch --frobnicate
	assert_failure 2
	assert_output --partial 'usage: dlwatch'
}

@test "dlwatch: every long option is in the man page" {
	man_has_options dlwatch
}

@test "dlwatch: zero-byte input is an error (2)" {
	run dlwatch /dev/null
	assert_failure 2
}

@test "dlwatch: header-only input gives header-only output" {
	run_stdin <(echo "$CORE_HEADER") dlwatch
	assert_success
	assert_output "$ALERT_HEADER"
}

@test "dlwatch: a missing mime column is an error (2)" {
	run_stdin <(printf 'ts,src,url\n2026-11-21T10:00:00.000Z,10.0.0.1,http://a.example/x.exe\n') dlwatch
	assert_failure 2
	assert_output --partial "missing column 'mime'"
}

@test "dlwatch: stdin, a file and - give the same output" {
	a=$(dlwatch "$W/dl.csv")
	b=$(dlwatch < "$W/dl.csv")
	c=$(dlwatch - < "$W/dl.csv")
	[ "$a" = "$b" ] && [ "$b" = "$c" ]
	[ "$(echo "$a" | wc -l)" -eq 9 ]
}

@test "dlwatch: finds executables by name, type and content; one episode per client and site" {
	run dlwatch "$W/dl.csv"
	assert_success
	assert_output "$(cat "$W/dl.out")"
}

@test "dlwatch: a script fetched as script is no download, an executable-typed one is" {
	run dlwatch "$W/dl.csv"
	refute_output --partial 'lib/app.js'
	assert_output --partial 'dl/tool.js: type application/x-msdownload'
}

@test "dlwatch: blocked, not-modified and internal transfers are not downloads" {
	run dlwatch "$W/dl.csv"
	refute_output --partial 'invoice.pdf.exe'
	refute_output --partial 'patch.msp'
	refute_output --partial 'x.msi'
}

@test "dlwatch: names are judged after %-decoding, case folding and trailing dots" {
	run_stdin <(echo "$CORE_HEADER"
	    echo '2026-11-21T10:00:00.000Z,px,proxy,allow,tcp,10.0.0.5,1,203.0.113.5,80,,a.example,http://a.example/INSTALL.SCR.,GET,200,1,,,text/plain,,,,,'
	    echo '2026-11-21T10:00:01.000Z,px,proxy,allow,tcp,10.0.0.5,1,203.0.113.5,80,,b.example,http://b.example/p%2ehta#frag,GET,200,1,,,,,,,,'
	    echo '2026-11-21T10:00:02.000Z,px,proxy,allow,tcp,10.0.0.5,1,203.0.113.5,80,,c.example,http://c.example/x.exe/view,GET,200,1,,,text/html,,,,,'
	    echo '2026-11-21T10:00:03.000Z,px,proxy,allow,tcp,10.0.0.5,1,203.0.113.5,80,,d.example,http://d.example/get?f=x.exe,GET,200,1,,,text/html,,,,,') dlwatch
	assert_success
	assert_output --partial 'a.example,,1,2026-11-21T10:00:00.000Z,2026-11-21T10:00:00.000Z,http://a.example/INSTALL.SCR.: name .scr,open'
	assert_output --partial 'http://b.example/p%2ehta#frag: name .hta,open'
	refute_output --partial 'c.example'
	refute_output --partial 'd.example'
}

@test "dlwatch: a download from a watch-list domain is high" {
	run dlwatch --watchlist "$W/watch.csv" "$W/dl.csv"
	assert_success
	assert_line '2026-11-21T10:05:00.000Z,dlwatch.exe,high,10.0.0.8,198.51.100.9,,dl.badsite.example,,1,2026-11-21T10:05:00.000Z,2026-11-21T10:05:00.000Z,"from a watch-list domain: /payload/update: type application/x-dosexec, content PE32",open'
	assert_line '2026-11-21T10:05:00.000Z,dlwatch.exe,high,10.0.0.8,198.51.100.9,,dl.badsite.example,,1,2026-11-21T10:05:00.000Z,2026-11-21T10:05:00.000Z,"1 executable download from a watch-list domain, 4096 bytes",closed'
	assert_line --partial ',dlwatch.exe,medium,10.0.0.5,'
}

@test "dlwatch: domrank's watch list feeds dlwatch" {
	domrank -m rare -R 1 -C 1 -K <(echo example.com) "$W/dl.csv" \
	    > "$BATS_TEST_TMPDIR/watch.csv"
	run dlwatch -w "$BATS_TEST_TMPDIR/watch.csv" "$W/dl.csv"
	assert_success
	# x.example had one request: rare, so its download is high
	assert_line --partial ',dlwatch.exe,high,10.0.0.11,203.0.113.11,80,x.example,'
	# example.net had two requests from two clients: not rare
	assert_line --partial ',dlwatch.exe,medium,10.0.0.6,203.0.113.6,80,cdn.example.net,'
	# example.com is known
	assert_line --partial ',dlwatch.exe,medium,10.0.0.5,'
}

@test "dlwatch: --allow leaves out expected download sites" {
	run dlwatch --allow "$W/allow.txt" "$W/dl.csv"
	assert_success
	refute_output --partial 'files.example.com'
	assert_output --partial 'cdn.example.net'
}

@test "dlwatch: clients with role update are exempt" {
	printf 'net,name,zone,role\n10.0.0.0/8,lan,internal,\n10.0.0.5,wsus,internal,update\n' > "$BATS_TEST_TMPDIR/a.csv"
	run dlwatch -a "$BATS_TEST_TMPDIR/a.csv" "$W/dl.csv"
	assert_success
	refute_output --partial ',10.0.0.5,'
	assert_output --partial ',10.0.0.6,'
}

@test "dlwatch: -e exits 1 with an alert, 0 without" {
	run dlwatch -e "$W/dl.csv"
	assert_failure 1
	run_stdin <(head -2 "$W/dl.csv" | sed 's/setup.exe/setup.txt/') dlwatch -e
	assert_success
	assert_output "$ALERT_HEADER"
}

@test "dlwatch: replayed in one go or line by line, the alerts are the same" {
	one=$(dlwatch "$W/dl.csv")
	live=$( { head -1 "$W/dl.csv"
		tail -n +2 "$W/dl.csv" | while IFS= read -r l; do
			echo "$l"; sleep 0.05; done; } | dlwatch -u)
	[ "$one" = "$live" ]
	[ "$one" = "$(cat "$W/dl.out")" ]
}

@test "dlwatch: a long hostile name is cut at a character boundary" {
	long=$(printf 'é%.0s' $(seq 1 150))
	run_stdin <(echo "$CORE_HEADER"
	    echo "2026-11-21T10:00:00.000Z,px,proxy,allow,tcp,10.0.0.5,1,203.0.113.5,80,,a.example,http://a.example/$long.exe,GET,200,1,,,,,,,,") dlwatch
	assert_success
	echo "$output" | iconv -f UTF-8 -t UTF-8 > /dev/null
	assert_output --partial '...: name .exe,open'
}

@test "dlwatch: a squid access.log line through lognorm" {
	run bash -c 'lognorm "$0" | dlwatch' "$W/squid.log"
	assert_success
	assert_output "$ALERT_HEADER
2026-11-21T10:00:00.000Z,dlwatch.exe,medium,10.0.0.5,203.0.113.5,80,files.example.com,,1,2026-11-21T10:00:00.000Z,2026-11-21T10:00:00.000Z,http://files.example.com/setup.exe: name .exe,open
2026-11-21T10:00:00.000Z,dlwatch.exe,medium,10.0.0.5,203.0.113.5,80,files.example.com,,1,2026-11-21T10:00:00.000Z,2026-11-21T10:00:00.000Z,\"1 executable download, 123456 bytes\",closed"
}

@test "dlwatch: a URL with a megabyte-long last segment is judged by its tail" {
	{ echo "$CORE_HEADER"
	  printf '2026-11-21T10:00:00.000Z,px,proxy,allow,tcp,10.0.0.5,1,203.0.113.5,80,,a.example,http://a.example/'
	  head -c 1000000 /dev/zero | tr '\0' 'a'
	  printf '.exe,GET,200,1,,,,,,,,\n'; } > "$BATS_TEST_TMPDIR/long.csv"
	run timeout 20 dlwatch "$BATS_TEST_TMPDIR/long.csv"
	assert_success
	assert_output --partial '...: name .exe,open'
}
