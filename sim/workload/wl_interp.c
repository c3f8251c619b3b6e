/*
 * The workload interpreter (see wl_interp.h for the contract).
 *
 * Every thread is blocked in at most one place at a time, so one intrusive
 * link per thread (wq_next) serves every wait queue, and one (wk_next)
 * serves the list of threads its current waker still has to report as
 * WA_WAKE.  Everything is allocated in wl_interp_new().
 */
#include "workload/wl_interp.h"

#include <stdlib.h>
#include <string.h>

#include "base/diag.h"
#include "base/xalloc.h"

enum blk {
	BLK_NONE,
	BLK_WAIT,    /* thread wait/wake */
	BLK_COND,
	BLK_SEM,
	BLK_LOCK,    /* sleeping on a mutex */
	BLK_SPIN,    /* spinning on a lock or a barrier (still running) */
	BLK_BARRIER,
	BLK_RECV,
	BLK_SEND,
};

/* A FIFO of blocked threads. */
struct wq {
	int head, tail;
};

/* One instance of a synchronisation object. */
struct inst {
	int owner;      /* LOCK: holder, -1 free */
	int64_t count;  /* BARRIER: arrivals; SEM: count */
	struct wq wq;
	double hb_free; /* when its futex bucket's spinlock is next free (futex_bucket()) */
};

/* One chunk of an inbox: a pipe_buffer or an skb (see pipe_write()). */
struct chunk {
	int64_t len;  /* bytes not yet read */
	int64_t size; /* pipe: offset + len, where a merged write goes; socket: skb truesize */
};

struct inbox {
	struct chunk *ring; /* [mask + 1], chunks tail..head-1 (free-running indices) */
	unsigned mask, head, tail;
	unsigned max_usage; /* pipe: slots (pipe->max_usage) */
	bool socket;
	int64_t bytes;      /* queued payload */
	int64_t wmem;       /* socket: the writers' sk_wmem_alloc (truesize of queued skbs) */
	int64_t sndbuf;     /* socket: sk_sndbuf */
	int writer_cpu;     /* CPU of the latest writer (where the payload lines are) */
	int lines_cpu;      /* CPU that last touched the buffer's bookkeeping lines */
	struct wq senders;  /* blocked writers (pipe wr_wait, socket sk_sleep) */
	/* pipe->mutex (see pipe_lock()) */
	int mtx_owner;      /* -1 free */
	struct wq mtx_spin; /* optimistic spinners, in arrival order (the osq) */
	struct wq mtx_wait; /* sleeping waiters (lock->wait_list); the first may be woken */
	bool mtx_handoff;   /* MUTEX_FLAG_HANDOFF: the next unlock hands it to the first waiter */
	/* socket: the receive queue's spinlock (see sock_lock()) */
	double lock_free;   /* when it is next free */
	int lock_cpu;       /* CPU of its last holder (where its line is), -1 none */
};

/* A lock a thread holds: its object and the instance taken (per-CPU locks). */
struct held_lock {
	int obj, inst;
};

struct tstate {
	/* the program, copied here so a step touches one line of state */
	const struct wl_op *ops;
	int nr_ops;
	int64_t loops;
	int pc;
	int64_t loops_done;
	int64_t *iter;      /* [nr_ops]: iterations left of each active LOOP */
	int sub;            /* SEND each, WAKE_ALL of threads: next target */
	enum blk blocked;
	bool resumed;       /* the op it blocked in completed (or may be retried) */
	bool wake_sync;     /* ... by a synchronous wakeup (WF_SYNC): see resume() */
	simtime_t spin_ns;  /* BLK_SPIN on a barrier: > 0 spin this long, then sleep;
			     * -1 that spin was issued (when it ends, block); 0 unbounded */
	int cond_phase;     /* WAIT on a COND: 1 = woken, re-taking the mutex */
	int64_t pending;    /* remembered thread wakes */
	simtime_t woken_at;
	int64_t need;       /* RECV: bytes still to read (0: none under way) */
	int64_t left;       /* SEND: bytes still to write (0: none under way) */
	bool resumed_send;  /* SEND: it slept on a full pipe (pipe_write's wake_next_writer) */
	double msg_bytes;   /* SEND, RECV: size drawn for the op in progress, 0 none */
	double charge;      /* CPU overhead its ops caused, not yet reported */
	double hold;        /* CPU time its op spends before the wakes it caused (under a
			     * pipe's mutex, on a futex bucket's spinlock), not yet reported */
	int held_pipe;      /* inbox whose mutex it holds (released after hold), -1 none */
	int wq_next;
	int wk_head, wk_tail, wk_next;
	struct held_lock *held; /* [max_held()]: locks held, one per object, in no order */
	int nr_held;
	simtime_t *stamps;  /* [nr_stamps], -1 unset */
	simtime_t *timers;  /* [nr_timers], -1 unset */
	struct rng rng;
	double hb_free;     /* its own futex word's bucket (a thread WAIT/WAKE) */
	bool exited;
};

struct wl_interp {
	const struct workload *w;
	struct wl_env env;
	int nr_cpus;
	struct tstate *ts;
	struct inbox *inbox;   /* [nr_threads] */
	int *obj_base;         /* [nr_objs]: first instance */
	struct inst *inst;
	double *counters;
	simtime_t *counter_at; /* when each counter last changed (elapsed "since") */
	struct hist *hists;
	struct wl_lock_stats locks;
};

static simtime_t now(struct wl_interp *in) { return in->env.now(in->env.ctx); }

/* ------------------------------------------------------------ queues */

static void wq_push(struct wl_interp *in, struct wq *q, int tid)
{
	in->ts[tid].wq_next = -1;
	if (q->tail >= 0)
		in->ts[q->tail].wq_next = tid;
	else
		q->head = tid;
	q->tail = tid;
}

static int wq_pop(struct wl_interp *in, struct wq *q)
{
	int tid = q->head;

	if (tid < 0)
		return -1;
	q->head = in->ts[tid].wq_next;
	if (q->head < 0)
		q->tail = -1;
	in->ts[tid].wq_next = -1;
	return tid;
}

