#include "base/eq.h"

#include <assert.h>
#include <stdlib.h>

struct eq {
	struct eq_event **heap;
	size_t n, cap;
	uint64_t next_seq;
	simtime_t now;
	void *ctx;
	bool stop;
};

struct eq *eq_new(size_t cap, void *ctx)
{
	struct eq *q = calloc(1, sizeof(*q));

	if (!q)
		return NULL;
	q->cap = cap ? cap : 64;
	q->heap = malloc(q->cap * sizeof(*q->heap));
	if (!q->heap) {
		free(q);
		return NULL;
	}
	q->ctx = ctx;
	return q;
}

void eq_free(struct eq *q)
{
	if (!q)
		return;
	for (size_t i = 0; i < q->n; i++)
		q->heap[i]->heap_idx = -1;
	free(q->heap);
	free(q);
}

static inline bool before(const struct eq_event *a, const struct eq_event *b)
{
	return a->time < b->time || (a->time == b->time && a->seq < b->seq);
}

static inline void place(struct eq *q, size_t i, struct eq_event *ev)
{
	q->heap[i] = ev;
	ev->heap_idx = (int32_t)i;
}

static void sift_up(struct eq *q, size_t i)
{
	struct eq_event *ev = q->heap[i];

	while (i > 0) {
		size_t p = (i - 1) / 2;
		if (!before(ev, q->heap[p]))
			break;
		place(q, i, q->heap[p]);
		i = p;
	}
	place(q, i, ev);
}

static void sift_down(struct eq *q, size_t i)
{
	struct eq_event *ev = q->heap[i];

	for (;;) {
		size_t l = 2 * i + 1, m;
		if (l >= q->n)
			break;
		m = (l + 1 < q->n && before(q->heap[l + 1], q->heap[l])) ? l + 1 : l;
		if (!before(q->heap[m], ev))
			break;
		place(q, i, q->heap[m]);
		i = m;
	}
	place(q, i, ev);
}

int eq_schedule(struct eq *q, struct eq_event *ev, simtime_t t)
{
	assert(t >= q->now && "events cannot be scheduled in the past");
	ev->time = t;
	ev->seq = q->next_seq++;
	if (eq_queued(ev)) {
		size_t i = (size_t)ev->heap_idx;
		/* A new sequence number can only move it later among equals, but a
		 * new time can go either way. */
		sift_up(q, i);
		sift_down(q, (size_t)ev->heap_idx);
		return 0;
	}
	if (q->n == q->cap) {
		size_t ncap = q->cap * 2;
		struct eq_event **nh = realloc(q->heap, ncap * sizeof(*nh));
		if (!nh)
			return -1;
		q->heap = nh;
		q->cap = ncap;
	}
	place(q, q->n++, ev);
	sift_up(q, q->n - 1);
	return 0;
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
	struct eq_event *moved = q->heap[q->n];
	place(q, i, moved);
	sift_up(q, i);
	sift_down(q, (size_t)moved->heap_idx);
}

void eq_set_ctx(struct eq *q, void *ctx)
{
	q->ctx = ctx;
}

struct eq_event *eq_peek(const struct eq *q)
{
	return q->n ? q->heap[0] : NULL;
}

struct eq_event *eq_pop(struct eq *q)
{
	struct eq_event *ev;

	if (!q->n)
		return NULL;
	ev = q->heap[0];
	ev->heap_idx = -1;
	if (--q->n) {
		place(q, 0, q->heap[q->n]);
		sift_down(q, 0);
	}
	q->now = ev->time;
	return ev;
}

uint64_t eq_run(struct eq *q, simtime_t until)
{
	uint64_t n = 0;

	q->stop = false;
	while (q->n && q->heap[0]->time <= until && !q->stop) {
		struct eq_event *ev = eq_pop(q);
		ev->fn(ev, q->ctx);
		n++;
	}
	if (!q->stop && q->now < until)
		q->now = until;
	return n;
}

void eq_stop(struct eq *q)
{
	q->stop = true;
}

simtime_t eq_now(const struct eq *q)
{
	return q->now;
}

size_t eq_size(const struct eq *q)
{
	return q->n;
}
