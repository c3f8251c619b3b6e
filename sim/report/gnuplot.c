/* gnuplot at run time; see gnuplot.h. */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "report/gnuplot.h"
#include "report/file.h"

#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

const char *gp_bin(void)
{
	const char *g = getenv("CASSIM_GNUPLOT");

	return g && *g ? g : "gnuplot";
}

bool gp_available(void)
{
	const char *prog = gp_bin(), *path = getenv("PATH");
	char buf[PATH_MAX];

	if (strchr(prog, '/'))
		return access(prog, X_OK) == 0;
	if (!path)
		path = "/usr/bin:/bin";
	while (*path) {
		size_t n = strcspn(path, ":");
		snprintf(buf, sizeof(buf), "%.*s/%s", (int)n, n ? path : ".", prog);
		if (access(buf, X_OK) == 0)
			return true;
		path += n + (path[n] == ':');
	}
	return false;
}

const char *gp_find_script(const char *const *dirs, const char *name, char *buf, size_t len)
{
	for (; *dirs; dirs++) {
		snprintf(buf, len, "%s/%s", *dirs, name);
		if (access(buf, R_OK) == 0)
			return buf;
	}
	return NULL;
}

void gp_str(FILE *f, const char *s)
{
	fputc('\'', f);
	for (; *s; s++) {
		if (*s == '\'')
			fputc('\'', f);
		fputc(*s, f);
	}
	fputc('\'', f);
}

void gp_word(FILE *f, const char *s)
{
	fputc('"', f);
	for (; *s; s++)
		fputc(*s == '"' || *s == '\'' || *s == '\\' || (unsigned char)*s < ' ' ? '_' : *s, f);
	fputc('"', f);
}

/* gnuplot's last non-blank line on stderr (in @log), for the error message. */
static void last_line(const char *log, char *last, size_t len)
{
	char line[512];
	FILE *l = fopen(log, "r");

	last[0] = '\0';
	while (l && fgets(line, sizeof(line), l))
		if (line[strspn(line, " \t\r\n")])
			snprintf(last, len, "%s", line);
	if (l)
		fclose(l);
	last[strcspn(last, "\r\n")] = '\0';
}

static int run(const char *script, const char *expr, const char *log, struct diag *err)
{
	char last[512];
	pid_t pid;
	int st;

	fflush(stdout);
	fflush(stderr);
	pid = fork();
	if (pid < 0)
		return diag_set(err, "cannot start gnuplot: %s", strerror(errno));
	if (pid == 0) {
		if (!freopen(log, "w", stderr) || !freopen("/dev/null", "w", stdout))
			_exit(126);
		execlp(gp_bin(), gp_bin(), "-e", expr, script, (char *)NULL);
		_exit(127);
	}
	while (waitpid(pid, &st, 0) < 0)
		if (errno != EINTR)
			return diag_set(err, "waitpid: %s", strerror(errno));
	if (WIFEXITED(st) && WEXITSTATUS(st) == 0)
		return 0;
	last_line(log, last, sizeof(last));
	return diag_set(err, "gnuplot failed (%s %d)%s%s", WIFEXITED(st) ? "exit status" : "signal",
			WIFEXITED(st) ? WEXITSTATUS(st) : WTERMSIG(st), last[0] ? ": " : "", last);
}

int gp_render(const char *script, const char *vars, const char *prefix, struct diag *err)
{
	static const char *const fmts[] = { "png", "svg" };
	struct afile out[2] = { { .f = NULL }, { .f = NULL } };
	char dst[PATH_MAX + 8], log[PATH_MAX + 32];
	char *expr = NULL;
	size_t len = 0;
	int rc = -1;

	snprintf(log, sizeof(log), "%s.log.tmp.%ld", prefix, (long)getpid());
	for (int k = 0; k < 2; k++) {
		FILE *e;

		/* gnuplot writes the file afile_open made: the temporary one beside
		 * the target (links followed), or a device itself */
		snprintf(dst, sizeof(dst), "%s.%s", prefix, fmts[k]);
		if (afile_open(&out[k], dst, err))
			goto out;
		e = open_memstream(&expr, &len);
		if (!e) {
			diag_set(err, "out of memory");
			goto out;
		}
		fprintf(e, "%s; fmt='%s'; outfile=", vars, fmts[k]);
		gp_str(e, out[k].kind == AFILE_ATOMIC ? out[k].tmp : out[k].dst);
		if (fclose(e)) {
			diag_set(err, "out of memory");
			goto out;
		}
		if (run(script, expr, log, err))
			goto out;
		free(expr);
		expr = NULL;
	}
	if (afile_finish(&out[0], err) || afile_finish(&out[1], err) ||
	    afile_publish(&out[0], err) || afile_publish(&out[1], err))
		goto out;
	rc = 0;
out:
	afile_abort(&out[0]);
	afile_abort(&out[1]);
	free(expr);
	unlink(log);
	return rc;
}
