/* clock: wall and monotonic time, with a test override and the "is the wall clock
 * trustworthy" rule of DESIGN.md §5 (boards have no RTC). */
#ifndef BANGTIN_CLOCK_H
#define BANGTIN_CLOCK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define CLOCK_VN_OFFSET_S (7 * 3600) /* Asia/Ho_Chi_Minh, no DST */

/* Wall clock, seconds since the epoch (UTC). BANGTIN_FAKE_TIME=<epoch|+offset> overrides it
 * (tests only; ignored unless built with BANGTIN_TEST_FAULTS). */
int64_t clock_now(void);
/* Milliseconds on CLOCK_MONOTONIC: for dwell, retry and timeouts. */
int64_t clock_mono_ms(void);
/* A clock this far ahead of the evidence is not trusted (DESIGN.md §5, issue 16). */
#define CLOCK_MAX_AHEAD_S (30 * 86400)
/* Purge (deleting) waits until the clock has been trusted this long; expiry only hides. */
#define CLOCK_SETTLE_S 3600

/* True when the year is plausible (>= 2025) and the clock is not more than 30 days ahead of
 * clock_evidence(). Never expire (hide) by wall-clock time when false. Main thread only. */
bool clock_is_trusted(void);
/* Trusted, and trusted for at least CLOCK_SETTLE_S (also across restarts, clock_state_*):
 * only then delete anything by its age. */
bool clock_is_settled(void);
/* Evidence of the real time: an HTTP Date header, a feed date. Only ever moves forward;
 * implausible values are ignored. The build date is the floor. */
void clock_note_evidence(int64_t t);
int64_t clock_evidence(void);
/* Pure rule behind clock_is_trusted. */
bool clock_trusted_at(int64_t now, int64_t evidence);
/* The evidence and the trusted-since time survive restarts in a small file (the store keeps it
 * beside cache.db). Load merges; save is atomic (false when it cannot write: a full card). */
void clock_state_load(const char *path);
bool clock_state_save(const char *path);
/* The kernel's view (adjtimex): an NTP client has synchronised the clock. For the status page. */
bool clock_is_synchronised(void);
/* Pure rule used by clock_is_trusted and tests. */
bool clock_year_plausible(int64_t now);

/* Broken-down local (UTC+7) time. */
struct clock_local {
    int year, month, day, hour, minute, second;
    int weekday; /* 0 = Sunday */
};
void clock_to_local(int64_t t, struct clock_local *out);
/* Days since 1970-01-01 of a proleptic Gregorian date (the inverse of clock_to_local's). */
int64_t clock_days_from_civil(int64_t year, int month, int day);
/* "Thứ Sáu, 27/11/2026" into buf; returns buf. */
const char *clock_format_date_vi(int64_t t, char *buf, size_t len);
/* "08:15" */
const char *clock_format_hm(int64_t t, char *buf, size_t len);
/* "2 giờ trước", "5 phút trước", "3 ngày trước"; "" when not recent or the clock is untrusted */
const char *clock_format_age_vi(int64_t t, int64_t now, char *buf, size_t len);

#endif
