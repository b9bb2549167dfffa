#!/usr/bin/env bats
# The report page in a real browser: headless Chromium renders it, the
# charts are there, and markup from log values stays text (no element, no
# script, no changed title).  Skipped when chromium is not installed
# (make deps installs it).

load test_helper

setup() {
	CHROMIUM=$(command -v chromium || command -v chromium-browser || true)
	[ -n "$CHROMIUM" ] || skip "chromium is not installed (make deps)"
	OUT=$(mktemp -d)
}

teardown() {
	[ -z "${OUT:-}" ] || rm -rf "$OUT"
}

# dump_dom FILE: the DOM after loading FILE, as Chromium serialises it.
dump_dom() {
	timeout 120 "$CHROMIUM" --headless --no-sandbox --disable-gpu \
	    --disable-quic --no-first-run --disable-background-networking \
	    --disable-component-update --disable-sync \
	    --user-data-dir="$OUT/profile" --dump-dom "file://$1" 2>/dev/null
}

@test "browser: the report renders with its charts and no script runs" {
	report -o "$OUT/report.html" "$FIX/report/day"
	dump_dom "$OUT/report.html" > "$OUT/dom.html"
	# rendered: the document made it through the parser to the end
	grep -q '<h1>kazami daily report</h1>' "$OUT/dom.html"
	grep -q 'Made by kazami report' "$OUT/dom.html"
	# the title is the report's, not the payload's
	run grep -o '<title>[^<]*</title>' "$OUT/dom.html"
	assert_line --index 0 '<title>kazami daily report</title>'
	refute_output --partial 'pwned</title>'
	# six SVG charts, in the SVG namespace the parser gave them
	run grep -c '<svg xmlns="http://www.w3.org/2000/svg"' "$OUT/dom.html"
	assert_output 6
	# the payloads are text in the DOM: no script or img element, no
	# event-handler attribute inside any tag
	run grep -ciE '<(script|img)[ >]|<[a-z][^>]* on[a-z]+=' "$OUT/dom.html"
	assert_output 0
	grep -qF '&lt;script&gt;document.title=' "$OUT/dom.html"
	grep -qF '&lt;img src=x onerror=' "$OUT/dom.html"
}

@test "browser: a payload that sets the title would be caught" {
	# the check above can fail: a page that does run the payload
	cat > "$OUT/bad.html" <<'HTML'
<!DOCTYPE html><html><head><title>kazami daily report</title></head>
<body><script>document.title='pwned'</script></body></html>
HTML
	dump_dom "$OUT/bad.html" > "$OUT/dom.html"
	run grep -o '<title>[^<]*</title>' "$OUT/dom.html"
	assert_output '<title>pwned</title>'
	run grep -ciE '<(script|img)[ >]|<[a-z][^>]* on[a-z]+=' "$OUT/dom.html"
	assert_output 1
}
