/*
 * Unit tests for hw/profile.c: which machine profile each shipped topology
 * gets, a few exact values and their sources, the mode-dependent values
 * (GNR SNC3 vs HEX, bandwidth per node by NUMA mode, AMD GMI-Wide), what a
 * topology can override (memattrs, Machine info pairs "cassim.<param>"),
 * --set and --profile errors, and that every value of every profile says
 * where it came from.
 */
#include <check.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/types.h"
#include "hw/freq.h"
#include "hw/profile.h"
#include "hw/topo.h"

static const char *srcdir(void)
{
	const char *s = getenv("CASSIM_SRCDIR");

	if (s && *s)
		return s;
	return "."; /* run from the source tree by hand */
}

static struct topo *load(const char *spec)
{
	static char dir[1024];
	const char *dirs[] = { dir, NULL };
	struct topo *t = NULL;
	struct diag err = { "" };

	snprintf(dir, sizeof(dir), "%s/topologies", srcdir());
	diag_quiet_warnings(1);
	ck_assert_msg(topo_load(spec, dirs, &t, &err) == 0, "loading %s: %s", spec, err.msg);
	return t;
}

static void profile_ok(const struct topo *t, const char *name, struct machine_profile *p)
{
	struct diag err = { "" };

	ck_assert_msg(profile_for_topo(t, name, p, &err) == 0, "%s: %s", t->name, err.msg);
}

static bool near(double a, double b)
{
	return fabs(a - b) < 1e-9 * (1 + fabs(b));
}
#define ck_near(a, b) ck_assert_msg(near((a), (b)), "%s = %.17g, expected %.17g", #a, (double)(a), (double)(b))
#define ck_src_has(p, i, s) ck_assert_msg(strstr((p)->src[i], (s)) != NULL, "src[%s] = '%s' lacks '%s'", \
					   model_param_defs[i].name, (p)->src[i], (s))

/* ---- profile selection ------------------------------------------------------ */

static const struct { const char *topo, *profile; } shipped[] = {
	{ "xeon6-6980p-2s", "granite-rapids" },
	{ "xeon6-6980p-2s-snc3", "granite-rapids" },
	{ "epyc-9755-2s-nps1", "turin" },
	{ "epyc-9755-2s-nps4", "turin" },
	{ "epyc-9965-2s-nps1", "turin-dense" },
	{ "spr-2s-1node-2llc", "sapphire-rapids" },
	{ "emr-2s-1node-2llc", "emerald-rapids" },
	{ "epyc-milan-2s-nps1", "milan" },
	{ "epyc-milan-4node-4llc", "milan" },
	{ "epyc-milan-2node-8llc", "milan" },
	{ "epyc-genoa-4node-2llc", "genoa" },
	{ "hygon-c86-2s-8node-4llc", "hygon-c86" },
};

START_TEST(test_shipped_profiles)
{
	struct topo *t = load(shipped[_i].topo);
	struct machine_profile p;

	profile_ok(t, NULL, &p);
	ck_assert_str_eq(p.name, shipped[_i].profile);
	ck_assert(p.cpu[0]);
	topo_free(t);
}
END_TEST

START_TEST(test_reference_xmls)
{
	static const struct { const char *file, *profile; } refs[] = {
		{ "AMD-19h-Zen4-2xEpyc-9654.xml", "genoa" },
		{ "Intel-SapphireRapids-2xXeonMax9460.xml", "sapphire-rapids" },
	};
	for (size_t i = 0; i < ARRAY_SIZE(refs); i++) {
		char path[1200];
		struct topo *t;
		struct machine_profile p;

		snprintf(path, sizeof(path), "%s/tests/fixtures/%s", srcdir(), refs[i].file);
		t = load(path);
		profile_ok(t, NULL, &p);
		ck_assert_str_eq(p.name, refs[i].profile);
		topo_free(t);
	}
}
END_TEST

