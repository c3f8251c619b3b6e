/* Report writers for one run's results: human text, JSON, CSV. */
#ifndef CASSIM_OUT_REPORT_H
#define CASSIM_OUT_REPORT_H

#include <jansson.h>
#include <stdio.h>

#include "base/diag.h"
#include "out/metrics.h"

/* Readable summary: per process and total (work, CPU time, runqueue wait,
 * wakeup latency p50/p99/p99.9, migrations by level), CPU utilisation
 * spread, load-balance counters per domain level, events and wall time. */
void report_text(FILE *f, const struct results *r);

/* Results as a JSON object; @config (borrowed) is embedded as "config" so a
 * result file can be re-run.  Deterministic: no wall time, fixed key order. */
json_t *report_json(const struct results *r, json_t *config);

/* Atomic writes (temp + rename).  JSON: report_json() pretty-printed with
 * sorted-insertion order.  CSV: tidy, one row per (process, metric):
 * scope,metric,value  with scope "total" or the process name. */
int report_write_json(const char *path, const struct results *r, json_t *config, struct diag *err);
int report_write_csv(const char *path, const struct results *r, struct diag *err);

/* One CSV field, quoted per RFC 4180 only when needed. */
void report_csv_field(FILE *f, const char *s);

#endif
