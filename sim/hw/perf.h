/*
 * The machine model (MODEL.md): how fast a running thread progresses on a
 * CPU, and what a wakeup, a message or an idle exit costs.  It knows the
 * hardware (topology + machine profile) and the threads' memory behaviour,
 * never the scheduler's decisions: the scheduler tells it who runs where.
 *
 * Work and speed.  A thread's demand is work: ns it would need on an idle
 * machine with its data in its own L2.  While it runs, time per unit of work
 * is
 *
 *   dt/dw = smt * (1 + refs/us * [hits * t_llc + misses * t_miss] / mlp)
 *
 * where smt = 1/smt_factor while an SMT sibling runs.  A run *segment* is a
 * stretch of time on one CPU under constant conditions; within a segment the
 * hit ratio of the thread's private set and of its process's shared set in
 * the LLC evolve in closed form (fluid fill: each miss brings one line, so a
 * set of footprint F with occupancy x warms as 1-x/F ~ exp(-refs*line*w/F),
 * up to what the LLC can hold beside the other running owners; beyond that
 * it misses at the constant rate refs*(1-x/F)), so the time to finish W
 * units of work is exact under those conditions.
 * Conditions that change elsewhere (an SMT sibling starts, bandwidth demand
 * in the node changes, another LLC writes the shared set) take effect when
 * the scheduler next calls perf_advance() for the thread (its tick at the
 * latest); SMT sibling changes are pushed through the retime callback.
 *
 * LLC occupancy.  Each LLC holds occupancy per owner (a thread's private
 * set, a process's shared set), bounded by the owner's footprint; fills
 * beyond the LLC's capacity evict every owner in proportion to its occupancy
 * (random replacement), O(1) through a per-LLC scale factor.  A migrated
 * thread finds in the new LLC what survived there since it last ran there.
 *
 * Shared data.  A shared reference misses to a cache-to-cache transfer when
 * the line was last written from another LLC: with probability
 * write_fraction x (share of the process's running threads outside this
 * LLC; counted are the threads, itself included, whose open segment
 * references the shared set), at the latency of the relation to those LLCs
 * (c2c_xllc_ns / c2c_xpkg_ns weighted by their counts); otherwise it behaves
 * like a private reference to the shared set.
 *
 * Memory.  Misses go to DRAM at the latency given by the SLIT distance from
 * the CPU's node to where the pages are (first touch, interleave or bind,
 * moved by NUMA balancing), raised by the node's utilisation; when demand
 * exceeds the node's (or the LLC link's) bandwidth, the memory part of every
 * requester stretches by demand / bandwidth (fair fluid share).
 *
 * No allocation after perf_new().
 */
#ifndef CASSIM_HW_PERF_H
#define CASSIM_HW_PERF_H

#include "base/rng.h"
#include "base/types.h"
#include "hw/profile.h"
#include "hw/topo.h"

struct perf;

enum perf_mempolicy { PERF_MEM_FIRST_TOUCH, PERF_MEM_INTERLEAVE, PERF_MEM_BIND };

/* Memory behaviour of one run burst (mirrors struct wl_mem). */
struct perf_mem {
	double refs_per_us;
	double footprint;   /* private bytes */
	double shared;      /* fraction of refs to the process's shared set */
	double mlp;         /* 0 = profile default */
};

/* Relation of two CPUs, nearest first. */
enum perf_rel { REL_SAME, REL_SMT, REL_LLC, REL_XLLC, REL_XPKG };

/* Called when a CPU's running thread changed speed for a reason outside it
 * (its SMT sibling started or stopped running): the scheduler should
 * perf_advance() that thread and re-time its completion. */
typedef void (*perf_retime_fn)(void *ctx, int cpu);

struct perf *perf_new(const struct topo *t, const struct machine_profile *p,
		      int nr_threads, int nr_procs, perf_retime_fn retime, void *ctx);
void perf_free(struct perf *pf);

/* Draw the latencies that vary per event (idle-state exit, IPI delivery,
 * the wakeup's line transfers) from the run's stream "latency" of @seed.
 * Without it, or with latency_jitter=0, each is its distribution's mean. */
void perf_seed(struct perf *pf, uint64_t seed);

