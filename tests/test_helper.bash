# Common set-up for every Bats file: load with `load test_helper`.
# Pins locale and zone (as Zeek's tests do) so output never depends on the
# machine, and puts the freshly built tools first on PATH.
export LC_ALL=C TZ=UTC
unset KAZAMI_ASSETS KAZAMI_GEOIP

TESTS_DIR="$(cd "$(dirname "${BATS_TEST_FILENAME}")" && pwd)"
ROOT="$(cd "$TESTS_DIR/.." && pwd)"
: "${KZ_BIN:=$ROOT/build/bin}"
PATH="$KZ_BIN:$PATH"
FIX="$TESTS_DIR/fixtures"
CORPUS="${KZ_CORPUS:-$ROOT/../shared/corpus}"

load '/usr/lib/bats/bats-support/load'
load '/usr/lib/bats/bats-assert/load'

# run --separate-stderr and friends need Bats 1.5 (Debian 12 has 1.8).
bats_require_minimum_version 1.5.0

# run_stdin FILE CMD...: run CMD with FILE on standard input.
run_stdin() {
	local in=$1
	shift
	run bash -c '"$@" < "$0"' "$in" "$@"
}

# The header of a record stream of the core event columns.
CORE_HEADER='ts,sensor,kind,action,proto,src,sport,dst,dport,user,host,url,method,status,bytes,dur,qtype,mime,sig,sev,file,op,msg'
ALERT_HEADER='ts,rule,sev,src,dst,dport,host,user,count,first,last,detail,state'

# man_has_options TOOL: every long option that `TOOL --help` lists is
# documented in man/TOOL.1 as an option (mdoc `Fl -name` or `Fl Fl name`).
man_has_options() {
	local tool=$1 opt missing=""
	for opt in $("$tool" --help |
	    sed -n 's/^ *\(-[A-Za-z0-9], \)\{0,1\}--\([a-z][a-z0-9-]*\).*/\2/p' |
	    sort -u); do
		grep -qE -- "Fl (-|Fl )${opt}([^a-z0-9-]|\$)" "$ROOT/man/$tool.1" ||
		    missing="$missing --$opt"
	done
	[ -z "$missing" ] || { echo "not in man/$tool.1:$missing"; return 1; }
}
