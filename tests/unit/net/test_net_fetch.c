/* net_fetch against a hostile loopback server, plus the pure helpers (classify, backoff). */
#include <errno.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <unistd.h>

#include "bangtin/log.h"
#include "bangtin/net.h"
#include "bangtin/util.h"
#include "check.h"
#include "net/net_internal.h"
#include "net_test_server.h"

#define WP_ETAG "\"e77a0c329460a8f3df3414deca0ceeb8\""
#define WP_LM   "Thu, 26 Nov 2026 10:15:00 GMT"

static struct test_server srv = {.stdin_fd = -1};

static struct net_limits test_limits(void)
{
    struct net_limits l;
    net_limits_default(&l);
    l.connect_timeout_s = 5;
    l.total_timeout_s = 15;
    l.low_speed_time_s = 10;
    l.low_speed_limit = 1;
    return l;
}

/* GET path with the given validators; returns the seconds it took. */
static double get(const char *path, const struct net_limits *lim, const char *etag, const char *lm,
                  struct net_response *r)
{
    char *url = test_server_url(&srv, path);
    struct net_request req = {.url = url, .etag = etag, .last_modified = lm};
    double t0 = test_now();
    net_fetch(lim, &req, r);
    free(url);
    return test_now() - t0;
}

static void test_ok(void)
{
    struct net_limits lim = test_limits();
    struct net_response r;
    get("/ok", &lim, NULL, NULL, &r);
    CHECK_INTEQ(r.status, NET_OK);
    CHECK_INTEQ(r.http_code, 200);
    CHECK_STREQ(r.body, "<rss>ok</rss>");
    CHECK_INTEQ(r.len, 13);
    CHECK_STREQ(r.etag, "\"v1\"");
    CHECK_STREQ(r.last_modified, WP_LM);
    CHECK_STREQ(r.content_type, "application/rss+xml; charset=UTF-8");
    CHECK_STREQ(r.charset, "utf-8");
    CHECK_STREQ(r.error, "");
    CHECK_INTEQ(r.wp_total_pages, 0);
    net_response_free(&r);
}

/* WordPress behind mod_deflate: the gzip variant's ETag carries "-gzip" (probes.txt §2). */
static void test_gzip_and_conditional(void)
{
    struct net_limits lim = test_limits();
    struct net_response r;
    char inm[128], ims[128];
    get("/feed", &lim, NULL, NULL, &r);
    CHECK_INTEQ(r.status, NET_OK);
    CHECK_INTEQ(r.len, 16400); /* decoded size, not the ~1.5 KB on the wire */
    CHECK(r.body && strstr(r.body, "<title>Tin số 399</title>"));
    CHECK_STREQ(r.etag, "\"e77a0c329460a8f3df3414deca0ceeb8-gzip\"");
    CHECK_STREQ(r.last_modified, WP_LM);
    char *etag = xstrdup(r.etag);
    net_response_free(&r);

    /* the stored -gzip ETag still earns a 304, with both validators sent */
    get("/feed?both=1", &lim, etag, WP_LM, &r);
    CHECK_INTEQ(r.status, NET_NOT_MODIFIED);
    CHECK_INTEQ(r.http_code, 304);
    CHECK(r.body == NULL && r.len == 0);
    CHECK_STREQ(r.error, "");
    CHECK(test_server_seen(&srv, "/feed", inm, sizeof(inm), ims, sizeof(ims)) == 2);
    CHECK_STREQ(inm, WP_ETAG);
    CHECK_STREQ(ims, WP_LM);
    printf("304 exchange: request %ld bytes + response headers %ld bytes\n", r.request_bytes,
           r.header_bytes);
    CHECK(r.request_bytes > 100 && r.request_bytes < 400);
    CHECK(r.header_bytes > 100 && r.header_bytes < 300);
    net_response_free(&r);

    get("/feed?both=1", &lim, WP_ETAG, WP_LM, &r);
    CHECK_INTEQ(r.status, NET_NOT_MODIFIED);
    net_response_free(&r);
    /* a changed ETag with an unchanged date must not be hidden behind If-Modified-Since */
    get("/feed", &lim, "\"0000\"", WP_LM, &r);
    CHECK_INTEQ(r.status, NET_OK);
    CHECK_INTEQ(r.len, 16400);
    net_response_free(&r);
    /* validators that would inject header lines are not sent */
    get("/feed", &lim, "\"x\"\r\nX-Evil: 1", NULL, &r);
    CHECK_INTEQ(r.status, NET_OK);
    CHECK(test_server_seen(&srv, "/feed", inm, sizeof(inm), ims, sizeof(ims)) == 5);
    CHECK_STREQ(inm, "");
    net_response_free(&r);
    free(etag);
}

