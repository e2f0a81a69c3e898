// include/biocapture.h from C++17: the header compiles cleanly, its enums
// are typed, and a call through it works (.ci/c-abi builds and runs it).
#include "biocapture.h"

#include <cstdio>
#include <cstring>
#include <type_traits>
#include <vector>

static_assert(sizeof(BcStatus) == 4, "BcStatus is 32 bits");
static_assert(std::is_same<std::underlying_type<BcReason>::type, int32_t>::value,
              "BcReason is an int32_t enum");

int main() {
    BcFingerprintOptions options{};
    options.struct_size = sizeof options;
    options.lang = BC_LANG_VI;
    BcFingerprintAssessor *assessor = nullptr;
    if (bc_fingerprint_assessor_new(&options, &assessor) != BC_STATUS_OK) return 1;
    std::vector<uint8_t> blank(300 * 300, 255);
    BcFingerprintResult result{};
    result.struct_size = sizeof result;
    BcStatus status = bc_fingerprint_assess(assessor, blank.data(), 300, 300, 300,
                                            BC_DEFAULT_PPI, &result);
    bc_fingerprint_assessor_free(assessor);
    bool ok = status == BC_STATUS_OK && result.decision == BC_DECISION_RETAKE &&
              result.finding_count == 1 && result.findings[0].reason == BC_REASON_NO_FINGER &&
              std::strcmp(result.findings[0].code, "no_finger") == 0;
    std::printf("C++17: %s %s\n", ok ? "ok" : "FAILED", ok ? result.findings[0].hint : "");
    return ok ? 0 : 1;
}
