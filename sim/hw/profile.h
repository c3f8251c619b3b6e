/*
 * Machine profiles: the numbers the machine model (perf.c) uses, one set per
 * CPU family, every value with its source (TOPOLOGIES.md tags: [M] measured,
 * [K] reported by Linux/firmware, [S] vendor spec, [D] derived, [E] estimate).
 *
 * Resolution order for each value, recorded in prof.src[] so that
 * `cassim topo SPEC --show-model` can say where it came from:
 *   1. the family profile's default (with its citation);
 *   2. the topology where hwloc has a place for it (LLC size from the cache
 *      object, DRAM bandwidth / latency from memory attributes, info pairs
 *      named "cassim.<param>" on the Machine object);
 *   3. --set NAME=VALUE (source "--set").
 */
#ifndef CASSIM_HW_PROFILE_H
#define CASSIM_HW_PROFILE_H

#include <stddef.h>

#include "base/diag.h"
#include "base/param.h"
#include "hw/topo.h"

/* X(name, unit, min, max, help).  All doubles. */
#define MODEL_PARAMS(X) \
	X(freq_ghz,         "GHz",  0.1, 10,    "all-core clock: work is in ns; the clock sets the frequency-invariance scale (APERF rate)") \
	X(base_ghz,         "GHz",  0, 10,      "base clock (MPERF rate; Intel max non-turbo ratio, AMD CPPC nominal perf); 0 = unknown, no frequency invariance") \
	X(turbo_ghz,        "GHz",  0, 10,      "turbo clock arch_max_freq_ratio is built from (Intel: 4C turbo bin of MSR_TURBO_RATIO_LIMIT; AMD: CPPC highest perf); 0 = unknown") \
	X(fi_rule,          "",     0, 2,       "how Linux sets arch_max_freq_ratio: 1 Intel turbo/base, 2 AMD midpoint of highest/nominal and 1, 0 none (scale 1024)") \
	X(line_bytes,       "B",    16, 256,    "cache line size") \
	X(llc_hit_ns,       "ns",   0, 1000,    "LLC hit latency (own LLC)") \
	X(c2c_smt_ns,       "ns",   0, 1000,    "line transfer between SMT siblings (shared L1/L2)") \
	X(c2c_llc_ns,       "ns",   0, 2000,    "cache-to-cache transfer, other core, same LLC") \
	X(c2c_xllc_ns,      "ns",   0, 2000,    "cache-to-cache transfer, other LLC, same package") \
	X(c2c_xpkg_ns,      "ns",   0, 5000,    "cache-to-cache transfer, other package") \
	X(c2c_bw_gbs,       "GB/s", 0.1, 1000,  "copy bandwidth of one core streaming a message's lines from another cache (lines after the first)") \
	X(dram_local_ns,    "ns",   1, 5000,    "idle DRAM latency, local NUMA node") \
	X(dram_remote_ns,   "ns",   1, 5000,    "idle DRAM latency at the largest SLIT distance (other nodes interpolate by distance)") \
	X(dram_bw_node_gbs, "GB/s", 0.1, 10000, "DRAM bandwidth per NUMA node") \
	X(llc_link_bw_gbs,  "GB/s", 0, 10000,   "bandwidth of one LLC's link to memory (AMD CCD GMI); 0 = not a limit") \
	X(c2c_xllc_bw_gbs,  "GB/s", 0, 10000,   "bandwidth of the lines one LLC receives from other LLCs of its package (cache-to-cache transfers of written shared lines); 0 = not a limit") \
	X(xpkg_bw_gbs,      "GB/s", 0.1, 10000, "cross-package link bandwidth per package and direction (the cache-to-cache transfers a package receives from others)") \
	X(lat_load_k,       "",     0, 100,     "loaded-latency factor: latency x (1 + k u^2/(1-u)) at utilisation u") \
	X(mlp,              "",     1, 64,      "default memory-level parallelism (overlapping misses)") \
	X(smt_factor,       "",     0.1, 1,     "per-thread speed while the SMT sibling runs") \
	X(wake_lines,       "lines",0, 1000,    "kernel cache lines a wakeup moves from waker to wakee CPU") \
	X(msg_lines_fixed,  "lines",0, 1000,    "kernel cache lines per message besides its payload (pipe/socket bookkeeping)") \
	X(syscall_ns,       "ns",   0, 100000,  "CPU time of a send or receive system call, payload copy excluded") \
	X(sock_extra_ns,    "ns",   0, 100000,  "extra CPU time per message for AF_UNIX stream sockets over pipes") \
	X(ipi_ns,           "ns",   0, 100000,  "remote wakeup (IPI) delivery latency to another LLC") \
	X(ipi_send_ns,      "ns",   0, 100000,  "waker CPU time to queue a remote wakeup and send the IPI") \
	X(wake_local_ns,    "ns",   0, 100000,  "waker CPU time of a wakeup within its LLC") \
	X(switch_ns,        "ns",   0, 100000,  "CPU time of a context switch, charged to the incoming task") \
	X(scan_cpu_ns,      "ns",   0, 100000,  "CPU time per CPU visited by the cache-aware occupancy scan") \
	X(idle1_exit_ns,    "ns",   0, 1e7,     "shallow idle state (C1) exit latency") \
	X(idle1_target_ns,  "ns",   0, 1e8,     "shallow idle state (C1) target residency") \
	X(idle2_exit_ns,    "ns",   0, 1e7,     "mid idle state (C1E/C2) exit latency; 0 = state absent") \
	X(idle2_target_ns,  "ns",   0, 1e8,     "mid idle state target residency") \
	X(idle3_exit_ns,    "ns",   0, 1e7,     "deep idle state (C6) exit latency; 0 = state absent") \
	X(idle3_target_ns,  "ns",   0, 1e8,     "deep idle state target residency") \
	X(idle_mwait_max,   "",     0, 3,       "deepest idle state (1-3) entered with MWAIT, which keeps TIF_POLLING_NRFLAG set so a wakeup needs no IPI; 0 none") \
	X(latency_jitter,   "",     0, 1,       "1: draw idle-exit, IPI and wakeup line-transfer latencies per wakeup; 0: every wakeup pays the distributions' means (ablation)") \
	X(idle_exit_median, "",     0.01, 1,    "median idle-state exit latency as a fraction of the state's exit_ns, which is its 99.99th percentile (lognormal draw)") \
	X(ipi_cv,           "",     0, 4,       "coefficient of variation of the IPI delivery latency (lognormal around ipi_ns)") \
	X(wake_lines_cv,    "",     0, 4,       "coefficient of variation of the wakeup's line-transfer time (lognormal around wake_lines x relation latency)") \
	X(rq_lock_hold_ns,  "ns",   0, 100000,  "runqueue lock hold time of one wakeup's activation; wakeups to one rq within it queue (0 = no contention)") \
	X(sock_lock_ns,     "ns",   0, 100000,  "AF_UNIX receive queue spinlock: critical section of one acquisition, its lines' pull from the last holder excluded") \
	X(llc_bytes,        "B",    0, 1e12,    "LLC capacity seen by one scheduler LLC (0 = from the topology)") \
	X(numa_scan_mb,     "MB",   1, 1e6,     "NUMA balancing: pages scanned per scan pass (sysctl numa_balancing_scan_size_mb)") \
	X(numa_migrate_mbps,"MB/s", 1, 1e6,     "NUMA balancing: page migration rate limit") \
	X(os_noise,         "",     0, 100,     "background OS activity (tick cost, per-CPU kernel threads, interrupts): 1 the profile's rates, 0 off, else a factor on kthread_hz and irq_hz") \
	X(tick_irq_ns,      "ns",   0, 1e6,     "CPU time of one scheduler tick interrupt, taken from a busy CPU's task") \
	X(kthread_hz,       "Hz",   0, 1e5,     "wakeups per second of each CPU's kernel threads (kworker, ksoftirqd, rcu); exponential gaps") \
	X(kthread_ns,       "ns",   0, 1e7,     "median run time of one kernel-thread wakeup (lognormal)") \
	X(irq_hz,           "Hz",   0, 1e6,     "device interrupts and softirqs per second per CPU; exponential gaps") \
	X(irq_ns,           "ns",   0, 1e7,     "median time of one device interrupt or softirq (lognormal)") \
	X(noise_sigma,      "",     0, 5,       "log-standard deviation of the kernel-thread and interrupt durations")

