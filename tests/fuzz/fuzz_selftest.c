/* Not a parser: the target t0022 uses to check that the replay driver
 * notices a crash or a hang and saves the input that caused it.  It aborts
 * on an input that starts with "crash" and spins on one that starts with
 * "spin". */
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size >= 5 && !memcmp(data, "crash", 5))
		abort();
	if (size >= 4 && !memcmp(data, "spin", 4))
		for (volatile unsigned i = 0;; i++) /* unsigned: wraps, no overflow */
			;
	return 0;
}
