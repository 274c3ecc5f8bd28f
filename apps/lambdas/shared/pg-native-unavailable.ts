/**
 * Stands in for the optional `pg-native` binding in the bundles (see `ALIASES` in `../build.ts`): the
 * functions use `pg`'s JavaScript client, and reaching for the native one fails loudly.
 */
throw new Error("pg-native is not bundled: the functions use the JavaScript pg client");