/* No CPU info: the synthetic machine is generic; forced names work. */
START_TEST(test_generic_and_forced)
{
	struct topo *t = topo_new_simple(2, 2, 4, 2);
	struct machine_profile p;
	struct diag err = { "" };

	ck_assert_ptr_nonnull(t);
	profile_ok(t, NULL, &p);
	ck_assert_str_eq(p.name, "generic");
	ck_src_has(&p, MP_smt_factor, "[E]");
	profile_ok(t, "milan", &p);
	ck_assert_str_eq(p.name, "milan");
	ck_assert_int_eq(profile_for_topo(t, "pentium", &p, &err), -1);
	ck_assert_msg(strstr(err.msg, "--profile pentium: unknown profile") && strstr(err.msg, "turin-dense"),
		      "%s", err.msg);
	topo_free(t);
}
END_TEST

/* ---- values and their sources ---------------------------------------------- */

START_TEST(test_gnr_snc3_vs_hex)
{
	struct topo *snc = load("xeon6-6980p-2s-snc3"), *hex = load("xeon6-6980p-2s");
	struct machine_profile a, b;

	profile_ok(snc, NULL, &a);
	profile_ok(hex, NULL, &b);
	/* c2c inside the LLC: 80 ns with SNC3, 180 ns in HEX [M] S5 */
	ck_near(a.v[MP_c2c_llc_ns], 80);
	ck_near(b.v[MP_c2c_llc_ns], 180);
	ck_src_has(&a, MP_c2c_llc_ns, "[M] S5 ubergarm MLC dual 6980P");
	ck_src_has(&b, MP_c2c_llc_ns, "[M] S5");
	ck_assert(strstr(a.cpu, "SNC3") && strstr(b.cpu, "HEX"));
	/* 614.4 GB/s per socket: / 3 nodes per package with SNC3, whole in HEX */
	ck_near(a.v[MP_dram_bw_node_gbs], 204.8);
	ck_near(b.v[MP_dram_bw_node_gbs], 614.4);
	ck_src_has(&a, MP_dram_bw_node_gbs, "[D]");
	ck_src_has(&a, MP_dram_bw_node_gbs, "3 node(s) per package");
	ck_near(a.v[MP_llc_link_bw_gbs], 0);
	ck_near(b.v[MP_xpkg_bw_gbs], 248);
	ck_near(a.v[MP_c2c_xllc_bw_gbs], 188);
	ck_src_has(&a, MP_c2c_xllc_bw_gbs, "[M] S5");
	/* idle states from intel_idle gnr_cstates */
	ck_near(a.v[MP_idle1_exit_ns], 1000);
	ck_near(a.v[MP_idle2_exit_ns], 4000);
	ck_near(a.v[MP_idle3_exit_ns], 170000);
	ck_near(a.v[MP_idle3_target_ns], 650000);
	ck_src_has(&a, MP_idle3_exit_ns, "gnr_cstates");
	/* LLC capacity is the topology's */
	ck_near(a.v[MP_llc_bytes], 0);
	ck_assert_msg(!strncmp(a.src[MP_llc_bytes], "topology", 8), "%s", a.src[MP_llc_bytes]);
	ck_src_has(&a, MP_llc_bytes, "shared by 256 CPUs, LLC of 86 CPUs");
	topo_free(snc);
	topo_free(hex);
}
END_TEST

START_TEST(test_intel_idle_spr_emr)
{
	struct topo *spr = load("spr-2s-1node-2llc"), *emr = load("emr-2s-1node-2llc");
	struct machine_profile a, b;

	profile_ok(spr, NULL, &a);
	profile_ok(emr, NULL, &b);
	for (int k = 0; k < 2; k++) {
		const struct machine_profile *p = k ? &b : &a;

		ck_near(p->v[MP_idle1_exit_ns], 1000);
		ck_near(p->v[MP_idle1_target_ns], 1000);
		ck_near(p->v[MP_idle2_exit_ns], 2000);
		ck_near(p->v[MP_idle2_target_ns], 4000);
		ck_near(p->v[MP_idle3_exit_ns], 290000);
		ck_near(p->v[MP_idle3_target_ns], 800000);
		ck_src_has(p, MP_idle3_exit_ns, "spr_cstates");
	}
	ck_src_has(&b, MP_idle3_exit_ns, "EMERALDRAPIDS_X");
	/* one node interleaving both sockets: all channels, mean latency */
	ck_near(a.v[MP_dram_bw_node_gbs], 2 * 307.2);
	ck_near(b.v[MP_dram_bw_node_gbs], 2 * 358.4);
	ck_near(a.v[MP_dram_local_ns], (110 + 185) / 2.0);
	ck_src_has(&a, MP_dram_local_ns, "[D]");
	topo_free(spr);
	topo_free(emr);
}
END_TEST

