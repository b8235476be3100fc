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
/* True when the kernel says the clock is synchronised (adjtimex) or, failing that, when the
 * year is plausible (>= 2025). Never purge or expire by wall-clock time when false. */
bool clock_is_trusted(void);
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
