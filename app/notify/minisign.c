/* minisign public keys and signatures, verified with libsodium (Ed25519, BLAKE2b-512).
 *
 * Formats (minisign 0.11):
 *   key:  base64("Ed" || key id[8] || Ed25519 public key[32]), optionally after an
 *         "untrusted comment:" line (the .pub file);
 *   sig:  "untrusted comment: …" / base64(alg[2] || key id[8] || signature[64]) /
 *         "trusted comment: …" / base64(global signature[64]).
 *   alg "Ed" signs the message itself (legacy, `minisign -l`), "ED" signs its BLAKE2b-512
 *   hash (the default). The global signature covers signature || trusted comment, so the
 *   trusted comment cannot be altered. Everything is checked over the raw bytes: nothing
 *   here parses the message. */
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define LOG_MODULE "notify"
#include "bangtin/config.h"
#include "bangtin/log.h"
#include "bangtin/notify.h"
#include "bangtin/util.h"
#include "notify_internal.h"

#define KEY_BYTES        42 /* "Ed" + id + pk */
#define SIG_BYTES        74 /* alg + id + signature */
#define UNTRUSTED_PREFIX "untrusted comment:"
#define TRUSTED_PREFIX   "trusted comment: "

/* One line of a text of known length (not NUL-terminated). */
struct line {
    const char *p;
    size_t len;
};

/* Splits at '\n' and drops one trailing '\r' per line, as minisign does. Returns the number
 * of lines stored (at most max); *extra is set when non-empty lines follow. */
static size_t split_lines(const char *text, size_t len, struct line *lines, size_t max, bool *extra)
{
    size_t n = 0, pos = 0;
    *extra = false;
    while (pos < len) {
        const char *nl = memchr(text + pos, '\n', len - pos);
        size_t l = nl ? (size_t)(nl - (text + pos)) : len - pos;
        struct line ln = {text + pos, l};
        if (ln.len > 0 && ln.p[ln.len - 1] == '\r')
            ln.len--;
        if (n < max)
            lines[n++] = ln;
        else if (ln.len > 0)
            *extra = true;
        pos += l + (nl ? 1 : 0);
    }
    return n;
}

static bool line_starts(const struct line *l, const char *prefix)
{
    size_t n = strlen(prefix);
    return l->len >= n && memcmp(l->p, prefix, n) == 0;
}

/* Strict base64 of exactly want bytes: no whitespace, padding required, nothing left over.
 * The alphabet is checked first because sodium_base642bin (1.0.18, Debian 12) decodes any
 * byte >= 0x80 as '/': a signature line with such a byte would otherwise still verify. */
