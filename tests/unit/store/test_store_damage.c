/* store: damaged databases are quarantined (truncated, garbage, scribbled pages), and a
 * commit survives the process dying right after it (exit without close, SIGKILL). */
#include <dirent.h>
#include <fcntl.h>
#include <signal.h>
#include <sqlite3.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "check.h"
#include "store/store_private.h" /* white box: drop the page cache of a connection */
#include "store_fixture.h"

/* A database with n items (long texts, so it spans many pages) and a key sequence. */
static void fill(const char *dir, int n)
{
    struct store *s = store_open(dir);
    CHECK(s != NULL);
    if (!s)
        return;
    char *text = xmalloc(2001);
    memset(text, 'x', 2000);
    text[2000] = '\0';
    struct feed_item *it = xcalloc((size_t)n, sizeof *it);
    char(*guid)[16] = xcalloc((size_t)n, sizeof *guid);
    for (int i = 0; i < n; i++) {
        snprintf(guid[i], sizeof guid[i], "f%d", i);
        it[i] = fx_item(guid[i], NULL, guid[i], T0 - i);
        it[i].text = text;
    }
    CHECK_INTEQ(fx_apply(s, "F", it, (size_t)n, "\"etag\"", false, 0, T0), n);
    char err[128];
    CHECK(store_urgent_put_signed(s, "KEY1", 42, NULL, "signed:KEY1:x", err, sizeof err));
    store_close(s);
    free(it);
    free(guid);
    free(text);
}

static off_t file_size(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0 ? st.st_size : -1;
}

static bool exists(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0;
}

/* Overwrite len bytes at off with a pattern that is no valid b-tree page. */
static void scribble(const char *path, off_t off, size_t len, int byte)
{
    int fd = open(path, O_WRONLY);
    CHECK(fd >= 0);
    if (fd < 0)
        return;
    char *junk = xmalloc(len);
    memset(junk, byte, len);
    CHECK(pwrite(fd, junk, len, off) == (ssize_t)len);
    close(fd);
    free(junk);
}

/* Reopen a damaged store: error logged, files in quarantine, empty, usable. */
static struct store *reopen_damaged(const char *dir, const char *what)
{
    fx_log_reset();
    struct store *s = store_open(dir);
    log_set_sink(NULL, NULL);
    CHECK_MSG(s != NULL, "%s", what);
    if (!s)
        return NULL;
    CHECK_MSG(store_was_quarantined(s), "%s", what);
    CHECK_MSG(strstr(fx_log, "damaged") != NULL, "%s: log was: %s", what, fx_log);
    const char *q = store_quarantine_path(s);
    CHECK_MSG(q && strstr(q, "/quarantine/") != NULL, "%s", what);
    char *moved = xasprintf("%s/cache.db", q ? q : "/nonexistent");
    CHECK_MSG(exists(moved), "%s: %s", what, moved);
    free(moved);
    CHECK_INTEQ(store_count_items(s), 0);
    struct feed_item it[1] = {fx_item("new", NULL, "Sau khi khôi phục", T0)};
    CHECK_INTEQ(fx_apply(s, "F", it, 1, NULL, false, 0, T0), 1);
    CHECK_INTEQ(store_count_items(s), 1);
    struct store_source_state st;
    CHECK(store_source_state_get(s, "F", &st));
    CHECK(st.etag == NULL);
    store_source_state_free(&st);
    return s;
}

static void test_fresh_is_clean(void)
{
    char *dir = fx_dir("fresh/nested/dir"); /* created on the way */
    fill(dir, 3);
    fx_log_reset();
    struct store *s = store_open(dir);
    log_set_sink(NULL, NULL);
    CHECK(s && !store_was_quarantined(s));
    CHECK_STREQ(fx_log, "");
    CHECK_INTEQ(s ? store_count_items(s) : 0, 3);
    char *db = xasprintf("%s/cache.db", dir);
    struct stat st;
    CHECK(stat(db, &st) == 0 && (st.st_mode & 0060) == 0060); /* the bangtin group writes */
    free(db);
    store_close(s);
    free(dir);
}

static void test_garbage(void)
{
    char *dir = fx_dir("garbage");
    CHECK(util_mkdir_p(dir, 0755));
    char *db = xasprintf("%s/cache.db", dir);
    char junk[8192];
    for (size_t i = 0; i < sizeof junk; i++)
        junk[i] = (char)(i * 7 + 13);
    CHECK(util_write_file_atomic(db, junk, sizeof junk));
    struct store *s = reopen_damaged(dir, "garbage");
    store_close(s);
    /* A second open of the fresh database finds nothing wrong. */
    s = store_open(dir);
    CHECK(s && !store_was_quarantined(s));
    CHECK_INTEQ(s ? store_count_items(s) : 0, 1);
    store_close(s);
    free(db);
    free(dir);
}

static size_t count_entries(const char *path)
{
    DIR *d = opendir(path);
    size_t n = 0;
    struct dirent *e;
    while (d && (e = readdir(d)) != NULL)
        n += e->d_name[0] != '.';
    if (d)
        closedir(d);
    return n;
}

