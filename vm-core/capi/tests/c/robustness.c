/* Bad input through the C ABI gives error values: robustness TOKEN.tbc */
#include "common.h"

static const uint8_t TRANSFER[] = {4, 5, 1, 2, 5, 0, 2, 4, 1, 0xaa, 3, 10, 5, 0, 0,
                                   4, 1, 0xaa, 4, 1, 0xbb, 3, 4};

/* A call that must fail before it starts with `want`, with a message. */
static void call_fails(const TallyModule *m, const char *entry, const uint8_t *args,
                       size_t len, const TallyCallLimits *l, TallyStatus want) {
    TallyOutcome o;
    char *err = NULL;
    TallyStatus got = tally_call(m, entry, args, len, l, &o, &err);
    if (got != want) fprintf(stderr, "%s (%zu bytes): status %d, want %d\n", entry, len, got, want);
    CHECK(got == want);
    CHECK(err != NULL && strlen(err) > 0);
    CHECK(o.result == NULL);
    tally_string_free(err);
    tally_outcome_free(&o);
}

int main(int argc, char **argv) {
    if (argc != 2) return 2;
    size_t len;
    uint8_t *bytes = read_file(argv[1], &len);
    if (!bytes) return 2;
    TallyModule *m = NULL;
    char *err = NULL;

    /* Null pointers. */
    CHECK(tally_module_load(NULL, len, 0, &m, &err) == TALLY_STATUS_NULL_POINTER);
    tally_string_free(err);
    CHECK(tally_module_load(bytes, len, 0, NULL, NULL) == TALLY_STATUS_NULL_POINTER);

    /* Every truncation, and every single-byte change, of the module. */
    for (size_t n = 0; n < len; n++) {
        CHECK(tally_module_load(bytes, n, 0, &m, &err) == TALLY_STATUS_DECODE);
        CHECK(m == NULL && err != NULL);
        tally_string_free(err);
    }
    for (size_t i = 0; i < len; i++) {
        uint8_t saved = bytes[i];
        bytes[i] ^= 0x5a;
        TallyStatus s = tally_module_load(bytes, len, 0, &m, &err);
        if (s == TALLY_STATUS_OK) {
            TallyCallLimits l = tally_call_limits(1000);
            TallyOutcome o;
            if (tally_call(m, "transfer", TRANSFER, sizeof TRANSFER, &l, &o, &err) == TALLY_STATUS_OK)
                tally_outcome_free(&o);
            else
                tally_string_free(err);
            tally_module_free(m);
        } else {
            CHECK(s == TALLY_STATUS_DECODE || s == TALLY_STATUS_VERIFY);
            tally_string_free(err);
        }
        bytes[i] = saved;
    }
    /* A tiny verification budget refuses the module. */
    CHECK(tally_module_load(bytes, len, 1, &m, &err) == TALLY_STATUS_VERIFY);
    tally_string_free(err);

    CHECK(tally_module_load(bytes, len, 0, &m, &err) == TALLY_STATUS_OK);
    free(bytes);

    /* Exports. */
    size_t n = tally_module_export_count(m);
    CHECK(n >= 2);
    const char *name = NULL, *sig = NULL, *gas = NULL, *mem = NULL;
    int found = 0;
    for (size_t i = 0; i < n; i++) {
        CHECK(tally_module_export(m, i, &name, &sig, &gas, &mem) == TALLY_STATUS_OK);
        if (strcmp(name, "transfer") == 0) {
            found = 1;
            CHECK(strstr(sig, "List<Entry>") != NULL);
            CHECK(strstr(gas, "|#0|") != NULL);
        }
    }
    CHECK(found);
    CHECK(tally_module_export(m, n, &name, NULL, NULL, NULL) == TALLY_STATUS_OUT_OF_RANGE);
    CHECK(tally_module_export(NULL, 0, &name, NULL, NULL, NULL) == TALLY_STATUS_NULL_POINTER);
    CHECK(tally_module_export_count(NULL) == 0);

    /* Bounds: null pointers, unknown entry, bad arguments. */
    TallyBounds b;
    CHECK(tally_bound(NULL, "transfer", TRANSFER, sizeof TRANSFER, &b, NULL) == TALLY_STATUS_NULL_POINTER);
    CHECK(tally_bound(m, NULL, TRANSFER, sizeof TRANSFER, &b, NULL) == TALLY_STATUS_NULL_POINTER);
    CHECK(tally_bound(m, "transfer", NULL, sizeof TRANSFER, &b, NULL) == TALLY_STATUS_NULL_POINTER);
    CHECK(tally_bound(m, "transfer", TRANSFER, sizeof TRANSFER, NULL, NULL) == TALLY_STATUS_NULL_POINTER);
    CHECK(tally_bound(m, "mint", TRANSFER, sizeof TRANSFER, &b, NULL) == TALLY_STATUS_UNKNOWN_ENTRY);
    CHECK(tally_bound(m, "\xff", TRANSFER, sizeof TRANSFER, &b, NULL) == TALLY_STATUS_UNKNOWN_ENTRY);
    for (size_t k = 0; k < sizeof TRANSFER; k++)
        CHECK(tally_bound(m, "transfer", TRANSFER, k, &b, NULL) == TALLY_STATUS_BAD_ARGUMENTS);
    CHECK(tally_bound(m, "transfer", TRANSFER, sizeof TRANSFER, &b, NULL) == TALLY_STATUS_OK);
    CHECK(b.gas > 0 && b.memory > 0);

    /* Calls. */
    TallyCallLimits l = tally_call_limits(1000000);
    call_fails(NULL, "transfer", TRANSFER, sizeof TRANSFER, &l, TALLY_STATUS_NULL_POINTER);
    call_fails(m, "transfer", TRANSFER, sizeof TRANSFER, NULL, TALLY_STATUS_NULL_POINTER);
    call_fails(m, "mint", TRANSFER, sizeof TRANSFER, &l, TALLY_STATUS_UNKNOWN_ENTRY);
    /* (Int) where (List<Entry>, Bytes, Bytes, Int) is expected. */
    const uint8_t one_int[] = {1, 3, 5};
    call_fails(m, "transfer", one_int, sizeof one_int, &l, TALLY_STATUS_BAD_ARGUMENTS);
    /* Four Ints: wrong types. */
    const uint8_t four_ints[] = {4, 3, 1, 3, 1, 3, 1, 3, 1};
    call_fails(m, "transfer", four_ints, sizeof four_ints, &l, TALLY_STATUS_BAD_ARGUMENTS);
    call_fails(m, "transfer", TRANSFER, sizeof TRANSFER - 1, &l, TALLY_STATUS_BAD_ARGUMENTS);
    CHECK(tally_call(m, "transfer", TRANSFER, sizeof TRANSFER, &l, NULL, NULL) == TALLY_STATUS_NULL_POINTER);

    /* Gas limit 0: the call starts and runs out of gas at once. */
    TallyOutcome o;
    TallyCallLimits zero = tally_call_limits(0);
    CHECK(tally_call(m, "transfer", TRANSFER, sizeof TRANSFER, &zero, &o, NULL) == TALLY_STATUS_OK);
    CHECK(o.trap == TALLY_TRAP_OUT_OF_GAS && o.gas_used == 0 && o.result == NULL);
    CHECK(strcmp(o.trap_name, "out_of_gas") == 0);
    tally_outcome_free(&o);
    /* Refused over the bound, without running. */
    zero.refuse_over_bound = 1;
    call_fails(m, "transfer", TRANSFER, sizeof TRANSFER, &zero, TALLY_STATUS_OVER_BOUND);
    /* A heap too small for the arguments. */
    TallyCallLimits tiny = tally_call_limits(1000000);
    tiny.heap_bytes = 16;
    CHECK(tally_call(m, "transfer", TRANSFER, sizeof TRANSFER, &tiny, &o, NULL) == TALLY_STATUS_OK);
    CHECK(o.trap == TALLY_TRAP_HEAP_EXHAUSTED);
    tally_outcome_free(&o);

    /* The transfer itself, and freeing an outcome twice. */
    CHECK(tally_call(m, "transfer", TRANSFER, sizeof TRANSFER, &l, &o, NULL) == TALLY_STATUS_OK);
    CHECK(o.trap == TALLY_TRAP_NONE && o.result != NULL && o.result_len > 0);
    CHECK(o.gas_used > 0 && o.gas_used <= b.gas && o.memory_used <= b.memory);
    tally_outcome_free(&o);
    tally_outcome_free(&o);
    tally_outcome_free(NULL);

    CHECK(strcmp(tally_status_name(TALLY_STATUS_NULL_POINTER), "null pointer") == 0);
    CHECK(strcmp(tally_status_name(99), "unknown status") == 0);
    CHECK(strcmp(tally_status_name(-1), "unknown status") == 0);
    tally_module_free(m);
    tally_module_free(NULL);
    tally_string_free(NULL);
    printf("%d failures\n", failures);
    return failures != 0;
}
