// Plain HTTP request/response values shared by the HTTPS client, the retry layer and adapters.
// No Beast or Asio here, so pure parsing code beside each adapter can use them.
#pragma once

#include <chrono>
#include <string>
#include <string_view>
#include <vector>

namespace nra::http {

struct Header {
    std::string name;
    std::string value;
};

struct Request {
    std::string method = "POST";
    std::string url;  // absolute http:// or https:// URL
    std::vector<Header> headers;
    std::string body;
    std::chrono::milliseconds timeout{30'000};  // deadline for this attempt: connect to last byte
    std::string upstream;  // metrics label: "newrelic", "slack", "jira"; empty: "other"
};

struct Response {
    int status = 0;
    std::vector<Header> headers;
    std::string body;  // already decompressed when the server sent gzip

    // Case-insensitive lookup; empty when absent.
    std::string_view header(std::string_view name) const;
};

// Why an attempt produced no response. `none` means `response` is valid (any status).
enum class Failure {
    none,
    timeout,    // the deadline passed (connect, TLS, write or read)
    connect,    // DNS, refused, reset, closed before a full response
    tls,        // handshake failed: certificate not trusted, wrong host name, protocol
    proxy,      // the proxy refused or broke the CONNECT tunnel
    too_large,  // response (after decompression) above ClientOptions::max_response_bytes
    protocol,   // malformed HTTP or a body that does not match its encoding
    bad_url,    // not an absolute http(s) URL
};

std::string_view to_string(Failure failure);

// What an exchange came to, in the terms every upstream shares; each adapter words it in its own
// (a NerdGraph FetchStatus, a Jira TicketStatus, a Slack ChatError).
enum class OutcomeClass {
    ok,              // 2xx
    timed_out,       // the deadline passed
    too_large,       // the answer exceeded what we read
    unreachable,     // connect, TLS, proxy, protocol or URL trouble
    rejected,        // 401, 403: credentials or permissions
    not_found,       // 404
    rate_limited,    // 429
    upstream_error,  // 5xx: their trouble, try again shortly
    refused,         // any other status: our request was not accepted
};

// One plain sentence for a transport failure of a request to `who` (e.g. "Jira") at `host`,
// the same for every adapter: "Jira (host) did not answer in time", a TLS hint naming
// NR_ANALYZER_CA_FILE, … Never holds headers or bodies.
std::string failure_sentence(Failure failure, std::string_view who, std::string_view host);

struct Outcome {
    Failure failure = Failure::none;
    std::string detail;  // one line for logs; never contains request headers or body
    Response response;
    int attempts = 1;  // filled by the retry layer
    // The whole request was written: the server may have acted on it, answered or not.
    bool sent = false;

    bool ok() const { return failure == Failure::none; }
};

// The one classification of an outcome (transport failure first, then the status).
OutcomeClass classify(const Outcome& out);

}  // namespace nra::http
