/* gnutls_lib: GnuTLS loaded at its first call (include/bangtin/dynlib.h). GnuTLS initialises
 * itself when it is loaded (p11-kit, nettle, gmp: ~2 MiB touched); only the desk's
 * self-signed certificate needs it here. Every function the program calls is here with
 * gnutls/x509.h's prototype. */
#include "bangtin/dynlib.h"

#include <gnutls/crypto.h>
#include <gnutls/gnutls.h>
#include <gnutls/x509.h>

static void *p_rnd, *p_strerror, *p_crt_init, *p_crt_deinit, *p_crt_import, *p_crt_export,
    *p_crt_get_fingerprint, *p_crt_set_activation_time, *p_crt_set_expiration_time, *p_crt_set_dn,
    *p_crt_set_key, *p_crt_set_key_purpose_oid, *p_crt_set_key_usage, *p_crt_set_serial,
    *p_crt_set_subject_alt_name, *p_crt_set_version, *p_crt_sign2, *p_key_init, *p_key_deinit,
    *p_key_export, *p_key_generate;

static const struct dynlib_fn fns[] = {
    {"gnutls_rnd", &p_rnd},
    {"gnutls_strerror", &p_strerror},
    {"gnutls_x509_crt_init", &p_crt_init},
    {"gnutls_x509_crt_deinit", &p_crt_deinit},
    {"gnutls_x509_crt_import", &p_crt_import},
    {"gnutls_x509_crt_export", &p_crt_export},
    {"gnutls_x509_crt_get_fingerprint", &p_crt_get_fingerprint},
    {"gnutls_x509_crt_set_activation_time", &p_crt_set_activation_time},
    {"gnutls_x509_crt_set_expiration_time", &p_crt_set_expiration_time},
    {"gnutls_x509_crt_set_dn", &p_crt_set_dn},
    {"gnutls_x509_crt_set_key", &p_crt_set_key},
    {"gnutls_x509_crt_set_key_purpose_oid", &p_crt_set_key_purpose_oid},
    {"gnutls_x509_crt_set_key_usage", &p_crt_set_key_usage},
    {"gnutls_x509_crt_set_serial", &p_crt_set_serial},
    {"gnutls_x509_crt_set_subject_alt_name", &p_crt_set_subject_alt_name},
    {"gnutls_x509_crt_set_version", &p_crt_set_version},
    {"gnutls_x509_crt_sign2", &p_crt_sign2},
    {"gnutls_x509_privkey_init", &p_key_init},
    {"gnutls_x509_privkey_deinit", &p_key_deinit},
    {"gnutls_x509_privkey_export", &p_key_export},
    {"gnutls_x509_privkey_generate", &p_key_generate},
};

static struct dynlib lib = DYNLIB_INIT(BANGTIN_SONAME_GNUTLS, "GnuTLS, for the desk's HTTPS", fns);

int gnutls_rnd(gnutls_rnd_level_t level, void *data, size_t len)
{
    dynlib_need(&lib);
    return ((int (*)(gnutls_rnd_level_t, void *, size_t))p_rnd)(level, data, len);
}

const char *gnutls_strerror(int error)
{
    dynlib_need(&lib);
    return ((const char *(*)(int))p_strerror)(error);
}

int gnutls_x509_crt_init(gnutls_x509_crt_t *cert)
{
    dynlib_need(&lib);
    return ((int (*)(gnutls_x509_crt_t *))p_crt_init)(cert);
}

void gnutls_x509_crt_deinit(gnutls_x509_crt_t cert)
{
    dynlib_need(&lib);
    ((void (*)(gnutls_x509_crt_t))p_crt_deinit)(cert);
}

int gnutls_x509_crt_import(gnutls_x509_crt_t cert, const gnutls_datum_t *data,
                           gnutls_x509_crt_fmt_t format)
{
    dynlib_need(&lib);
    return ((int (*)(gnutls_x509_crt_t, const gnutls_datum_t *,
                     gnutls_x509_crt_fmt_t))p_crt_import)(cert, data, format);
}

int gnutls_x509_crt_export(gnutls_x509_crt_t cert, gnutls_x509_crt_fmt_t format, void *out,
                           size_t *out_size)
{
    dynlib_need(&lib);
    return ((int (*)(gnutls_x509_crt_t, gnutls_x509_crt_fmt_t, void *, size_t *))p_crt_export)(
        cert, format, out, out_size);
}

int gnutls_x509_crt_get_fingerprint(gnutls_x509_crt_t cert, gnutls_digest_algorithm_t algo,
                                    void *buf, size_t *buf_size)
{
    dynlib_need(&lib);
    return ((int (*)(gnutls_x509_crt_t, gnutls_digest_algorithm_t, void *,
                     size_t *))p_crt_get_fingerprint)(cert, algo, buf, buf_size);
}

