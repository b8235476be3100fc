/* Private to the layout module: the line breaker shared by layout_break() and the paginator. */
#ifndef BANGTIN_LAYOUT_INTERNAL_H
#define BANGTIN_LAYOUT_INTERNAL_H

#include <stddef.h>

#include "bangtin/layout.h"

/* One broken line: a byte range of the breaker's normalised paragraph and its measured width. */
struct lb_line {
    size_t start, end;
    int width;
};

/* Break para (any UTF-8; runs of U+0020 collapse to one, edges trimmed) into lines of at most
 * width pixels, stopping after max_lines lines (0 = no limit; *cut then says whether text was
 * left over). *norm receives the normalised paragraph the ranges refer to (caller frees);
 * *lines the ranges (caller frees). Returns the number of lines (0 for an empty paragraph). */
size_t lb_break(const struct layout_metrics *m, enum layout_face face, int size_px, int width,
                const char *para, size_t para_len, size_t max_lines, bool *cut, char **norm,
                struct lb_line **lines);

/* Length in bytes of the grapheme cluster at s (len > 0); invalid UTF-8 counts byte by byte. */
size_t lb_grapheme_len(const char *s, size_t len);

/* Space-separated tokens (U+0020 and U+00A0 both separate: a no-break space is still read as a
 * gap between syllables) and those containing an ASCII digit. */
void lb_count_words(const char *s, size_t len, int *words, int *digit_words);

#endif
