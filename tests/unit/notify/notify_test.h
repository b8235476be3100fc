/* Helpers shared by the notify tests: temp dirs, files, commands, a log sink, and the ids of
 * the active notices (to show that a refusal changed nothing). Header-only, static. */
#ifndef BANGTIN_NOTIFY_TEST_H
#define BANGTIN_NOTIFY_TEST_H

#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include "bangtin/log.h"
#include "bangtin/store.h"
#include "bangtin/util.h"

/* Every message of the notify module since the last log_capture_reset. */
static struct buf log_captured_;

static inline void log_capture_sink(void *ctx, enum log_level level, const char *module,
                                    const char *msg)
{
    (void)ctx;
    (void)level;
    if (strcmp(module, "notify") == 0)
        buf_printf(&log_captured_, "%s\n", msg);
}

static inline void log_capture_start(void)
{
    buf_init(&log_captured_, 0);
    log_set_level(LOG_LEVEL_DBG);
    log_set_sink(log_capture_sink, NULL);
}

static inline void log_capture_reset(void)
{
    buf_free(&log_captured_);
    buf_init(&log_captured_, 0);
}

static inline const char *log_captured(void)
{
    return log_captured_.data ? log_captured_.data : "";
}

static inline void log_capture_stop(void)
{
    log_set_sink(NULL, NULL);
    buf_free(&log_captured_);
}

/* mkdtemp under TMPDIR or /tmp; caller frees. */
static inline char *test_tmpdir(const char *tag)
{
    const char *base = getenv("TMPDIR");
    char *tmpl = xasprintf("%s/bangtin-%s-XXXXXX", base && *base ? base : "/tmp", tag);
    if (!mkdtemp(tmpl)) {
        perror("mkdtemp");
        exit(1);
    }
    return tmpl;
}

static inline void test_rmtree(const char *dir)
{
    char *cmd = xasprintf("rm -rf '%s'", dir);
    if (system(cmd) != 0)
        fprintf(stderr, "warning: could not remove %s\n", dir);
    free(cmd);
}

/* Runs a shell command (output to stderr, stdin from /dev/null); true on exit status 0. */
static inline bool test_run(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static inline bool test_run(const char *fmt, ...)
{
    va_list ap;
    char cmd[4096];
    va_start(ap, fmt);
    vsnprintf(cmd, sizeof(cmd), fmt, ap);
    va_end(ap);
    char *full = xasprintf("(%s) </dev/null 1>&2", cmd);
    int rc = system(full);
    free(full);
    return rc != -1 && WIFEXITED(rc) && WEXITSTATUS(rc) == 0;
}

static inline bool test_have_minisign(void)
{
    return test_run("command -v minisign >/dev/null");
}

static inline char *test_read(const char *path, size_t *len)
{
    char *data = NULL;
    size_t n = 0;
    if (!util_read_file(path, 1 << 20, &data, &n)) {
        fprintf(stderr, "cannot read %s\n", path);
        return xstrdup("");
    }
    if (len)
        *len = n;
    return data;
}

static inline bool test_write(const char *path, const char *data)
{
    FILE *f = fopen(path, "wb");
    if (!f)
        return false;
    bool ok = fwrite(data, 1, strlen(data), f) == strlen(data);
    return fclose(f) == 0 && ok;
}

/* "id1 id2 …" of the active notices (trusted clock at now); caller frees. */
static inline char *test_active_ids(struct store *s, int64_t now)
{
    struct store_urgent *list;
    size_t n = store_urgent_active(s, now, true, &list);
    struct buf b;
    buf_init(&b, 0);
    buf_append_str(&b, "");
    for (size_t i = 0; i < n; i++)
        buf_printf(&b, "%s%s", i ? " " : "", list[i].id);
    store_urgent_free(list, n);
    return buf_steal(&b);
}

#endif
