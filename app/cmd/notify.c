/* `bangtin notify` (DESIGN.md §6, way 3): push, cancel and list urgent notices on the device.
 * Permission is write access to the data directory (root or the bangtin group); the running
 * kiosk sees the commit through store_data_version. */
#include "cmd.h"

#include <errno.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define LOG_MODULE "notify"
#include "bangtin/clock.h"
#include "bangtin/config.h"
#include "bangtin/feed.h"
#include "bangtin/log.h"
#include "bangtin/notify.h"
#include "bangtin/store.h"
#include "bangtin/text.h"
#include "bangtin/util.h"

#define DEFAULT_EXPIRES "24h"
#define LOCAL_PREFIX    "local:"

struct cli_opts {
    const char *title, *body, *expires, *severity, *id, *cancel, *issuer;
    bool list, help;
};

static void usage(FILE *out)
{
    fputs("usage: bangtin notify --title TEXT [--body TEXT] [--expires 2h] "
          "[--severity extreme|severe|moderate|minor] [--id ID] [--issuer NAME]\n"
          "       bangtin notify --cancel ID\n"
          "       bangtin notify --list\n"
          "--expires takes a number with its unit: 90s, 30m, 2h, 3d (default " DEFAULT_EXPIRES
          "; 0 = until cancelled).\n"
          "--issuer is the name shown as the notice's source (default: [display] office_name).\n"
          "Prints the notice id; the running screen shows it within a second.\n",
          out);
}

/* "--opt value" and "--opt=value". Returns false on a usage error. */
static bool parse_args(int argc, char **argv, struct cli_opts *o)
{
    static const char *const names[] = {"--title", "--body",   "--expires", "--severity",
                                        "--id",    "--cancel", "--issuer"};
    const char **slots[] = {&o->title, &o->body,   &o->expires, &o->severity,
                            &o->id,    &o->cancel, &o->issuer};
    memset(o, 0, sizeof(*o));
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (strcmp(a, "--list") == 0) {
            o->list = true;
            continue;
        }
        if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
            o->help = true;
            continue;
        }
        size_t k = 0;
        for (; k < ARRAY_LEN(names); k++) {
            size_t n = strlen(names[k]);
            if (strncmp(a, names[k], n) == 0 && (a[n] == '\0' || a[n] == '='))
                break;
        }
        if (k == ARRAY_LEN(names)) {
            fprintf(stderr, "bangtin notify: unknown argument '%s'\n", a);
            return false;
        }
        const char *eq = strchr(a, '=');
        if (!eq && i + 1 >= argc) {
            fprintf(stderr, "bangtin notify: %s needs a value\n", names[k]);
            return false;
        }
        *slots[k] = eq ? eq + 1 : argv[++i];
    }
    int modes = (o->title != NULL) + (o->cancel != NULL) + o->list;
    if (o->help)
        return true;
    if (modes != 1) {
        fputs("bangtin notify: give exactly one of --title, --cancel, --list\n", stderr);
        return false;
    }
    if (!o->title && (o->body || o->expires || o->severity || o->id || o->issuer)) {
        fputs("bangtin notify: --body/--expires/--severity/--id/--issuer go with --title\n",
              stderr);
        return false;
    }
    return true;
}

/* The CLI refuses rather than creating a data directory: one made by root at the wrong path
 * would leave the kiosk (user bangtin) reading another cache. */
static bool data_dir_writable(const char *dir)
{
    struct stat st;
    if (str_empty(dir)) {
        fputs("bangtin notify: no data directory configured ([system] data_dir)\n", stderr);
        return false;
    }
    if (stat(dir, &st) != 0 || !S_ISDIR(st.st_mode)) {
        fprintf(stderr,
                "bangtin notify: data directory %s does not exist (wrong --data-dir, "
                "or bangtin never ran here?)\n",
                dir);
        return false;
    }
    char *db = xasprintf("%s/cache.db", dir);
    const char *what = dir;
    bool ok = access(dir, W_OK) == 0;
    if (ok && access(db, F_OK) == 0 && access(db, W_OK) != 0)
        ok = false, what = db;
    if (!ok)
        fprintf(stderr,
                "bangtin notify: no write access to %s: %s\n"
                "  Pushing a notice needs write access to the data directory: run it as "
                "root (sudo) or as a member of the bangtin group.\n",
                what, strerror(errno));
    free(db);
    return ok;
}

