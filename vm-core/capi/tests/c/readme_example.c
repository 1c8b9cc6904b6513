#include <stdio.h>
#include "tally.h"

int main(void) {
    static uint8_t bytes[1 << 16];
    FILE *f = fopen("vm-core/conformance/modules/assoc_token.tbc", "rb");
    size_t len = f ? fread(bytes, 1, sizeof bytes, f) : 0;
    if (f) fclose(f);
    TallyModule *m;
    char *err;
    if (tally_module_load(bytes, len, 0, &m, &err) != TALLY_STATUS_OK) {
        fprintf(stderr, "cannot load: %s\n", err);
        tally_string_free(err);
        return 1;
    }
    /* transfer([Entry { owner: #"aa", amount: 10 }], #"aa", #"bb", 4), canonically encoded */
    const uint8_t args[] = {4, 5, 1, 2, 5, 0, 2, 4, 1, 0xaa, 3, 10, 5, 0, 0,
                            4, 1, 0xaa, 4, 1, 0xbb, 3, 4};
    TallyBounds b;
    tally_bound(m, "transfer", args, sizeof args, &b, NULL);
    TallyCallLimits limits = tally_call_limits(1000000);
    TallyOutcome o;
    tally_call(m, "transfer", args, sizeof args, &limits, &o, NULL);
    printf("%s: gas %llu (bound %llu), result %zu bytes\n", o.trap_name,
           (unsigned long long)o.gas_used, (unsigned long long)b.gas, o.result_len);
    int failed = o.trap != TALLY_TRAP_NONE;
    tally_outcome_free(&o);
    tally_module_free(m);
    return failed;
}
