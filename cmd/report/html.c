/*
 * report: the only code that writes markup.  Every value from a log goes
 * through html_text() or html_short(); nothing else prints a value.
 */
#include <err.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rec.h"
#include "util.h"
#include "report.h"

FILE *html;

/* html_text: s with & < > " ' as entities: safe in text and in quoted
 * attribute values, SVG included. */
void
html_text(FILE *fp, const char *s)
{
	for (; *s; s++)
		switch (*s) {
		case '&':
			fputs("&amp;", fp);
			break;
		case '<':
			fputs("&lt;", fp);
			break;
		case '>':
			fputs("&gt;", fp);
			break;
		case '"':
			fputs("&quot;", fp);
			break;
		case '\'':
			fputs("&#39;", fp);
			break;
		default:
			putc(*s, fp);
		}
}

/* html_short: like html_text, cut to about max bytes at a UTF-8
 * character boundary, with an ellipsis. */
void
html_short(FILE *fp, const char *s, size_t max)
{
	size_t n = strlen(s);
	char *cut;

	if (n <= max) {
		html_text(fp, s);
		return;
	}
	while (max > 0 && ((unsigned char)s[max] & 0xc0) == 0x80)
		max--;
	cut = xstrndup(s, max);
	html_text(fp, cut);
	fputs("\xe2\x80\xa6", fp);
	free(cut);
}

static const char css[] =
    "body{font:14px/1.4 sans-serif;margin:1.5em auto;max-width:80em;"
    "color:#222;padding:0 1em}\n"
    "h1{font-size:1.6em;margin-bottom:0}h2{border-bottom:1px solid #ccc;"
    "margin-top:2em}\n"
    "table{border-collapse:collapse;font-size:12px;margin:.5em 0}\n"
    "td,th{border:1px solid #ddd;padding:2px 6px;text-align:left;"
    "vertical-align:top;max-width:40em;overflow-wrap:break-word}\n"
    "th{background:#f2f2f2}td.n{text-align:right}\n"
    ".sev-critical{background:#f8c4c4}.sev-high{background:#fbdcc0}"
    ".sev-medium{background:#fcf3c4}\n"
    ".note{color:#666;font-size:12px}.box{display:inline-block;"
    "border:1px solid #ccc;padding:.4em .8em;margin:.2em;min-width:6em}\n"
    ".box b{display:block;font-size:1.5em}.wide{overflow-x:auto}\n"
    "summary{cursor:pointer;margin:.5em 0}\n"
    "svg text{font:11px sans-serif;fill:#333}svg .b{fill:#4a78b0}"
    "svg .d{fill:#c0392b}svg .a{stroke:#999}\n";

void
html_head(const char *title, const char *period)
{
	fputs("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n"
	    "<meta charset=\"utf-8\">\n"
	    "<meta http-equiv=\"Content-Security-Policy\" content=\""
	    "default-src 'none'; style-src 'unsafe-inline'; img-src data:\">\n"
	    "<meta name=\"viewport\" content=\"width=device-width\">\n"
	    "<title>", html);
	html_text(html, title);
	fprintf(html, "</title>\n<style>\n%s</style>\n</head>\n<body>\n<h1>",
	    css);
	html_text(html, title);
	fputs("</h1>\n<p class=\"note\">", html);
	html_text(html, period);
	fputs("</p>\n", html);
}


void
svg_bars(const char *title, const struct bar *bars, size_t n)
{
	long long max = 1;
	size_t i;
	int h = 20 * (int)n + 10;

	for (i = 0; i < n; i++)
		if (bars[i].value > max)
			max = bars[i].value;
	fprintf(html, "<svg xmlns=\"http://www.w3.org/2000/svg\" "
	    "class=\"chart bars\" width=\"760\" height=\"%d\" "
	    "viewBox=\"0 0 760 %d\" role=\"img\" aria-label=\"", h, h);
	html_text(html, title);
	fputs("\">\n<title>", html);
	html_text(html, title);
	fputs("</title>\n", html);
	for (i = 0; i < n; i++) {
		int y = 5 + 20 * (int)i;
		int w = (int)(440.0 * (double)bars[i].value / (double)max);

		fprintf(html, "<text x=\"0\" y=\"%d\">", y + 12);
		html_short(html, bars[i].label, 44);
		fprintf(html, "</text><rect class=\"%s\" x=\"250\" y=\"%d\" "
		    "width=\"%d\" height=\"15\"><title>", bars[i].cls, y,
		    w > 0 ? w : 1);
		html_text(html, bars[i].label);
		fprintf(html, ": %lld</title></rect><text x=\"%d\" y=\"%d\">"
		    "%lld</text>\n", bars[i].value, 256 + w, y + 12,
		    bars[i].value);
	}
	fputs("</svg>\n", html);
}