/* @tid's blocking op completed: @waker reports it as WA_WAKE, or, for a
 * spinner, its spin ends.  @sync: the kernel wakes it with WF_SYNC (the
 * waker says it will soon sleep): pipes and AF_UNIX sockets wake their
 * readers and writers with wake_up_interruptible_sync_poll(); futexes
 * (mutexes, condition variables, semaphores, barriers) do not. */
static void resume(struct wl_interp *in, int waker, int tid, bool sync)
{
	struct tstate *t = &in->ts[tid], *w = &in->ts[waker];

	t->resumed = true;
	t->wake_sync = sync;
	t->spin_ns = 0;
	t->woken_at = now(in);
	if (t->blocked == BLK_SPIN) {
		t->blocked = BLK_NONE;
		in->env.spin_release(in->env.ctx, tid);
		return;
	}
	t->blocked = BLK_NONE;
	t->wk_next = -1;
	if (w->wk_tail >= 0)
		in->ts[w->wk_tail].wk_next = tid;
	else
		w->wk_head = tid;
	w->wk_tail = tid;
}

static void inbox_init(struct inbox *b, const struct wl_thread *wt);

/* ------------------------------------------------------------ setup */

/* Most locks @wt can hold at once: one per object, and it only takes those
 * its LOCK ops and its WAITs on a condition (re-taking the mutex) name. */
static int max_held(const struct wl_thread *wt)
{
	int n = 0;

	for (int i = 0; i < wt->nr_ops; i++)
		n += wt->ops[i].kind == WL_OP_LOCK || (wt->ops[i].kind == WL_OP_WAIT && wt->ops[i].lock >= 0);
	return n;
}

struct wl_interp *wl_interp_new(const struct workload *w, const struct wl_env *env, uint64_t seed,
				int nr_cpus)
{
	struct wl_interp *in = xcalloc(1, sizeof(*in));
	int ninst = 0;

	in->w = w;
	in->env = *env;
	in->nr_cpus = nr_cpus;
	in->ts = xcalloc((size_t)w->nr_threads, sizeof(*in->ts));
	in->inbox = xcalloc((size_t)w->nr_threads, sizeof(*in->inbox));
	in->obj_base = xcalloc((size_t)w->nr_objs + 1, sizeof(*in->obj_base));
	in->counters = xcalloc((size_t)w->nr_counters + 1, sizeof(*in->counters));
	in->counter_at = xcalloc((size_t)w->nr_counters + 1, sizeof(*in->counter_at));
	in->hists = xcalloc((size_t)w->nr_hists + 1, sizeof(*in->hists));
	for (int o = 0; o < w->nr_objs; o++) {
		in->obj_base[o] = ninst;
		ninst += w->objs[o].kind == WL_OBJ_LOCK && w->objs[o].percpu ? nr_cpus : 1;
	}
	in->inst = xcalloc((size_t)ninst + 1, sizeof(*in->inst));
	for (int i = 0; i < ninst; i++) {
		in->inst[i].owner = -1;
		in->inst[i].wq.head = in->inst[i].wq.tail = -1;
	}
	for (int h = 0; h < w->nr_hists; h++)
		hist_init(&in->hists[h]);
	for (int i = 0; i < w->nr_threads; i++) {
		const struct wl_thread *wt = &w->threads[i];
		struct tstate *t = &in->ts[i];

		t->wq_next = t->wk_head = t->wk_tail = t->wk_next = -1;
		t->held_pipe = -1;
		t->ops = wt->ops;
		t->nr_ops = wt->nr_ops;
		t->loops = wt->loops;
		t->iter = xcalloc((size_t)wt->nr_ops + 1, sizeof(*t->iter));
		t->held = xmalloc(((size_t)max_held(wt) + 1) * sizeof(*t->held));
		t->stamps = xmalloc(((size_t)w->nr_stamps + 1) * sizeof(*t->stamps));
		t->timers = xmalloc(((size_t)w->nr_timers + 1) * sizeof(*t->timers));
		if (!t->iter || !t->held || !t->stamps || !t->timers ||
		    rng_init(&t->rng, seed, "thread", (uint64_t)i))
			goto oom;
		for (int k = 0; k < w->nr_stamps; k++)
			t->stamps[k] = -1;
		for (int k = 0; k < w->nr_timers; k++)
			t->timers[k] = -1;
		inbox_init(&in->inbox[i], wt);
	}
	return in;
oom:
	wl_interp_free(in);
	return NULL;
}

void wl_interp_free(struct wl_interp *in)
{
	if (!in)
		return;
	for (int i = 0; in->ts && i < in->w->nr_threads; i++) {
		struct tstate *t = &in->ts[i];
		free(t->iter);
		free(t->held);
		free(t->stamps);
		free(t->timers);
		if (t->rng.r)
			rng_destroy(&t->rng);
		if (in->inbox)
			free(in->inbox[i].ring);
	}
	free(in->ts);
	free(in->inbox);
	free(in->obj_base);
	free(in->inst);
	free(in->counters);
	free(in->counter_at);
	free(in->hists);
	free(in);
}

double wl_interp_counter(const struct wl_interp *in, int idx) { return in->counters[idx]; }
simtime_t wl_interp_counter_at(const struct wl_interp *in, int idx) { return in->counter_at[idx]; }
const struct hist *wl_interp_hist(const struct wl_interp *in, int idx) { return &in->hists[idx]; }
bool wl_interp_exited(const struct wl_interp *in, int tid) { return in->ts[tid].exited; }
struct wl_lock_stats wl_interp_lock_stats(const struct wl_interp *in) { return in->locks; }

/* ------------------------------------------------------------ ops */

static struct inst *lock_inst(struct wl_interp *in, int tid, int obj)
{
	const struct wl_obj *o = &in->w->objs[obj];
	int i = in->obj_base[obj];

	if (o->percpu)
		i += in->env.cpu_of(in->env.ctx, tid);
	return &in->inst[i];
}