/* A family written against its parent (profile.c) takes every value it
 * does not state from it, and keeps its own source where it says why. */
START_TEST(test_family_parents)
{
	struct topo *t = topo_new_simple(2, 2, 4, 2);
	struct machine_profile spr, emr, turin, dense;

	ck_assert_ptr_nonnull(t);
	profile_ok(t, "sapphire-rapids", &spr);
	profile_ok(t, "emerald-rapids", &emr);
	profile_ok(t, "turin", &turin);
	profile_ok(t, "turin-dense", &dense);
	/* EMR: "as SPR" values, with EMR's own notes; its spec values its own */
	ck_near(emr.v[MP_llc_hit_ns], 33);
	ck_near(emr.v[MP_c2c_llc_ns], 60);
	ck_near(emr.v[MP_c2c_xllc_bw_gbs], 100);
	ck_near(emr.v[MP_idle3_exit_ns], 290000);
	ck_src_has(&emr, MP_llc_hit_ns, "[E] as SPR (30-35 ns); EMR has 320 MB L3");
	ck_src_has(&emr, MP_idle3_exit_ns, "EMERALDRAPIDS_X");
	/* inherited with SPR's own source */
	ck_near(emr.v[MP_fi_rule], FI_INTEL);
	ck_assert_str_eq(emr.src[MP_fi_rule], spr.src[MP_fi_rule]);
	ck_assert_str_eq(emr.src[MP_llc_link_bw_gbs], "[D] Intel mesh: no per-LLC link to memory");
	ck_near(emr.v[MP_xpkg_bw_gbs], 125);
	ck_near(spr.v[MP_xpkg_bw_gbs], 100);
	ck_near(emr.v[MP_freq_ghz], 2.9);
	/* Turin dense: Turin's links and acpi_idle states, its own CCX */
	ck_near(dense.v[MP_xpkg_bw_gbs], 200);
	ck_near(dense.v[MP_idle2_exit_ns], 400000);
	ck_assert_str_eq(dense.src[MP_idle2_exit_ns], turin.src[MP_idle2_exit_ns]);
	ck_near(dense.v[MP_c2c_xllc_ns], 115);
	ck_src_has(&dense, MP_c2c_xllc_ns, "as 9755");
	ck_near(dense.v[MP_llc_hit_ns], 13);
	ck_near(turin.v[MP_llc_hit_ns], 11);
	/* a value neither family sets is the generic one */
	ck_near(dense.v[MP_smt_factor], 0.6);
	ck_src_has(&dense, MP_smt_factor, "[E] typical SMT yield");
	topo_free(t);
}
END_TEST