void
svg_timeline(const struct tbin *b, size_t n)
{
	long long max = 1;
	size_t i;
	double w;
	const int x0 = 60, pw = 690, ph = 170, y0 = 10;

	for (i = 0; i < n; i++)
		if (b[i].all > max)
			max = b[i].all;
	w = (double)pw / (double)(n ? n : 1);
	fputs("<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"chart "
	    "timeline\" width=\"760\" height=\"220\" viewBox=\"0 0 760 220\" "
	    "role=\"img\" aria-label=\"Events and denies per hour\">\n"
	    "<title>Events and denies per hour</title>\n", html);
	fprintf(html, "<line class=\"a\" x1=\"%d\" y1=\"%d\" x2=\"%d\" "
	    "y2=\"%d\"/>\n<text x=\"0\" y=\"%d\">%lld</text>\n"
	    "<text x=\"0\" y=\"%d\">0</text>\n", x0, y0 + ph, x0 + pw, y0 + ph,
	    y0 + 10, max, y0 + ph);
	for (i = 0; i < n; i++) {
		double x = x0 + w * (double)i;
		double ha = (double)ph * (double)b[i].all / (double)max;
		double hd = (double)ph * (double)b[i].denied / (double)max;
		size_t bl = strlen(b[i].bin);

		fprintf(html, "<rect class=\"b\" x=\"%.1f\" y=\"%.1f\" "
		    "width=\"%.1f\" height=\"%.1f\"><title>", x,
		    y0 + ph - ha, w * 0.85, ha);
		html_text(html, b[i].bin);
		fprintf(html, ": %lld events, %lld denied</title></rect>",
		    b[i].all, b[i].denied);
		if (b[i].denied)
			fprintf(html, "<rect class=\"d\" x=\"%.1f\" y=\"%.1f\" "
			    "width=\"%.1f\" height=\"%.1f\"/>", x,
			    y0 + ph - hd, w * 0.85, hd);
		/* label the hours of a bin text "YYYY-MM-DDTHH:..." */
		if (bl >= 13 && (n <= 24 || (i % 3) == 0)) {
			char hh[3] = { b[i].bin[11], b[i].bin[12], '\0' };

			fprintf(html, "<text x=\"%.1f\" y=\"%d\">", x,
			    y0 + ph + 14);
			html_text(html, hh);
			fputs("</text>", html);
			if (strcmp(hh, "00") == 0 || i == 0) {
				char day[6];

				memcpy(day, b[i].bin + 5, 5);
				day[5] = '\0';
				fprintf(html, "<text x=\"%.1f\" y=\"%d\">", x,
				    y0 + ph + 28);
				html_text(html, day);
				fputs("</text>", html);
			}
		}
		putc('\n', html);
	}
	fputs("</svg>\n<p class=\"note\">Blue: all events in the hour; red: "
	    "denied, dropped, rejected or blocked.</p>\n", html);
}

/* A table of the given rows and columns of t. */
void
html_table(const struct table *t, const size_t *rows, size_t n,
    const int *cols, int ncols, int sevcol)
{
	size_t i;
	int j;

	fputs("<table>\n<tr>", html);
	for (j = 0; j < ncols; j++) {
		fputs("<th>", html);
		html_text(html, cols[j] >= 0 ? t->cols[cols[j]] : "");
		fputs("</th>", html);
	}
	fputs("</tr>\n", html);
	for (i = 0; i < n; i++) {
		size_t r = rows ? rows[i] : i;

		if (sevcol >= 0 && sev_rank(cell(t, r, sevcol)) >= 3) {
			fputs("<tr class=\"sev-", html);
			html_text(html, cell(t, r, sevcol));
			fputs("\">", html);
		} else
			fputs("<tr>", html);
		for (j = 0; j < ncols; j++) {
			const char *v = cell(t, r, cols[j]);

			fputs(is_num(v) ? "<td class=\"n\">" : "<td>", html);
			html_short(html, v, 300);
			fputs("</td>", html);
		}
		fputs("</tr>\n", html);
	}
	fputs("</table>\n", html);
}
