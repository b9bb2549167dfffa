/*
 * report internals.  report.c reads the inputs and writes the summary and
 * the spreadsheet CSV; table.c holds record files in memory; html.c is the
 * only writer of markup (escaping, charts, tables); sections.c lays out
 * the page's sections.
 */
#ifndef REPORT_H
#define REPORT_H

#include <stddef.h>
#include <stdio.h>

/* ---- inputs: what each file of a day holds, known by its name ---- */

enum role {
	R_ALERTS, R_TRAFFIC, R_PORTS, R_DEST, R_RARE, R_NIGHT, R_DMZ,
	R_FNIGHT, R_FWEEKEND, R_FCONF, R_FDEL, R_FCOPY, R_NROLES
};

struct role_info {
	const char	*file;		/* the name the daily pipeline writes */
	const char	*title;
	const char	*what;		/* how it is made */
};
extern const struct role_info roles[R_NROLES];

/* A record file held in memory: cells in their escaped record form. */
struct table {
	char		*path;
	int		 ncols;
	char		**cols;
	size_t		 nrows;
	size_t		*off;		/* nrows * ncols offsets into text */
	size_t		 offcap;
	char		*text;
	size_t		 tlen, tcap;
};

/* ---- table.c ---- */

/* cell: the text of a cell ("" for column -1); owned by the table. */
const char *cell(const struct table *t, size_t row, int col);
/* colidx: index of a column by name, or -1. */
int colidx(const struct table *t, const char *name);
/* table_add: append the records of path (the first file fixes the
 * columns); 0, or 2 after reporting an error. */
int table_add(struct table *t, const char *path);
void table_free(struct table *t);
/* num: a non-negative count, 0 when s is not one; is_num: s is one. */
long long num(const char *s);
int is_num(const char *s);
/* sat_add: a + b, stopping at the largest count. */
long long sat_add(long long a, long long b);
/* sev_rank: critical 5 .. info 1, anything else 0. */
int sev_rank(const char *s);
/* deny_like: the action denied (deny, drop, reject, block). */
int deny_like(const char *action);

/* ---- html.c ---- */

extern FILE *html;	/* the page being written */
/* html_text: s with & < > " ' escaped, for text and attributes alike. */
void html_text(FILE *fp, const char *s);
/* html_short: html_text cut to about max bytes at a character boundary. */
void html_short(FILE *fp, const char *s, size_t max);
/* html_head: the document head with its style sheet, the title and the
 * period line. */
void html_head(const char *title, const char *period);

/* A horizontal bar chart of up to n (label, value) pairs. */
struct bar {
	const char	*label;
	long long	 value;
	const char	*cls;		/* "b" or "d" */
};
void svg_bars(const char *title, const struct bar *bars, size_t n);

/* Stacked columns over time bins: total with its denied part. */
struct tbin {
	const char	*bin;
	long long	 all, denied;
};
void svg_timeline(const struct tbin *b, size_t n);

/* html_table: rows (or 0..n-1 when rows is NULL) by the columns cols;
 * rows rated high or critical in column sevcol are coloured. */
void html_table(const struct table *t, const size_t *rows, size_t n,
    const int *cols, int ncols, int sevcol);

/* ---- sections.c ---- */

/* The alerts of every alert input, and the episodes to report in order. */
struct alerts {
	struct table	 t;
	int		 c[13];		/* the alert columns, by name */
	size_t		*rows;		/* the closed episodes, ordered */
	size_t		 n;
};

enum { A_TS, A_RULE, A_SEV, A_SRC, A_DST, A_DPORT, A_HOST, A_USER, A_COUNT,
	A_FIRST, A_LAST, A_DETAIL, A_STATE };
extern const char *const alert_cols[13];

/* A label and its summed count (ports, kinds). */
struct port {
	char		*label;
	long long	 count;
};

/* A key and how many alerts have it. */
struct kc {
	const char	*key;
	long long	 n;
};

extern int top_n;		/* rows of each ranking */
extern long long sev_count[6];	/* reported alerts by sev_rank */

/* value_col: a ranking's number column (count, else requests), or -1. */
int value_col(const struct table *t);
/* row_label: the label of row r, the columns before vcol (caller frees). */
char *row_label(const struct table *t, size_t r, int vcol);
/* rank_order: row indexes in ranking order (caller frees). */
size_t *rank_order(const struct table *t, int vcol);
/* The page's sections; t NULL when the input is absent. */
void ranking(enum role ro, const struct table *t, const char *empty);
void traffic(const struct table *t);
void ports(const struct table *t);
/* denied_ports: the denied rows summed by port/proto, largest first, into
 * *out (caller frees the array and each label); returns how many. */
size_t denied_ports(const struct table *t, struct port **out);
/* alerts_prepare: pick the episodes to report and order them. */
void alerts_prepare(struct alerts *a);
/* alerts_by: reported alerts counted by column col, largest first, into
 * *out (caller frees); returns how many keys. */
size_t alerts_by(const struct alerts *a, int col, struct kc **out);
void alerts_section(const struct alerts *a, size_t max_rows);

#endif
