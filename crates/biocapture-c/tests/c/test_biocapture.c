/*
 * The C ABI from C11: every committed print and the astronaut portrait
 * with its generated variations, checked against the manifests, and every
 * error path. Built by .ci/run twice (against libbiocapture.so and
 * libbiocapture.a) and run under valgrind.
 *
 *   test_biocapture REPO_ROOT RAW_DIR [JSON_OUT]
 *
 * RAW_DIR holds the images as raw pixels (dump_raw writes them). With
 * JSON_OUT, every report's JSON is written there as one line with the
 * image's path first, as `examples/assess` prints it, for CI to compare.
 * Prints "N passed, M failed" and exits non-zero on any failure.
 */
#define _POSIX_C_SOURCE 200809L
#include "biocapture.h"

#include <math.h>
#include <stddef.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int passed, failed;

static void check(int ok, const char *fmt, ...) {
    if (ok) {
        passed++;
        return;
    }
    failed++;
    va_list ap;
    va_start(ap, fmt);
    fprintf(stderr, "FAIL: ");
    vfprintf(stderr, fmt, ap);
    fprintf(stderr, "\n");
    va_end(ap);
}

/* The calling thread's last error message (static buffer). */
static const char *last_error(void) {
    static char buf[512];
    bc_last_error_message(buf, sizeof buf);
    return buf;
}

static void check_status(BcStatus got, BcStatus want, const char *what) {
    check(got == want, "%s: status %s (%d), expected %s: %s", what, bc_status_name(got), got,
          bc_status_name(want), got == BC_STATUS_OK ? "" : last_error());
}

/* ---- files ---------------------------------------------------------- */

static char *read_text(const char *path) {
    FILE *f = fopen(path, "rb");
    if (!f) return NULL;
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    char *text = malloc((size_t)n + 1);
    if (text && fread(text, 1, (size_t)n, f) != (size_t)n) {
        free(text);
        text = NULL;
    }
    if (text) text[n] = '\0';
    fclose(f);
    return text;
}

typedef struct {
    uint32_t width, height, channels;
    uint8_t *pixels;
} Raw;

static int read_raw(const char *path, Raw *raw) {
    FILE *f = fopen(path, "rb");
    if (!f) return 0;
    int ok = fscanf(f, "BCRAW %u %u %u", &raw->width, &raw->height, &raw->channels) == 3 &&
             fgetc(f) == '\n';
    size_t n = (size_t)raw->width * raw->height * raw->channels;
    raw->pixels = ok ? malloc(n) : NULL;
    ok = ok && raw->pixels && fread(raw->pixels, 1, n, f) == n;
    fclose(f);
    if (!ok) free(raw->pixels);
    return ok;
}

/* The codes of a result's findings, space-separated, in order. */
static void codes_of(const BcFinding *findings, uint32_t count, char *out, size_t cap) {
    out[0] = '\0';
    for (uint32_t i = 0; i < count; i++) {
        if (i) strncat(out, " ", cap - strlen(out) - 1);
        strncat(out, findings[i].code ? findings[i].code : "(null)", cap - strlen(out) - 1);
    }
}

