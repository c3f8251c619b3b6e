/*
 * The machine model (perf.h, MODEL.md).
 *
 * State.  Everything is allocated in perf_new(); the per-call paths only
 * read and write those arrays.
 *
 *   - Occupancy: raw[llc][owner] with owner = tid for a thread's private set
 *     and nr_threads + proc for a process's shared set; bytes = raw x
 *     scale[llc].  A fill that pushes an LLC beyond its capacity multiplies
 *     scale[llc] by capacity / total (every owner evicted in proportion to
 *     what it holds, random replacement).  sum_raw[llc] is the LLC's total,
 *     act_raw[llc] the part held by *active* owners (a private set whose
 *     thread runs there with memory references, a shared set with such a
 *     thread of its process there), n_act[llc] their number.
 *   - A run segment per thread: the constants of T(w) (below) fixed when it
 *     (re)starts, the occupancies it started from, its registered DRAM
 *     demand.
 *   - Per process: running counts per LLC / package / total (threads whose
 *     open segment references the shared set), for the remote-modified
 *     probability; page distribution of the shared set.
 *   - Per CPU: the thread with an open segment, the idle governor.
 *
 * Segment time.  For a segment with private set (footprint F, occupancy x0,
 * refs rp per ns of work) and shared set (size S, occupancy y0, warming refs
 * rs = rho_s (1 - p_rm), remote-modified refs rm = rho_s p_rm), the wall time
 * of w ns of work is
 *
 *   T(w) = A w + Bp Mp(w) + Bs Ms(w)
 *   A    = smt (1 + [(rp + rs) t_llc + rm t_c2c] / mlp)
 *   Bx   = smt (t_miss,x - t_llc) / mlp   (t_miss,x: loaded, stretched)
 *
 * where M(w) are the misses of a warming set (each miss brings one line):
 *
 *   M(w) = (F - x0)/line (1 - exp(-r line w / F))              w <= w*
 *        = (L - x0)/line + r (1 - L/F) (w - w*)                 w >  w*
 *
 * L is the occupancy the set can reach within the segment: F if the LLC has
 * room for it, else what the LLC holds beyond the other active owners (at
 * least an equal share C / active owners).  w* is when the set reaches L
 * (infinite when L = F: the plain closed form of perf.h).  Beyond L every
 * miss evicts a line of the same LLC and the set's hit ratio stays L/F, so a
 * set larger than the cache keeps missing at r (1 - L/F) instead of
 * "warming" to a footprint the cache cannot hold.  Stale owners (not
 * running) do not limit L: the warming set evicts them.  The fills are
 * applied to the occupancies when the segment is advanced (all misses x
 * line, capped at the footprint), followed by proportional eviction.
 *
 * T is increasing and concave (M concave), so perf_advance() inverts it by
 * Newton from below (T(w0) <= E for w0 = E / T'(0)), safeguarded by
 * bisection inside [0, E / smt].
 *
 * DRAM demand.  Each open segment registers, per node of its pages and for
 * its LLC's link, the bytes/ns its misses would request at the *idle*
 * latency without stretching: line x miss rate at the segment start / the
 * unloaded slowdown.  Using the unconstrained demand keeps it independent of
 * the other threads (no fixed point to iterate) and makes "demand / bandwidth"
 * the fair-share stretch.  A segment's DRAM latency from node i to pages on
 * node j is lat(i,j) x (1 + k u_j^2 / (1 - u_j)) x max(1, D_j / bw_node,
 * D_llc / bw_llc) with u_j = min(D_j / bw_node, 0.95), averaged over the
 * page distribution; fixed until the segment is next advanced.
 *
 * Cache-to-cache bandwidth.  The remote-modified refs move lines into the
 * reader's LLC from other LLCs: from LLCs of its package over the LLC's
 * inbound fabric port (AMD: the CCD's GMI link; Intel: the mesh into an SNC
 * node's LLC slices), from other packages over the socket links (xGMI,
 * UPI).  Each open segment registers that traffic as DRAM demand is
 * registered, at the unloaded latency: D_x = line rm f_x / s0 on its LLC
 * (f_x the share of the remote writers in other LLCs of its package) and
 * D_k = line rm f_k / s0 on its package (f_k the share in other packages).
 * The transfer latencies are then loaded the same way as DRAM's:
 * t_xllc (1 + k u^2/(1-u)) max(1, D_llc/bw_xllc) with u = min(D/bw, 0.95),
 * and t_xpkg with D_pkg / xpkg_bw; so write-sharing heavy enough to fill
 * the links stretches every transfer instead of costing one idle latency.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_randist.h>

#include "hw/perf.h"
#include "hw/menu.h"
#include "hw/teo.h"
#include "base/xalloc.h"

/* Standard normal quantile of 0.9999: an idle state's exit_ns is the
 * 99.99th percentile of its exit latency (see lat_draw_exit()). */
#define Z_9999 3.719016485
#define SCALE_MIN 1e-150
#define MAX_SIB 64

/* One warming set of an open segment. */
struct wset {
	double x0;  /* occupancy (bytes) at the segment start */
	double F;   /* footprint (bytes); 0 = no set */
	double L;   /* occupancy reachable in this segment (x0 <= L <= F) */
	double r;   /* warming refs per ns of work */
	double k;   /* r x line / F: per ns of work */
	double ws;  /* work (ns) at which the set reaches L (INFINITY: never) */
	double B;   /* wall ns per miss beyond an LLC hit: smt (t_miss - t_llc) / mlp */
};

struct pthr {
	int proc;
	int cpu;            /* CPU of the open segment, -1 = none */
	int llc, node, pkg;
	bool fast;          /* pure compute segment */
	bool shared_on;     /* counted in the process's running counts */
	bool placed;        /* private pages placed */
	simtime_t t0;       /* segment (re)start */
	double work_acc;    /* work done since the caller last collected it */
	struct perf_mem m;  /* the burst's memory behaviour */
	double footprint;   /* private footprint of the latest burst */
	double mlp, smt;
	double rrm;         /* remote-modified refs per ns of work */
	double A;
	struct wset set[2]; /* [0] private, [1] shared */
	double dem;         /* registered DRAM demand (bytes/ns) */
	int dem_llc;        /* LLC it is registered on, -1 none */
	double cdem_x, cdem_k; /* registered c2c demand: other LLCs / packages */
	int cdem_llc, cdem_pkg; /* where it is registered, -1 none */
};

struct pidle {
	struct menu_dev menu;
	struct teo_dev teo; /* the governor's data when idle_teo=1 */
	int state;          /* index into pf->st */
	bool idle;
	simtime_t t_enter;
};

struct perf {
	const struct topo *t;
	perf_retime_fn retime;
	void *ctx;
	int nt, np, nc, nl, nn, npk, no;
	uint64_t footprint_gen; /* changes of any thread's private footprint */

