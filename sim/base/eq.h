/*
 * The event queue: a (4-ary) min-heap of intrusive events ordered by
 * (time, insertion sequence), so events at the same time fire in the order
 * they were (re)scheduled and every run is deterministic.
 *
 * Events are embedded in their owners (a CPU's tick, a task's timer, ...):
 * scheduling, cancelling and re-timing never allocate; the heap array grows
 * geometrically and is sized up front from the topology and workload, so the
 * steady state performs no allocation at all (Redis ae.c habit).
 */
#ifndef CASSIM_BASE_EQ_H
#define CASSIM_BASE_EQ_H

#include "base/types.h"

struct eq_event;
typedef void (*eq_fn)(struct eq_event *ev, void *ctx);

struct eq_event {
	simtime_t time;
	uint64_t seq;     /* insertion sequence: tie-break for equal times */
	int32_t heap_idx; /* position in the heap, -1 when not queued */
	eq_fn fn;         /* handler; gets the event and the queue's ctx */
};

struct eq;

/* @cap: initial heap capacity (grows if exceeded); @ctx is passed to handlers. */
struct eq *eq_new(size_t cap, void *ctx);
void eq_free(struct eq *q);
/* Replace the context passed to handlers. */
void eq_set_ctx(struct eq *q, void *ctx);

static inline void eq_event_init(struct eq_event *ev, eq_fn fn)
{
	ev->time = 0;
	ev->seq = 0;
	ev->heap_idx = -1;
	ev->fn = fn;
}

static inline bool eq_queued(const struct eq_event *ev) { return ev->heap_idx >= 0; }

/* Queue @ev at absolute time @t, or move it there if already queued
 * (re-timing counts as a new insertion for tie-breaking).  O(log n). */
void eq_schedule(struct eq *q, struct eq_event *ev, simtime_t t);
/* Remove @ev if queued.  O(log n). */
void eq_cancel(struct eq *q, struct eq_event *ev);

/* Earliest event without removing it, or NULL. */
struct eq_event *eq_peek(const struct eq *q);
/* Remove the earliest event, advance the clock to its time, return it. */
struct eq_event *eq_pop(struct eq *q);
/* Pop events with time <= @until and call their handlers, in order.
 * Returns the number dispatched; the clock ends at @until if the queue ran
 * dry before it (or stop was requested). */
uint64_t eq_run(struct eq *q, simtime_t until);
/* Ask eq_run() to return after the current handler. */
void eq_stop(struct eq *q);

/* The part of the queue read inline on hot paths: its clock. */
struct eq_clock {
	simtime_t now;
};

/* The current time (struct eq starts with its struct eq_clock). */
static inline simtime_t eq_now(const struct eq *q) { return ((const struct eq_clock *)q)->now; }
size_t eq_size(const struct eq *q);

#endif
