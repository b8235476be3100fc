#define _XOPEN_SOURCE 700 /* strptime */
/* desk form: the compose form's fields → checked values and Vietnamese messages that say what
 * to do; the checked form → the notice document (jansson, the format of notify/signed.c). */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "bangtin/clock.h"
#include "bangtin/text.h"
#include "bangtin/util.h"
#include "desk_priv.h"

static void add_err(struct desk_form *f, char *msg)
{
    if (f->n_errors < ARRAY_LEN(f->errors))
        f->errors[f->n_errors++] = msg;
    else
        free(msg);
}

/* "2h", "3d", "45m"; "2026-12-07T08:00" (what <input type=datetime-local> sends, local time),
 * "2026-12-07 08:00", "07/12/2026 08:00", or RFC 3339 with a zone. */
bool desk_parse_expires(const char *s, int64_t now, int64_t *out)
{
    int64_t d;
    if (!s || !*s)
        return false;
    if (strspn(s, "0123456789") > 0 && strlen(s) <= 8 && str_parse_duration(s, &d) && d > 0) {
        *out = now + d;
        return true;
    }
    struct tm tm;
    memset(&tm, 0, sizeof(tm));
    const char *end = strptime(s, "%Y-%m-%dT%H:%M", &tm);
    if (!end)
        end = strptime(s, "%Y-%m-%d %H:%M", &tm);
    if (!end) {
        memset(&tm, 0, sizeof(tm));
        end = strptime(s, "%d/%m/%Y %H:%M", &tm);
    }
    if (!end)
        return false;
    int sec = 0;
    if (*end == ':') {
        char *e2;
        sec = (int)strtol(end + 1, &e2, 10);
        if (e2 == end + 1 || sec < 0 || sec > 59)
            return false;
        end = e2;
    }
    int64_t days = clock_days_from_civil(tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday);
    int64_t t = days * 86400 + tm.tm_hour * 3600 + tm.tm_min * 60 + sec;
    if (*end == 'Z' && end[1] == '\0') {
        *out = t;
        return true;
    }
    if ((*end == '+' || *end == '-') && strlen(end) == 6 && end[3] == ':') {
        int hh = atoi(end + 1), mm = atoi(end + 4);
        int64_t off = hh * 3600 + mm * 60;
        *out = *end == '+' ? t - off : t + off;
        return true;
    }
    if (*end != '\0')
        return false;
    /* Local wall time: the offset of the machine's zone at that moment. */
    struct tm lt = tm;
    lt.tm_sec = sec;
    lt.tm_isdst = -1;
    time_t tt = mktime(&lt);
    if (tt == (time_t)-1)
        return false;
    *out = (int64_t)tt;
    return true;
}

static const char *const severities[] = {"extreme", "severe", "moderate", "minor"};