	/* profile values (defaults for zeros applied) */
	double line, tllc, lat_rel[5], bw_node, bw_llc, kload, mlp_def, smt_f;
	double wake_lines, msg_lines, ipi_ns, ipi_send_ns, wake_local_ns, switch_ns, scan_ns;
	double c2c_bw;     /* bytes per ns */
	double bw_xllc, bw_xpkg; /* c2c transfer bandwidths (bytes/ns); 0 = no limit */
	int nr_states;      /* st[0] is POLL */
	struct idle_state st[MENU_MAX_STATES];
	bool teo; /* the cpuidle governor: teo, else menu */
	/* the state is entered with MWAIT, which watches the idle task's
	 * thread flags with TIF_POLLING_NRFLAG set (idle_mwait_max) */
	bool st_mwait[MENU_MAX_STATES];

	/* latency distributions (lat_*): lognormal log-medians and shapes;
	 * without a stream (perf_seed() not called) or with latency_jitter=0
	 * every draw is the distribution's mean */
	struct rng rng;
	bool jitter;
	double exit_med, exit_sigma;  /* median as a fraction of exit_ns; shape */
	double ipi_sigma, wake_sigma;
	double rq_hold;     /* rq_lock_hold_ns */
	double *rq_free;    /* [nc]: when the rq's lock / wake list is next free */
	int *rq_last;       /* [nc]: waker CPU of the last activation queued, -1 none */

	/* topology helpers */
	int *core_off, *core_cnt, *core_cpus; /* SMT siblings per core */
	double *lat;        /* [nn * nn] idle DRAM latency, cpu node -> page node */
	int *mem_nodes, nr_mem_nodes; /* interleave targets */

	/* per CPU */
	int *cur;           /* tid with an open segment, -1 (set_cur()) */
	int *core_busy;     /* [nr_cores]: CPUs of the core with an open segment */
	/* SMT re-timing held for the rest of an instant (perf_batch_begin()) */
	int batch;          /* nesting depth */
	bool *core_pend;    /* [nr_cores]: a CPU of the core started or stopped */
	int *pend_cores, npend;
	struct pidle *idle;

	/* per LLC */
	double *cap, *scale, *sum_raw, *act_raw, *llc_dem;
	double *c2c_dem;    /* [nl] c2c demand into the LLC from other LLCs */
	int *n_act;
	double *raw;        /* [nl * no] */

	/* per node */
	double *node_dem;

	/* per package */
	double *c2c_pkg_dem; /* [npk] c2c demand into the package from others */

	/* per thread */
	struct pthr *th;
	double *tmem;       /* [nt * nn] private page fractions */
	double *tdem;       /* [nt * nn] registered demand per node */

	/* per process */
	double *pS, *pwf;
	int *ppol, *pbind;
	bool *pplaced;
	double *pmem;       /* [np * nn] */
	int *prun, *prun_pkg, *prun_tot;
};

/* ---- helpers -------------------------------------------------------------- */

static double pv(const struct machine_profile *p, enum model_param i, double dflt)
{
	double v = p ? p->v[i] : 0;
	return v > 0 ? v : dflt;
}

static double pv0(const struct machine_profile *p, enum model_param i)
{
	double v = p ? p->v[i] : 0;
	return v > 0 ? v : 0;
}

static inline double *rawp(struct perf *pf, int llc, int owner)
{
	return &pf->raw[(size_t)llc * (size_t)pf->no + (size_t)owner];
}

static inline double occ_get(const struct perf *pf, int llc, int owner)
{
	return pf->raw[(size_t)llc * (size_t)pf->no + (size_t)owner] * pf->scale[llc];
}

static bool owner_active(const struct perf *pf, int llc, int owner)
{
	if (owner < pf->nt) {
		const struct pthr *th = &pf->th[owner];
		return th->cpu >= 0 && !th->fast && th->llc == llc;
	}
	return pf->prun[(size_t)(owner - pf->nt) * (size_t)pf->nl + (size_t)llc] > 0;
}

/* Rescale the raw values of @llc so that scale = 1 (rare) and recompute its
 * sums exactly. */
static void renorm(struct perf *pf, int llc)
{
	double sc = pf->scale[llc], sum = 0, act = 0;
	int nact = 0;

	for (int o = 0; o < pf->no; o++) {
		double *r = rawp(pf, llc, o);
		*r *= sc;
		sum += *r;
		if (owner_active(pf, llc, o)) {
			act += *r;
			nact++;
		}
	}
	pf->scale[llc] = 1;
	pf->sum_raw[llc] = sum;
	pf->act_raw[llc] = act;
	pf->n_act[llc] = nact;
}

static void occ_set(struct perf *pf, int llc, int owner, double bytes)
{
	double *r = rawp(pf, llc, owner);
	double nr = bytes > 0 ? bytes / pf->scale[llc] : 0;
	double d = nr - *r;

	*r = nr;
	pf->sum_raw[llc] += d;
	if (pf->sum_raw[llc] < 0)
		pf->sum_raw[llc] = 0;
	if (owner_active(pf, llc, owner)) {
		pf->act_raw[llc] += d;
		if (pf->act_raw[llc] < 0)
			pf->act_raw[llc] = 0;
	}
}

/* Proportional eviction after fills. */
static void evict_check(struct perf *pf, int llc)
{
	double total = pf->sum_raw[llc] * pf->scale[llc];

	if (total > pf->cap[llc]) {
		pf->scale[llc] *= pf->cap[llc] / total;
		if (pf->scale[llc] < SCALE_MIN)
			renorm(pf, llc);
	}
}

/* Speed multiplier (wall per work) on @cpu: slowed by 1/smt_factor while
 * another CPU of its core has an open segment, and by 1024 / capacity on a
 * CPU of less than the biggest capacity (hybrid parts: hw/capacity.h).  The
 * capacity is the kernel's own measure of the work a CPU does per unit of
 * time at its highest performance (Documentation/scheduler/sched-capacity.rst
 * §1.1; on Intel hybrid the HWP highest-perf ratio, which intel_pstate scales
 * per core type so that it tracks performance, not frequency); applying it to
 * the whole of dt/dw, memory stalls included, as SMT is applied, is [E]. */
static double smt_mult(const struct perf *pf, int cpu)
{
	double m = pf->core_busy[pf->t->cpu[cpu].core] > (pf->cur[cpu] >= 0) ? 1.0 / pf->smt_f : 1.0;
	unsigned cap = pf->t->cpu[cpu].capacity;

	return cap >= 1024 || cap == 0 ? m : m * 1024.0 / cap;
}

/* @cpu's open segment is now @tid's (-1: none). */
static void set_cur(struct perf *pf, int cpu, int tid)
{
	pf->core_busy[pf->t->cpu[cpu].core] += (tid >= 0) - (pf->cur[cpu] >= 0);
	pf->cur[cpu] = tid;
}

/* ---- warming sets --------------------------------------------------------- */

static inline double set_misses(const struct wset *s, double line, double w)
{
	if (s->r <= 0 || s->F <= 0 || w <= 0)
		return 0;
	if (w <= s->ws)
		return (s->F - s->x0) / line * -expm1(-s->k * w);
	return (s->L - s->x0) / line + s->r * (1 - s->L / s->F) * (w - s->ws);
}

