/*
 * Machine profiles (profile.h): one table of model values per CPU family,
 * each value with its source, then what the loaded topology says.
 *
 * Tags and source ids are those of design/TOPOLOGIES.md: [M] measured,
 * [K] reported by Linux/firmware, [S] vendor spec, [D] derived, [E]
 * estimate; (S5) etc. are its §8 sources.  Sources found for the idle
 * states and a few other values are cited in full below.
 *
 * Building a profile:
 *   1. the generic table (every value, mostly [E]);
 *   2. the family table (entries with a source replace generic ones),
 *      over its parent's where it is written against another family
 *      (Emerald Rapids against Sapphire Rapids, Turin dense against
 *      Turin): it states only what differs, KEEP() a value it shares for
 *      a reason of its own (a source of its own);
 *   3. a mode variant where the family has one (Granite Rapids: SNC off /
 *      HEX replaces the SNC3 numbers when the topology has one LLC per
 *      package -- on Intel, more than one LLC per package means SNC);
 *   4. the topology: LLC size, DRAM bandwidth per node from the socket
 *      bandwidth and the NUMA mode, AMD GMI-Wide, memattrs, and Machine
 *      info pairs "cassim.<param>".
 *
 * Idle-state sources (exit latency / target residency, us):
 *   - Linux intel_idle spr_cstates (torvalds/linux drivers/idle/intel_idle.c
 *     @00433eae): C1 1/1, C1E 2/4, C6 290/800; intel_idle_ids maps both
 *     SAPPHIRERAPIDS_X and EMERALDRAPIDS_X to idle_cpu_spr.
 *   - gnr_cstates, commit 370406bf5738 "intel_idle: add Granite Rapids Xeon
 *     support" (Artem Bityutskiy, 2024; 6.11-stable backport on
 *     stable@vger 2024-10-02): C1 1/1, C1E 4/4, C6 170/650, C6P 210/1000.
 *   - AMD EPYC has no intel_idle-style table: acpi_idle takes _CST from the
 *     BIOS, target residency = latency x latency_factor (2) in
 *     drivers/acpi/processor_idle.c.  EPYC boxes show POLL, C1 "ACPI FFH
 *     MWAIT 0x0" latency 1 and C2 "ACPI IOPORT 0x814": latency 400 /
 *     residency 800 on an acpi_idle AMD box in LKML "Re: Performance
 *     regression: thread wakeup time (latency) increased up to 3x" (Norbert,
 *     2021-10-24), ~400 us on an EPYC 7502P (FreeBSD review D47444); an
 *     AMD-internal amd_idle.c for family 17h hard-codes C2 400/800; other
 *     AMD boxes report C2 latency 30 (arthurchiao.art "Linux 服务器功耗与性能
 *     管理" AMD node) or 100 (a Zen 5 Threadripper report), so it is a BIOS
 *     value; a Milan EPYC 7313 turbostat dump (fam 25 model 1) shows the
 *     same POLL/C1/C2 set.  No Genoa/Turin sysfs latency was found: [E].
 */
#include "hw/profile.h"
#include "hw/freq.h"

#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/types.h"

const struct model_param_def model_param_defs[MP_NR] = {
#define X(n, u, lo, hi, h) [MP_##n] = { #n, u, h, lo, hi },
	MODEL_PARAMS(X)
#undef X
};

struct pval {
	double v;
	const char *src; /* NULL: not set by this table */
	bool keep;       /* the parent's value, with this source */
};

struct family {
	const char *name;
	const char *cpu;
	bool intel, amd;
	/* AMD: per-CCD link doubles (GMI-Wide) on parts with at most this
	 * many CCDs per package; 0 = never */
	int gmi_wide_max_ccds;
	const char *gmi_wide_src;
	/* the family it is written against: what .p does not set comes from
	 * there (the generic table when NULL) */
	const struct family *parent;
	/* dram_bw_node_gbs in these tables is the bandwidth of one SOCKET;
	 * profile_for_topo() divides it by the nodes per package */
	struct pval p[MP_NR];
};

#define V(name, val, s) [MP_##name] = { (val), (s) }
/* A value the family shares with its parent, for a reason of its own. */
#define KEEP(name, s) [MP_##name] = { .src = (s), .keep = true }

/* Common kernel-path estimates, used by every family unless it says
 * otherwise.  Everything here is [E] unless tagged. */
