/* quote: text a person reads in a message, with every invisible character made visible.
 * A value quoted in an error ("near '…'", a config value, a URL) may hold a byte-order mark,
 * a zero-width space or a control character that a terminal shows as nothing; each becomes
 * "U+FEFF" (the code point, 4 to 6 hex digits). Invalid UTF-8 bytes become "\xNN". Pure. */
#ifndef BANGTIN_QUOTE_H
#define BANGTIN_QUOTE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* True for code points a reader cannot see: C0/C1 controls (tab and newline included), the
 * no-break and soft hyphen marks, zero-width and bidi formatting characters, line/paragraph
 * separators, U+FEFF, the variation selectors and the non-characters. A plain space is
 * visible. */
bool quote_is_invisible(uint32_t cp);
/* in (len bytes) with every invisible character written as U+XXXX. Never NULL; caller frees. */
char *quote_visible(const char *in, size_t len);
/* Same for a C string (NULL → ""). */
char *quote_visible_str(const char *in);

#endif