static inline double set_rate(const struct wset *s, double w)
{
	if (s->r <= 0 || s->F <= 0)
		return 0;
	if (w <= s->ws)
		return s->r * (1 - s->x0 / s->F) * exp(-s->k * w);
	return s->r * (1 - s->L / s->F);
}

/* Initialise a set from its occupancy and limit. */
static void set_init(struct wset *s, double F, double x0, double L, double r, double line)
{
	s->F = F > 0 ? F : 0;
	s->r = r > 0 && s->F > 0 ? r : 0;
	if (!s->r) {
		s->x0 = s->L = s->k = 0;
		s->ws = INFINITY;
		return;
	}
	s->x0 = CLAMP(x0, 0, s->F);
	s->L = CLAMP(L, s->x0, s->F);
	s->k = s->r * line / s->F;
	if (s->L >= s->F)
		s->ws = INFINITY;
	else if (s->L <= s->x0)
		s->ws = 0;
	else
		s->ws = log((s->F - s->x0) / (s->F - s->L)) / s->k;
}

/* Misses and miss rate of a set at @w, sharing one exponential. */
static inline void set_eval(const struct wset *s, double line, double w, double *M, double *rate)
{
	if (s->r <= 0 || s->F <= 0) {
		*M = *rate = 0;
	} else if (w <= s->ws) {
		double e = expm1(-s->k * w);
		*M = (s->F - s->x0) / line * -e;
		*rate = s->r * (1 - s->x0 / s->F) * (1 + e);
	} else {
		*M = (s->L - s->x0) / line + s->r * (1 - s->L / s->F) * (w - s->ws);
		*rate = s->r * (1 - s->L / s->F);
	}
}

static double seg_T(const struct perf *pf, const struct pthr *th, double w)
{
	if (th->fast)
		return th->A * w;
	return th->A * w + th->set[0].B * set_misses(&th->set[0], pf->line, w) +
	       th->set[1].B * set_misses(&th->set[1], pf->line, w);
}

static double seg_dT(const struct pthr *th, double w)
{
	if (th->fast)
		return th->A;
	return th->A + th->set[0].B * set_rate(&th->set[0], w) + th->set[1].B * set_rate(&th->set[1], w);
}

/* T(w) - E and T'(w) together. */
static void seg_eval(const struct perf *pf, const struct pthr *th, double w, double *T, double *dT)
{
	double m0, r0, m1, r1;

	set_eval(&th->set[0], pf->line, w, &m0, &r0);
	set_eval(&th->set[1], pf->line, w, &m1, &r1);
	*T = th->A * w + th->set[0].B * m0 + th->set[1].B * m1;
	*dT = th->A + th->set[0].B * r0 + th->set[1].B * r1;
}

/* Work done in @E wall ns of the open segment: T(w) = E to < 0.01 ns. */
static double seg_solve(const struct perf *pf, const struct pthr *th, double E)
{
	double lo = 0, hi, w;

	if (E <= 0)
		return 0;
	if (th->fast)
		return E / th->A;
	/* T(w) >= smt w always; >= A w when no set is cheaper than an LLC hit */
	hi = (th->set[0].B >= 0 && th->set[1].B >= 0) ? E / th->A : E / th->smt;
	/* from below: T is concave, so T(E / T'(0)) <= E */
	w = E / seg_dT(th, 0);
	if (!(w >= lo && w <= hi))
		w = 0.5 * (lo + hi);
	for (int it = 0; it < 100; it++) {
		double f, d, wn;

		seg_eval(pf, th, w, &f, &d);
		f -= E;
		if (f == 0)
			return w;
		if (f > 0)
			hi = w;
		else
			lo = w;
		wn = d > 0 ? w - f / d : 0.5 * (lo + hi);
		if (!(wn >= lo && wn <= hi))
			wn = 0.5 * (lo + hi);
		if (fabs(wn - w) < 0.002 || hi - lo < 0.01)
			return wn;
		w = wn;
	}
	return w;
}

/* ---- memory placement and latency ---------------------------------------- */

static void place(struct perf *pf, double *frac, int pol, int bind, int node)
{
	for (int n = 0; n < pf->nn; n++)
		frac[n] = 0;
	if (pol == PERF_MEM_INTERLEAVE && pf->nr_mem_nodes > 0) {
		for (int i = 0; i < pf->nr_mem_nodes; i++)
			frac[pf->mem_nodes[i]] = 1.0 / pf->nr_mem_nodes;
	} else if (pol == PERF_MEM_BIND && bind >= 0 && bind < pf->nn) {
		frac[bind] = 1;
	} else {
		frac[node] = 1;
	}
}

static double idle_lat(const struct perf *pf, const double *frac, int node)
{
	const double *row = &pf->lat[(size_t)node * (size_t)pf->nn];
	double t = 0;

	for (int n = 0; n < pf->nn; n++)
		t += frac[n] * row[n];
	return t;
}

/* Queueing factor of a link at demand / bandwidth @d: 1 + k u^2 / (1 - u),
 * u = min(d, 0.95) (the loaded-latency form of MODEL.md). */
static double queue_f(double k, double d)
{
	double u = MIN(d, 0.95);

	return 1 + k * u * u / (1 - u);
}

/* Latency @t of a transfer over a link of bandwidth @bw (0 = no limit)
 * that carries @dem: queued and, beyond saturation, stretched. */
static double link_lat(double k, double t, double dem, double bw)
{
	double d = bw > 0 && dem > 0 ? dem / bw : 0;

	return t * queue_f(k, d) * MAX(1.0, d);
}

static double loaded_lat(const struct perf *pf, const double *frac, int node, double s_llc)
{
	const double *row = &pf->lat[(size_t)node * (size_t)pf->nn];
	double t = 0;

	for (int n = 0; n < pf->nn; n++) {
		double d;

		if (frac[n] <= 0)
			continue;
		d = pf->node_dem[n] > 0 ? pf->node_dem[n] / pf->bw_node : 0;
		t += frac[n] * (row[n] * queue_f(pf->kload, d)) * MAX(1.0, MAX(d, s_llc));
	}
	return t;
}

static void dem_unregister(struct perf *pf, struct pthr *th, int tid)
{
	double *td = &pf->tdem[(size_t)tid * (size_t)pf->nn];

	if (th->cdem_llc >= 0) {
		pf->c2c_dem[th->cdem_llc] -= th->cdem_x;
		pf->c2c_pkg_dem[th->cdem_pkg] -= th->cdem_k;
		th->cdem_x = th->cdem_k = 0;
		th->cdem_llc = th->cdem_pkg = -1;
	}
	if (th->dem_llc < 0)
		return;
	for (int n = 0; n < pf->nn; n++) {
		pf->node_dem[n] -= td[n];
		td[n] = 0;
	}
	pf->llc_dem[th->dem_llc] -= th->dem;
	th->dem = 0;
	th->dem_llc = -1;
}

/* ---- segments ------------------------------------------------------------- */