START_TEST(test_amd_modes)
{
	struct topo *n1 = load("epyc-9755-2s-nps1"), *n4 = load("epyc-9755-2s-nps4");
	struct topo *dense = load("epyc-9965-2s-nps1"), *genoa = load("epyc-genoa-4node-2llc");
	struct topo *milan = load("epyc-milan-2s-nps1");
	struct machine_profile a, b, c, g, m;

	profile_ok(n1, NULL, &a);
	profile_ok(n4, NULL, &b);
	profile_ok(dense, NULL, &c);
	profile_ok(genoa, NULL, &g);
	profile_ok(milan, NULL, &m);
	/* per-node bandwidth: socket / nodes per package */
	ck_near(a.v[MP_dram_bw_node_gbs], 614.4);
	ck_near(b.v[MP_dram_bw_node_gbs], 153.6);
	ck_near(g.v[MP_dram_bw_node_gbs], 230.4);
	ck_near(m.v[MP_dram_bw_node_gbs], 204.8);
	ck_src_has(&b, MP_dram_bw_node_gbs, "4 node(s) per package");
	/* NPS4 local latency a little lower, [E] from S29 */
	ck_near(a.v[MP_dram_local_ns], 130);
	ck_near(b.v[MP_dram_local_ns], 120);
	ck_src_has(&b, MP_dram_local_ns, "S29");
	/* per-CCD link: 16 and 12 CCDs narrow, 4-CCD Genoa wide */
	ck_near(a.v[MP_llc_link_bw_gbs], 64);
	ck_near(c.v[MP_llc_link_bw_gbs], 64);
	ck_near(g.v[MP_llc_link_bw_gbs], 2 * 57.6);
	ck_src_has(&g, MP_llc_link_bw_gbs, "GMI");
	ck_near(m.v[MP_llc_link_bw_gbs], 51.2);
	/* lines from other CCDs come in over the same link: same figure, and
	 * GMI-Wide doubles it too */
	ck_near(a.v[MP_c2c_xllc_bw_gbs], 64);
	ck_near(g.v[MP_c2c_xllc_bw_gbs], 2 * 57.6);
	ck_src_has(&g, MP_c2c_xllc_bw_gbs, "GMI-Wide");
	ck_near(m.v[MP_c2c_xllc_bw_gbs], 51.2);
	/* measured numbers keep their tags */
	ck_near(a.v[MP_llc_hit_ns], 11);
	ck_src_has(&a, MP_llc_hit_ns, "[M]");
	ck_near(g.v[MP_c2c_xllc_ns], 99);
	ck_src_has(&g, MP_c2c_xllc_ns, "[M] S21");
	/* acpi_idle on EPYC: C1 1/2 us, C2 400/800 us, no deep state */
	ck_near(c.v[MP_idle1_exit_ns], 1000);
	ck_near(c.v[MP_idle1_target_ns], 2000);
	ck_near(c.v[MP_idle2_exit_ns], 400000);
	ck_near(c.v[MP_idle2_target_ns], 800000);
	ck_near(c.v[MP_idle3_exit_ns], 0);
	ck_src_has(&c, MP_idle2_exit_ns, "acpi_idle");
	/* kernel default */
	ck_near(c.v[MP_numa_scan_mb], 256);
	ck_src_has(&c, MP_numa_scan_mb, "[K]");
	ck_near(c.v[MP_smt_factor], 0.6);
	ck_src_has(&c, MP_smt_factor, "[E]");
	topo_free(n1);
	topo_free(n4);
	topo_free(dense);
	topo_free(genoa);
	topo_free(milan);
}
END_TEST

/* ---- what the topology overrides ------------------------------------------- */

/* Two packages, a node and two 8 MiB L3s each; memattrs Bandwidth (MiB/s)
 * and Latency (ns) per node with the node's CPUs as initiator (as Linux
 * exports HMAT; written by hwloc-annotate); Machine info pairs. */