/* Process attributes (before any thread of it runs). */
void perf_set_process(struct perf *pf, int proc, double shared_bytes, double write_fraction,
		      enum perf_mempolicy pol, int bind_node);
/* Thread @tid belongs to @proc. */
void perf_set_thread(struct perf *pf, int tid, int proc);

/* --- run segments (one open segment per CPU at most) --- */

/* @tid starts running work with memory behaviour @m on @cpu at @now.  The
 * first segment of a thread (or process, for the shared set) places its
 * pages by the memory policy (first touch: the node of @cpu). */
void perf_run_begin(struct perf *pf, int tid, int cpu, const struct perf_mem *m, simtime_t now);
/* Work (ns) done by @tid since the segment began or was last advanced by
 * the caller (work done before perf itself advanced the segment, for an SMT
 * sibling change, is included); updates occupancies and re-evaluates
 * conditions; the segment continues. */
double perf_advance(struct perf *pf, int tid, simtime_t now);
/* Close the segment (switch-out or end of burst): like perf_advance. */
double perf_run_end(struct perf *pf, int tid, simtime_t now);
/* Between perf_batch_begin() and perf_batch_end() (one instant, @now: an
 * event handler), the SMT siblings of CPUs whose segments begin or end are
 * re-timed once, at the end, and only if their speed then differs from
 * the one they run at; batches nest. */
void perf_batch_begin(struct perf *pf);
void perf_batch_end(struct perf *pf, simtime_t now);
/* Wall ns the open segment of @tid needs to complete @work more ns of work
 * under the current conditions (>= work * smt stretch), counted from the
 * segment's last (re)start: call it right after perf_run_begin() or
 * perf_advance() at the present time.  No open segment: @work. */
double perf_time_for(const struct perf *pf, int tid, double work);

/* --- communication and overheads (ns) --- */

enum perf_rel perf_relation(const struct perf *pf, int cpu_a, int cpu_b);
/* Cost to the reader of @bytes written on @from_cpu and read on @to_cpu: line
 * transfers at the relation latency plus msg_lines_fixed kernel lines.
 * Latencies: SMT c2c_smt_ns, LLC c2c_llc_ns, XLLC c2c_xllc_ns, XPKG
 * c2c_xpkg_ns.  Same CPU (or @from_cpu < 0): the payload is still in the
 * CPU's own L2 (free), the kernel lines cost llc_hit_ns each (the switch
 * between writer and reader is assumed to have pushed them out of L2). */
double perf_xfer_ns(const struct perf *pf, int from_cpu, int to_cpu, double bytes);
/* Wakeup of a task on @to_cpu by a waker on @from_cpu: CPU time the waker
 * pays (*waker_ns: wake_local_ns within its LLC, ipi_send_ns across LLCs)
 * and extra latency before the wakee can run (*delay_ns: ipi_ns to another
 * LLC, else 0), plus the wakeup's kernel lines moved, which the wakee pays
 * (*wakee_ns: wake_lines at the relation latency as in perf_xfer_ns).
 * *delay_ns and *wakee_ns are drawn around those means (ipi_cv,
 * wake_lines_cv; see perf_seed()).
 * @from_cpu < 0 (no waker CPU): treated as a wakeup on @to_cpu itself with
 * no waker cost. */
void perf_wake_cost(struct perf *pf, int from_cpu, int to_cpu, double *waker_ns,
		    double *delay_ns, double *wakee_ns);
/* A wakeup from @from_cpu activates its task on @cpu's runqueue at @now:
 * activations are serialised (the rq lock, or the target draining its wake
 * list in sched_ttwu_pending()), each holding it rq_lock_hold_ns: a FIFO
 * queue with deterministic service, one per CPU.  Returns how long this one
 * waits for those queued before it (0 when the rq is free).  @wakelist
 * (ttwu_queue_wakelist()): the target activates the queue in order, the
 * whole wait delays the wakee.  Otherwise the waker spins on the rq lock,
 * except behind its own previous activation, whose time it already paid
 * (wake_local_ns): then 0. */
double perf_rq_wait(struct perf *pf, int cpu, int from_cpu, simtime_t now, bool wakelist);
double perf_switch_ns(const struct perf *pf);
/* Occupancy-scan cost for visiting @nr_cpus CPUs (cache-aware policies). */
double perf_scan_ns(const struct perf *pf, int nr_cpus);

