/* report: a snapshot of the board's health for the status page and status.json. */
#define LOG_MODULE "status"
#include "report.h"

#include "bangtin/clock.h"
#include "bangtin/config.h"
#include "bangtin/log.h"
#include "bangtin/notify.h"
#include "bangtin/store.h"
#include "bangtin/util.h"

#include <arpa/inet.h>
#include <ifaddrs.h>
#include <jansson.h>
#include <net/if.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

static const char *own(struct report *s, char *str)
{
    s->owned = xrealloc(s->owned, (s->n_owned + 1) * sizeof *s->owned);
    s->owned[s->n_owned++] = str;
    return str;
}

static void collect_addresses(char *out, size_t len)
{
    out[0] = '\0';
    struct ifaddrs *ifs = NULL;
    if (getifaddrs(&ifs) != 0)
        return;
    size_t used = 0;
    for (struct ifaddrs *i = ifs; i; i = i->ifa_next) {
        if (!i->ifa_addr || (i->ifa_flags & IFF_LOOPBACK) || !(i->ifa_flags & IFF_UP))
            continue;
        char ip[INET6_ADDRSTRLEN] = "";
        if (i->ifa_addr->sa_family == AF_INET)
            inet_ntop(AF_INET, &((struct sockaddr_in *)i->ifa_addr)->sin_addr, ip, sizeof ip);
        else if (i->ifa_addr->sa_family == AF_INET6 &&
                 !IN6_IS_ADDR_LINKLOCAL(&((struct sockaddr_in6 *)i->ifa_addr)->sin6_addr))
            inet_ntop(AF_INET6, &((struct sockaddr_in6 *)i->ifa_addr)->sin6_addr, ip, sizeof ip);
        if (!ip[0])
            continue;
        int n = snprintf(out + used, len - used, "%s%s %s", used ? ", " : "", i->ifa_name, ip);
        if (n < 0 || (size_t)n >= len - used)
            break;
        used += (size_t)n;
    }
    freeifaddrs(ifs);
    if (!out[0])
        snprintf(out, len, "không có mạng");
}

/* Commune code, pinned key ids and active notices: the same lists on the page and in
 * status.json. */
static void report_collect_urgent(struct report *s, struct store *st, const struct config *cfg)
{
    struct buf keys, active;
    buf_init(&keys, 0);
    buf_init(&active, 0);
    s->key_ids = xcalloc(cfg->n_keys + 1, sizeof *s->key_ids);
    s->key_names = xcalloc(cfg->n_keys + 1, sizeof *s->key_names);
    for (size_t i = 0; i < cfg->n_keys; i++) {
        struct notify_key k;
        char hex[17] = "?";
        char err[128];
        if (notify_key_parse(cfg->keys[i].pubkey, cfg->keys[i].name, &k, err, sizeof err)) {
            notify_key_id_hex(&k, hex);
            notify_key_free(&k);
        }
        s->key_ids[s->n_keys] = xstrdup(hex);
        s->key_names[s->n_keys++] = xstrdup(cfg->keys[i].name);
        buf_printf(&keys, "%s%s %s", i ? ", " : "", hex, cfg->keys[i].name);
    }
    if (st)
        s->n_urgent = store_urgent_active(st, clock_now(), clock_is_trusted(), &s->urgent);
    for (size_t i = 0; i < s->n_urgent; i++)
        buf_printf(&active, "%s%s", i ? "\n" : "", s->urgent[i].title ? s->urgent[i].title : "");
    s->rs.commune_code = cfg->commune_code ? cfg->commune_code : "";
    s->rs.trusted_keys = own(s, buf_steal(&keys));
    s->rs.urgent_active = own(s, buf_steal(&active));
}

int64_t report_read_uptime(const char *path, int64_t now)
{
    json_error_t jerr;
    json_t *root = str_empty(path) ? NULL : json_load_file(path, 0, &jerr);
    json_t *up = json_object_get(root, "uptime_s"), *t = json_object_get(root, "time");
    int64_t r = -1;
    int y, mo, d, h, mi, sec;
    if (json_is_integer(up) && json_is_string(t) &&
        sscanf(json_string_value(t), "%4d-%2d-%2dT%2d:%2d:%2dZ", &y, &mo, &d, &h, &mi, &sec) == 6) {
        int64_t written = clock_days_from_civil(y, mo, d) * 86400 + h * 3600 + mi * 60 + sec;
        /* A status file older than its refresh period (a minute) by far: the kiosk is gone. */
        if (now >= written && now - written < 300)
            r = json_integer_value(up) + (now - written);
    }
    json_decref(root);
    return r;
}

