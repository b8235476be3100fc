/* watchdog: talks to systemd through sd_notify — readiness, a one-line status, and the
 * watchdog ping (dist/bangtin.service has Type=notify, WatchdogSec=30s).
 *
 * The ping is a promise that the whole program works, not just that the process exists: it is
 * sent only while BOTH the render loop and the fetch worker have shown a heartbeat recently.
 * If either hangs, the pings stop and systemd restarts the service.
 *
 * Heartbeats and `now` are CLOCK_MONOTONIC milliseconds (clock_mono_ms()). The worker must beat
 * even while it waits (backoff sleeps, long transfers via the libcurl progress callback), at
 * least every stale_limit / 2. Start both heartbeats at the current time, not 0.
 *
 * Every function is a harmless no-op when the program does not run under systemd (no
 * NOTIFY_SOCKET), when WatchdogSec is not set, or when built without libsystemd (HAVE_SYSTEMD
 * undefined). Call these from the main thread only. */
#ifndef BANGTIN_WATCHDOG_H
#define BANGTIN_WATCHDOG_H

#include <stdbool.h>
#include <stdint.h>

/* Reads the watchdog interval from the environment (sd_watchdog_enabled). stale_limit_ms: the
 * age at which a heartbeat counts as stale; 0 = half the watchdog interval. Calling again
 * re-reads the environment and forgets the last ping. The other functions call it with 0 if
 * it was never called. */
void watchdog_init(int64_t stale_limit_ms);

/* The watchdog interval in ms, 0 when systemd does not expect pings. */
int64_t watchdog_interval_ms(void);

/* Cache shown, ready to serve: READY=1 (systemd then reports the service as started). */
void watchdog_ready(void);

/* One line for `systemctl status bangtin`: STATUS=… (printf format). */
void watchdog_status(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* SIGHUP received: RELOADING=1; call watchdog_ready() when the new config is in use. */
void watchdog_reloading(void);

/* Shutting down: STOPPING=1. */
void watchdog_stopping(void);

/* Call from the main loop at least every watchdog_next_due_ms(). Sends WATCHDOG=1 when both
 * heartbeats are younger than the stale limit and the last ping is at least interval/2 old.
 * Returns true when a ping was sent. */
bool watchdog_tick(int64_t now_ms, int64_t render_heartbeat_ms, int64_t worker_heartbeat_ms);

/* The monotonic time (ms) by which the loop should call watchdog_tick() again, so that it can
 * bound its SDL_WaitEventTimeout(); INT64_MAX when no watchdog is expected. */
int64_t watchdog_next_due_ms(int64_t now_ms);

#endif
