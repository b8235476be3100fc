/* status: snapshot of the board's health for the status page and status.json. */
#define LOG_MODULE "status"
#include "status.h"

#include "bangtin/clock.h"
#include "bangtin/config.h"
#include "bangtin/log.h"
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

static const char *own(struct status_snapshot *s, char *str)
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
        snprintf(out, len, "không có mạng (no network)");
}

void status_collect(struct status_snapshot *s, struct store *st, const struct config *cfg,
                    int64_t uptime_s, const char *last_errors)
{
    memset(s, 0, sizeof *s);
    collect_addresses(s->addresses, sizeof s->addresses);
    snprintf(s->errors, sizeof s->errors, "%s", last_errors ? last_errors : "");
    s->sources = xcalloc(cfg->n_sources ? cfg->n_sources : 1, sizeof *s->sources);
    for (size_t i = 0; i < cfg->n_sources; i++) {
        const struct config_source *src = &cfg->sources[i];
        struct render_source_status *rs = &s->sources[i];
        struct store_source_state ss;
        memset(&ss, 0, sizeof ss);
        if (st)
            store_source_state_get(st, src->id, &ss);
        rs->name = src->name ? src->name : src->id;
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
    s->rs.last_errors = s->errors;
}

void status_free(struct status_snapshot *s)
{
    for (size_t i = 0; i < s->n_owned; i++)
        free(s->owned[i]);
    free(s->owned);
    free(s->sources);
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

bool status_write_json(const struct status_snapshot *s, const char *path, int64_t now)
{
    json_t *root = json_object();
    json_object_set_new(root, "version", json_string(s->rs.version));
    json_object_set_new(root, "time", time_or_null(now));
    json_object_set_new(root, "uptime_s", json_integer(s->rs.uptime_s));
    json_object_set_new(root, "clock_trusted", json_boolean(s->rs.clock_trusted));
    json_object_set_new(root, "clock_synchronised", json_boolean(clock_is_synchronised()));
    json_object_set_new(root, "addresses", json_string(s->rs.addresses));
    json_object_set_new(root, "items", json_integer((json_int_t)s->rs.n_items));
    json_object_set_new(root, "cache_bytes", json_integer((json_int_t)s->rs.cache_bytes));
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
    char *text = json_dumps(root, JSON_INDENT(2) | JSON_ENSURE_ASCII);
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
