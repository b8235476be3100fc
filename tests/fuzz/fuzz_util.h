/* Shared by the harnesses that need the input as a C string. */
#ifndef BANGTIN_FUZZ_UTIL_H
#define BANGTIN_FUZZ_UTIL_H

#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* The input copied and NUL-terminated (an embedded NUL ends it early); caller frees. */
static inline char *fuzz_cstr(const uint8_t *data, size_t size)
{
    char *s = malloc(size + 1);
    if (!s)
        abort();
    memcpy(s, data, size);
    s[size] = '\0';
    return s;
}

#endif
