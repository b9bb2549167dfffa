/*
 * jansson helpers shared by the JSON parsers of the sensor and file-audit
 * families (EVE, Zeek JSON, Windows JSON exports).  Values are copied into
 * the event's arena so the caller can json_decref before returning.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "ids.h"
#include "ip.h"
#include "tm.h"
#include "util.h"

json_t *
jx_get(json_t *o, const char *path)
{
	const char *dot;
	char *key;
	json_t *v;

	if (o == NULL || !json_is_object(o))
		return NULL;
	if ((v = json_object_get(o, path)) != NULL)
		return v;
	if ((dot = strchr(path, '.')) == NULL)
		return NULL;
	key = xstrndup(path, dot - path);
	v = json_object_get(o, key);
	free(key);
	return jx_get(v, dot + 1);
}

json_t *
jx_getci(json_t *o, const char *key)
{
	const char *k;
	json_t *v;

	if (o == NULL || !json_is_object(o))
		return NULL;
	if ((v = json_object_get(o, key)) != NULL)
		return v;
	json_object_foreach(o, k, v)
		if (strcasecmp(k, key) == 0)
			return v;
	return NULL;
}

int
jx_text(struct ev *e, int col, json_t *v)
{
	const char *s;
	size_t n;

	if (v == NULL)
		return 0;
	switch (json_typeof(v)) {
	case JSON_STRING:
		s = json_string_value(v);
		n = json_string_length(v);
		if (n == 0 || (n == 1 && s[0] == '-') ||
		    (n == 7 && memcmp(s, "(empty)", 7) == 0))
			return 0;
		ev_copy(e, col, s, n);
		return 1;
	case JSON_INTEGER:
		ev_printf(e, col, "%" JSON_INTEGER_FORMAT,
		    json_integer_value(v));
		return 1;
	case JSON_REAL:
		ev_printf(e, col, "%.17g", json_real_value(v));
		return 1;
	case JSON_TRUE:
		ev_setz(e, col, "true");
		return 1;
	case JSON_FALSE:
		ev_setz(e, col, "false");
		return 1;
	default:
		return 0;
	}
}

int
jx_int(json_t *v, long long *out)
{
	if (v == NULL)
		return -1;
	if (json_is_integer(v)) {
		*out = json_integer_value(v);
		return 0;
	}
	if (json_is_string(v))
		return parse_num_span(json_string_value(v),
		    json_string_length(v), INT64_MIN, INT64_MAX, out);
	return -1;
}

int
jx_time(json_t *v, int64_t *ms)
{
	const char *s;
	size_t n;
	double d;
	long long x;

	if (v == NULL)
		return -1;
	if (json_is_number(v)) {
		d = json_number_value(v);
		/* Beyond year 9999 or before 1900 is not a log stamp. */
		if (!(d > -2208988800.0 && d < 253402300800.0))
			return -1;
		*ms = (int64_t)(d * 1000.0 + (d >= 0 ? 0.0005 : -0.0005));
		return 0;
	}
	if (!json_is_string(v))
		return -1;
	s = json_string_value(v);
	n = json_string_length(v);
	/* PowerShell's ConvertTo-Json writes DateTime as "/Date(ms)/". */
	if (n > 8 && memcmp(s, "/Date(", 6) == 0) {
		size_t i = 6, j;

		j = i + (s[i] == '-');
		while (j < n && s[j] >= '0' && s[j] <= '9')
			j++;
		if (parse_num_span(s + i, j - i, -62135596800000LL,
		    253402300799999LL, &x) < 0)
			return -1;
		*ms = x;
		return 0;
	}
	/* Windows writes seven fraction digits; tm_parse truncates. */
	return tm_parse(s, n, 0, ms);
}

int
jx_addr(struct ev *e, int col, json_t *v)
{
	char buf[IP_STRLEN];
	size_t n;

	if (v == NULL || !json_is_string(v))
		return -1;
	n = ip_canon(json_string_value(v), json_string_length(v), buf);
	if (n == 0)
		return -1;
	ev_copy(e, col, buf, n);
	return 0;
}

int
jx_looks(const char *s, size_t n, const char *lit)
{
	size_t i = 0;

	while (i < n && (s[i] == ' ' || s[i] == '\t'))
		i++;
	if (i >= n || s[i] != '{')
		return 0;
	return memmem_lit(s + i, n - i, lit) != NULL;
}

void
ev_lower(struct ev *e, int col, const char *s, size_t n)
{
	char *d;
	size_t i;

	if (n == 0)
		return;
	d = ev_alloc(e, n);
	for (i = 0; i < n; i++)
		d[i] = (s[i] >= 'A' && s[i] <= 'Z') ? s[i] + 32 : s[i];
	ev_set(e, col, d, n);
}

void
ev_dur_ms(struct ev *e, int col, int64_t ms)
{
	if (ms < 0)
		return;
	ev_printf(e, col, "%" PRId64 ".%03d", ms / 1000, (int)(ms % 1000));
}

/* libmagic descriptions that matter for download watching, by prefix. */
static const struct {
	const char	*prefix;
	const char	*mime;
} magic_tab[] = {
	{ "PE32", "application/x-dosexec" },
	{ "MS-DOS executable", "application/x-dosexec" },
	{ "ELF", "application/x-executable" },
	{ "Mach-O", "application/x-mach-binary" },
	{ "Zip archive", "application/zip" },
	{ "Java archive", "application/java-archive" },
	{ "Microsoft Cabinet", "application/vnd.ms-cab-compressed" },
	{ "Composite Document File", "application/x-ole-storage" },
	{ "Microsoft Word", "application/msword" },
	{ "Microsoft Excel", "application/vnd.ms-excel" },
	{ "PDF document", "application/pdf" },
	{ "gzip compressed", "application/gzip" },
	{ "RAR archive", "application/x-rar" },
	{ "7-zip archive", "application/x-7z-compressed" },
	{ "HTML document", "text/html" },
	{ "XML", "text/xml" },
	{ "JSON", "application/json" },
	{ "PNG image", "image/png" },
	{ "JPEG image", "image/jpeg" },
	{ "GIF image", "image/gif" },
	{ "ASCII text", "text/plain" },
	{ "UTF-8 Unicode", "text/plain" },
	{ "Macromedia Flash", "application/x-shockwave-flash" },
	{ "Windows shortcut", "application/x-ms-shortcut" },
	{ "MS Windows shortcut", "application/x-ms-shortcut" },
	{ "Bourne-Again shell script", "text/x-shellscript" },
	{ "POSIX shell script", "text/x-shellscript" },
	{ "data", "application/octet-stream" },
};

const char *
magic_mime(const char *s, size_t n)
{
	size_t i, k;

	for (i = 0; i < sizeof(magic_tab) / sizeof(magic_tab[0]); i++) {
		k = strlen(magic_tab[i].prefix);
		if (n >= k && memcmp(s, magic_tab[i].prefix, k) == 0 &&
		    (n == k || s[k] == ' ' || s[k] == ',' || s[k] == '+'))
			return magic_tab[i].mime;
	}
	return NULL;
}
