// Test certificates generated at test time (never checked in): one CA and leaf certificates
// for any host name or IP address, EC P-256 so generation is fast. The CA PEM is also written to
// a temporary file so code paths that take a CA *file* are exercised.
#pragma once

#include <string>

namespace nra::test {

struct TestLeaf {
    std::string cert_pem;  // leaf certificate followed by nothing else (CA is trusted separately)
    std::string key_pem;   // PKCS#8 private key
};

struct TestPki {
    std::string ca_pem;
    std::string ca_file;  // path of a file holding ca_pem (in a per-process temp directory)

    // A leaf for `host`: an IP literal becomes an IP SAN, anything else a DNS SAN. Cached.
    const TestLeaf& leaf(const std::string& host) const;
};

// Process-wide, created on first use (thread-safe).
const TestPki& test_pki();

}  // namespace nra::test