static long max_rss_kb(void)
{
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    return ru.ru_maxrss;
}

static void test_gzip_bomb(void)
{
    struct net_limits lim = test_limits();
    lim.max_bytes = 1 << 20;
    struct net_response r;
    long rss0 = max_rss_kb();
    double secs = get("/bomb", &lim, NULL, NULL, &r); /* 16 KB on the wire, 16 MiB decoded */
    CHECK_INTEQ(r.status, NET_BAD_DATA);
    CHECK_STREQ(r.error, "body over 1048576 bytes");
    CHECK(r.body == NULL);
    CHECK_MSG(secs < 10, "bomb took %.1f s", secs);
    CHECK_MSG(max_rss_kb() - rss0 < 12 * 1024, "max RSS grew by %ld KiB", max_rss_kb() - rss0);
    net_response_free(&r);

    secs = get("/big", &lim, NULL, NULL, &r); /* Content-Length: 100 MiB, then a trickle */
    CHECK_INTEQ(r.status, NET_BAD_DATA);
    CHECK_STREQ(r.error, "body over 1048576 bytes");
    CHECK_MSG(secs < 5, "big took %.1f s", secs);
    net_response_free(&r);
}

static void test_slow_servers(void)
{
    struct net_limits lim = test_limits();
    lim.low_speed_limit = 100;
    lim.low_speed_time_s = 2;
    struct net_response r;
    double secs = get("/trickle", &lim, NULL, NULL, &r);
    CHECK_INTEQ(r.status, NET_RETRY);
    CHECK_MSG(str_starts_with(r.error, "too slow: under 100 bytes/s for 2 s"), "%s", r.error);
    CHECK_MSG(secs < 10, "trickle took %.1f s", secs);
    net_response_free(&r);

    lim = test_limits();
    lim.total_timeout_s = 2;
    lim.low_speed_time_s = 60;
    secs = get("/hang", &lim, NULL, NULL, &r);
    CHECK_INTEQ(r.status, NET_RETRY);
    CHECK_STREQ(r.error, "timed out after 2 s with 0 bytes");
    CHECK_MSG(secs < 10, "hang took %.1f s", secs);
    net_response_free(&r);
}

static void expect(const char *path, enum net_status status, const char *error)
{
    struct net_limits lim = test_limits();
    struct net_response r;
    double secs = get(path, &lim, NULL, NULL, &r);
    CHECK_MSG(r.status == status, "%s: %s, expected %s (%s)", path, net_status_name(r.status),
              net_status_name(status), r.error);
    CHECK_MSG(str_starts_with(r.error, error), "%s: error \"%s\", expected \"%s…\"", path, r.error,
              error);
    CHECK_MSG(secs < 10, "%s took %.1f s", path, secs);
    if (status != NET_OK)
        CHECK(r.body == NULL);
    net_response_free(&r);
}

static void test_statuses(void)
{
    expect("/status/500", NET_RETRY, "HTTP 500");
    expect("/status/503", NET_RETRY, "HTTP 503");
    expect("/status/429", NET_RETRY, "HTTP 429");
    expect("/status/404", NET_BAD_DATA, "HTTP 404");
    expect("/status/403", NET_BAD_DATA, "HTTP 403");
    expect("/status/204", NET_RETRY, "HTTP 204");
    expect("/empty", NET_RETRY, "empty body");
    expect("/truncated", NET_RETRY, "truncated: 10 bytes, then closed");
    expect("/redir-file", NET_BAD_DATA, "redirect to a scheme not allowed: file");
    expect("/loop/0", NET_BAD_DATA, "more than 5 redirects");
    expect("/status/200", NET_OK, ""); /* an HTML error page is the parser's business */
}

static void test_redirects_and_headers(void)
{
    struct net_limits lim = test_limits();
    struct net_response r;
    get("/redir-ok", &lim, NULL, NULL, &r);
    CHECK_INTEQ(r.status, NET_OK);
    CHECK_STREQ(r.body, "<rss>ok</rss>");
    CHECK_STREQ(r.etag, "\"v1\"");    /* not the redirect's */
    CHECK_INTEQ(r.wp_total_pages, 0); /* the redirect said 9 */
    net_response_free(&r);

    get("/wp", &lim, NULL, NULL, &r);
    CHECK_INTEQ(r.status, NET_OK);
    CHECK_INTEQ(r.wp_total_pages, 3);
    CHECK_STREQ(r.charset, "utf-8");
    CHECK(r.etag == NULL && r.last_modified == NULL);
    net_response_free(&r);

    get("/charset", &lim, NULL, NULL, &r);
    CHECK_INTEQ(r.status, NET_OK);
    CHECK_STREQ(r.charset, "iso-8859-1");
    CHECK_STREQ(r.content_type, "text/xml; Charset=\"ISO-8859-1\"");
    net_response_free(&r);
}

