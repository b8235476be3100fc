/* bench_feed: feed_parse throughput (MB/s) and peak RSS on the largest corpus feed and on a
 * generated 1,000-item feed, and the time and memory it takes to refuse billion laughs.
 * Each measurement runs in its own child process so that peak RSS is its own.
 * Usage: bench_feed [feed-file]   (default: the largest feed in SHARED_DIR/corpus) */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "bangtin/feed.h"
#include "bangtin/log.h"
#include "bangtin/util.h"

struct result {
    double seconds_per_parse;
    long peak_rss_kib;
    long items;
    int ok;
};

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Parses data repeatedly for at least min_s seconds in a child; reports through a pipe. */
static struct result measure(const char *data, size_t len, double min_s)
{
    struct result r = {0};
    int fd[2];
    if (pipe(fd) != 0)
        return r;
    pid_t pid = fork();
    if (pid == 0) {
        close(fd[0]);
        struct result c = {0};
        int runs = 0;
        double t0 = now_s(), t;
        do {
            struct feed f;
            char err[256];
            c.ok = feed_parse(data, len, NULL, NULL, &f, err, sizeof(err));
            c.items = (long)f.n_items;
            feed_free(&f);
            runs++;
            t = now_s() - t0;
        } while (t < min_s && runs < 100000);
        c.seconds_per_parse = t / runs;
        struct rusage ru;
        getrusage(RUSAGE_SELF, &ru);
        c.peak_rss_kib = ru.ru_maxrss;
        if (write(fd[1], &c, sizeof(c)) != (ssize_t)sizeof(c))
            _exit(1);
        _exit(0);
    }
    close(fd[1]);
    if (pid > 0 && read(fd[0], &r, sizeof(r)) != (ssize_t)sizeof(r))
        memset(&r, 0, sizeof(r));
    close(fd[0]);
    if (pid > 0)
        waitpid(pid, NULL, 0);
    return r;
}

static void report(const char *what, size_t len, struct result r)
{
    printf("%-28s %9.1f KiB  %s  %5ld items  %8.3f ms/parse  %8.1f MB/s  peak RSS %6.1f MiB\n",
           what, (double)len / 1024.0, r.ok ? "ok     " : "refused", r.items,
           r.seconds_per_parse * 1e3,
           r.seconds_per_parse > 0 ? (double)len / 1e6 / r.seconds_per_parse : 0.0,
           (double)r.peak_rss_kib / 1024.0);
}

/* The largest file under dir that parses as a feed with items. */
static void find_largest(const char *dir, char **best, size_t *best_len, int depth)
{
    DIR *d = opendir(dir);
    struct dirent *de;
    while (d && depth < 8 && (de = readdir(d))) {
        if (de->d_name[0] == '.' || !strcmp(de->d_name, "LICENSES"))
            continue;
        char *p = xasprintf("%s/%s", dir, de->d_name);
        struct stat st;
        if (stat(p, &st) == 0 && S_ISDIR(st.st_mode)) {
            find_largest(p, best, best_len, depth + 1);
        } else if (stat(p, &st) == 0 && (size_t)st.st_size > *best_len) {
            char *data;
            size_t len;
            struct feed f;
            char err[256];
            if (util_read_file(p, 64u << 20, &data, &len)) {
                if (feed_parse(data, len, NULL, NULL, &f, err, sizeof(err)) && f.n_items > 0) {
                    free(*best);
                    *best = xstrdup(p);
                    *best_len = len;
                }
                feed_free(&f);
                free(data);
            }
        }
        free(p);
    }
    if (d)
        closedir(d);
}