int gnutls_x509_crt_set_activation_time(gnutls_x509_crt_t cert, time_t t)
{
    dynlib_need(&lib);
    return ((int (*)(gnutls_x509_crt_t, time_t))p_crt_set_activation_time)(cert, t);
}

int gnutls_x509_crt_set_expiration_time(gnutls_x509_crt_t cert, time_t t)
{
    dynlib_need(&lib);
    return ((int (*)(gnutls_x509_crt_t, time_t))p_crt_set_expiration_time)(cert, t);
}

int gnutls_x509_crt_set_dn(gnutls_x509_crt_t crt, const char *dn, const char **err)
{
    dynlib_need(&lib);
    return ((int (*)(gnutls_x509_crt_t, const char *, const char **))p_crt_set_dn)(crt, dn, err);
}

int gnutls_x509_crt_set_key(gnutls_x509_crt_t crt, gnutls_x509_privkey_t key)
{
    dynlib_need(&lib);
    return ((int (*)(gnutls_x509_crt_t, gnutls_x509_privkey_t))p_crt_set_key)(crt, key);
}

int gnutls_x509_crt_set_key_purpose_oid(gnutls_x509_crt_t cert, const void *oid,
                                        unsigned int critical)
{
    dynlib_need(&lib);
    return ((int (*)(gnutls_x509_crt_t, const void *, unsigned int))p_crt_set_key_purpose_oid)(
        cert, oid, critical);
}

int gnutls_x509_crt_set_key_usage(gnutls_x509_crt_t crt, unsigned int usage)
{
    dynlib_need(&lib);
    return ((int (*)(gnutls_x509_crt_t, unsigned int))p_crt_set_key_usage)(crt, usage);
}

int gnutls_x509_crt_set_serial(gnutls_x509_crt_t cert, const void *serial, size_t serial_size)
{
    dynlib_need(&lib);
    return ((int (*)(gnutls_x509_crt_t, const void *, size_t))p_crt_set_serial)(cert, serial,
                                                                                serial_size);
}

int gnutls_x509_crt_set_subject_alt_name(gnutls_x509_crt_t crt, gnutls_x509_subject_alt_name_t type,
                                         const void *data, unsigned int data_size,
                                         unsigned int flags)
{
    dynlib_need(&lib);
    return ((int (*)(gnutls_x509_crt_t, gnutls_x509_subject_alt_name_t, const void *, unsigned int,
                     unsigned int))p_crt_set_subject_alt_name)(crt, type, data, data_size, flags);
}

int gnutls_x509_crt_set_version(gnutls_x509_crt_t crt, unsigned int version)
{
    dynlib_need(&lib);
    return ((int (*)(gnutls_x509_crt_t, unsigned int))p_crt_set_version)(crt, version);
}

int gnutls_x509_crt_sign2(gnutls_x509_crt_t crt, gnutls_x509_crt_t issuer,
                          gnutls_x509_privkey_t issuer_key, gnutls_digest_algorithm_t dig,
                          unsigned int flags)
{
    dynlib_need(&lib);
    return ((int (*)(gnutls_x509_crt_t, gnutls_x509_crt_t, gnutls_x509_privkey_t,
                     gnutls_digest_algorithm_t, unsigned int))p_crt_sign2)(crt, issuer, issuer_key,
                                                                           dig, flags);
}

int gnutls_x509_privkey_init(gnutls_x509_privkey_t *key)
{
    dynlib_need(&lib);
    return ((int (*)(gnutls_x509_privkey_t *))p_key_init)(key);
}

void gnutls_x509_privkey_deinit(gnutls_x509_privkey_t key)
{
    dynlib_need(&lib);
    ((void (*)(gnutls_x509_privkey_t))p_key_deinit)(key);
}

int gnutls_x509_privkey_export(gnutls_x509_privkey_t key, gnutls_x509_crt_fmt_t format, void *out,
                               size_t *out_size)
{
    dynlib_need(&lib);
    return ((int (*)(gnutls_x509_privkey_t, gnutls_x509_crt_fmt_t, void *, size_t *))p_key_export)(
        key, format, out, out_size);
}

int gnutls_x509_privkey_generate(gnutls_x509_privkey_t key, gnutls_pk_algorithm_t algo,
                                 unsigned int bits, unsigned int flags)
{
    dynlib_need(&lib);
    return ((int (*)(gnutls_x509_privkey_t, gnutls_pk_algorithm_t, unsigned int,
                     unsigned int))p_key_generate)(key, algo, bits, flags);
}