/* Try to take lock @obj; returns true when @tid holds it, else @tid queued. */
/* Index in @t->held of lock @obj, or nr_held. */
static int held_find(const struct tstate *t, int obj)
{
	int k = 0;

	while (k < t->nr_held && t->held[k].obj != obj)
		k++;
	return k;
}

/* @t now holds instance @inst of @obj (a per-CPU lock taken again on
 * another CPU replaces the entry: one per object) */
static void held_set(struct tstate *t, int obj, int inst)
{
	int k = held_find(t, obj);

	if (k == t->nr_held)
		t->nr_held++;
	t->held[k] = (struct held_lock){ obj, inst };
}

/*
 * A kernel spinlock taken by @tid (a queued spinlock, kernel/locking/
 * qspinlock.c, v6.15: waiters spin FIFO; taken with interrupts or
 * preemption off, so its holder is never preempted), free again at
 * *@free_at.  @tid asks for it once the CPU time its op has already spent
 * (t->hold) is over, spins until it is free, then holds it @hold ns.  The
 * spin and the hold are @tid's CPU time before the wakes its op caused;
 * the op's effect (queued, woken) is decided at the call.
 */
static void qspin(struct wl_interp *in, int tid, double *free_at, double hold, struct wl_spin_stats *st)
{
	double t0 = (double)now(in) + in->ts[tid].hold, start = MAX(t0, *free_at);

	st->ops++;
	if (start > t0) {
		st->spins++;
		st->spin_ns += start - t0;
	}
	*free_at = start + hold;
	in->ts[tid].hold += start + hold - t0;
}

/*
 * The futex hash bucket of a futex word (kernel/futex/core.c, v6.15):
 * futex_wait() holds hb->lock from futex_q_lock() to futex_queue() (read
 * the user word, queue on the plist) and futex_wake() while it walks the
 * plist and marks the waiters (they are woken after the unlock); a
 * futex_wake() that finds no waiter in the bucket (futex_hb_waiters_pending())
 * returns without the lock.  With roundup_pow_of_two(256 * nr_cpus)
 * buckets two words rarely share one, so the model gives each object
 * instance, and each thread's own word, its own bucket (@hb_free), held
 * env.futex_hold_ns per call.
 */
static void futex_bucket(struct wl_interp *in, int tid, double *hb_free)
{
	if (in->env.futex_hold_ns > 0)
		qspin(in, tid, hb_free, in->env.futex_hold_ns, &in->locks.futex);
}

static bool lock_take(struct wl_interp *in, int tid, int obj)
{
	struct inst *l = lock_inst(in, tid, obj);

	if (l->owner < 0) {
		l->owner = tid;
		held_set(&in->ts[tid], obj, (int)(l - in->inst));
		return true;
	}
	wq_push(in, &l->wq, tid);
	in->ts[tid].blocked = in->w->objs[obj].spin ? BLK_SPIN : BLK_LOCK;
	if (!in->w->objs[obj].spin) /* a contended pthread mutex sleeps in futex_wait() */
		futex_bucket(in, tid, &l->hb_free);
	return false;
}

/* Release lock @obj held by @tid, handing it to the first waiter. */
static void lock_release(struct wl_interp *in, int tid, int obj)
{
	struct tstate *t = &in->ts[tid];
	int k = held_find(t, obj), i, next;
	struct inst *l;

	if (k == t->nr_held)
		return; /* not held: unlocking a free mutex is a no-op, as rt-app's */
	i = t->held[k].inst;
	t->held[k] = t->held[--t->nr_held];
	l = &in->inst[i];
	next = wq_pop(in, &l->wq);
	l->owner = next;
	if (next >= 0) {
		held_set(&in->ts[next], obj, i);
		if (!in->w->objs[obj].spin) /* unlock with waiters: futex_wake() */
			futex_bucket(in, tid, &l->hb_free);
		resume(in, tid, next, false);
	}
}

/*
 * Pipes and AF_UNIX stream sockets.  An inbox is a FIFO of chunks: the
 * pipe_buffers of a pipe (fs/pipe.c, Linux v6.14) or the skbs on a
 * socket's receive queue (net/unix/af_unix.c, v6.15).  A reader takes
 * bytes from the oldest chunk and releases it when empty; what a release
 * wakes, and when a writer blocks, is each file type's own rule.
 */
#define PIPE_PAGE 4096 /* PAGE_SIZE: one pipe_buffer holds one page */

static struct chunk *ring_at(const struct inbox *b, unsigned i) { return &b->ring[i & b->mask]; }

/* Room for one more chunk: a socket's queue has no fixed length (its
 * limit is the sender's sk_wmem_alloc), so its ring doubles when full. */
static void ring_reserve(struct inbox *b)
{
	unsigned n = b->mask + 1, k;
	struct chunk *r;

	if (b->head - b->tail < n)
		return;
	r = xcalloc((size_t)n * 2, sizeof(*r));
	for (k = 0; k < n; k++)
		r[k] = *ring_at(b, b->tail + k);
	free(b->ring);
	b->ring = r;
	b->tail = 0;
	b->head = n;
	b->mask = 2 * n - 1;
}

/* round_pipe_size() (fs/pipe.c): a capacity is rounded up to a power of
 * two pages, at least one; the pipe has that many slots (max_usage). */
static unsigned pipe_slots(double cap)
{
	unsigned slots = 1;

	while ((double)slots * PIPE_PAGE < cap) /* cap <= 2^31: wl.c checks it */
		slots <<= 1;
	return slots;
}

/* x86-64 sizes (v6.15): SKB_DATA_ALIGN(sizeof(struct skb_shared_info)) and
 * SKB_DATA_ALIGN(sizeof(struct sk_buff)) (320 and 232 -> 256 bytes, 64-byte
 * cache lines); skb_small_head_cache's object size SKB_SMALL_HEAD_CACHE_SIZE
 * = SKB_HEAD_ALIGN(MAX_TCP_HEADER) = 320 + 320 with a distribution config
 * (MAX_TCP_HEADER = L1_CACHE_ALIGN(128 + MAX_HEADER 176)); SKB_MAX_HEAD(0)
 * = PAGE_SIZE - 320; UNIX_SKB_FRAGS_SZ = 32 KiB. */
