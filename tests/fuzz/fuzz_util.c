/* Helpers shared by the fuzz targets (fuzz.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "fuzz.h"

static char scratch[4096];

static void scratch_remove(void)
{
	if (scratch[0])
		unlink(scratch);
}

const char *fuzz_file(const uint8_t *data, size_t size, const char *suffix)
{
	FILE *f;

	if (!scratch[0]) {
		const char *tmp = getenv("TMPDIR");
		int fd;

		snprintf(scratch, sizeof(scratch), "%s/cassim-fuzz-XXXXXX%s", tmp && *tmp ? tmp : "/tmp",
			 suffix);
		fd = mkstemps(scratch, (int)strlen(suffix));
		if (fd < 0) {
			perror("fuzz: scratch file");
			exit(99);
		}
		close(fd);
		atexit(scratch_remove);
	}
	f = fopen(scratch, "wb");
	if (!f) {
		perror(scratch);
		exit(99);
	}
	if ((size && fwrite(data, 1, size, f) != size) | fclose(f)) {
		perror(scratch);
		exit(99);
	}
	return scratch;
}

char *fuzz_text(const uint8_t *data, size_t size)
{
	char *s = malloc(size + 1);

	if (!s) {
		perror("fuzz");
		exit(99);
	}
	if (size)
		memcpy(s, data, size);
	s[size] = '\0';
	return s;
}

FILE *fuzz_stream(const uint8_t *data, size_t size)
{
	/* fmemopen needs a buffer of at least one byte: an empty input is a
	 * one-byte buffer read to its end */
	static char empty[1];
	FILE *f = fmemopen(size ? (void *)data : empty, size ? size : 1, "r");

	if (!f) {
		perror("fuzz: fmemopen");
		exit(99);
	}
	if (!size)
		(void)fgetc(f);
	return f;
}
