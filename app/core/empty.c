/* Placeholder translation unit for a module whose sources do not exist yet. */
typedef int bangtin_empty_unit;
