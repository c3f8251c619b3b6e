/*
 * The one tidy CSV layout that cassim run --csv, cassim compare (results.csv),
 * cassim sweep (results.csv) and cassim sweep --report-csv write:
 *
 *   topology,workload,parameters,policy,seed,scope,process,metric,stat,unit,value,text
 *
 * one row per run (or, in --report-csv, per cell of seeds) and metric:
 *   topology, workload  their names (one given as a file: the file's name
 *               without its directory and .xml or .json);
 *   parameters  the run's KEY=VALUE settings joined by ';' (run's and
 *               compare's --set, a sweep's axis values), empty when none;
 *   seed        the run's seed; empty on a row that summarises seeds;
 *   scope       bench (the workload's metrics), total (the whole run) or
 *               process (one process, named in process; a process called
 *               "total" stays apart from the total scope);
 *   stat        value for a run's value; n, mean, sd, change_pct, p,
 *               p_holm, hedges_g, mark, better or verdict on a --report-csv
 *               row, which summarises the seeds of one cell;
 *   unit        the value's unit (ns, us, fraction, %, ...; empty for a
 *               count): names never carry one;
 *   value       a number printed shortest-round-trip (the fewest digits
 *               that read back as the same double; an integral value below
 *               2^53 in full); empty when missing;
 *   text        the text of a non-numeric row (the policy's verdict, a
 *               significance mark, "higher"/"lower"), else empty.
 * The header is the same for every verb, so the CSVs of several machines or
 * verbs concatenate (header lines aside) without editing.
 */
#ifndef CASSIM_REPORT_TIDY_H
#define CASSIM_REPORT_TIDY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#define TIDY_HEADER "topology,workload,parameters,policy,seed,scope,process,metric,stat,unit,value,text"
#define TIDY_NR_COLS 12
/* TIDY_HEADER's names, in order */
extern const char *const tidy_columns[TIDY_NR_COLS];

/* Which run (or cell of runs) a row belongs to. */
struct tidy_key {
	const char *topology, *workload, *parameters, *policy;
	uint64_t seed;
	bool has_seed;      /* false: a summary of seeds (seed left empty) */
};

void tidy_header(FILE *f);
/* One row; @v NaN or infinite: an empty value; @text NULL: empty. */
void tidy_row(FILE *f, const struct tidy_key *k, const char *scope, const char *process, const char *metric,
	      const char *stat, const char *unit, double v, const char *text);
/* @v with the fewest significant digits (1..17) that strtod reads back as
 * @v exactly, as Python's repr does: 2.002, never 2.0019999999999998; an
 * integral value below 2^53 as an integer (50000000, not 5e+07). */
void tidy_number(char *buf, size_t len, double v);
/* "k1=v1;k2=v2" from @n pairs into @buf (a pair with a NULL value is left
 * out). */
void tidy_parameters(char *buf, size_t len, const char **keys, const char **values, int n);

#endif
