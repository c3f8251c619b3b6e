/*
 * Running sums of update_sg_lb_stats()'s per-CPU terms (sg_add_cpu():
 * cpu_load, cpu_util, cpu_runnable, h_nr_runnable, nr_running, idle_cpu
 * and "nr_running > 1") for every distinct group span of the domains.
 *
 * The kernel sums a group by walking its CPUs on every balance; the model
 * did too, which made a balance at the top of a 2,048-CPU machine visit
 * every CPU.  The sums are of integers, so keeping them as the CPUs change
 * gives the walk's result exactly: a CPU whose terms may have changed is
 * marked (grpsum_touch(), by whoever writes those rq fields), and the next
 * read adds each marked CPU's change to the groups that hold it.  A pure
 * optimisation: the model reads the same values.
 *
 * Build with -DGRPSUM_CHECK to compare every read with the walk.
 */
#ifndef CASSIM_SCHED_GRPSUM_H
#define CASSIM_SCHED_GRPSUM_H

#include <stdbool.h>

#include "base/cpumask.h"

struct sched;
struct sd_group_tmpl;

/* One CPU's terms, or their sum over a group. */
struct grp_terms {
	unsigned long load, util, runnable;
	unsigned int h_nr_runnable, nr_running, idle_cpus, overloaded;
};

struct grpsum {
	struct grp_terms *sum;  /* [sdt->nr_gids] */
	struct grp_terms *cpu;  /* [nr_cpus]: each CPU's terms as last added */
	int *dirty;             /* [nr_cpus]: CPUs marked since the last read */
	int nr_dirty;
	bool *is_dirty;         /* [nr_cpus] */
	struct cpumask runnable;/* CPUs with h_nr_runnable > 0, as last read */
};

/* Set up @s->gsum from @s's runqueues as they are. */
void grpsum_init(struct sched *s);
void grpsum_fini(struct grpsum *g);

/* @cpu's runqueue changed a term (its averages, nr_running, h_nr_runnable
 * or curr). */
static inline void grpsum_touch(struct grpsum *g, int cpu)
{
	if (!g->is_dirty[cpu]) {
		g->is_dirty[cpu] = true;
		g->dirty[g->nr_dirty++] = cpu;
	}
}

/* Add the marked CPUs' changes to the sums (group_terms() in sched.h
 * reads them). */
void grpsum_flush(struct sched *s);
#ifdef GRPSUM_CHECK
/* Abort unless the sums of @grp are those of the walk. */
void grpsum_check(struct sched *s, const struct sd_group_tmpl *grp);
#endif

/* The CPUs whose h_nr_runnable is above 0 now; s->gsum.cpu[] then holds
 * every CPU's terms as they are now. */
const struct cpumask *grpsum_runnable(struct sched *s);

#endif