static const struct family fam_generic = {
	.name = "generic",
	.cpu = "unknown x86 server CPU (every hardware value an estimate)",
	.p = {
		V(freq_ghz, 2.5, "[E] generic: typical server all-core clock"),
		V(base_ghz, 0, "[E] generic: unknown, so no frequency invariance (scale 1024)"),
		V(turbo_ghz, 0, "[E] generic: unknown"),
		V(fi_rule, 0, "[E] generic: vendor unknown"),
		V(line_bytes, 64, "[E] generic: 64-byte line (every x86 server part)"),
		V(llc_hit_ns, 20, "[E] generic: between AMD CCX (~11-14 ns) and Intel mesh (~33 ns) L3 hits"),
		V(c2c_smt_ns, 5, "[E] generic: SMT siblings share L1/L2; about an L2 hit"),
		V(c2c_llc_ns, 50, "[E] generic: between AMD CCX (~23 ns) and Intel mesh (60-80 ns) HITM"),
		V(c2c_xllc_ns, 110, "[E] generic: cross-CCD / cross-SNC-node HITM 95-130 ns (TOPOLOGIES §5b)"),
		V(c2c_xpkg_ns, 200, "[E] generic: cross-socket HITM 170-250 ns (TOPOLOGIES §5b)"),
		V(c2c_bw_gbs, 20, "[E] generic: a core streams remote-cache lines at 10-30 GB/s (prefetched copy), not one latency per line"),
		V(dram_local_ns, 115, "[E] generic: local DRAM 100-130 ns (TOPOLOGIES §5b)"),
		V(dram_remote_ns, 210, "[E] generic: remote-socket DRAM 170-260 ns (TOPOLOGIES §5b)"),
		V(dram_bw_node_gbs, 307.2, "[E] generic socket: 8 ch DDR5-4800 = 307.2 GB/s"),
		V(llc_link_bw_gbs, 0, "[E] generic: no per-LLC link limit"),
		V(c2c_xllc_bw_gbs, 60, "[E] generic: between an AMD CCD's GMI read link (51-64 GB/s) and an Intel SNC node's mesh share (~188 GB/s measured on GNR)"),
		V(xpkg_bw_gbs, 100, "[E] generic: a few UPI/xGMI links, ~100 GB/s per direction"),
		V(lat_load_k, 1, "[E] latency doubles at ~62% utilisation (1+u^2/(1-u) = 2)"),
		V(mlp, 4, "[E] a few overlapping misses per thread; workloads can override"),
		V(smt_factor, 0.6, "[E] typical SMT yield ~1.2x per core = 0.6 per thread; no per-part measurement found"),
		V(wake_lines, 10, "[E] try_to_wake_up(): pi_lock, task state, rq lock, wake list, rq clock..."),
		V(msg_lines_fixed, 6, "[E] pipe/socket bookkeeping: inode mutex, buffer ring, wait queue, counters"),
		V(syscall_ns, 400, "[E] read()/write() path, copy excluded; 100-B pipe write or read: 310-410 ns median on a 2-vCPU EPYC VM, Linux 6.18 (MODELS.md)"),
		V(sock_extra_ns, 600, "[E] AF_UNIX stream: skb alloc/free per message over a pipe buffer"),
		V(ipi_ns, 1500, "[E] remote wakeup IPI to another LLC: literature 1-2 us; none measured for these parts"),
		V(ipi_send_ns, 500, "[E] ttwu_queue + IPI send; LKML 2021-10-24 (Norbert) futex wake call 540-757 ns"),
		V(wake_local_ns, 300, "[E] ttwu within the LLC: enqueue + check_preempt, no IPI"),
		V(switch_ns, 1000, "[E] schedule()+switch_mm, cold caches excluded; lat_ctx-style 1-2 us incl. pipe"),
		V(scan_cpu_ns, 40, "[E] per CPU visited: a few remote per-CPU lines, 20-50 ns"),
		V(idle1_exit_ns, 1000, "[E] generic C1: 1 us (every intel_idle/acpi_idle C1 is 1-2 us)"),
		V(idle1_target_ns, 2000, "[E] generic C1 target residency 2 us"),
		V(idle2_exit_ns, 0, "[E] generic: no mid state"),
		V(idle2_target_ns, 0, "[E] generic: no mid state"),
		V(idle3_exit_ns, 150000, "[E] generic C6: 150 us (intel_idle C6 on recent Xeons: 170-290 us)"),
		V(idle3_target_ns, 600000, "[E] generic C6 target residency 600 us"),
		V(idle_mwait_max, 1, "[E] generic: C1 entered with MWAIT (intel_idle, acpi_idle FFH); deeper states assumed not"),
		V(latency_jitter, 1, "[E] on: a real machine's latencies vary per event; 0 is an ablation"),
		V(idle_exit_median, 0.3, "[E] exit_ns is a wult p99.99 (Linux 64233338499126, SKX CC6); Schoene et al. 2015: Haswell-EP C3/C6 well below ACPI"),
		V(ipi_cv, 0.5, "[E] IPI delivery varies with the target's interrupt-window and APIC bus state; no per-part measurement found"),
		V(rq_lock_hold_ns, 250, "[E] ttwu_do_activate(): enqueue_task_fair + wakeup_preempt under the rq lock, most of wake_local_ns"),
		V(sock_lock_ns, 30, "[E] af_unix.c unix_state_lock()+skb_queue_tail(), or skb_peek()/skb_unlink(): 2 locked ops (~20 cycles) + list stores at 2-3 GHz; none measured"),
		V(wake_lines_cv, 0.3, "[E] the wakeup's lines come from L2, LLC or another core's cache depending on who touched them last"),
		V(llc_bytes, 0, "topology"),
		V(numa_scan_mb, 256, "[K] kernel default sysctl numa_balancing_scan_size_mb (kernel/sched/fair.c)"),
		V(numa_migrate_mbps, 1280, "[E] old per-node cap 128 MB/100 ms (mm/migrate.c), removed by efaffc5e40ae (4.19); no cap now"),
		/* OS noise: the osnoise tracer's example (Documentation/trace/
		 * osnoise-tracer.rst, 8 CPUs, HZ=1000, 1 s periods, a VM) is the
		 * one public per-source breakdown found; no per-family figures,
		 * so every family shares these.  Check: they sum to ~0.25 % of a
		 * busy CPU, inside that example's 0.01-0.8 % noise per CPU. */
		V(os_noise, 1, "[K] Linux always runs its tick, kernel threads and interrupts; 0 = ablation"),
		V(tick_irq_ns, 2000, "[M] osnoise-tracer.rst: local_timer irq_noise 1845 and 2848 ns"),
		V(kthread_hz, 11, "[M] osnoise-tracer.rst: THREAD noise 0-41 per CPU per s, mean 11 (vmstat_update alone: 1/s, mm/vmstat.c)"),
		V(kthread_ns, 5000, "[E] osnoise-tracer.rst: migration/8 thread_noise 3068 ns; kworker items a few to tens of us"),
		V(irq_hz, 35, "[M] osnoise-tracer.rst: per CPU per s 2-16 IRQs besides the 1000 ticks, SIRQ 16-49; means 8.4 + 26.8"),
		V(irq_ns, 3000, "[E] device irq + softirq (NET_RX, RCU, TIMER): a few us; no public per-source figure found"),
		V(noise_sigma, 1, "[E] log-sd 1: p99 ~10x the median, as osnoise max-single-noise vs its means (9-202 us)"),
	},
};

/* Idle sources, shared. */
#define SRC_SPR_IDLE "[K] intel_idle spr_cstates (torvalds/linux @00433eae)"
#define SRC_EMR_IDLE "[K] intel_idle spr_cstates, used for EMERALDRAPIDS_X too (intel_idle_ids)"
#define SRC_GNR_IDLE "[K] intel_idle gnr_cstates (commit 370406bf5738, 2024)"
#define SRC_AMD_C1 "[K] acpi_idle _CST C1 FFH MWAIT 0x0: 1 us, residency 2x (LKML 2021-10-24; EPYC 7313 turbostat)"
#define SRC_AMD_C2 "[K/E] acpi_idle _CST C2 IOPORT 0x814: 400/800 us (LKML 2021-10-24, FreeBSD D47444 7502P); BIOS-set"
#define SRC_AMD_MWAIT "[K] acpi_idle: C1 FFH MWAIT enters mwait_idle_with_hints() (acpi_processor_ffh_cstate_enter()); C2 IOPORT does not"
#define SRC_AMD_C3 "[K] acpi_idle on EPYC exposes POLL, C1, C2 only: no deep state"

#define AMD_IDLE \
	V(idle1_exit_ns, 1000, SRC_AMD_C1), \
	V(idle1_target_ns, 2000, SRC_AMD_C1), \
	V(idle2_exit_ns, 400000, SRC_AMD_C2), \
	V(idle2_target_ns, 800000, SRC_AMD_C2), \
	V(idle3_exit_ns, 0, SRC_AMD_C3), \
	V(idle3_target_ns, 0, SRC_AMD_C3), \
	V(idle_mwait_max, 1, SRC_AMD_MWAIT)

/* Granite Rapids defaults are SNC3 (Intel's default mode, S10); gnr_hex
 * replaces the values that differ with SNC off. */
