/* desk_units: Vietnam's administrative units (assets/admin-units/units-2025.csv: 34 provinces,
 * 3321 communes) for choosing targets by name; notices store the codes. */
#ifndef BANGTIN_DESK_UNITS_H
#define BANGTIN_DESK_UNITS_H

#include <stdbool.h>
#include <stddef.h>

struct unit {
    char code[8]; /* "42" (province) or "18496" (commune) */
    char *name;   /* "Xã Hương Khê" */
    char *label;  /* "Xã Hương Khê — Tỉnh Hà Tĩnh" (province: its name) */
    char *key;    /* text_fold_key(label): "xa huong khe tinh ha tinh" */
    bool province;
};

struct units {
    struct unit *u;
    size_t n;
};

bool units_load(struct units *us, const char *csv_path, char *err, size_t err_len);
void units_free(struct units *us);
const struct unit *units_by_code(const struct units *us, const char *code);
/* Units whose folded label contains every word of the folded query ("huong khe", "Hương Khê",
 * "thai nguyen"); provinces first. Returns the count (up to max), out[] borrowed. */
size_t units_search(const struct units *us, const char *query, const struct unit **out, size_t max);
/* A unit named exactly by its label or its code (what the datalist inserts), else NULL. */
const struct unit *units_by_label(const struct units *us, const char *text);

#endif
