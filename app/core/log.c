/* log: leveled messages to stderr. Under systemd (JOURNAL_STREAM set) each line carries the
 * sd-daemon "<N>" prefix so journald records the priority; elsewhere a UTC timestamp. */
#include "bangtin/log.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

static enum log_level min_level = LOG_LEVEL_INFO;
static bool journald;
static log_sink_fn sink;
static void *sink_ctx;
static pthread_mutex_t log_lock = PTHREAD_MUTEX_INITIALIZER;

static const char *const level_names[] = {"error", "warning", "info", "debug"};
static const int sd_priority[] = {3, 4, 6, 7};

void log_init(enum log_level level)
{
    min_level = level;
    journald = getenv("JOURNAL_STREAM") != NULL;
}

void log_set_level(enum log_level level)
{
    min_level = level;
}

enum log_level log_get_level(void)
{
    return min_level;
}

void log_set_sink(log_sink_fn fn, void *ctx)
{
    pthread_mutex_lock(&log_lock);
    sink = fn;
    sink_ctx = ctx;
    pthread_mutex_unlock(&log_lock);
}

bool log_level_parse(const char *s, enum log_level *out)
{
    static const char *const alias[] = {"err", "warn", "info", "dbg"};
    for (size_t i = 0; s && i < 4; i++) {
        if (strcasecmp(s, level_names[i]) == 0 || strcasecmp(s, alias[i]) == 0) {
            *out = (enum log_level)i;
            return true;
        }
    }
    return false;
}

void log_vmsg(enum log_level level, const char *module, const char *fmt, va_list ap)
{
    if (level > min_level && !sink)
        return;
    char msg[1024];
    vsnprintf(msg, sizeof msg, fmt, ap);
    /* One line per message: a feed title with a newline must not forge a second log line. */
    for (char *p = msg; *p; p++) {
        if (*p == '\n' || *p == '\r')
            *p = ' ';
    }

    pthread_mutex_lock(&log_lock);
    if (level <= min_level) {
        if (journald) {
            fprintf(stderr, "<%d>%s: %s\n", sd_priority[level], module, msg);
        } else {
            char ts[32];
            time_t now = time(NULL);
            struct tm tm;
            gmtime_r(&now, &tm);
            strftime(ts, sizeof ts, "%Y-%m-%dT%H:%M:%SZ", &tm);
            fprintf(stderr, "%s %-7s %s: %s\n", ts, level_names[level], module, msg);
        }
    }
    if (sink)
        sink(sink_ctx, level, module, msg);
    pthread_mutex_unlock(&log_lock);
}

void log_msg(enum log_level level, const char *module, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    log_vmsg(level, module, fmt, ap);
    va_end(ap);
}