static const char fixture_fmt[] =
	"<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
	"<!DOCTYPE topology SYSTEM \"hwloc2.dtd\">\n"
	"<topology version=\"2.0\">\n"
	"<object type=\"Machine\" os_index=\"0\" cpuset=\"0x000000ff\" complete_cpuset=\"0x000000ff\" nodeset=\"0x00000003\" complete_nodeset=\"0x00000003\" gp_index=\"1\">\n"
	"%s"
	"<object type=\"Package\" os_index=\"0\" cpuset=\"0x0000000f\" complete_cpuset=\"0x0000000f\" nodeset=\"0x00000001\" complete_nodeset=\"0x00000001\" gp_index=\"12\">\n"
	" <object type=\"NUMANode\" os_index=\"0\" cpuset=\"0x0000000f\" complete_cpuset=\"0x0000000f\" nodeset=\"0x00000001\" complete_nodeset=\"0x00000001\" gp_index=\"13\" local_memory=\"1073741824\"/>\n"
	" <object type=\"L3Cache\" cpuset=\"0x00000003\" complete_cpuset=\"0x00000003\" nodeset=\"0x00000001\" complete_nodeset=\"0x00000001\" gp_index=\"6\" cache_size=\"8388608\" depth=\"3\" cache_linesize=\"64\" cache_associativity=\"0\" cache_type=\"0\">\n"
	"  <object type=\"Core\" os_index=\"0\" cpuset=\"0x00000001\" complete_cpuset=\"0x00000001\" nodeset=\"0x00000001\" complete_nodeset=\"0x00000001\" gp_index=\"3\"><object type=\"PU\" os_index=\"0\" cpuset=\"0x00000001\" complete_cpuset=\"0x00000001\" nodeset=\"0x00000001\" complete_nodeset=\"0x00000001\" gp_index=\"2\"/></object>\n"
	"  <object type=\"Core\" os_index=\"1\" cpuset=\"0x00000002\" complete_cpuset=\"0x00000002\" nodeset=\"0x00000001\" complete_nodeset=\"0x00000001\" gp_index=\"5\"><object type=\"PU\" os_index=\"1\" cpuset=\"0x00000002\" complete_cpuset=\"0x00000002\" nodeset=\"0x00000001\" complete_nodeset=\"0x00000001\" gp_index=\"4\"/></object>\n"
	" </object>\n"
	" <object type=\"L3Cache\" cpuset=\"0x0000000c\" complete_cpuset=\"0x0000000c\" nodeset=\"0x00000001\" complete_nodeset=\"0x00000001\" gp_index=\"11\" cache_size=\"8388608\" depth=\"3\" cache_linesize=\"64\" cache_associativity=\"0\" cache_type=\"0\">\n"
	"  <object type=\"Core\" os_index=\"2\" cpuset=\"0x00000004\" complete_cpuset=\"0x00000004\" nodeset=\"0x00000001\" complete_nodeset=\"0x00000001\" gp_index=\"8\"><object type=\"PU\" os_index=\"2\" cpuset=\"0x00000004\" complete_cpuset=\"0x00000004\" nodeset=\"0x00000001\" complete_nodeset=\"0x00000001\" gp_index=\"7\"/></object>\n"
	"  <object type=\"Core\" os_index=\"3\" cpuset=\"0x00000008\" complete_cpuset=\"0x00000008\" nodeset=\"0x00000001\" complete_nodeset=\"0x00000001\" gp_index=\"10\"><object type=\"PU\" os_index=\"3\" cpuset=\"0x00000008\" complete_cpuset=\"0x00000008\" nodeset=\"0x00000001\" complete_nodeset=\"0x00000001\" gp_index=\"9\"/></object>\n"
	" </object>\n"
	"</object>\n"
	"<object type=\"Package\" os_index=\"1\" cpuset=\"0x000000f0\" complete_cpuset=\"0x000000f0\" nodeset=\"0x00000002\" complete_nodeset=\"0x00000002\" gp_index=\"24\">\n"
	" <object type=\"NUMANode\" os_index=\"1\" cpuset=\"0x000000f0\" complete_cpuset=\"0x000000f0\" nodeset=\"0x00000002\" complete_nodeset=\"0x00000002\" gp_index=\"25\" local_memory=\"1073741824\"/>\n"
	" <object type=\"L3Cache\" cpuset=\"0x00000030\" complete_cpuset=\"0x00000030\" nodeset=\"0x00000002\" complete_nodeset=\"0x00000002\" gp_index=\"18\" cache_size=\"8388608\" depth=\"3\" cache_linesize=\"64\" cache_associativity=\"0\" cache_type=\"0\">\n"
	"  <object type=\"Core\" os_index=\"4\" cpuset=\"0x00000010\" complete_cpuset=\"0x00000010\" nodeset=\"0x00000002\" complete_nodeset=\"0x00000002\" gp_index=\"15\"><object type=\"PU\" os_index=\"4\" cpuset=\"0x00000010\" complete_cpuset=\"0x00000010\" nodeset=\"0x00000002\" complete_nodeset=\"0x00000002\" gp_index=\"14\"/></object>\n"
	"  <object type=\"Core\" os_index=\"5\" cpuset=\"0x00000020\" complete_cpuset=\"0x00000020\" nodeset=\"0x00000002\" complete_nodeset=\"0x00000002\" gp_index=\"17\"><object type=\"PU\" os_index=\"5\" cpuset=\"0x00000020\" complete_cpuset=\"0x00000020\" nodeset=\"0x00000002\" complete_nodeset=\"0x00000002\" gp_index=\"16\"/></object>\n"
	" </object>\n"
	" <object type=\"L3Cache\" cpuset=\"0x000000c0\" complete_cpuset=\"0x000000c0\" nodeset=\"0x00000002\" complete_nodeset=\"0x00000002\" gp_index=\"23\" cache_size=\"8388608\" depth=\"3\" cache_linesize=\"64\" cache_associativity=\"0\" cache_type=\"0\">\n"
	"  <object type=\"Core\" os_index=\"6\" cpuset=\"0x00000040\" complete_cpuset=\"0x00000040\" nodeset=\"0x00000002\" complete_nodeset=\"0x00000002\" gp_index=\"20\"><object type=\"PU\" os_index=\"6\" cpuset=\"0x00000040\" complete_cpuset=\"0x00000040\" nodeset=\"0x00000002\" complete_nodeset=\"0x00000002\" gp_index=\"19\"/></object>\n"
	"  <object type=\"Core\" os_index=\"7\" cpuset=\"0x00000080\" complete_cpuset=\"0x00000080\" nodeset=\"0x00000002\" complete_nodeset=\"0x00000002\" gp_index=\"22\"><object type=\"PU\" os_index=\"7\" cpuset=\"0x00000080\" complete_cpuset=\"0x00000080\" nodeset=\"0x00000002\" complete_nodeset=\"0x00000002\" gp_index=\"21\"/></object>\n"
	" </object>\n"
	"</object>\n"
	"</object>\n"
	"%s"
	"</topology>\n";