enum model_param {
#define X(n, u, lo, hi, h) MP_##n,
	MODEL_PARAMS(X)
#undef X
	MP_NR
};

struct machine_profile {
	char name[32];          /* "turin", "granite-rapids", ... */
	char cpu[96];           /* the part it describes */
	double v[MP_NR];
	char src[MP_NR][160];   /* where each value came from */
};

struct model_param_def {
	const char *name, *unit, *help;
	double min, max;
};
extern const struct model_param_def model_param_defs[MP_NR];

/* Profiles shipped (names for --profile / errors). */
extern const char *const profile_names[];

/*
 * Pick the profile for @t: the Machine info pair "cassim.profile" if the XML
 * carries one, else by CPU vendor/model info pairs (CPUVendor, CPUModel,
 * CPUFamilyNumber, CPUModelNumber), else by the topology name; falls back to a
 * generic profile (every value [E]).  Then applies what the topology carries
 * (LLC size; memattr Bandwidth/Latency of NUMA nodes; info pairs
 * "cassim.<param>").  @name forces a profile by name (NULL = automatic).
 * Returns -1 with @err set for an unknown forced name.
 */
int profile_for_topo(const struct topo *t, const char *name, struct machine_profile *p,
		     struct diag *err);

/* Look up a parameter name; -1 if unknown. */
int profile_param_index(const char *name);
/* Apply "--set NAME=VALUE" (NAME a model parameter); range-checked; source
 * becomes "--set".  Returns -1 with @err set ("--set NAME=VAL: ..."). */
int profile_set(struct machine_profile *p, const char *name, const char *value, struct diag *err);

#endif
