/* curl_lib: libcurl loaded at its first call (include/bangtin/dynlib.h). The screen's first
 * frame and `--screenshot` need no network: libcurl and its ~30 libraries (OpenSSL, Kerberos,
 * LDAP, SSH, RTMP…) are mapped when the fetch worker or a photo download first calls it.
 * Every function the program calls is here with libcurl's own prototype (curl/curl.h checks
 * it); calling one that is not here fails at link time. */
#define CURL_DISABLE_TYPECHECK 1 /* curl_easy_setopt/getinfo are functions here, not macros */
#include "bangtin/dynlib.h"

#include <curl/curl.h>
#include <stdarg.h>

static void *p_global_init, *p_global_cleanup, *p_easy_init, *p_easy_cleanup, *p_easy_reset,
    *p_easy_perform, *p_easy_setopt, *p_easy_getinfo, *p_easy_strerror, *p_getdate, *p_slist_append,
    *p_slist_free_all;

static const struct dynlib_fn fns[] = {
    {"curl_global_init", &p_global_init},     {"curl_global_cleanup", &p_global_cleanup},
    {"curl_easy_init", &p_easy_init},         {"curl_easy_cleanup", &p_easy_cleanup},
    {"curl_easy_reset", &p_easy_reset},       {"curl_easy_perform", &p_easy_perform},
    {"curl_easy_setopt", &p_easy_setopt},     {"curl_easy_getinfo", &p_easy_getinfo},
    {"curl_easy_strerror", &p_easy_strerror}, {"curl_getdate", &p_getdate},
    {"curl_slist_append", &p_slist_append},   {"curl_slist_free_all", &p_slist_free_all},
};

static struct dynlib lib = DYNLIB_INIT(BANGTIN_SONAME_CURL, "libcurl, to fetch sources", fns);

CURLcode curl_global_init(long flags)
{
    dynlib_need(&lib);
    return ((CURLcode(*)(long))p_global_init)(flags);
}

void curl_global_cleanup(void)
{
    dynlib_need(&lib);
    ((void (*)(void))p_global_cleanup)();
}

CURL *curl_easy_init(void)
{
    dynlib_need(&lib);
    return ((CURL * (*)(void)) p_easy_init)();
}

void curl_easy_cleanup(CURL *h)
{
    dynlib_need(&lib);
    ((void (*)(CURL *))p_easy_cleanup)(h);
}

void curl_easy_reset(CURL *h)
{
    dynlib_need(&lib);
    ((void (*)(CURL *))p_easy_reset)(h);
}

CURLcode curl_easy_perform(CURL *h)
{
    dynlib_need(&lib);
    return ((CURLcode(*)(CURL *))p_easy_perform)(h);
}

/* The option's number says the type of its one argument (curl.h: CURLOPTTYPE_*), as libcurl
 * itself reads it. */
CURLcode curl_easy_setopt(CURL *h, CURLoption opt, ...)
{
    dynlib_need(&lib);
    va_list ap;
    va_start(ap, opt);
    CURLcode rc;
    if (opt < CURLOPTTYPE_OBJECTPOINT)
        rc = ((CURLcode(*)(CURL *, CURLoption, ...))p_easy_setopt)(h, opt, va_arg(ap, long));
    else if (opt < CURLOPTTYPE_FUNCTIONPOINT)
        rc = ((CURLcode(*)(CURL *, CURLoption, ...))p_easy_setopt)(h, opt, va_arg(ap, void *));
    else if (opt < CURLOPTTYPE_OFF_T)
        rc = ((CURLcode(*)(CURL *, CURLoption, ...))p_easy_setopt)(h, opt,
                                                                   va_arg(ap, void (*)(void)));
    else if (opt < CURLOPTTYPE_BLOB)
        rc = ((CURLcode(*)(CURL *, CURLoption, ...))p_easy_setopt)(h, opt, va_arg(ap, curl_off_t));
    else
        rc = ((CURLcode(*)(CURL *, CURLoption, ...))p_easy_setopt)(h, opt, va_arg(ap, void *));
    va_end(ap);
    return rc;
}

/* Every CURLINFO_* takes one pointer (to a long, double, char *, curl_off_t, …). */
CURLcode curl_easy_getinfo(CURL *h, CURLINFO info, ...)
{
    dynlib_need(&lib);
    va_list ap;
    va_start(ap, info);
    void *out = va_arg(ap, void *);
    va_end(ap);
    return ((CURLcode(*)(CURL *, CURLINFO, ...))p_easy_getinfo)(h, info, out);
}

const char *curl_easy_strerror(CURLcode rc)
{
    dynlib_need(&lib);
    return ((const char *(*)(CURLcode))p_easy_strerror)(rc);
}

time_t curl_getdate(const char *s, const time_t *unused)
{
    dynlib_need(&lib);
    return ((time_t(*)(const char *, const time_t *))p_getdate)(s, unused);
}

struct curl_slist *curl_slist_append(struct curl_slist *l, const char *s)
{
    dynlib_need(&lib);
    return ((struct curl_slist * (*)(struct curl_slist *, const char *)) p_slist_append)(l, s);
}

void curl_slist_free_all(struct curl_slist *l)
{
    dynlib_need(&lib);
    ((void (*)(struct curl_slist *))p_slist_free_all)(l);
}