/* A failing card that corrupts the cache again and again keeps only the last 3 copies. */
static void test_quarantine_pruned(void)
{
    char *dir = fx_dir("repeat");
    CHECK(util_mkdir_p(dir, 0755));
    char *db = xasprintf("%s/cache.db", dir);
    char *base = xasprintf("%s/quarantine", dir);
    for (int round = 0; round < 5; round++) {
        CHECK(util_write_file_atomic(db, "not a database at all, just text", 32));
        struct store *s = store_open(dir);
        CHECK(s && store_was_quarantined(s));
        const char *q = s ? store_quarantine_path(s) : NULL;
        CHECK(q && exists(q)); /* the newest copy is never the one pruned */
        store_close(s);
        CHECK_INTEQ(count_entries(base), round < 3 ? round + 1 : 3);
    }
    free(base);
    free(db);
    free(dir);
}

static void test_truncated(void)
{
    char *dir = fx_dir("truncated");
    fill(dir, 60);
    char *db = xasprintf("%s/cache.db", dir);
    off_t size = file_size(db);
    CHECK(size > 16 * 4096);
    CHECK(truncate(db, size / 2 + 100) == 0);
    struct store *s = reopen_damaged(dir, "truncated");
    store_close(s);
    free(db);
    free(dir);
}

static void test_scribbled_pages(void)
{
    char *dir = fx_dir("scribbled");
    fill(dir, 60);
    char *db = xasprintf("%s/cache.db", dir);
    off_t size = file_size(db);
    /* Pages in the middle: item rows and overflow pages, the header and schema intact. */
    scribble(db, (size / 4096 / 2) * 4096, 3 * 4096, 0xA5);
    struct store *s = reopen_damaged(dir, "scribbled");
    /* The sequence numbers (an early page, untouched) were carried over: no replay. */
    CHECK_INTEQ(s ? store_key_last_seq(s, "KEY1") : 0, 42);
    store_close(s);
    free(db);
    free(dir);
}

/* Damage quick_check could not see at open, met at run time: marked, quarantined next start. */
static void test_damage_found_at_run_time(void)
{
    char *dir = fx_dir("runtime");
    fill(dir, 60);
    char *db = xasprintf("%s/cache.db", dir);
    off_t size = file_size(db);
    struct store *s = store_open(dir);
    CHECK(s && !store_was_quarantined(s));
    if (!s)
        return;
    scribble(db, (size / 4096 / 2) * 4096, 3 * 4096, 0xA5);
    sqlite3_db_release_memory(s->db); /* forget the pages quick_check read */
    fx_log_reset();
    struct store_item *v = NULL;
    size_t n = store_rotation(s, 0, 0, T0, true, &v);
    store_items_free(v, n);
    log_set_sink(NULL, NULL);
    CHECK(strstr(fx_log, "moved aside at the next start") != NULL);
    char *mark = xasprintf("%s.damaged", db);
    CHECK(exists(mark));
    store_close(s);
    s = reopen_damaged(dir, "runtime");
    CHECK(!exists(mark));
    store_close(s);
    s = store_open(dir);
    CHECK(s && !store_was_quarantined(s));
    store_close(s);
    /* A mark alone (the file itself passes quick_check) is enough. */
    CHECK(util_write_file_atomic(mark, "corrupt\n", 8));
    s = reopen_damaged(dir, "mark");
    CHECK(strstr(fx_log, "marked damaged by an earlier run") != NULL);
    CHECK(!exists(mark));
    store_close(s);
    free(mark);
    free(db);
    free(dir);
}

static void test_header_scribbled_with_wal(void)
{
    char *dir = fx_dir("header");
    fill(dir, 5);
    /* Leave a -wal and -shm behind as a crashed process would, then ruin the header. */
    pid_t pid = fork();
    if (pid == 0) {
        struct store *c = store_open(dir);
        struct feed_item more[1] = {fx_item("w2", NULL, "wal2", T0)};
        _exit(c && fx_apply(c, "F", more, 1, NULL, false, 0, T0) == 1 ? 0 : 1);
    }
    int status = -1;
    waitpid(pid, &status, 0);
    CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0);
    char *db = xasprintf("%s/cache.db", dir);
    scribble(db, 0, 100, 0x5A);
    char *wal = xasprintf("%s/cache.db-wal", dir);
    CHECK(exists(wal));
    struct store *s = reopen_damaged(dir, "header");
    char *moved = xasprintf("%s/cache.db-wal", s ? store_quarantine_path(s) : "/nonexistent");
    CHECK(exists(moved));
    free(moved);
    store_close(s);
    free(wal);
    free(db);
    free(dir);
}

