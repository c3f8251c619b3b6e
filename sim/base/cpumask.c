#include "base/cpumask.h"
#include "base/types.h"

#include <stdio.h>

int cpumask_nr_words = CPUMASK_WORDS;

int cpumask_bound_cpus(int nr_cpus)
{
	int old = cpumask_nr_words * 64;

	cpumask_nr_words = nr_cpus <= 0 ? CPUMASK_WORDS : MIN((nr_cpus + 63) / 64, CPUMASK_WORDS);
	return old;
}

char *cpumask_to_list(const struct cpumask *m, char *buf, size_t len)
{
	size_t off = 0;
	int cpu = cpumask_first(m);

	buf[0] = '\0';
	while (cpu >= 0 && off < len) {
		int end = cpu;
		while (end + 1 < cpumask_nr_words * 64 && cpumask_test(m, end + 1))
			end++;
		int n = end == cpu ? snprintf(buf + off, len - off, "%s%d", off ? "," : "", cpu)
				   : snprintf(buf + off, len - off, "%s%d-%d", off ? "," : "", cpu, end);
		if (n < 0)
			break;
		off += (size_t)n;
		cpu = cpumask_next(m, end + 1);
	}
	return buf;
}
