/* Runs every conformance vector through the C ABI: conformance DIR */
#include "common.h"

#define MAX_MODULES 64

int main(int argc, char **argv) {
    if (argc != 2) return 2;
    char path[4096];
    snprintf(path, sizeof path, "%s/vectors.txt", argv[1]);
    FILE *f = fopen(path, "r");
    if (!f) { perror(path); return 2; }
    char names[MAX_MODULES][256];
    TallyModule *mods[MAX_MODULES];
    int nmods = 0, vectors = 0;
    static char line[1 << 20];
    while (fgets(line, sizeof line, f)) {
        if (line[0] == '#' || line[0] == '\n') continue;
        static char file[256], entry[256], args[1 << 19], status[64], result[1 << 19];
        unsigned long long gas, bgas, bmem, used, mem;
        if (sscanf(line, "%255s %255s %524287s %llu %llu %llu %63s %llu %llu %524287s", file,
                   entry, args, &gas, &bgas, &bmem, status, &used, &mem, result) != 10) {
            fprintf(stderr, "bad line: %s", line);
            return 2;
        }
        int mi = 0;
        while (mi < nmods && strcmp(names[mi], file) != 0) mi++;
        if (mi == nmods) {
            if (nmods == MAX_MODULES) return 2;
            snprintf(path, sizeof path, "%s/modules/%s", argv[1], file);
            size_t len;
            uint8_t *bytes = read_file(path, &len);
            if (!bytes) { perror(path); return 2; }
            char *err = NULL;
            TallyStatus s = tally_module_load(bytes, len, 0, &mods[mi], &err);
            free(bytes);
            if (s != TALLY_STATUS_OK) {
                fprintf(stderr, "%s: %s\n", file, err);
                tally_string_free(err);
                return 1;
            }
            snprintf(names[mi], sizeof names[mi], "%s", file);
            nmods++;
        }
        size_t alen, rlen;
        uint8_t *a = unhex(args, &alen), *r = unhex(result, &rlen);
        TallyBounds b;
        CHECK(tally_bound(mods[mi], entry, a, alen, &b, NULL) == TALLY_STATUS_OK);
        CHECK(b.gas == bgas && b.memory == bmem);
        TallyCallLimits limits = tally_call_limits(gas);
        TallyOutcome o;
        CHECK(tally_call(mods[mi], entry, a, alen, &limits, &o, NULL) == TALLY_STATUS_OK);
        CHECK(strcmp(o.trap_name, status) == 0);
        CHECK(o.gas_used == used && o.memory_used == mem);
        CHECK(o.bounds.gas == bgas && o.bounds.memory == bmem);
        CHECK(o.result_len == rlen && (rlen == 0 || memcmp(o.result, r, rlen) == 0));
        if (failures) fprintf(stderr, "at vector: %s", line);
        tally_outcome_free(&o);
        free(a);
        free(r);
        vectors++;
        if (failures) break;
    }
    fclose(f);
    for (int i = 0; i < nmods; i++) tally_module_free(mods[i]);
    printf("%d vectors, %d failures\n", vectors, failures);
    return failures != 0 || vectors == 0;
}