/* Space-separated words, sorted, for order-free comparison. */
static int cmp_str(const void *a, const void *b) {
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static void sorted_words(const char *in, char *out, size_t cap) {
    char copy[512];
    char *words[64];
    int n = 0;
    snprintf(copy, sizeof copy, "%s", in);
    for (char *w = strtok(copy, " "); w && n < 64; w = strtok(NULL, " ")) words[n++] = w;
    qsort(words, (size_t)n, sizeof words[0], cmp_str);
    out[0] = '\0';
    for (int i = 0; i < n; i++) {
        if (i) strncat(out, " ", cap - strlen(out) - 1);
        strncat(out, words[i], cap - strlen(out) - 1);
    }
}

/* The JSON string array after `key` in `line` ("[\"a\", \"b\"]"), as
 * space-separated words. Returns 0 when the key is missing. */
static int json_words(const char *line, const char *key, char *out, size_t cap) {
    const char *p = strstr(line, key);
    if (!p) return 0;
    p = strchr(p, '[');
    const char *end = p ? strchr(p, ']') : NULL;
    if (!end) return 0;
    out[0] = '\0';
    for (const char *q = p; q < end; q++) {
        if (*q != '"') continue;
        const char *close = strchr(q + 1, '"');
        if (!close || close > end) break;
        if (out[0]) strncat(out, " ", cap - strlen(out) - 1);
        strncat(out, q + 1, (size_t)(close - q - 1) < cap - strlen(out) - 1
                                ? (size_t)(close - q - 1)
                                : cap - strlen(out) - 1);
        q = close;
    }
    return 1;
}

static FILE *json_out;

/* Writes the handle's JSON report as `{"file":"PATH",...}`. */
static void emit_json(const char *path, const char *json) {
    if (json_out) fprintf(json_out, "{\"file\":\"%s\",%s\n", path, json + 1);
}

/* ---- fingerprints --------------------------------------------------- */

static BcFingerprintResult new_fp_result(void) {
    BcFingerprintResult r;
    memset(&r, 0, sizeof r);
    r.struct_size = sizeof r;
    return r;
}

/* The JSON report of the last assessment, checking the size protocol. */
static char *fingerprint_json(const BcFingerprintAssessor *a, const char *what) {
    size_t needed = 0;
    BcStatus s = bc_fingerprint_report_json(a, NULL, 0, &needed);
    check_status(s, BC_STATUS_BUFFER_TOO_SMALL, what);
    char *json = malloc(needed);
    size_t again = 0;
    s = bc_fingerprint_report_json(a, json, needed, &again);
    check_status(s, BC_STATUS_OK, what);
    check(again == needed && strlen(json) + 1 == needed, "%s: JSON size %zu/%zu/%zu", what,
          needed, again, strlen(json) + 1);
    check(strncmp(json, "{\"verdict\":\"", 12) == 0, "%s: JSON starts %.20s", what, json);
    return json;
}

static void test_prints(const char *root, const char *raw_dir) {
    char path[1024];
    snprintf(path, sizeof path, "%s/testdata/fingerprint/manifest.csv", root);
    char *manifest = read_text(path);
    check(manifest != NULL, "read %s", path);
    if (!manifest) return;

    BcFingerprintAssessor *en = NULL, *vi = NULL;
    check_status(bc_fingerprint_assessor_new(NULL, &en), BC_STATUS_OK, "new (NULL options)");
    BcFingerprintOptions options = {.struct_size = sizeof options, .lang = BC_LANG_VI};
    check_status(bc_fingerprint_assessor_new(&options, &vi), BC_STATUS_OK, "new (vi)");

    int prints = 0;
    char *save = NULL;
    strtok_r(manifest, "\n", &save); /* header */
    for (char *line = strtok_r(NULL, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
        char file[128], verdict[16], reasons[256] = "", moisture[16];
        double clarity;
        /* file,verdict,reasons,clarity,moisture_class; reasons may be empty */
        char *f[5];
        int nf = 0;
        for (char *p = line; nf < 5; nf++) {
            f[nf] = p;
            char *comma = strchr(p, ',');
            if (!comma) {
                nf++;
                break;
            }
            *comma = '\0';
            p = comma + 1;
        }
        if (nf != 5) {
            check(0, "manifest line with %d fields", nf);
            continue;
        }
        snprintf(file, sizeof file, "%s", f[0]);
        snprintf(verdict, sizeof verdict, "%s", f[1]);
        snprintf(reasons, sizeof reasons, "%s", f[2]);
        clarity = atof(f[3]);
        snprintf(moisture, sizeof moisture, "%s", f[4]);

        char stem[128];
        snprintf(stem, sizeof stem, "%s", file);
        char *dot = strrchr(stem, '.');
        if (dot) *dot = '\0';
        snprintf(path, sizeof path, "%s/fingerprint/%s.gray", raw_dir, stem);
        Raw raw;
        if (!read_raw(path, &raw)) {
            check(0, "read %s", path);
            continue;
        }
        prints++;
        uint32_t w = raw.width, h = raw.height;

        BcFingerprintResult r = new_fp_result();
        check_status(bc_fingerprint_assess(en, raw.pixels, w, h, w, BC_DEFAULT_PPI, &r),
                     BC_STATUS_OK, file);
        const char *decision = r.decision == BC_DECISION_PASS ? "pass" : "retake";
        check(strcmp(decision, verdict) == 0, "%s: verdict %s, manifest %s", file, decision,
              verdict);
        char codes[512];
        codes_of(r.findings, r.finding_count, codes, sizeof codes);
        check(strcmp(codes, reasons) == 0, "%s: reasons \"%s\", manifest \"%s\"", file, codes,
              reasons);
        check(fabs(r.clarity - clarity) <= 2.0, "%s: clarity %.1f, manifest %.1f", file,
              r.clarity, clarity);
        const char *mc = r.moisture_class == BC_MOISTURE_CLASS_DRY   ? "dry"
                         : r.moisture_class == BC_MOISTURE_CLASS_WET ? "wet"
                                                                     : "normal";
        check(strcmp(mc, moisture) == 0, "%s: moisture %s, manifest %s", file, mc, moisture);
        check(r.width == w && r.height == h && r.ppi == BC_DEFAULT_PPI, "%s: size echoed", file);
        for (uint32_t i = 0; i < r.finding_count; i++) {
            const BcFinding *fd = &r.findings[i];
            check(fd->code && strcmp(fd->code, bc_reason_code(fd->reason)) == 0,
                  "%s: finding %u number %d matches code %s", file, i, fd->reason, fd->code);
            check(fd->hint && strcmp(fd->hint, bc_reason_hint(fd->reason, BC_LANG_EN)) == 0,
                  "%s: finding %u hint in English", file, i);
        }

        /* The same print with padded rows gives the same result. */
        size_t stride = (size_t)w + 13;
        uint8_t *padded = malloc(stride * h);
        memset(padded, 0xEE, stride * h);
        for (uint32_t y = 0; y < h; y++) memcpy(padded + y * stride, raw.pixels + (size_t)y * w, w);
        BcFingerprintResult rp = new_fp_result();
        check_status(bc_fingerprint_assess(en, padded, w, h, stride, BC_DEFAULT_PPI, &rp),
                     BC_STATUS_OK, file);
        check(memcmp(&r, &rp, sizeof r) == 0, "%s: padded rows give the same result", file);
        free(padded);

        /* JSON report, and the quality map. */
        char *json = fingerprint_json(en, file);
        char json_reasons[512];
        check(json_words(json, "\"reasons\"", json_reasons, sizeof json_reasons) &&
                  strcmp(json_reasons, reasons) == 0,
              "%s: JSON reasons \"%s\"", file, json_reasons);
        char rel[256];
        snprintf(rel, sizeof rel, "testdata/fingerprint/%s", file);
        emit_json(rel, json);
        free(json);

        uint32_t cols = 0, rows = 0;
        check_status(bc_fingerprint_quality_map(en, NULL, 0, &cols, &rows),
                     BC_STATUS_BUFFER_TOO_SMALL, file);
        check(cols == r.map_cols && rows == r.map_rows && cols > 0 && rows > 0,
              "%s: map %ux%u, result %ux%u", file, cols, rows, r.map_cols, r.map_rows);
        size_t cells = (size_t)cols * rows;
        uint8_t *map = malloc(cells);
        check_status(bc_fingerprint_quality_map(en, map, cells, &cols, &rows), BC_STATUS_OK, file);
        int in_range = 1, any = 0;
        for (size_t i = 0; i < cells; i++) {
            in_range &= map[i] <= 100;
            any |= map[i] > 0;
        }
        check(in_range, "%s: quality map within 0..100", file);
        check(any == (r.foreground_fraction > 0), "%s: quality map has blocks iff foreground",
              file);
        free(map);

        /* Vietnamese hints from the other assessor. */
        BcFingerprintResult rv = new_fp_result();
        check_status(bc_fingerprint_assess(vi, raw.pixels, w, h, w, BC_DEFAULT_PPI, &rv),
                     BC_STATUS_OK, file);
        check(rv.finding_count == r.finding_count, "%s: same findings in vi", file);
        for (uint32_t i = 0; i < rv.finding_count; i++)
            check(strcmp(rv.findings[i].hint, bc_reason_hint(rv.findings[i].reason, BC_LANG_VI)) == 0,
                  "%s: finding %u hint in Vietnamese", file, i);
        free(raw.pixels);
    }
    check(prints == 17, "%d prints in the manifest, 17 expected", prints);
    bc_fingerprint_assessor_free(en);
    bc_fingerprint_assessor_free(vi);
    free(manifest);
}

/* ---- faces ---------------------------------------------------------- */

static BcFaceResult new_face_result(void) {
    BcFaceResult r;
    memset(&r, 0, sizeof r);
    r.struct_size = sizeof r;
    return r;
}

static char *face_json(const BcFaceAssessor *a, const char *what) {
    size_t needed = 0;
    check_status(bc_face_report_json(a, NULL, 0, &needed), BC_STATUS_BUFFER_TOO_SMALL, what);
    char *json = malloc(needed);
    check_status(bc_face_report_json(a, json, needed, NULL), BC_STATUS_OK, what);
    check(strlen(json) + 1 == needed, "%s: face JSON size", what);
    return json;
}

/* Assesses RAW_DIR/face/NAME.rgb and checks its reasons (in any order)
 * against `expected`. */
static void check_face(BcFaceAssessor *a, const char *raw_dir, const char *name,
                       const char *expected, int gray) {
    char path[1024], what[160];
    snprintf(path, sizeof path, "%s/face/%s.rgb", raw_dir, name);
    snprintf(what, sizeof what, "face %s%s", name, gray ? " (grey)" : "");
    Raw raw;
    if (!read_raw(path, &raw)) {
        check(0, "read %s", path);
        return;
    }
    uint32_t w = raw.width, h = raw.height;
    BcFaceResult r = new_face_result();
    BcStatus s;
    if (gray) {
        /* BT.601 luma, as the library's own RGB-to-grey conversion. */
        uint8_t *luma = malloc((size_t)w * h);
        for (size_t i = 0; i < (size_t)w * h; i++) {
            const uint8_t *p = raw.pixels + 3 * i;
            luma[i] = (uint8_t)((77u * p[0] + 150u * p[1] + 29u * p[2] + 128u) >> 8);
        }
        s = bc_face_assess_gray(a, luma, w, h, w, &r);
        free(luma);
    } else {
        s = bc_face_assess_rgb(a, raw.pixels, w, h, (size_t)3 * w, &r);
    }
    check_status(s, BC_STATUS_OK, what);
    char codes[512], got[512], want[512];
    codes_of(r.findings, r.finding_count, codes, sizeof codes);
    sorted_words(codes, got, sizeof got);
    sorted_words(expected, want, sizeof want);
    check(strcmp(got, want) == 0, "%s: reasons \"%s\", expected \"%s\"", what, got, want);
    check((r.decision == BC_DECISION_PASS) == (r.finding_count == 0), "%s: decision", what);
    check(r.face_found == 1 && r.face_count >= 1, "%s: face found", what);
    check(r.left_eye_x > r.right_eye_x && r.ied_px > 0 && r.face_width > 0,
          "%s: eyes %.1f,%.1f / %.1f,%.1f, IED %.1f", what, r.left_eye_x, r.left_eye_y,
          r.right_eye_x, r.right_eye_y, r.ied_px);
    check(fabs(hypot(r.left_eye_x - r.right_eye_x, r.left_eye_y - r.right_eye_y) - r.ied_px) < 0.01,
          "%s: IED is the eyes' distance", what);
    check(r.photometric_found == 1 && r.sharpness.score >= 0 && r.sharpness.score <= 100,
          "%s: photometric", what);
    check(r.width == w && r.height == h, "%s: size echoed", what);
    char *json = face_json(a, what);
    char json_reasons[512], json_sorted[512];
    check(json_words(json, "\"reasons\"", json_reasons, sizeof json_reasons), "%s: JSON", what);
    sorted_words(json_reasons, json_sorted, sizeof json_sorted);
    check(strcmp(json_sorted, want) == 0, "%s: JSON reasons \"%s\"", what, json_reasons);
    if (strcmp(name, "astronaut") == 0 && !gray) emit_json("testdata/face/astronaut.jpg", json);
    free(json);
    free(raw.pixels);
}

static void test_faces(const char *root, const char *raw_dir) {
    BcFaceAssessor *a = NULL;
    check_status(bc_face_assessor_new(NULL, &a), BC_STATUS_OK, "face new");

    /* The portrait itself, against its golden line. */
    char path[1024];
    snprintf(path, sizeof path, "%s/testdata/golden/face.json", root);
    char *golden = read_text(path);
    check(golden != NULL, "read %s", path);
    if (golden) {
        char want[512];
        const char *colour = strstr(golden, "\"image\":\"astronaut.jpg\"");
        const char *grey = strstr(golden, "\"image\":\"astronaut.jpg (grey)\"");
        check(colour && json_words(colour, "\"reasons\"", want, sizeof want), "golden colour");
        if (colour) check_face(a, raw_dir, "astronaut", want, 0);
        check(grey && json_words(grey, "\"reasons\"", want, sizeof want), "golden grey");
        if (grey) check_face(a, raw_dir, "astronaut", want, 1);
        free(golden);
    }

    /* Each variation, against the manifest: one line per entry with
     * "name" and "expected". */
    snprintf(path, sizeof path, "%s/testdata/face/manifest.json", root);
    char *manifest = read_text(path);
    check(manifest != NULL, "read %s", path);
    int variations = 0;
    for (char *line = manifest ? strstr(manifest, "{ \"name\"") : NULL; line;
         line = strstr(line + 1, "{ \"name\"")) {
        char name[64], expected[256];
        if (sscanf(line, "{ \"name\": \"%63[^\"]\"", name) != 1 ||
            !json_words(line, "\"expected\"", expected, sizeof expected)) {
            check(0, "manifest entry %.40s", line);
            continue;
        }
        check_face(a, raw_dir, name, expected, 0);
        variations++;
    }
    check(variations == 12, "%d face variations in the manifest, 12 expected", variations);
    free(manifest);
    bc_face_assessor_free(a);
}

/* ---- policies and profiles ------------------------------------------ */

static void test_policies(const char *raw_dir) {
    char path[1024];
    Raw print, face;
    snprintf(path, sizeof path, "%s/fingerprint/clean_arch_512.gray", raw_dir);
    check(read_raw(path, &print), "read %s", path);
    snprintf(path, sizeof path, "%s/face/well_framed.rgb", raw_dir);
    check(read_raw(path, &face), "read %s", path);

    BcFingerprintAssessor *fa = NULL;
    check_status(bc_fingerprint_assessor_new(NULL, &fa), BC_STATUS_OK, "policy: new");
    BcFingerprintPolicy p;
    memset(&p, 0, sizeof p);
    p.struct_size = sizeof p;
    check_status(bc_fingerprint_policy_default(&p), BC_STATUS_OK, "policy default");
    check(p.struct_size == sizeof p && p.min_clarity == 40.0f && p.wet_index > 0.0f &&
              p.dry_index < 0.0f && p.min_foreground_px == 25000,
          "policy defaults %.1f %.2f %.2f %u", p.min_clarity, p.wet_index, p.dry_index,
          p.min_foreground_px);
    p.min_clarity = 100.0f;
    check_status(bc_fingerprint_assessor_set_policy(fa, &p), BC_STATUS_OK, "set policy");
    BcFingerprintResult r = new_fp_result();
    check_status(bc_fingerprint_assess(fa, print.pixels, print.width, print.height, print.width,
                                       BC_DEFAULT_PPI, &r),
                 BC_STATUS_OK, "assess under a strict policy");
    check(r.decision == BC_DECISION_RETAKE && r.finding_count == 1 &&
              r.findings[0].reason == BC_REASON_LOW_CLARITY,
          "clarity 100 required: low_clarity");
    p.min_clarity = NAN;
    check_status(bc_fingerprint_assessor_set_policy(fa, &p), BC_STATUS_INVALID_CONFIG,
                 "NaN threshold");
    check(strstr(last_error(), "min_clarity") != NULL, "message names the field: %s",
          last_error());
    p.struct_size = 3;
    check_status(bc_fingerprint_assessor_set_policy(fa, &p), BC_STATUS_INVALID_ARGUMENT,
                 "policy struct_size 3");
    check_status(bc_fingerprint_assessor_set_policy(fa, NULL), BC_STATUS_OK, "default policy");
    check_status(bc_fingerprint_assess(fa, print.pixels, print.width, print.height, print.width,
                                       BC_DEFAULT_PPI, &r),
                 BC_STATUS_OK, "assess under the default policy");
    check(r.decision == BC_DECISION_PASS, "default policy passes the clean print again");

    /* Sensor profiles from JSON. */
    const char *profile =
        "{\"version\":1,\"name\":\"kit 12 scanner\",\"captures\":20,"
        "\"ridge_gaps\":{\"typical\":0.02,\"spread\":0.01,\"margin\":0.075},"
        "\"bridged_fraction\":{\"typical\":0.02,\"spread\":0.01,\"margin\":0.105},"
        "\"ridge_fill\":null}";
    check_status(bc_fingerprint_assessor_set_profile_json(fa, profile), BC_STATUS_OK,
                 "set profile");
    check_status(bc_fingerprint_assess(fa, print.pixels, print.width, print.height, print.width,
                                       BC_DEFAULT_PPI, &r),
                 BC_STATUS_OK, "assess with a profile");
    char *json = fingerprint_json(fa, "profile JSON");
    check(strstr(json, "\"sensor_profile\":\"kit 12 scanner\"") != NULL,
          "report names the profile: %s", json);
    free(json);
    check_status(bc_fingerprint_assessor_set_profile_json(fa, "{\"version\":1"),
                 BC_STATUS_INVALID_PROFILE, "truncated profile");
    check_status(bc_fingerprint_assessor_set_profile_json(
                     fa, "{\"version\":9,\"name\":\"x\",\"captures\":1,"
                         "\"ridge_gaps\":{\"typical\":0.02,\"spread\":0.01,\"margin\":0.1},"
                         "\"bridged_fraction\":{\"typical\":0.02,\"spread\":0.01,\"margin\":0.1},"
                         "\"ridge_fill\":null}"),
                 BC_STATUS_UNSUPPORTED_PROFILE_VERSION, "profile version 9");
    check_status(bc_fingerprint_assessor_set_profile_json(
                     fa, "{\"version\":1,\"name\":\"x\",\"captures\":1,"
                         "\"ridge_gaps\":{\"typical\":5,\"spread\":0.01,\"margin\":0.1},"
                         "\"bridged_fraction\":{\"typical\":0.02,\"spread\":0.01,\"margin\":0.1},"
                         "\"ridge_fill\":null}"),
                 BC_STATUS_INVALID_CONFIG, "profile with typical 5");
    check_status(bc_fingerprint_assessor_set_profile_json(fa, "\xff\xfe"),
                 BC_STATUS_INVALID_ARGUMENT, "profile not UTF-8");
    check_status(bc_fingerprint_assessor_set_profile_json(fa, NULL), BC_STATUS_OK,
                 "generic profile");
    check_status(bc_fingerprint_assess(fa, print.pixels, print.width, print.height, print.width,
                                       BC_DEFAULT_PPI, &r),
                 BC_STATUS_OK, "assess with the generic profile");
    json = fingerprint_json(fa, "generic profile JSON");
    check(strstr(json, "\"sensor_profile\":null") != NULL, "generic profile is null: %s", json);
    free(json);
    BcFingerprintOptions po = {.struct_size = sizeof po, .profile_json = profile};
    BcFingerprintAssessor *fp = NULL;
    check_status(bc_fingerprint_assessor_new(&po, &fp), BC_STATUS_OK, "new with a profile");
    po.profile_json = "not json";
    BcFingerprintAssessor *bad = (BcFingerprintAssessor *)&po;
    check_status(bc_fingerprint_assessor_new(&po, &bad), BC_STATUS_INVALID_PROFILE,
                 "new with a bad profile");
    check(bad == NULL, "failed new sets *out to NULL");
    bc_fingerprint_assessor_free(fp);
    bc_fingerprint_assessor_free(fa);

    /* Face policy. */
    BcFaceAssessor *fc = NULL;
    check_status(bc_face_assessor_new(NULL, &fc), BC_STATUS_OK, "face policy: new");
    BcFacePolicy fp_icao;
    memset(&fp_icao, 0, sizeof fp_icao);
    fp_icao.struct_size = sizeof fp_icao;
    check_status(bc_face_policy_icao(&fp_icao), BC_STATUS_OK, "icao policy");
    check(fp_icao.min_ied_px == 90.0f && fp_icao.max_roll_deg == 8.0f &&
              fp_icao.min_eye_visibility == 0.1f && fp_icao.min_eye_openness == 0.18f &&
              fp_icao.max_roll_before_rotate_deg == 45.0f && fp_icao.max_shadow_luminance == 0.3f &&
              fp_icao.max_mouth_opening == 0.1f && fp_icao.max_pitch_deg == 15.0f,
          "icao defaults");
    fp_icao.min_ied_px = 200.0f;
    /* The astronaut smiles with her teeth showing (mouth_open under the
       defaults): without the mouth check, the strict IED is the one reason. */
    fp_icao.max_mouth_opening = 1.0f;
    check_status(bc_face_assessor_set_policy(fc, &fp_icao), BC_STATUS_OK, "set face policy");
    BcFaceResult fr = new_face_result();
    check_status(bc_face_assess_rgb(fc, face.pixels, face.width, face.height,
                                    (size_t)3 * face.width, &fr),
                 BC_STATUS_OK, "face under a strict policy");
    check(fr.finding_count == 1 && fr.findings[0].reason == BC_REASON_LOW_RESOLUTION,
          "IED 200 required: low_resolution");
    check(isfinite(fr.pitch_deg) && fabsf(fr.pitch_deg) < 15.0f, "face pitch %g", fr.pitch_deg);
    check(fr.mouth_opening > 0.1f && fr.mouth_opening < 0.3f, "face mouth opening %g",
          fr.mouth_opening);
    /* A caller compiled against revision 3 (no pitch_deg, mouth_opening):
       the fields it knows are written, the bytes past its struct not. */
    BcFaceResult old = new_face_result();
    old.struct_size = (uint32_t)offsetof(BcFaceResult, pitch_deg);
    old.pitch_deg = 77.0f;
    old.mouth_opening = 77.0f;
    check_status(bc_face_assess_rgb(fc, face.pixels, face.width, face.height,
                                    (size_t)3 * face.width, &old),
                 BC_STATUS_OK, "face, revision-3 result");
    check(old.face_found == 1 && old.finding_count == fr.finding_count &&
              old.pitch_deg == 77.0f && old.mouth_opening == 77.0f,
          "revision-3 result: known fields written, later ones untouched");
    old.struct_size -= 4;
    check_status(bc_face_assess_rgb(fc, face.pixels, face.width, face.height,
                                    (size_t)3 * face.width, &old),
                 BC_STATUS_INVALID_ARGUMENT, "face result smaller than revision 1");
    fp_icao.min_eye_line = 0.9f; /* above max_eye_line */
    check_status(bc_face_assessor_set_policy(fc, &fp_icao), BC_STATUS_INVALID_CONFIG,
                 "face range out of order");
    bc_face_assessor_free(fc);
    free(print.pixels);
    free(face.pixels);
}

/* ---- error paths ---------------------------------------------------- */

static void test_errors(const char *raw_dir) {
    char path[1024];
    Raw print;
    snprintf(path, sizeof path, "%s/fingerprint/clean_loop_300.gray", raw_dir);
    check(read_raw(path, &print), "read %s", path);
    uint32_t w = print.width, h = print.height;
    const uint8_t *px = print.pixels;
    uint8_t tiny[64] = {0};

    check(bc_abi_version() == BC_ABI_VERSION, "ABI version %u", bc_abi_version());
    check(bc_version() && strlen(bc_version()) > 0, "version string");
    check(strcmp(bc_status_name(BC_STATUS_OK), "ok") == 0 &&
              strcmp(bc_status_name(BC_STATUS_BUFFER_TOO_SMALL), "buffer_too_small") == 0 &&
              strcmp(bc_status_name(BC_STATUS_TIMESTAMP_OUT_OF_ORDER), "timestamp_out_of_order") == 0 &&
              bc_status_name(-1) == NULL,
          "status names");
    check(strcmp(bc_reason_code(BC_REASON_TOO_WET), "too_wet") == 0 &&
              strcmp(bc_reason_code(BC_REASON_BLURRED), "blurred") == 0 &&
              strcmp(bc_reason_code(BC_REASON_EYES_NOT_VISIBLE), "eyes_not_visible") == 0 &&
              strcmp(bc_reason_code(BC_REASON_EYES_CLOSED), "eyes_closed") == 0 &&
              strcmp(bc_reason_code(BC_REASON_MOUTH_OPEN), "mouth_open") == 0 &&
              strcmp(bc_reason_code(BC_REASON_ROTATE_IMAGE), "rotate_image") == 0 &&
              strcmp(bc_reason_code(BC_REASON_HEAD_PITCHED), "head_pitched") == 0 &&
              bc_reason_code(BC_REASON_UNKNOWN) == NULL && bc_reason_code(9999) == NULL,
          "reason codes");
    check(strcmp(bc_reason_hint(BC_REASON_TOO_WET, BC_LANG_VI),
                 "Lau khô ngón tay bằng khăn rồi đặt lại.") == 0 &&
              bc_reason_hint(BC_REASON_TOO_WET, 7) == NULL,
          "reason hints");

    /* Handles. */
    bc_fingerprint_assessor_free(NULL);
    bc_face_assessor_free(NULL);
    check_status(bc_fingerprint_assessor_new(NULL, NULL), BC_STATUS_INVALID_ARGUMENT, "new, NULL out");
    BcFingerprintOptions o = {.struct_size = sizeof o, .lang = 7};
    BcFingerprintAssessor *a = NULL;
    check_status(bc_fingerprint_assessor_new(&o, &a), BC_STATUS_INVALID_ARGUMENT, "bad lang");
    check(strstr(last_error(), "lang") != NULL, "message names lang: %s", last_error());
    o.lang = BC_LANG_EN;
    o.analysis = 9;
    check_status(bc_fingerprint_assessor_new(&o, &a), BC_STATUS_INVALID_ARGUMENT, "bad analysis");
    o.analysis = BC_ANALYSIS_FULL;
    o.struct_size = 0;
    check_status(bc_fingerprint_assessor_new(&o, &a), BC_STATUS_INVALID_ARGUMENT, "struct_size 0");
    o.struct_size = sizeof o;
    o.min_side = 8;
    check_status(bc_fingerprint_assessor_new(&o, &a), BC_STATUS_INVALID_CONFIG, "min_side 8");
    o.min_side = 0;
    o.max_pixels = 1 << 16;
    check_status(bc_fingerprint_assessor_new(&o, &a), BC_STATUS_OK, "new, max 65536 px");

    BcFingerprintResult r = new_fp_result();
    size_t needed = 0;
    check_status(bc_fingerprint_report_json(a, NULL, 0, &needed), BC_STATUS_NO_REPORT,
                 "JSON before any assessment");
    check_status(bc_fingerprint_assess(NULL, px, w, h, w, 500, &r), BC_STATUS_INVALID_ARGUMENT,
                 "NULL handle");
    check(strstr(last_error(), "assessor") != NULL, "message names the handle: %s", last_error());
    check_status(bc_fingerprint_assess(a, NULL, w, h, w, 500, &r), BC_STATUS_INVALID_ARGUMENT,
                 "NULL data");
    check_status(bc_fingerprint_assess(a, px, w, h, w - 1, 500, &r), BC_STATUS_STRIDE_TOO_SMALL,
                 "stride < width");
    check_status(bc_fingerprint_assess(a, px, 0, h, w, 500, &r), BC_STATUS_EMPTY_IMAGE,
                 "zero width");
    check_status(bc_fingerprint_assess(a, px, w, 0, w, 500, &r), BC_STATUS_EMPTY_IMAGE,
                 "zero height");
    /* Oversize claims over a 64-byte buffer: refused before any read. */
    check_status(bc_fingerprint_assess(a, tiny, 300, 300, 300, 500, &r),
                 BC_STATUS_IMAGE_TOO_LARGE, "over max_pixels");
    check_status(bc_fingerprint_assess(a, tiny, 100000, 2, 100000, 500, &r),
                 BC_STATUS_IMAGE_TOO_LARGE, "over max_side");
    check_status(bc_fingerprint_assess(a, tiny, UINT32_MAX, UINT32_MAX, SIZE_MAX, 500, &r),
                 BC_STATUS_IMAGE_TOO_LARGE, "4G x 4G");
    check_status(bc_fingerprint_assess(a, tiny, 200, 200, SIZE_MAX / 2, 500, &r),
                 BC_STATUS_DIMENSION_OVERFLOW, "stride overflows");
    check_status(bc_fingerprint_assess(a, px, 20, 20, w, 500, &r), BC_STATUS_IMAGE_TOO_SMALL,
                 "20x20");
    check_status(bc_fingerprint_assess(a, px, 200, 200, w, 100, &r),
                 BC_STATUS_UNSUPPORTED_RESOLUTION, "100 ppi");
    check_status(bc_fingerprint_assess(a, px, 200, 200, w, 0, &r),
                 BC_STATUS_UNSUPPORTED_RESOLUTION, "0 ppi");
    check_status(bc_fingerprint_assess(a, px, 200, 200, w, 5000, &r),
                 BC_STATUS_UNSUPPORTED_RESOLUTION, "5000 ppi");
    check(strstr(last_error(), "5000") != NULL, "message gives the ppi: %s", last_error());
    BcFingerprintResult small = new_fp_result();
    small.struct_size = 4;
    check_status(bc_fingerprint_assess(a, px, 200, 200, w, 500, &small),
                 BC_STATUS_INVALID_ARGUMENT, "result struct_size 4");

    /* A 200x200 crop (within 65536 px) succeeds; NULL out is allowed. */
    check_status(bc_fingerprint_assess(a, px, 200, 200, w, 500, NULL), BC_STATUS_OK,
                 "crop, NULL out");
    /* A newer caller's larger struct: bytes past the library's are kept. */
    unsigned char bigger[sizeof(BcFingerprintResult) + 16];
    memset(bigger, 0xAB, sizeof bigger);
    uint32_t big_size = sizeof bigger;
    memcpy(bigger, &big_size, sizeof big_size);
    check_status(bc_fingerprint_assess(a, px, 200, 200, w, 500, (BcFingerprintResult *)bigger),
                 BC_STATUS_OK, "larger struct");
    int kept = 1;
    for (size_t i = sizeof(BcFingerprintResult); i < sizeof bigger; i++) kept &= bigger[i] == 0xAB;
    uint32_t size_after;
    memcpy(&size_after, bigger, sizeof size_after);
    check(kept && size_after == big_size, "bytes past the library's struct untouched");

    /* Buffers too small. */
    check_status(bc_fingerprint_report_json(a, NULL, 0, &needed), BC_STATUS_BUFFER_TOO_SMALL,
                 "JSON size query");
    char short_buf[8] = "unset";
    size_t needed2 = 0;
    check_status(bc_fingerprint_report_json(a, short_buf, sizeof short_buf, &needed2),
                 BC_STATUS_BUFFER_TOO_SMALL, "JSON into 8 bytes");
    check(needed2 == needed && strcmp(short_buf, "unset") == 0, "nothing written");
    check(strstr(last_error(), "needs") != NULL, "message gives the size: %s", last_error());
    check_status(bc_fingerprint_report_json(a, NULL, 1000000, &needed2),
                 BC_STATUS_INVALID_ARGUMENT, "JSON into NULL with a capacity");
    check_status(bc_fingerprint_report_json(NULL, NULL, 0, &needed2), BC_STATUS_INVALID_ARGUMENT,
                 "JSON of NULL handle");
    uint32_t cols = 0, rows = 0;
    uint8_t map[4];
    check_status(bc_fingerprint_quality_map(a, map, sizeof map, &cols, &rows),
                 BC_STATUS_BUFFER_TOO_SMALL, "map into 4 bytes");
    check(cols * rows > 4, "map size still given: %ux%u", cols, rows);
    check_status(bc_fingerprint_quality_map(NULL, map, sizeof map, &cols, &rows),
                 BC_STATUS_INVALID_ARGUMENT, "map of NULL handle");
    char msg[6];
    size_t full = bc_last_error_message(NULL, 0);
    size_t got = bc_last_error_message(msg, sizeof msg);
    check(got == full && full > sizeof msg && strlen(msg) == sizeof msg - 1,
          "last error truncated to %zu of %zu bytes", strlen(msg), full);

    /* A failed assessment leaves no report. */
    check_status(bc_fingerprint_assess(a, px, 200, 200, w, 5000, &r),
                 BC_STATUS_UNSUPPORTED_RESOLUTION, "bad ppi again");
    check_status(bc_fingerprint_report_json(a, NULL, 0, &needed), BC_STATUS_NO_REPORT,
                 "JSON after a failure");
    check_status(bc_fingerprint_quality_map(a, NULL, 0, &cols, &rows), BC_STATUS_NO_REPORT,
                 "map after a failure");
    bc_fingerprint_assessor_free(a);

    /* Faces. */
    BcFaceOptions fo = {.struct_size = sizeof fo, .lang = -1};
    BcFaceAssessor *f = NULL;
    check_status(bc_face_assessor_new(&fo, &f), BC_STATUS_INVALID_ARGUMENT, "face bad lang");
    fo.lang = BC_LANG_VI;
    fo.min_face_fraction = 2.0f;
    check_status(bc_face_assessor_new(&fo, &f), BC_STATUS_INVALID_CONFIG, "face fraction 2");
    fo.min_face_fraction = 0.0f;
    fo.max_side = 1000;
    check_status(bc_face_assessor_new(&fo, &f), BC_STATUS_OK, "face new (vi, 1000 px)");
    BcFaceResult fr = new_face_result();
    check_status(bc_face_report_json(f, NULL, 0, &needed), BC_STATUS_NO_REPORT,
                 "face JSON before any assessment");
    check_status(bc_face_assess_rgb(NULL, px, 100, 100, 300, &fr), BC_STATUS_INVALID_ARGUMENT,
                 "face NULL handle");
    check_status(bc_face_assess_rgb(f, NULL, 100, 100, 300, &fr), BC_STATUS_INVALID_ARGUMENT,
                 "face NULL data");
    check_status(bc_face_assess_rgb(f, px, 100, 100, 299, &fr), BC_STATUS_STRIDE_TOO_SMALL,
                 "RGB stride < 3 * width");
    check_status(bc_face_assess_gray(f, px, 100, 100, 99, &fr), BC_STATUS_STRIDE_TOO_SMALL,
                 "grey stride < width");
    check_status(bc_face_assess_rgb(f, px, 0, 100, 300, &fr), BC_STATUS_EMPTY_IMAGE,
                 "face zero width");
    check_status(bc_face_assess_rgb(f, tiny, 2000, 10, 6000, &fr), BC_STATUS_IMAGE_TOO_LARGE,
                 "face over max_side");
    check_status(bc_face_assess_gray(f, px, 16, 16, w, &fr), BC_STATUS_IMAGE_TOO_SMALL,
                 "face 16x16");
    /* A print is no face: a retake, not an error, with a Vietnamese hint. */
    check_status(bc_face_assess_gray(f, px, w, h, w, &fr), BC_STATUS_OK, "print as a face");
    check(fr.decision == BC_DECISION_RETAKE && fr.face_found == 0 && fr.finding_count == 1 &&
              fr.findings[0].reason == BC_REASON_NO_FACE &&
              strcmp(fr.findings[0].hint, bc_reason_hint(BC_REASON_NO_FACE, BC_LANG_VI)) == 0,
          "no_face with its Vietnamese hint");
    char *json = face_json(f, "no face");
    check(strstr(json, "\"face_box\":null") != NULL && strstr(json, "\"hint\":\"") != NULL,
          "no-face JSON: %s", json);
    free(json);
    bc_face_assessor_free(f);
    free(print.pixels);
}

int main(int argc, char **argv) {
    if (argc < 3) {
        fprintf(stderr, "usage: %s REPO_ROOT RAW_DIR [JSON_OUT]\n", argv[0]);
        return 2;
    }
    if (argc > 3) {
        json_out = fopen(argv[3], "w");
        if (!json_out) {
            perror(argv[3]);
            return 2;
        }
    }
    test_errors(argv[2]);
    test_prints(argv[1], argv[2]);
    test_faces(argv[1], argv[2]);
    test_policies(argv[2]);
    if (json_out) fclose(json_out);
    printf("%d passed, %d failed\n", passed, failed);
    return failed ? 1 : 0;
}