static void seg_activate(struct perf *pf, struct pthr *th, int tid, int sign)
{
	int l = th->llc;

	if (th->fast)
		return;
	pf->act_raw[l] += sign * *rawp(pf, l, tid);
	pf->n_act[l] += sign;
	if (th->shared_on) {
		int p = th->proc;
		int *c = &pf->prun[(size_t)p * (size_t)pf->nl + (size_t)l];

		if (sign > 0 && (*c)++ == 0) {
			pf->act_raw[l] += *rawp(pf, l, pf->nt + p);
			pf->n_act[l]++;
		} else if (sign < 0 && --(*c) == 0) {
			pf->act_raw[l] -= *rawp(pf, l, pf->nt + p);
			pf->n_act[l]--;
		}
		pf->prun_pkg[(size_t)p * (size_t)pf->npk + (size_t)th->pkg] += sign;
		pf->prun_tot[p] += sign;
	}
	if (pf->act_raw[l] < 0)
		pf->act_raw[l] = 0;
}

/* Occupancy limit of a set with footprint @F and occupancy @x0 in @llc. */
static double set_limit(const struct perf *pf, int llc, double F, double x0)
{
	double C = pf->cap[llc];
	double others = pf->act_raw[llc] * pf->scale[llc] - x0;
	double fair = pf->n_act[llc] > 0 ? C / pf->n_act[llc] : C;

	if (others < 0)
		others = 0;
	return MIN(F, MAX(x0, MAX(C - others, fair)));
}

/* (Re)start the open segment of @tid at @now under the present conditions. */
static void seg_setup(struct perf *pf, int tid, simtime_t now)
{
	struct pthr *th = &pf->th[tid];
	int l = th->llc, p = th->proc;
	double F, S, rho, rp, rs, rsw, prm = 0, tc2c = 0, rh, t0p = 0, t0s = 0, mp, ms, s0, Dp, Ds;
	double fx = 0, fk = 0; /* shares of the remote writers: other LLCs / packages */
	double x0, y0, sl;
	const double *fp, *fs;
	double *td;

	th->t0 = now;
	th->smt = smt_mult(pf, th->cpu);
	if (th->fast) {
		th->A = th->smt;
		return;
	}
	rho = th->m.refs_per_us / 1000.0;
	F = th->m.footprint > 0 ? th->m.footprint : 0;
	S = th->shared_on ? pf->pS[p] : 0;
	rs = th->shared_on ? rho * CLAMP(th->m.shared, 0, 1) : 0;
	rp = rho - rs;

	/* occupancies, capped at the footprints */
	x0 = occ_get(pf, l, tid);
	if (x0 > F) {
		occ_set(pf, l, tid, F);
		x0 = F;
	}
	y0 = 0;
	if (th->shared_on) {
		y0 = occ_get(pf, l, pf->nt + p);
		if (y0 > S) {
			occ_set(pf, l, pf->nt + p, S);
			y0 = S;
		}
	}

	/* remote-modified shared references */
	if (th->shared_on) {
		int tot = pf->prun_tot[p];
		int here = pf->prun[(size_t)p * (size_t)pf->nl + (size_t)l];
		int samepkg = pf->prun_pkg[(size_t)p * (size_t)pf->npk + (size_t)th->pkg] - here;
		int other = tot - here;

		if (other > 0 && tot > 0) {
			prm = CLAMP(pf->pwf[p], 0, 1) * other / tot;
			fx = (double)samepkg / other;
			fk = (double)(other - samepkg) / other;
			tc2c = fx * pf->lat_rel[REL_XLLC] + fk * pf->lat_rel[REL_XPKG];
		}
	}
	rsw = rs * (1 - prm);
	th->rrm = rs * prm;

	set_init(&th->set[0], F, x0, set_limit(pf, l, F, x0), rp, pf->line);
	set_init(&th->set[1], S, y0, th->shared_on ? set_limit(pf, l, S, y0) : 0, rsw, pf->line);
	/* references to a set that does not exist (F or S = 0) hit the LLC */
	rh = rp + rsw;

	/* demand at the idle latency */
	fp = &pf->tmem[(size_t)tid * (size_t)pf->nn];
	fs = th->shared_on ? &pf->pmem[(size_t)p * (size_t)pf->nn] : fp;
	mp = set_rate(&th->set[0], 0);
	ms = set_rate(&th->set[1], 0);
	if (mp > 0)
		t0p = idle_lat(pf, fp, th->node);
	if (ms > 0)
		t0s = idle_lat(pf, fs, th->node);
	s0 = th->smt * (1 + (rh * pf->tllc + mp * (t0p - pf->tllc) + ms * (t0s - pf->tllc) +
			     th->rrm * tc2c) / th->mlp);
	Dp = pf->line * mp / s0;
	Ds = pf->line * ms / s0;
	dem_unregister(pf, th, tid);
	if (Dp + Ds > 0) {
		td = &pf->tdem[(size_t)tid * (size_t)pf->nn];
		for (int n = 0; n < pf->nn; n++) {
			td[n] = Dp * fp[n] + Ds * fs[n];
			pf->node_dem[n] += td[n];
		}
		th->dem = Dp + Ds;
		th->dem_llc = l;
		pf->llc_dem[l] += th->dem;
	}
	if (th->rrm > 0 && tc2c > 0) {
		th->cdem_x = pf->line * th->rrm * fx / s0;
		th->cdem_k = pf->line * th->rrm * fk / s0;
		th->cdem_llc = l;
		th->cdem_pkg = th->pkg;
		pf->c2c_dem[l] += th->cdem_x;
		pf->c2c_pkg_dem[th->pkg] += th->cdem_k;
		tc2c = fx * link_lat(pf->kload, pf->lat_rel[REL_XLLC], pf->c2c_dem[l], pf->bw_xllc) +
		       fk * link_lat(pf->kload, pf->lat_rel[REL_XPKG], pf->c2c_pkg_dem[th->pkg], pf->bw_xpkg);
	}

	/* loaded, stretched latencies (tc2c loaded above) */
	sl = pf->bw_llc > 0 && pf->llc_dem[l] > 0 ? pf->llc_dem[l] / pf->bw_llc : 0;
	th->A = th->smt * (1 + (rh * pf->tllc + th->rrm * tc2c) / th->mlp);
	th->set[0].B = th->set[0].r > 0 ?
		th->smt * (loaded_lat(pf, fp, th->node, sl) - pf->tllc) / th->mlp : 0;
	th->set[1].B = th->set[1].r > 0 ?
		th->smt * (loaded_lat(pf, fs, th->node, sl) - pf->tllc) / th->mlp : 0;
}

/* Bring the open segment of @tid to @now: work into work_acc, fills into the
 * occupancies.  The segment's constants are left stale (call seg_setup). */
