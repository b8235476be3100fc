/* units: Vietnam's administrative units of the two-level system (34 provinces/cities, 3,321
 * communes/wards/special zones) from assets/admin-units/units-2025.csv, and the check of the
 * [push]/[urgent] settings that uses them. */
#define LOG_MODULE "config"
#include "bangtin/config.h"
#include "bangtin/log.h"
#include "bangtin/push.h"
#include "bangtin/util.h"
#include "push_internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define UNITS_MAX_BYTES (4u << 20)

struct push_units {
    struct push_unit *v; /* provinces first, then communes; each sorted by code (the file's
                          * order is by province, then unit code) */
    size_t n, n_provinces;
};

static int unit_cmp(const void *a, const void *b)
{
    const struct push_unit *x = a, *y = b;
    size_t lx = strlen(x->code), ly = strlen(y->code);
    if (lx != ly)
        return lx < ly ? -1 : 1;
    return strcmp(x->code, y->code);
}

static bool digits(const char *s, size_t n)
{
    return strlen(s) == n && strspn(s, "0123456789") == n;
}

static void add(struct push_units *u, size_t *cap, const char *code, const char *name,
                const char *pcode, const char *pname)
{
    if (u->n == *cap) {
        *cap = *cap ? *cap * 2 : 512;
        u->v = xrealloc(u->v, *cap * sizeof *u->v);
    }
    struct push_unit *x = &u->v[u->n++];
    memset(x, 0, sizeof *x);
    snprintf(x->code, sizeof x->code, "%s", code);
    snprintf(x->province_code, sizeof x->province_code, "%s", pcode);
    x->name = xstrdup(name);
    x->province_name = xstrdup(pname);
}

struct push_units *push_units_load(const char *csv_path, char *err, size_t err_len)
{
    char *text = NULL;
    size_t len = 0;
    if (!util_read_file(csv_path, UNITS_MAX_BYTES, &text, &len)) {
        snprintf(err, err_len, "%s: cannot read", csv_path);
        return NULL;
    }
    struct push_units *u = xcalloc(1, sizeof *u);
    size_t cap = 0, line = 0;
    char *save = NULL, last_province[4] = "";
    for (char *l = strtok_r(text, "\n", &save); l; l = strtok_r(NULL, "\n", &save)) {
        line++;
        l[strcspn(l, "\r")] = '\0';
        if (line == 1 && str_starts_with(l, "province_code,"))
            continue;
        char *f[5];
        size_t nf = 0;
        for (char *p = l; nf < 5; nf++) {
            f[nf] = p;
            char *c = strchr(p, ',');
            if (!c) {
                nf++;
                break;
            }
            *c = '\0';
            p = c + 1;
        }
        if (nf != 5 || !digits(f[0], 2) || !digits(f[2], 5) || !f[1][0] || !f[3][0]) {
            snprintf(err, err_len,
                     "%s:%zu: expected province_code,province_name,unit_code,"
                     "unit_name,unit_type",
                     csv_path, line);
            push_units_free(u);
            free(text);
            return NULL;
        }
        if (strcmp(last_province, f[0]) != 0) {
            snprintf(last_province, sizeof last_province, "%s", f[0]);
            if (!push_units_find(u, f[0]))
                add(u, &cap, f[0], f[1], f[0], f[1]);
        }
        add(u, &cap, f[2], f[3], f[0], f[1]);
    }
    free(text);
    qsort(u->v, u->n, sizeof *u->v, unit_cmp);
    for (size_t i = 0; i < u->n && strlen(u->v[i].code) == 2; i++)
        u->n_provinces++;
    if (u->n_provinces == 0) {
        snprintf(err, err_len, "%s: no units", csv_path);
        push_units_free(u);
        return NULL;
    }
    return u;
}

void push_units_free(struct push_units *u)
{
    if (!u)
        return;
    for (size_t i = 0; i < u->n; i++) {
        free(u->v[i].name);
        free(u->v[i].province_name);
    }
    free(u->v);
    free(u);
}