static char *generate_feed(size_t n_items, size_t *len)
{
    struct buf b;
    buf_init(&b, 0);
    buf_append_str(&b, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<rss version=\"2.0\" "
                       "xmlns:content=\"http://purl.org/rss/1.0/modules/content/\">"
                       "<channel><title>Bản tin xã</title><link>https://xa.example.vn/</link>\n");
    for (size_t i = 0; i < n_items; i++) {
        buf_printf(&b,
                   "<item><title>Thông báo số %zu về lịch tiếp công dân &amp;#038; họp dân"
                   "</title><link>https://xa.example.vn/tin/%zu</link><guid>tin-%zu</guid>"
                   "<pubDate>Thu, 26 Nov 2026 %02zu:%02zu:00 +0700</pubDate><content:encoded>"
                   "<![CDATA[<p>Ủy ban nhân dân xã thông báo lịch tiếp công dân định kỳ tháng "
                   "12/2026 tại trụ sở, đề nghị bà con nhân dân lưu ý.</p><ul><li>Thứ Hai: "
                   "Chủ tịch</li><li>Thứ Năm: Phó Chủ tịch</li></ul><table><tr><td>Địa điểm"
                   "</td><td>Phòng tiếp dân</td></tr></table><p>Mọi thắc mắc xin liên hệ "
                   "văn phòng &ndash; điện thoại 0209.3870.000.</p>]]></content:encoded>"
                   "</item>\n",
                   i, i, i, i % 24, i % 60);
    }
    buf_append_str(&b, "</channel></rss>\n");
    *len = b.len;
    return buf_steal(&b);
}

static char *generate_laughs(size_t *len)
{
    struct buf b;
    buf_init(&b, 0);
    buf_append_str(&b, "<?xml version=\"1.0\"?>\n<!DOCTYPE lolz [\n <!ENTITY lol \"lol\">\n");
    for (int i = 1; i <= 9; i++) {
        buf_printf(&b, " <!ENTITY lol%d \"", i);
        for (int k = 0; k < 10; k++)
            buf_printf(&b, "&lol%s;", i == 1 ? "" : (char[]){(char)('0' + i - 1), 0});
        buf_append_str(&b, "\">\n");
    }
    buf_append_str(&b, "]>\n<rss><channel><item><title>&lol9;</title></item></channel></rss>\n");
    *len = b.len;
    return buf_steal(&b);
}

/* The search parses the whole corpus: done in a child so that its heap does not count in
 * the measurements' peak RSS. Caller frees; NULL if none. */
static char *find_largest_isolated(const char *dir)
{
    char path[4096] = "";
    int fd[2];
    if (pipe(fd) != 0)
        return NULL;
    pid_t pid = fork();
    if (pid == 0) {
        close(fd[0]);
        char *best = NULL;
        size_t best_len = 0;
        find_largest(dir, &best, &best_len, 0);
        if (best && write(fd[1], best, strlen(best)) < 0)
            _exit(1);
        _exit(0);
    }
    close(fd[1]);
    ssize_t n = pid > 0 ? read(fd[0], path, sizeof(path) - 1) : -1;
    close(fd[0]);
    if (pid > 0)
        waitpid(pid, NULL, 0);
    return n > 0 ? xstrndup(path, (size_t)n) : NULL;
}

int main(int argc, char **argv)
{
    log_init(LOG_LEVEL_ERR);
    char *path = argc > 1 ? xstrdup(argv[1]) : NULL;
    size_t len = 0;
    if (!path)
        path = find_largest_isolated(SHARED_DIR "/corpus");
    char *data;
    if (path && util_read_file(path, 64u << 20, &data, &len)) {
        printf("largest feed: %s\n", path);
        report("largest corpus feed", len, measure(data, len, 2.0));
        free(data);
    } else {
        printf("SKIP: no corpus feed found under %s\n", SHARED_DIR "/corpus");
    }
    free(path);

    data = generate_feed(1000, &len);
    report("generated 1,000 items", len, measure(data, len, 2.0));
    free(data);

    data = generate_laughs(&len);
    struct result r = measure(data, len, 0.5);
    report("billion laughs (lol9)", len, r);
    free(data);
    return r.ok ? 1 : 0; /* accepting billion laughs is a failure */
}