static const struct family fam_gnr = {
	.name = "granite-rapids",
	.cpu = "Intel Xeon 6980P (Granite Rapids-AP, Redwood Cove), SNC3",
	.intel = true,
	.p = {
		V(freq_ghz, 3.2, "[S] S8 all-core turbo 3.2 GHz (base 2.0, max 3.9)"),
		V(base_ghz, 2.0, "[S] S8 base 2.0 GHz"),
		V(turbo_ghz, 3.9, "[E] 4C turbo bin not published; max turbo 3.9 [S] S8 (top bins flat on Xeon)"),
		V(fi_rule, FI_INTEL, "[K] aperfmperf.c intel_set_max_freq_ratio() -> core_set_max_freq_ratio(), v6.15"),
		V(line_bytes, 64, "[K] cache_linesize 64 (CPUID leaf 4)"),
		V(llc_hit_ns, 33, "[M] S12 C&C: GNR L3 33 ns (SNC3, local die)"),
		V(c2c_smt_ns, 5, "[E] shared L2: ~16 cycles (TOPOLOGIES §2.1)"),
		V(c2c_llc_ns, 80, "[M] S5 ubergarm MLC dual 6980P SNC3: L2->L2 HIT/HITM 80.5/80.9 ns"),
		V(c2c_xllc_ns, 115, "[M] S5 MLC SNC3: HITM other node same socket 99-131 ns (neighbour ~105, far ~130)"),
		V(c2c_xpkg_ns, 225, "[E] typical 200-250 ns; S5 measured 372-452 [M] on one system, flagged suspicious"),
		V(dram_local_ns, 115, "[M] S5 MLC SNC3 idle local latency 102-139 ns, mean of 6 nodes 114.6"),
		V(dram_remote_ns, 230, "[E] typical 200-260 ns; S5 measured 392-513 [M], flagged suspicious (TOPOLOGIES §2.2)"),
		V(dram_bw_node_gbs, 614.4, "[S/D] S8 12 ch DDR5-6400 = 614.4 GB/s per socket (S5 measured ~188 per SNC3 node)"),
		V(llc_link_bw_gbs, 0, "[D] Intel mesh: no per-LLC link to memory"),
		V(c2c_xllc_bw_gbs, 188, "[M] S5 MLC SNC3: ~188 GB/s read by one node's cores from the other node of the socket (mesh path; a lower bound, DRAM-limited)"),
		V(xpkg_bw_gbs, 248, "[M] S5 MLC HEX: 248 GB/s to the remote socket (SNC3 node pair: ~94)"),
		V(idle1_exit_ns, 1000, SRC_GNR_IDLE ": C1 1 us"),
		V(idle1_target_ns, 1000, SRC_GNR_IDLE ": C1 1 us"),
		V(idle2_exit_ns, 4000, SRC_GNR_IDLE ": C1E 4 us"),
		V(idle2_target_ns, 4000, SRC_GNR_IDLE ": C1E 4 us"),
		V(idle3_exit_ns, 170000, SRC_GNR_IDLE ": C6 170 us"),
		V(idle3_target_ns, 650000, SRC_GNR_IDLE ": C6 650 us"),
		V(idle_mwait_max, 3, SRC_GNR_IDLE ": every state is an MWAIT hint (intel_idle() -> mwait_idle_with_hints())"),
	},
};

static const struct pval gnr_hex[MP_NR] = {
	V(llc_hit_ns, 50, "[E] HEX hits slices on all 3 dies: 45-60 ns (TOPOLOGIES §2.1)"),
	V(c2c_llc_ns, 180, "[M] S5 ubergarm MLC dual 6980P HEX: L2->L2 HIT/HITM 179.7/180.2 ns"),
	V(c2c_xllc_ns, 180, "[D] HEX: one LLC per package, no other LLC in it (= c2c_llc_ns)"),
	V(dram_local_ns, 130, "[M] S5 MLC HEX idle local latency 130.7 / 129.4 ns"),
};

static const struct family fam_spr = {
	.name = "sapphire-rapids",
	.cpu = "Intel Xeon Platinum 8480+ (Sapphire Rapids XCC, Golden Cove)",
	.intel = true,
	.p = {
		V(freq_ghz, 3.0, "[E] all-core turbo ~3.0 GHz (base 2.0, max 3.8: TOPOLOGIES §5 [E])"),
		V(base_ghz, 2.0, "[E] base 2.0 GHz (TOPOLOGIES §5 [E])"),
		V(turbo_ghz, 3.8, "[E] 4C turbo bin not published; max turbo 3.8 (TOPOLOGIES §5 [E])"),
		V(fi_rule, FI_INTEL, "[K] aperfmperf.c intel_set_max_freq_ratio() -> core_set_max_freq_ratio(), v6.15"),
		V(line_bytes, 64, "[K] cache_linesize 64 (CPUID leaf 4)"),
		V(llc_hit_ns, 33, "[E] L3 30-35 ns (TOPOLOGIES §5)"),
		V(c2c_smt_ns, 5, "[E] shared L2: ~16 cycles (TOPOLOGIES §5)"),
		V(c2c_llc_ns, 60, "[E] intra-socket HITM 50-70 ns across the 4 tiles (TOPOLOGIES §5)"),
		V(c2c_xllc_ns, 85, "[E] other SNC node, same socket: 70-100 ns (TOPOLOGIES §5b)"),
		V(c2c_xpkg_ns, 185, "[E] cross-socket 170-200 ns (TOPOLOGIES §5b)"),
		V(dram_local_ns, 110, "[E] local DRAM 100-115 ns (TOPOLOGIES §5)"),
		V(dram_remote_ns, 185, "[E] remote socket 170-200 ns (TOPOLOGIES §5)"),
		V(dram_bw_node_gbs, 307.2, "[S/D] 8 ch DDR5-4800 = 307.2 GB/s per socket (TOPOLOGIES §5)"),
		V(llc_link_bw_gbs, 0, "[D] Intel mesh: no per-LLC link to memory"),
		V(c2c_xllc_bw_gbs, 100, "[E] SNC4 node's mesh share: no cross-node c2c bandwidth measurement found; above its 76.8 GB/s DRAM, below GNR's 188 [M]"),
		V(xpkg_bw_gbs, 100, "[E] 4 UPI 2.0 links at 16 GT/s (~128 GB/s raw per direction), ~80% usable"),
		V(idle1_exit_ns, 1000, SRC_SPR_IDLE ": C1 1 us"),
		V(idle1_target_ns, 1000, SRC_SPR_IDLE ": C1 1 us"),
		V(idle2_exit_ns, 2000, SRC_SPR_IDLE ": C1E 2 us"),
		V(idle2_target_ns, 4000, SRC_SPR_IDLE ": C1E 4 us"),
		V(idle3_exit_ns, 290000, SRC_SPR_IDLE ": C6 290 us"),
		V(idle3_target_ns, 800000, SRC_SPR_IDLE ": C6 800 us"),
		V(idle_mwait_max, 3, SRC_SPR_IDLE ": every state is an MWAIT hint (intel_idle() -> mwait_idle_with_hints())"),
	},
};

