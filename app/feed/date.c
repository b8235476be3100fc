/* Feed dates: RFC 3339 / ISO 8601, RFC 822 with its real-world variants, and WordPress's
 * zone-less GMT. Hand-written because the formats are tiny and strptime() is locale-bound. */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "bangtin/clock.h"
#include "bangtin/feed.h"

struct date_parts {
    int year, month, day, hour, min, sec;
    int offset_s; /* east of UTC */
    bool have_time, have_zone;
};

static bool date_finish(const struct date_parts *p, int64_t *out)
{
    static const int mdays[] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (p->year < 1970 || p->year > 9999 || p->month < 1 || p->month > 12 || p->day < 1 ||
        p->day > mdays[p->month - 1] || p->hour < 0 || p->hour > 24 || p->min < 0 || p->min > 59 ||
        p->sec < 0 || p->sec > 60)
        return false;
    int sec = p->sec == 60 ? 59 : p->sec; /* leap second */
    int64_t t = clock_days_from_civil(p->year, p->month, p->day) * 86400 + p->hour * 3600 +
                p->min * 60 + sec - p->offset_s;
    if (t <= 0)
        return false;
    *out = t;
    return true;
}

/* Reads exactly n digits. */
static bool read_digits(const char **s, int n, int *out)
{
    int v = 0;
    for (int i = 0; i < n; i++) {
        if (!isdigit((unsigned char)(*s)[i]))
            return false;
        v = v * 10 + ((*s)[i] - '0');
    }
    *s += n;
    *out = v;
    return true;
}

/* "+0700", "+07:00", "+07", "-0500"; s points at the sign. */
static bool read_offset(const char **s, int *out_s)
{
    int sign = **s == '-' ? -1 : 1, h, m = 0;
    const char *p = *s + 1;
    if (!read_digits(&p, 2, &h))
        return false;
    if (*p == ':')
        p++;
    if (isdigit((unsigned char)*p) && !read_digits(&p, 2, &m))
        return false;
    if (h > 23 || m > 59)
        return false;
    *out_s = sign * (h * 3600 + m * 60);
    *s = p;
    return true;
}

static bool parse_iso(const char *s, int64_t *out)
{
    struct date_parts p = {.month = 1, .day = 1};
    if (!read_digits(&s, 4, &p.year))
        return false;
    if (*s == '-') {
        s++;
        if (!read_digits(&s, 2, &p.month))
            return false;
        if (*s == '-' && (s++, !read_digits(&s, 2, &p.day)))
            return false;
    }
    if (*s == 'T' || *s == 't' || *s == ' ') {
        s++;
        while (*s == ' ')
            s++;
        if (!read_digits(&s, 2, &p.hour) || *s++ != ':' || !read_digits(&s, 2, &p.min))
            return false;
        if (*s == ':' && (s++, !read_digits(&s, 2, &p.sec)))
            return false;
        if (*s == '.' || *s == ',')
            for (s++; isdigit((unsigned char)*s); s++)
                ;
        while (*s == ' ')
            s++;
        if (*s == 'Z' || *s == 'z')
            s++;
        else if ((*s == '+' || *s == '-') && !read_offset(&s, &p.offset_s))
            return false;
        else if (!strncasecmp(s, "UTC", 3) || !strncasecmp(s, "GMT", 3))
            s += 3;
    }
    while (*s == ' ')
        s++;
    return *s == '\0' && date_finish(&p, out);
}

static int month_from_name(const char *w, size_t n)
{
    static const char *names[] = {"jan", "feb", "mar", "apr", "may", "jun",
                                  "jul", "aug", "sep", "oct", "nov", "dec"};
    if (n < 3)
        return 0;
    for (int i = 0; i < 12; i++)
        if (!strncasecmp(w, names[i], 3))
            return i + 1;
    return 0;
}

/* Zone names seen in feeds; military letters per RFC 1123's correction of RFC 822. */
static bool zone_from_name(const char *w, size_t n, int *off)
{
    static const struct {
        const char *name;
        int hours;
    } zones[] = {
        {"UT", 0},   {"UTC", 0},  {"GMT", 0},  {"Z", 0},    {"EST", -5}, {"EDT", -4},
        {"CST", -6}, {"CDT", -5}, {"MST", -7}, {"MDT", -6}, {"PST", -8}, {"PDT", -7},
        {"ICT", 7},  {"CET", 1},  {"CEST", 2}, {"BST", 1},  {"JST", 9},  {"AEST", 10},
    };
    for (size_t i = 0; i < sizeof(zones) / sizeof(zones[0]); i++) {
        if (strlen(zones[i].name) == n && !strncasecmp(w, zones[i].name, n)) {
            *off = zones[i].hours * 3600;
            return true;
        }
    }
    if (n == 1 && isalpha((unsigned char)w[0]) && toupper((unsigned char)w[0]) != 'J') {
        int c = toupper((unsigned char)w[0]);
        int h = c <= 'I' ? c - 'A' + 1 : c <= 'M' ? c - 'A' : c <= 'Y' ? -(c - 'N' + 1) : 0;
        *off = h * 3600;
        return true;
    }
    return false;
}