#define SKB_SHINFO 320
#define SKB_STRUCT 256
#define SKB_SMALL_HEAD 640
#define SKB_MAX_HEAD0 (PIPE_PAGE - SKB_SHINFO)
#define UNIX_SKB_FRAGS_SZ 32768
#define SOCK_MIN_SNDBUF 4608 /* 2 * TCP_SKB_MIN_TRUESIZE (2048 + 256) */

static int64_t align_up(int64_t x, int64_t a) { return (x + a - 1) / a * a; }

/*
 * skb->truesize of one AF_UNIX stream skb carrying @size bytes.
 * unix_stream_sendmsg() asks sock_alloc_send_pskb() for a linear head of
 * size - data_len bytes and data_len = min(size, PAGE_ALIGN(size -
 * SKB_MAX_HEAD(0))) bytes of page frags.  __alloc_skb() sizes the head as
 * SKB_HEAD_ALIGN(len) = SKB_DATA_ALIGN(len) + 320, served by
 * kmalloc_reserve() from skb_small_head_cache (640 B) when it fits, else
 * rounded by kmalloc_size_roundup() (power-of-two kmalloc caches up to a
 * page); truesize = SKB_TRUESIZE(alloc - 320) = alloc + 256, and
 * alloc_skb_with_frags() adds PAGE_SIZE << order per frag block, i.e.
 * PAGE_ALIGN(data_len).  A 100-byte write: 64 + 320 <= 640, truesize 896.
 */
int64_t wl_skb_truesize(int64_t size)
{
	int64_t data_len = MAX((int64_t)0, size - SKB_MAX_HEAD0), head, alloc;

	data_len = MIN(size, align_up(data_len, PIPE_PAGE));
	head = align_up(size - data_len, 64) + SKB_SHINFO;
	if (head <= SKB_SMALL_HEAD)
		alloc = SKB_SMALL_HEAD;
	else
		for (alloc = 1024; alloc < head; alloc <<= 1)
			;
	return alloc + SKB_STRUCT + align_up(data_len, PIPE_PAGE);
}

/* unix_writable() (af_unix.c, v6.x): (refcount_read(&sk->sk_wmem_alloc)
 * << 2) <= sk_sndbuf.  The refcount is one above the bytes charged, and
 * sock_wfree() holds one more while it calls sk_write_space(). */
bool wl_unix_writable(int64_t wmem, int64_t sndbuf) { return (wmem + 2) * 4 <= sndbuf; }

static void inbox_init(struct inbox *b, const struct wl_thread *wt)
{
	unsigned n = 1;

	b->socket = wt->inbox == WL_INBOX_SOCKET;
	if (b->socket) {
		/* sock_setsockopt(SO_SNDBUF) never goes below SOCK_MIN_SNDBUF */
		b->sndbuf = MAX((int64_t)SOCK_MIN_SNDBUF, (int64_t)wt->inbox_capacity);
		n = 64;
	} else {
		b->max_usage = pipe_slots(wt->inbox_capacity);
		n = b->max_usage;
	}
	b->ring = xcalloc(n, sizeof(*b->ring));
	b->mask = n - 1;
	b->writer_cpu = -1;
	b->lines_cpu = -1;
	b->senders.head = b->senders.tail = -1;
	b->mtx_owner = -1;
	b->mtx_spin.head = b->mtx_spin.tail = -1;
	b->mtx_wait.head = b->mtx_wait.tail = -1;
	b->lock_cpu = -1;
}

static bool pipe_full(const struct inbox *b) { return b->head - b->tail >= b->max_usage; }

/* Append @len bytes as a new chunk (a pipe page or an skb of @truesize). */
static void chunk_push(struct inbox *b, int64_t len, int64_t size)
{
	ring_reserve(b);
	*ring_at(b, b->head++) = (struct chunk){ len, size };
	b->bytes += len;
}

/*
 * pipe_write() (fs/pipe.c, v6.14) of @t->left bytes.  A write whose tail
 * (len % PAGE_SIZE) fits behind the last page's data merges into it
 * (PIPE_BUF_FLAG_CAN_MERGE) unless the pipe was empty; the rest takes new
 * pages while slots are free.  On a full pipe the writer wakes the reader
 * if the pipe was empty when it started, then sleeps exclusively on
 * wr_wait; woken, it goes on (a new page, no merge) and, once done, wakes
 * the next writer unless the pipe is full again (wake_next_writer).  The
 * reader is woken, with a sync wakeup, when the write began on an empty
 * pipe (was_empty).  Returns false if @tid blocks.
 */
static bool pipe_write(struct wl_interp *in, struct inbox *b, int tid, int reader)
{
	struct tstate *t = &in->ts[tid];
	bool was_empty = b->head == b->tail, wake_next_writer = t->resumed_send;
	int64_t chars = t->left % PIPE_PAGE;
	int w;

	t->resumed_send = false;
	if (!wake_next_writer && chars && !was_empty) {
		struct chunk *last = ring_at(b, b->head - 1);

		if (last->size + chars <= PIPE_PAGE) {
			last->len += chars;
			last->size += chars;
			b->bytes += chars;
			t->left -= chars;
		}
	}
	while (t->left > 0) {
		if (pipe_full(b)) {
			if (was_empty && in->ts[reader].blocked == BLK_RECV)
				resume(in, tid, reader, true);
			wq_push(in, &b->senders, tid);
			t->blocked = BLK_SEND;
			t->resumed_send = true;
			return false;
		}
		chars = MIN(t->left, (int64_t)PIPE_PAGE);
		chunk_push(b, chars, chars);
		t->left -= chars;
	}
	if (pipe_full(b))
		wake_next_writer = false;
	if (was_empty && in->ts[reader].blocked == BLK_RECV)
		resume(in, tid, reader, true);
	if (wake_next_writer && (w = wq_pop(in, &b->senders)) >= 0)
		resume(in, tid, w, true);
	return true;
}