static void seg_advance(struct perf *pf, int tid, simtime_t now)
{
	struct pthr *th = &pf->th[tid];
	double E = (double)(now - th->t0), w;
	int l = th->llc;

	if (E <= 0)
		return;
	w = seg_solve(pf, th, E);
	th->work_acc += w;
	th->t0 = now;
	if (th->fast)
		return;
	if (th->set[0].r > 0) {
		double f = set_misses(&th->set[0], pf->line, w) * pf->line;
		occ_set(pf, l, tid, MIN(th->set[0].F, occ_get(pf, l, tid) + f));
	}
	if (th->set[1].r > 0) {
		int o = pf->nt + th->proc;
		double f = set_misses(&th->set[1], pf->line, w) * pf->line;
		occ_set(pf, l, o, MIN(th->set[1].F, occ_get(pf, l, o) + f));
	}
	evict_check(pf, l);
}

/* CPUs of @core other than @cpu whose speed changed: advance them at the
 * old speed, restart them at the new one, and list them in @out for the
 * callback. */
static int smt_retime(struct perf *pf, int core, int cpu, simtime_t now, int *out)
{
	int off = pf->core_off[core], n = pf->core_cnt[core], k = 0;

	for (int i = 0; i < n; i++) {
		int s = pf->core_cpus[off + i], tid;

		if (s == cpu || (tid = pf->cur[s]) < 0)
			continue;
		if (smt_mult(pf, s) == pf->th[tid].smt)
			continue;
		seg_advance(pf, tid, now);
		seg_setup(pf, tid, now);
		if (k < MAX_SIB)
			out[k++] = s;
	}
	return k;
}

/* @cpu started or stopped running: re-time its siblings now, or, inside a
 * batch, once at its end if their speed then differs (a burst that ends
 * and the next that starts on the same CPU at the same instant leave it
 * unchanged). */
static int smt_update(struct perf *pf, int cpu, simtime_t now, int *out)
{
	int core = pf->t->cpu[cpu].core;

	if (pf->core_busy[core] == (pf->cur[cpu] >= 0))
		return 0; /* no sibling runs */
	if (!pf->batch)
		return smt_retime(pf, core, cpu, now, out);
	if (!pf->core_pend[core]) {
		pf->core_pend[core] = true;
		pf->pend_cores[pf->npend++] = core;
	}
	return 0;
}

static void notify(struct perf *pf, const int *cpus, int n)
{
	if (!pf->retime)
		return;
	for (int i = 0; i < n; i++)
		pf->retime(pf->ctx, cpus[i]);
}

/* Close the open segment of @tid (work stays in work_acc). */
static int seg_close(struct perf *pf, int tid, simtime_t now, int *out)
{
	struct pthr *th = &pf->th[tid];
	int cpu = th->cpu;

	seg_advance(pf, tid, now);
	seg_activate(pf, th, tid, -1);
	dem_unregister(pf, th, tid);
	th->shared_on = false;
	set_cur(pf, cpu, -1);
	th->cpu = -1;
	return smt_update(pf, cpu, now, out);
}

/* ---- public: construction ------------------------------------------------- */

void perf_free(struct perf *pf)
{
	if (!pf)
		return;
	free(pf->core_off);
	free(pf->core_cnt);
	free(pf->core_busy);
	free(pf->core_pend);
	free(pf->pend_cores);
	free(pf->core_cpus);
	free(pf->lat);
	free(pf->mem_nodes);
	free(pf->cur);
	free(pf->idle);
	free(pf->rq_free);
	free(pf->rq_last);
	free(pf->cap);
	free(pf->scale);
	free(pf->sum_raw);
	free(pf->act_raw);
	free(pf->llc_dem);
	free(pf->c2c_dem);
	free(pf->c2c_pkg_dem);
	free(pf->n_act);
	free(pf->raw);
	free(pf->node_dem);
	free(pf->th);
	free(pf->tmem);
	free(pf->tdem);
	free(pf->pS);
	free(pf->pwf);
	free(pf->ppol);
	free(pf->pbind);
	free(pf->pplaced);
	free(pf->pmem);
	free(pf->prun);
	free(pf->prun_pkg);
	free(pf->prun_tot);
	rng_destroy(&pf->rng);
	free(pf);
}

#define NEW(ptr, n) ((ptr) = xcalloc((size_t)(n) > 0 ? (size_t)(n) : 1, sizeof(*(ptr))))

