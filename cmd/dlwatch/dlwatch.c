/* dlwatch: executables downloaded from outside. */
#include <err.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "det.h"
#include "ip.h"
#include "line.h"
#include "map.h"
#include "opt.h"
#include "rec.h"
#include "util.h"

#define SYNOPSIS "[-ehuV] [-A FILE] [-a FILE] [-g DUR] [-L DUR] " \
	"[-w FILE] [FILE ...]"
#define PURPOSE "Find executables downloaded from outside."

static const struct optdef opts[] = {
	{ "allow", 'A', required_argument, "FILE",
	    "download sites (host names) to leave out" },
	DET_OPT_ASSETS,
	DET_OPT_EXIT,
	{ "gap", 'g', required_argument, "DUR",
	    "end an episode after DUR without downloads (default 1h)" },
	DET_OPT_HELP,
	DET_OPT_LATENESS,
	DET_OPT_LINEBUF,
	DET_OPT_VERSION,
	{ "watchlist", 'w', required_argument, "FILE",
	    "watch list (domrank --mode rare): downloads from it are high" },
	{ NULL, 0, 0, NULL, NULL }
};

/*
 * Names that Windows, Java, Android and script hosts run when clicked.
 * ".js" is not here: browsers fetch script with every page; a script
 * download counts only with an executable type or content.
 */
static const char *const exec_ext[] = {
	"apk", "appx", "appxbundle", "application", "bat", "cmd", "com",
	"cpl", "dll", "exe", "gadget", "hta", "iso", "jar", "jse", "lnk",
	"msc", "msi", "msix", "msixbundle", "msp", "ocx", "pif", "ps1",
	"psm1", "reg", "scf", "scr", "sys", "vbe", "vbs", "vhd", "vhdx",
	"wsf", "wsh", "xll", NULL
};

/* Content types servers and sensors give executables. */
static const char *const exec_mime[] = {
	"application/hta",
	"application/java-archive",
	"application/vnd.android.package-archive",
	"application/vnd.microsoft.portable-executable",
	"application/vnd.ms-msi",
	"application/x-bat",
	"application/x-dosexec",
	"application/x-elf",
	"application/x-executable",
	"application/x-java-archive",
	"application/x-mach-binary",
	"application/x-ms-application",
	"application/x-ms-installer",
	"application/x-ms-shortcut",
	"application/x-msdos-program",
	"application/x-msdownload",
	"application/x-msi",
	"application/x-ole-storage",
	"application/x-sharedlib",
	"application/x-winexe",
	NULL
};

/* What libmagic says of executables (Suricata fileinfo "magic"), as
 * lognorm puts it in msg: "fileinfo PE32 executable (GUI) ...". */
static const char *const exec_magic[] = {
	"PE32", "MS-DOS executable", "ELF ", "Mach-O", "MSI Installer",
	"MS Windows shortcut", "Java archive", "Android package",
	"HTML Application", NULL
};

enum { EV_TICK, EV_DOWNLOAD };

struct dev {
	int		 type;
	struct ip_addr	 client, server;
	int		 has_server;
	int		 dport;
	int		 watched;
	char		*host, *user, *what;	/* escaped; owned */
	long long	 bytes;
};

struct epdata {
	long long	 bytes;
	int		 watched;
};

static struct det_check *chk;
static struct map *watch, *allow;	/* host names, values unused */



/*
 * name_ext: the extension of the last path segment of a URL or file name
 * (query and fragment cut, %-escapes decoded, lower case) into buf (cap
 * bytes); 0 when there is none or it is longer than buf.
 */
static size_t
name_ext(const char *s, size_t n, int is_url, char *buf, size_t cap)
{
	const char *p, *seg, *end = s + n;
	size_t len = 0;
	char *dot = NULL;
	char raw[256];
	size_t rl = 0;

	if (is_url) {
		if ((p = memmem(s, n, "://", 3)) != NULL) {
			p += 3;
			p = memchr(p, '/', (size_t)(end - p));
			if (p == NULL)
				return 0;
			s = p;
		}
		for (p = s; p < end && *p != '?' && *p != '#'; p++)
			;
		end = p;
	}
	for (seg = end; seg > s && seg[-1] != '/' && seg[-1] != '\\'; seg--)
		;
	/* decode the segment; only its tail matters, so a segment of
	 * megabytes costs no more than its last few hundred bytes */
	if (end - seg > (ptrdiff_t)(3 * sizeof raw))
		seg = end - 3 * sizeof raw;
	for (p = seg; p < end; p++) {
		int c = (unsigned char)*p;

		if (c == '%' && end - p >= 3 && hexdigit(p[1]) >= 0 &&
		    hexdigit(p[2]) >= 0) {
			c = hexdigit(p[1]) * 16 + hexdigit(p[2]);
			p += 2;
		}
		if (rl == sizeof raw)
			memmove(raw, raw + 1, --rl);
		raw[rl++] = (char)c;
	}
	/* trailing dots and spaces do not stop Windows from running it */
	while (rl > 0 && (raw[rl - 1] == '.' || raw[rl - 1] == ' '))
		rl--;
	for (len = rl; len > 0; len--)
		if (raw[len - 1] == '.') {
			dot = raw + len - 1;
			break;
		}
	if (dot == NULL || (len = rl - (size_t)(dot + 1 - raw)) == 0 ||
	    len >= cap)
		return 0;
	for (size_t i = 0; i < len; i++) {
		char c = dot[1 + i];

		buf[i] = c >= 'A' && c <= 'Z' ? c + 32 : c;
	}
	buf[len] = '\0';
	return len;
}

