/* Running sums of sg_add_cpu() per group span: see sched/grpsum.h. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/xalloc.h"
#include "sched/grpsum.h"
#include "sched/sched.h"

/* The terms sg_add_cpu() adds for @rq. */
static struct grp_terms cpu_terms(const struct rq *rq)
{
	return (struct grp_terms){
		.load = cpu_load(rq),
		.util = cpu_util(rq),
		.runnable = cpu_runnable(rq),
		.h_nr_runnable = (unsigned)rq->h_nr_runnable,
		.nr_running = (unsigned)rq->nr_running,
		.idle_cpus = idle_cpu(rq),
		.overloaded = rq->nr_running > 1,
	};
}

/* Add @d (unsigned: a decrease wraps, the sum stays exact) to every group
 * holding @cpu. */
static void add_to_groups(struct sched *s, int cpu, const struct grp_terms *d)
{
	const struct sd_topology *t = s->sdt;

	for (int k = t->cpu_gids_off[cpu]; k < t->cpu_gids_off[cpu + 1]; k++) {
		struct grp_terms *g = &s->gsum.sum[t->cpu_gids[k]];

		g->load += d->load;
		g->util += d->util;
		g->runnable += d->runnable;
		g->h_nr_runnable += d->h_nr_runnable;
		g->nr_running += d->nr_running;
		g->idle_cpus += d->idle_cpus;
		g->overloaded += d->overloaded;
	}
}

void grpsum_init(struct sched *s)
{
	struct grpsum *g = &s->gsum;

	g->sum = xcalloc((size_t)s->sdt->nr_gids + 1, sizeof(*g->sum));
	g->cpu = xcalloc((size_t)s->nr_cpus, sizeof(*g->cpu));
	g->dirty = xcalloc((size_t)s->nr_cpus, sizeof(*g->dirty));
	g->is_dirty = xcalloc((size_t)s->nr_cpus, sizeof(*g->is_dirty));
	g->nr_dirty = 0;
	for (int c = 0; c < s->nr_cpus; c++) {
		g->cpu[c] = cpu_terms(&s->rq[c]);
		add_to_groups(s, c, &g->cpu[c]);
		if (g->cpu[c].h_nr_runnable)
			cpumask_set(&g->runnable, c);
	}
}

void grpsum_fini(struct grpsum *g)
{
	free(g->sum);
	free(g->cpu);
	free(g->dirty);
	free(g->is_dirty);
}

void grpsum_flush(struct sched *s)
{
	struct grpsum *g = &s->gsum;

	for (int k = 0; k < g->nr_dirty; k++) {
		int c = g->dirty[k];
		struct grp_terms now = cpu_terms(&s->rq[c]), *was = &g->cpu[c], d;

		g->is_dirty[c] = false;
		d = (struct grp_terms){
			.load = now.load - was->load,
			.util = now.util - was->util,
			.runnable = now.runnable - was->runnable,
			.h_nr_runnable = now.h_nr_runnable - was->h_nr_runnable,
			.nr_running = now.nr_running - was->nr_running,
			.idle_cpus = now.idle_cpus - was->idle_cpus,
			.overloaded = now.overloaded - was->overloaded,
		};
		if (d.load | d.util | d.runnable | d.h_nr_runnable | d.nr_running | d.idle_cpus |
		    d.overloaded)
			add_to_groups(s, c, &d);
		if (d.h_nr_runnable) {
			if (now.h_nr_runnable)
				cpumask_set(&g->runnable, c);
			else
				cpumask_unset(&g->runnable, c);
		}
		*was = now;
	}
	g->nr_dirty = 0;
}

#ifdef GRPSUM_CHECK
void grpsum_check(struct sched *s, const struct sd_group_tmpl *grp)
{
	const struct grp_terms *got = &s->gsum.sum[grp->id];
	struct sg_lb_stats w = { 0 };
	unsigned int over = 0;

	for_each_group_cpu(i, grp) {
		sg_add_cpu(&w, &s->rq[i]);
		over += s->rq[i].nr_running > 1;
	}
	if (w.group_load != got->load || w.group_util != got->util ||
	    w.group_runnable != got->runnable || w.sum_h_nr_running != got->h_nr_runnable ||
	    w.sum_nr_running != got->nr_running || w.idle_cpus != got->idle_cpus ||
	    over != got->overloaded) {
		fprintf(stderr, "grpsum: group %d (cpus %d-%d) out of date\n", grp->id,
			grp->first_cpu, grp->last_cpu);
		abort();
	}
}
#endif

const struct cpumask *grpsum_runnable(struct sched *s)
{
	if (s->gsum.nr_dirty)
		grpsum_flush(s);
	return &s->gsum.runnable;
}
