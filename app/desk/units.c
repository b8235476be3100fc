/* desk_units: the administrative units CSV → searchable list. The file's format is fixed and
 * documented in assets/admin-units/README.md (UTF-8, header row, five comma-separated fields,
 * no quoting); a row that does not fit is refused, not guessed at. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bangtin/text.h"
#include "bangtin/util.h"
#include "desk_units.h"

static void add(struct units *us, const char *code, const char *name, const char *label,
                bool province)
{
    us->u = xrealloc(us->u, (us->n + 1) * sizeof(*us->u));
    struct unit *u = &us->u[us->n++];
    memset(u, 0, sizeof(*u));
    snprintf(u->code, sizeof(u->code), "%s", code);
    u->name = xstrdup(name);
    u->label = xstrdup(label);
    u->key = text_fold_key(label);
    u->province = province;
}

bool units_load(struct units *us, const char *csv_path, char *err, size_t err_len)
{
    char *text;
    size_t len;
    memset(us, 0, sizeof(*us));
    if (!util_read_file(csv_path, 4u << 20, &text, &len)) {
        snprintf(err, err_len, "cannot read %s", csv_path);
        return false;
    }
    char *save = NULL, last_prov[8] = "";
    int lineno = 0;
    bool ok = true;
    for (char *line = strtok_r(text, "\n", &save); line && ok; line = strtok_r(NULL, "\n", &save)) {
        lineno++;
        if (lineno == 1)
            continue; /* header */
        char *f[5];
        size_t n = 0;
        for (char *p = line; n < 5; n++) {
            f[n] = p;
            char *c = strchr(p, ',');
            if (!c) {
                n++;
                break;
            }
            *c = '\0';
            p = c + 1;
        }
        if (n != 5 || strlen(f[0]) != 2 || strlen(f[2]) != 5 || strchr(f[4], ',') ||
            strchr(line, '"')) {
            snprintf(err, err_len,
                     "%s:%d: not province_code,province_name,unit_code,unit_name,"
                     "unit_type",
                     csv_path, lineno);
            ok = false;
            break;
        }
        if (strcmp(f[0], last_prov) != 0) {
            snprintf(last_prov, sizeof(last_prov), "%s", f[0]);
            add(us, f[0], f[1], f[1], true);
        }
        char *label = xasprintf("%s — %s", f[3], f[1]);
        add(us, f[2], f[3], label, false);
        free(label);
    }
    free(text);
    if (ok && us->n == 0) {
        snprintf(err, err_len, "%s: no units", csv_path);
        ok = false;
    }
    if (!ok)
        units_free(us);
    return ok;
}

void units_free(struct units *us)
{
    for (size_t i = 0; i < us->n; i++)
        free(us->u[i].name), free(us->u[i].label), free(us->u[i].key);
    free(us->u);
    memset(us, 0, sizeof(*us));
}

const struct unit *units_by_code(const struct units *us, const char *code)
{
    for (size_t i = 0; code && i < us->n; i++)
        if (strcmp(us->u[i].code, code) == 0)
            return &us->u[i];
    return NULL;
}

const struct unit *units_by_label(const struct units *us, const char *text)
{
    if (!text)
        return NULL;
    char *t = text_sanitize_str(text, 0);
    const struct unit *found = units_by_code(us, t);
    for (size_t i = 0; i < us->n && !found; i++)
        if (strcmp(us->u[i].label, t) == 0)
            found = &us->u[i];
    if (!found) {
        /* Same label up to case and tone-mark placement ("Hoà"/"Hòa"). */
        char *k = text_fold_key(t);
        const struct unit *only = NULL;
        int hits = 0;
        for (size_t i = 0; i < us->n; i++)
            if (strcmp(us->u[i].key, k) == 0)
                only = &us->u[i], hits++;
        if (hits == 1)
            found = only;
        free(k);
    }
    free(t);
    return found;
}

static bool has_words(const char *key, const char *query_key)
{
    char *q = xstrdup(query_key), *save = NULL;
    bool all = true;
    for (char *w = strtok_r(q, " ", &save); w && all; w = strtok_r(NULL, " ", &save)) {
        /* whole-word prefix match: "khe" finds "khe", not "khen" inside another word */
        size_t wl = strlen(w);
        bool hit = false;
        for (const char *p = key; (p = strstr(p, w)) != NULL; p++)
            if ((p == key || p[-1] == ' ') && (p[wl] == ' ' || p[wl] == '\0')) {
                hit = true;
                break;
            }
        all = hit;
    }
    free(q);
    return all;
}

size_t units_search(const struct units *us, const char *query, const struct unit **out, size_t max)
{
    char *qk = text_fold_key(query);
    size_t n = 0;
    if (qk[0])
        for (int pass = 0; pass < 2; pass++)
            for (size_t i = 0; i < us->n && n < max; i++)
                if (us->u[i].province == (pass == 0) && has_words(us->u[i].key, qk))
                    out[n++] = &us->u[i];
    free(qk);
    return n;
}
