/* desk_auth: accounts, sessions, CSRF tokens and the login limit (see desk_auth.h for the
 * numbers). Passwords are argon2id hashes (libsodium crypto_pwhash_str, interactive limits);
 * tokens are 32 random bytes from randombytes_buf. */
#include <errno.h>
#include <pthread.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#define LOG_MODULE "desk"
#include "bangtin/log.h"
#include "bangtin/util.h"
#include "desk_auth.h"

struct user {
    char *name, *hash;
};

#define AUTH_MAX_LIMITS 65536

struct limit {
    char key[AUTH_USER_MAX + 8]; /* "u:name" or "a:address" */
    int fails;                   /* failures in a row */
    int locks;                   /* locks so far in this run of failures */
    int64_t locked_until;
};

struct auth {
    pthread_mutex_t mu;
    struct user *users;
    size_t n_users;
    struct auth_session *sessions;
    size_t n_sessions;
    struct limit *limits;
    size_t n_limits;
    char dummy[crypto_pwhash_STRBYTES]; /* verified for unknown users: same cost */
};

bool auth_user_name_ok(const char *user)
{
    size_t n = user ? strlen(user) : 0;
    return n >= 1 && n <= AUTH_USER_MAX &&
           strspn(user, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._-") == n;
}

static bool load_users(struct auth *a, const char *path, char *err, size_t err_len)
{
    char *text = NULL;
    size_t len;
    if (!util_read_file(path, 1u << 20, &text, &len)) {
        snprintf(err, err_len, "cannot read users file %s: %s", path, strerror(errno));
        return false;
    }
    char *save = NULL;
    for (char *line = strtok_r(text, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
        str_trim(line);
        if (!line[0] || line[0] == '#')
            continue;
        char *colon = strchr(line, ':');
        if (!colon)
            continue;
        *colon = '\0';
        if (!auth_user_name_ok(line) || strncmp(colon + 1, "$argon2id$", 10) != 0) {
            LOG_WARN("%s: entry for \"%s\" ignored (expected user:$argon2id$…, made by bangtin "
                     "passwd)",
                     path, line);
            continue;
        }
        a->users = xrealloc(a->users, (a->n_users + 1) * sizeof(*a->users));
        a->users[a->n_users].name = xstrdup(line);
        a->users[a->n_users].hash = xstrdup(colon + 1);
        a->n_users++;
    }
    free(text);
    return true;
}

struct auth *auth_create(const char *users_file, char *err, size_t err_len)
{
    if (sodium_init() < 0) {
        snprintf(err, err_len, "libsodium failed to initialise");
        return NULL;
    }
    struct auth *a = xcalloc(1, sizeof(*a));
    pthread_mutex_init(&a->mu, NULL);
    if (str_empty(users_file)) {
        snprintf(err, err_len, "no users_file configured");
        auth_destroy(a);
        return NULL;
    }
    uint8_t rnd[16];
    randombytes_buf(rnd, sizeof(rnd));
    if (crypto_pwhash_str_alg(
            a->dummy, (const char *)rnd, sizeof(rnd), crypto_pwhash_OPSLIMIT_INTERACTIVE,
            crypto_pwhash_MEMLIMIT_INTERACTIVE, crypto_pwhash_ALG_ARGON2ID13) != 0 ||
        !load_users(a, users_file, err, err_len)) {
        auth_destroy(a);
        return NULL;
    }
    return a;
}

void auth_destroy(struct auth *a)
{
    if (!a)
        return;
    for (size_t i = 0; i < a->n_users; i++)
        free(a->users[i].name), free(a->users[i].hash);
    free(a->users);
    sodium_memzero(a->sessions, a->n_sessions * sizeof(*a->sessions));
    free(a->sessions);
    free(a->limits);
    pthread_mutex_destroy(&a->mu);
    free(a);
}

size_t auth_user_count(struct auth *a)
{
    return a->n_users;
}

static void new_token(char *out)
{
    uint8_t raw[32];
    randombytes_buf(raw, sizeof(raw));
    sodium_bin2base64(out, AUTH_TOKEN_LEN + 1, raw, sizeof(raw),
                      sodium_base64_VARIANT_URLSAFE_NO_PADDING);
    sodium_memzero(raw, sizeof(raw));
}

static bool expired(const struct auth_session *s, int64_t now)
{
    return now - s->last_seen > AUTH_SESSION_IDLE_S || now - s->created > AUTH_SESSION_MAX_S ||
           now < s->created;
}

static ssize_t find_session(struct auth *a, const char *id)
{
    if (!id || strlen(id) != AUTH_TOKEN_LEN)
        return -1;
    for (size_t i = 0; i < a->n_sessions; i++)
        if (sodium_memcmp(a->sessions[i].id, id, AUTH_TOKEN_LEN) == 0)
            return (ssize_t)i;
    return -1;
}

static void drop_session(struct auth *a, size_t i)
{
    sodium_memzero(&a->sessions[i], sizeof(a->sessions[i]));
    a->sessions[i] = a->sessions[--a->n_sessions];
}

bool auth_session_get(struct auth *a, const char *id, int64_t now, struct auth_session *out)
{
    pthread_mutex_lock(&a->mu);
    ssize_t i = find_session(a, id);
    bool ok = false;
    if (i >= 0 && expired(&a->sessions[i], now)) {
        drop_session(a, (size_t)i);
    } else if (i >= 0) {
        a->sessions[i].last_seen = now;
        *out = a->sessions[i];
        ok = true;
    }
    pthread_mutex_unlock(&a->mu);
    return ok;
}

void auth_session_new(struct auth *a, const char *user, const char *old_id, int64_t now,
                      struct auth_session *out)
{
    pthread_mutex_lock(&a->mu);
    ssize_t old = find_session(a, old_id);
    if (old >= 0)
        drop_session(a, (size_t)old);
    for (size_t i = 0; i < a->n_sessions;)
        if (expired(&a->sessions[i], now))
            drop_session(a, i);
        else
            i++;
    if (a->n_sessions >= AUTH_MAX_SESSIONS) {
        /* Full: the oldest session without a user goes first, else the oldest. */
        size_t victim = 0;
        for (size_t i = 1; i < a->n_sessions; i++) {
            bool anon_i = !a->sessions[i].user[0], anon_v = !a->sessions[victim].user[0];
            if ((anon_i && !anon_v) ||
                (anon_i == anon_v && a->sessions[i].last_seen < a->sessions[victim].last_seen))
                victim = i;
        }
        drop_session(a, victim);
    }
    a->sessions = xrealloc(a->sessions, (a->n_sessions + 1) * sizeof(*a->sessions));
    struct auth_session *s = &a->sessions[a->n_sessions++];
    memset(s, 0, sizeof(*s));
    new_token(s->id);
    new_token(s->csrf);
    snprintf(s->user, sizeof(s->user), "%s", user ? user : "");
    s->created = s->last_seen = now;
    *out = *s;
    pthread_mutex_unlock(&a->mu);
}

void auth_session_end(struct auth *a, const char *id)
{
    pthread_mutex_lock(&a->mu);
    ssize_t i = find_session(a, id);
    if (i >= 0)
        drop_session(a, (size_t)i);
    pthread_mutex_unlock(&a->mu);
}

bool auth_csrf_ok(const struct auth_session *s, const char *token)
{
    return token && strlen(token) == AUTH_TOKEN_LEN &&
           sodium_memcmp(s->csrf, token, AUTH_TOKEN_LEN) == 0;
}

bool auth_token_ok(const char *expected, const char *given)
{
    size_t n = expected ? strlen(expected) : 0;
    return n >= 16 && given && strlen(given) == n && sodium_memcmp(expected, given, n) == 0;
}

/* Index, not pointer: adding the second entry may move the array. */
static size_t limit_get(struct auth *a, const char *prefix, const char *v)
{
    char key[sizeof(((struct limit *)0)->key)];
    snprintf(key, sizeof(key), "%s%s", prefix, v);
    for (size_t i = 0; i < a->n_limits; i++)
        if (strcmp(a->limits[i].key, key) == 0)
            return i;
    size_t i;
    if (a->n_limits >= AUTH_MAX_LIMITS) {
        /* Bounded: reuse a random entry (a flood of names must not grow memory). Entries are
         * never moved, so an index stays valid. */
        i = randombytes_uniform(AUTH_MAX_LIMITS);
    } else {
        a->limits = xrealloc(a->limits, (a->n_limits + 1) * sizeof(*a->limits));
        i = a->n_limits++;
    }
    struct limit *l = &a->limits[i];
    memset(l, 0, sizeof(*l));
    snprintf(l->key, sizeof(l->key), "%s", key);
    return i;
}

static void limit_fail(struct limit *l, int64_t now)
{
    l->fails++;
    if (l->fails >= AUTH_MAX_FAILS) {
        int64_t d = AUTH_LOCK_FIRST_S;
        for (int i = 0; i < l->locks && d < AUTH_LOCK_MAX_S; i++)
            d *= 2;
        if (d > AUTH_LOCK_MAX_S)
            d = AUTH_LOCK_MAX_S;
        l->locks++;
        l->locked_until = now + d;
    }
}

enum auth_login auth_login(struct auth *a, const char *user, const char *password, const char *addr,
                           int64_t now, int64_t *retry_at)
{
    char uname[AUTH_USER_MAX + 1];
    snprintf(uname, sizeof(uname), "%s", user ? user : "");
    pthread_mutex_lock(&a->mu);
    size_t iu = limit_get(a, "u:", uname), ia = limit_get(a, "a:", addr ? addr : "?");
    iu = limit_get(a, "u:", uname); /* the second lookup may have moved the array */
    struct limit *lu = &a->limits[iu], *la = &a->limits[ia];
    int64_t until = lu->locked_until > la->locked_until ? lu->locked_until : la->locked_until;
    char *hash = NULL;
    for (size_t i = 0; i < a->n_users; i++)
        if (strcmp(a->users[i].name, uname) == 0)
            hash = xstrdup(a->users[i].hash);
    pthread_mutex_unlock(&a->mu);
    if (until > now) {
        *retry_at = until;
        free(hash);
        return AUTH_LOGIN_LOCKED;
    }
    /* Verify outside the lock (argon2id takes a while); an unknown user costs the same. */
    bool ok = password &&
              crypto_pwhash_str_verify(hash ? hash : a->dummy, password, strlen(password)) == 0 &&
              hash;
    free(hash);
    pthread_mutex_lock(&a->mu);
    iu = limit_get(a, "u:", uname);
    ia = limit_get(a, "a:", addr ? addr : "?");
    iu = limit_get(a, "u:", uname);
    lu = &a->limits[iu], la = &a->limits[ia];
    if (ok) {
        lu->fails = lu->locks = 0;
        la->fails = la->locks = 0;
    } else {
        limit_fail(lu, now);
        limit_fail(la, now);
    }
    pthread_mutex_unlock(&a->mu);
    return ok ? AUTH_LOGIN_OK : AUTH_LOGIN_WRONG;
}

bool auth_passwd_set(const char *users_file, const char *user, const char *password, char *err,
                     size_t err_len)
{
    if (!auth_user_name_ok(user)) {
        snprintf(err, err_len, "user name must be 1-%d of A-Z a-z 0-9 . _ -", AUTH_USER_MAX);
        return false;
    }
    if (!password || strlen(password) < 8) {
        snprintf(err, err_len, "password too short (at least 8 characters)");
        return false;
    }
    if (sodium_init() < 0) {
        snprintf(err, err_len, "libsodium failed to initialise");
        return false;
    }
    char hash[crypto_pwhash_STRBYTES];
    if (crypto_pwhash_str_alg(hash, password, strlen(password), crypto_pwhash_OPSLIMIT_INTERACTIVE,
                              crypto_pwhash_MEMLIMIT_INTERACTIVE,
                              crypto_pwhash_ALG_ARGON2ID13) != 0) {
        snprintf(err, err_len, "out of memory while hashing");
        return false;
    }
    char *old = NULL;
    size_t len = 0;
    struct buf out;
    buf_init(&out, 0);
    buf_append(&out, "", 0);
    if (util_read_file(users_file, 1u << 20, &old, &len)) {
        char *save = NULL;
        size_t ulen = strlen(user);
        for (char *line = strtok_r(old, "\n", &save); line; line = strtok_r(NULL, "\n", &save))
            if (!(strncmp(line, user, ulen) == 0 && line[ulen] == ':'))
                buf_printf(&out, "%s\n", line);
        free(old);
    } else if (errno != ENOENT) {
        snprintf(err, err_len, "cannot read %s: %s", users_file, strerror(errno));
        buf_free(&out);
        return false;
    }
    buf_printf(&out, "%s:%s\n", user, hash);
    mode_t um = umask(077);
    bool ok = util_write_file_atomic(users_file, out.data, out.len);
    umask(um);
    if (!ok)
        snprintf(err, err_len, "cannot write %s: %s", users_file, strerror(errno));
    else
        chmod(users_file, 0600);
    buf_free(&out);
    return ok;
}
