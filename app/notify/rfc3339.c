/* Strict RFC 3339 timestamps for signed notices. Kept here rather than using the feed
 * module's lenient date reader: a signed document has exactly one valid date form, and
 * anything else is a bad document, not a guess. */
#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include "bangtin/clock.h"
#include "notify_internal.h"

/* Exactly n digits at *p; advances. */
static bool digits(const char **p, int n, int *out)
{
    int v = 0;
    for (int i = 0; i < n; i++) {
        char c = (*p)[i];
        if (c < '0' || c > '9')
            return false;
        v = v * 10 + (c - '0');
    }
    *p += n;
    *out = v;
    return true;
}

static bool expect(const char **p, char c)
{
    if (**p != c)
        return false;
    (*p)++;
    return true;
}

static int days_in_month(int y, int m)
{
    static const int days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    return m == 2 && leap ? 29 : days[m - 1];
}

static bool parse_offset(const char **p, int *off_s)
{
    int oh, om;
    char sign = **p;
    if (sign == 'Z' || sign == 'z') {
        (*p)++;
        *off_s = 0;
        return true;
    }
    if (sign != '+' && sign != '-')
        return false;
    (*p)++;
    if (!digits(p, 2, &oh) || !expect(p, ':') || !digits(p, 2, &om) || oh > 23 || om > 59)
        return false;
    *off_s = (sign == '-' ? -1 : 1) * (oh * 3600 + om * 60);
    return true;
}

bool notify_parse_rfc3339(const char *s, int64_t *out)
{
    int y, mo, d, h, mi, sec, off;
    const char *p = s;
    if (!s)
        return false;
    if (!digits(&p, 4, &y) || !expect(&p, '-') || !digits(&p, 2, &mo) || !expect(&p, '-') ||
        !digits(&p, 2, &d))
        return false;
    if (*p != 'T' && *p != 't' && *p != ' ')
        return false;
    p++;
    if (!digits(&p, 2, &h) || !expect(&p, ':') || !digits(&p, 2, &mi) || !expect(&p, ':') ||
        !digits(&p, 2, &sec))
        return false;
    if (*p == '.') {
        p++;
        if (*p < '0' || *p > '9')
            return false;
        while (*p >= '0' && *p <= '9')
            p++;
    }
    if (!parse_offset(&p, &off) || *p != '\0')
        return false;
    if (y < 1970 || mo < 1 || mo > 12 || d < 1 || d > days_in_month(y, mo) || h > 23 || mi > 59 ||
        sec > 60)
        return false;
    if (sec == 60) /* a leap second reads as the last second of its minute */
        sec = 59;
    *out = clock_days_from_civil(y, mo, d) * 86400 + h * 3600 + mi * 60 + sec - off;
    return true;
}