const struct push_unit *push_units_find(const struct push_units *u, const char *code)
{
    if (!u || !code)
        return NULL;
    struct push_unit key;
    memset(&key, 0, sizeof key);
    snprintf(key.code, sizeof key.code, "%s", code);
    if (strlen(code) >= sizeof key.code)
        return NULL;
    /* Loading appends provinces in file order; before the sort, search linearly. */
    for (size_t i = 0; i < u->n && u->n_provinces == 0; i++)
        if (strcmp(u->v[i].code, code) == 0)
            return &u->v[i];
    if (u->n_provinces == 0)
        return NULL;
    return bsearch(&key, u->v, u->n, sizeof *u->v, unit_cmp);
}

size_t push_units_all(const struct push_units *u, const struct push_unit **out)
{
    *out = u ? u->v : NULL;
    return u ? u->n : 0;
}

static int check_file(const char *key, const char *path, enum log_level lvl)
{
    if (str_empty(path) || access(path, R_OK) == 0)
        return 0;
    log_msg(lvl, LOG_MODULE, "[push].%s: %s is not readable", key, path);
    return 1;
}

static void check_codes(const struct config *cfg, const char *units_csv, bool strict)
{
    /* --check-config names the units; a normal start only warns. */
    enum log_level named = strict ? LOG_LEVEL_INFO : LOG_LEVEL_DBG;
    const char *pc = cfg->province_code, *cc = cfg->commune_code;
    if (str_empty(pc) && str_empty(cc))
        return;
    if (!str_empty(pc) && !digits(pc, 2))
        LOG_WARN("[urgent].province_code: \"%s\" is not a 2-digit province code", pc);
    if (!str_empty(cc) && !digits(cc, 5))
        LOG_WARN("[urgent].commune_code: \"%s\" is not a 5-digit commune code", cc);
    char err[256];
    struct push_units *u = units_csv ? push_units_load(units_csv, err, sizeof err) : NULL;
    if (!u) {
        if (units_csv)
            LOG_WARN("administrative units not checked: %s", err);
        return;
    }
    const struct push_unit *p = str_empty(pc) ? NULL : push_units_find(u, pc);
    const struct push_unit *c = str_empty(cc) ? NULL : push_units_find(u, cc);
    if (!str_empty(pc) && (!p || strlen(pc) != 2))
        LOG_WARN("[urgent].province_code: %s is not a province of the 2025 list", pc);
    else if (p)
        log_msg(named, LOG_MODULE, "[urgent].province_code: %s = %s", pc, p->name);
    if (!str_empty(cc) && (!c || strlen(cc) != 5))
        LOG_WARN("[urgent].commune_code: %s is not a commune, ward or special zone of the 2025 "
                 "list",
                 cc);
    else if (c)
        log_msg(named, LOG_MODULE, "[urgent].commune_code: %s = %s, %s", cc, c->name,
                c->province_name);
    if (c && p && strcmp(c->province_code, p->code) != 0)
        LOG_WARN("[urgent]: commune %s is in province %s (%s), not %s", cc, c->province_code,
                 c->province_name, pc);
    push_units_free(u);
}

int push_config_check(const struct config *cfg, const char *units_csv, bool strict)
{
    enum log_level lvl = strict ? LOG_LEVEL_ERR : LOG_LEVEL_WARN;
    int n = 0;
    check_codes(cfg, units_csv, strict);
    if (str_empty(cfg->push_broker))
        return 0;
    char host[256];
    int port;
    bool tls;
    if (!push_parse_url(cfg->push_broker, host, sizeof host, &port, &tls)) {
        log_msg(lvl, LOG_MODULE,
                "[push].broker: \"%s\" is not mqtt://host[:port] or mqtts://host[:port]",
                cfg->push_broker);
        n++;
    } else if (!tls && strcmp(host, "127.0.0.1") != 0 && strcmp(host, "localhost") != 0 &&
               strcmp(host, "::1") != 0) {
        LOG_WARN("[push].broker: %s is not encrypted (use mqtts:// beyond the board itself)",
                 cfg->push_broker);
    }
    n += check_file("ca_file", cfg->push_ca_file, lvl);
    n += check_file("password_file", cfg->push_password_file, lvl);
    if (!str_empty(cfg->push_password_file) && str_empty(cfg->push_username)) {
        log_msg(lvl, LOG_MODULE, "[push].password_file needs [push].username");
        n++;
    }
    if (str_empty(cfg->province_code) && str_empty(cfg->commune_code))
        LOG_WARN("[push]: no [urgent] province_code or commune_code: only notices for \"all\" "
                 "reach this screen");
    return n;
}
