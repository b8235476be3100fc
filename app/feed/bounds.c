/* Bounds on what one document may cost (docs/bounds.md). The size cap alone lets an 8 MiB
 * body describe millions of empty values; jansson would build all of them (~100–250 bytes
 * each) before we could look. One linear pass over the bytes, with no allocation, estimates
 * what the tree would take, so that the refusal comes before the tree. */
#include <stdio.h>
#include <string.h>

#include "feed_priv.h"

/* What jansson 2.14 allocates, measured with glibc malloc on amd64 (an empty object: the
 * struct, a hashtable of 8 buckets and the malloc headers; a member: a pair with its key and
 * a bucket share; an element: the value and its slot). Rounded up. */
enum {
    COST_OBJECT = 240,
    COST_ARRAY = 144,
    COST_VALUE = 104, /* per ',' or ':' — one more element or member */
    COST_SCALAR = 48, /* the first value of a container, or a lone one */
};

bool feed_json_within_budget(const char *data, size_t len, char *err, size_t err_len)
{
    size_t cost = COST_SCALAR, values = 1;
    bool in_string = false;
    for (size_t i = 0; i < len; i++) {
        char c = data[i];
        if (in_string) {
            if (c == '\\')
                i++;
            else if (c == '"')
                in_string = false;
            cost++; /* string bytes are copied */
            continue;
        }
        switch (c) {
        case '"': in_string = true; break;
        case '{': cost += COST_OBJECT, values++; break;
        case '[': cost += COST_ARRAY, values++; break;
        case ',':
        case ':': cost += COST_VALUE, values++; break;
        default: continue;
        }
        if (cost > FEED_MAX_JSON_BUDGET) {
            snprintf(err, err_len,
                     "refused: JSON too dense (over %zu values by byte %zu; a tree of more than"
                     " %u MiB)",
                     values, i, FEED_MAX_JSON_BUDGET >> 20);
            return false;
        }
    }
    return true;
}

static size_t utf8_back_to_boundary(const char *s, size_t n)
{
    while (n > 0 && ((unsigned char)s[n] & 0xC0) == 0x80)
        n--;
    return n;
}

bool feed_cut_field(char *s, size_t max_bytes)
{
    static const char ellipsis[] = "\xE2\x80\xA6"; /* … */
    size_t len = s ? strlen(s) : 0;
    if (len <= max_bytes || max_bytes < 8)
        return false;
    size_t n = utf8_back_to_boundary(s, max_bytes - (sizeof ellipsis - 1));
    /* A word boundary if there is one not too far back: never keep a half word. */
    size_t sp = n;
    while (sp > 0 && s[sp - 1] != ' ' && s[sp - 1] != '\n' && sp > n - n / 4)
        sp--;
    if (sp > 0 && (s[sp - 1] == ' ' || s[sp - 1] == '\n')) {
        n = sp;
        while (n > 0 && (s[n - 1] == ' ' || s[n - 1] == '\n'))
            n--;
    }
    memcpy(s + n, ellipsis, sizeof ellipsis);
    return true;
}

size_t feed_chars_prefix(const char *s, size_t max_chars)
{
    size_t i = 0, chars = 0;
    while (s[i] && chars < max_chars) {
        i++;
        while (((unsigned char)s[i] & 0xC0) == 0x80)
            i++;
        chars++;
    }
    return i;
}
