#define _XOPEN_SOURCE 700 /* strptime */
/* topic: broker URLs, notice topics, the device id, settings from the config. Pure except
 * push_device_id (reads /etc/machine-id). */
#define LOG_MODULE "push"
#include "bangtin/config.h"
#include "bangtin/log.h"
#include "bangtin/push.h"
#include "bangtin/util.h"
#include "push_internal.h"

#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static bool all_digits(const char *s, size_t n)
{
    return strlen(s) == n && strspn(s, "0123456789") == n;
}

static bool id_ok(const char *id)
{
    size_t n = strlen(id);
    return n > 0 && n <= PUSH_MAX_ID &&
           strspn(id, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789._:-") == n;
}

bool push_parse_url(const char *url, char *host, size_t host_len, int *port, bool *tls)
{
    const char *p;
    if (!url)
        return false;
    if (str_starts_with(url, "mqtt://")) {
        *tls = false;
        p = url + 7;
    } else if (str_starts_with(url, "mqtts://")) {
        *tls = true;
        p = url + 8;
    } else {
        return false;
    }
    *port = *tls ? 8883 : 1883;
    const char *end, *colon;
    if (*p == '[') {
        end = strchr(p, ']');
        if (!end)
            return false;
        p++;
        colon = end[1] == ':' ? end + 1 : NULL;
        if (end[1] && !colon && strcmp(end + 1, "/") != 0)
            return false;
    } else {
        end = p + strcspn(p, ":/");
        colon = *end == ':' ? end : NULL;
        if (*end == '/' && end[1])
            return false;
    }
    size_t n = (size_t)(end - p);
    if (n == 0 || n >= host_len || memchr(p, '@', n))
        return false;
    memcpy(host, p, n);
    host[n] = '\0';
    if (colon) {
        char *e;
        long v = strtol(colon + 1, &e, 10);
        if (e == colon + 1 || (*e && strcmp(e, "/") != 0) || v < 1 || v > 65535)
            return false;
        *port = (int)v;
    }
    return true;
}

bool push_notice_topic(const char *target, const char *id, char *out, size_t out_len)
{
    int n;
    if (!target || !id || !id_ok(id))
        return false;
    if (strcmp(target, "all") == 0)
        n = snprintf(out, out_len, PUSH_TOPIC_ROOT "/notice/all/%s", id);
    else if (all_digits(target, 2))
        n = snprintf(out, out_len, PUSH_TOPIC_ROOT "/notice/p/%s/%s", target, id);
    else if (all_digits(target, 5))
        n = snprintf(out, out_len, PUSH_TOPIC_ROOT "/notice/c/%s/%s", target, id);
    else
        return false;
    return n > 0 && (size_t)n < out_len;
}

const char *push_topic_notice_id(const char *topic)
{
    static const char root[] = PUSH_TOPIC_ROOT "/notice/";
    if (!topic || strncmp(topic, root, sizeof root - 1) != 0)
        return NULL;
    const char *p = topic + sizeof root - 1;
    size_t digits = 0;
    if (strncmp(p, "all/", 4) == 0) {
        p += 4;
    } else if (strncmp(p, "p/", 2) == 0 || strncmp(p, "c/", 2) == 0) {
        digits = p[0] == 'p' ? 2 : 5;
        p += 2;
        if (strspn(p, "0123456789") != digits || p[digits] != '/')
            return NULL;
        p += digits + 1;
    } else {
        return NULL;
    }
    return id_ok(p) ? p : NULL;
}

void push_device_id(const char *configured, const char *machine_id_path, char *out, size_t out_len)
{
    if (!str_empty(configured)) {
        snprintf(out, out_len, "%s", configured);
        return;
    }
    char *mid = NULL;
    size_t len = 0;
    char host[256] = "";
    if (!util_read_file(machine_id_path ? machine_id_path : "/etc/machine-id", 4096, &mid, &len) ||
        len < 8) {
        free(mid);
        gethostname(host, sizeof host - 1);
        mid = xstrdup(host[0] ? host : "unknown");
        len = strlen(mid);
        LOG_WARN("no machine id: the device id is derived from the host name \"%s\"", mid);
    }
    while (len && (mid[len - 1] == '\n' || mid[len - 1] == ' '))
        len--;
    /* Keyed: the id names the screen on the broker without revealing its machine id. */
    static const unsigned char key[] = "bangtin push device id v1";
    unsigned char h[8];
    crypto_generichash(h, sizeof h, (const unsigned char *)mid, len, key, sizeof key - 1);
    free(mid);
    char hex[17];
    sodium_bin2hex(hex, sizeof hex, h, sizeof h);
    snprintf(out, out_len, "bt-%s", hex);
}

void push_conn_from_config(const struct config *cfg, struct push_conn *out)
{
    memset(out, 0, sizeof *out);
#define S(x) (str_empty(x) ? NULL : (x))
    out->broker = S(cfg->push_broker);
    out->ca_file = S(cfg->push_ca_file);
    out->username = S(cfg->push_username);
    out->password_file = S(cfg->push_password_file);
    out->client_id = S(cfg->push_device_id);
#undef S
    out->keepalive_s = cfg->push_keepalive_s;
}

void push_format_time(int64_t t, char *out, size_t out_len)
{
    time_t tt = (time_t)t;
    struct tm tm;
    gmtime_r(&tt, &tm);
    strftime(out, out_len, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

int64_t push_parse_time(const char *s)
{
    struct tm tm;
    memset(&tm, 0, sizeof tm);
    if (!s)
        return 0;
    const char *e = strptime(s, "%Y-%m-%dT%H:%M:%SZ", &tm);
    if (!e || *e)
        return 0;
    return (int64_t)timegm(&tm);
}