/* "HH:MM[:SS][.frac]" possibly followed by a glued zone ("10:00:00+0700", "10:00Z"). */
static bool read_time(const char *w, size_t n, struct date_parts *p)
{
    const char *s = w, *end = w + n;
    int h, m, sec = 0;
    if (!isdigit((unsigned char)s[0]))
        return false;
    h = s[0] - '0';
    s++;
    if (isdigit((unsigned char)*s))
        h = h * 10 + (*s++ - '0');
    if (*s++ != ':' || !read_digits(&s, 2, &m))
        return false;
    if (s < end && *s == ':' && (s++, !read_digits(&s, 2, &sec)))
        return false;
    if (s < end && *s == '.')
        for (s++; s < end && isdigit((unsigned char)*s); s++)
            ;
    if (s < end && (*s == '+' || *s == '-')) {
        if (!read_offset(&s, &p->offset_s))
            return false;
        p->have_zone = true;
    } else if (s < end && zone_from_name(s, (size_t)(end - s), &p->offset_s)) {
        p->have_zone = true;
        s = end;
    }
    if (s != end)
        return false;
    p->hour = h, p->min = m, p->sec = sec, p->have_time = true;
    return true;
}

static bool rfc822_word(const char *w, size_t n, struct date_parts *p, int *pm)
{
    int m;
    if (n == 2 && !strncasecmp(w, "AM", 2))
        return *pm = 0, true;
    if (n == 2 && !strncasecmp(w, "PM", 2))
        return *pm = 1, true;
    if (!p->have_zone && zone_from_name(w, n, &p->offset_s))
        return p->have_zone = true, true;
    if (!p->month && (m = month_from_name(w, n)))
        return p->month = m, true;
    return true; /* day names and other words carry nothing we need */
}

static bool rfc822_number(const char *w, size_t n, struct date_parts *p)
{
    int v = 0;
    for (size_t i = 0; i < n; i++) {
        if (!isdigit((unsigned char)w[i]))
            return false;
        if (v < 100000)
            v = v * 10 + (w[i] - '0');
    }
    if (!p->day && n <= 2 && v >= 1 && v <= 31)
        p->day = v;
    else if (!p->year && (n == 4 || n == 2))
        p->year = n == 2 ? (v < 50 ? 2000 + v : 1900 + v) : v;
    else
        return false;
    return true;
}

static bool parse_rfc822(const char *s, int64_t *out)
{
    struct date_parts p = {0};
    int pm = -1;
    while (*s) {
        while (*s && (isspace((unsigned char)*s) || *s == ','))
            s++;
        if (!*s)
            break;
        const char *w = s;
        if (*s == '(') { /* comment such as "(PST)" */
            while (*s && *s != ')')
                s++;
            s += *s == ')';
            continue;
        }
        while (*s && !isspace((unsigned char)*s) && *s != ',')
            s++;
        size_t n = (size_t)(s - w);
        bool ok;
        if (w[0] == '+' || (w[0] == '-' && n > 1 && isdigit((unsigned char)w[1])))
            ok = !p.have_zone && read_offset(&w, &p.offset_s) && w == s && (p.have_zone = true);
        else if (memchr(w, ':', n))
            ok = !p.have_time && read_time(w, n, &p);
        else if (isdigit((unsigned char)w[0]))
            ok = rfc822_number(w, n, &p);
        else if (n > 1 && w[n - 1] == '.') /* "Jan." */
            ok = rfc822_word(w, n - 1, &p, &pm);
        else
            ok = n == 1 && w[0] == '-' ? true : rfc822_word(w, n, &p, &pm);
        if (!ok)
            return false;
    }
    if (!p.year || !p.month || !p.day)
        return false;
    if (pm == 1 && p.hour < 12)
        p.hour += 12;
    else if (pm == 0 && p.hour == 12)
        p.hour = 0;
    return date_finish(&p, out);
}

bool feed_parse_date(const char *s, int64_t *out)
{
    char buf[128];
    if (!s || !out)
        return false;
    while (isspace((unsigned char)*s))
        s++;
    size_t n = strlen(s);
    while (n && isspace((unsigned char)s[n - 1]))
        n--;
    if (n == 0 || n >= sizeof(buf))
        return false;
    memcpy(buf, s, n);
    buf[n] = '\0';
    if (isdigit((unsigned char)buf[0]) && n >= 7 && buf[4] == '-' && parse_iso(buf, out))
        return true;
    /* RFC 850's "06-Nov-94": a dash next to a month name separates, a dash before digits
     * after a space is a zone offset. */
    for (size_t i = 1; i + 1 < n; i++)
        if (buf[i] == '-' && isalnum((unsigned char)buf[i - 1]) &&
            isalnum((unsigned char)buf[i + 1]) &&
            (isalpha((unsigned char)buf[i - 1]) || isalpha((unsigned char)buf[i + 1])))
            buf[i] = ' ';
    return parse_rfc822(buf, out);
}