struct perf *perf_new(const struct topo *t, const struct machine_profile *p,
		      int nr_threads, int nr_procs, perf_retime_fn retime, void *ctx)
{
	struct perf *pf;
	int dmax = 10, k;

	if (!t || nr_threads < 0 || nr_procs < 0)
		return NULL;
	pf = xcalloc(1, sizeof(*pf));
	pf->t = t;
	pf->retime = retime;
	pf->ctx = ctx;
	pf->nt = nr_threads;
	pf->np = nr_procs;
	pf->nc = t->nr_cpus;
	pf->nl = t->nr_llcs;
	pf->nn = t->nr_nodes;
	pf->npk = t->nr_pkgs;
	pf->no = nr_threads + nr_procs;

	pf->line = pv(p, MP_line_bytes, 64);
	pf->tllc = pv0(p, MP_llc_hit_ns);
	pf->lat_rel[REL_SAME] = pf->tllc;
	pf->lat_rel[REL_SMT] = pv0(p, MP_c2c_smt_ns);
	pf->lat_rel[REL_LLC] = pv0(p, MP_c2c_llc_ns);
	pf->lat_rel[REL_XLLC] = pv0(p, MP_c2c_xllc_ns);
	pf->lat_rel[REL_XPKG] = pv0(p, MP_c2c_xpkg_ns);
	pf->bw_node = pv(p, MP_dram_bw_node_gbs, 1e12);
	pf->bw_llc = pv0(p, MP_llc_link_bw_gbs);
	pf->kload = pv0(p, MP_lat_load_k);
	pf->mlp_def = pv(p, MP_mlp, 1);
	pf->smt_f = pv(p, MP_smt_factor, 1);
	pf->wake_lines = pv0(p, MP_wake_lines);
	pf->msg_lines = pv0(p, MP_msg_lines_fixed);
	pf->c2c_bw = pv(p, MP_c2c_bw_gbs, 20); /* GB/s = bytes/ns */
	pf->bw_xllc = pv0(p, MP_c2c_xllc_bw_gbs);
	pf->bw_xpkg = pv0(p, MP_xpkg_bw_gbs);
	pf->ipi_ns = pv0(p, MP_ipi_ns);
	pf->ipi_send_ns = pv0(p, MP_ipi_send_ns);
	pf->wake_local_ns = pv0(p, MP_wake_local_ns);
	pf->switch_ns = pv0(p, MP_switch_ns);
	pf->scan_ns = pv0(p, MP_scan_cpu_ns);
	pf->exit_med = pv(p, MP_idle_exit_median, 1);
	pf->exit_sigma = log(1 / pf->exit_med) / Z_9999;
	pf->ipi_sigma = sqrt(log1p(pv0(p, MP_ipi_cv) * pv0(p, MP_ipi_cv)));
	pf->wake_sigma = sqrt(log1p(pv0(p, MP_wake_lines_cv) * pv0(p, MP_wake_lines_cv)));
	pf->jitter = pv0(p, MP_latency_jitter) > 0;
	pf->rq_hold = pv0(p, MP_rq_lock_hold_ns);
	/* the cpuidle driver's table: POLL (cpuidle_poll_state_init(): exit
	 * and target 0, CPUIDLE_FLAG_POLLING) first, as intel_idle and
	 * acpi_idle register it; then idle1, and idle2 / idle3 when their
	 * exit latency is set */
	pf->st[0] = (struct idle_state){ 0, 0, true };
	pf->nr_states = 1;
	for (int i = 0; i < 3; i++) {
		static const int ex[3] = { MP_idle1_exit_ns, MP_idle2_exit_ns, MP_idle3_exit_ns };
		static const int tg[3] = { MP_idle1_target_ns, MP_idle2_target_ns, MP_idle3_target_ns };

		if (i == 0 || pv0(p, ex[i]) > 0) {
			pf->st_mwait[pf->nr_states] = i + 1 <= pv0(p, MP_idle_mwait_max);
			pf->st[pf->nr_states++] = (struct idle_state){
				(int64_t)pv0(p, ex[i]), (int64_t)pv0(p, tg[i]), false };
		}
	}

	if (!NEW(pf->core_off, t->nr_cores) || !NEW(pf->core_cnt, t->nr_cores) ||
	    !NEW(pf->core_cpus, pf->nc) || !NEW(pf->lat, pf->nn * pf->nn) ||
	    !NEW(pf->mem_nodes, pf->nn) || !NEW(pf->cur, pf->nc) || !NEW(pf->idle, pf->nc) ||
	    !NEW(pf->rq_free, pf->nc) || !NEW(pf->rq_last, pf->nc) ||
	    !NEW(pf->core_busy, t->nr_cores) || !NEW(pf->core_pend, t->nr_cores) ||
	    !NEW(pf->pend_cores, t->nr_cores) ||
	    !NEW(pf->cap, pf->nl) || !NEW(pf->scale, pf->nl) || !NEW(pf->sum_raw, pf->nl) ||
	    !NEW(pf->act_raw, pf->nl) || !NEW(pf->llc_dem, pf->nl) || !NEW(pf->n_act, pf->nl) ||
	    !NEW(pf->c2c_dem, pf->nl) || !NEW(pf->c2c_pkg_dem, pf->npk) ||
	    !NEW(pf->raw, (size_t)pf->nl * (size_t)pf->no) || !NEW(pf->node_dem, pf->nn) ||
	    !NEW(pf->th, pf->nt) || !NEW(pf->tmem, (size_t)pf->nt * (size_t)pf->nn) ||
	    !NEW(pf->tdem, (size_t)pf->nt * (size_t)pf->nn) || !NEW(pf->pS, pf->np) ||
	    !NEW(pf->pwf, pf->np) || !NEW(pf->ppol, pf->np) || !NEW(pf->pbind, pf->np) ||
	    !NEW(pf->pplaced, pf->np) || !NEW(pf->pmem, (size_t)pf->np * (size_t)pf->nn) ||
	    !NEW(pf->prun, (size_t)pf->np * (size_t)pf->nl) ||
	    !NEW(pf->prun_pkg, (size_t)pf->np * (size_t)pf->npk) || !NEW(pf->prun_tot, pf->np)) {
		perf_free(pf);
		return NULL;
	}
	for (int c = 0; c < pf->nc; c++) {
		menu_init(&pf->idle[c].menu);
		teo_init(&pf->idle[c].teo);
	}

	/* SMT siblings per core, in CPU order */
	for (int c = 0; c < pf->nc; c++)
		pf->core_cnt[t->cpu[c].core]++;
	for (int i = 0, off = 0; i < t->nr_cores; i++) {
		pf->core_off[i] = off;
		off += pf->core_cnt[i];
		pf->core_cnt[i] = 0;
	}
	for (int c = 0; c < pf->nc; c++) {
		int core = t->cpu[c].core;
		pf->core_cpus[pf->core_off[core] + pf->core_cnt[core]++] = c;
	}

	/* DRAM latency by SLIT distance */
	for (int i = 0; i < pf->nn * pf->nn; i++)
		dmax = MAX(dmax, t->dist[i]);
	for (int i = 0; i < pf->nn; i++)
		for (int j = 0; j < pf->nn; j++) {
			double loc = pv(p, MP_dram_local_ns, 100), rem = pv(p, MP_dram_remote_ns, loc);
			int d = topo_distance(t, i, j);
			double x = dmax > 10 ? (double)(CLAMP(d, 10, dmax) - 10) / (dmax - 10) : 0;
			pf->lat[i * pf->nn + j] = loc + (rem - loc) * x;
		}

	/* interleave targets: nodes with memory, else nodes with CPUs */
	k = 0;
	for (int n = 0; n < pf->nn; n++)
		if (t->node[n].mem_bytes > 0)
			pf->mem_nodes[k++] = n;
	if (!k)
		for (int n = 0; n < pf->nn; n++)
			if (t->node[n].nr_cpus > 0)
				pf->mem_nodes[k++] = n;
	pf->nr_mem_nodes = k;

	for (int c = 0; c < pf->nc; c++)
		pf->cur[c] = -1;
	for (int l = 0; l < pf->nl; l++) {
		double cb = pv0(p, MP_llc_bytes);
		pf->cap[l] = cb > 0 ? cb : (double)t->llc[l].size_bytes;
		if (pf->cap[l] <= 0)
			pf->cap[l] = 1;
		pf->scale[l] = 1;
	}
	for (int i = 0; i < pf->nt; i++) {
		pf->th[i].proc = -1;
		pf->th[i].cpu = -1;
		pf->th[i].dem_llc = -1;
		pf->th[i].cdem_llc = -1;
		pf->th[i].cdem_pkg = -1;
		pf->th[i].smt = 1;
		pf->th[i].A = 1;
		pf->th[i].fast = true;
	}
	for (int i = 0; i < pf->np; i++)
		pf->pbind[i] = -1;
	return pf;
}

void perf_set_process(struct perf *pf, int proc, double shared_bytes, double write_fraction,
		      enum perf_mempolicy pol, int bind_node)
{
	if (proc < 0 || proc >= pf->np)
		return;
	pf->pS[proc] = shared_bytes > 0 ? shared_bytes : 0;
	pf->pwf[proc] = CLAMP(write_fraction, 0, 1);
	pf->ppol[proc] = pol;
	pf->pbind[proc] = bind_node;
}

void perf_set_thread(struct perf *pf, int tid, int proc)
{
	if (tid < 0 || tid >= pf->nt)
		return;
	pf->th[tid].proc = proc >= 0 && proc < pf->np ? proc : -1;
}

/* ---- public: segments ----------------------------------------------------- */

