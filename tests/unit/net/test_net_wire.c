/* The frames between the kiosk and its fetch process (app/net/wire.c): a job and a result
 * come back as they went, bodies with NUL bytes and NULL strings included; every cut-short,
 * over-long or out-of-range frame is refused. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bangtin/log.h"
#include "bangtin/net.h"
#include "bangtin/util.h"
#include "check.h"
#include "net_internal.h"

static void test_job_round_trip(void)
{
    struct net_wire_job j = {.listing = true,
                             .fetch_signature = true,
                             .want_items = 30,
                             .clock_evidence = 1796000000,
                             .log_level = LOG_LEVEL_DBG};
    net_limits_default(&j.lim);
    j.lim.ca_file = "/etc/bangtin/ca.pem";
    j.req.url = "https://stnmt.hatinh.gov.vn/wp-json/wp/v2/posts?per_page=10";
    j.req.etag = "\"abc-gzip\"";
    j.req.last_modified = NULL;
    j.req.allow_file = false;
    size_t len;
    char *f = net_wire_job_encode(&j, &len);
    struct net_wire_job d;
    CHECK(net_wire_job_decode(f, len, &d));
    CHECK_STREQ(d.req.url, j.req.url);
    CHECK_STREQ(d.req.etag, j.req.etag);
    CHECK(d.req.last_modified == NULL);
    CHECK_STREQ(d.lim.user_agent, j.lim.user_agent);
    CHECK_STREQ(d.lim.ca_file, j.lim.ca_file);
    CHECK_INTEQ(d.lim.max_bytes, j.lim.max_bytes);
    CHECK_INTEQ(d.lim.total_timeout_s, j.lim.total_timeout_s);
    CHECK(d.listing && d.fetch_signature && !d.req.allow_file);
    CHECK_INTEQ(d.want_items, 30);
    CHECK_INTEQ(d.clock_evidence, 1796000000);
    CHECK_INTEQ(d.log_level, LOG_LEVEL_DBG);
    net_wire_job_free(&d);
    /* every shorter frame, and one byte more, are refused */
    size_t refused = 0;
    for (size_t n = 0; n < len; n++)
        refused += !net_wire_job_decode(f, n, &d);
    CHECK_INTEQ(refused, len);
    char *longer = xmalloc(len + 1);
    memcpy(longer, f, len);
    longer[len] = 0;
    CHECK(!net_wire_job_decode(longer, len + 1, &d));
    free(longer);
    /* a result frame is not a job */
    memcpy(f, NET_WIRE_RESULT_MAGIC, 4);
    CHECK(!net_wire_job_decode(f, len, &d));
    free(f);
}

static void test_result_round_trip(void)
{
    struct net_response r = {.status = NET_OK,
                             .http_code = 200,
                             .wp_total_pages = 3,
                             .wp_total = 25,
                             .server_date = 1796000123,
                             .listing_partial = true,
                             .request_bytes = 211,
                             .header_bytes = 980};
    static const char body[] = "[{\"id\":1}]\0after a NUL";
    r.body = xmalloc(sizeof body);
    memcpy(r.body, body, sizeof body);
    r.len = sizeof body - 1;
    r.etag = xstrdup("\"e77a\"");
    r.content_type = xstrdup("application/json; charset=UTF-8");
    r.charset = xstrdup("utf-8");
    r.more = xcalloc(2, sizeof *r.more);
    r.n_more = 2;
    r.more[0].body = xstrdup("[{\"id\":2}]");
    r.more[0].len = strlen(r.more[0].body);
    r.more[1].body = xstrdup("");
    snprintf(r.error, sizeof r.error, "signature not fetched: HTTP 404");
    size_t len;
    char *f = net_wire_result_encode(&r, "untrusted comment: x\nRW", 23, &len);
    struct net_response d;
    char *sig;
    size_t sig_len;
    CHECK(net_wire_result_decode(f, len, &d, &sig, &sig_len));
    CHECK_INTEQ(d.status, NET_OK);
    CHECK_INTEQ(d.http_code, 200);
    CHECK_INTEQ(d.len, r.len);
    CHECK(memcmp(d.body, r.body, r.len) == 0 && d.body[d.len] == '\0');
    CHECK_STREQ(d.etag, "\"e77a\"");
    CHECK(d.last_modified == NULL);
    CHECK_STREQ(d.charset, "utf-8");
    CHECK_INTEQ(d.n_more, 2);
    CHECK_STREQ(d.more[0].body, "[{\"id\":2}]");
    CHECK_INTEQ(d.more[1].len, 0);
    CHECK(d.more[1].charset == NULL);
    CHECK(d.listing_partial);
    CHECK_INTEQ(d.wp_total_pages, 3);
    CHECK_INTEQ(d.wp_total, 25);
    CHECK_INTEQ(d.server_date, 1796000123);
    CHECK_INTEQ(d.request_bytes, 211);
    CHECK_INTEQ(d.header_bytes, 980);
    CHECK_STREQ(d.error, r.error);
    CHECK_INTEQ(sig_len, 23);
    CHECK(sig && memcmp(sig, "untrusted comment: x\nRW", 23) == 0);
    free(sig);
    net_response_free(&d);
    size_t refused = 0;
    for (size_t n = 0; n < len; n++)
        refused += !net_wire_result_decode(f, n, &d, &sig, &sig_len);
    CHECK_INTEQ(refused, len);
    /* a status past the enum, a page count past NET_MAX_PAGES: refused */
    char *bad = xmalloc(len);
    memcpy(bad, f, len);
    bad[NET_WIRE_HEADER] = 9;
    CHECK(!net_wire_result_decode(bad, len, &d, &sig, &sig_len));
    free(bad);
    /* a header announcing more than the cap is refused before anything is read */
    unsigned char h[NET_WIRE_HEADER] = {'B', 'T', 'R', '1', 0xff, 0xff, 0xff, 0x7f};
    size_t n;
    CHECK(!net_wire_header(h, NET_WIRE_RESULT_MAGIC, 1u << 20, &n));
    free(f);
    net_response_free(&r);
    /* NET_OK without a body is not a result */
    struct net_response empty = {.status = NET_OK};
    f = net_wire_result_encode(&empty, NULL, 0, &len);
    CHECK(!net_wire_result_decode(f, len, &d, &sig, &sig_len));
    free(f);
}

int main(void)
{
    log_init(LOG_LEVEL_ERR);
    test_job_round_trip();
    test_result_round_trip();
    return CHECK_DONE();
}
