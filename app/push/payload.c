/* payload: the notice payload {"notice": …, "minisig": …} and the screen's status document.
 * Pure: bytes in, bytes out. Everything a broker sends passes push_payload_parse first (the
 * fuzz harness tests/fuzz/fuzz_push.c drives it and the verification behind it). */
#include "bangtin/notify.h"
#include "bangtin/push.h"
#include "bangtin/util.h"
#include "push_internal.h"

#include <jansson.h>
#include <stdio.h>
#include <string.h>

static bool member(json_t *root, const char *key, size_t max, char **out, size_t *out_len,
                   char *err, size_t err_len)
{
    json_t *v = json_object_get(root, key);
    if (!json_is_string(v)) {
        snprintf(err, err_len, "payload: \"%s\" missing or not a string", key);
        return false;
    }
    size_t n = json_string_length(v);
    if (n == 0 || n > max) {
        snprintf(err, err_len, "payload: \"%s\" is empty or longer than %zu bytes", key, max);
        return false;
    }
    *out = xstrndup(json_string_value(v), n);
    *out_len = n;
    return true;
}

bool push_payload_parse(const void *data, size_t len, char **notice, size_t *notice_len,
                        char **minisig, size_t *minisig_len, char *err, size_t err_len)
{
    *notice = *minisig = NULL;
    *notice_len = *minisig_len = 0;
    if (len > PUSH_MAX_PAYLOAD) {
        snprintf(err, err_len, "payload: %zu bytes, more than %d", len, PUSH_MAX_PAYLOAD);
        return false;
    }
    json_error_t jerr;
    /* No JSON_ALLOW_NUL: a "\u0000" inside either text is refused by jansson. */
    json_t *root = json_loadb(data, len, JSON_REJECT_DUPLICATES, &jerr);
    if (!root) {
        snprintf(err, err_len, "payload: not JSON: %s", jerr.text);
        return false;
    }
    bool ok = false;
    if (!json_is_object(root))
        snprintf(err, err_len, "payload: not a JSON object");
    else if (member(root, "notice", NOTIFY_MAX_DOC_BYTES, notice, notice_len, err, err_len) &&
             member(root, "minisig", NOTIFY_MAX_SIG_BYTES, minisig, minisig_len, err, err_len))
        ok = true;
    json_decref(root);
    if (!ok) {
        free(*notice);
        free(*minisig);
        *notice = *minisig = NULL;
    }
    return ok;
}

char *push_payload_make(const char *notice, size_t notice_len, const char *minisig,
                        size_t minisig_len)
{
    if (memchr(notice, 0, notice_len) || memchr(minisig, 0, minisig_len))
        return NULL;
    json_t *n = json_stringn(notice, notice_len), *s = json_stringn(minisig, minisig_len);
    if (!n || !s) { /* not UTF-8 */
        json_decref(n);
        json_decref(s);
        return NULL;
    }
    json_t *root = json_object();
    json_object_set_new(root, "notice", n);
    json_object_set_new(root, "minisig", s);
    char *text = json_dumps(root, JSON_COMPACT);
    json_decref(root);
    return text;
}

static json_t *str_or_null(const char *s)
{
    return s ? json_string(s) : json_null();
}

static json_t *time_or_null(int64_t t)
{
    char buf[32];
    if (t <= 0)
        return json_null();
    push_format_time(t, buf, sizeof buf);
    return json_string(buf);
}

char *push_status_json(const struct push_screen_status *s)
{
    json_t *o = json_object();
    json_object_set_new(o, "online", json_true());
    json_object_set_new(o, "device", str_or_null(s->device_id));
    json_object_set_new(o, "version", str_or_null(s->version));
    json_object_set_new(o, "province", str_or_null(s->province_code));
    json_object_set_new(o, "commune", str_or_null(s->commune_code));
    json_object_set_new(o, "office", str_or_null(s->office_name));
    json_object_set_new(o, "showing", str_or_null(s->showing));
    json_object_set_new(o, "last_error", str_or_null(s->last_error));
    json_object_set_new(o, "ip", str_or_null(s->ip));
    json_object_set_new(o, "uptime_s", json_integer(s->uptime_s));
    json_object_set_new(o, "at", time_or_null(s->now));
    json_t *arr = json_array();
    for (size_t i = 0; i < s->n_sources; i++) {
        json_t *src = json_object();
        json_object_set_new(src, "name", str_or_null(s->sources[i].name));
        json_object_set_new(src, "last_success", time_or_null(s->sources[i].last_success));
        json_object_set_new(src, "last_error", str_or_null(s->sources[i].last_error));
        json_array_append_new(arr, src);
    }
    json_object_set_new(o, "sources", arr);
    arr = json_array();
    for (size_t i = 0; i < s->n_active; i++)
        json_array_append_new(arr, json_string(s->active_notices[i]));
    json_object_set_new(o, "active_notices", arr);
    /* json_string(NULL-invalid UTF-8) yields NULL members: dumps still succeeds without them. */
    char *text = json_dumps(o, JSON_COMPACT);
    json_decref(o);
    return text;
}

char *push_ack_json(const char *result, const char *reason, const char *at)
{
    json_t *o = json_object();
    json_object_set_new(o, "result", json_string(result ? result : "refused"));
    json_object_set_new(o, "reason", reason ? json_string(reason) : json_null());
    json_object_set_new(o, "at", json_string(at ? at : ""));
    char *text = json_dumps(o, JSON_COMPACT);
    json_decref(o);
    return text;
}
