/*
 * Replay driver for the fuzz targets, for builds without a fuzzing engine
 * (plain gcc, make check).  It feeds every file given (or every regular file
 * of a directory given, in name order) to LLVMFuzzerTestOneInput, then, with
 * -n N, N mutations of each: byte flips, interesting bytes and tokens,
 * numbers replaced by edge values, deletions, duplications, truncations,
 * stacked one to four at a time.  The mutations come from a PRNG seeded with
 * -s SEED and the file's name, so a pass is the same on every machine and an
 * input's mutations do not depend on the other inputs.
 *
 * A crash, an abort, a sanitizer report or an input that takes more than
 * -t SECONDS of CPU time (not wall time: a busy machine must not fail the
 * pass) ends the program with a nonzero status after saving the input
 * as crash-TARGET-N (or timeout-...) in $FUZZ_ARTIFACT_DIR (default: the
 * current directory) and naming it on stderr: reproduce with
 * "TARGET FILE", add the file to the target's corpus once fixed.
 *
 * Usage: TARGET [-n MUTATIONS] [-s SEED] [-t SECONDS] [-v] PATH...
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <inttypes.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <unistd.h>

#include "fuzz.h"

#define FUZZ_MAX_INPUT (1 << 20)

/* Optional hooks: libFuzzer's initialiser (a target may define it) and the
 * sanitizers' death callback (present when linked with ASan/UBSan). */
int LLVMFuzzerInitialize(int *argc, char ***argv) __attribute__((weak));
void __sanitizer_set_death_callback(void (*cb)(void)) __attribute__((weak));
/* LeakSanitizer: a leak check that reports and returns nonzero, not fatal */
int __lsan_do_recoverable_leak_check(void) __attribute__((weak));

/* Sanitizer defaults (the environment's ASAN_OPTIONS/UBSAN_OPTIONS still
 * win): abort on the first report, so that the input is saved by the
 * SIGABRT handler also for UBSan, which does not call the death callback. */
const char *__asan_default_options(void);
const char *__ubsan_default_options(void);
const char *__asan_default_options(void)
{
	return "abort_on_error=1";
}
const char *__ubsan_default_options(void)
{
	return "abort_on_error=1:print_stacktrace=1";
}

static const char *prog;
static const char *cur_file;    /* input being run */
static long cur_mutation;       /* -1: the file itself */
static const uint8_t *cur_data;
static size_t cur_size;
static unsigned timeout_s = 10;
/* A copy of stderr: a parser may silence fd 2 while it runs (topo.c does
 * around libhwloc), and the driver's report must still be seen. */
static int report_fd = 2;

/* Save the current input; called on a crash, so it only uses write(2)
 * and snprintf into a static buffer. */
static void save_input(const char *kind)
{
	static char path[4096];
	static int saved; /* a sanitizer report is followed by its abort() */
	const char *dir = getenv("FUZZ_ARTIFACT_DIR");
	const char *base = strrchr(prog, '/') ? strrchr(prog, '/') + 1 : prog;
	char msg[8192];
	int fd, n;

	if (saved++)
		return;
	snprintf(path, sizeof(path), "%s/%s-%s-%d", dir && *dir ? dir : ".", kind, base, (int)getpid());
	fd = cur_data ? open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644) : -1;
	if (fd >= 0) {
		size_t off = 0;
		while (off < cur_size) {
			ssize_t w = write(fd, cur_data + off, cur_size - off);
			if (w <= 0)
				break;
			off += (size_t)w;
		}
		close(fd);
	}
	if (!cur_data)
		n = snprintf(msg, sizeof(msg), "%s: %s after the inputs (at exit)\n", base, kind);
	else if (cur_mutation < 0)
		n = snprintf(msg, sizeof(msg), "%s: %s on %s (saved as %s)\n", base, kind,
			     cur_file ? cur_file : "?", fd >= 0 ? path : "not saved");
	else
		n = snprintf(msg, sizeof(msg), "%s: %s on mutation %ld of %s (saved as %s)\n", base,
			     kind, cur_mutation, cur_file ? cur_file : "?", fd >= 0 ? path : "not saved");
	if (n > 0)
		(void)!write(report_fd, msg, (size_t)n < sizeof(msg) ? (size_t)n : sizeof(msg) - 1);
}