/*
 * The receiving socket's locks (af_unix.c, v6.15).  unix_stream_sendmsg()
 * queues each skb on the peer's sk_receive_queue under unix_state_lock(other)
 * with skb_queue_tail()'s spin_lock_irqsave() of the queue's lock nested
 * inside, and wakes the reader (sk_data_ready) after the unlock;
 * unix_stream_read_generic() peeks each skb under unix_state_lock(sk) and,
 * once it is consumed, skb_unlink()s it under the queue's lock; a peek that
 * finds the queue empty is the reader's last before it sleeps.  Both
 * spinlocks live on the receiving socket and every acquisition touches the
 * same lines, so the model folds them into one queued spinlock per inbox
 * (qspin()), held env.sock_lock_ns plus the pull of the socket's
 * bookkeeping lines from the CPU of its last holder.  The reader's
 * u->iolock, a mutex around its whole read, is never contended: an inbox
 * has one reader, as each hackbench receiver owns its socket.
 */
static void sock_lock(struct wl_interp *in, struct inbox *b, int tid)
{
	int cpu = in->env.cpu_of(in->env.ctx, tid);
	double hold = in->env.sock_lock_ns;

	if (b->lock_cpu >= 0 && b->lock_cpu != cpu)
		hold += in->env.xfer_ns(in->env.ctx, b->lock_cpu, cpu, 0);
	b->lock_cpu = cpu;
	qspin(in, tid, &b->lock_free, hold, &in->locks.sock);
}

/*
 * unix_stream_sendmsg() (af_unix.c, v6.15) of @t->left bytes: skbs of at
 * most sk_sndbuf / 2 - 64 ("keep two messages in the pipe") and
 * SKB_MAX_HEAD(0) + UNIX_SKB_FRAGS_SZ bytes, each charged to the sending
 * socket's sk_wmem_alloc by its truesize.  sock_alloc_send_pskb() lets an
 * skb through while sk_wmem_alloc < sk_sndbuf, else the writer sleeps
 * (sock_wait_for_wmem(), a non-exclusive wait).  Each skb queued wakes the
 * reader (sk_data_ready = sock_def_readable(), a sync wakeup).
 */
static bool unix_stream_send(struct wl_interp *in, struct inbox *b, int tid, int reader)
{
	struct tstate *t = &in->ts[tid];
	int64_t max = MIN(b->sndbuf / 2 - 64, (int64_t)SKB_MAX_HEAD0 + UNIX_SKB_FRAGS_SZ);

	t->resumed_send = false;
	while (t->left > 0) {
		int64_t size = MIN(t->left, max), ts;

		if (b->wmem >= b->sndbuf) {
			wq_push(in, &b->senders, tid);
			t->blocked = BLK_SEND;
			return false;
		}
		ts = wl_skb_truesize(size);
		b->wmem += ts;
		if (in->env.sock_lock)
			sock_lock(in, b, tid);
		chunk_push(b, size, ts);
		t->left -= size;
		if (in->ts[reader].blocked == BLK_RECV)
			resume(in, tid, reader, true);
	}
	return true;
}

/*
 * pipe->mutex: pipe_read() and pipe_write() (fs/pipe.c, v6.14) hold it
 * from __pipe_lock() to mutex_unlock() around the copy, and wake the other
 * side after the unlock.  The hold is the op's copy as the machine model
 * costs it (the payload and the bookkeeping lines pulled from the last
 * CPU; the system-call path, syscall_ns, runs outside).  A contended
 * mutex (kernel/locking/mutex.c __mutex_lock_common(), v6.15):
 *  - the caller spins (mutex_optimistic_spin(), queued on the osq) while
 *    the owner is running on a CPU (mutex_can_spin_on_owner()), burning
 *    CPU time, and takes the mutex when the owner releases it, first
 *    spinner first; else it sleeps on the wait list;
 *  - the unlock (__mutex_unlock_slowpath()) wakes the first waiter (a
 *    plain wakeup, not WF_SYNC); a spinner that takes the mutex first
 *    makes that waiter fail its trylock, so it sets MUTEX_FLAG_HANDOFF
 *    (__mutex_trylock_or_handoff()) and spins as the first waiter
 *    while the owner runs, else sleeps again; the next unlock then hands
 *    the mutex to it (__mutex_handoff()), past any spinner.
 * Departure: whether to spin is decided when the waiter arrives (and when
 * the first waiter retries); a spinner whose owner is preempted, or that
 * needs to reschedule, keeps spinning instead of going to sleep.
 * Returns true when @tid holds the mutex; else it spins or sleeps and
 * retries the op when resumed.
 */
static bool pipe_lock(struct wl_interp *in, struct inbox *b, int tid)
{
	struct tstate *t = &in->ts[tid];
	bool first = b->mtx_wait.head == tid;

	if (b->mtx_owner == tid) /* handed over, or taken at the end of a spin */
		return true;
	if (b->mtx_owner < 0) { /* free: taken, by a woken first waiter or past it */
		if (first) {
			wq_pop(in, &b->mtx_wait);
			b->mtx_handoff = false;
		}
		b->mtx_owner = tid;
		return true;
	}
	if (first) {
		b->mtx_handoff = true; /* woken, and a spinner took it first */
	} else if (in->env.on_cpu(in->env.ctx, b->mtx_owner)) {
		wq_push(in, &b->mtx_spin, tid);
		t->blocked = BLK_SPIN;
		in->locks.spins++;
		return false;
	} else {
		wq_push(in, &b->mtx_wait, tid);
	}
	/* the first waiter stays first on the wait list, spinning or asleep */
	t->blocked = first && in->env.on_cpu(in->env.ctx, b->mtx_owner) ? BLK_SPIN : BLK_LOCK;
	if (t->blocked == BLK_SPIN)
		in->locks.spins++;
	else
		in->locks.sleeps++;
	return false;
}