static const char memattrs[] =
	"<memattr name=\"Bandwidth\" flags=\"5\">\n"
	" <memattr_value target_obj_type=\"NUMANode\" target_obj_gp_index=\"13\" value=\"102400\" initiator_cpuset=\"0x0000000f\"/>\n"
	" <memattr_value target_obj_type=\"NUMANode\" target_obj_gp_index=\"25\" value=\"153600\" initiator_cpuset=\"0x000000f0\"/>\n"
	"</memattr>\n"
	"<memattr name=\"Latency\" flags=\"6\">\n"
	" <memattr_value target_obj_type=\"NUMANode\" target_obj_gp_index=\"13\" value=\"90\" initiator_cpuset=\"0x0000000f\"/>\n"
	" <memattr_value target_obj_type=\"NUMANode\" target_obj_gp_index=\"25\" value=\"100\" initiator_cpuset=\"0x000000f0\"/>\n"
	"</memattr>\n";

static struct topo *load_fixture(const char *infos, const char *tail, char *path, size_t len)
{
	FILE *f;

	snprintf(path, len, "%s/cassim-test-profile-%d.xml", getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp",
		 (int)getpid());
	f = fopen(path, "w");
	ck_assert_ptr_nonnull(f);
	fprintf(f, fixture_fmt, infos, tail);
	fclose(f);
	return load(path);
}

START_TEST(test_memattr_and_info_overrides)
{
	char path[1024];
	struct topo *t = load_fixture("<info name=\"cassim.profile\" value=\"genoa\"/>\n"
				      "<info name=\"cassim.smt_factor\" value=\"0.55\"/>\n"
				      "<info name=\"cassim.llc_hit_ns\" value=\"12.5\"/>\n"
				      "<info name=\"cassim.machine\" value=\"fixture\"/>\n",
				      memattrs, path, sizeof(path));
	struct machine_profile p;

	profile_ok(t, NULL, &p);
	ck_assert_str_eq(p.name, "genoa");            /* info cassim.profile */
	/* memattrs: mean of 102400 and 153600 MiB/s; of 90 and 100 ns */
	ck_near(p.v[MP_dram_bw_node_gbs], 128000 * 1048576.0 / 1e9);
	ck_src_has(&p, MP_dram_bw_node_gbs, "topology memattr Bandwidth");
	ck_near(p.v[MP_dram_local_ns], 95);
	ck_src_has(&p, MP_dram_local_ns, "topology memattr Latency");
	/* info pairs override any value */
	ck_near(p.v[MP_smt_factor], 0.55);
	ck_assert_str_eq(p.src[MP_smt_factor], "topology info cassim.smt_factor");
	ck_near(p.v[MP_llc_hit_ns], 12.5);
	/* --profile wins over the info pair; the overrides still apply */
	profile_ok(t, "turin", &p);
	ck_assert_str_eq(p.name, "turin");
	ck_near(p.v[MP_smt_factor], 0.55);
	/* --set wins over everything */
	ck_assert_int_eq(profile_set(&p, "smt_factor", "0.7", &(struct diag){ "" }), 0);
	ck_near(p.v[MP_smt_factor], 0.7);
	ck_assert_str_eq(p.src[MP_smt_factor], "--set");
	topo_free(t);
	unlink(path);
}
END_TEST

