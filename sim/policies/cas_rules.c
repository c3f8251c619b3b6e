/*
 * Cache Aware Scheduling: the pure rules of CAS.md §2 (no scheduler state),
 * used by cas.c and tested one by one in tests/unit/test_cas.c:
 * can_migrate_llc() and its fits/greater helpers (§2.8), the gates' scale
 * and arithmetic (§2.5), the nr_running_avg EWMA and the preferred-LLC
 * switch rule (§2.4), RFC v2's valid_target_cpu() (§2.10), the scan set
 * (§2.12) and the LLC-id allocator (§2.13).
 */
#include "policies/cas.h"
#include "base/xalloc.h"

#include <stdlib.h>
#include <string.h>

bool cas_fits(const struct cas_mig_cfg *m, unsigned long util, unsigned long cap)
{
	uint64_t pct = (uint64_t)MAX(m->overaggr_pct, 0);

	if (m->smt_div && m->smt > 1)
		pct /= (uint64_t)m->smt;
	if (m->nonsmt_75 && m->smt <= 1)
		pct = pct * 3 / 2;
	return (uint64_t)util * 100 < (uint64_t)cap * pct;
}

bool cas_greater(const struct cas_mig_cfg *m, unsigned long u1, unsigned long u2, unsigned long cap)
{
	uint64_t imb = (uint64_t)MAX(m->imb_pct, 0);

	if (m->imb_abs)
		return u1 > u2 && (uint64_t)(u1 - u2) * 100 > (uint64_t)cap * imb;
	return (uint64_t)u1 * 100 > (uint64_t)u2 * (100 + imb);
}

enum cas_mig cas_can_migrate_llc(const struct cas_mig_cfg *m, bool src_ok, unsigned long src_util,
				 unsigned long src_cap, bool dst_ok, unsigned long dst_util,
				 unsigned long dst_cap, unsigned long task_util, bool to_pref)
{
	unsigned long s, d;

	/* get_llc_stats() failed: mig_unrestricted (v1 .. 7.2), RFC v4's
	 * mig_ignore; RFC v3 07/20 answered mig_allow */
	if (!src_ok || !dst_ok)
		return m->no_stats_llc ? CAS_MIG_LLC : CAS_MIG_UNRESTRICTED;
	/* RFC v3 .. v3: both busy judged before the task's utilisation moves */
	if (!m->busy_after_adjust && !cas_fits(m, dst_util, dst_cap) && !cas_fits(m, src_util, src_cap))
		return CAS_MIG_UNRESTRICTED;
	s = src_util > task_util ? src_util - task_util : 0;
	d = dst_util + task_util;
	if (m->busy_after_adjust && !cas_fits(m, d, dst_cap) && !cas_fits(m, s, src_cap))
		return CAS_MIG_UNRESTRICTED;
	if (to_pref) {
		/* do not make the preferred LLC busy and much busier than the source */
		if (!cas_fits(m, d, dst_cap) && cas_greater(m, d, s, dst_cap))
			return CAS_MIG_FORBID;
	} else {
		/* leave the preferred LLC only when it is busy and clearly busier */
		if (cas_fits(m, s, src_cap) || !cas_greater(m, s, d, src_cap))
			return CAS_MIG_FORBID;
	}
	return CAS_MIG_LLC;
}

int64_t cas_tol_scale(int64_t tol, int64_t mul)
{
	if (tol <= 0)
		return 0;
	if (tol >= 100)
		return CAS_SCALE_INF;
	return 1 + (tol - 1) * mul;
}

bool cas_thread_gate(int mode, int64_t nr_running_avg, int smt, int llc_cpus, int64_t scale)
{
	int64_t nr = nr_running_avg * MAX(smt, 1);

	if (mode == CAS_THR_NONE || scale == CAS_SCALE_INF)
		return false;
	if (mode == CAS_THR_STRICT) /* v1 exceed_llc_nr(): nr * smt > scale * llc */
		return nr > scale * llc_cpus;
	/* merged: !fits_capacity(nr * smt, scale * llc), i.e. not below 80 % */
	return !(nr * 1280 < scale * llc_cpus * 1024);
}

bool cas_mem_gate(int mode, double llc_bytes, int64_t scale, double bytes)
{
	double cap;

	if (mode == CAS_MEM_NONE || scale == CAS_SCALE_INF)
		return false;
	cap = llc_bytes * (double)scale;
	if (mode == CAS_MEM_RSS) /* v1 .. v4: llc * scale <= RSS */
		return cap <= bytes;
	return cap < bytes; /* merged: llc_bytes * scale < footprint * PAGE_SIZE */
}

