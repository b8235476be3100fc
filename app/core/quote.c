/* quote: invisible characters in quoted text → "U+XXXX" (include/bangtin/quote.h). */
#include "bangtin/quote.h"

#include "bangtin/util.h"

#include <stdio.h>
#include <string.h>
#include <utf8proc.h>

bool quote_is_invisible(uint32_t cp)
{
    if (cp < 0x20 || (cp >= 0x7F && cp <= 0x9F))
        return true;
    if (cp == 0xA0 || cp == 0xAD || cp == 0x34F || cp == 0x61C || cp == 0x115F || cp == 0x1160 ||
        cp == 0x180E || cp == 0x3164 || cp == 0xFEFF || cp == 0xFFA0)
        return true;
    if ((cp >= 0x2000 && cp <= 0x200F) || (cp >= 0x2028 && cp <= 0x202F) ||
        (cp >= 0x205F && cp <= 0x206F))
        return true;
    if ((cp >= 0xFE00 && cp <= 0xFE0F) || (cp >= 0xE0000 && cp <= 0xE0FFF))
        return true;
    if ((cp >= 0xFDD0 && cp <= 0xFDEF) || (cp & 0xFFFE) == 0xFFFE || (cp >= 0xFFF9 && cp <= 0xFFFB))
        return true;
    return false;
}

char *quote_visible(const char *in, size_t len)
{
    struct buf b;
    buf_init(&b, 0);
    const uint8_t *p = (const uint8_t *)(in ? in : "");
    size_t i = 0;
    while (i < len) {
        utf8proc_int32_t cp;
        utf8proc_ssize_t n = utf8proc_iterate(p + i, (utf8proc_ssize_t)(len - i), &cp);
        char tmp[16];
        if (n <= 0) {
            snprintf(tmp, sizeof tmp, "\\x%02X", p[i]);
            buf_append_str(&b, tmp);
            i++;
            continue;
        }
        if (quote_is_invisible((uint32_t)cp)) {
            snprintf(tmp, sizeof tmp, "U+%04X", (unsigned)cp);
            buf_append_str(&b, tmp);
        } else {
            buf_append(&b, (const char *)p + i, (size_t)n);
        }
        i += (size_t)n;
    }
    return buf_steal(&b);
}

char *quote_visible_str(const char *in)
{
    return quote_visible(in, in ? strlen(in) : 0);
}
