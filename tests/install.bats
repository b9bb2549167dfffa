#!/usr/bin/env bats
# make install: tools, scripts and man pages under PREFIX inside DESTDIR.

load test_helper

@test "install: tools and man pages land under DESTDIR/PREFIX" {
	d="$BATS_TEST_TMPDIR/root"
	run make -s -C "$ROOT" install DESTDIR="$d" PREFIX=/opt/kz SANITIZE="${SANITIZE:-}"
	assert_success
	for t in "$ROOT"/cmd/*/; do
		t=$(basename "$t")
		[ -x "$d/opt/kz/bin/$t" ] || fail "no bin/$t"
		[ -f "$d/opt/kz/share/man/man1/$t.1" ] || fail "no man1/$t.1"
	done
	[ -x "$d/opt/kz/bin/kazami-daily-report" ]
	[ -x "$d/opt/kz/bin/gensample" ]
	[ -f "$d/opt/kz/share/man/man7/kazami.7" ]
	[ -f "$d/opt/kz/share/man/man5/kazami-assets.5" ]
	run "$d/opt/kz/bin/tally" --version
	assert_success
}

@test "install: every man page is clean mdoc" {
	command -v mandoc >/dev/null || skip "mandoc is not installed"
	for m in "$ROOT"/man/*.[157]; do
		run mandoc -Tlint -Wwarning "$m"
		[ -z "$output" ] || fail "$output"
	done
}
