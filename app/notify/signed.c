/* Signed notices (DESIGN.md §6, way 2): a small JSON document plus a detached minisign
 * signature. Order of checks, each refusal logged with its reason: signature over the raw
 * bytes (before any parsing) → document → target → expiry (trusted clock only) → per-key
 * sequence number, which the store checks and records in the same transaction as the notice.
 *
 *   {"id":"lu-2026-11","seq":7,"issued":"2026-11-27T08:00:00+07:00",
 *    "expires":"2026-11-28T08:00:00+07:00","title":"…","body":"…","severity":"extreme",
 *    "targets":["all"],"action":"show"}
 *
 * "action":"cancel" removes the notice with that "id" signed by the same key (title, body,
 * severity and expires may then be omitted). */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define LOG_MODULE "notify"
#include "bangtin/config.h"
#include "bangtin/feed.h"
#include "bangtin/log.h"
#include "bangtin/notify.h"
#include "bangtin/store.h"
#include "bangtin/text.h"
#include "bangtin/util.h"
#include "notify_internal.h"

#define MAX_ID_LEN 64

struct signed_doc {
    const char *id; /* borrowed from the json tree */
    int64_t seq, issued, expires;
    const char *title, *body, *instruction, *area;
    int severity;
    bool cancel;
    json_t *targets;
};

const char *notify_verdict_name(enum notify_verdict v)
{
    switch (v) {
    case NOTIFY_ACCEPTED: return "accepted";
    case NOTIFY_CANCELLED: return "cancelled";
    case NOTIFY_BAD_SIGNATURE: return "bad signature";
    case NOTIFY_UNKNOWN_KEY: return "unknown key";
    case NOTIFY_BAD_DOCUMENT: return "bad document";
    case NOTIFY_REPLAYED: return "replayed";
    case NOTIFY_EXPIRED: return "expired";
    case NOTIFY_NOT_TARGETED: return "not targeted";
    case NOTIFY_STORE_FAILED: return "store failed";
    }
    return "?";
}

static const char *const severity_names[] = {"unknown", "minor", "moderate", "severe", "extreme"};

int notify_severity_parse(const char *s)
{
    for (size_t i = 1; s && i < ARRAY_LEN(severity_names); i++)
        if (strcmp(s, severity_names[i]) == 0)
            return (int)i;
    return -1;
}

const char *notify_severity_name(int severity)
{
    if (severity < 0 || (size_t)severity >= ARRAY_LEN(severity_names))
        return "unknown";
    return severity_names[severity];
}