/* No EMR measurements were found: SPR values, except what the spec changes
 * (320 MB L3 on 2 dies, 8 ch DDR5-5600, 4 UPI at 20 GT/s). */
static const struct family fam_emr = {
	.name = "emerald-rapids",
	.cpu = "Intel Xeon Platinum 8592+ (Emerald Rapids, Raptor Cove, 2 dies)",
	.intel = true,
	.parent = &fam_spr,
	.p = {
		V(freq_ghz, 2.9, "[E] all-core turbo ~2.9 GHz (base 1.9, max 3.9; recollection of Intel ARK)"),
		V(base_ghz, 1.9, "[E] base 1.9 GHz (recollection of Intel ARK)"),
		V(turbo_ghz, 3.9, "[E] 4C turbo bin not published; max turbo 3.9 (recollection of Intel ARK)"),
		KEEP(llc_hit_ns, "[E] as SPR (30-35 ns); EMR has 320 MB L3 on 2 dies, no measurement found"),
		KEEP(c2c_smt_ns, "[E] as SPR: shared 2 MB L2"),
		KEEP(c2c_llc_ns, "[E] as SPR (50-70 ns); 2 dies instead of 4 tiles, no measurement found"),
		KEEP(c2c_xllc_ns, "[E] as SPR: other SNC node 70-100 ns"),
		KEEP(c2c_xpkg_ns, "[E] as SPR: cross-socket 170-200 ns"),
		KEEP(dram_local_ns, "[E] as SPR: 100-115 ns"),
		KEEP(dram_remote_ns, "[E] as SPR: 170-200 ns"),
		V(dram_bw_node_gbs, 358.4, "[S/D] 8 ch DDR5-5600 = 358.4 GB/s per socket"),
		KEEP(c2c_xllc_bw_gbs, "[E] as SPR: one die's mesh share across the die-to-die bridge; no measurement found"),
		V(xpkg_bw_gbs, 125, "[E] 4 UPI links at 20 GT/s (~160 GB/s raw per direction), ~80% usable"),
		KEEP(idle1_exit_ns, SRC_EMR_IDLE ": C1 1 us"),
		KEEP(idle1_target_ns, SRC_EMR_IDLE ": C1 1 us"),
		KEEP(idle2_exit_ns, SRC_EMR_IDLE ": C1E 2 us"),
		KEEP(idle2_target_ns, SRC_EMR_IDLE ": C1E 4 us"),
		KEEP(idle3_exit_ns, SRC_EMR_IDLE ": C6 290 us"),
		KEEP(idle3_target_ns, SRC_EMR_IDLE ": C6 800 us"),
		KEEP(idle_mwait_max, SRC_EMR_IDLE ": every state is an MWAIT hint (intel_idle() -> mwait_idle_with_hints())"),
	},
};

static const struct family fam_milan = {
	.name = "milan",
	.cpu = "AMD EPYC 7763 (Milan, Zen 3: 8 CCD x 8 cores, 32 MB L3 per CCD)",
	.amd = true,
	.p = {
		V(freq_ghz, 2.45, "[S] base 2.45 GHz (boost 3.5)"),
		V(base_ghz, 2.45, "[S] base 2.45 GHz (CPPC nominal perf taken as base)"),
		V(turbo_ghz, 3.5, "[S] max boost 3.5 GHz (CPPC highest perf taken as max boost)"),
		V(fi_rule, FI_AMD, "[K] acpi/cppc.c amd_set_max_freq_ratio(), v6.15"),
		V(line_bytes, 64, "[K] cache_linesize 64 (CPUID leaf 4)"),
		V(llc_hit_ns, 13, "[D] C&C Genoa-X article: Milan-X L3 50 cycles incl. 4 V-cache cycles -> 46 cyc @3.5 GHz"),
		V(c2c_smt_ns, 4, "[E] shared L2: ~12 cycles"),
		V(c2c_llc_ns, 23, "[E] same CCX: as Genoa 22-25 ns [M] (S21)"),
		V(c2c_xllc_ns, 105, "[E] other CCD via the IOD: Genoa 94-104 ns [M] (S21); Zen 3 IF slower"),
		V(c2c_xpkg_ns, 195, "[E] as Genoa 188-202 ns [M] (S21)"),
		V(dram_local_ns, 110, "[E] C&C: Milan-X DRAM latency below Genoa-X's (~110-120 ns)"),
		V(dram_remote_ns, 200, "[E] remote socket ~190-210 ns"),
		V(dram_bw_node_gbs, 204.8, "[S/D] 8 ch DDR4-3200 = 204.8 GB/s per socket"),
		V(llc_link_bw_gbs, 51.2, "[D] CCD read 32 B/clk x FCLK 1.6 GHz (1:1 with DDR4-3200) [E]; write 16 B/clk"),
		V(c2c_xllc_bw_gbs, 51.2, "[D] a line from another CCD crosses the IOD into the reader's CCD over its GMI read port (CCDs have no direct link): = llc_link_bw_gbs"),
		V(xpkg_bw_gbs, 100, "[E] 4 xGMI-2 links x16 at 16 GT/s (~128 GB/s raw per direction), ~80% usable"),
		AMD_IDLE,
	},
};

static const struct family fam_genoa = {
	.name = "genoa",
	.cpu = "AMD EPYC 9654 (Genoa, Zen 4: 12 CCD x 8 cores, 32 MB L3 per CCD)",
	.amd = true,
	.gmi_wide_max_ccds = 4,
	.gmi_wide_src = "[E] GMI3-Wide (2 links per CCD) on 4-CCD Genoa parts",
	.p = {
		V(freq_ghz, 2.4, "[S] S25 base 2.4 GHz (boost 3.7)"),
		V(base_ghz, 2.4, "[S] S25 base 2.4 GHz (CPPC nominal perf taken as base)"),
		V(turbo_ghz, 3.7, "[S] S25 max boost 3.7 GHz (CPPC highest perf taken as max boost)"),
		V(fi_rule, FI_AMD, "[K] acpi/cppc.c amd_set_max_freq_ratio(), v6.15"),
		V(line_bytes, 64, "[K] cache_linesize 64 (S1 real 2x9654 XML)"),
		V(llc_hit_ns, 13, "[E] L3 ~13 ns (TOPOLOGIES §4.4)"),
		V(c2c_smt_ns, 4, "[E] shared L2: ~14 cycles"),
		V(c2c_llc_ns, 23, "[M] S21 core-to-core CAS 2x9274F: same CCD 22-25 ns"),
		V(c2c_xllc_ns, 99, "[M] S21 core-to-core CAS 2x9274F: other CCD same socket 94-104 ns"),
		V(c2c_xpkg_ns, 195, "[M] S21 core-to-core CAS 2x9274F: cross-socket 188-202 ns"),
		V(dram_local_ns, 115, "[E] local DRAM NPS1 110-120 ns (TOPOLOGIES §4.4)"),
		V(dram_remote_ns, 205, "[E] remote socket 190-220 ns (TOPOLOGIES §5b)"),
		V(dram_bw_node_gbs, 460.8, "[S/D] 12 ch DDR5-4800 = 460.8 GB/s per socket (TOPOLOGIES §4.4)"),
		V(llc_link_bw_gbs, 57.6, "[D] GMI3 read 32 B/clk x FCLK 1.8 GHz [E]; C&C saw >50 GB/s per CCD"),
		V(c2c_xllc_bw_gbs, 57.6, "[D] a line from another CCD crosses the IOD into the reader's CCD over its GMI read port (CCDs have no direct link): = llc_link_bw_gbs"),
		V(xpkg_bw_gbs, 200, "[E] 4 xGMI3 links x16 at 32 GT/s (~256 GB/s raw per direction), ~80% usable"),
		AMD_IDLE,
	},
};

