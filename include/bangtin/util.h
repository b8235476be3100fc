/* util: allocation wrappers that abort on OOM, capped byte buffers, small string helpers. */
#ifndef BANGTIN_UTIL_H
#define BANGTIN_UTIL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define ARRAY_LEN(a) (sizeof(a) / sizeof((a)[0]))

void *xmalloc(size_t n);
void *xcalloc(size_t n, size_t size);
void *xrealloc(void *p, size_t n);
char *xstrdup(const char *s); /* xstrdup(NULL) == NULL */
char *xstrndup(const char *s, size_t n);
char *xasprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* A growable byte buffer with a hard cap. data is always NUL-terminated (when non-NULL). */
struct buf {
    char *data;
    size_t len;
    size_t cap;
    size_t max; /* 0 = unlimited */
};
void buf_init(struct buf *b, size_t max);
/* false (and nothing appended) when the cap would be exceeded. */
bool buf_append(struct buf *b, const void *data, size_t len);
bool buf_append_str(struct buf *b, const char *s);
bool buf_printf(struct buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
char *buf_steal(struct buf *b); /* caller frees; buffer reset; never NULL */
void buf_free(struct buf *b);

/* Whole file into memory, at most max bytes (false if larger, missing or unreadable).
 * *out is NUL-terminated; caller frees. */
bool util_read_file(const char *path, size_t max, char **out, size_t *len);
/* Write atomically (temp file + fsync + rename). */
bool util_write_file_atomic(const char *path, const void *data, size_t len);
/* All of data to fd, again after EINTR and short writes; false (errno set) on failure. */
bool util_write_all(int fd, const void *data, size_t len);
bool util_mkdir_p(const char *path, unsigned mode);

bool str_starts_with(const char *s, const char *prefix);
bool str_ends_with(const char *s, const char *suffix);
bool str_empty(const char *s); /* NULL or "" */
/* Trim ASCII whitespace in place; returns s. */
char *str_trim(char *s);
/* Parse durations like "30", "30s", "5m", "2h", "3d" into seconds. */
bool str_parse_duration(const char *s, int64_t *out_s);

#endif