void perf_run_begin(struct perf *pf, int tid, int cpu, const struct perf_mem *m, simtime_t now)
{
	struct pthr *th = &pf->th[tid];
	int notes[MAX_SIB * 3], nn = 0, p = th->proc;
	int node = pf->t->cpu[cpu].node;

	/* one open segment per thread and per CPU: close stale ones (their
	 * work is kept for the next perf_advance / perf_run_end) */
	if (th->cpu >= 0)
		nn += seg_close(pf, tid, now, notes + nn);
	if (pf->cur[cpu] >= 0)
		nn += seg_close(pf, pf->cur[cpu], now, notes + nn);

	/* first touch */
	if (!th->placed) {
		place(pf, &pf->tmem[(size_t)tid * (size_t)pf->nn], p >= 0 ? pf->ppol[p] : PERF_MEM_FIRST_TOUCH,
		      p >= 0 ? pf->pbind[p] : -1, node);
		th->placed = true;
	}
	if (p >= 0 && !pf->pplaced[p]) {
		place(pf, &pf->pmem[(size_t)p * (size_t)pf->nn], pf->ppol[p], pf->pbind[p], node);
		pf->pplaced[p] = true;
	}

	th->m = m ? *m : (struct perf_mem){ 0 };
	if (th->m.footprint > 0 && th->m.footprint != th->footprint) {
		th->footprint = th->m.footprint;
		pf->footprint_gen++;
	}
	th->mlp = th->m.mlp > 0 ? th->m.mlp : pf->mlp_def;
	th->cpu = cpu;
	th->llc = pf->t->cpu[cpu].llc;
	th->node = node;
	th->pkg = pf->t->cpu[cpu].pkg;
	th->fast = !(th->m.refs_per_us > 0);
	th->shared_on = !th->fast && p >= 0 && pf->pS[p] > 0 && th->m.shared > 0;
	set_cur(pf, cpu, tid);
	seg_activate(pf, th, tid, +1);
	seg_setup(pf, tid, now);
	nn += smt_update(pf, cpu, now, notes + nn);
	notify(pf, notes, nn);
}

double perf_advance(struct perf *pf, int tid, simtime_t now)
{
	struct pthr *th = &pf->th[tid];
	double w;

	if (th->cpu >= 0) {
		seg_advance(pf, tid, now);
		if (!th->fast)
			seg_setup(pf, tid, now);
		else
			th->t0 = MAX(th->t0, now);
	}
	w = th->work_acc;
	th->work_acc = 0;
	return w;
}

double perf_run_end(struct perf *pf, int tid, simtime_t now)
{
	struct pthr *th = &pf->th[tid];
	int notes[MAX_SIB], nn = 0;
	double w;

	if (th->cpu >= 0)
		nn = seg_close(pf, tid, now, notes);
	w = th->work_acc;
	th->work_acc = 0;
	notify(pf, notes, nn);
	return w;
}

void perf_batch_begin(struct perf *pf)
{
	pf->batch++;
}

void perf_batch_end(struct perf *pf, simtime_t now)
{
	int notes[MAX_SIB];

	if (--pf->batch > 0)
		return;
	for (int i = 0; i < pf->npend; i++) {
		int core = pf->pend_cores[i];

		pf->core_pend[core] = false;
		notify(pf, notes, smt_retime(pf, core, -1, now, notes));
	}
	pf->npend = 0;
}

double perf_time_for(const struct perf *pf, int tid, double work)
{
	const struct pthr *th = &pf->th[tid];

	if (work <= 0)
		return 0;
	if (th->cpu < 0)
		return work;
	return seg_T(pf, th, work);
}

/* ---- public: communication ----------------------------------------------- */

enum perf_rel perf_relation(const struct perf *pf, int a, int b)
{
	const struct topo_cpu *x = &pf->t->cpu[a], *y = &pf->t->cpu[b];

	if (a == b)
		return REL_SAME;
	if (x->core == y->core)
		return REL_SMT;
	if (x->llc == y->llc)
		return REL_LLC;
	if (x->pkg == y->pkg)
		return REL_XLLC;
	return REL_XPKG;
}

double perf_xfer_ns(const struct perf *pf, int from_cpu, int to_cpu, double bytes)
{
	enum perf_rel r = from_cpu < 0 ? REL_SAME : perf_relation(pf, from_cpu, to_cpu);
	double payload = 0;

	/* the first payload line pays the relation's latency; the copy then
	 * streams (prefetched) at the core's copy bandwidth rather than one
	 * latency per line */
	if (r != REL_SAME && bytes > 0)
		payload = pf->lat_rel[r] + MAX(0.0, bytes - pf->line) / pf->c2c_bw;
	return payload + pf->msg_lines * pf->lat_rel[r];
}

/* ---- latency distributions ------------------------------------------------ */

void perf_seed(struct perf *pf, uint64_t seed)
{
	rng_destroy(&pf->rng);
	if (pf->jitter && rng_init(&pf->rng, seed, "latency", 0))
		pf->rng.r = NULL; /* out of memory: means only */
}

/* A lognormal draw with mean @mean and shape @sigma (log-space standard
 * deviation): mean * exp(sigma Z - sigma^2/2).  Latencies made of many
 * small multiplicative delays (a power rail ramping, a mesh hop that
 * waits, a line that comes from farther away) are right-skewed, with a
 * tail the scheduler sees as wakeup-latency outliers.  No stream (or
 * latency_jitter=0): the mean. */
static double lat_draw(struct perf *pf, double mean, double sigma)
{
	if (!pf->rng.r || mean <= 0 || sigma <= 0)
		return mean;
	return mean * exp(sigma * gsl_ran_gaussian_ziggurat(pf->rng.r, 1.0) - sigma * sigma / 2);
}

/* Exit latency of idle state @st: intel_idle's exit_latency values are
 * worst cases, the 99.99th percentile of wult measurements (Linux commit
 * 64233338499126 "intel_idle: Adjust the SKX C6 parameters if PC6 is
 * disabled": "92us was measured with wult ... as the 99.99th
 * percentile").  Drawn lognormal with median idle_exit_median x exit_ns
 * and that 99.99th percentile, capped at exit_ns. */
static double lat_draw_exit(struct perf *pf, int st)
{
	double w = (double)pf->st[st].exit_ns, s = pf->exit_sigma;
	double x = lat_draw(pf, w * pf->exit_med * exp(s * s / 2), s);

	return MIN(w, x);
}

void perf_wake_cost(struct perf *pf, int from_cpu, int to_cpu, double *waker_ns,
		    double *delay_ns, double *wakee_ns)
{
	enum perf_rel r = from_cpu < 0 ? REL_SAME : perf_relation(pf, from_cpu, to_cpu);
	bool remote = r >= REL_XLLC;
	double wk = from_cpu < 0 ? 0 : remote ? pf->ipi_send_ns : pf->wake_local_ns;

	if (waker_ns)
		*waker_ns = wk;
	if (delay_ns)
		*delay_ns = remote ? lat_draw(pf, pf->ipi_ns, pf->ipi_sigma) : 0;
	if (wakee_ns)
		*wakee_ns = lat_draw(pf, pf->wake_lines * pf->lat_rel[r], pf->wake_sigma);
}

