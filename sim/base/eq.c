#include "base/eq.h"
#include "base/xalloc.h"

#include <assert.h>
#include <stdlib.h>

/*
 * A 4-ary min-heap whose slots carry their keys: comparisons read only the
 * heap array (contiguous) instead of chasing each event's struct, and the
 * tree is half as deep as a binary heap.  On the 768-CPU benchmark this is
 * the simulator's hottest structure.
 */
#define EQ_ARITY 4

struct eq_slot {
	simtime_t time;
	uint64_t seq;
	struct eq_event *ev;
};

struct eq {
	struct eq_clock clk; /* first: eq_now() reads it inline */
	struct eq_slot *heap;
	size_t n, cap;
	uint64_t next_seq;
	void *ctx;
	bool stop;
};

struct eq *eq_new(size_t cap, void *ctx)
{
	struct eq *q = xcalloc(1, sizeof(*q));

	q->cap = cap ? cap : 64;
	q->heap = xmalloc(q->cap * sizeof(*q->heap));
	q->ctx = ctx;
	return q;
}

void eq_free(struct eq *q)
{
	if (!q)
		return;
	for (size_t i = 0; i < q->n; i++)
		q->heap[i].ev->heap_idx = -1;
	free(q->heap);
	free(q);
}

static inline bool before(const struct eq_slot *a, const struct eq_slot *b)
{
	return a->time < b->time || (a->time == b->time && a->seq < b->seq);
}

static inline void place(struct eq *q, size_t i, struct eq_slot sl)
{
	q->heap[i] = sl;
	sl.ev->heap_idx = (int32_t)i;
}

static void sift_up(struct eq *q, size_t i)
{
	struct eq_slot sl = q->heap[i];

	while (i > 0) {
		size_t p = (i - 1) / EQ_ARITY;
		if (!before(&sl, &q->heap[p]))
			break;
		place(q, i, q->heap[p]);
		i = p;
	}
	place(q, i, sl);
}

static void sift_down(struct eq *q, size_t i)
{
	struct eq_slot sl = q->heap[i];

	for (;;) {
		size_t c = EQ_ARITY * i + 1, end = c + EQ_ARITY, m = c;
		if (c >= q->n)
			break;
		if (end > q->n)
			end = q->n;
		for (size_t k = c + 1; k < end; k++)
			if (before(&q->heap[k], &q->heap[m]))
				m = k;
		if (!before(&q->heap[m], &sl))
			break;
		place(q, i, q->heap[m]);
		i = m;
	}
	place(q, i, sl);
}

void eq_schedule(struct eq *q, struct eq_event *ev, simtime_t t)
{
	assert(t >= q->clk.now && "events cannot be scheduled in the past");
	ev->time = t;
	ev->seq = q->next_seq++;
	if (eq_queued(ev)) {
		size_t i = (size_t)ev->heap_idx;
		/* A new sequence number can only move it later among equals, but a
		 * new time can go either way. */
		q->heap[i].time = t;
		q->heap[i].seq = ev->seq;
		sift_up(q, i);
		sift_down(q, (size_t)ev->heap_idx);
		return;
	}
	if (q->n == q->cap) {
		size_t ncap = q->cap * 2;
		struct eq_slot *nh = xrealloc(q->heap, ncap * sizeof(*nh));
		q->heap = nh;
		q->cap = ncap;
	}
	place(q, q->n++, (struct eq_slot){ t, ev->seq, ev });
	sift_up(q, q->n - 1);
}

void eq_cancel(struct eq *q, struct eq_event *ev)
{
	size_t i;

	if (!eq_queued(ev))
		return;
	i = (size_t)ev->heap_idx;
	ev->heap_idx = -1;
	if (--q->n == i)
		return;
	struct eq_slot moved = q->heap[q->n];
	place(q, i, moved);
	sift_up(q, i);
	sift_down(q, (size_t)moved.ev->heap_idx);
}

void eq_set_ctx(struct eq *q, void *ctx)
{
	q->ctx = ctx;
}

struct eq_event *eq_peek(const struct eq *q)
{
	return q->n ? q->heap[0].ev : NULL;
}

struct eq_event *eq_pop(struct eq *q)
{
	struct eq_event *ev;

	if (!q->n)
		return NULL;
	ev = q->heap[0].ev;
	ev->heap_idx = -1;
	if (--q->n) {
		place(q, 0, q->heap[q->n]);
		sift_down(q, 0);
	}
	q->clk.now = ev->time;
	return ev;
}

uint64_t eq_run(struct eq *q, simtime_t until)
{
	uint64_t n = 0;

	q->stop = false;
	while (q->n && q->heap[0].time <= until && !q->stop) {
		struct eq_event *ev = eq_pop(q);
		ev->fn(ev, q->ctx);
		n++;
	}
	if (!q->stop && q->clk.now < until)
		q->clk.now = until;
	return n;
}

void eq_stop(struct eq *q)
{
	q->stop = true;
}

size_t eq_size(const struct eq *q)
{
	return q->n;
}
