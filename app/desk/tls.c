/* desk TLS: load the certificate and key, or make a self-signed pair on first start (GnuTLS:
 * ECDSA P-256, SHA-256, ten years, SAN localhost + 127.0.0.1 + the listen address) and log the
 * certificate's SHA-256 fingerprint so officials can check it in the browser. */
#include <arpa/inet.h>
#include <errno.h>
#include <gnutls/crypto.h>
#include <gnutls/gnutls.h>
#include <gnutls/x509.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define LOG_MODULE "desk"
#include "bangtin/log.h"
#include "bangtin/util.h"
#include "desk_priv.h"

static bool fingerprint(const char *pem, size_t len, char *out, size_t out_len)
{
    gnutls_x509_crt_t crt;
    gnutls_datum_t d = {(unsigned char *)pem, (unsigned)len};
    uint8_t fp[32];
    size_t fp_len = sizeof(fp);
    bool ok = gnutls_x509_crt_init(&crt) == 0;
    if (ok && (gnutls_x509_crt_import(crt, &d, GNUTLS_X509_FMT_PEM) != 0 ||
               gnutls_x509_crt_get_fingerprint(crt, GNUTLS_DIG_SHA256, fp, &fp_len) != 0))
        ok = false;
    if (ok) {
        out[0] = '\0';
        for (size_t i = 0, at = 0; i < fp_len && at + 4 <= out_len; i++)
            at += (size_t)snprintf(out + at, out_len - at, i ? ":%02X" : "%02X", fp[i]);
    }
    gnutls_x509_crt_deinit(crt);
    return ok;
}

static bool export_pem(int (*fn)(void *, gnutls_x509_crt_fmt_t, void *, size_t *), void *obj,
                       struct buf *out)
{
    size_t n = 16384;
    char *tmp = xmalloc(n);
    bool ok = fn(obj, GNUTLS_X509_FMT_PEM, tmp, &n) == 0;
    if (ok)
        buf_append(out, tmp, n);
    free(tmp);
    return ok;
}

static int crt_export(void *o, gnutls_x509_crt_fmt_t f, void *b, size_t *n)
{
    return gnutls_x509_crt_export(o, f, b, n);
}

static int key_export(void *o, gnutls_x509_crt_fmt_t f, void *b, size_t *n)
{
    return gnutls_x509_privkey_export(o, f, b, n);
}

/* A self-signed pair for host (the listen address) into cert/key PEM buffers. */
static bool generate(const char *host, struct buf *cert, struct buf *key, char *err, size_t err_len)
{
    gnutls_x509_privkey_t k = NULL;
    gnutls_x509_crt_t c = NULL;
    uint8_t serial[16];
    bool ok = false;
    gnutls_rnd(GNUTLS_RND_NONCE, serial, sizeof(serial));
    serial[0] &= 0x7f;
    time_t now = time(NULL);
    int rc;
    if ((rc = gnutls_x509_privkey_init(&k)) < 0 ||
        (rc = gnutls_x509_privkey_generate(
             k, GNUTLS_PK_ECDSA, GNUTLS_CURVE_TO_BITS(GNUTLS_ECC_CURVE_SECP256R1), 0)) < 0 ||
        (rc = gnutls_x509_crt_init(&c)) < 0 || (rc = gnutls_x509_crt_set_version(c, 3)) < 0 ||
        (rc = gnutls_x509_crt_set_serial(c, serial, sizeof(serial))) < 0 ||
        (rc = gnutls_x509_crt_set_activation_time(c, now - 3600)) < 0 ||
        (rc = gnutls_x509_crt_set_expiration_time(c, now + 10L * 365 * 86400)) < 0 ||
        (rc = gnutls_x509_crt_set_dn(c, "CN=bangtin desk,O=bangtin", NULL)) < 0 ||
        (rc = gnutls_x509_crt_set_key(c, k)) < 0 ||
        (rc = gnutls_x509_crt_set_subject_alt_name(c, GNUTLS_SAN_DNSNAME, "localhost", 9,
                                                   GNUTLS_FSAN_APPEND)) < 0 ||
        (rc = gnutls_x509_crt_set_key_usage(c, GNUTLS_KEY_DIGITAL_SIGNATURE)) < 0 ||
        (rc = gnutls_x509_crt_set_key_purpose_oid(c, GNUTLS_KP_TLS_WWW_SERVER, 0)) < 0) {
        snprintf(err, err_len, "certificate generation: %s", gnutls_strerror(rc));
        goto out;
    }
    uint8_t ip[16];
    const char *ips[] = {"127.0.0.1", host};
    for (size_t i = 0; i < 2; i++) {
        if (inet_pton(AF_INET, ips[i], ip) == 1)
            gnutls_x509_crt_set_subject_alt_name(c, GNUTLS_SAN_IPADDRESS, ip, 4,
                                                 GNUTLS_FSAN_APPEND);
        else if (inet_pton(AF_INET6, ips[i], ip) == 1)
            gnutls_x509_crt_set_subject_alt_name(c, GNUTLS_SAN_IPADDRESS, ip, 16,
                                                 GNUTLS_FSAN_APPEND);
    }
    if ((rc = gnutls_x509_crt_sign2(c, c, k, GNUTLS_DIG_SHA256, 0)) < 0) {
        snprintf(err, err_len, "certificate signing: %s", gnutls_strerror(rc));
        goto out;
    }
    ok = export_pem(crt_export, c, cert) && export_pem(key_export, k, key);
    if (!ok)
        snprintf(err, err_len, "certificate export failed");
out:
    if (c)
        gnutls_x509_crt_deinit(c);
    if (k)
        gnutls_x509_privkey_deinit(k);
    return ok;
}