static const struct family fam_turin = {
	.name = "turin",
	.cpu = "AMD EPYC 9755 (Turin, Zen 5: 16 CCD x 8 cores, 32 MB L3 per CCD)",
	.amd = true,
	.gmi_wide_max_ccds = 8,
	.gmi_wide_src = "[S/M] S13: GMI-Wide (2 links per CCD) only on <= 8-CCD Turin parts",
	.p = {
		V(freq_ghz, 2.7, "[S] S25 base 2.7 GHz (boost 4.1)"),
		V(base_ghz, 2.7, "[S] S25 base 2.7 GHz (CPPC nominal perf taken as base)"),
		V(turbo_ghz, 4.1, "[S] S25 max boost 4.1 GHz (CPPC highest perf taken as max boost)"),
		V(fi_rule, FI_AMD, "[K] acpi/cppc.c amd_set_max_freq_ratio(), v6.15"),
		V(line_bytes, 64, "[K] cache_linesize 64 (CPUID leaf 4)"),
		V(llc_hit_ns, 11, "[M] S12/S13 C&C: Turin L3 ~11 ns (9355P)"),
		V(c2c_smt_ns, 4, "[E] shared L2: ~14 cycles (TOPOLOGIES §4.1)"),
		V(c2c_llc_ns, 23, "[E] same CCX 20-25 ns, from Zen 4 S21 (TOPOLOGIES §4.1)"),
		V(c2c_xllc_ns, 115, "[E] other CCD 100-130 ns; Genoa 94-104 [M] (S21)"),
		V(c2c_xpkg_ns, 195, "[E] cross-socket 190-200 ns, Genoa [M] (S21)"),
		V(dram_local_ns, 130, "[M/D] S14 C&C: NPS1 ~130 ns (NPS0 >220 ns is ~90 ns above 9355P NPS1)"),
		V(dram_remote_ns, 220, "[E] remote socket 200-240 ns (TOPOLOGIES §4.1)"),
		V(dram_bw_node_gbs, 614.4, "[S/D] 12 ch DDR5-6400 = 614.4 GB/s per socket (TOPOLOGIES §4.1)"),
		V(llc_link_bw_gbs, 64, "[D] GMI read 32 B/clk x FCLK 2.0 GHz [E] = 64 GB/s per CCD"),
		V(c2c_xllc_bw_gbs, 64, "[D] a line from another CCD crosses the IOD into the reader's CCD over its GMI read port (CCDs have no direct link): = llc_link_bw_gbs"),
		V(xpkg_bw_gbs, 200, "[E] 4 xGMI3 links x16 at 32 GT/s (~256 GB/s raw per direction), ~80% usable"),
		AMD_IDLE,
	},
};

static const struct family fam_turin_dense = {
	.name = "turin-dense",
	.cpu = "AMD EPYC 9965 (Turin dense, Zen 5c: 12 CCD x 16 cores, 32 MB L3 per CCD)",
	.amd = true,
	.gmi_wide_max_ccds = 8,
	.gmi_wide_src = "[S/M] S13: GMI-Wide (2 links per CCD) only on <= 8-CCD Turin parts",
	.parent = &fam_turin,
	.p = {
		V(freq_ghz, 2.25, "[E] base 2.25 GHz (boost 3.7 [S] S13)"),
		V(base_ghz, 2.25, "[E] base 2.25 GHz (CPPC nominal perf taken as base)"),
		V(turbo_ghz, 3.7, "[S] S13 max boost 3.7 GHz (CPPC highest perf taken as max boost)"),
		V(llc_hit_ns, 13, "[E] 16-core CCX at lower clock: 12-14 ns (TOPOLOGIES §5b)"),
		KEEP(c2c_smt_ns, "[E] shared L2 (TOPOLOGIES §5b)"),
		V(c2c_llc_ns, 25, "[E] same 16-core CCX 20-30 ns (TOPOLOGIES §5b)"),
		KEEP(c2c_xllc_ns, "[E] other CCD 100-130 ns, as 9755 (TOPOLOGIES §4.3)"),
		KEEP(c2c_xpkg_ns, "[E] cross-socket as 9755 (TOPOLOGIES §5b)"),
		KEEP(dram_local_ns, "[E] as 9755 NPS1 ~130 ns [M/D] (S14)"),
		KEEP(dram_remote_ns, "[E] as 9755: 200-240 ns"),
	},
};

/* Hygon C86 (Dhyana): AMD Zen 1 licensed, family 18h, built like EPYC
 * Naples -- several dies per socket, each its own NUMA node with its own
 * DRAM channels, 4-core CCXs with 8 MB of L3.  The machine of the Hygon
 * topology-aware aggregation RFCs (CAS-after-merge.md §1.7) is a C86-7490
 * class part whose clock, caches, latencies and SLIT are not published
 * there: every value is an estimate, from Zen 1 / Naples where Hygon
 * inherits the design (recollections of public measurements, not
 * re-checked), from the EPYC platform otherwise.  Not .amd: Naples-style
 * dies are native NUMA nodes, there is no NPS mode to adjust for. */
