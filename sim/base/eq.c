#include "base/eq.h"
#include "base/xalloc.h"

#include <assert.h>
#include <stdlib.h>

/*
 * A 4-ary min-heap whose slots carry their keys: comparisons read only the
 * heap array (contiguous) instead of chasing each event's struct, and the
 * tree is half as deep as a binary heap.  On the 768-CPU benchmark this is
 * the simulator's hottest structure.
 *
 * eq_run() leaves the slot of the event it dispatches empty (a hole at the
 * root) while the handler runs: most handlers queue an event next (often the
 * one they were called for), which then fills the hole with one sift-down (a
 * replace-top) instead of a pop's sift-down plus a push's sift-up.  Any other
 * operation first fills the hole from the last slot.  The pop order is the
 * (time, sequence) order whatever the heap's shape, so this changes no run.
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
	bool hole; /* heap[0] is vacant (eq_run's dispatched event); counted in n */
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
	for (size_t i = q->hole; i < q->n; i++)
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

/* before() as arithmetic, not branches: for choosing among siblings, where
 * which one is earlier is a coin toss a branch predictor cannot learn. */
static inline size_t earlier(const struct eq_slot *a, const struct eq_slot *b)
{
	return (size_t)((a->time < b->time) | ((a->time == b->time) & (a->seq < b->seq)));
}

/* The earliest child of @i, or 0 if @i is a leaf (a full node's four
 * children are compared without a loop). */
static inline __attribute__((always_inline)) size_t min_child(const struct eq *q, size_t i)
{
	size_t c = EQ_ARITY * i + 1, m = c;

	if (c + EQ_ARITY <= q->n) {
		const struct eq_slot *h = q->heap;
		size_t a = c + earlier(&h[c + 1], &h[c]);
		size_t b = c + 2 + earlier(&h[c + 3], &h[c + 2]);
		return a ^ ((a ^ b) & -earlier(&h[b], &h[a]));
	}
	if (c >= q->n)
		return 0;
	for (size_t k = c + 1; k < q->n; k++)
		if (before(&q->heap[k], &q->heap[m]))
			m = k;
	return m;
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
		size_t m = min_child(q, i);
		if (!m || !before(&q->heap[m], &sl))
			break;
		place(q, i, q->heap[m]);
		i = m;
	}
	place(q, i, sl);
}

/* Walk the vacant root down along the earlier child to a leaf; returns the
 * leaf, now vacant.  Filling it with the last slot and sifting up is Floyd's
 * bottom-up deletion: the last slot nearly always belongs near the bottom,
 * so this skips the comparison with it at every level on the way down.  (A
 * newly queued event often belongs near the top: it sifts down instead.) */
static size_t hole_to_leaf(struct eq *q)
{
	size_t i = 0, m;

	while ((m = min_child(q, i))) {
		place(q, i, q->heap[m]);
		i = m;
	}
	return i;
}

/* Fill the vacant root from the last slot. */
static void fill_hole(struct eq *q)
{
	size_t i;

	q->hole = false;
	if (!--q->n)
		return;
	i = hole_to_leaf(q);
	place(q, i, q->heap[q->n]);
	sift_up(q, i);
}

void eq_schedule(struct eq *q, struct eq_event *ev, simtime_t t)
{
	assert(t >= q->clk.now && "events cannot be scheduled in the past");
	ev->time = t;
	ev->seq = q->next_seq++;
	if (q->hole) {
		if (!eq_queued(ev)) { /* replace-top */
			q->hole = false;
			place(q, 0, (struct eq_slot){ t, ev->seq, ev });
			sift_down(q, 0);
			return;
		}
		fill_hole(q);
	}
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
	if (q->hole)
		fill_hole(q);
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
	size_t m = 1, end = MIN(q->n, (size_t)1 + EQ_ARITY);

	if (!q->hole)
		return q->n ? q->heap[0].ev : NULL;
	/* the earliest of the root's subtrees is one of its children */
	for (size_t k = 2; k < end; k++)
		if (before(&q->heap[k], &q->heap[m]))
			m = k;
	return m < end ? q->heap[m].ev : NULL;
}

struct eq_event *eq_pop(struct eq *q)
{
	struct eq_event *ev;

	if (q->hole)
		fill_hole(q);
	if (!q->n)
		return NULL;
	ev = q->heap[0].ev;
	ev->heap_idx = -1;
	fill_hole(q);
	q->clk.now = ev->time;
	return ev;
}

uint64_t eq_run(struct eq *q, simtime_t until)
{
	uint64_t n = 0;

	q->stop = false;
	for (;;) {
		struct eq_event *ev;
		if (q->hole)
			fill_hole(q);
		if (!q->n || q->heap[0].time > until || q->stop)
			break;
		ev = q->heap[0].ev;
		ev->heap_idx = -1;
		q->hole = true;
		q->clk.now = ev->time;
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
	return q->n - q->hole;
}
