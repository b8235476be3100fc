/* Signing with a minisign secret key file (DESIGN.md §11): the desk unlocks the official's key
 * for one signature, in memory only, and wipes it after.
 *
 * Secret key file (minisign 0.11): "untrusted comment: …" then base64 of
 *   sig_alg "Ed" [2] | kdf_alg "Sc" or 0,0 [2] | chk_alg "B2" [2] | salt [32] |
 *   opslimit [8, LE] | memlimit [8, LE] | keynum_sk [104]
 * keynum_sk = key id [8] | Ed25519 secret key [64] | checksum [32], xor-ed (when kdf_alg is
 * "Sc") with 104 bytes of crypto_pwhash_scryptsalsa208sha256(password, salt, opslimit,
 * memlimit). checksum = BLAKE2b-256(sig_alg | key id | secret key): a wrong password shows as
 * a checksum mismatch. The signature is the prehashed form ("ED", BLAKE2b-512 of the message)
 * that minisign -S writes by default; notify_verify checks it. */
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bangtin/notify.h"
#include "bangtin/util.h"

#define SK_FILE_BYTES (2 + 2 + 2 + 32 + 8 + 8 + 104)
#define KEYNUM_BYTES  104

struct sk_file {
    uint8_t sig_alg[2], kdf_alg[2], chk_alg[2], salt[32];
    uint64_t opslimit, memlimit;
    uint8_t keynum[KEYNUM_BYTES]; /* id[8] sk[64] chk[32] */
};

static void set_err(char *err, size_t err_len, const char *msg)
{
    if (err && err_len)
        snprintf(err, err_len, "%s", msg);
}

static uint64_t le64(const uint8_t *p)
{
    uint64_t v = 0;
    for (int i = 7; i >= 0; i--)
        v = (v << 8) | p[i];
    return v;
}

/* The base64 line of the file (the second line, or the first when there is no comment). */
static bool parse_file(const char *text, size_t len, struct sk_file *f, char *err, size_t err_len)
{
    const char *p = text, *end = text + len;
    if (len >= 18 && memcmp(p, "untrusted comment:", 18) == 0) {
        const char *nl = memchr(p, '\n', len);
        if (!nl) {
            set_err(err, err_len, "secret key file has no key line");
            return false;
        }
        p = nl + 1;
    }
    const char *e = memchr(p, '\n', (size_t)(end - p));
    if (!e)
        e = end;
    while (e > p && (e[-1] == '\r' || e[-1] == ' '))
        e--;
    uint8_t *bin = sodium_malloc(SK_FILE_BYTES + 16);
    size_t bin_len = 0;
    bool ok = bin &&
              sodium_base642bin(bin, SK_FILE_BYTES + 16, p, (size_t)(e - p), NULL, &bin_len, NULL,
                                sodium_base64_VARIANT_ORIGINAL) == 0 &&
              bin_len == SK_FILE_BYTES;
    if (ok) {
        memcpy(f->sig_alg, bin, 2);
        memcpy(f->kdf_alg, bin + 2, 2);
        memcpy(f->chk_alg, bin + 4, 2);
        memcpy(f->salt, bin + 6, 32);
        f->opslimit = le64(bin + 38);
        f->memlimit = le64(bin + 46);
        memcpy(f->keynum, bin + 54, KEYNUM_BYTES);
    } else {
        set_err(err, err_len, "secret key file is not a minisign secret key");
    }
    if (bin)
        sodium_free(bin);
    if (ok && (memcmp(f->sig_alg, "Ed", 2) != 0 || memcmp(f->chk_alg, "B2", 2) != 0)) {
        set_err(err, err_len, "secret key algorithm is not Ed25519/BLAKE2b");
        ok = false;
    }
    bool plain = f->kdf_alg[0] == 0 && f->kdf_alg[1] == 0;
    if (ok && !plain && memcmp(f->kdf_alg, "Sc", 2) != 0) {
        set_err(err, err_len, "secret key is encrypted with an unknown method");
        ok = false;
    }
    return ok;
}