#define SRC_HYGON_IDLE "[E] EPYC acpi_idle _CST (LKML 2021-10-24, FreeBSD D47444) assumed for a Zen-derived Hygon BIOS"
static const struct family fam_hygon = {
	.name = "hygon-c86",
	.cpu = "Hygon C86-7490 class (Dhyana, Zen 1 derived: 4 dies x 4 CCX x 4 cores, 8 MB L3 per CCX)",
	.p = {
		V(freq_ghz, 2.7, "[E] base 2.7 GHz, boost 3.5 (recollection of the C86-7490 listing); all-core ~ base"),
		V(fi_rule, FI_NONE, "[K] acpi/cppc.c init_freq_invariance_cppc() returns for a vendor other than AMD, aperfmperf.c sets the Intel ratio only: Hygon stays at 1024 (v6.15)"),
		V(line_bytes, 64, "[K] x86 64-byte line (Zen 1 CPUID leaf 8000_001D)"),
		V(llc_hit_ns, 14, "[E] Zen 1 L3 ~40 cycles (recollection of Naples/Ryzen 1 measurements) at 2.7-3 GHz"),
		V(c2c_smt_ns, 5, "[E] shared L2 (512 KiB per core, Zen 1): about an L2 hit"),
		V(c2c_llc_ns, 30, "[E] same Zen 1 CCX: 25-40 ns (recollection of Ryzen 1 core-to-core tests)"),
		V(c2c_xllc_ns, 130, "[E] other CCX: ~110 ns on the same die, ~200 ns on another die (Zen 1, recollection); weighted to the die"),
		V(c2c_xpkg_ns, 260, "[E] cross-socket on Naples-class links: 230-300 ns (recollection)"),
		V(dram_local_ns, 95, "[E] Naples-style die-local DRAM 90-100 ns (recollection)"),
		V(dram_remote_ns, 230, "[E] remote socket 200-250 ns on Naples-class links (recollection)"),
		V(dram_bw_node_gbs, 204.8, "[E] socket: 8 ch DDR4-3200 = 204.8 GB/s (2 channels per die, Naples layout)"),
		V(llc_link_bw_gbs, 51.2, "[E] Zen 1 CCX to data fabric 32 B/clk x MEMCLK 1.6 GHz (DDR4-3200)"),
		V(c2c_xllc_bw_gbs, 51.2, "[E] a line from another CCX crosses the data fabric into the reader's CCX port: = llc_link_bw_gbs"),
		V(xpkg_bw_gbs, 60, "[E] Naples-class 2S: 4 x16 inter-socket links at ~10.7 GT/s (~38 GB/s each per direction, ~150 total), less for one node pair"),
		V(idle1_exit_ns, 1000, SRC_HYGON_IDLE ": C1 1 us"),
		V(idle1_target_ns, 2000, SRC_HYGON_IDLE ": C1 residency 2 us"),
		V(idle2_exit_ns, 400000, SRC_HYGON_IDLE ": C2 400 us"),
		V(idle2_target_ns, 800000, SRC_HYGON_IDLE ": C2 residency 800 us"),
		V(idle3_exit_ns, 0, SRC_HYGON_IDLE ": no deep state"),
		V(idle3_target_ns, 0, SRC_HYGON_IDLE ": no deep state"),
		V(idle_mwait_max, 1, SRC_HYGON_IDLE ": C1 FFH MWAIT, C2 IOPORT"),
	},
};

static const struct family *const families[] = {
	&fam_gnr, &fam_spr, &fam_emr, &fam_milan, &fam_genoa, &fam_turin, &fam_turin_dense,
	&fam_hygon, &fam_generic,
};

const char *const profile_names[] = {
	"granite-rapids", "sapphire-rapids", "emerald-rapids", "milan", "genoa", "turin",
	"turin-dense", "hygon-c86", "generic", NULL,
};

/* ---- helpers ------------------------------------------------------------ */

