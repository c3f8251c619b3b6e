/*
 * The workload interpreter: runs each thread's program (struct wl_thread)
 * and owns the state of its synchronisation objects (inboxes, locks,
 * barriers, condition variables, semaphores, timers) and of the workload's
 * counters and histograms.  It knows nothing of the scheduler: it answers
 * "what does thread T do next?" with an action, and reaches the outside
 * world (time, CPU of a thread, costs of copies) through struct wl_env.
 *
 * Blocking ops return WA_BLOCK and leave the thread's pc on the op; the
 * thread that later unblocks it (a wake, a message, an unlock handing the
 * mutex over, the last barrier arrival) marks it resumed and gets a WA_WAKE
 * action for it, so the scheduler sees a wakeup issued by the running waker.
 * Spinning lock waiters keep running (WA_SPIN with ns < 0) until
 * env->spin_release.
 */
#ifndef CASSIM_WORKLOAD_WL_INTERP_H
#define CASSIM_WORKLOAD_WL_INTERP_H

#include "report/hist.h"
#include "workload/wl.h"

struct wl_env {
	void *ctx;
	simtime_t (*now)(void *ctx);
	int (*cpu_of)(void *ctx, int tid);
	/* A spinning lock waiter @tid got the lock: end its spin. */
	void (*spin_release)(void *ctx, int tid);
	/* CPU time for the reader to copy @bytes written on @from_cpu into @to_cpu. */
	double (*xfer_ns)(void *ctx, int from_cpu, int to_cpu, double bytes);
	/* CPU time of one send/receive system call (payload copy excluded). */
	double (*syscall_ns)(void *ctx, bool socket);
	/* Take a CPU offline / bring it online (may be NULL: then refused at load). */
	void (*hotplug)(void *ctx, int cpu, bool online);
	/* Is thread @tid running on a CPU now (task_struct on_cpu)? */
	bool (*on_cpu)(void *ctx, int tid);
	/* Reader and writers of a pipe serialise on pipe->mutex (see
	 * pipe_lock()); false: they never meet (an ablation). */
	bool pipe_mutex;
	/* Hold time of a futex hash bucket's spinlock per futex_wait() or
	 * futex_wake() (see futex_bucket()); 0: no bucket lock. */
	double futex_hold_ns;
	/* Senders and the reader of an AF_UNIX socket serialise on the
	 * receiver's queue spinlock (see sock_lock()), each acquisition held
	 * sock_lock_ns plus the pull of its line from the last holder's CPU;
	 * false: no lock (an ablation). */
	bool sock_lock;
	double sock_lock_ns;
};

/* A queued spinlock's totals (see qspin()): acquisitions, those that found
 * it held, and the time they spun on it. */
struct wl_spin_stats {
	uint64_t ops, spins;
	double spin_ns;
};

/* pipe->mutex totals: contended acquisitions that spun on a running owner
 * or slept, and unlocks that handed the mutex to a waiter; the futex hash
 * buckets' spinlocks (futex_wait()/futex_wake() calls) and the AF_UNIX
 * receive queues' spinlocks. */
struct wl_lock_stats {
	uint64_t spins, sleeps, handoffs;
	struct wl_spin_stats futex, sock;
};

enum wl_act_kind {
	WA_RUN,    /* ns of work with memory behaviour op->mem (index: see wl_interp_op) */
	WA_SPIN,   /* ns of busy wall time; ns < 0 until env->spin_release */
	WA_CHARGE, /* ns of CPU overhead, then ask again */
	WA_SLEEP,  /* ns */
	WA_WAKE,   /* wake thread target (blocked), then ask again */
	WA_BLOCK,  /* block until a WA_WAKE names it, after ns > 0 of CPU time (a
		    * WA_WAKE delivered during that time: it asks again instead) */
	WA_EXIT,
};

struct wl_act {
	enum wl_act_kind kind;
	simtime_t ns;
	int target;
	int op;    /* WA_RUN: index of the run op in the thread's program */
	bool sync; /* WA_WAKE: a synchronous wakeup (WF_SYNC) */
};

struct wl_interp;

struct wl_interp *wl_interp_new(const struct workload *w, const struct wl_env *env, uint64_t seed,
				int nr_cpus);
void wl_interp_free(struct wl_interp *in);

/* Next action of thread @tid. */
struct wl_act wl_interp_next(struct wl_interp *in, int tid);

/* Results. */
double wl_interp_counter(const struct wl_interp *in, int idx);
/* When a counter last changed (0 if never): the start of an elapsed
 * metric's "since" window. */
simtime_t wl_interp_counter_at(const struct wl_interp *in, int idx);
const struct hist *wl_interp_hist(const struct wl_interp *in, int idx);
bool wl_interp_exited(const struct wl_interp *in, int tid);
struct wl_lock_stats wl_interp_lock_stats(const struct wl_interp *in);

/* AF_UNIX accounting (af_unix.c, v6.15; exposed for the tests): the
 * truesize of a stream skb of @size bytes, and unix_writable(). */
int64_t wl_skb_truesize(int64_t size);
bool wl_unix_writable(int64_t wmem, int64_t sndbuf);

#endif
