/* wire: the frames between the kiosk and its fetch process (proc.c, child.c).
 *
 * A frame is a 4-byte magic ("BTJ1" a job, "BTR1" a result), a 32-bit payload length and the
 * payload: fields in a fixed order, integers little-endian, strings and byte strings as a
 * 32-bit length (0xFFFFFFFF for NULL) and the bytes. Both ends are the same binary, so the
 * format has no versioning beyond the magic; still, every length is checked against what is
 * left and against a cap, because a reader must never trust its peer's memory. Pure. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bangtin/log.h"
#include "bangtin/util.h"
#include "net_internal.h"

#define WIRE_NULL 0xFFFFFFFFu

/* ---- writing ---- */

static void put_u32(struct buf *b, uint32_t v)
{
    unsigned char x[4] = {(unsigned char)v, (unsigned char)(v >> 8), (unsigned char)(v >> 16),
                          (unsigned char)(v >> 24)};
    buf_append(b, x, sizeof x);
}

static void put_i64(struct buf *b, int64_t v)
{
    uint64_t u = (uint64_t)v;
    put_u32(b, (uint32_t)u);
    put_u32(b, (uint32_t)(u >> 32));
}

static void put_bytes(struct buf *b, const char *s, size_t len)
{
    if (!s) {
        put_u32(b, WIRE_NULL);
        return;
    }
    put_u32(b, (uint32_t)len);
    buf_append(b, s, len);
}

static void put_str(struct buf *b, const char *s)
{
    put_bytes(b, s, s ? strlen(s) : 0);
}

static void frame_begin(struct buf *b, const char magic[4])
{
    buf_init(b, 0);
    buf_append(b, magic, 4);
    put_u32(b, 0); /* the length, filled in by frame_end */
}

static char *frame_end(struct buf *b, size_t *len)
{
    uint32_t n = (uint32_t)(b->len - NET_WIRE_HEADER);
    for (int i = 0; i < 4; i++)
        b->data[4 + i] = (char)(unsigned char)(n >> (8 * i));
    *len = b->len;
    return buf_steal(b);
}

char *net_wire_job_encode(const struct net_wire_job *j, size_t *len)
{
    struct buf b;
    frame_begin(&b, NET_WIRE_JOB_MAGIC);
    put_i64(&b, j->lim.connect_timeout_s);
    put_i64(&b, j->lim.total_timeout_s);
    put_i64(&b, j->lim.low_speed_time_s);
    put_i64(&b, j->lim.low_speed_limit);
    put_i64(&b, (int64_t)j->lim.max_bytes);
    put_i64(&b, j->lim.max_redirects);
    put_str(&b, j->lim.user_agent);
    put_str(&b, j->lim.ca_file);
    put_str(&b, j->req.url);
    put_str(&b, j->req.etag);
    put_str(&b, j->req.last_modified);
    put_u32(&b, (j->req.allow_file ? 1u : 0u) | (j->listing ? 2u : 0u) |
                    (j->fetch_signature ? 4u : 0u));
    put_i64(&b, j->want_items);
    put_i64(&b, j->clock_evidence);
    put_u32(&b, (uint32_t)j->log_level);
    return frame_end(&b, len);
}

char *net_wire_result_encode(const struct net_response *r, const char *sig, size_t sig_len,
                             size_t *len)
{
    struct buf b;
    frame_begin(&b, NET_WIRE_RESULT_MAGIC);
    put_u32(&b, (uint32_t)r->status);
    put_i64(&b, r->http_code);
    put_bytes(&b, r->body, r->len);
    put_str(&b, r->etag);
    put_str(&b, r->last_modified);
    put_str(&b, r->content_type);
    put_str(&b, r->charset);
    put_i64(&b, r->wp_total_pages);
    put_i64(&b, r->wp_total);
    put_i64(&b, r->server_date);
    put_u32(&b, (uint32_t)r->n_more);
    for (size_t i = 0; i < r->n_more; i++) {
        put_bytes(&b, r->more[i].body, r->more[i].len);
        put_str(&b, r->more[i].charset);
    }
    put_u32(&b, r->listing_partial ? 1u : 0u);
    put_i64(&b, r->request_bytes);
    put_i64(&b, r->header_bytes);
    put_str(&b, r->error);
    put_bytes(&b, sig, sig_len);
    return frame_end(&b, len);
}

/* ---- reading ---- */

struct rd {
    const unsigned char *p;
    size_t left;
    bool bad;
};

static uint32_t get_u32(struct rd *r)
{
    if (r->bad || r->left < 4) {
        r->bad = true;
        return 0;
    }
    uint32_t v = (uint32_t)r->p[0] | (uint32_t)r->p[1] << 8 | (uint32_t)r->p[2] << 16 |
                 (uint32_t)r->p[3] << 24;
    r->p += 4;
    r->left -= 4;
    return v;
}

static int64_t get_i64(struct rd *r)
{
    uint64_t lo = get_u32(r), hi = get_u32(r);
    return (int64_t)(lo | hi << 32);
}

/* A long or int field: out of range is a broken frame, not a wrap-around. */
static long get_long(struct rd *r, long lo, long hi)
{
    int64_t v = get_i64(r);
    if (v < lo || v > hi) {
        r->bad = true;
        return 0;
    }
    return (long)v;
}