static void set_src(struct machine_profile *p, int i, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static void set_src(struct machine_profile *p, int i, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(p->src[i], sizeof(p->src[i]), fmt, ap);
	va_end(ap);
}

/* A derived source that quotes another: cut with "..." rather than
 * silently at the buffer's end. */
static void set_src_cut(struct machine_profile *p, int i, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static void set_src_cut(struct machine_profile *p, int i, const char *fmt, ...)
{
	char buf[512];
	size_t cap = sizeof(p->src[i]) - 8;
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	if (strlen(buf) > cap)
		memcpy(buf + cap - 3, "...", 4);
	memcpy(p->src[i], buf, strlen(buf) + 1);
}

static void apply_table(struct machine_profile *p, const struct pval *tab)
{
	for (int i = 0; i < MP_NR; i++)
		if (tab[i].src) {
			if (!tab[i].keep)
				p->v[i] = tab[i].v;
			set_src(p, i, "%s", tab[i].src);
		}
}

/* A family's values over its parent's, over the generic table's. */
static void apply_family(struct machine_profile *p, const struct family *f)
{
	if (f != &fam_generic)
		apply_family(p, f->parent ? f->parent : &fam_generic);
	apply_table(p, f->p);
}

int profile_param_index(const char *name)
{
	if (!name)
		return -1;
	for (int i = 0; i < MP_NR; i++)
		if (!strcmp(model_param_defs[i].name, name))
			return i;
	return -1;
}

static const struct family *family_by_name(const char *name)
{
	for (size_t i = 0; i < ARRAY_SIZE(families); i++)
		if (!strcmp(families[i]->name, name))
			return families[i];
	return NULL;
}

static void names_list(char *buf, size_t len)
{
	size_t off = 0;

	buf[0] = '\0';
	for (int i = 0; profile_names[i] && off < len; i++)
		off += (size_t)snprintf(buf + off, len - off, "%s%s", i ? ", " : "", profile_names[i]);
}

/* Parse and range-check @value for parameter @i. */
static int parse_value(int i, const char *what, const char *value, double *out, struct diag *err)
{
	const struct model_param_def *d = &model_param_defs[i];
	char *end;
	double v;

	errno = 0;
	v = strtod(value, &end);
	while (end && isspace((unsigned char)*end))
		end++;
	if (end == value || *end || errno || !isfinite(v))
		return diag_set(err, "%s%s=%s: not a number", what, d->name, value);
	if (v < d->min || v > d->max)
		return diag_set(err, "%s%s=%s: out of range (expected %g..%g%s%s)", what, d->name, value,
				d->min, d->max, *d->unit ? " " : "", d->unit);
	*out = v;
	return 0;
}

int profile_set(struct machine_profile *p, const char *name, const char *value, struct diag *err)
{
	int i = profile_param_index(name);
	double v;

	if (i < 0)
		return diag_set(err, "--set %s=%s: unknown model parameter (see cassim topo SPEC --show-model)",
				name, value);
	if (parse_value(i, "--set ", value, &v, err))
		return -1;
	p->v[i] = v;
	set_src(p, i, "--set");
	return 0;
}

/* ---- which family ---------------------------------------------------------- */

/* Value of info @name on the first object whose label starts with @obj. */
static const char *info_get(const struct topo *t, const char *obj, const char *name)
{
	size_t n = strlen(obj);

	for (int i = 0; i < t->nr_info; i++)
		if (!strncmp(t->info[i].obj, obj, n) && !strcmp(t->info[i].name, name))
			return t->info[i].value;
	return NULL;
}

/* CPU identification: packages first (where hwloc puts it), then Machine. */
static const char *cpu_info(const struct topo *t, const char *name)
{
	const char *v = info_get(t, "Package", name);

	return v ? v : info_get(t, "Machine", name);
}

static bool parse_int(const char *s, long *out)
{
	char *end;

	if (!s || !*s)
		return false;
	errno = 0;
	*out = strtol(s, &end, 0);
	return !errno && end != s && !*end;
}

static const struct family *family_by_cpuid(const char *vendor, long fam, long model)
{
	if (!strcmp(vendor, "GenuineIntel") && fam == 6) {
		switch (model) {
		case 143: return &fam_spr;    /* 0x8F SAPPHIRERAPIDS_X */
		case 207: return &fam_emr;    /* 0xCF EMERALDRAPIDS_X */
		case 173:                     /* 0xAD GRANITERAPIDS_X */
		case 174: return &fam_gnr;    /* 0xAE GRANITERAPIDS_D */
		}
		return NULL;
	}
	if (!strcmp(vendor, "AuthenticAMD")) {
		/* 19h: Zen 3 at models 00-0F (Milan), 20-5F (client); Zen 4 at
		 * 10-1F (Genoa), 60-AF (client, Bergamo/Siena) */
		if (fam == 25)
			return (model < 0x10 || (model >= 0x20 && model < 0x60)) ? &fam_milan : &fam_genoa;
		/* 1Ah: 00-0F Turin (Zen 5), 10-1F Turin dense (Zen 5c); others client Zen 5 */
		if (fam == 26)
			return (model >= 0x10 && model < 0x20) ? &fam_turin_dense : &fam_turin;
	}
	/* Hygon Dhyana: family 18h (X86_VENDOR_HYGON, arch/x86/kernel/cpu/hygon.c) */
	if (!strcmp(vendor, "HygonGenuine") && fam == 24)
		return &fam_hygon;
	return NULL;
}

/* The 4-digit number after @key in @s (-1 if none); *@suffix gets the
 * character after it. */
static int sku_after(const char *s, const char *key, char *suffix)
{
	const char *q = strstr(s, key);
	int n = 0;

	if (!q)
		return -1;
	q += strlen(key);
	for (int k = 0; k < 4; k++, q++) {
		if (!isdigit((unsigned char)*q))
			return -1;
		n = n * 10 + (*q - '0');
	}
	if (suffix)
		*suffix = *q;
	return n;
}

static const struct family *family_by_model_string(const char *m)
{
	static const char *const intel_lines[] = { "Platinum ", "Gold ", "Silver ", "Bronze " };
	char sfx = 0;
	int sku;

	if (strstr(m, "Granite Rapids"))
		return &fam_gnr;
	if (strstr(m, "Sapphire Rapids"))
		return &fam_spr;
	if (strstr(m, "Emerald Rapids"))
		return &fam_emr;
	/* Xeon 6 P-cores: 6980P, 6787P ... (E-core parts end in E) */
	if ((sku = sku_after(m, "Xeon(R) ", &sfx)) < 0)
		sku = sku_after(m, "Xeon ", &sfx);
	if (sku >= 6000 && sku < 7000 && sfx == 'P')
		return &fam_gnr;
	for (size_t i = 0; i < ARRAY_SIZE(intel_lines); i++)
		if ((sku = sku_after(m, intel_lines[i], NULL)) >= 0) {
			if (sku / 100 % 10 == 4)
				return &fam_spr; /* 4th gen: 8480, 6430 ... */
			if (sku / 100 % 10 == 5)
				return &fam_emr; /* 5th gen: 8580, 8592 ... */
		}
	if ((sku = sku_after(m, "EPYC ", NULL)) >= 0) {
		int gen = sku % 10, series = sku / 1000;

		if (series == 7 && gen == 3)
			return &fam_milan;
		if (series == 9 && gen == 4)
			return &fam_genoa;
		if (series == 9 && gen == 5) {
			/* the Zen 5c SKUs */
			if (sku == 9965 || sku == 9845 || sku == 9825 || sku == 9745 || sku == 9645)
				return &fam_turin_dense;
			return &fam_turin;
		}
	}
	return NULL;
}

static const struct family *family_by_topo_name(const char *name)
{
	static const struct { const char *pat; const struct family *f; } pats[] = {
		{ "turin-dense", &fam_turin_dense }, { "9965", &fam_turin_dense },
		{ "turin", &fam_turin }, { "9755", &fam_turin },
		{ "genoa", &fam_genoa }, { "9654", &fam_genoa },
		{ "milan", &fam_milan },
		{ "granite", &fam_gnr }, { "gnr", &fam_gnr }, { "xeon6", &fam_gnr },
		{ "sapphire", &fam_spr }, { "spr", &fam_spr },
		{ "emerald", &fam_emr }, { "emr", &fam_emr },
		{ "hygon", &fam_hygon }, { "c86", &fam_hygon },
	};
	char low[sizeof(((struct topo *)0)->name)];
	size_t n = 0;

	for (; name[n] && n + 1 < sizeof(low); n++)
		low[n] = (char)tolower((unsigned char)name[n]);
	low[n] = '\0';
	for (size_t i = 0; i < ARRAY_SIZE(pats); i++)
		if (strstr(low, pats[i].pat))
			return pats[i].f;
	return NULL;
}

/* ---- the topology's part ----------------------------------------------------- */

/* Most LLCs in one package. */
static int max_llcs_per_pkg(const struct topo *t)
{
	int best = 0;

	for (int pk = 0; pk < t->nr_pkgs; pk++) {
		int n = 0;
		for (int l = 0; l < t->nr_llcs; l++)
			n += t->llc[l].pkg == pk;
		best = MAX(best, n);
	}
	return best;
}

static void apply_memory(struct machine_profile *p, const struct topo *t, const struct family *f)
{
	double socket = p->v[MP_dram_bw_node_gbs];
	char ssrc[sizeof(p->src[0])];
	int cpu_nodes = 0, spanning = 0;

	snprintf(ssrc, sizeof(ssrc), "%s", p->src[MP_dram_bw_node_gbs]);
	for (int n = 0; n < t->nr_nodes; n++)
		if (t->node[n].nr_cpus) {
			cpu_nodes++;
			spanning += t->node[n].pkg < 0;
		}
	if (!cpu_nodes)
		cpu_nodes = t->nr_nodes;
	if (spanning && cpu_nodes < t->nr_pkgs) {
		/* DRAM interleaved across sockets (the 1-node SPR/EMR boxes) */
		double l = p->v[MP_dram_local_ns], r = p->v[MP_dram_remote_ns];

		p->v[MP_dram_bw_node_gbs] = socket * t->nr_pkgs / cpu_nodes;
		set_src_cut(p, MP_dram_bw_node_gbs, "[D] %g GB/s x %d sockets / %d node (interleaved); socket %s",
			socket, t->nr_pkgs, cpu_nodes, ssrc);
		p->v[MP_dram_local_ns] = (l + r) / 2;
		set_src(p, MP_dram_local_ns, "[D] node interleaves %d sockets: mean of local %g and remote %g ns",
			t->nr_pkgs, l, r);
		return;
	}
	{
		int per_pkg = MAX(1, (cpu_nodes + t->nr_pkgs - 1) / t->nr_pkgs);

		p->v[MP_dram_bw_node_gbs] = socket / per_pkg;
		set_src_cut(p, MP_dram_bw_node_gbs, "[D] %g GB/s / %d node(s) per package; socket %s",
			socket, per_pkg, ssrc);
		/* AMD NPS2/NPS4: a quadrant's own channels are closer (S29) */
		if (f->amd && per_pkg >= 2) {
			double d = per_pkg >= 4 ? 10 : 5;

			p->v[MP_dram_local_ns] -= d;
			set_src(p, MP_dram_local_ns, "[E] NPS%d: %g ns below NPS1 (Rome NPS4 113 vs NPS1 122 ns, S29); NPS1 %g ns",
				per_pkg, d, p->v[MP_dram_local_ns] + d);
		}
	}
}

static void apply_gmi(struct machine_profile *p, const struct topo *t, const struct family *f)
{
	int ccds = max_llcs_per_pkg(t);

	/* the CCD's link carries its DRAM fills and the lines it reads from
	 * other CCDs alike: GMI-Wide doubles both */
	static const enum model_param link[] = { MP_llc_link_bw_gbs, MP_c2c_xllc_bw_gbs };

	if (!f->gmi_wide_max_ccds || ccds > f->gmi_wide_max_ccds)
		return;
	for (size_t i = 0; i < sizeof(link) / sizeof(link[0]); i++) {
		double v = p->v[link[i]];

		if (v <= 0)
			continue;
		p->v[link[i]] = 2 * v;
		set_src_cut(p, link[i], "[D] %d CCDs per package: GMI-Wide doubles %g GB/s; %s", ccds, v,
			f->gmi_wide_src);
	}
}

static void apply_llc(struct machine_profile *p, const struct topo *t)
{
	const struct topo_llc *l;

	if (!t->nr_llcs)
		return;
	l = &t->llc[0];
	for (int i = 1; i < t->nr_llcs; i++)
		if (t->llc[i].hw_size_bytes != l->hw_size_bytes) {
			/* caches of different sizes (ryzen-7950x3d-asym-llc; not GNR SNC3's split of
			 * one L3 over 86/86/84 CPUs): perf.c takes each LLC's own */
			set_src(p, MP_llc_bytes, "topology: each LLC its own size (LLC 0 %.4g MiB, LLC %d %.4g MiB, ...)",
				l->size_bytes / 1048576.0, i, t->llc[i].size_bytes / 1048576.0);
			return;
		}
	if (l->hw_cpus != l->nr_cpus)
		set_src(p, MP_llc_bytes, "topology: L%d object %.4g MiB shared by %d CPUs, LLC of %d CPUs -> %.4g MiB (sd->llc_bytes)",
			l->cache_level, l->hw_size_bytes / 1048576.0, l->hw_cpus, l->nr_cpus,
			l->size_bytes / 1048576.0);
	else
		set_src(p, MP_llc_bytes, "topology: L%d object size %.4g MiB per LLC of %d CPUs", l->cache_level,
			l->size_bytes / 1048576.0, l->nr_cpus);
}

/* hwloc memory attributes of the NUMA nodes (initiator: the node's own
 * CPUs): Bandwidth in MiB/s, Latency in ns.  The mean over the nodes that
 * have one. */
static void apply_memattrs(struct machine_profile *p, const struct topo *t)
{
	static const struct { const char *attr; int idx; double scale; const char *unit; } m[] = {
		{ "Bandwidth", MP_dram_bw_node_gbs, 1048576.0 / 1e9, "MiB/s" },
		{ "Latency", MP_dram_local_ns, 1.0, "ns" },
	};

	for (size_t a = 0; a < ARRAY_SIZE(m); a++) {
		char prefix[48];
		double sum = 0;
		int n = 0;

		snprintf(prefix, sizeof(prefix), "memattr:%s:", m[a].attr);
		for (int i = 0; i < t->nr_info; i++) {
			char *end;
			double v;

			if (strncmp(t->info[i].obj, prefix, strlen(prefix)))
				continue;
			v = strtod(t->info[i].value, &end);
			if (end == t->info[i].value || v <= 0)
				continue;
			sum += v;
			n++;
		}
		if (!n)
			continue;
		p->v[m[a].idx] = sum / n * m[a].scale;
		set_src(p, m[a].idx, "topology memattr %s: %g %s (mean of %d node%s)", m[a].attr, sum / n, m[a].unit, n,
			n > 1 ? "s" : "");
	}
}

static int apply_info_pairs(struct machine_profile *p, const struct topo *t, struct diag *err)
{
	for (int i = 0; i < t->nr_info; i++) {
		const struct topo_info *in = &t->info[i];
		double v;
		int k;

		if (strcmp(in->obj, "Machine") || strncmp(in->name, "cassim.", 7))
			continue;
		k = profile_param_index(in->name + 7);
		if (k < 0)
			continue; /* cassim.machine, cassim.profile, ... */
		if (parse_value(k, "info cassim.", in->value, &v, err)) {
			diag_prefix(err, "%s: ", t->source);
			return -1;
		}
		p->v[k] = v;
		set_src(p, k, "topology info %s", in->name);
	}
	return 0;
}

int profile_for_topo(const struct topo *t, const char *name, struct machine_profile *p,
		     struct diag *err)
{
	const struct family *f = NULL;
	const char *forced = NULL;
	char names[256];

	memset(p, 0, sizeof(*p));
	names_list(names, sizeof(names));
	if (name) {
		f = family_by_name(name);
		if (!f)
			return diag_set(err, "--profile %s: unknown profile (expected one of: %s)", name, names);
	} else if ((forced = info_get(t, "Machine", "cassim.profile"))) {
		f = family_by_name(forced);
		if (!f)
			return diag_set(err, "%s: info cassim.profile=%s: unknown profile (expected one of: %s)",
					t->source, forced, names);
	} else {
		const char *vendor = cpu_info(t, "CPUVendor"), *model = cpu_info(t, "CPUModel");
		long fam, mod;

		if (vendor && parse_int(cpu_info(t, "CPUFamilyNumber"), &fam) &&
		    parse_int(cpu_info(t, "CPUModelNumber"), &mod))
			f = family_by_cpuid(vendor, fam, mod);
		if (!f && model)
			f = family_by_model_string(model);
		if (!f)
			f = family_by_topo_name(t->name);
		if (!f)
			f = &fam_generic;
	}

	snprintf(p->name, sizeof(p->name), "%s", f->name);
	snprintf(p->cpu, sizeof(p->cpu), "%s", f->cpu);
	apply_family(p, f);
	if (f == &fam_gnr && max_llcs_per_pkg(t) <= 1) {
		/* on Intel one LLC per package means SNC off (HEX on GNR-AP) */
		apply_table(p, gnr_hex);
		snprintf(p->cpu, sizeof(p->cpu), "%s",
			 "Intel Xeon 6980P (Granite Rapids-AP, Redwood Cove), SNC off (HEX)");
	}
	apply_llc(p, t);
	apply_memory(p, t, f);
	apply_gmi(p, t, f);
	apply_memattrs(p, t);
	return apply_info_pairs(p, t, err);
}
