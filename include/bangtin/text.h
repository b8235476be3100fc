/* text: the one sanitizer every displayed string goes through (DESIGN.md §4), plus UTF-8
 * helpers. Pure. */
#ifndef BANGTIN_TEXT_H
#define BANGTIN_TEXT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum text_flags {
    TEXT_KEEP_NEWLINES = 1 << 0,   /* keep '\n' as paragraph breaks (collapsed to one) */
    TEXT_DECODE_ENTITIES = 1 << 1, /* decode HTML entities (&amp; &#038; &nbsp; …) first */
};

/* Invalid UTF-8 → U+FFFD, optional entity decoding, NFC, C0/C1 controls, bidi overrides and
 * zero-width characters dropped, whitespace runs collapsed to one space (U+00A0 kept: it is
 * a deliberate no-break), leading/trailing space trimmed. Never NULL; caller frees. */
char *text_sanitize(const char *in, size_t len, unsigned flags);
/* Same as text_sanitize(in, strlen(in), flags); NULL in → "". */
char *text_sanitize_str(const char *in, unsigned flags);

/* Replace invalid UTF-8 sequences with U+FFFD. Caller frees. */
char *text_repair_utf8(const char *in, size_t len);
bool text_is_valid_utf8(const char *in, size_t len);
/* Lower-cased, accent-folded (đ→d), punctuation-free key for duplicate detection. Caller frees. */
char *text_fold_key(const char *in);
/* Length in bytes of the grapheme cluster starting at s (s[0] != 0). */
size_t text_grapheme_len(const char *s, size_t len);
/* Number of code points. */
size_t text_codepoints(const char *s);

#endif