/* A byte string (NUL-terminated copy; *len its length), NULL for the NULL marker. */
static char *get_bytes(struct rd *r, size_t *len)
{
    uint32_t n = get_u32(r);
    if (len)
        *len = 0;
    if (r->bad || n == WIRE_NULL)
        return NULL;
    if (n > r->left) {
        r->bad = true;
        return NULL;
    }
    char *s = xmalloc((size_t)n + 1); /* a body may hold a NUL: not xstrndup */
    memcpy(s, r->p, n);
    s[n] = '\0';
    r->p += n;
    r->left -= n;
    if (len)
        *len = n;
    return s;
}

/* A text field: no NUL inside. */
static char *get_str(struct rd *r)
{
    size_t n;
    char *s = get_bytes(r, &n);
    if (s && strlen(s) != n) {
        r->bad = true;
        free(s);
        return NULL;
    }
    return s;
}

bool net_wire_header(const unsigned char *h, const char magic[4], size_t cap, size_t *payload)
{
    if (memcmp(h, magic, 4) != 0)
        return false;
    struct rd r = {.p = h + 4, .left = 4};
    uint32_t n = get_u32(&r);
    if (n > cap)
        return false;
    *payload = n;
    return true;
}

static bool rd_open(struct rd *r, const void *frame, size_t len, const char magic[4], size_t cap)
{
    size_t n;
    if (len < NET_WIRE_HEADER || !net_wire_header(frame, magic, cap, &n) ||
        n != len - NET_WIRE_HEADER)
        return false;
    r->p = (const unsigned char *)frame + NET_WIRE_HEADER;
    r->left = n;
    r->bad = false;
    return true;
}

void net_wire_job_free(struct net_wire_job *j)
{
    free((char *)j->lim.user_agent);
    free((char *)j->lim.ca_file);
    free((char *)j->req.url);
    free((char *)j->req.etag);
    free((char *)j->req.last_modified);
    memset(j, 0, sizeof *j);
}

bool net_wire_job_decode(const void *frame, size_t len, struct net_wire_job *j)
{
    memset(j, 0, sizeof *j);
    struct rd r;
    if (!rd_open(&r, frame, len, NET_WIRE_JOB_MAGIC, NET_WIRE_JOB_MAX))
        return false;
    j->lim.connect_timeout_s = get_long(&r, 0, 86400);
    j->lim.total_timeout_s = get_long(&r, 0, 86400);
    j->lim.low_speed_time_s = get_long(&r, 0, 86400);
    j->lim.low_speed_limit = get_long(&r, 0, 1L << 30);
    j->lim.max_bytes = (size_t)get_long(&r, 0, NET_WIRE_BODY_MAX);
    j->lim.max_redirects = get_long(&r, 0, 100);
    j->lim.user_agent = get_str(&r);
    j->lim.ca_file = get_str(&r);
    j->req.url = get_str(&r);
    j->req.etag = get_str(&r);
    j->req.last_modified = get_str(&r);
    uint32_t flags = get_u32(&r);
    j->req.allow_file = flags & 1u;
    j->listing = flags & 2u;
    j->fetch_signature = flags & 4u;
    j->want_items = (int)get_long(&r, -1000000, 1000000);
    j->clock_evidence = get_i64(&r);
    uint32_t level = get_u32(&r);
    j->log_level = level <= LOG_LEVEL_DBG ? (enum log_level)level : LOG_LEVEL_INFO;
    if (r.bad || r.left != 0 || (flags & ~7u) || !j->req.url) {
        net_wire_job_free(j);
        return false;
    }
    return true;
}

bool net_wire_result_decode(const void *frame, size_t len, struct net_response *out, char **sig,
                            size_t *sig_len)
{
    memset(out, 0, sizeof *out);
    *sig = NULL;
    *sig_len = 0;
    struct rd r;
    if (!rd_open(&r, frame, len, NET_WIRE_RESULT_MAGIC, NET_WIRE_RESULT_MAX))
        return false;
    uint32_t status = get_u32(&r);
    out->status = status <= NET_WAITING_FOR_TIME ? (enum net_status)status : NET_RETRY;
    r.bad |= status > NET_WAITING_FOR_TIME;
    out->http_code = get_long(&r, 0, 999);
    out->body = get_bytes(&r, &out->len);
    out->etag = get_str(&r);
    out->last_modified = get_str(&r);
    out->content_type = get_str(&r);
    out->charset = get_str(&r);
    out->wp_total_pages = (int)get_long(&r, 0, 100000);
    out->wp_total = get_long(&r, -1, 100000000);
    out->server_date = get_i64(&r);
    uint32_t n_more = get_u32(&r);
    if (n_more > NET_MAX_PAGES)
        r.bad = true;
    if (!r.bad && n_more) {
        out->more = xcalloc(n_more, sizeof *out->more);
        for (uint32_t i = 0; i < n_more && !r.bad; i++) {
            out->more[i].body = get_bytes(&r, &out->more[i].len);
            out->more[i].charset = get_str(&r);
            out->n_more = i + 1;
            r.bad |= !out->more[i].body;
        }
    }
    uint32_t partial = get_u32(&r);
    out->listing_partial = partial == 1;
    r.bad |= partial > 1; /* one meaning per frame: 0 or 1 */
    out->request_bytes = get_long(&r, 0, 1L << 30);
    out->header_bytes = get_long(&r, 0, 1L << 30);
    char *err = get_str(&r);
    r.bad |= !err; /* a text, maybe empty, never absent */
    snprintf(out->error, sizeof out->error, "%s", err ? err : "");
    free(err);
    *sig = get_bytes(&r, sig_len);
    if (r.bad || r.left != 0 || (out->status == NET_OK && !out->body)) {
        net_response_free(out);
        free(*sig);
        *sig = NULL;
        *sig_len = 0;
        memset(out, 0, sizeof *out);
        return false;
    }
    return true;
}