/* mime_norm: the type without parameters, in lower case, into buf. */
static size_t
mime_norm(const char *s, size_t n, char *buf, size_t cap)
{
	size_t i, len = 0;

	for (i = 0; i < n && s[i] != ';' && len + 1 < cap; i++) {
		if (s[i] == ' ')
			continue;
		buf[len++] = s[i] >= 'A' && s[i] <= 'Z' ? s[i] + 32 : s[i];
	}
	buf[len] = '\0';
	return i < n && s[i] != ';' ? 0 : len;
}

static const char *
magic_match(const char *msg, size_t n)
{
	size_t i;

	if (n < 9 || memcmp(msg, "fileinfo ", 9) != 0)
		return NULL;
	for (i = 0; exec_magic[i]; i++)
		if (memmem(msg + 9, n - 9, exec_magic[i],
		    strlen(exec_magic[i])) != NULL)
			return exec_magic[i];
	return NULL;
}

/* suffix_in: host or one of its parents is in set. */
static int
suffix_in(const struct map *set, const char *s, size_t n)
{
	const char *dot;

	if (set == NULL || n == 0)
		return 0;
	for (;;) {
		if (map_get(set, s, n))
			return 1;
		if ((dot = memchr(s, '.', n)) == NULL)
			return 0;
		n -= (size_t)(dot + 1 - s);
		s = dot + 1;
	}
}

static size_t
norm_host(const char *s, size_t n, char **buf, size_t *cap)
{
	const char *colon = memchr(s, ':', n);
	size_t i;

	if (colon && s[0] != '[' && memchr(colon + 1, ':',
	    n - (size_t)(colon + 1 - s)) == NULL)
		n = (size_t)(colon - s);
	while (n > 0 && s[n - 1] == '.')
		n--;
	if (n + 1 > *cap)
		*buf = xrealloc(*buf, *cap = n + 64);
	for (i = 0; i < n; i++)
		(*buf)[i] = s[i] >= 'A' && s[i] <= 'Z' ? s[i] + 32 : s[i];
	(*buf)[n] = '\0';
	return n;
}

static void
on_close(struct det_ep *ep, void *arg)
{
	struct epdata *ed = det_ep_udata(ep);
	char bytes[48] = "";

	(void)arg;
	if (ed->bytes >= 0)
		snprintf(bytes, sizeof bytes, ", %lld bytes", ed->bytes);
	det_ep_detail(ep, "%llu executable download%s%s%s",
	    (unsigned long long)det_ep_count(ep),
	    det_ep_count(ep) == 1 ? "" : "s",
	    ed->watched ? " from a watch-list domain" : "", bytes);
}

static void
process(struct det *d, void *evp, int64_t t, void *arg)
{
	struct dev *ev = evp;
	static char *key;
	static size_t cap;
	struct det_ep *ep;
	struct epdata *ed;
	size_t hl, kl;

	(void)d;
	(void)arg;
	if (ev->type != EV_DOWNLOAD)
		return;
	/* one episode per client and download site */
	hl = ev->host ? strlen(ev->host) : 0;
	kl = sizeof ev->client + (hl ? hl : sizeof ev->server);
	if (kl > cap)
		key = xrealloc(key, cap = kl + 64);
	memcpy(key, &ev->client, sizeof ev->client);
	if (hl)
		memcpy(key + sizeof ev->client, ev->host, hl);
	else
		memcpy(key + sizeof ev->client, &ev->server,
		    sizeof ev->server);
	ep = det_ep_touch(chk, key, kl, t);
	if (ep == NULL) {
		struct det_alert a;

		memset(&a, 0, sizeof a);
		a.src = &ev->client;
		a.dst = ev->has_server ? &ev->server : NULL;
		a.dport = ev->dport;
		a.host = ev->host;
		a.user = ev->user;
		a.sev = ev->watched ? "high" : NULL;
		a.detail = ev->what;
		ep = det_ep_open(chk, key, kl, t, 1, t, &a);
		ed = det_ep_udata(ep);
		ed->bytes = -1;
	} else
		ed = det_ep_udata(ep);
	if (ev->bytes >= 0)
		ed->bytes = (ed->bytes < 0 ? 0 : ed->bytes) + ev->bytes;
	if (ev->watched && !ed->watched)
		det_ep_sev(ep, "high");
	ed->watched |= ev->watched;
	free(ev->host);
	free(ev->user);
	free(ev->what);
}