int64_t cas_avg_divisor(int mode, int llc_cpus)
{
	if (mode == CAS_AVG_DIV8)
		return 8;
	return CLAMP(llc_cpus / 4, 2, 8);
}

int64_t cas_ewma(int64_t avg, int64_t sample, int64_t div)
{
	return avg + (sample - avg) / div;
}

/* RFC v2 04/05 valid_target_cpu(): a process with fewer threads than the
 * LLC has CPUs may always aggregate; otherwise not into an LLC at >= 25 %
 * of llc_weight * SCHED_CAPACITY_SCALE or with an average of runnable
 * tasks (sd_share->nr_avg, not the last snapshot) >= 1/3 of its CPUs. */
bool cas_valid_target(int nr_threads, int llc_weight, unsigned long util, int64_t nr_avg)
{
	uint64_t cap = (uint64_t)MAX(llc_weight, 0) * 1024;

	if (nr_threads < llc_weight)
		return true;
	if ((uint64_t)util * 4 >= cap)
		return false;
	return !(nr_avg * 3 >= llc_weight);
}

int cas_switch_pref(bool rule_2x, int cur_cpu, int64_t curr_occ, int best_cpu, int64_t best_occ)
{
	if (!rule_2x)
		return best_cpu < 0 || best_occ < CAS_RFC_FLOOR ? -1 : best_cpu;
	if (best_cpu >= 0 && best_occ > 2 * curr_occ)
		return best_cpu;
	return cur_cpu;
}

void cas_scan_set(const struct topo *t, const struct cpumask *online, int mode, bool numa_on,
		  int preferred_nid, int pref_cpu, int cur_cpu, struct cpumask *out)
{
	bool limit;

	switch (mode) {
	case CAS_SCAN_NODES_ALWAYS: /* v1: from an empty mask, NUMA balancing or not */
		limit = true;
		break;
	case CAS_SCAN_NODES_NUMA:   /* v4: only with NUMA balancing and a preferred node */
		limit = numa_on && preferred_nid >= 0;
		break;
	default:
		limit = false;
		break;
	}
	if (!limit) {
		*out = *online;
		return;
	}
	cpumask_clear(out);
	if (preferred_nid >= 0 && preferred_nid < t->nr_nodes)
		cpumask_or(out, out, &t->node[preferred_nid].cpus);
	if (pref_cpu >= 0)
		cpumask_or(out, out, &t->node[t->cpu[pref_cpu].node].cpus);
	if (cur_cpu >= 0)
		cpumask_or(out, out, &t->node[t->cpu[cur_cpu].node].cpus);
	cpumask_and(out, out, online);
}

int cas_ids_init(struct cas_ids *ids, const struct topo *t, int mode)
{
	int n = t->nr_llcs;

	memset(ids, 0, sizeof(*ids));
	ids->mode = mode;
	ids->nr = n;
	ids->id_of = xmalloc((size_t)n * sizeof(int));
	ids->owner = xmalloc((size_t)n * sizeof(int));
	ids->online = xmalloc((size_t)n * sizeof(int));
	/* boot: every LLC seen in topology order takes the lowest free id */
	for (int l = 0; l < n; l++) {
		ids->id_of[l] = ids->owner[l] = l;
		ids->online[l] = t->llc[l].nr_cpus;
	}
	ids->max_lid = n - 1;
	return 0;
}

void cas_ids_free(struct cas_ids *ids)
{
	free(ids->id_of);
	free(ids->owner);
	free(ids->online);
	ids->id_of = ids->owner = ids->online = NULL;
}

void cas_ids_cpu(struct cas_ids *ids, int llc, bool online)
{
	if (llc < 0 || llc >= ids->nr)
		return;
	if (!online) {
		if (ids->online[llc] > 0)
			ids->online[llc]--;
		/* the last CPU of the LLC left: its id is freed */
		if (ids->mode == CAS_IDS_BITMASK && ids->online[llc] == 0 && ids->id_of[llc] >= 0) {
			ids->owner[ids->id_of[llc]] = -1;
			ids->id_of[llc] = -1;
			ids->frees++;
			while (ids->max_lid >= 0 && ids->owner[ids->max_lid] < 0)
				ids->max_lid--;
		}
		return;
	}
	ids->online[llc]++;
	if (ids->mode == CAS_IDS_BITMASK && ids->id_of[llc] < 0) {
		/* first CPU of the LLC: the lowest free id */
		for (int id = 0; id < ids->nr; id++) {
			if (ids->owner[id] < 0) {
				ids->owner[id] = llc;
				ids->id_of[llc] = id;
				ids->allocs++;
				ids->max_lid = MAX(ids->max_lid, id);
				break;
			}
		}
	}
}

