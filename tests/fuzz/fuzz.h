/*
 * Fuzz targets: one per input parser, each a libFuzzer entry point
 * (LLVMFuzzerTestOneInput) that feeds the bytes to the parser the way
 * cassim does and frees what it built.  The same file links with
 * clang -fsanitize=fuzzer (libFuzzer), afl-clang-fast -fsanitize=fuzzer
 * (AFL++) or, for make check, with driver.c (a replay driver that also
 * makes seeded mutations).  See tests/fuzz/README.md.
 *
 * A target must accept any bytes: bad input is a diagnostic (returned and
 * ignored here), never a crash, a hang or a sanitizer report.
 */
#ifndef CASSIM_TESTS_FUZZ_H
#define CASSIM_TESTS_FUZZ_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerInitialize(int *argc, char ***argv);

/* For parsers that read a file: write @data to this process's scratch file
 * (created on first use in $TMPDIR, named ...@suffix, removed at exit) and
 * return its path.  Exits on an I/O error (not a finding). */
const char *fuzz_file(const uint8_t *data, size_t size, const char *suffix);

/* @data as a stream to read (fclose it); exits if out of memory. */
FILE *fuzz_stream(const uint8_t *data, size_t size);

/* @data as a NUL-terminated copy (free it); exits if out of memory. */
char *fuzz_text(const uint8_t *data, size_t size);

#endif