/* mutex_unlock() of @b's mutex by @tid (see pipe_lock()). */
static void pipe_unlock(struct wl_interp *in, struct inbox *b, int tid)
{
	int w = b->mtx_wait.head, sp;

	if (b->mtx_handoff && w >= 0) {
		b->mtx_handoff = false;
		wq_pop(in, &b->mtx_wait);
		b->mtx_owner = w;
		in->locks.handoffs++;
		resume(in, tid, w, false);
		return;
	}
	b->mtx_owner = -1;
	if ((sp = wq_pop(in, &b->mtx_spin)) >= 0) {
		b->mtx_owner = sp;
		resume(in, tid, sp, false);
	}
	if (w >= 0 && in->ts[w].blocked == BLK_LOCK)
		resume(in, tid, w, false);
}

/* Send a message of @bytes by @tid to @dst's inbox; false if @tid must
 * block (it then resumes the same send where it stopped). */
static bool do_send(struct wl_interp *in, int tid, int dst, double bytes, double *charge)
{
	struct inbox *b = &in->inbox[dst];
	struct tstate *t = &in->ts[tid];

	bool locked = !b->socket && in->env.pipe_mutex, socket_locked = b->socket && in->env.sock_lock;

	if (t->left == 0) {
		t->left = (int64_t)(bytes + 0.5);
		if (t->left <= 0)
			return true; /* a zero-byte write returns at once */
	}
	if (locked && !pipe_lock(in, b, tid))
		return false;
	if (!(b->socket ? unix_stream_send(in, b, tid, dst) : pipe_write(in, b, tid, dst))) {
		if (locked)
			pipe_unlock(in, b, tid); /* pipe_write() unlocks before it sleeps */
		return false;
	}
	b->writer_cpu = in->env.cpu_of(in->env.ctx, tid);
	*charge += in->env.syscall_ns(in->env.ctx, b->socket);
	/* the buffer's bookkeeping lines (ring indices, lock, wait queue) bounce
	 * between the CPUs that use it: the writer pulls them back from the last
	 * reader or writer elsewhere, as the reader pulls them and the payload
	 * (a socket's lock pulls them under the lock: sock_lock()) */
	if (!socket_locked && b->lines_cpu >= 0 && b->lines_cpu != b->writer_cpu)
		*(locked ? &t->hold : charge) += in->env.xfer_ns(in->env.ctx, b->lines_cpu, b->writer_cpu, 0);
	b->lines_cpu = b->writer_cpu;
	if (locked)
		t->held_pipe = dst;
	return true;
}

/*
 * A RECV of @bytes: read() calls until that many bytes came, as hackbench
 * and netperf loop.  Each call takes what is queued, oldest chunk first
 * (pipe_read(), unix_stream_read_generic()), and sleeps only on an empty
 * inbox.  Releasing a chunk: a pipe page freed from a *full* pipe wakes one
 * writer (pipe_read() since v6.14, "don't wake up the writer if the pipe
 * is still full"); an skb consumed uncharges its truesize (sock_wfree())
 * and unix_write_space() wakes every sleeping writer once unix_writable().
 */
static bool do_recv(struct wl_interp *in, int tid, double bytes, double *charge)
{
	struct inbox *b = &in->inbox[tid];
	struct tstate *t = &in->ts[tid];
	int64_t got = 0;
	bool wake_writer = false, locked = !b->socket && in->env.pipe_mutex;
	bool socket_locked = b->socket && in->env.sock_lock;
	int s;

	if (t->need == 0)
		t->need = (int64_t)(bytes + 0.5);
	if (locked && !pipe_lock(in, b, tid))
		return false;
	while (t->need > 0 && b->head != b->tail) {
		struct chunk *c = ring_at(b, b->tail);
		int64_t chars = MIN(c->len, t->need);

		if (socket_locked) /* unix_state_lock(sk): skb_peek() */
			sock_lock(in, b, tid);
		c->len -= chars;
		b->bytes -= chars;
		t->need -= chars;
		got += chars;
		if (c->len > 0)
			continue;
		if (b->socket) {
			if (socket_locked) /* skb_unlink() */
				sock_lock(in, b, tid);
			b->wmem -= c->size;
			wake_writer |= b->senders.head >= 0 && wl_unix_writable(b->wmem, b->sndbuf);
		} else {
			wake_writer |= pipe_full(b);
		}
		b->tail++;
	}
	if (got > 0) {
		double copy = in->env.xfer_ns(in->env.ctx, b->writer_cpu, in->env.cpu_of(in->env.ctx, tid),
					      (double)got);

		/* a locked socket: the bookkeeping lines came under the lock, and
		 * the read (the call, the copy) precedes the writers' wakeup
		 * (consume_skb() -> sock_wfree() -> unix_write_space()), all of
		 * it one stretch of CPU time after the lock's */
		if (socket_locked) {
			copy -= in->env.xfer_ns(in->env.ctx, b->writer_cpu, in->env.cpu_of(in->env.ctx, tid), 0);
			copy += in->env.syscall_ns(in->env.ctx, b->socket);
		} else {
			*charge += in->env.syscall_ns(in->env.ctx, b->socket);
		}
		*(locked || socket_locked ? &t->hold : charge) += copy;
		b->lines_cpu = in->env.cpu_of(in->env.ctx, tid);
	}
	/* pipe_read() unlocks, then wakes a writer, then sleeps if it must (a
	 * read that sleeps after taking part of its bytes unlocks at once) */
	if (locked) {
		if (t->hold >= 0.5 && t->need == 0)
			t->held_pipe = tid;
		else
			pipe_unlock(in, b, tid);
	}
	/* exclusive waiters on a pipe's wr_wait: one; a socket's: all */
	while (wake_writer && (s = wq_pop(in, &b->senders)) >= 0) {
		resume(in, tid, s, true);
		wake_writer = b->socket;
	}
	if (t->need > 0) {
		if (socket_locked) /* the peek that finds the queue empty */
			sock_lock(in, b, tid);
		t->blocked = BLK_RECV;
		return false;
	}
	return true;
}

