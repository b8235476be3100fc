/* log: leveled messages to stderr, journald-friendly.
 *
 * Each .c file defines LOG_MODULE before including this header. Under systemd (JOURNAL_STREAM
 * set) lines carry the sd-daemon "<N>" priority prefix; otherwise a timestamp. A sink may be
 * installed so tests can assert that a refusal was logged with its reason, and so the status
 * page can show the last errors. */
#ifndef BANGTIN_LOG_H
#define BANGTIN_LOG_H

#include <stdarg.h>
#include <stdbool.h>

enum log_level { LOG_LEVEL_ERR, LOG_LEVEL_WARN, LOG_LEVEL_INFO, LOG_LEVEL_DBG };

typedef void (*log_sink_fn)(void *ctx, enum log_level level, const char *module, const char *msg);

void log_init(enum log_level min_level);
void log_set_level(enum log_level min_level);
enum log_level log_get_level(void);
/* One extra receiver of every message at or above the level (NULL removes it). */
void log_set_sink(log_sink_fn fn, void *ctx);
void log_msg(enum log_level level, const char *module, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
void log_vmsg(enum log_level level, const char *module, const char *fmt, va_list ap)
    __attribute__((format(printf, 3, 0)));
/* Parses "error|warning|info|debug"; false if unknown. */
bool log_level_parse(const char *s, enum log_level *out);

#ifndef LOG_MODULE
#define LOG_MODULE "bangtin"
#endif
#define LOG_ERR(...)  log_msg(LOG_LEVEL_ERR, LOG_MODULE, __VA_ARGS__)
#define LOG_WARN(...) log_msg(LOG_LEVEL_WARN, LOG_MODULE, __VA_ARGS__)
#define LOG_INFO(...) log_msg(LOG_LEVEL_INFO, LOG_MODULE, __VA_ARGS__)
#define LOG_DBG(...)  log_msg(LOG_LEVEL_DBG, LOG_MODULE, __VA_ARGS__)

#endif
