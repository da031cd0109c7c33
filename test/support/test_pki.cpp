#include "support/test_pki.hpp"

#include <arpa/inet.h>
#include <openssl/bio.h>
#include <openssl/bn.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include <array>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <memory>
#include <mutex>
#include <stdexcept>
#include <string>
#include <system_error>
#include <vector>

namespace nra::test {
namespace {

constexpr long kValidBeforeSeconds = 3600;
constexpr long kValidAfterSeconds = 24L * 3600;

struct PkeyFree {
    void operator()(EVP_PKEY* p) const { EVP_PKEY_free(p); }
};
struct X509Free {
    void operator()(X509* p) const { X509_free(p); }
};
struct BioFree {
    void operator()(BIO* p) const { BIO_free(p); }
};
struct ExtFree {
    void operator()(X509_EXTENSION* p) const { X509_EXTENSION_free(p); }
};
using PkeyPtr = std::unique_ptr<EVP_PKEY, PkeyFree>;
using X509Ptr = std::unique_ptr<X509, X509Free>;
using BioPtr = std::unique_ptr<BIO, BioFree>;
using ExtPtr = std::unique_ptr<X509_EXTENSION, ExtFree>;

[[noreturn]] void openssl_fail(const std::string& what) {
    const unsigned long code = ERR_get_error();
    std::array<char, 256> buf{};
    ERR_error_string_n(code, buf.data(), buf.size());
    throw std::runtime_error("test_pki: " + what + ": " + buf.data());
}

void check(int ok, const char* what) {
    if (ok != 1) {
        openssl_fail(what);
    }
}

PkeyPtr make_key() {
    PkeyPtr key(EVP_EC_gen("P-256"));
    if (!key) {
        openssl_fail("EVP_EC_gen");
    }
    return key;
}

std::string bio_string(BIO* bio) {
    char* data = nullptr;
    const long len = BIO_get_mem_data(bio, &data);
    return {data, static_cast<std::size_t>(len)};
}

std::string cert_pem(X509* cert) {
    BioPtr bio(BIO_new(BIO_s_mem()));
    check(PEM_write_bio_X509(bio.get(), cert), "PEM_write_bio_X509");
    return bio_string(bio.get());
}

std::string key_pem(EVP_PKEY* key) {
    BioPtr bio(BIO_new(BIO_s_mem()));
    check(
        PEM_write_bio_PrivateKey(bio.get(), key, nullptr, nullptr, 0, nullptr, nullptr),
        "PEM_write_bio_PrivateKey"
    );
    return bio_string(bio.get());
}

// Serial, validity window, subject and public key shared by the CA and the leaves.
X509Ptr new_cert(EVP_PKEY* key, const std::string& common_name) {
    X509Ptr cert(X509_new());
    if (!cert) {
        openssl_fail("X509_new");
    }
    check(X509_set_version(cert.get(), X509_VERSION_3), "X509_set_version");
    std::unique_ptr<BIGNUM, decltype(&BN_free)> serial(BN_new(), &BN_free);
    check(BN_rand(serial.get(), 120, BN_RAND_TOP_ANY, BN_RAND_BOTTOM_ANY), "BN_rand");
    if (BN_to_ASN1_INTEGER(serial.get(), X509_get_serialNumber(cert.get())) == nullptr) {
        openssl_fail("BN_to_ASN1_INTEGER");
    }
    if (X509_gmtime_adj(X509_getm_notBefore(cert.get()), -kValidBeforeSeconds) == nullptr ||
        X509_gmtime_adj(X509_getm_notAfter(cert.get()), kValidAfterSeconds) == nullptr) {
        openssl_fail("X509_gmtime_adj");
    }
    X509_NAME* name = X509_get_subject_name(cert.get());
    const auto* cn = reinterpret_cast<const unsigned char*>(common_name.c_str());
    check(
        X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_UTF8, cn, -1, -1, 0),
        "X509_NAME_add_entry_by_txt"
    );
    check(X509_set_pubkey(cert.get(), key), "X509_set_pubkey");
    return cert;
}

void add_ext(X509* cert, X509* issuer, int nid, const std::string& value) {
    X509V3_CTX ctx;
    X509V3_set_ctx_nodb(&ctx);
    X509V3_set_ctx(&ctx, issuer, cert, nullptr, nullptr, 0);
    ExtPtr ext(X509V3_EXT_conf_nid(nullptr, &ctx, nid, value.c_str()));
    if (!ext) {
        openssl_fail("X509V3_EXT_conf_nid " + value);
    }
    check(X509_add_ext(cert, ext.get(), -1), "X509_add_ext");
}

void sign(X509* cert, EVP_PKEY* key) {
    if (X509_sign(cert, key, EVP_sha256()) <= 0) {
        openssl_fail("X509_sign");
    }
}

bool is_ip_literal(const std::string& host) {
    in6_addr buf{};
    return inet_pton(AF_INET, host.c_str(), &buf) == 1 ||
           inet_pton(AF_INET6, host.c_str(), &buf) == 1;
}

// The per-process directory is removed at exit so test runs leave nothing behind.
struct TempDir {
    std::filesystem::path path;
    ~TempDir() {
        std::error_code ignored;
        std::filesystem::remove_all(path, ignored);
    }
};

std::filesystem::path make_temp_dir() {
    const std::string pattern =
        (std::filesystem::temp_directory_path() / "nra-test-pki-XXXXXX").string();
    std::vector<char> buf(pattern.begin(), pattern.end());
    buf.push_back('\0');
    if (mkdtemp(buf.data()) == nullptr) {
        throw std::runtime_error("test_pki: mkdtemp failed");
    }
    return buf.data();
}

std::string write_ca_file(const std::string& pem) {
    static const TempDir dir{make_temp_dir()};
    std::string path = (dir.path / "ca.pem").string();
    std::ofstream out(path, std::ios::binary);
    out << pem;
    if (!out.flush()) {
        throw std::runtime_error("test_pki: cannot write " + path);
    }
    return path;
}

// The CA key lives only here; TestPki itself carries the public PEM and the leaf cache.
struct Authority {
    PkeyPtr key = make_key();
    X509Ptr cert = new_cert(key.get(), "nra test CA");
    std::mutex mutex;
    std::map<std::string, TestLeaf> leaves;

