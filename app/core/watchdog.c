/* watchdog: sd_notify readiness/status and a watchdog ping gated on two heartbeats. */
#define LOG_MODULE "watchdog"
#include "bangtin/watchdog.h"
#include "bangtin/log.h"

#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <time.h>

#ifdef HAVE_SYSTEMD
#include <systemd/sd-daemon.h>
#endif

struct watchdog_state {
    bool initialised;
    int64_t interval_ms;    /* 0 = systemd expects no pings */
    int64_t stale_limit_ms; /* heartbeat age that counts as a hang */
    bool pinged;            /* last_ping_ms is valid */
    int64_t last_ping_ms;
    bool stalled; /* a stall was already logged */
    bool send_failed_logged;
};

static struct watchdog_state wd;

static void watchdog_send(const char *msg)
{
#ifdef HAVE_SYSTEMD
    int r = sd_notify(0, msg);
    /* r == 0: not under systemd. A failing socket is worth one line, not one per ping. */
    if (r < 0 && !wd.send_failed_logged) {
        LOG_WARN("sd_notify(\"%s\") failed: error %d", msg, -r);
        wd.send_failed_logged = true;
    }
#else
    (void)msg;
#endif
}

void watchdog_init(int64_t stale_limit_ms)
{
    uint64_t usec = 0;

    wd = (struct watchdog_state){.initialised = true};
#ifdef HAVE_SYSTEMD
    /* > 0 only when WATCHDOG_USEC is set (and WATCHDOG_PID, if set, is ours). */
    if (sd_watchdog_enabled(0, &usec) <= 0)
        usec = 0;
#endif
    wd.interval_ms = (int64_t)(usec / 1000);
    wd.stale_limit_ms = stale_limit_ms > 0 ? stale_limit_ms : wd.interval_ms / 2;
    if (wd.interval_ms > 0)
        LOG_INFO("systemd watchdog every %" PRId64 " ms; heartbeats stale after %" PRId64 " ms",
                 wd.interval_ms, wd.stale_limit_ms);
}

static void watchdog_ensure_init(void)
{
    if (!wd.initialised)
        watchdog_init(0);
}

int64_t watchdog_interval_ms(void)
{
    watchdog_ensure_init();
    return wd.interval_ms;
}

void watchdog_ready(void)
{
    watchdog_ensure_init();
    watchdog_send("READY=1");
}

void watchdog_status(const char *fmt, ...)
{
    char line[256];
    char msg[sizeof line + 8];
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(line, sizeof line, fmt, ap);
    va_end(ap);
    /* sd_notify messages are newline-separated assignments: keep the status on one line. */
    for (char *p = line; *p; p++) {
        if (*p == '\n' || *p == '\r')
            *p = ' ';
    }
    snprintf(msg, sizeof msg, "STATUS=%s", line);
    watchdog_send(msg);
}

void watchdog_reloading(void)
{
    char msg[64];
    struct timespec ts;

    /* MONOTONIC_USEC is required by Type=notify-reload (systemd >= 253), ignored before. */
    clock_gettime(CLOCK_MONOTONIC, &ts);
    snprintf(msg, sizeof msg, "RELOADING=1\nMONOTONIC_USEC=%" PRIu64,
             (uint64_t)ts.tv_sec * 1000000u + (uint64_t)ts.tv_nsec / 1000u);
    watchdog_send(msg);
}

void watchdog_stopping(void)
{
    watchdog_send("STOPPING=1");
}

static bool watchdog_fresh(int64_t now_ms, int64_t heartbeat_ms)
{
    /* A heartbeat from the "future" (taken just after now_ms on another thread) is fresh. */
    return now_ms - heartbeat_ms < wd.stale_limit_ms;
}

/* Logs the moment the program stops (and starts again) deserving pings. */
static void watchdog_note_stall(bool stalled, int64_t render_age, int64_t worker_age)
{
    if (stalled && !wd.stalled) {
        LOG_WARN("withholding watchdog ping: render loop %" PRId64 " ms, fetch worker %" PRId64
                 " ms since last heartbeat (limit %" PRId64 " ms)",
                 render_age, worker_age, wd.stale_limit_ms);
    } else if (!stalled && wd.stalled) {
        LOG_INFO("heartbeats fresh again, watchdog pings resumed");
    }
    wd.stalled = stalled;
}

bool watchdog_tick(int64_t now_ms, int64_t render_heartbeat_ms, int64_t worker_heartbeat_ms)
{
    bool fresh;

    watchdog_ensure_init();
    if (wd.interval_ms <= 0)
        return false;
    fresh =
        watchdog_fresh(now_ms, render_heartbeat_ms) && watchdog_fresh(now_ms, worker_heartbeat_ms);
    watchdog_note_stall(!fresh, now_ms - render_heartbeat_ms, now_ms - worker_heartbeat_ms);
    if (!fresh)
        return false;
    if (wd.pinged && now_ms - wd.last_ping_ms < wd.interval_ms / 2)
        return false;
    watchdog_send("WATCHDOG=1");
    wd.pinged = true;
    wd.last_ping_ms = now_ms;
    return true;
}

int64_t watchdog_next_due_ms(int64_t now_ms)
{
    watchdog_ensure_init();
    if (wd.interval_ms <= 0)
        return INT64_MAX;
    if (wd.pinged && wd.last_ping_ms + wd.interval_ms / 2 > now_ms)
        return wd.last_ping_ms + wd.interval_ms / 2;
    /* Overdue or stalled: look again soon, but never spin. */
    return now_ms + wd.interval_ms / 4;
}