static void test_file_and_schemes(void)
{
    char path[] = "/tmp/bangtin-net-test-XXXXXX";
    int fd = mkstemp(path);
    CHECK(fd >= 0 && write(fd, "<rss>local</rss>", 16) == 16);
    close(fd);
    char *url = xasprintf("file://%s", path);
    struct net_limits lim = test_limits();
    struct net_request req = {.url = url};
    struct net_response r;
    CHECK_INTEQ(net_fetch(&lim, &req, &r), NET_BAD_DATA);
    CHECK_STREQ(r.error, "scheme not allowed: file");
    net_response_free(&r);
    req.allow_file = true;
    CHECK_INTEQ(net_fetch(&lim, &req, &r), NET_OK);
    CHECK_STREQ(r.body, "<rss>local</rss>");
    net_response_free(&r);
    unlink(path);
    free(url);

    /* allow_file is for the configured URL only: a redirect to file:// stays refused */
    url = test_server_url(&srv, "/redir-file");
    req = (struct net_request){.url = url, .allow_file = true};
    CHECK_INTEQ(net_fetch(&lim, &req, &r), NET_BAD_DATA);
    CHECK_STREQ(r.error, "redirect to a scheme not allowed: file");
    CHECK(r.body == NULL);
    net_response_free(&r);
    free(url);

    const char *bad[] = {"ftp://127.0.0.1/x", "gopher://127.0.0.1/x", "dict://127.0.0.1/x"};
    for (size_t i = 0; i < ARRAY_LEN(bad); i++) {
        req = (struct net_request){.url = bad[i]};
        CHECK_INTEQ(net_fetch(&lim, &req, &r), NET_BAD_DATA);
        CHECK_MSG(str_starts_with(r.error, "scheme not allowed"), "%s", r.error);
        net_response_free(&r);
    }
    req = (struct net_request){.url = ""};
    CHECK_INTEQ(net_fetch(&lim, &req, &r), NET_BAD_DATA);
    net_response_free(&r);
}

static void test_refused(void)
{
    /* a port that was just free: nobody listens there */
    int s = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    socklen_t alen = sizeof(a);
    CHECK(bind(s, (struct sockaddr *)&a, sizeof(a)) == 0);
    CHECK(getsockname(s, (struct sockaddr *)&a, &alen) == 0);
    close(s);
    char *url = xasprintf("http://127.0.0.1:%d/", ntohs(a.sin_port));
    struct net_limits lim = test_limits();
    struct net_request req = {.url = url};
    struct net_response r;
    CHECK_INTEQ(net_fetch(&lim, &req, &r), NET_RETRY);
    CHECK_STREQ(r.error, "connection refused");
    net_response_free(&r);
    free(url);
}

/* Verification is on, and a certificate from the future (a board at 1970 sees them all that
 * way) is "waiting for time", not a bad source. */
static void test_tls(void)
{
    if (!srv.tls_ok_port) {
        printf("SKIP TLS cases: the openssl command is not available\n");
        return;
    }
    struct net_limits lim = test_limits();
    struct net_response r;
    char *ok = xasprintf("https://127.0.0.1:%d/ok", srv.tls_ok_port);
    char *future = xasprintf("https://127.0.0.1:%d/ok", srv.tls_future_port);
    struct net_request req = {.url = ok};
    CHECK_INTEQ(net_fetch(&lim, &req, &r), NET_BAD_DATA); /* our CA is not in the system store */
    CHECK_MSG(str_starts_with(r.error, "TLS certificate rejected"), "%s", r.error);
    net_response_free(&r);
    lim.ca_file = srv.ca_file;
    CHECK_INTEQ(net_fetch(&lim, &req, &r), NET_OK);
    CHECK_STREQ(r.body, "<rss>ok</rss>");
    CHECK_MSG(r.error[0] == '\0', "%s", r.error);
    net_response_free(&r);
    req.url = future;
    CHECK_INTEQ(net_fetch(&lim, &req, &r), NET_WAITING_FOR_TIME);
    CHECK_MSG(strstr(r.error, "not yet valid") != NULL, "%s", r.error);
    CHECK(r.body == NULL);
    net_response_free(&r);
    free(ok);
    free(future);
}

