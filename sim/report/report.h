/* Report writers for one run's results: human text, JSON, CSV. */
#ifndef CASSIM_REPORT_REPORT_H
#define CASSIM_REPORT_REPORT_H

#include <jansson.h>
#include <stdio.h>

#include "base/diag.h"
#include "report/metrics.h"

/* Readable summary: per process and total (work, CPU time, runqueue wait,
 * wakeup latency p50/p99/p99.9, migrations by level), CPU utilisation
 * spread, load-balance counters per domain level, events and wall time. */
void report_text(FILE *f, const struct results *r);

/* Results as a JSON object; @config (borrowed) is embedded as "config" so a
 * result file can be re-run.  Deterministic: no wall time, fixed key order. */
json_t *report_json(const struct results *r, json_t *config);

/* JSON: report_json() pretty-printed in insertion order; -1 if it cannot
 * be built or written.  CSV: the tidy layout of report/tidy.h, one row
 * per metric of the run @k names (write errors stay in @f's error flag, for
 * afile_finish()). */
int report_dump_json(FILE *f, const struct results *r, json_t *config);
struct tidy_key;
void report_csv(FILE *f, const struct results *r, const struct tidy_key *k);

/* One CSV field, quoted per RFC 4180 only when needed. */
void report_csv_field(FILE *f, const char *s);

#endif
