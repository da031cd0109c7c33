#include <fmt/format.h>
#include <openssl/ssl.h>

#include <boost/asio/buffer.hpp>
#include <boost/system/system_error.hpp>
#include <fstream>
#include <sstream>
#include <stdexcept>

#include "http/server_core.hpp"

namespace nra::http::detail {

namespace asio = boost::asio;

namespace {

struct PemSource {
    std::string pem;
    std::string origin;  // "file <path>" or "in-memory PEM", for error messages
};

std::optional<PemSource> pem_from(
    const std::string& file, const std::string& pem, const char* what
) {
    if (!file.empty()) {
        std::ifstream in(file, std::ios::binary);
        std::ostringstream content;
        if (in) content << in.rdbuf();
        if (!in || content.str().empty()) {
            throw std::runtime_error(
                fmt::format("http server: cannot read TLS {} file '{}'", what, file)
            );
        }
        return PemSource{content.str(), fmt::format("file '{}'", file)};
    }
    if (!pem.empty()) return PemSource{pem, "in-memory PEM"};
    return std::nullopt;
}

}  // namespace

std::optional<asio::ssl::context> make_server_tls(const ServerOptions& options) {
    const auto cert = pem_from(options.tls_cert_file, options.tls_cert_pem, "certificate");
    const auto key = pem_from(options.tls_key_file, options.tls_key_pem, "key");
    if (!cert && !key) return std::nullopt;
    if (!cert || !key) {
        throw std::runtime_error(fmt::format(
            "http server: TLS needs both a certificate and a key (only the {} is set)",
            cert ? "certificate" : "key"
        ));
    }
    asio::ssl::context context(asio::ssl::context::tls_server);
    context.set_options(
        asio::ssl::context::default_workarounds | asio::ssl::context::no_sslv2 |
        asio::ssl::context::no_sslv3 | asio::ssl::context::no_tlsv1 |
        asio::ssl::context::no_tlsv1_1 | asio::ssl::context::single_dh_use
    );
    SSL_CTX_set_min_proto_version(context.native_handle(), TLS1_2_VERSION);
    try {
        context.use_certificate_chain(asio::buffer(cert->pem));
    } catch (const boost::system::system_error& e) {
        throw std::runtime_error(
            fmt::format("http server: bad TLS certificate in {}: {}", cert->origin, e.what())
        );
    }
    try {
        context.use_private_key(asio::buffer(key->pem), asio::ssl::context::pem);
    } catch (const boost::system::system_error& e) {
        throw std::runtime_error(
            fmt::format("http server: bad TLS key in {}: {}", key->origin, e.what())
        );
    }
    return context;
}

}  // namespace nra::http::detail