/* The size of the message @op sends or receives: its fixed size, or a draw
 * from its size distribution (whole bytes, at least 1) that a blocked send
 * or recv keeps until it completes (msg_done()). */
static double msg_size(struct tstate *t, const struct wl_op *op)
{
	if (op->dist.kind == WL_DIST_FIXED)
		return op->bytes;
	if (t->msg_bytes <= 0)
		t->msg_bytes = MAX(1.0, (double)wl_sample(&op->dist, &t->rng));
	return t->msg_bytes;
}

static void msg_done(struct tstate *t)
{
	t->msg_bytes = 0;
}

static void record(struct wl_interp *in, int hist, simtime_t since)
{
	simtime_t t = now(in);

	if (hist >= 0 && since >= 0 && t >= since)
		hist_add(&in->hists[hist], (uint64_t)(t - since));
}

/* Wake on an object or a thread (WAKE / WAKE_ALL); false when the op is
 * not done (it goes on after the wakes it caused so far). */
static bool do_wake(struct wl_interp *in, int tid, const struct wl_op *op, bool all)
{
	if (op->obj >= 0) {
		const struct wl_obj *o = &in->w->objs[op->obj];
		struct inst *x = &in->inst[in->obj_base[op->obj]];
		int t;

		/* a post or signal with waiters calls futex_wake() */
		if (x->wq.head >= 0)
			futex_bucket(in, tid, &x->hb_free);
		if (o->kind == WL_OBJ_SEM) {
			if ((t = wq_pop(in, &x->wq)) >= 0)
				resume(in, tid, t, false);
			else
				x->count++;
			return true;
		}
		/* condition variable: wakes are lost when nobody waits */
		while ((t = wq_pop(in, &x->wq)) >= 0) {
			resume(in, tid, t, false);
			if (!all)
				break;
		}
		return true;
	}
	/* a thread's own futex word, as schbench's fpost(): FUTEX_WAKE when
	 * the word says its owner sleeps (futex_wake(), kernel/futex/
	 * waitwake.c v6.15); a wake of each sleeper of a WAKE_ALL is its own
	 * call, woken after its bucket's unlock, before the next call */
	for (int k = in->ts[tid].sub, n = all ? op->nr_targets : 1; k < n; k++) {
		int t = op->target + k;
		struct tstate *ts = &in->ts[t];

		if (ts->blocked == BLK_WAIT) {
			futex_bucket(in, tid, &ts->hb_free);
			resume(in, tid, t, false);
			if (in->ts[tid].hold >= 0.5 && k + 1 < n) {
				in->ts[tid].sub = k + 1;
				return false;
			}
		} else if (!all && !ts->exited) {
			ts->pending++;
			ts->woken_at = now(in);
		}
	}
	in->ts[tid].sub = 0;
	return true;
}

/* WAIT: returns true when the thread may go on. */
static bool do_wait(struct wl_interp *in, int tid, const struct wl_op *op)
{
	struct tstate *t = &in->ts[tid];

	if (op->obj < 0) {
		if (t->pending > 0) {
			t->pending--;
			record(in, op->record, t->woken_at);
			return true;
		}
		/* fwait(): FUTEX_WAIT on its own word (futex_wait()) */
		t->blocked = BLK_WAIT;
		futex_bucket(in, tid, &t->hb_free);
		return false;
	}
	struct inst *x = &in->inst[in->obj_base[op->obj]];
	if (in->w->objs[op->obj].kind == WL_OBJ_SEM) {
		if (x->count > 0) {
			x->count--;
			return true;
		}
		wq_push(in, &x->wq, tid);
		t->blocked = BLK_SEM;
		futex_bucket(in, tid, &x->hb_free);
		return false;
	}
	/* condition variable: release the mutex, wait, then re-take it */
	if (op->lock >= 0)
		lock_release(in, tid, op->lock);
	wq_push(in, &x->wq, tid);
	t->blocked = BLK_COND;
	t->cond_phase = 0;
	futex_bucket(in, tid, &x->hb_free);
	return false;
}

/* Resuming a WAIT on a COND: re-take the mutex (may block on it). */
static bool cond_retake(struct wl_interp *in, int tid, const struct wl_op *op)
{
	struct tstate *t = &in->ts[tid];

	if (op->lock < 0 || held_find(t, op->lock) < t->nr_held)
		return true;
	t->cond_phase = 1;
	return lock_take(in, tid, op->lock);
}

struct wl_act wl_interp_next(struct wl_interp *in, int tid)
{
	struct tstate *t = &in->ts[tid];
	struct wl_act a = { .kind = WA_BLOCK, .target = -1, .op = -1 };

