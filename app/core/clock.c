/* clock: wall and monotonic time. Boards have no RTC, so whether the wall clock can be trusted
 * is a first-class question (DESIGN.md §5). */
#include "bangtin/clock.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/timex.h>
#include <time.h>

/* Weekday names written out, not taken from glibc's vi_VN locale (its capitalisation is
 * awkward for a notice board: "thứ sáu"). */
static const char *const weekday_vi[7] = {
    "Chủ Nhật", "Thứ Hai", "Thứ Ba", "Thứ Tư", "Thứ Năm", "Thứ Sáu", "Thứ Bảy",
};

#ifdef BANGTIN_TEST_FAULTS
/* BANGTIN_FAKE_TIME: "<epoch seconds>" pins the clock; a file path whose content is the epoch
 * lets a test move the clock of a running kiosk. */
static bool fake_time(int64_t *out)
{
    const char *v = getenv("BANGTIN_FAKE_TIME");
    if (!v || !*v)
        return false;
    char buf[32];
    const char *num = v;
    if (v[0] == '/') {
        FILE *f = fopen(v, "r");
        if (!f)
            return false;
        size_t n = fread(buf, 1, sizeof buf - 1, f);
        fclose(f);
        buf[n] = '\0';
        num = buf;
    }
    *out = strtoll(num, NULL, 10);
    return true;
}
#endif

int64_t clock_now(void)
{
#ifdef BANGTIN_TEST_FAULTS
    int64_t t;
    if (fake_time(&t))
        return t;
#endif
    return (int64_t)time(NULL);
}

int64_t clock_mono_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

bool clock_year_plausible(int64_t now)
{
    /* 2025-01-01T00:00:00Z: nothing this firmware shows can be older than its build. */
    return now >= 1735689600LL;
}

bool clock_is_synchronised(void)
{
    struct timex tx;
    memset(&tx, 0, sizeof tx);
    int state = adjtimex(&tx);
    return state != TIME_ERROR && !(tx.status & STA_UNSYNC);
}

/* What the screen has seen of the real time (issue 16): the newest of the build date, the
 * HTTP Date headers of its fetches and the dates in its feeds. Main thread only. */
#ifndef BANGTIN_BUILD_EPOCH
#define BANGTIN_BUILD_EPOCH 1735689600LL
#endif
static int64_t evidence = BANGTIN_BUILD_EPOCH;
static int64_t trusted_since; /* wall clock when it was last found trusted after not being */

void clock_note_evidence(int64_t t)
{
    if (clock_year_plausible(t) && t > evidence)
        evidence = t;
}

int64_t clock_evidence(void)
{
    return evidence;
}

bool clock_trusted_at(int64_t now, int64_t seen)
{
    return clock_year_plausible(now) && now <= seen + CLOCK_MAX_AHEAD_S;
}

bool clock_is_trusted(void)
{
    /* A plausible year not far ahead of the evidence is the rule, synchronised or not:
     * fake-hwclock restoring a slightly old time only makes purge and expiry lazier, never
     * wrong in the dangerous direction, while a board that booted at 1970 — or whose RTC
     * battery or a bad NTP answer put it in 2040 — must never purge its cache or expire a
     * notice. */
    int64_t now = clock_now();
    bool ok = clock_trusted_at(now, evidence);
    if (!ok)
        trusted_since = 0;
    else if (trusted_since == 0 || trusted_since > now)
        trusted_since = now;
    return ok;
}

bool clock_is_settled(void)
{
    return clock_is_trusted() && clock_now() - trusted_since >= CLOCK_SETTLE_S;
}

void clock_state_load(const char *path)
{
    FILE *f = fopen(path, "r");
    if (!f)
        return;
    long long e = 0, since = 0;
    if (fscanf(f, "%lld %lld", &e, &since) >= 1) {
        clock_note_evidence((int64_t)e);
        if (since > 0 && trusted_since == 0 && clock_trusted_at(clock_now(), evidence))
            trusted_since = (int64_t)since;
    }
    fclose(f);
}

bool clock_state_save(const char *path)
{
    clock_is_trusted(); /* trusted_since up to date */
    char tmp[4096];
    if (snprintf(tmp, sizeof tmp, "%s.tmp", path) >= (int)sizeof tmp)
        return false;
    FILE *f = fopen(tmp, "w");
    if (!f)
        return false;
    bool ok = fprintf(f, "%lld %lld\n", (long long)evidence, (long long)trusted_since) > 0;
    ok = fclose(f) == 0 && ok;
    if (!ok || rename(tmp, path) != 0) {
        remove(tmp);
        return false;
    }
    return true;
}

/* Civil date from days since 1970-01-01 (Howard Hinnant's algorithm, public domain maths). */
static void civil_from_days(int64_t z, int *y, int *m, int *d)
{
    z += 719468;
    int64_t era = (z >= 0 ? z : z - 146096) / 146097;
    int64_t doe = z - era * 146097;
    int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    int64_t yy = yoe + era * 400;
    int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    int64_t mp = (5 * doy + 2) / 153;
    *d = (int)(doy - (153 * mp + 2) / 5 + 1);
    *m = (int)(mp < 10 ? mp + 3 : mp - 9);
    *y = (int)(yy + (*m <= 2));
}

int64_t clock_days_from_civil(int64_t y, int m, int d)
{
    y -= m <= 2;
    int64_t era = (y >= 0 ? y : y - 399) / 400;
    int64_t yoe = y - era * 400;
    int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

void clock_to_local(int64_t t, struct clock_local *out)
{
    int64_t local = t + CLOCK_VN_OFFSET_S;
    int64_t days = local >= 0 ? local / 86400 : (local - 86399) / 86400;
    int64_t secs = local - days * 86400;
    civil_from_days(days, &out->year, &out->month, &out->day);
    out->hour = (int)(secs / 3600);
    out->minute = (int)(secs / 60 % 60);
    out->second = (int)(secs % 60);
    out->weekday = (int)((days % 7 + 11) % 7); /* 1970-01-01 was a Thursday */
}

const char *clock_format_date_vi(int64_t t, char *buf, size_t len)
{
    struct clock_local l;
    clock_to_local(t, &l);
    snprintf(buf, len, "%s, %02d/%02d/%04d", weekday_vi[l.weekday], l.day, l.month, l.year);
    return buf;
}

const char *clock_format_hm(int64_t t, char *buf, size_t len)
{
    struct clock_local l;
    clock_to_local(t, &l);
    snprintf(buf, len, "%02d:%02d", l.hour, l.minute);
    return buf;
}

const char *clock_format_age_vi(int64_t t, int64_t now, char *buf, size_t len)
{
    buf[0] = '\0';
    if (t <= 0 || !clock_year_plausible(now) || t > now + 300)
        return buf;
    int64_t age = now - t;
    if (age < 0)
        age = 0;
    if (age < 60)
        snprintf(buf, len, "vừa xong");
    else if (age < 3600)
        snprintf(buf, len, "%d phút trước", (int)(age / 60));
    else if (age < 86400)
        snprintf(buf, len, "%d giờ trước", (int)(age / 3600));
    else if (age < 7 * 86400)
        snprintf(buf, len, "%d ngày trước", (int)(age / 86400));
    return buf;
}
