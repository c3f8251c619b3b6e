/* EEVDF arithmetic, mirroring kernel/sched/fair.c of Linux v6.15 (the EEVDF
 * of v6.12 onward).  DELAY_DEQUEUE lives in sched.c: a delayed entity stays
 * in this queue (and in avg_vruntime) like any queued one. */
#include "sched/eevdf.h"
#include "base/xalloc.h"

#include <assert.h>
#include <stdlib.h>

/* kernel/sched/core.c sched_prio_to_weight[] */
const int sched_prio_to_weight[40] = {
	88761, 71755, 56483, 46273, 36291,
	29154, 23254, 18705, 14949, 11916,
	9548, 7620, 6100, 4904, 3906,
	3121, 2501, 1991, 1586, 1277,
	1024, 820, 655, 526, 423,
	335, 272, 215, 172, 137,
	110, 87, 70, 56, 45,
	36, 29, 23, 18, 15,
};

int64_t calc_delta_fair(int64_t delta, unsigned long weight)
{
	if (weight == NICE_0_LOAD)
		return delta;
	return (int64_t)((__int128)delta * NICE_0_LOAD / (int64_t)weight);
}

void cfs_init(struct cfs_rq *cfs, int cap)
{
	*cfs = (struct cfs_rq){ 0 };
	cfs->cap = cap > 0 ? cap : 8;
	cfs->queue = xmalloc((size_t)cfs->cap * sizeof(*cfs->queue));
	cfs->keys = xmalloc((size_t)cfs->cap * sizeof(*cfs->keys));
}

void cfs_destroy(struct cfs_rq *cfs)
{
	free(cfs->queue);
	free(cfs->keys);
	cfs->queue = NULL;
	cfs->keys = NULL;
}

static inline int64_t entity_key(const struct cfs_rq *cfs, const struct sched_entity *se)
{
	return se->vruntime - cfs->min_vruntime;
}

static void avg_vruntime_add(struct cfs_rq *cfs, struct sched_entity *se)
{
	cfs->avg_vruntime += entity_key(cfs, se) * (int64_t)se->weight;
	cfs->avg_load += (long)se->weight;
}

static void avg_vruntime_sub(struct cfs_rq *cfs, struct sched_entity *se)
{
	cfs->avg_vruntime -= entity_key(cfs, se) * (int64_t)se->weight;
	cfs->avg_load -= (long)se->weight;
}

/* Shift the reference point: keys change by -delta for every entity. */
static void avg_vruntime_update(struct cfs_rq *cfs, int64_t delta)
{
	cfs->avg_vruntime -= cfs->avg_load * delta;
}

int64_t avg_vruntime(const struct cfs_rq *cfs)
{
	const struct sched_entity *curr = cfs->curr;
	int64_t avg = cfs->avg_vruntime;
	long load = cfs->avg_load;

	if (curr && curr->on_rq) {
		avg += entity_key(cfs, curr) * (int64_t)curr->weight;
		load += (long)curr->weight;
	}
	if (load) {
		/* sign flips effective floor / ceiling */
		if (avg < 0)
			avg -= (load - 1);
		avg = avg / load;
	}
	return cfs->min_vruntime + avg;
}

int vruntime_eligible(const struct cfs_rq *cfs, int64_t vruntime)
{
	const struct sched_entity *curr = cfs->curr;
	int64_t avg = cfs->avg_vruntime;
	long load = cfs->avg_load;

	if (curr && curr->on_rq) {
		avg += entity_key(cfs, curr) * (int64_t)curr->weight;
		load += (long)curr->weight;
	}
	return avg >= (vruntime - cfs->min_vruntime) * load;
}

void cfs_update_min_vruntime(struct cfs_rq *cfs)
{
	struct sched_entity *curr = cfs->curr;
	int64_t vruntime = cfs->min_vruntime;
	int have = 0;

	if (curr && curr->on_rq) {
		vruntime = curr->vruntime;
		have = 1;
	}
	for (int i = 0; i < cfs->nr_queue; i++) {
		int64_t v = cfs->keys[i].vruntime;
		if (!have || v < vruntime) {
			vruntime = v;
			have = 1;
		}
	}
	/* monotonic: min_vruntime only moves forward */
	if (have && vruntime > cfs->min_vruntime) {
		avg_vruntime_update(cfs, vruntime - cfs->min_vruntime);
		cfs->min_vruntime = vruntime;
	}
}

void place_entity(struct cfs_rq *cfs, struct sched_entity *se, int initial, int place_lag,
		  int deadline_initial)
{
	int64_t vslice, vruntime = avg_vruntime(cfs), lag = 0;

	vslice = calc_delta_fair(se->slice, se->weight);
	/*
	 * Due to how V is constructed as the weighted average of entities,
	 * adding tasks with positive lag, or removing tasks with negative lag
	 * will move 'time' backwards; scale the lag so the placed entity ends
	 * up with the lag it left with (fair.c place_entity()).
	 */
	if (place_lag && cfs->nr_queued && se->vlag) {
		long load = cfs->avg_load;
		if (cfs->curr && cfs->curr->on_rq)
			load += (long)cfs->curr->weight;
		lag = se->vlag;
		lag = (int64_t)((__int128)lag * (load + (long)se->weight) / (load ? load : 1));
	}
	se->vruntime = vruntime - lag;
	if (deadline_initial && initial)
		vslice /= 2;
	se->deadline = se->vruntime + vslice;
}