double perf_rq_wait(struct perf *pf, int cpu, int from_cpu, simtime_t now, bool wakelist)
{
	double start = MAX((double)now, pf->rq_free[cpu]);
	bool own = pf->rq_last[cpu] == from_cpu + 1 && start > (double)now;

	pf->rq_free[cpu] = start + pf->rq_hold;
	pf->rq_last[cpu] = from_cpu + 1;
	return own && !wakelist ? 0 : start - (double)now;
}

double perf_switch_ns(const struct perf *pf)
{
	return pf->switch_ns;
}

double perf_scan_ns(const struct perf *pf, int nr_cpus)
{
	return nr_cpus > 0 ? nr_cpus * pf->scan_ns : 0;
}

/* ---- public: idle --------------------------------------------------------- */

bool perf_idle_enter(struct perf *pf, int cpu, simtime_t now, simtime_t sleep_ns,
		     simtime_t delta_tick_ns, bool tick_stopped, simtime_t tick_ns)
{
	struct pidle *c = &pf->idle[cpu];
	bool stop_tick = true;

	uint64_t sleep = (uint64_t)MAX(sleep_ns, 0), delta_tick = (uint64_t)MAX(delta_tick_ns, 0);

	c->state = pf->teo ? teo_select(&c->teo, pf->st, pf->nr_states, sleep, delta_tick,
					tick_stopped, (uint64_t)tick_ns, &stop_tick)
			   : menu_select(&c->menu, pf->st, pf->nr_states, sleep, delta_tick,
					 tick_stopped, (uint64_t)tick_ns, &stop_tick);
	c->idle = true;
	c->t_enter = now;
	return stop_tick;
}

simtime_t perf_idle_exit(struct perf *pf, int cpu, simtime_t now, bool tick_wakeup,
			 bool poll_time_limit, simtime_t tick_ns)
{
	struct pidle *c = &pf->idle[cpu];
	simtime_t d, exit;

	if (!c->idle)
		return 0;
	c->idle = false;
	d = now - c->t_enter;
	if (d <= 0) /* woken before it entered the state: no residency */
		return 0;
	exit = (simtime_t)llround(lat_draw_exit(pf, c->state));
	/* cpuidle_reflect() -> menu_update() / teo_update() on the next
	 * selection; the residency cpuidle_enter_state() measures ends after
	 * the exit */
	if (pf->teo)
		teo_update(&c->teo, pf->st, pf->nr_states, c->state, (uint64_t)(d + exit), tick_wakeup,
			   poll_time_limit, (uint64_t)tick_ns);
	else
		menu_update(&c->menu, pf->st, c->state, (uint64_t)(d + exit), tick_wakeup,
			    poll_time_limit, (uint64_t)tick_ns);
	return exit;
}

/* cpuidle_poll_time() (cpuidle.c, v6.15): the target residency of the
 * first state after POLL whose target is at least CPUIDLE_POLL_MIN (10 us),
 * at most CPUIDLE_POLL_MAX (TICK_NSEC / 16), which is also the limit when
 * there is none */
simtime_t perf_idle_poll_limit(const struct perf *pf, int cpu, simtime_t tick_ns)
{
	const struct pidle *c = &pf->idle[cpu];
	int64_t limit = tick_ns / 16;

	if (!c->idle || !pf->st[c->state].polling)
		return 0;
	for (int i = 1; i < pf->nr_states; i++) {
		if (pf->st[i].target_ns < 10000)
			continue;
		limit = MIN(pf->st[i].target_ns, limit);
		break;
	}
	return limit;
}

void perf_set_idle_governor(struct perf *pf, bool teo)
{
	pf->teo = teo;
}

bool perf_idle_polling(const struct perf *pf, int cpu)
{
	const struct pidle *c = &pf->idle[cpu];

	return c->idle && (pf->st[c->state].polling || pf->st_mwait[c->state]);
}

double perf_wake_local_ns(const struct perf *pf)
{
	return pf->wake_local_ns;
}

int64_t perf_idle_exit_latency(const struct perf *pf, int cpu)
{
	const struct pidle *c = &pf->idle[cpu];

	return c->idle ? pf->st[c->state].exit_ns : -1;
}

/* ---- public: memory placement -------------------------------------------- */

static double *mem_frac(const struct perf *pf, int tid, bool shared, double *total)
{
	const struct pthr *th = &pf->th[tid];

	if (shared) {
		if (th->proc < 0 || !pf->pplaced[th->proc])
			return NULL;
		*total = pf->pS[th->proc];
		return &pf->pmem[(size_t)th->proc * (size_t)pf->nn];
	}
	if (!th->placed)
		return NULL;
	*total = th->footprint;
	return &pf->tmem[(size_t)tid * (size_t)pf->nn];
}

void perf_mem_dist(const struct perf *pf, int tid, bool shared, double *frac)
{
	double tot;
	const double *f = mem_frac(pf, tid, shared, &tot);

	for (int n = 0; n < pf->nn; n++)
		frac[n] = f ? f[n] : 0;
}

double perf_mem_migrate(struct perf *pf, int tid, bool shared, int node, double bytes)
{
	double tot = 0, off, mv;
	double *f = mem_frac(pf, tid, shared, &tot);

	if (!f || node < 0 || node >= pf->nn || tot <= 0 || bytes <= 0)
		return 0;
	/* NUMA hinting faults migrate only pages under the default (local)
	 * policy: interleaved and bound pages stay where the policy put them */
	if (pf->th[tid].proc >= 0 && pf->ppol[pf->th[tid].proc] != PERF_MEM_FIRST_TOUCH)
		return 0;
	off = 1 - f[node];
	if (off <= 1e-15)
		return 0;
	mv = MIN(off, bytes / tot);
	for (int n = 0; n < pf->nn; n++)
		if (n != node)
			f[n] -= f[n] * (mv / off);
	f[node] += mv;
	if (mv >= off) { /* exactly all of it: no rounding residue */
		for (int n = 0; n < pf->nn; n++)
			f[n] = n == node;
	}
	return mv * tot;
}

double perf_private_bytes(const struct perf *pf, int tid)
{
	return pf->th[tid].footprint;
}

uint64_t perf_footprint_gen(const struct perf *pf)
{
	return pf->footprint_gen;
}

double perf_shared_bytes(const struct perf *pf, int proc)
{
	return proc >= 0 && proc < pf->np ? pf->pS[proc] : 0;
}

/* ---- public: observation -------------------------------------------------- */

double perf_occupancy(const struct perf *pf, int llc, int tid, int proc)
{
	if (llc < 0 || llc >= pf->nl)
		return 0;
	if (proc < 0)
		return tid >= 0 && tid < pf->nt ? occ_get(pf, llc, tid) : 0;
	return proc < pf->np ? occ_get(pf, llc, pf->nt + proc) : 0;
}

double perf_slowdown(const struct perf *pf, int tid)
{
	const struct pthr *th = &pf->th[tid];

	return th->cpu >= 0 ? seg_dT(th, 0) : 1.0;
}

double perf_node_demand(const struct perf *pf, int node)
{
	return node >= 0 && node < pf->nn && pf->node_dem[node] > 0 ? pf->node_dem[node] : 0;
}
