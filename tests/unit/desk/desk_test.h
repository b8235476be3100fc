/* Helpers of the desk tests: a libcurl client with manual cookies, and a minisign secret key
 * made with libsodium (scrypt at its minimum cost, so tests do not spend minisign's 1 GiB). */
#ifndef BANGTIN_DESK_TEST_H
#define BANGTIN_DESK_TEST_H

#include <curl/curl.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bangtin/util.h"

struct hresp {
    long status;
    struct buf body, head;
};

static size_t hresp_write(char *p, size_t sz, size_t n, void *ud)
{
    buf_append(ud, p, sz * n);
    return sz * n;
}

static void hresp_free(struct hresp *r)
{
    buf_free(&r->body);
    buf_free(&r->head);
}

/* method GET or POST (form = urlencoded body). extra: one "Name: value" header or NULL. */
static bool hreq(int port, const char *path, const char *cookie, const char *form,
                 const char *extra, struct hresp *out)
{
    memset(out, 0, sizeof(*out));
    buf_init(&out->body, 0), buf_init(&out->head, 0);
    buf_append(&out->body, "", 0), buf_append(&out->head, "", 0);
    CURL *c = curl_easy_init();
    char *url = xasprintf("http://127.0.0.1:%d%s", port, path);
    struct curl_slist *h = NULL;
    if (extra)
        h = curl_slist_append(h, extra);
    curl_easy_setopt(c, CURLOPT_URL, url);
    curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, hresp_write);
    curl_easy_setopt(c, CURLOPT_WRITEDATA, &out->body);
    curl_easy_setopt(c, CURLOPT_HEADERFUNCTION, hresp_write);
    curl_easy_setopt(c, CURLOPT_HEADERDATA, &out->head);
    curl_easy_setopt(c, CURLOPT_TIMEOUT, 120L);
    if (cookie && cookie[0]) {
        char *ck = xasprintf("bt_sid=%s", cookie);
        curl_easy_setopt(c, CURLOPT_COOKIE, ck);
        free(ck);
    }
    if (form)
        curl_easy_setopt(c, CURLOPT_POSTFIELDS, form);
    if (h)
        curl_easy_setopt(c, CURLOPT_HTTPHEADER, h);
    CURLcode rc = curl_easy_perform(c);
    curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &out->status);
    curl_slist_free_all(h);
    curl_easy_cleanup(c);
    free(url);
    return rc == CURLE_OK;
}

/* Value of the session cookie set by the response ("" when none, NULL-safe copy into out). */
static void hresp_cookie(const struct hresp *r, char *out, size_t len)
{
    const char *p = strstr(r->head.data, "Set-Cookie: bt_sid=");
    out[0] = '\0';
    if (!p)
        return;
    p += strlen("Set-Cookie: bt_sid=");
    size_t n = strcspn(p, ";\r\n");
    snprintf(out, len, "%.*s", (int)n, p);
}

static void hresp_csrf(const struct hresp *r, char *out, size_t len)
{
    const char *p = strstr(r->body.data, "name=\"csrf_token\" value=\"");
    out[0] = '\0';
    if (!p)
        return;
    p += strlen("name=\"csrf_token\" value=\"");
    snprintf(out, len, "%.*s", (int)strcspn(p, "\""), p);
}

static char *urlenc(const char *s)
{
    char *e = curl_easy_escape(NULL, s, 0);
    char *out = xstrdup(e);
    curl_free(e);
    return out;
}

/* An encrypted minisign secret key (password pw) at path, and its public key "RW…" in pub. */
static void make_minisign_key(const char *path, const char *pw, char *pub, size_t pub_len)
{
    uint8_t pk[32], sk[64], id[8], salt[32], keynum[104], stream[104];
    crypto_sign_keypair(pk, sk);
    randombytes_buf(id, sizeof(id));
    randombytes_buf(salt, sizeof(salt));
    uint64_t ops = crypto_pwhash_scryptsalsa208sha256_OPSLIMIT_MIN,
             mem = crypto_pwhash_scryptsalsa208sha256_MEMLIMIT_MIN;
    memcpy(keynum, id, 8);
    memcpy(keynum + 8, sk, 64);
    crypto_generichash_state st;
    crypto_generichash_init(&st, NULL, 0, 32);
    crypto_generichash_update(&st, (const uint8_t *)"Ed", 2);
    crypto_generichash_update(&st, keynum, 72);
    crypto_generichash_final(&st, keynum + 72, 32);
    if (crypto_pwhash_scryptsalsa208sha256(stream, sizeof(stream), pw, strlen(pw), salt, ops,
                                           (size_t)mem) != 0)
        abort();
    for (size_t i = 0; i < 104; i++)
        keynum[i] ^= stream[i];
    uint8_t file[158];
    memcpy(file, "EdScB2", 6);
    memcpy(file + 6, salt, 32);
    for (int i = 0; i < 8; i++) {
        file[38 + i] = (uint8_t)(ops >> (8 * i));
        file[46 + i] = (uint8_t)(mem >> (8 * i));
    }
    memcpy(file + 54, keynum, 104);
    char b64[256];
    sodium_bin2base64(b64, sizeof(b64), file, sizeof(file), sodium_base64_VARIANT_ORIGINAL);
    FILE *f = fopen(path, "w");
    fprintf(f, "untrusted comment: minisign encrypted secret key\n%s\n", b64);
    fclose(f);
    uint8_t pubbin[42];
    memcpy(pubbin, "Ed", 2);
    memcpy(pubbin + 2, id, 8);
    memcpy(pubbin + 10, pk, 32);
    sodium_bin2base64(pub, pub_len, pubbin, sizeof(pubbin), sodium_base64_VARIANT_ORIGINAL);
}

#endif