static struct map *
load_hosts(const char *path)
{
	struct line_reader *lr = line_open(path, 0);
	struct map *set;
	const char *s;
	char *buf = NULL;
	size_t n, cap = 0, len;
	int rc;

	if (lr == NULL)
		exit(EXIT_ERROR);
	set = map_new(0);
	while ((rc = line_next(lr, &s, &n)) == LINE_OK) {
		const char *hash = memchr(s, '#', n);

		if (hash)
			n = (size_t)(hash - s);
		while (n && (*s == ' ' || *s == '\t'))
			s++, n--;
		while (n && (s[n - 1] == ' ' || s[n - 1] == '\t'))
			n--;
		if (n >= 2 && s[0] == '*' && s[1] == '.')
			s += 2, n -= 2;
		if (n == 0)
			continue;
		if ((len = norm_host(s, n, &buf, &cap)) > 0)
			map_put(set, buf, len, NULL);
	}
	free(buf);
	if (rc != LINE_EOF)
		exit(EXIT_ERROR);
	line_close(lr);
	return set;
}

/* load_watch: the domain (or host) column of domrank --mode rare. */
static struct map *
load_watch(char *path)
{
	struct rec_reader *r = rec_open(&path, 1);
	struct map *set;
	char *buf = NULL;
	size_t cap = 0;
	int col, rc;

	if (r == NULL)
		exit(EXIT_ERROR);
	if ((col = rec_col(r, "domain")) < 0 &&
	    (col = rec_col(r, "host")) < 0) {
		rec_close(r);
		errx(EXIT_ERROR, "%s: watch list has no column 'domain' or "
		    "'host'", path);
	}
	set = map_new(0);
	while ((rc = rec_next(r)) == 1) {
		const char *s;
		size_t n, len;

		s = rec_get(r, col, &n);
		if (n && (len = norm_host(s, n, &buf, &cap)) > 0)
			map_put(set, buf, len, NULL);
	}
	free(buf);
	if (rc < 0 || rec_status(r))
		exit(EXIT_ERROR);
	rec_close(r);
	return set;
}


/*
 * dlwatch finds executable files that internal clients downloaded from
 * outside: the step of an infection where the dropper fetches its payload.
 * It knows an executable by its name, by the content type the server or
 * the sensor gives it, and by what a sensor found in the file itself, and
 * makes a download from a domain on the watch list more severe.
 */