void report_collect(struct report *s, struct store *st, const struct config *cfg, int64_t uptime_s,
                    const char *last_errors)
{
    memset(s, 0, sizeof *s);
    collect_addresses(s->addresses, sizeof s->addresses);
    snprintf(s->errors, sizeof s->errors, "%s%s", store_storage_problem_vi(st),
             last_errors ? last_errors : "");
    s->sources = xcalloc(cfg->n_sources ? cfg->n_sources : 1, sizeof *s->sources);
    for (size_t i = 0; i < cfg->n_sources; i++) {
        const struct config_source *src = &cfg->sources[i];
        struct render_source_status *rs = &s->sources[i];
        struct store_source_state ss;
        memset(&ss, 0, sizeof ss);
        if (st)
            store_source_state_get(st, src->id, &ss);
        rs->name = config_source_label(src);
        rs->url = src->url;
        rs->last_success = ss.last_success;
        rs->last_attempt = ss.last_attempt;
        rs->last_error = ss.last_error ? own(s, xstrdup(ss.last_error)) : NULL;
        rs->n_items = ss.n_items;
        store_source_state_free(&ss);
    }
    char *db = xasprintf("%s/cache.db", cfg->data_dir);
    struct stat sb;
    s->rs.cache_bytes = stat(db, &sb) == 0 ? (size_t)sb.st_size : 0;
    free(db);
    s->rs.version = BANGTIN_VERSION;
    s->rs.addresses = s->addresses;
    s->rs.sources = s->sources;
    s->rs.n_sources = cfg->n_sources;
    s->rs.n_items = st ? store_count_items(st) : 0;
    s->rs.uptime_s = uptime_s;
    s->rs.clock_trusted = clock_is_trusted();
    s->rs.clock_synchronised = clock_is_synchronised();
    s->rs.last_errors = s->errors;
    report_collect_urgent(s, st, cfg);
}

void report_free(struct report *s)
{
    for (size_t i = 0; i < s->n_owned; i++)
        free(s->owned[i]);
    free(s->owned);
    free(s->sources);
    store_urgent_free(s->urgent, s->n_urgent);
    for (size_t i = 0; i < s->n_keys; i++)
        free(s->key_ids[i]), free(s->key_names[i]);
    free(s->key_ids);
    free(s->key_names);
    memset(s, 0, sizeof *s);
}

static json_t *time_or_null(int64_t t)
{
    if (t <= 0)
        return json_null();
    char buf[32];
    time_t tt = (time_t)t;
    struct tm tm;
    gmtime_r(&tt, &tm);
    strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
    return json_string(buf);
}

bool report_write_json(const struct report *s, const char *path, int64_t now)
{
    json_t *root = json_object();
    json_object_set_new(root, "version", json_string(s->rs.version));
    json_object_set_new(root, "time", time_or_null(now));
    json_object_set_new(root, "uptime_s",
                        s->rs.uptime_s >= 0 ? json_integer(s->rs.uptime_s) : json_null());
    json_object_set_new(root, "clock_trusted", json_boolean(s->rs.clock_trusted));
    json_object_set_new(root, "clock_synchronised", json_boolean(s->rs.clock_synchronised));
    json_object_set_new(root, "commune_code", json_string(s->rs.commune_code));
    json_t *keys = json_array();
    for (size_t i = 0; i < s->n_keys; i++) {
        json_t *o = json_object();
        json_object_set_new(o, "key_id", json_string(s->key_ids[i]));
        json_object_set_new(o, "name", json_string(s->key_names[i]));
        json_array_append_new(keys, o);
    }
    json_object_set_new(root, "trusted_keys", keys);
    json_t *urgent = json_array();
    for (size_t i = 0; i < s->n_urgent; i++) {
        const struct store_urgent *u = &s->urgent[i];
        json_t *o = json_object();
        json_object_set_new(o, "id", json_string(u->id));
        json_object_set_new(o, "title", json_string(u->title ? u->title : ""));
        json_object_set_new(o, "issuer", json_string(u->issuer ? u->issuer : ""));
        json_object_set_new(o, "verified", json_boolean(u->verified));
        json_object_set_new(o, "expires", time_or_null(u->expires));
        json_array_append_new(urgent, o);
    }
    json_object_set_new(root, "urgent_notices", urgent);
    json_object_set_new(root, "addresses", json_string(s->rs.addresses));
    json_object_set_new(root, "items", json_integer((json_int_t)s->rs.n_items));
    json_object_set_new(root, "cache_bytes", json_integer((json_int_t)s->rs.cache_bytes));
    if (s->push_state) {
        json_t *push = json_object();
        json_object_set_new(push, "state", json_string(s->push_state));
        json_object_set_new(push, "line", json_string(s->push));
        json_object_set_new(root, "push", push);
    }
    json_object_set_new(root, "errors", json_string(s->rs.last_errors ? s->rs.last_errors : ""));
    json_t *arr = json_array();
    for (size_t i = 0; i < s->rs.n_sources; i++) {
        const struct render_source_status *src = &s->rs.sources[i];
        json_t *o = json_object();
        json_object_set_new(o, "name", json_string(src->name));
        json_object_set_new(o, "url", json_string(src->url ? src->url : ""));
        json_object_set_new(o, "last_success", time_or_null(src->last_success));
        json_object_set_new(o, "last_attempt", time_or_null(src->last_attempt));
        json_object_set_new(o, "last_error",
                            src->last_error ? json_string(src->last_error) : json_null());
        json_object_set_new(o, "items", json_integer(src->n_items));
        json_array_append_new(arr, o);
    }
    json_object_set_new(root, "sources", arr);
    /* UTF-8 as it is: "Cổng", not "C\u1ED5ng" (JSON allows it; monitoring tools read it). */
    char *text = json_dumps(root, JSON_INDENT(2));
    json_decref(root);
    if (!text)
        return false;
    char *dir = xstrdup(path);
    char *slash = strrchr(dir, '/');
    if (slash && slash != dir) {
        *slash = '\0';
        util_mkdir_p(dir, 0755);
    }
    free(dir);
    bool ok = util_write_file_atomic(path, text, strlen(text));
    free(text);
    /* Monitoring tools run as other users; the service's UMask=0007 would hide it. */
    if (ok)
        chmod(path, 0644);
    return ok;
}