static bool decode_b64(const struct line *l, uint8_t *out, size_t want)
{
    char tmp[256];
    size_t bin_len = 0;
    if (l->len == 0 || l->len >= sizeof(tmp))
        return false;
    memcpy(tmp, l->p, l->len);
    tmp[l->len] = '\0';
    if (strspn(tmp, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/=") != l->len)
        return false;
    uint8_t bin[192];
    if (sodium_base642bin(bin, sizeof(bin), tmp, l->len, NULL, &bin_len, NULL,
                          sodium_base64_VARIANT_ORIGINAL) != 0 ||
        bin_len != want)
        return false;
    memcpy(out, bin, want);
    return true;
}

static void set_err(char *err, size_t err_len, const char *msg)
{
    if (err && err_len)
        snprintf(err, err_len, "%s", msg);
}

bool notify_key_parse(const char *text, const char *name, struct notify_key *out, char *err,
                      size_t err_len)
{
    struct line lines[3];
    bool extra;
    memset(out, 0, sizeof(*out));
    if (!text) {
        set_err(err, err_len, "no public key");
        return false;
    }
    size_t n = split_lines(text, strlen(text), lines, 3, &extra);
    size_t i = 0;
    if (n > 0 && line_starts(&lines[0], UNTRUSTED_PREFIX))
        i = 1;
    if (i >= n) {
        set_err(err, err_len, "no public key line");
        return false;
    }
    /* Surrounding blanks come from config files and copy-paste; inside, base64 is strict. */
    struct line l = lines[i];
    while (l.len && (*l.p == ' ' || *l.p == '\t'))
        l.p++, l.len--;
    while (l.len && (l.p[l.len - 1] == ' ' || l.p[l.len - 1] == '\t'))
        l.len--;
    uint8_t bin[KEY_BYTES];
    if (!decode_b64(&l, bin, sizeof(bin))) {
        set_err(err, err_len, "public key is not base64 of 42 bytes (expected \"RW…\")");
        return false;
    }
    if (bin[0] != 'E' || bin[1] != 'd') {
        set_err(err, err_len, "public key algorithm is not Ed25519");
        return false;
    }
    memcpy(out->key_id, bin + 2, 8);
    memcpy(out->pk, bin + 10, 32);
    out->name = xstrdup(name ? name : "");
    return true;
}

void notify_key_free(struct notify_key *k)
{
    if (!k)
        return;
    free(k->name);
    k->name = NULL;
}

const char *notify_key_id_hex(const struct notify_key *k, char *out)
{
    /* minisign prints the id as a little-endian 64-bit number. */
    for (int i = 0; i < 8; i++)
        snprintf(out + 2 * i, 3, "%02X", k->key_id[7 - i]);
    return out;
}

static const struct notify_key *find_key(const struct notify_key *keys, size_t n,
                                         const uint8_t id[8])
{
    for (size_t i = 0; i < n; i++)
        if (sodium_memcmp(keys[i].key_id, id, 8) == 0)
            return &keys[i];
    return NULL;
}

/* Both Ed25519 checks of a parsed signature file. */
static bool verify_parts(const struct notify_key *k, const uint8_t *raw, const void *msg,
                         size_t msg_len, const struct line *trusted, const uint8_t *global,
                         char *err, size_t err_len)
{
    const uint8_t *sig = raw + 10;
    int rc;
    if (raw[1] == 'D') {
        uint8_t h[crypto_generichash_BYTES_MAX];
        crypto_generichash(h, sizeof(h), msg, msg_len, NULL, 0);
        rc = crypto_sign_verify_detached(sig, h, sizeof(h), k->pk);
    } else {
        rc = crypto_sign_verify_detached(sig, msg, msg_len, k->pk);
    }
    if (rc != 0) {
        set_err(err, err_len, "signature does not match the document");
        return false;
    }
    size_t tc_len = trusted->len - strlen(TRUSTED_PREFIX);
    uint8_t *both = xmalloc(64 + tc_len + 1);
    memcpy(both, sig, 64);
    memcpy(both + 64, trusted->p + strlen(TRUSTED_PREFIX), tc_len);
    rc = crypto_sign_verify_detached(global, both, 64 + tc_len, k->pk);
    free(both);
    if (rc != 0) {
        set_err(err, err_len, "global signature does not match (trusted comment altered)");
        return false;
    }
    return true;
}

enum notify_verdict notify_check_signature(const struct notify_key *keys, size_t n_keys,
                                           const void *msg, size_t msg_len, const char *sig,
                                           size_t sig_len, const struct notify_key **signer,
                                           char *err, size_t err_len)
{
    struct line l[4];
    bool extra;
    uint8_t raw[SIG_BYTES], global[64];
    if (signer)
        *signer = NULL;
    if (sodium_init() < 0) {
        set_err(err, err_len, "libsodium failed to initialise");
        return NOTIFY_BAD_SIGNATURE;
    }
    if (!sig || sig_len == 0 || sig_len > NOTIFY_MAX_SIG_BYTES) {
        set_err(err, err_len, "signature file empty or too large");
        return NOTIFY_BAD_SIGNATURE;
    }
    size_t n = split_lines(sig, sig_len, l, 4, &extra);
    if (n < 4) {
        set_err(err, err_len, "signature file truncated");
        return NOTIFY_BAD_SIGNATURE;
    }
    if (extra || !line_starts(&l[0], UNTRUSTED_PREFIX) || !line_starts(&l[2], TRUSTED_PREFIX) ||
        memchr(l[2].p, '\0', l[2].len)) {
        set_err(err, err_len, "signature file is not in minisign format");
        return NOTIFY_BAD_SIGNATURE;
    }
    if (!decode_b64(&l[1], raw, sizeof(raw)) || !decode_b64(&l[3], global, sizeof(global))) {
        set_err(err, err_len, "signature lines are not base64 of the right length");
        return NOTIFY_BAD_SIGNATURE;
    }
    if (raw[0] != 'E' || (raw[1] != 'd' && raw[1] != 'D')) {
        set_err(err, err_len, "unsupported signature algorithm");
        return NOTIFY_BAD_SIGNATURE;
    }
    const struct notify_key *k = find_key(keys, n_keys, raw + 2);
    if (!k) {
        struct notify_key tmp;
        char hex[17];
        memcpy(tmp.key_id, raw + 2, 8);
        if (err && err_len)
            snprintf(err, err_len, "signed by key %s, which is not pinned",
                     notify_key_id_hex(&tmp, hex));
        return NOTIFY_UNKNOWN_KEY;
    }
    if (!verify_parts(k, raw, msg, msg_len, &l[2], global, err, err_len))
        return NOTIFY_BAD_SIGNATURE;
    if (signer)
        *signer = k;
    return NOTIFY_ACCEPTED;
}

bool notify_verify(const struct notify_key *keys, size_t n_keys, const void *msg, size_t msg_len,
                   const char *sig, size_t sig_len, const struct notify_key **signer, char *err,
                   size_t err_len)
{
    return notify_check_signature(keys, n_keys, msg, msg_len, sig, sig_len, signer, err, err_len) ==
           NOTIFY_ACCEPTED;
}

size_t notify_keys_from_config(const struct config *cfg, struct notify_key **out)
{
    *out = NULL;
    if (!cfg || cfg->n_keys == 0)
        return 0;
    struct notify_key *keys = xcalloc(cfg->n_keys, sizeof(*keys));
    size_t n = 0;
    for (size_t i = 0; i < cfg->n_keys; i++) {
        char err[128];
        if (notify_key_parse(cfg->keys[i].pubkey, cfg->keys[i].name, &keys[n], err, sizeof(err)))
            n++;
        else
            LOG_WARN("[urgent] trusted key %zu (%s) ignored: %s", i + 1,
                     cfg->keys[i].name ? cfg->keys[i].name : "?", err);
    }
    if (n == 0) {
        free(keys);
        return 0;
    }
    *out = keys;
    return n;
}

void notify_keys_free(struct notify_key *keys, size_t n)
{
    for (size_t i = 0; keys && i < n; i++)
        notify_key_free(&keys[i]);
    free(keys);
}