/* keynum (locked memory) → decrypted and checked. */
static enum notify_sign_result unlock(struct sk_file *f, const char *password, uint8_t *keynum,
                                      char *err, size_t err_len)
{
    memcpy(keynum, f->keynum, KEYNUM_BYTES);
    if (memcmp(f->kdf_alg, "Sc", 2) == 0) {
        uint8_t *stream = sodium_malloc(KEYNUM_BYTES);
        if (!stream) {
            set_err(err, err_len, "out of memory");
            return NOTIFY_SIGN_FAILED;
        }
        /* Bounds: minisign writes 2^25 ops / 1 GiB; refuse absurd values from a bad file. */
        if (f->opslimit > (1ull << 32) || f->memlimit > (4ull << 30) ||
            crypto_pwhash_scryptsalsa208sha256(
                stream, KEYNUM_BYTES, password ? password : "", password ? strlen(password) : 0,
                f->salt, (unsigned long long)f->opslimit, (size_t)f->memlimit) != 0) {
            sodium_free(stream);
            set_err(err, err_len, "cannot derive the key (scrypt limits too large for memory)");
            return NOTIFY_SIGN_FAILED;
        }
        for (size_t i = 0; i < KEYNUM_BYTES; i++)
            keynum[i] ^= stream[i];
        sodium_free(stream);
    }
    uint8_t chk[32];
    crypto_generichash_state st;
    crypto_generichash_init(&st, NULL, 0, sizeof(chk));
    crypto_generichash_update(&st, f->sig_alg, 2);
    crypto_generichash_update(&st, keynum, 8 + 64);
    crypto_generichash_final(&st, chk, sizeof(chk));
    bool match = sodium_memcmp(chk, keynum + 72, sizeof(chk)) == 0;
    sodium_memzero(&st, sizeof(st));
    /* minisign -W (no password) leaves the checksum zero: then the key must at least be
     * consistent (its public half derived again from the seed). */
    static const uint8_t zero[32];
    if (!match && memcmp(f->kdf_alg, "Sc", 2) != 0 && sodium_memcmp(keynum + 72, zero, 32) == 0) {
        uint8_t pk[32], *sk = sodium_malloc(64);
        match = sk && crypto_sign_seed_keypair(pk, sk, keynum + 8) == 0 &&
                sodium_memcmp(pk, keynum + 8 + 32, 32) == 0;
        if (sk)
            sodium_free(sk);
    }
    if (!match) {
        set_err(err, err_len, "wrong password for the secret key");
        return NOTIFY_SIGN_BAD_PASSWORD;
    }
    return NOTIFY_SIGN_OK;
}

static char *b64(const uint8_t *bin, size_t len)
{
    size_t n = sodium_base64_ENCODED_LEN(len, sodium_base64_VARIANT_ORIGINAL);
    char *s = xmalloc(n);
    sodium_bin2base64(s, n, bin, len, sodium_base64_VARIANT_ORIGINAL);
    return s;
}

enum notify_sign_result notify_sign(const char *key_text, size_t key_len, const char *password,
                                    const void *msg, size_t msg_len, const char *trusted_comment,
                                    char **sig_out, char *key_id_hex, char *err, size_t err_len)
{
    struct sk_file f;
    *sig_out = NULL;
    if (sodium_init() < 0) {
        set_err(err, err_len, "libsodium failed to initialise");
        return NOTIFY_SIGN_FAILED;
    }
    if (!trusted_comment || strchr(trusted_comment, '\n') || strchr(trusted_comment, '\r')) {
        set_err(err, err_len, "trusted comment must be one line");
        return NOTIFY_SIGN_FAILED;
    }
    if (!key_text || !parse_file(key_text, key_len, &f, err, err_len))
        return NOTIFY_SIGN_BAD_KEY_FILE;
    uint8_t *keynum = sodium_malloc(KEYNUM_BYTES);
    if (!keynum) {
        sodium_memzero(&f, sizeof(f));
        set_err(err, err_len, "out of memory");
        return NOTIFY_SIGN_FAILED;
    }
    enum notify_sign_result rc = unlock(&f, password, keynum, err, err_len);
    sodium_memzero(&f, sizeof(f));
    if (rc == NOTIFY_SIGN_OK) {
        const uint8_t *id = keynum, *sk = keynum + 8;
        uint8_t raw[2 + 8 + 64], h[crypto_generichash_BYTES_MAX];
        memcpy(raw, "ED", 2);
        memcpy(raw + 2, id, 8);
        crypto_generichash(h, sizeof(h), msg, msg_len, NULL, 0);
        crypto_sign_detached(raw + 10, NULL, h, sizeof(h), sk);
        size_t tc_len = strlen(trusted_comment);
        uint8_t *both = xmalloc(64 + tc_len + 1), global[64];
        memcpy(both, raw + 10, 64);
        memcpy(both + 64, trusted_comment, tc_len);
        crypto_sign_detached(global, NULL, both, 64 + tc_len, sk);
        free(both);
        char *l1 = b64(raw, sizeof(raw)), *l2 = b64(global, sizeof(global));
        *sig_out = xasprintf("untrusted comment: signature from bangtin desk\n%s\n"
                             "trusted comment: %s\n%s\n",
                             l1, trusted_comment, l2);
        free(l1), free(l2);
        if (key_id_hex)
            for (int i = 0; i < 8; i++)
                snprintf(key_id_hex + 2 * i, 3, "%02X", id[7 - i]);
    }
    sodium_free(keynum); /* sodium_free zeroes the locked memory before unmapping it */
    return rc;
}
