/* fmt: dates and times as the screen writes them ("27/11/2026", "08:15 27/11/2026"),
 * shared by the header (chrome.c), urgent pages and the waiting page. */
#include <stdio.h>

#include "render_internal.h"

#include "bangtin/clock.h"

const char *render_fmt_date(int64_t t, char *buf, size_t len)
{
    struct clock_local l;
    clock_to_local(t, &l);
    snprintf(buf, len, "%02d/%02d/%04d", l.day, l.month, l.year);
    return buf;
}

const char *render_fmt_hm_date(int64_t t, char *buf, size_t len)
{
    struct clock_local l;
    clock_to_local(t, &l);
    snprintf(buf, len, "%02d:%02d %02d/%02d/%04d", l.hour, l.minute, l.day, l.month, l.year);
    return buf;
}