/* Run as root, SQLite hands its -wal/-shm to the database's owner, but a cache.db created by
 * this process would stay root's and the kiosk could no longer write it. */
static void fix_ownership(const char *dir)
{
    struct stat dst, fst;
    if (geteuid() != 0 || stat(dir, &dst) != 0 || dst.st_uid == 0)
        return;
    static const char *const files[] = {"cache.db", "cache.db-wal", "cache.db-shm"};
    for (size_t i = 0; i < ARRAY_LEN(files); i++) {
        char *p = xasprintf("%s/%s", dir, files[i]);
        if (lstat(p, &fst) == 0 && S_ISREG(fst.st_mode) && fst.st_uid != dst.st_uid &&
            chown(p, dst.st_uid, dst.st_gid) != 0)
            fprintf(stderr,
                    "bangtin notify: cannot give %s to the data directory's owner: "
                    "%s\n",
                    p, strerror(errno));
        free(p);
    }
}

static char *make_id(const char *given)
{
    if (given) {
        if (str_starts_with(given, LOCAL_PREFIX))
            given += strlen(LOCAL_PREFIX);
        size_t n = strlen(given);
        if (n == 0 || n > 64 ||
            strspn(given, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
                          "0123456789._-") != n)
            return NULL;
        return xasprintf(LOCAL_PREFIX "%s", given);
    }
    struct clock_local t;
    clock_to_local(clock_now(), &t);
    return xasprintf(LOCAL_PREFIX "%04d%02d%02d-%02d%02d%02d-%04x", t.year, t.month, t.day, t.hour,
                     t.minute, t.second, (unsigned)randombytes_uniform(0x10000));
}

/* A duration with its unit ("90" alone could mean seconds or minutes); "0" needs none. */
static bool parse_expires(const char *v, int64_t *ttl)
{
    size_t n = strlen(v);
    if (strcmp(v, "0") != 0 && (n == 0 || (v[n - 1] >= '0' && v[n - 1] <= '9')))
        return false;
    return str_parse_duration(v, ttl) && *ttl >= 0;
}

static int cmd_push(struct store *s, const struct config *cfg, const struct cli_opts *o)
{
    int64_t ttl, now = clock_now();
    int severity = o->severity ? notify_severity_parse(o->severity) : FEED_SEVERITY_SEVERE;
    const char *exp = o->expires ? o->expires : DEFAULT_EXPIRES;
    if (!parse_expires(exp, &ttl)) {
        if (exp[0] && exp[strlen(exp) - 1] >= '0' && exp[strlen(exp) - 1] <= '9')
            fprintf(stderr,
                    "bangtin notify: --expires '%s' has no unit: write %ss, %sm or %sh "
                    "(or 0 = until cancelled)\n",
                    exp, exp, exp, exp);
        else
            fprintf(stderr,
                    "bangtin notify: --expires '%s' is not a duration (90s, 30m, 2h, 3d, 0)\n",
                    exp);
        return 2;
    }
    if (severity < 0) {
        fprintf(stderr, "bangtin notify: --severity must be extreme, severe, moderate or "
                        "minor\n");
        return 2;
    }
    char *id = make_id(o->id);
    if (!id) {
        fputs("bangtin notify: --id must be 1-64 of A-Z a-z 0-9 . _ -\n", stderr);
        return 2;
    }
    struct store_urgent u = {
        .id = id,
        .origin = STORE_URGENT_LOCAL,
        .title = text_sanitize_str(o->title, 0),
        .body = text_sanitize_str(o->body, TEXT_KEEP_NEWLINES),
        .issuer = text_sanitize_str(!str_empty(o->issuer)          ? o->issuer
                                    : !str_empty(cfg->office_name) ? cfg->office_name
                                                                   : "UBND xã",
                                    0),
        .severity = severity,
        .issued = now,
        .expires = ttl ? now + ttl : 0,
    };
    int rc = 0;
    if (u.title[0] == '\0') {
        fputs("bangtin notify: --title is empty\n", stderr);
        rc = 2;
    } else if (!store_urgent_put(s, &u)) {
        fputs("bangtin notify: could not store the notice (see the log above)\n", stderr);
        rc = 1;
    } else {
        printf("%s\n", id);
        if (!clock_is_trusted() && ttl)
            fputs("bangtin notify: warning: the clock is not synchronised; the notice will "
                  "not expire until it is\n",
                  stderr);
    }
    free(u.title), free(u.body), free(u.issuer), free(id);
    return rc;
}