bool desk_tls_load(const char *cert_path, const char *key_path, const char *listen, char **cert_pem,
                   char **key_pem, char *err, size_t err_len)
{
    size_t cl = 0, kl = 0;
    *cert_pem = *key_pem = NULL;
    bool have_cert = access(cert_path, F_OK) == 0, have_key = access(key_path, F_OK) == 0;
    if (have_cert != have_key) {
        snprintf(err, err_len, "%s exists but %s does not: give both or neither",
                 have_cert ? cert_path : key_path, have_cert ? key_path : cert_path);
        return false;
    }
    if (!have_cert) {
        char host[128] = "";
        const char *colon = strrchr(listen, ':');
        if (colon && (size_t)(colon - listen) < sizeof(host))
            snprintf(host, sizeof(host), "%.*s", (int)(colon - listen), listen);
        struct buf c, k;
        buf_init(&c, 0), buf_init(&k, 0);
        bool ok = generate(host, &c, &k, err, err_len);
        if (ok) {
            char *dir = xstrdup(cert_path), *slash = strrchr(dir, '/');
            if (slash)
                *slash = '\0', util_mkdir_p(dir, 0700);
            free(dir);
            dir = xstrdup(key_path), slash = strrchr(dir, '/');
            if (slash)
                *slash = '\0', util_mkdir_p(dir, 0700);
            free(dir);
            mode_t um = umask(077);
            ok = util_write_file_atomic(key_path, k.data, k.len) &&
                 util_write_file_atomic(cert_path, c.data, c.len);
            umask(um);
            if (!ok)
                snprintf(err, err_len, "cannot write %s / %s: %s", cert_path, key_path,
                         strerror(errno));
            else
                LOG_INFO("made a self-signed certificate %s (key %s)", cert_path, key_path);
        }
        buf_free(&c);
        if (k.data)
            memset(k.data, 0, k.len);
        buf_free(&k);
        if (!ok)
            return false;
    }
    if (!util_read_file(cert_path, 1u << 20, cert_pem, &cl) ||
        !util_read_file(key_path, 1u << 20, key_pem, &kl)) {
        snprintf(err, err_len, "cannot read %s / %s: %s", cert_path, key_path, strerror(errno));
        free(*cert_pem), free(*key_pem);
        *cert_pem = *key_pem = NULL;
        return false;
    }
    char fp[128];
    if (!fingerprint(*cert_pem, cl, fp, sizeof(fp))) {
        snprintf(err, err_len, "%s is not a PEM certificate", cert_path);
        free(*cert_pem), free(*key_pem);
        *cert_pem = *key_pem = NULL;
        return false;
    }
    LOG_INFO("TLS certificate %s, SHA-256 fingerprint %s", cert_path, fp);
    return true;
}
