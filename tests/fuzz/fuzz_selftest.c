/* Not a parser: the target t0022 uses to check that the replay driver
 * notices a crash and saves the input that caused it.  It aborts on an
 * input that starts with "crash". */
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size >= 5 && !memcmp(data, "crash", 5))
		abort();
	return 0;
}