static void test_classify(void)
{
    struct net_limits lim;
    net_limits_default(&lim);
    char err[256];
    struct net_facts f = {.rc = CURLE_PEER_FAILED_VERIFICATION,
                          .clock_trusted = true,
                          .curl_error = "SSL certificate problem: certificate is not yet valid"};
    CHECK_INTEQ(net_classify(&f, &lim, err, sizeof(err)), NET_WAITING_FOR_TIME);
    CHECK(str_starts_with(err, "waiting for time"));
    f.curl_error = "SSL certificate problem: certificate has expired";
    CHECK_INTEQ(net_classify(&f, &lim, err, sizeof(err)), NET_BAD_DATA);
    f.clock_trusted = false; /* 1970: everything looks expired or not yet valid */
    CHECK_INTEQ(net_classify(&f, &lim, err, sizeof(err)), NET_WAITING_FOR_TIME);
    f = (struct net_facts){.rc = CURLE_OK, .http_code = 304, .curl_error = ""};
    CHECK_INTEQ(net_classify(&f, &lim, err, sizeof(err)), NET_NOT_MODIFIED);
    f = (struct net_facts){.rc = CURLE_RECV_ERROR, .os_errno = ECONNRESET, .curl_error = "x"};
    CHECK_INTEQ(net_classify(&f, &lim, err, sizeof(err)), NET_RETRY);
    CHECK_STREQ(err, "connection reset");
    f = (struct net_facts){.rc = CURLE_GOT_NOTHING, .curl_error = "Empty reply\nfrom server"};
    CHECK_INTEQ(net_classify(&f, &lim, err, sizeof(err)), NET_RETRY);
    CHECK_STREQ(err, "Empty reply from server"); /* one line */

    char *e = net_etag_for_request("\"abc-gzip\"");
    CHECK_STREQ(e, "\"abc\"");
    free(e);
    e = net_etag_for_request("W/\"abc-br\"");
    CHECK_STREQ(e, "W/\"abc\"");
    free(e);
    e = net_etag_for_request("\"abc\"");
    CHECK_STREQ(e, "\"abc\"");
    free(e);
    e = net_etag_for_request("\"-gzip\""); /* nothing left to strip down to */
    CHECK_STREQ(e, "\"-gzip\"");
    free(e);
    CHECK(net_etag_for_request("a\nb") == NULL);
    CHECK(net_etag_for_request("") == NULL);

    char *cs = net_charset_from_content_type("text/html;charset=Windows-1258");
    CHECK_STREQ(cs, "windows-1258");
    free(cs);
    CHECK(net_charset_from_content_type("text/html") == NULL);
    CHECK(net_charset_from_content_type("text/html; charset=") == NULL);
}

static void test_backoff(void)
{
    CHECK_INTEQ(net_backoff_ms(1, 10, 3600, 0.0), 10000);
    CHECK_INTEQ(net_backoff_ms(1, 10, 3600, 0.999999), 19999);
    CHECK_INTEQ(net_backoff_ms(2, 10, 3600, 0.0), 20000);
    CHECK_INTEQ(net_backoff_ms(3, 10, 3600, 0.0), 40000);
    CHECK_INTEQ(net_backoff_ms(30, 10, 3600, 0.0), 1800000);
    CHECK_INTEQ(net_backoff_ms(30, 10, 3600, 0.9999999), 3599999);
    CHECK_INTEQ(net_backoff_ms(1000000, 10, 3600, 0.5), 2700000);
    CHECK_INTEQ(net_backoff_ms(0, 10, 3600, 0.0), 10000);
    CHECK_INTEQ(net_backoff_ms(5, 10, 15, 0.0), 10000); /* never below base */
    CHECK_INTEQ(net_backoff_ms(5, 10, 15, 0.9), 14250);
    int64_t prev = 0;
    for (int f = 1; f < 20; f++) {
        int64_t ms = net_backoff_ms(f, 5, 600, 0.0);
        CHECK(ms >= prev && ms >= 5000 && ms <= 600000);
        prev = ms;
    }
}