	for (;;) {
		/* a pipe op's copy runs under the pipe's mutex; the unlock comes
		 * before the wakes the op caused (pipe_read(), pipe_write()) */
		if (t->hold >= 0.5) {
			/* a thread WAIT's futex_wait() bucket hold is paid before it
			 * sleeps, so that a wake decided meanwhile but not yet
			 * delivered (its waker still holds a bucket) finds it asleep,
			 * as the kernel's waiter sleeps until wake_up_q(): run on
			 * early, a schbench message thread would wake_all its worker
			 * before the worker waits, and both would sleep for good.
			 * Other blocking ops keep the older order (their hold as a
			 * charge, then the block: resumed meanwhile, they go on). */
			if (t->blocked == BLK_WAIT && t->wk_head < 0 && t->held_pipe < 0) {
				a.kind = WA_BLOCK;
				a.ns = (simtime_t)(t->hold + t->charge + 0.5);
				t->hold = t->charge = 0;
				return a;
			}
			a.kind = WA_CHARGE;
			a.ns = (simtime_t)(t->hold + 0.5);
			t->hold = 0;
			return a;
		}
		if (t->held_pipe >= 0) {
			pipe_unlock(in, &in->inbox[t->held_pipe], tid);
			t->held_pipe = -1;
		}
		/* wakes this thread's last op caused come first */
		if (t->wk_head >= 0) {
			a.kind = WA_WAKE;
			a.target = t->wk_head;
			a.sync = in->ts[a.target].wake_sync;
			t->wk_head = in->ts[a.target].wk_next;
			if (t->wk_head < 0)
				t->wk_tail = -1;
			return a;
		}
		if (t->charge >= 0.5) {
			a.kind = WA_CHARGE;
			a.ns = (simtime_t)(t->charge + 0.5);
			t->charge = 0;
			return a;
		}
		if (t->blocked == BLK_SPIN && t->spin_ns < 0) {
			/* a barrier's spin ran out: sleep until the last arrival */
			t->blocked = BLK_BARRIER;
			t->spin_ns = 0;
		}
		if (t->blocked != BLK_NONE) {
			a.kind = t->blocked == BLK_SPIN ? WA_SPIN : WA_BLOCK;
			a.ns = -1;
			if (t->spin_ns > 0) {
				a.ns = t->spin_ns;
				t->spin_ns = -1;
			}
			return a;
		}
		if (t->pc == t->nr_ops) {
			t->pc = 0;
			t->loops_done++;
			if (t->loops >= 0 && t->loops_done >= t->loops) {
				t->exited = true;
				a.kind = WA_EXIT;
				return a;
			}
		}

		const struct wl_op *op = &t->ops[t->pc];
		bool resumed = t->resumed;

		t->resumed = false;
		switch (op->kind) {
		case WL_OP_RUN:
		case WL_OP_SPIN:
		case WL_OP_SLEEP:
			a.kind = op->kind == WL_OP_RUN ? WA_RUN : op->kind == WL_OP_SPIN ? WA_SPIN : WA_SLEEP;
			a.ns = wl_sample(&op->dist, &t->rng);
			a.op = t->pc++;
			if (a.ns <= 0 && a.kind != WA_SLEEP)
				continue;
			return a;
		case WL_OP_WAKE:
		case WL_OP_WAKE_ALL:
			if (do_wake(in, tid, op, op->kind == WL_OP_WAKE_ALL))
				t->pc++;
			continue;
		case WL_OP_WAIT:
			if (resumed) {
				/* woken: a condition variable's mutex is re-taken next */
				if (op->obj >= 0 && in->w->objs[op->obj].kind == WL_OBJ_COND &&
				    !cond_retake(in, tid, op))
					break;
				if (t->cond_phase == 0 || op->obj < 0)
					record(in, op->record, t->woken_at);
				t->cond_phase = 0;
				t->pc++;
				continue;
			}
			if (do_wait(in, tid, op)) {
				t->pc++;
				continue;
			}
			break;
		case WL_OP_TIMER: {
			simtime_t n = now(in), next = t->timers[op->obj];
			simtime_t period = wl_sample(&op->dist, &t->rng);

			if (period <= 0)
				period = 1;
			next = next < 0 ? n + period : next + period;
			while (next <= n) /* overrun: keep the period grid, skip missed expiries */
				next += period;
			t->timers[op->obj] = next;
			t->pc++;
			a.kind = WA_SLEEP;
			a.ns = next - n;
			return a;
		}
		case WL_OP_SEND: {
			int dst = op->target + (op->each ? t->sub : 0);

			if (!do_send(in, tid, dst, msg_size(t, op), &t->charge))
				break;
			msg_done(t);
			if (op->each && ++t->sub < op->nr_targets)
				continue;
			t->sub = 0;
			t->pc++;
			continue;
		}
		case WL_OP_RECV:
			if (!do_recv(in, tid, msg_size(t, op), &t->charge))
				break;
			msg_done(t);
			t->pc++;
			continue;
		case WL_OP_BARRIER: {
			struct inst *x = &in->inst[in->obj_base[op->obj]];
			int w;

			if (resumed) {
				t->pc++;
				continue;
			}
			if (++x->count < in->w->objs[op->obj].participants) {
				wq_push(in, &x->wq, tid);
				/* OpenMP-style: spin a while before sleeping (libgomp's
				 * GOMP_SPINCOUNT), so a short wait costs no wakeup */
				t->spin_ns = wl_sample(&op->dist, &t->rng);
				t->blocked = t->spin_ns > 0 ? BLK_SPIN : BLK_BARRIER;
				if (t->blocked == BLK_BARRIER)
					futex_bucket(in, tid, &x->hb_free);
				break;
			}
			x->count = 0;
			for (w = x->wq.head; w >= 0 && in->ts[w].blocked != BLK_BARRIER; w = in->ts[w].wq_next)
				;
			if (w >= 0) /* a sleeper to wake: futex_wake() */
				futex_bucket(in, tid, &x->hb_free);
			while ((w = wq_pop(in, &x->wq)) >= 0)
				resume(in, tid, w, false);
			t->pc++;
			continue;
		}
		case WL_OP_LOCK:
			if (resumed || lock_take(in, tid, op->obj)) {
				t->pc++;
				continue;
			}
			break;
		case WL_OP_UNLOCK:
			lock_release(in, tid, op->obj);
			t->pc++;
			continue;
		case WL_OP_LOOP:
			if (op->count == 0) { /* "loop": 0 (a parameter) skips the body */
				t->pc = op->end + 1;
				continue;
			}
			t->iter[t->pc] = op->count < 0 ? INT64_MAX : op->count;
			t->pc++;
			continue;
		case WL_OP_END:
			if (--t->iter[op->end] > 0)
				t->pc = op->end + 1;
			else
				t->pc++;
			continue;
		case WL_OP_COUNT:
			in->counters[op->obj] += op->bytes;
			in->counter_at[op->obj] = now(in);
			t->pc++;
			continue;
		case WL_OP_STAMP:
			t->stamps[op->obj] = now(in);
			t->pc++;
			continue;
		case WL_OP_RECORD:
			record(in, op->obj, t->stamps[op->stamp]);
			t->pc++;
			continue;
		case WL_OP_HOTPLUG:
			in->env.hotplug(in->env.ctx, op->cpu, op->online);
			t->pc++;
			continue;
		}
		/* blocked: the loop top reports the wakes and charges its op caused,
		 * then the block */
	}
}