void desk_form_read(struct desk *d, const struct http_req *r, struct desk_form *f, int64_t now,
                    bool resolve_name)
{
    memset(f, 0, sizeof(*f));
    f->title = text_sanitize_str(http_field(r, "title"), 0);
    f->body = text_sanitize_str(http_field(r, "body"), TEXT_KEEP_NEWLINES);
    f->severity = text_sanitize_str(http_field(r, "severity"), 0);
    f->expires = text_sanitize_str(http_field(r, "expires"), 0);
    f->target_name = text_sanitize_str(http_field(r, "target_name"), 0);
    if (!f->severity[0])
        free(f->severity), f->severity = xstrdup("severe");
    if (!f->expires[0])
        free(f->expires), f->expires = xstrdup("24h");

    const char *raw[DESK_MAX_TARGETS * 2];
    size_t n = http_fields(r, "targets", raw, ARRAY_LEN(raw));
    for (size_t i = 0; i < n; i++) {
        bool dup = false;
        for (size_t j = 0; j < f->n_targets; j++)
            dup |= strcmp(f->targets[j], raw[i]) == 0;
        if (dup || !raw[i][0])
            continue;
        if (strcmp(raw[i], "all") != 0 && !units_by_code(&d->units, raw[i])) {
            add_err(f, xasprintf("Không có đơn vị hành chính mã \"%s\". Hãy tìm nơi nhận theo "
                                 "tên rồi đánh dấu trong danh sách.",
                                 raw[i]));
            continue;
        }
        if (f->n_targets >= DESK_MAX_TARGETS) {
            add_err(f, xasprintf("Chọn tối đa %d nơi nhận; nếu cần nhiều hơn, hãy chọn cả tỉnh "
                                 "hoặc \"Tất cả màn hình\".",
                                 DESK_MAX_TARGETS));
            break;
        }
        f->targets[f->n_targets++] = raw[i];
    }
    /* A name typed (or picked from the list) in the search box counts as a target too. */
    if (f->target_name[0] && resolve_name) {
        const struct unit *u = units_by_label(&d->units, f->target_name);
        const struct unit *hits[2];
        if (!u && units_search(&d->units, f->target_name, hits, 2) == 1)
            u = hits[0];
        if (u && f->n_targets < DESK_MAX_TARGETS) {
            bool dup = false;
            for (size_t j = 0; j < f->n_targets; j++)
                dup |= strcmp(f->targets[j], u->code) == 0;
            if (!dup)
                f->targets[f->n_targets++] = u->code;
        } else if (!u) {
            add_err(f, xasprintf("Không tìm thấy đúng một đơn vị tên \"%s\". Gõ một phần tên "
                                 "(ví dụ \"Hương Khê\") rồi bấm \"Tìm\" và đánh dấu đơn vị "
                                 "cần gửi trong danh sách.",
                                 f->target_name));
        }
    }

    if (!f->title[0])
        add_err(f, xstrdup("Chưa có tiêu đề. Hãy nhập một tiêu đề ngắn, ví dụ \"Cảnh báo lũ "
                           "trên sông La\"."));
    else if (text_codepoints(f->title) > DESK_TITLE_MAX)
        add_err(f, xasprintf("Tiêu đề dài %zu ký tự, tối đa %d. Hãy rút gọn tiêu đề và đưa "
                             "chi tiết vào phần nội dung.",
                             text_codepoints(f->title), DESK_TITLE_MAX));
    if (text_codepoints(f->body) > DESK_BODY_MAX)
        add_err(f, xasprintf("Nội dung dài %zu ký tự, tối đa %d. Màn hình chỉ hiện vài trang: "
                             "hãy giữ những điều người dân cần làm, bỏ phần còn lại.",
                             text_codepoints(f->body), DESK_BODY_MAX));
    bool sev_ok = false;
    for (size_t i = 0; i < ARRAY_LEN(severities); i++)
        sev_ok |= strcmp(f->severity, severities[i]) == 0;
    if (!sev_ok)
        add_err(f, xstrdup("Hãy chọn mức độ: Cực kỳ nghiêm trọng, Nghiêm trọng, Trung bình "
                           "hoặc Nhẹ."));
    if (!desk_parse_expires(f->expires, now, &f->expires_at))
        add_err(f, xasprintf("Không hiểu thời hạn \"%s\". Hãy ghi 30m (30 phút), 2h (2 giờ), "
                             "3d (3 ngày) hoặc ngày giờ như 07/12/2026 08:00.",
                             f->expires));
    else if (f->expires_at <= now) {
        char t[32];
        struct clock_local l;
        clock_to_local(f->expires_at, &l);
        snprintf(t, sizeof(t), "%02d:%02d %02d/%02d/%04d", l.hour, l.minute, l.day, l.month,
                 l.year);
        add_err(f, xasprintf("Thời hạn %s đã qua. Hãy chọn một thời điểm sau bây giờ, ví dụ "
                             "24h.",
                             t));
    } else if (f->expires_at - now > 366LL * 86400)
        add_err(f, xstrdup("Thời hạn quá một năm. Thông báo khẩn cần có hạn gần hơn."));
    if (f->n_targets == 0 && !f->target_name[0])
        add_err(f, xstrdup("Chưa chọn nơi nhận. Đánh dấu \"Tất cả màn hình\" hoặc tìm tỉnh, xã "
                           "theo tên rồi đánh dấu."));
}

void desk_form_free(struct desk_form *f)
{
    free(f->title), free(f->body), free(f->severity), free(f->expires), free(f->target_name);
    for (size_t i = 0; i < f->n_errors; i++)
        free((char *)f->errors[i]);
    memset(f, 0, sizeof(*f));
}

static char *rfc3339(int64_t t)
{
    time_t tt = (time_t)t;
    struct tm tm;
    char out[32];
    gmtime_r(&tt, &tm);
    strftime(out, sizeof(out), "%Y-%m-%dT%H:%M:%SZ", &tm);
    return xstrdup(out);
}

static json_t *targets_json(const char *const *targets, size_t n)
{
    json_t *a = json_array();
    for (size_t i = 0; i < n; i++)
        json_array_append_new(a, json_string(targets[i]));
    return a;
}

static char *dump(json_t *o)
{
    char *s = json_dumps(o, JSON_COMPACT | JSON_PRESERVE_ORDER);
    json_decref(o);
    char *out = xasprintf("%s\n", s);
    free(s);
    return out;
}

char *desk_form_doc(const struct desk *d, const struct desk_form *f, const char *id, int64_t seq,
                    int64_t now)
{
    (void)d;
    char *issued = rfc3339(now), *expires = rfc3339(f->expires_at);
    json_t *o = json_object();
    json_object_set_new(o, "id", json_string(id));
    json_object_set_new(o, "seq", json_integer(seq));
    json_object_set_new(o, "action", json_string("show"));
    json_object_set_new(o, "issued", json_string(issued));
    json_object_set_new(o, "expires", json_string(expires));
    json_object_set_new(o, "severity", json_string(f->severity));
    json_object_set_new(o, "title", json_string(f->title));
    json_object_set_new(o, "body", json_string(f->body));
    json_object_set_new(o, "targets", targets_json(f->targets, f->n_targets));
    free(issued), free(expires);
    return dump(o);
}

char *desk_cancel_doc(const char *id, int64_t seq, const char *const *targets, size_t n_targets,
                      int64_t now)
{
    char *issued = rfc3339(now);
    json_t *o = json_object();
    json_object_set_new(o, "id", json_string(id));
    json_object_set_new(o, "seq", json_integer(seq));
    json_object_set_new(o, "action", json_string("cancel"));
    json_object_set_new(o, "issued", json_string(issued));
    json_object_set_new(o, "targets", targets_json(targets, n_targets));
    free(issued);
    return dump(o);
}