/* Pure helpers of paged listings. */
static void test_paging_urls(void)
{
    struct {
        const char *url;
        int page;
        const char *want;
    } cases[] = {
        {"http://h/wp-json/wp/v2/posts", 2, "http://h/wp-json/wp/v2/posts?page=2"},
        {"http://h/wp-json/wp/v2/posts?_embed", 3, "http://h/wp-json/wp/v2/posts?_embed&page=3"},
        {"http://h/p?per_page=5&page=1&_embed", 2, "http://h/p?per_page=5&page=2&_embed"},
        {"http://h/p?page=1", 10, "http://h/p?page=10"},
        {"http://h/p?page", 2, "http://h/p?page=2"},
        {"http://h/p?", 2, "http://h/p?page=2"},
        {"http://h/p?a=1&", 2, "http://h/p?a=1&page=2"},
        {"http://h/p?a?", 2, "http://h/p?a?&page=2"}, /* found by fuzz_url */
        {"http://h/p?a=1#frag", 2, "http://h/p?a=1&page=2#frag"},
        {"http://h/p#x?page=1", 2, "http://h/p?page=2#x?page=1"},
        {"http://h/p?subpage=4&paged=2", 2, "http://h/p?subpage=4&paged=2&page=2"},
        {"http://h/?rest_route=/wp/v2/posts&per_page=2", 2,
         "http://h/?rest_route=/wp/v2/posts&per_page=2&page=2"},
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        char *u = net_url_with_page(cases[i].url, cases[i].page);
        CHECK_STREQ(u, cases[i].want);
        free(u);
    }
    CHECK_INTEQ(net_url_query_int("http://h/p?per_page=20&_embed", "per_page", 10), 20);
    CHECK_INTEQ(net_url_query_int("http://h/p?_embed", "per_page", 10), 10);
    CHECK_INTEQ(net_url_query_int("http://h/p?per_page=x", "per_page", 10), 10);
    CHECK_INTEQ(net_url_query_int("http://h/p?per_page=", "per_page", 10), 10);
    CHECK_INTEQ(net_url_query_int("http://h/p?per_page=99999999999", "per_page", 10), 10);
    CHECK_INTEQ(net_url_query_int("http://h/p#per_page=3", "per_page", 10), 10);
    CHECK_INTEQ(net_url_query_int("http://h/p?xper_page=3", "per_page", 10), 10);
    /* pages wanted: ceil(items / per_page), WordPress's 10 by default, within 1…NET_MAX_PAGES */
    CHECK_INTEQ(net_listing_pages_wanted("http://h/p", 30), 3);
    CHECK_INTEQ(net_listing_pages_wanted("http://h/p?per_page=5", 13), 3);
    CHECK_INTEQ(net_listing_pages_wanted("http://h/p?per_page=5", 5), 1);
    CHECK_INTEQ(net_listing_pages_wanted("http://h/p?per_page=100", 30), 1);
    CHECK_INTEQ(net_listing_pages_wanted("http://h/p?per_page=1", 1000), NET_MAX_PAGES);
    CHECK_INTEQ(net_listing_pages_wanted("http://h/p?per_page=0", 30), 3);
    CHECK_INTEQ(net_listing_pages_wanted("http://h/p", 0), NET_MAX_PAGES);
    CHECK_INTEQ(net_listing_pages_wanted("http://h/p?page=1&per_page=5", 10), 2);
    CHECK_INTEQ(net_listing_pages_wanted("http://h/p?page=2&per_page=5", 10), 1);
}

/* A listing with `total` posts in pages of five: what net_fetch_listing returns, and how many
 * requests the server saw. */
static int listing(const char *query, int want_items, const struct net_limits *lim,
                   struct net_response *r)
{
    int before = test_server_seen(&srv, "/wpposts", NULL, 0, NULL, 0);
    char *path = xasprintf("/wpposts?per_page=5&%s", query);
    char *url = test_server_url(&srv, path);
    struct net_request req = {.url = url};
    net_fetch_listing(lim, &req, want_items, r);
    free(url);
    free(path);
    return test_server_seen(&srv, "/wpposts", NULL, 0, NULL, 0) - before;
}