int
main(int argc, char *argv[])
{
	struct det_opts o;
	struct rec_reader *r;
	struct det *d;
	const struct site *site;
	int c, rc;
	int c_ts, c_src, c_dst, c_dport, c_url, c_mime, c_file, c_msg;
	int c_host, c_user, c_bytes, c_action, c_status;
	char *watch_path = NULL, *hbuf = NULL;
	const char *allow_path = NULL;
	size_t hcap = 0;

	det_opts_init(&o, SYNOPSIS, PURPOSE, opts);
	while ((c = opt_next(argc, argv, opts)) != -1) {
		if (det_opt(&o, c, optarg))
			continue;
		switch (c) {
		case 'A':
			allow_path = optarg;
			break;
		case 'w':
			watch_path = optarg;
			break;
		default:
			det_usage(&o);
		}
	}
	if (o.gap < 0)
		o.gap = 3600 * 1000LL;
	if (watch_path)
		watch = load_watch(watch_path);
	if (allow_path)
		allow = load_hosts(allow_path);

	r = rec_open(argv + optind, argc - optind);
	if (r == NULL)
		return EXIT_ERROR;
	c_ts = rec_need(r, "ts");
	c_src = rec_need(r, "src");
	c_url = rec_need(r, "url");
	c_mime = rec_need(r, "mime");
	c_dst = rec_col(r, "dst");
	c_dport = rec_col(r, "dport");
	c_file = rec_col(r, "file");
	c_msg = rec_col(r, "msg");
	c_host = rec_col(r, "host");
	c_user = rec_col(r, "user");
	c_bytes = rec_col(r, "bytes");
	c_action = rec_col(r, "action");
	c_status = rec_col(r, "status");

	d = det_new(&o, sizeof(struct dev), process, NULL);
	site = det_site(d);
	chk = det_check(d, "dlwatch.exe", "medium", o.gap,
	    sizeof(struct epdata));
	det_check_on_close(chk, on_close, NULL);

	while ((rc = rec_next(r)) == 1) {
		struct dev ev;
		char ext[24], mime[128], what[512];
		const char *s, *magic = NULL;
		size_t n, el = 0, ml = 0, hl, wl = 0;
		int64_t t;
		struct ip_addr a, b;
		int has_a, has_b;

		if (det_ts(d, r, c_ts, &t) != 0)
			continue;
		memset(&ev, 0, sizeof ev);
		ev.type = EV_TICK;
		ev.bytes = -1;

		/* the evidence: name, declared or sniffed type, content */
		s = rec_get(r, c_url, &n);
		el = name_ext(s, n, 1, ext, sizeof ext);
		if (el && !strv_has(exec_ext, ext, el))
			el = 0;
		if (el == 0) {
			s = rec_get(r, c_file, &n);
			el = name_ext(s, n, 0, ext, sizeof ext);
			if (el && !strv_has(exec_ext, ext, el))
				el = 0;
		}
		s = rec_get(r, c_mime, &n);
		ml = mime_norm(s, n, mime, sizeof mime);
		if (ml && !strv_has(exec_mime, mime, ml))
			ml = 0;
		s = rec_get(r, c_msg, &n);
		magic = magic_match(s, n);
		if (el == 0 && ml == 0 && magic == NULL)
			goto push;

		/* a successful transfer (blocked and failed ones are not
		 * downloads) */
		s = rec_get(r, c_action, &n);
		if (det_refused(s, n))
			goto push;
		s = rec_get(r, c_status, &n);
		if (n && !(n == 3 && s[0] == '2'))
			goto push;

		/* from outside to an inside client, whichever way round the
		 * record names them (Zeek files: src is the sender) */
		has_a = det_addr(r, c_src, &a) == 0;
		has_b = det_addr(r, c_dst, &b) == 0;
		if (has_a && site_is_ours(site, &a) && !(has_b &&
		    site_is_ours(site, &b))) {
			ev.client = a;
			ev.server = b;
			ev.has_server = has_b;
			ev.dport = det_port(r, c_dport);
		} else if (has_b && site_is_ours(site, &b) && has_a &&
		    !site_is_ours(site, &a)) {
			ev.client = b;
			ev.server = a;
			ev.has_server = 1;
			ev.dport = -1;	/* the client's port, not the server's */
		} else
			goto push;
		if (site_has_role(site, &ev.client, "proxy") ||
		    site_has_role(site, &ev.client, "update"))
			goto push;
		s = rec_get(r, c_host, &n);
		hl = norm_host(s, n, &hbuf, &hcap);
		if (hl && suffix_in(allow, hbuf, hl))
			goto push;
		ev.watched = hl && suffix_in(watch, hbuf, hl);
		ev.host = hl ? xstrndup(hbuf, hl) : NULL;
		s = rec_get(r, c_user, &n);
		ev.user = n ? xstrndup(s, n) : NULL;
		s = rec_get(r, c_bytes, &n);
		{
			long long v;

			if (n && parse_num_span(s, n, 0, INT64_MAX, &v) == 0)
				ev.bytes = v;
		}
		s = rec_get(r, c_file, &n);
		if (n == 0)
			s = rec_get(r, c_url, &n);
		{
			/* cut long names at a character boundary */
			size_t cut = n;

			if (cut > 200) {
				cut = 200;
				while (cut > 0 && ((unsigned char)s[cut] &
				    0xc0) == 0x80)
					cut--;
			}
			wl = (size_t)snprintf(what, sizeof what, "%s%.*s%s: ",
			    ev.watched ? "from a watch-list domain: " : "",
			    (int)cut, s, cut < n ? "..." : "");
		}
		if (el && wl < sizeof what)
			wl += (size_t)snprintf(what + wl, sizeof what - wl,
			    "name .%s", ext);
		if (ml && wl < sizeof what)
			wl += (size_t)snprintf(what + wl, sizeof what - wl,
			    "%stype %s", el ? ", " : "", mime);
		if (magic && wl < sizeof what)
			snprintf(what + wl, sizeof what - wl, "%scontent %s",
			    el || ml ? ", " : "", magic);
		ev.what = xstrdup(what);
		ev.type = EV_DOWNLOAD;
push:
		if (det_push(d, t, &ev) != 0) {
			free(ev.host);
			free(ev.user);
			free(ev.what);
		}
	}
	rc = det_finish(d, rc < 0 ? EXIT_ERROR : rec_status(r));
	rec_close(r);
	free(hbuf);
	if (watch)
		map_free(watch);
	if (allow)
		map_free(allow);
	return rc;
}