/* The child commits through its own store and dies without closing it. */
static void test_power_cut(bool sigkill)
{
    char *dir = fx_dir(sigkill ? "cut-kill" : "cut-exit");
    fill(dir, 2);
    int pfd[2];
    CHECK(pipe(pfd) == 0);
    pid_t pid = fork();
    if (pid == 0) {
        close(pfd[0]);
        struct store *c = store_open(dir);
        struct feed_item it[1] = {fx_item("committed", NULL, "Đã ghi", T0 + 1)};
        int r = c ? fx_apply(c, "F", it, 1, "\"after\"", false, 0, T0 + 1) : -1;
        char ok = r == 1 ? 'y' : 'n';
        if (write(pfd[1], &ok, 1) != 1)
            _exit(3);
        if (sigkill)
            pause(); /* the parent kills us here */
        _exit(0);
    }
    close(pfd[1]);
    char ok = 0;
    CHECK(read(pfd[0], &ok, 1) == 1);
    CHECK(ok == 'y');
    if (sigkill)
        kill(pid, SIGKILL);
    int status = 0;
    CHECK(waitpid(pid, &status, 0) == pid);
    CHECK(sigkill ? WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL
                  : WIFEXITED(status) && WEXITSTATUS(status) == 0);
    close(pfd[0]);

    struct store *s = store_open(dir);
    CHECK(s && !store_was_quarantined(s));
    CHECK_INTEQ(s ? store_count_items(s) : 0, 3);
    struct store_source_state st;
    CHECK(s && store_source_state_get(s, "F", &st));
    CHECK_STREQ(st.etag, "\"after\"");
    store_source_state_free(&st);
    struct store_item *v = NULL;
    size_t n = s ? store_rotation(s, 1, 0, T0, true, &v) : 0;
    CHECK_STREQ(n ? v[0].title : NULL, "Đã ghi");
    store_items_free(v, n);
    store_close(s);
    free(dir);
}

/* A transaction that never committed leaves no trace after the process is killed. */
static void test_killed_mid_transaction(void)
{
    char *dir = fx_dir("cut-mid");
    fill(dir, 2);
    int pfd[2];
    CHECK(pipe(pfd) == 0);
    pid_t pid = fork();
    if (pid == 0) {
        close(pfd[0]);
        char *path = xasprintf("%s/cache.db", dir);
        sqlite3 *db = NULL;
        sqlite3_open(path, &db);
        sqlite3_exec(db, "BEGIN; DELETE FROM items;", NULL, NULL, NULL);
        if (write(pfd[1], "y", 1) != 1)
            _exit(3);
        pause();
        _exit(0);
    }
    close(pfd[1]);
    char ok = 0;
    CHECK(read(pfd[0], &ok, 1) == 1);
    kill(pid, SIGKILL);
    waitpid(pid, NULL, 0);
    close(pfd[0]);
    struct store *s = store_open(dir);
    CHECK(s && !store_was_quarantined(s));
    CHECK_INTEQ(s ? store_count_items(s) : 0, 2);
    store_close(s);
    free(dir);
}

/* The kiosk and `bangtin notify` may create the database at the same moment: neither may
 * mistake the other's half-made schema for damage. */
static void test_concurrent_fresh_open(void)
{
    char *dir = fx_dir("concurrent");
    enum { N_PROC = 4 };
    pid_t pids[N_PROC];
    for (int i = 0; i < N_PROC; i++) {
        pids[i] = fork();
        if (pids[i] == 0) {
            char guid[16];
            snprintf(guid, sizeof guid, "c%d", i);
            struct store *c = store_open(dir);
            struct feed_item it[1] = {fx_item(guid, NULL, guid, T0 + i)};
            bool ok =
                c && !store_was_quarantined(c) && fx_apply(c, guid, it, 1, NULL, false, 0, T0) == 1;
            store_close(c);
            _exit(ok ? 0 : 1);
        }
    }
    for (int i = 0; i < N_PROC; i++) {
        int status = -1;
        CHECK(waitpid(pids[i], &status, 0) == pids[i]);
        CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0);
    }
    char *q = xasprintf("%s/quarantine", dir);
    CHECK(!exists(q));
    struct store *s = store_open(dir);
    CHECK_INTEQ(s ? store_count_items(s) : 0, N_PROC);
    store_close(s);
    free(q);
    free(dir);
}

static void test_unusable_dir(void)
{
    char *file = fx_dir("plainfile");
    CHECK(util_write_file_atomic(file, "x", 1));
    char *dir = xasprintf("%s/sub", file); /* a directory below a regular file */
    fx_log_reset();
    CHECK(store_open(dir) == NULL);
    CHECK(store_open("") == NULL);
    log_set_sink(NULL, NULL);
    CHECK(strstr(fx_log, "data directory") != NULL);
    free(dir);
    free(file);
}

int main(void)
{
    log_init(LOG_LEVEL_WARN);
    fx_mkroot();
    test_fresh_is_clean();
    test_garbage();
    test_truncated();
    test_quarantine_pruned();
    test_scribbled_pages();
    test_header_scribbled_with_wal();
    test_damage_found_at_run_time();
    test_power_cut(false);
    test_power_cut(true);
    test_killed_mid_transaction();
    test_concurrent_fresh_open();
    test_unusable_dir();
    fx_rmroot();
    return CHECK_DONE();
}