void update_entity_lag(struct cfs_rq *cfs, struct sched_entity *se, int64_t tick_ns)
{
	int64_t vlag, limit;

	vlag = avg_vruntime(cfs) - se->vruntime;
	limit = calc_delta_fair(MAX(2 * se->slice, tick_ns), se->weight);
	se->vlag = CLAMP(vlag, -limit, limit);
}

void cfs_queue_add(struct cfs_rq *cfs, struct sched_entity *se)
{
	if (cfs->nr_queue == cfs->cap) {
		cfs->cap *= 2;
		cfs->queue = xrealloc(cfs->queue, (size_t)cfs->cap * sizeof(*cfs->queue));
		cfs->keys = xrealloc(cfs->keys, (size_t)cfs->cap * sizeof(*cfs->keys));
	}
	se->queue_idx = cfs->nr_queue;
	cfs->keys[cfs->nr_queue] = (struct cfs_key){ se->vruntime, se->deadline, se->id };
	cfs->queue[cfs->nr_queue++] = se;
	avg_vruntime_add(cfs, se);
}

void cfs_queue_del(struct cfs_rq *cfs, struct sched_entity *se)
{
	int i = se->queue_idx;

	assert(i >= 0 && i < cfs->nr_queue && cfs->queue[i] == se);
	avg_vruntime_sub(cfs, se);
	cfs->queue[i] = cfs->queue[--cfs->nr_queue];
	cfs->keys[i] = cfs->keys[cfs->nr_queue];
	cfs->queue[i]->queue_idx = i;
	se->queue_idx = -1;
}

void cfs_account_enqueue(struct cfs_rq *cfs, struct sched_entity *se)
{
	cfs->load += se->weight;
	cfs->nr_queued++;
	se->on_rq = 1;
}

void cfs_account_dequeue(struct cfs_rq *cfs, struct sched_entity *se)
{
	cfs->load -= se->weight;
	cfs->nr_queued--;
	se->on_rq = 0;
}

int cfs_update_curr(struct cfs_rq *cfs, int64_t delta_exec)
{
	struct sched_entity *se = cfs->curr;

	if (!se || delta_exec <= 0)
		return 0;
	se->vruntime += calc_delta_fair(delta_exec, se->weight);
	cfs_update_min_vruntime(cfs);
	/* update_deadline() */
	if (se->vruntime - se->deadline < 0)
		return 0;
	se->deadline = se->vruntime + calc_delta_fair(se->slice, se->weight);
	return 1;
}

static inline int protect_slice(const struct sched_entity *se)
{
	return se->vlag == se->deadline;
}

static inline int deadline_before(const struct sched_entity *a, const struct sched_entity *b)
{
	return a->deadline < b->deadline || (a->deadline == b->deadline && a->id < b->id);
}

/* deadline_before() on the keys */
static inline int key_before(const struct cfs_key *a, const struct cfs_key *b)
{
	return a->deadline < b->deadline || (a->deadline == b->deadline && a->id < b->id);
}

struct sched_entity *pick_eevdf(struct cfs_rq *cfs, int run_to_parity)
{
	struct sched_entity *curr = cfs->curr, *best = NULL, *first = NULL;

	if (cfs->nr_queued == 1)
		return curr && curr->on_rq ? curr : (cfs->nr_queue ? cfs->queue[0] : NULL);
	if (curr && (!curr->on_rq || !entity_eligible(cfs, curr)))
		curr = NULL;
	if (run_to_parity && curr && protect_slice(curr))
		return curr;
	{
		/* vruntime_eligible()'s sums, the same for every entity */
		int64_t avg = cfs->avg_vruntime;
		long load = cfs->avg_load;
		const struct cfs_key *k = cfs->keys;
		int f = -1, b = -1;

		if (cfs->curr && cfs->curr->on_rq) {
			avg += entity_key(cfs, cfs->curr) * (int64_t)cfs->curr->weight;
			load += (long)cfs->curr->weight;
		}
		for (int i = 0; i < cfs->nr_queue; i++) {
			if (f < 0 || k[i].vruntime < k[f].vruntime)
				f = i;
			if (avg >= (k[i].vruntime - cfs->min_vruntime) * load &&
			    (b < 0 || key_before(&k[i], &k[b])))
				b = i;
		}
		first = f >= 0 ? cfs->queue[f] : NULL;
		best = b >= 0 ? cfs->queue[b] : NULL;
	}
	if (!best || (curr && deadline_before(curr, best)))
		best = curr;
	/* Rounding can leave nobody eligible; the kernel then takes the
	 * leftmost entity.  Fall back to the smallest vruntime. */
	return best ? best : (cfs->curr && cfs->curr->on_rq ? cfs->curr : first);
}