static bool id_valid(const char *id)
{
    size_t n = strlen(id);
    if (n == 0 || n > MAX_ID_LEN)
        return false;
    return strspn(id, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789._:-") == n;
}

/* Optional string member: absent → NULL and true; present but not a string → false. */
static bool get_str(json_t *o, const char *key, const char **out)
{
    json_t *v = json_object_get(o, key);
    *out = NULL;
    if (!v)
        return true;
    if (!json_is_string(v))
        return false;
    *out = json_string_value(v);
    return true;
}

static bool get_date(json_t *o, const char *key, int64_t *out, bool *present)
{
    const char *s;
    *out = 0;
    if (!get_str(o, key, &s))
        return false;
    *present = s != NULL;
    return !s || notify_parse_rfc3339(s, out);
}

/* A title made only of blanks or control characters would be empty on screen. */
static bool title_visible(const char *s)
{
    char *t = text_sanitize_str(s, 0);
    bool ok = t[0] != '\0';
    free(t);
    return ok;
}

/* Type and presence checks; fills d with values borrowed from o. */
static bool doc_parse(json_t *o, struct signed_doc *d, char *why, size_t why_len)
{
    const char *action, *severity;
    bool has_issued, has_expires;
    json_t *seq = json_object_get(o, "seq");
    memset(d, 0, sizeof(*d));
#define FAIL(...) return snprintf(why, why_len, __VA_ARGS__), false
    if (!get_str(o, "id", &d->id) || !d->id || !id_valid(d->id))
        FAIL("\"id\" missing or not 1-%d of [A-Za-z0-9._:-]", MAX_ID_LEN);
    if (!json_is_integer(seq) || json_integer_value(seq) < 1)
        FAIL("\"seq\" missing or not a positive integer");
    d->seq = json_integer_value(seq);
    if (!get_str(o, "action", &action) ||
        (action && strcmp(action, "show") != 0 && strcmp(action, "cancel") != 0))
        FAIL("\"action\" is not \"show\" or \"cancel\"");
    d->cancel = action && strcmp(action, "cancel") == 0;
    if (!get_date(o, "issued", &d->issued, &has_issued) || !has_issued)
        FAIL("\"issued\" missing or not an RFC 3339 date");
    if (!get_date(o, "expires", &d->expires, &has_expires) || (!has_expires && !d->cancel))
        FAIL("\"expires\" missing or not an RFC 3339 date");
    if (has_expires && d->expires <= d->issued)
        FAIL("\"expires\" is not after \"issued\"");
    d->targets = json_object_get(o, "targets");
    if (!json_is_array(d->targets) || json_array_size(d->targets) == 0)
        FAIL("\"targets\" missing or not a non-empty array");
    for (size_t i = 0; i < json_array_size(d->targets); i++)
        if (!json_is_string(json_array_get(d->targets, i)))
            FAIL("\"targets\" holds something that is not a string");
    if (!get_str(o, "title", &d->title) || !get_str(o, "body", &d->body) ||
        !get_str(o, "instruction", &d->instruction) || !get_str(o, "area", &d->area) ||
        !get_str(o, "severity", &severity))
        FAIL("a text member is not a string");
    if (d->cancel)
        return true;
    if (!d->title || !d->body || !title_visible(d->title))
        FAIL("\"title\" (not blank) and \"body\" are required");
    d->severity = notify_severity_parse(severity);
    if (d->severity < 0)
        FAIL("\"severity\" is not minor, moderate, severe or extreme");
#undef FAIL
    return true;
}

static bool doc_targets(const struct signed_doc *d, const struct config *cfg)
{
    for (size_t i = 0; i < json_array_size(d->targets); i++) {
        const char *t = json_string_value(json_array_get(d->targets, i));
        if (strcmp(t, "all") == 0)
            return true;
        /* A 2-digit target is a province (2025 codes: provinces 2 digits, communes 5). */
        if (cfg->province_code && cfg->province_code[0] && strcmp(t, cfg->province_code) == 0)
            return true;
        if (cfg->commune_code && cfg->commune_code[0] && strcmp(t, cfg->commune_code) == 0)
            return true;
    }
    return false;
}

/* quiet: the very document we already applied, fetched again (a full refetch or a server
 * without validators); that is routine, a lower seq is not. */
static enum notify_verdict refuse(enum notify_verdict v, bool quiet, const char *source_id,
                                  const char *reason, char *err, size_t err_len)
{
    log_msg(quiet ? LOG_LEVEL_INFO : LOG_LEVEL_WARN, LOG_MODULE,
            "signed notice from source %s refused: %s: %s", source_id ? source_id : "?",
            notify_verdict_name(v), reason);
    if (err && err_len)
        snprintf(err, err_len, "%s: %s", notify_verdict_name(v), reason);
    return v;
}

/* The row a screen stores for an accepted document (the desk's preview stores the same). */
static void doc_to_urgent(const struct signed_doc *d, const char *id, const char *source_id,
                          const char *signer, struct store_urgent *u)
{
    memset(u, 0, sizeof(*u));
    u->id = (char *)id;
    u->origin = STORE_URGENT_SIGNED;
    u->source_id = (char *)source_id;
    u->issuer = text_sanitize_str(signer, 0);
    u->verified = true;
    u->severity = d->severity;
    u->issued = d->issued;
    u->expires = d->expires;
    if (d->cancel)
        return;
    u->title = text_sanitize_str(d->title, 0);
    u->body = text_sanitize_str(d->body, TEXT_KEEP_NEWLINES);
    u->instruction = d->instruction ? text_sanitize_str(d->instruction, TEXT_KEEP_NEWLINES) : NULL;
    u->area = d->area ? text_sanitize_str(d->area, 0) : NULL;
}

static void urgent_fields_free(struct store_urgent *u)
{
    free(u->title), free(u->body), free(u->instruction), free(u->area), free(u->issuer);
}

/* Store the notice (or the cancel) with its seq in one transaction. */
static enum notify_verdict doc_store(struct store *s, const struct signed_doc *d,
                                     const struct notify_key *k, const char *source_id, bool *quiet,
                                     char *why, size_t why_len)
{
    char hex[17];
    notify_key_id_hex(k, hex);
    int64_t last = store_key_last_seq(s, hex);
    if (d->seq <= last) {
        *quiet = d->seq == last;
        snprintf(why, why_len, "seq %lld is not above %lld, the last accepted from key %s",
                 (long long)d->seq, (long long)last, hex);
        return NOTIFY_REPLAYED;
    }
    char *id = xasprintf("signed:%s:%s", hex, d->id);
    struct store_urgent u;
    char serr[256] = "";
    bool ok;
    doc_to_urgent(d, id, source_id, k->name, &u);
    if (d->cancel)
        ok = store_urgent_put_signed(s, hex, d->seq, NULL, id, serr, sizeof(serr));
    else
        ok = store_urgent_put_signed(s, hex, d->seq, &u, NULL, serr, sizeof(serr));
    urgent_fields_free(&u);
    free(id);
    if (ok)
        return d->cancel ? NOTIFY_CANCELLED : NOTIFY_ACCEPTED;
    /* The store re-checks the seq inside its transaction: tell a lost race from a failure. */
    last = store_key_last_seq(s, hex);
    snprintf(why, why_len, "%s (key %s, seq %lld, last %lld)", serr[0] ? serr : "store error", hex,
             (long long)d->seq, (long long)last);
    return d->seq <= last ? NOTIFY_REPLAYED : NOTIFY_STORE_FAILED;
}

static void doc_outcome(const struct signed_doc *d, const struct notify_key *k,
                        struct notify_outcome *out)
{
    if (!out)
        return;
    snprintf(out->id, sizeof out->id, "%s", d->id);
    notify_key_id_hex(k, out->key_hex);
    out->seq = d->seq;
    out->cancel = d->cancel;
}

/* After the signature: parse and apply the rules. */
static enum notify_verdict doc_accept(struct store *s, const struct config *cfg,
                                      const struct notify_key *k, const char *source_id,
                                      const void *msg, size_t msg_len, int64_t now,
                                      bool clock_trusted, bool *quiet, struct notify_outcome *out,
                                      char *why, size_t why_len)
{
    struct signed_doc d;
    json_error_t jerr;
    if (msg_len > NOTIFY_MAX_DOC_BYTES) {
        snprintf(why, why_len, "document larger than %d bytes", NOTIFY_MAX_DOC_BYTES);
        return NOTIFY_BAD_DOCUMENT;
    }
    json_t *root = json_loadb(msg, msg_len, JSON_REJECT_DUPLICATES, &jerr);
    if (!root) {
        snprintf(why, why_len, "not JSON: %s (line %d)", jerr.text, jerr.line);
        return NOTIFY_BAD_DOCUMENT;
    }
    enum notify_verdict v = NOTIFY_BAD_DOCUMENT;
    if (!json_is_object(root)) {
        snprintf(why, why_len, "not a JSON object");
    } else if (!doc_parse(root, &d, why, why_len)) {
        v = NOTIFY_BAD_DOCUMENT;
    } else if (doc_outcome(&d, k, out), !doc_targets(&d, cfg)) {
        snprintf(why, why_len, "notice %s is not for commune \"%s\" (province \"%s\")", d.id,
                 cfg->commune_code ? cfg->commune_code : "",
                 cfg->province_code ? cfg->province_code : "");
        v = NOTIFY_NOT_TARGETED;
    } else if (clock_trusted && d.expires != 0 && d.expires <= now) {
        snprintf(why, why_len, "notice %s expired %lld s ago", d.id, (long long)(now - d.expires));
        v = NOTIFY_EXPIRED;
    } else {
        v = doc_store(s, &d, k, source_id, quiet, why, why_len);
        if (v == NOTIFY_ACCEPTED || v == NOTIFY_CANCELLED)
            LOG_INFO("signed notice %s from source %s %s (seq %lld, signed by %s)", d.id,
                     source_id ? source_id : "?", notify_verdict_name(v), (long long)d.seq,
                     k->name);
    }
    json_decref(root);
    return v;
}

enum notify_verdict notify_accept_signed(struct store *s, const struct config *cfg,
                                         const char *source_id, const void *msg, size_t msg_len,
                                         const char *sig, size_t sig_len, int64_t now,
                                         bool clock_trusted, char *err, size_t err_len)
{
    return notify_accept_signed_info(s, cfg, source_id, msg, msg_len, sig, sig_len, now,
                                     clock_trusted, NULL, true, err, err_len);
}

enum notify_verdict notify_accept_signed_info(struct store *s, const struct config *cfg,
                                              const char *source_id, const void *msg,
                                              size_t msg_len, const char *sig, size_t sig_len,
                                              int64_t now, bool clock_trusted,
                                              struct notify_outcome *out, bool log_refusal,
                                              char *err, size_t err_len)
{
    if (out)
        memset(out, 0, sizeof *out);
    struct notify_key *keys;
    const struct notify_key *signer = NULL;
    char why[512] = "";
    bool quiet = false;
    size_t n_keys = notify_keys_from_config(cfg, &keys);
    enum notify_verdict v;
    if (n_keys == 0) {
        snprintf(why, sizeof(why), "no trusted_key is pinned in [urgent]");
        v = NOTIFY_UNKNOWN_KEY;
    } else {
        v = notify_check_signature(keys, n_keys, msg, msg_len, sig, sig_len, &signer, why,
                                   sizeof(why));
    }
    if (v == NOTIFY_ACCEPTED)
        v = doc_accept(s, cfg, signer, source_id, msg, msg_len, now, clock_trusted, &quiet, out,
                       why, sizeof(why));
    if (out)
        out->unchanged = v == NOTIFY_REPLAYED && quiet;
    notify_keys_free(keys, n_keys);
    if (v == NOTIFY_ACCEPTED || v == NOTIFY_CANCELLED) {
        if (err && err_len)
            err[0] = '\0';
        return v;
    }
    if (!log_refusal) {
        if (err && err_len)
            snprintf(err, err_len, "%s: %s", notify_verdict_name(v), why);
        return v;
    }
    return refuse(v, quiet, source_id, why, err, err_len);
}

bool notify_store_preview(struct store *s, const char *source_id, const void *msg, size_t msg_len,
                          const char *signer, char *err, size_t err_len)
{
    struct signed_doc d;
    json_error_t jerr;
    char why[256] = "";
    json_t *root = msg_len <= NOTIFY_MAX_DOC_BYTES
                       ? json_loadb(msg, msg_len, JSON_REJECT_DUPLICATES, &jerr)
                       : NULL;
    bool ok = root && json_is_object(root) && doc_parse(root, &d, why, sizeof(why)) && !d.cancel;
    if (ok) {
        struct store_urgent u;
        char *id = xasprintf("signed:preview:%s", d.id);
        doc_to_urgent(&d, id, source_id, signer, &u);
        ok = store_urgent_put(s, &u);
        if (!ok)
            snprintf(why, sizeof(why), "store error");
        urgent_fields_free(&u);
        free(id);
    } else if (!why[0]) {
        snprintf(why, sizeof(why), "not a notice document");
    }
    json_decref(root);
    if (!ok && err && err_len)
        snprintf(err, err_len, "%s", why);
    return ok;
}