static void test_paging(void)
{
    struct net_limits lim = test_limits();
    struct net_response r;

    CHECK_INTEQ(listing("total=13", 30, &lim, &r), 3);
    CHECK_INTEQ(r.status, NET_OK);
    CHECK_INTEQ(r.wp_total_pages, 3);
    CHECK_INTEQ(r.wp_total, 13);
    CHECK_INTEQ(r.n_more, 2);
    CHECK(!r.listing_partial);
    CHECK(r.body && strstr(r.body, "{\"id\":1,") && strstr(r.body, "{\"id\":5,"));
    if (r.n_more == 2) {
        CHECK(strstr(r.more[0].body, "{\"id\":6,") && strstr(r.more[0].body, "{\"id\":10,"));
        CHECK(strstr(r.more[1].body, "{\"id\":11,") && strstr(r.more[1].body, "{\"id\":13,"));
        CHECK(!strstr(r.more[1].body, "{\"id\":14,"));
        CHECK_STREQ(r.more[1].charset, "utf-8");
    }
    net_response_free(&r);
    CHECK(r.more == NULL && r.n_more == 0);

    /* One walk each: what the server is asked, and what comes back. */
    static const struct {
        const char *what, *query;
        int want_items, requests;
        enum net_status status;
        size_t n_more;
        bool partial;
    } walks[] = {
        {"the item goal stops early (7 items, pages of 5)", "total=13", 7, 2, NET_OK, 1, false},
        {"one page only: nothing more asked", "total=4", 30, 1, NET_OK, 0, false},
        {"never more than NET_MAX_PAGES", "total=500", 0, NET_MAX_PAGES, NET_OK, NET_MAX_PAGES - 1,
         false},
        {"a later page fails: the pages before it kept", "total=13&fail=3", 30, 3, NET_OK, 1, true},
        {"page 1 fails: its status, nothing more asked", "total=13&fail=1", 30, 1, NET_RETRY, 0,
         false},
        {"posts removed mid-walk: page 3 past the end (400)", "total=13&shrink=3", 30, 3, NET_OK, 1,
         true},
        {"one post removed: X-WP-Total moved, items shifted", "total=13&shrink=1", 30, 3, NET_OK, 2,
         true},
    };
    for (size_t i = 0; i < sizeof(walks) / sizeof(walks[0]); i++) {
        int requests = listing(walks[i].query, walks[i].want_items, &lim, &r);
        CHECK_MSG(requests == walks[i].requests, "%s: %d requests", walks[i].what, requests);
        CHECK_MSG(r.status == walks[i].status, "%s: %s", walks[i].what, net_status_name(r.status));
        CHECK_MSG(r.n_more == walks[i].n_more, "%s: %zu more pages", walks[i].what, r.n_more);
        CHECK_MSG(r.listing_partial == walks[i].partial, "%s: partial %d", walks[i].what,
                  r.listing_partial);
        net_response_free(&r);
    }

    /* the body cap counts all pages together: 5 posts × ~1 KB per page, cap 12 KB */
    struct net_limits small = lim;
    small.max_bytes = 12000;
    CHECK_INTEQ(listing("total=30&pad=1000", 30, &small, &r), 3);
    CHECK_INTEQ(r.status, NET_OK);
    size_t sum = r.len;
    for (size_t i = 0; i < r.n_more; i++)
        sum += r.more[i].len;
    CHECK(sum <= small.max_bytes);
    CHECK_INTEQ(r.n_more, 1);
    CHECK(r.listing_partial);
    net_response_free(&r);

    /* the walk shares one total time-out: 3 s, later pages answer after 2 s each */
    struct net_limits quick = lim;
    quick.total_timeout_s = 3;
    double t0 = test_now();
    listing("total=50&slow=2", 0, &quick, &r);
    double took = test_now() - t0;
    CHECK_MSG(took < 6.0, "a 3 s walk took %.1f s", took); /* a bound, not a speed */
    CHECK_INTEQ(r.status, NET_OK);
    CHECK(r.n_more <= 1);
    CHECK(r.listing_partial);
    net_response_free(&r);

    /* a URL that names a later page is taken as it is */
    CHECK_INTEQ(listing("total=13&page=2", 30, &lim, &r), 1);
    CHECK_INTEQ(r.n_more, 0);
    CHECK(r.body && strstr(r.body, "{\"id\":6,"));
    net_response_free(&r);
}

int main(void)
{
    log_init(getenv("NET_TEST_DEBUG") ? LOG_LEVEL_DBG : LOG_LEVEL_WARN);
    CHECK(net_global_init());
    test_classify();
    test_backoff();
    test_paging_urls();
    if (!test_server_start(&srv, true)) {
        CHECK(!"loopback server");
        return CHECK_DONE();
    }
    test_ok();
    test_gzip_and_conditional();
    test_gzip_bomb();
    test_statuses();
    test_redirects_and_headers();
    test_file_and_schemes();
    test_refused();
    test_tls();
    test_slow_servers();
    test_paging();
    test_server_stop(&srv);
    net_global_cleanup();
    return CHECK_DONE();
}