    Authority() {
        X509* c = cert.get();
        check(X509_set_issuer_name(c, X509_get_subject_name(c)), "X509_set_issuer_name");
        add_ext(c, c, NID_basic_constraints, "critical,CA:TRUE");
        add_ext(c, c, NID_key_usage, "critical,keyCertSign,cRLSign");
        add_ext(c, c, NID_subject_key_identifier, "hash");
        sign(c, key.get());
    }
};

Authority& authority() {
    static Authority ca;
    return ca;
}

TestLeaf make_leaf(Authority& ca, const std::string& host) {
    PkeyPtr key = make_key();
    X509Ptr cert = new_cert(key.get(), "nra test server");  // CN is capped at 64 bytes
    X509* c = cert.get();
    check(X509_set_issuer_name(c, X509_get_subject_name(ca.cert.get())), "X509_set_issuer_name");
    add_ext(c, ca.cert.get(), NID_basic_constraints, "critical,CA:FALSE");
    add_ext(c, ca.cert.get(), NID_key_usage, "critical,digitalSignature");
    add_ext(c, ca.cert.get(), NID_ext_key_usage, "serverAuth");
    add_ext(c, ca.cert.get(), NID_authority_key_identifier, "keyid:always");
    add_ext(c, ca.cert.get(), NID_subject_alt_name, (is_ip_literal(host) ? "IP:" : "DNS:") + host);
    sign(c, ca.key.get());
    return TestLeaf{cert_pem(c), key_pem(key.get())};
}

}  // namespace

// NOLINTNEXTLINE(readability-convert-member-functions-to-static): the header's interface
const TestLeaf& TestPki::leaf(const std::string& host) const {
    Authority& ca = authority();
    const std::lock_guard<std::mutex> lock(ca.mutex);
    auto it = ca.leaves.find(host);
    if (it == ca.leaves.end()) {
        it = ca.leaves.emplace(host, make_leaf(ca, host)).first;
    }
    return it->second;  // std::map nodes are stable, so the reference outlives the lock
}

const TestPki& test_pki() {
    static const TestPki pki = [] {
        TestPki p;
        p.ca_pem = cert_pem(authority().cert.get());
        p.ca_file = write_ca_file(p.ca_pem);
        return p;
    }();
    return pki;
}

}  // namespace nra::test