START_TEST(test_bad_info_pairs)
{
	char path[1024];
	struct machine_profile p;
	struct diag err = { "" };
	struct topo *t;

	t = load_fixture("<info name=\"cassim.smt_factor\" value=\"2\"/>\n", "", path, sizeof(path));
	ck_assert_int_eq(profile_for_topo(t, NULL, &p, &err), -1);
	ck_assert_msg(strstr(err.msg, "info cassim.smt_factor=2: out of range (expected 0.1..1)") &&
		      strstr(err.msg, path), "%s", err.msg);
	topo_free(t);

	t = load_fixture("<info name=\"cassim.mlp\" value=\"lots\"/>\n", "", path, sizeof(path));
	ck_assert_int_eq(profile_for_topo(t, NULL, &p, &err), -1);
	ck_assert_msg(strstr(err.msg, "info cassim.mlp=lots: not a number"), "%s", err.msg);
	topo_free(t);

	t = load_fixture("<info name=\"cassim.profile\" value=\"z80\"/>\n", "", path, sizeof(path));
	ck_assert_int_eq(profile_for_topo(t, NULL, &p, &err), -1);
	ck_assert_msg(strstr(err.msg, "cassim.profile=z80: unknown profile"), "%s", err.msg);
	topo_free(t);
	unlink(path);
}
END_TEST

/* ---- --set ------------------------------------------------------------------ */

START_TEST(test_profile_set)
{
	struct topo *t = topo_new_simple(1, 2, 2, 1);
	struct machine_profile p;
	struct diag err = { "" };

	ck_assert_ptr_nonnull(t);
	profile_ok(t, NULL, &p);
	ck_assert_int_eq(profile_set(&p, "smt_factor", "1.5", &err), -1);
	ck_assert_str_eq(err.msg, "--set smt_factor=1.5: out of range (expected 0.1..1)");
	ck_assert_int_eq(profile_set(&p, "mlp", "0", &err), -1);
	ck_assert_str_eq(err.msg, "--set mlp=0: out of range (expected 1..64)");
	ck_assert_int_eq(profile_set(&p, "dram_local_ns", "-5", &err), -1);
	ck_assert_str_eq(err.msg, "--set dram_local_ns=-5: out of range (expected 1..5000 ns)");
	ck_assert_int_eq(profile_set(&p, "ipi_ns", "1us", &err), -1);
	ck_assert_str_eq(err.msg, "--set ipi_ns=1us: not a number");
	ck_assert_int_eq(profile_set(&p, "ipi_ns", "", &err), -1);
	ck_assert_int_eq(profile_set(&p, "no_such", "1", &err), -1);
	ck_assert_msg(strstr(err.msg, "--set no_such=1: unknown model parameter"), "%s", err.msg);
	/* a failed set leaves the value alone */
	ck_near(p.v[MP_smt_factor], 0.6);
	/* edges of the range are accepted */
	ck_assert_int_eq(profile_set(&p, "smt_factor", "1", &err), 0);
	ck_assert_int_eq(profile_set(&p, "idle3_exit_ns", "0", &err), 0);
	ck_near(p.v[MP_idle3_exit_ns], 0);
	ck_assert_str_eq(p.src[MP_idle3_exit_ns], "--set");
	topo_free(t);
}
END_TEST