static bool is_active(struct store *s, const char *id)
{
    struct store_urgent *list;
    size_t n = store_urgent_active(s, clock_now(), clock_is_trusted(), &list);
    bool found = false;
    for (size_t i = 0; i < n && !found; i++)
        found = strcmp(list[i].id, id) == 0;
    store_urgent_free(list, n);
    return found;
}

static int cmd_cancel(struct store *s, const char *id)
{
    if (!is_active(s, id)) {
        fprintf(stderr, "bangtin notify: no active notice %s (see --list)\n", id);
        return 1;
    }
    if (!store_urgent_cancel(s, id)) {
        fprintf(stderr, "bangtin notify: could not cancel %s (see the log above)\n", id);
        return 1;
    }
    printf("cancelled %s\n", id);
    return 0;
}

static int cmd_list(struct store *s)
{
    struct store_urgent *list = NULL;
    size_t n = s ? store_urgent_active(s, clock_now(), clock_is_trusted(), &list) : 0;
    for (size_t i = 0; i < n; i++) {
        char until[32] = "until cancelled";
        if (list[i].expires) {
            struct clock_local t;
            clock_to_local(list[i].expires, &t);
            snprintf(until, sizeof(until), "%04d-%02d-%02d %02d:%02d", t.year, t.month, t.day,
                     t.hour, t.minute);
        }
        printf("%s\t%s\t%s\t%s%s\t%s\n", list[i].id, notify_severity_name(list[i].severity), until,
               list[i].issuer ? list[i].issuer : "", list[i].verified ? " ✓" : "",
               list[i].title ? list[i].title : "");
    }
    store_urgent_free(list, n);
    return 0;
}

int cmd_notify(int argc, char **argv, const struct config *cfg)
{
    struct cli_opts o;
    if (!parse_args(argc, argv, &o)) {
        usage(stderr);
        return 2;
    }
    if (o.help) {
        usage(stdout);
        return 0;
    }
    /* Which configuration and data folder: a notice pushed into the wrong folder is shown by
     * no screen. */
    fprintf(stderr, "bangtin notify: configuration %s, data folder %s\n",
            cfg->path ? cfg->path : "(none: defaults)", cfg->data_dir ? cfg->data_dir : "(none)");
    if (o.list) {
        /* Reading needs no write access: a read-only connection, nothing created. */
        struct stat st;
        if (str_empty(cfg->data_dir) || stat(cfg->data_dir, &st) != 0 || !S_ISDIR(st.st_mode)) {
            fprintf(stderr,
                    "bangtin notify: data directory %s does not exist (wrong --data-dir, or "
                    "bangtin never ran here?)\n",
                    str_empty(cfg->data_dir) ? "(none)" : cfg->data_dir);
            return 1;
        }
        struct store *ro = store_open_readonly(cfg->data_dir);
        if (!ro)
            fprintf(stderr, "bangtin notify: no cache in %s: no notices\n", cfg->data_dir);
        int rc = cmd_list(ro);
        store_close(ro);
        return rc;
    }
    if (sodium_init() < 0 || !data_dir_writable(cfg->data_dir))
        return 1;
    struct store *s = store_open(cfg->data_dir);
    if (!s) {
        fprintf(stderr, "bangtin notify: cannot open the cache in %s\n", cfg->data_dir);
        return 1;
    }
    if (store_is_read_only(s)) {
        fprintf(stderr, "bangtin notify: %s",
                store_is_disk_full(s) ? "thẻ nhớ đầy, không ghi được thông báo (the disk is full: "
                                        "the notice was NOT stored; nothing was changed)\n"
                                      : "thẻ nhớ chỉ đọc, không ghi được thông báo (the cache "
                                        "cannot be written: the notice was NOT stored)\n");
        store_close(s);
        return 1;
    }
    int rc = o.cancel ? cmd_cancel(s, o.cancel) : cmd_push(s, cfg, &o);
    store_close(s);
    fix_ownership(cfg->data_dir);
    return rc;
}
