#include "base/cpumask.h"

#include <stdio.h>

char *cpumask_to_list(const struct cpumask *m, char *buf, size_t len)
{
	size_t off = 0;
	int cpu = cpumask_first(m);

	buf[0] = '\0';
	while (cpu >= 0 && off < len) {
		int end = cpu;
		while (end + 1 < CPUMASK_MAX_CPUS && cpumask_test(m, end + 1))
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
