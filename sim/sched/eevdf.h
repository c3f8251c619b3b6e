/*
 * EEVDF runqueue arithmetic, mirroring kernel/sched/fair.c of Linux v6.15
 * (avg_vruntime, entity_eligible,
 * place_entity, update_entity_lag, pick_eevdf), on a small array of queued
 * entities instead of an augmented rbtree: per-CPU queues are short, so a
 * linear scan is both simpler and faster here.
 */
#ifndef CASSIM_SCHED_EEVDF_H
#define CASSIM_SCHED_EEVDF_H

#include "base/types.h"

#define NICE_0_LOAD 1024 /* scale_load_down(NICE_0_LOAD) */

struct sched_entity {
	unsigned long weight;   /* scale_load_down(load.weight) */
	int64_t vruntime;
	int64_t deadline;
	int64_t vlag;           /* lag on dequeue; == deadline while slice-protected */
	int64_t slice;          /* ns */
	int on_rq;
	int queue_idx;          /* index in cfs_rq.queue, -1 if curr or not queued */
	uint64_t id;            /* tie-break for equal deadlines (determinism) */
	int sched_delayed;      /* DELAY_DEQUEUE: asleep but still queued (on_rq) */
};

/* A queued entity's pick keys, copied at cfs_queue_add(): nothing changes
 * the vruntime or deadline of an entity while it is queued (only
 * place_entity() before the add and update_curr() of the running one do),
 * and the scans read them from this array instead of from each task. */
struct cfs_key {
	int64_t vruntime, deadline;
	uint64_t id;
};

struct cfs_rq {
	struct sched_entity **queue; /* queued, not running */
	struct cfs_key *keys;        /* [cap]: keys[i] of queue[i] */
	int nr_queue, cap;
	struct sched_entity *curr;   /* running entity (on_rq), or NULL */
	int64_t avg_vruntime;        /* sum (v - min_vruntime) * w over queue */
	long avg_load;               /* sum w over queue */
	int64_t min_vruntime;        /* reference point (kernel zero/min_vruntime) */
	unsigned long load;          /* sum of weights, queue + curr */
	int nr_queued;               /* queue + curr (kernel cfs_rq->nr_queued) */
};

extern const int sched_prio_to_weight[40];

static inline unsigned long nice_to_weight(int nice) { return (unsigned long)sched_prio_to_weight[nice + 20]; }

/* calc_delta_fair(): delta * NICE_0_LOAD / weight */
int64_t calc_delta_fair(int64_t delta, unsigned long weight);

void cfs_init(struct cfs_rq *cfs, int cap);
void cfs_destroy(struct cfs_rq *cfs);

int64_t avg_vruntime(const struct cfs_rq *cfs);
int vruntime_eligible(const struct cfs_rq *cfs, int64_t vruntime);
static inline int entity_eligible(const struct cfs_rq *cfs, const struct sched_entity *se)
{
	return vruntime_eligible(cfs, se->vruntime);
}

/* place_entity(): vruntime from the average minus the scaled lag, deadline
 * one virtual slice later (half for a new task with PLACE_DEADLINE_INITIAL). */
void place_entity(struct cfs_rq *cfs, struct sched_entity *se, int initial, int place_lag,
		  int deadline_initial);
/* update_entity_lag(): vlag = V - v, clamped to +-max(2*slice, tick). */
void update_entity_lag(struct cfs_rq *cfs, struct sched_entity *se, int64_t tick_ns);

/* Add / remove a non-running entity to / from the queue (tree). */
void cfs_queue_add(struct cfs_rq *cfs, struct sched_entity *se);
void cfs_queue_del(struct cfs_rq *cfs, struct sched_entity *se);
/* Account the load of an entity entering / leaving the runqueue. */
void cfs_account_enqueue(struct cfs_rq *cfs, struct sched_entity *se);
void cfs_account_dequeue(struct cfs_rq *cfs, struct sched_entity *se);

/* Advance the current entity's vruntime by @delta_exec ns; returns 1 if its
 * deadline was reached (update_deadline(): new deadline set, and a resched
 * is due when others are queued). */
int cfs_update_curr(struct cfs_rq *cfs, int64_t delta_exec);

/* pick_eevdf(): the eligible entity with the earliest virtual deadline;
 * RUN_TO_PARITY keeps an eligible, slice-protected curr. */
struct sched_entity *pick_eevdf(struct cfs_rq *cfs, int run_to_parity);

/* Keep min_vruntime moving so keys stay small (update_min_vruntime()). */
void cfs_update_min_vruntime(struct cfs_rq *cfs);

#endif