/* --- idle states: the menu governor (hw/menu.h), or teo (hw/teo.h) --- */

/* @cpu's idle loop calls cpuidle_select() at @now (cpuidle_idle_call(),
 * v6.15): menu (or teo) picks a state from the driver's table (POLL, idle1, and
 * idle2 / idle3 when their exit latency is > 0) given @sleep_ns, the time
 * to the next timer with the tick stopped, @delta_tick_ns, the time to the
 * next event with it running, and whether it is already stopped.  Returns
 * the stop_tick out-parameter: may the tick stop. */
bool perf_idle_enter(struct perf *pf, int cpu, simtime_t now, simtime_t sleep_ns,
		     simtime_t delta_tick_ns, bool tick_stopped, simtime_t tick_ns);
/* @cpu leaves its idle state at @now (the tick woke it when
 * @tick_wakeup; POLL reached its time limit when @poll_time_limit); returns the exit latency, drawn per exit (median
 * idle_exit_median x exit_ns, 99.99th percentile exit_ns; see
 * perf_seed()), and feeds the governor (menu_update()).  0, and no update,
 * if it was not in a state or is woken before it entered it. */
simtime_t perf_idle_exit(struct perf *pf, int cpu, simtime_t now, bool tick_wakeup,
			 bool poll_time_limit, simtime_t tick_ns);
/* poll_idle() (poll_state.c, v6.15) polls at most this long
 * (cpuidle_poll_time()) before the idle loop selects again; 0 when @cpu
 * is not idling in POLL. */
simtime_t perf_idle_poll_limit(const struct perf *pf, int cpu, simtime_t tick_ns);
/* The cpuidle governor perf_idle_enter() asks: teo (teo.c) when @teo,
 * else menu, the default (the higher rating; hw/teo.h). */
void perf_set_idle_governor(struct perf *pf, bool teo);
/* @cpu sits in a state that watches its thread flags with
 * TIF_POLLING_NRFLAG set: POLL (poll_idle()) or an MWAIT state
 * (mwait_idle_with_hints() sets it, v3.13+); a wakeup needs no IPI. */
bool perf_idle_polling(const struct perf *pf, int cpu);
/* wake_local_ns: a wakeup's cost to the waker without an IPI */
double perf_wake_local_ns(const struct perf *pf);
/* exit_latency_ns of @cpu's state (idle_get_state()), -1 when none */
int64_t perf_idle_exit_latency(const struct perf *pf, int cpu);

/* --- memory placement (NUMA balancing) --- */

/* Fraction of @tid's private pages (shared=false) or of its process's shared
 * pages (shared=true) on each node, into @frac[nr_nodes] (all 0 before the
 * first segment placed them). */
void perf_mem_dist(const struct perf *pf, int tid, bool shared, double *frac);
/* Move up to @bytes of @tid's private (or its process's shared) pages that
 * are not on @node to @node; returns bytes moved. */
double perf_mem_migrate(struct perf *pf, int tid, bool shared, int node, double bytes);
/* Current footprints (bytes) for gates. */
double perf_private_bytes(const struct perf *pf, int tid);
double perf_shared_bytes(const struct perf *pf, int proc);
/* Counts changes of any thread's private footprint: a sum of
 * perf_private_bytes() is still exact while it stays the same. */
uint64_t perf_footprint_gen(const struct perf *pf);

/* --- observation (tests, reports) --- */

/* Occupancy (bytes) of @tid's private set (proc < 0) or process @proc's
 * shared set (tid < 0) in @llc.  (A private set is capped at the thread's
 * current footprint when it next runs in that LLC.) */
double perf_occupancy(const struct perf *pf, int llc, int tid, int proc);
/* Current slowdown (wall ns per ns of work) of the running @tid, at the
 * segment's present state (its last (re)start); 1 with no open segment. */
double perf_slowdown(const struct perf *pf, int tid);
/* Per-node DRAM bandwidth demand (bytes/ns = GB/s) right now: what the open
 * segments' misses would request at the idle latency, unstretched (the
 * demand that "demand / bandwidth" compares). */
double perf_node_demand(const struct perf *pf, int node);

#endif