START_TEST(test_param_index)
{
	ck_assert_int_eq(profile_param_index("freq_ghz"), MP_freq_ghz);
	ck_assert_int_eq(profile_param_index("numa_migrate_mbps"), MP_numa_migrate_mbps);
	ck_assert_int_eq(profile_param_index("nope"), -1);
	ck_assert_int_eq(profile_param_index(""), -1);
	ck_assert_int_eq(profile_param_index(NULL), -1);
	for (int i = 0; i < MP_NR; i++) {
		ck_assert_int_eq(profile_param_index(model_param_defs[i].name), i);
		ck_assert(model_param_defs[i].min <= model_param_defs[i].max);
		ck_assert_ptr_nonnull(model_param_defs[i].help);
	}
}
END_TEST

/* ---- every value of every profile has a source ---------------------------- */

START_TEST(test_every_value_sourced)
{
	static const char *const topos[] = { "xeon6-6980p-2s-snc3", "xeon6-6980p-2s", "epyc-9755-2s-nps4",
					     "spr-2s-1node-2llc" };
	int n = 0;

	for (size_t k = 0; k < ARRAY_SIZE(topos); k++) {
		struct topo *t = load(topos[k]);

		for (int j = 0; profile_names[j]; j++, n++) {
			struct machine_profile p;

			profile_ok(t, profile_names[j], &p);
			ck_assert_str_eq(p.name, profile_names[j]);
			ck_assert(p.cpu[0]);
			for (int i = 0; i < MP_NR; i++) {
				const char *s = p.src[i];
				const struct model_param_def *d = &model_param_defs[i];

				ck_assert_msg(s[0], "%s/%s: %s has no source", topos[k], p.name, d->name);
				ck_assert_msg(s[0] == '[' || !strncmp(s, "topology", 8), "%s/%s: %s source '%s' has no tag",
					      topos[k], p.name, d->name, s);
				/* src[] holds 159 characters: a longer source was cut */
				ck_assert_msg(strlen(s) < sizeof(p.src[i]) - 1, "%s/%s: %s source truncated: '%s'",
					      topos[k], p.name, d->name, s);
				ck_assert_msg(p.v[i] >= d->min && p.v[i] <= d->max, "%s/%s: %s = %g outside %g..%g",
					      topos[k], p.name, d->name, p.v[i], d->min, d->max);
			}
			/* a state's target residency covers its exit latency */
			ck_assert(p.v[MP_idle1_target_ns] >= p.v[MP_idle1_exit_ns]);
			ck_assert(p.v[MP_idle2_target_ns] >= p.v[MP_idle2_exit_ns]);
			ck_assert(p.v[MP_idle3_target_ns] >= p.v[MP_idle3_exit_ns]);
			/* the relations are ordered nearest first */
			ck_assert(p.v[MP_c2c_smt_ns] <= p.v[MP_c2c_llc_ns]);
			ck_assert(p.v[MP_c2c_llc_ns] <= p.v[MP_c2c_xllc_ns]);
			ck_assert(p.v[MP_c2c_xllc_ns] <= p.v[MP_c2c_xpkg_ns]);
			ck_assert(p.v[MP_dram_local_ns] <= p.v[MP_dram_remote_ns]);
		}
		topo_free(t);
	}
	ck_assert_int_eq(n, 4 * 9); /* 4 topologies x 9 profiles */
}
END_TEST

static Suite *profile_suite(void)
{
	Suite *s = suite_create("profile");
	TCase *tc = tcase_create("select");

	tcase_set_timeout(tc, 60);
	tcase_add_loop_test(tc, test_shipped_profiles, 0, (int)ARRAY_SIZE(shipped));
	tcase_add_test(tc, test_reference_xmls);
	tcase_add_test(tc, test_generic_and_forced);
	suite_add_tcase(s, tc);

	tc = tcase_create("values");
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_gnr_snc3_vs_hex);
	tcase_add_test(tc, test_intel_idle_spr_emr);
	tcase_add_test(tc, test_amd_modes);
	tcase_add_test(tc, test_family_parents);
	tcase_add_test(tc, test_every_value_sourced);
	suite_add_tcase(s, tc);

	tc = tcase_create("overrides");
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_memattr_and_info_overrides);
	tcase_add_test(tc, test_bad_info_pairs);
	tcase_add_test(tc, test_profile_set);
	tcase_add_test(tc, test_param_index);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(profile_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? 1 : 0;
}
