/* Clock: Vietnamese date/time formatting in UTC+7 and the plausibility rule. */
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "bangtin/clock.h"
#include "check.h"

/* Issue 16: a clock far ahead of the evidence is not trusted; deleting waits for an hour of
 * trust, which survives a restart through the state file. */
static void test_evidence(void)
{
    int64_t t = 1795742100;
    CHECK(clock_trusted_at(t, t));
    CHECK(clock_trusted_at(t + 29 * 86400, t));
    CHECK(!clock_trusted_at(t + 31 * 86400, t));
    CHECK(!clock_trusted_at(2208988800, t));     /* 2040 */
    CHECK(clock_trusted_at(t - 86400 * 300, t)); /* behind: lazier, never dangerous */
    CHECK(!clock_trusted_at(0, t));
    clock_note_evidence(0); /* implausible: ignored */
    clock_note_evidence(t);
    CHECK(clock_evidence() >= t);
#ifdef BANGTIN_TEST_FAULTS
    setenv("BANGTIN_FAKE_TIME", "2208988800", 1);
    CHECK(!clock_is_trusted());
    CHECK(!clock_is_settled());
    char now[32];
    int64_t e = clock_evidence();
    snprintf(now, sizeof now, "%lld", (long long)e);
    setenv("BANGTIN_FAKE_TIME", now, 1);
    CHECK(clock_is_trusted());
    CHECK(!clock_is_settled()); /* trusted only just now */
    snprintf(now, sizeof now, "%lld", (long long)e + CLOCK_SETTLE_S);
    setenv("BANGTIN_FAKE_TIME", now, 1);
    CHECK(clock_is_settled());
    char path[] = "/tmp/bangtin-clock-XXXXXX";
    int fd = mkstemp(path);
    CHECK(fd >= 0);
    close(fd);
    CHECK(clock_state_save(path));
    FILE *f = fopen(path, "r");
    long long ev = 0, since = 0;
    CHECK(f && fscanf(f, "%lld %lld", &ev, &since) == 2);
    if (f)
        fclose(f);
    CHECK(ev == e && since == e);
    remove(path);
    unsetenv("BANGTIN_FAKE_TIME");
#endif
}

int main(void)
{
    char buf[64];
    /* 2026-11-27T01:15:00Z = 08:15 on Friday 27/11/2026 in Hà Nội */
    int64_t t = 1795742100;
    CHECK_STREQ(clock_format_date_vi(t, buf, sizeof buf), "Thứ Sáu, 27/11/2026");
    CHECK_STREQ(clock_format_hm(t, buf, sizeof buf), "08:15");
    /* 2026-11-27T17:30:00Z is already Saturday 28/11 00:30 locally */
    CHECK_STREQ(clock_format_date_vi(1795800600, buf, sizeof buf), "Thứ Bảy, 28/11/2026");
    CHECK_STREQ(clock_format_hm(1795800600, buf, sizeof buf), "00:30");
    CHECK_STREQ(clock_format_date_vi(1795800600 + 86400, buf, sizeof buf), "Chủ Nhật, 29/11/2026");
    CHECK_STREQ(clock_format_date_vi(0, buf, sizeof buf), "Thứ Năm, 01/01/1970");
    CHECK_STREQ(clock_format_age_vi(t - 7200, t, buf, sizeof buf), "2 giờ trước");
    CHECK_STREQ(clock_format_age_vi(t - 300, t, buf, sizeof buf), "5 phút trước");
    CHECK_STREQ(clock_format_age_vi(t - 3 * 86400, t, buf, sizeof buf), "3 ngày trước");
    CHECK_STREQ(clock_format_age_vi(t - 30 * 86400, t, buf, sizeof buf), "");
    CHECK_STREQ(clock_format_age_vi(t - 60, 1000, buf, sizeof buf), ""); /* clock at 1970 */
    CHECK(!clock_year_plausible(0));
    CHECK(!clock_year_plausible(1700000000)); /* 2023: older than this firmware */
    CHECK(clock_year_plausible(t));
    int64_t a = clock_mono_ms(), b = clock_mono_ms();
    CHECK(b >= a);
    test_evidence();
    return CHECK_DONE();
}