static void on_death(void)
{
	save_input("crash");
}

static void on_signal(int sig)
{
	save_input(sig == SIGPROF ? "timeout" : "crash");
	if (sig == SIGPROF)
		_exit(70);
	signal(sig, SIG_DFL);
	raise(sig);
}

static void install_handlers(void)
{
	/* With a sanitizer runtime, it reports SEGV/BUS/FPE itself and then
	 * calls the death callback: keep its handlers. */
	static const int own[] = { SIGABRT, SIGILL, SIGPROF };
	static const int plain[] = { SIGSEGV, SIGBUS, SIGFPE };
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	for (size_t i = 0; i < sizeof(own) / sizeof(own[0]); i++)
		sigaction(own[i], &sa, NULL);
	if (__sanitizer_set_death_callback)
		__sanitizer_set_death_callback(on_death);
	else
		for (size_t i = 0; i < sizeof(plain) / sizeof(plain[0]); i++)
			sigaction(plain[i], &sa, NULL);
}

/* ---- mutations --------------------------------------------------------------------------- */

static uint64_t rng_state;

/* splitmix64: small, good enough, the same everywhere */
static uint64_t rnd(void)
{
	uint64_t z = (rng_state += 0x9e3779b97f4a7c15ULL);
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

static size_t below(size_t n)
{
	return n ? (size_t)(rnd() % n) : 0;
}

static uint64_t fnv1a(const char *s)
{
	uint64_t h = 0xcbf29ce484222325ULL;
	for (; *s; s++)
		h = (h ^ (uint8_t)*s) * 0x100000001b3ULL;
	return h;
}

static const uint8_t bytes[] = { 0x00, 0xff, 0x7f, 0x80, '"', '\\', '{', '}', '[', ']', ',', ':',
				 '-', '0', '9', '\n', '\r', ' ', '#', 'e', '.', '<', '>', '/', '=' };
static const char *const tokens[] = {
	"null", "true", "\"\"", "[]", "{}", "[[[[[[[[", "\"x\":", "\xc3\x28", "\x1b[31m", "%s%n",
	"<!--", "]]>", "&amp;", "\"\\u0000\"", "==>", " [000] ", ": sched:sched_switch: ", "\"${x}\"",
};
static const char *const numbers[] = {
	"0", "-1", "1", "-0", "2147483647", "2147483648", "-2147483649", "4294967296",
	"9223372036854775807", "9223372036854775808", "-9223372036854775809", "1e308", "1e309",
	"-1e309", "1e-320", "0.5", "99999999", "65536", "1000000000000", "0x10", "NaN", "inf",
};

struct buf {
	uint8_t *p;
	size_t n;
};

static void insert(struct buf *b, size_t at, const void *src, size_t len)
{
	if (b->n + len > FUZZ_MAX_INPUT)
		return;
	memmove(b->p + at + len, b->p + at, b->n - at);
	memcpy(b->p + at, src, len);
	b->n += len;
}

static void erase(struct buf *b, size_t at, size_t len)
{
	memmove(b->p + at, b->p + at + len, b->n - at - len);
	b->n -= len;
}

/* A position; half of the time one in a number (where limits live). */
static size_t pick_pos(const struct buf *b)
{
	size_t p = below(b->n);

	if (rnd() & 1)
		for (size_t i = 0; i < b->n; i++) {
			size_t q = (p + i) % b->n;
			if (b->p[q] >= '0' && b->p[q] <= '9')
				return q;
		}
	return p;
}

static void mutate_once(struct buf *b)
{
	size_t at = pick_pos(b), len;
	const char *t;

	switch (below(b->n ? 8 : 2)) {
	case 0: /* insert a byte */
		insert(b, b->n ? at : 0, &bytes[below(sizeof(bytes))], 1);
		break;
	case 1: /* insert a token */
		t = tokens[below(sizeof(tokens) / sizeof(tokens[0]))];
		insert(b, b->n ? at : 0, t, strlen(t));
		break;
	case 2: /* flip a bit */
		b->p[at] ^= (uint8_t)(1u << below(8));
		break;
	case 3: /* overwrite a byte */
		b->p[at] = bytes[below(sizeof(bytes))];
		break;
	case 4: /* delete a range */
		len = 1 + below(b->n - at < 16 ? b->n - at : 16);
		erase(b, at, len);
		break;
	case 5: { /* duplicate a range somewhere */
		size_t from = below(b->n);
		uint8_t tmp[64];
		len = 1 + below(b->n - from < sizeof(tmp) ? b->n - from : sizeof(tmp));
		memcpy(tmp, b->p + from, len);
		insert(b, at, tmp, len);
		break;
	}
	case 6: /* truncate */
		b->n = at;
		break;
	case 7: { /* replace the number at @at (or insert one) by an edge value */
		size_t s = at, e = at;
		while (s > 0 && b->p[s - 1] >= '0' && b->p[s - 1] <= '9')
			s--;
		if (s > 0 && b->p[s - 1] == '-')
			s--;
		while (e < b->n && ((b->p[e] >= '0' && b->p[e] <= '9') || b->p[e] == '.'))
			e++;
		erase(b, s, e - s);
		t = numbers[below(sizeof(numbers) / sizeof(numbers[0]))];
		insert(b, s, t, strlen(t));
		break;
	}
	}
}

/* ---- running ----------------------------------------------------------------------------- */

static long nr_inputs, nr_runs;

/* The CPU-time limit of one input (0: none). */
static void cpu_limit(unsigned s)
{
	struct itimerval it = { .it_value = { .tv_sec = s } };

	setitimer(ITIMER_PROF, &it, NULL);
}

static void run_one(const uint8_t *data, size_t size)
{
	cur_data = data;
	cur_size = size;
	cpu_limit(timeout_s);
	LLVMFuzzerTestOneInput(data, size);
	cpu_limit(0);
	cur_data = NULL;
	cur_size = 0;
	nr_runs++;
}

/* Run mutation @k of @orig (size @n) of the file named @base. */
static void run_mutation(const uint8_t *orig, size_t n, uint8_t *work, const char *base, uint64_t seed,
			 long k)
{
	struct buf b = { work, n };
	int ops;

	rng_state = seed ^ fnv1a(base) ^ ((uint64_t)k * 0xd1342543de82ef95ULL);
	memcpy(work, orig, n);
	ops = 1 + (int)below(4);
	for (int i = 0; i < ops; i++)
		mutate_once(&b);
	cur_mutation = k;
	run_one(b.p, b.n);
}

/* Under LeakSanitizer, after a file and its mutations: stop if they
 * leaked (LeakSanitizer has printed where the memory was allocated; rerun
 * the file with -n 0, or use libFuzzer, to tell which input leaked). */
static void leak_check(const char *path, long mutations)
{
	if (!__lsan_do_recoverable_leak_check || !__lsan_do_recoverable_leak_check())
		return;
	fprintf(stderr, "%s: leak in %s or one of its %ld mutations\n", prog, path, mutations);
	fflush(NULL);
	_exit(1);
}

static int run_file(const char *path, long mutations, uint64_t seed, int verbose)
{
	FILE *f = fopen(path, "rb");
	uint8_t *orig = malloc(FUZZ_MAX_INPUT), *work = malloc(FUZZ_MAX_INPUT);
	const char *base = strrchr(path, '/') ? strrchr(path, '/') + 1 : path;
	size_t n;

	if (!f || !orig || !work) {
		fprintf(stderr, "%s: %s: %s\n", prog, path, strerror(errno));
		if (f)
			fclose(f);
		free(orig);
		free(work);
		return -1;
	}
	n = fread(orig, 1, FUZZ_MAX_INPUT, f);
	fclose(f);
	nr_inputs++;
	cur_file = path;
	cur_mutation = -1;
	if (verbose)
		fprintf(stderr, "%s: %s\n", prog, path);
	run_one(orig, n);
	for (long k = 0; k < mutations; k++)
		run_mutation(orig, n, work, base, seed, k);
	leak_check(path, mutations);
	free(orig);
	free(work);
	return 0;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static int run_path(const char *path, long mutations, uint64_t seed, int verbose)
{
	struct stat st;
	DIR *d;
	struct dirent *e;
	char **names = NULL;
	size_t nr = 0, cap = 0;
	int rc = 0;

	if (stat(path, &st) < 0) {
		fprintf(stderr, "%s: %s: %s\n", prog, path, strerror(errno));
		return -1;
	}
	if (!S_ISDIR(st.st_mode))
		return run_file(path, mutations, seed, verbose);
	d = opendir(path);
	if (!d) {
		fprintf(stderr, "%s: %s: %s\n", prog, path, strerror(errno));
		return -1;
	}
	while ((e = readdir(d))) {
		char *full;
		if (e->d_name[0] == '.')
			continue;
		if (nr == cap) {
			cap = cap ? 2 * cap : 64;
			names = realloc(names, cap * sizeof(*names));
		}
		full = malloc(strlen(path) + strlen(e->d_name) + 2);
		if (!names || !full) {
			fprintf(stderr, "%s: out of memory\n", prog);
			exit(99);
		}
		sprintf(full, "%s/%s", path, e->d_name);
		names[nr++] = full;
	}
	closedir(d);
	qsort(names, nr, sizeof(*names), cmp_str);
	for (size_t i = 0; i < nr; i++) {
		if (stat(names[i], &st) == 0 && S_ISREG(st.st_mode) &&
		    run_file(names[i], mutations, seed, verbose) < 0)
			rc = -1;
		free(names[i]);
	}
	free(names);
	return rc;
}

static void usage(FILE *f)
{
	fprintf(f, "Usage: %s [-n MUTATIONS] [-s SEED] [-t SECONDS] [-v] FILE|DIR...\n"
		   "Run each input, then MUTATIONS seeded mutations of it (default 0, seed 1,\n"
		   "at most 10 s of CPU time per input).  A crash or a timeout saves the input\n"
		   "and exits nonzero.\n",
		prog);
}

int main(int argc, char **argv)
{
	long mutations = 0;
	uint64_t seed = 1;
	int verbose = 0, c, rc = 0;
	char *end;

	prog = argv[0];
	while ((c = getopt(argc, argv, "n:s:t:vh")) != -1) {
		switch (c) {
		case 'n':
			mutations = strtol(optarg, &end, 10);
			if (*end || mutations < 0) {
				usage(stderr);
				return 2;
			}
			break;
		case 's':
			seed = strtoull(optarg, &end, 0);
			if (*end) {
				usage(stderr);
				return 2;
			}
			break;
		case 't':
			timeout_s = (unsigned)strtoul(optarg, &end, 10);
			if (*end || !timeout_s) {
				usage(stderr);
				return 2;
			}
			break;
		case 'v':
			verbose = 1;
			break;
		case 'h':
			usage(stdout);
			return 0;
		default:
			usage(stderr);
			return 2;
		}
	}
	if (optind == argc) {
		usage(stderr);
		return 2;
	}
	report_fd = dup(2);
	if (report_fd < 0)
		report_fd = 2;
	install_handlers();
	if (LLVMFuzzerInitialize)
		LLVMFuzzerInitialize(&argc, &argv);
	for (int i = optind; i < argc; i++)
		if (run_path(argv[i], mutations, seed, verbose) < 0)
			rc = 2;
	printf("%s: %ld inputs, %ld runs (%ld mutations each, seed %" PRIu64 ")\n", prog, nr_inputs,
	       nr_runs, mutations, seed);
	return rc;
}
