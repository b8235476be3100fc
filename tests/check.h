/* check.h: the smallest test harness that can fail. Each CHECK counts; main ends with
 * CHECK_DONE(), which prints "N passed, N failed" and returns non-zero on any failure. */
#ifndef BANGTIN_TEST_CHECK_H
#define BANGTIN_TEST_CHECK_H

#include <stdio.h>
#include <string.h>

static int check_passed_, check_failed_;

#define CHECK(cond)                                                                                \
    do {                                                                                           \
        if (cond) {                                                                                \
            check_passed_++;                                                                       \
        } else {                                                                                   \
            check_failed_++;                                                                       \
            fprintf(stderr, "%s:%d: CHECK failed: %s\n", __FILE__, __LINE__, #cond);               \
        }                                                                                          \
    } while (0)

#define CHECK_MSG(cond, ...)                                                                       \
    do {                                                                                           \
        if (cond) {                                                                                \
            check_passed_++;                                                                       \
        } else {                                                                                   \
            check_failed_++;                                                                       \
            fprintf(stderr, "%s:%d: CHECK failed: %s: ", __FILE__, __LINE__, #cond);               \
            fprintf(stderr, __VA_ARGS__);                                                          \
            fputc('\n', stderr);                                                                   \
        }                                                                                          \
    } while (0)

#define CHECK_STREQ(a, b)                                                                          \
    do {                                                                                           \
        const char *ca_ = (a), *cb_ = (b);                                                         \
        if (ca_ && cb_ && strcmp(ca_, cb_) == 0) {                                                 \
            check_passed_++;                                                                       \
        } else {                                                                                   \
            check_failed_++;                                                                       \
            fprintf(stderr, "%s:%d: CHECK_STREQ failed: %s = \"%s\", expected \"%s\"\n", __FILE__, \
                    __LINE__, #a, ca_ ? ca_ : "(null)", cb_ ? cb_ : "(null)");                     \
        }                                                                                          \
    } while (0)

#define CHECK_INTEQ(a, b)                                                                          \
    do {                                                                                           \
        long long ca_ = (long long)(a), cb_ = (long long)(b);                                      \
        if (ca_ == cb_) {                                                                          \
            check_passed_++;                                                                       \
        } else {                                                                                   \
            check_failed_++;                                                                       \
            fprintf(stderr, "%s:%d: CHECK_INTEQ failed: %s = %lld, expected %lld\n", __FILE__,     \
                    __LINE__, #a, ca_, cb_);                                                       \
        }                                                                                          \
    } while (0)

#define CHECK_DONE()                                                                               \
    (printf("%d passed, %d failed\n", check_passed_, check_failed_), check_failed_ ? 1 : 0)

#endif
