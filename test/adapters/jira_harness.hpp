// Shared set-up of the Jira adapter tests: a fake Jira (Cloud or Data Center, plain or TLS), an
// HTTPS client trusting the test CA, and a config with millisecond delays.
#pragma once

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "http/client.hpp"
#include "jira/jira_tracker.hpp"
#include "support/fake_jira.hpp"
#include "support/log_capture.hpp"
#include "support/run_async.hpp"
#include "support/test_pki.hpp"

namespace nra::test {

inline FakeJiraOptions jira_options(bool tls, bool datacenter = false, int search_lag = 0) {
    FakeJiraOptions o;
    o.tls = tls;
    o.datacenter = datacenter;
    o.search_lag = search_lag;
    return o;
}

inline TicketDraft draft_for(std::string fingerprint) {
    TicketDraft d;
    d.fingerprint = std::move(fingerprint);
    d.summary = "checkout-api POST /orders: p95 1.8 s > 1.0 s";
    d.description =
        "p95 is 1.8 s against 1.0 s.\n\nWhy:\n- N+1 queries on `SELECT * FROM items WHERE "
        "id = ?`\n- see <https://one.newrelic.com/trace/1|the slowest trace>";
    d.comment = "Still breaching: p95 2.1 s (was 1.8 s).";
    d.labels = {"nr-analyzer"};
    return d;
}

struct JiraHarness {
    explicit JiraHarness(FakeJiraOptions options = {}) : fake(options) {
        config.url = fake.base_url();
        config.flavor = options.datacenter ? jira::JiraFlavor::datacenter : jira::JiraFlavor::cloud;
        config.email = options.datacenter ? "" : FakeJira::kEmail;
        config.api_token = options.datacenter ? FakeJira::kPat : FakeJira::kApiToken;
        config.project = "OPS";
        config.request_timeout = std::chrono::seconds(5);
        config.budget = std::chrono::seconds(20);
        config.retry_base_delay = std::chrono::milliseconds(1);
        config.confirm_delay = std::chrono::milliseconds(1);
        http::ClientOptions client_options;
        client_options.ca_pem = test_pki().ca_pem;
        client = std::make_unique<http::Client>(ioc.get_executor(), client_options);
    }
    JiraHarness(const JiraHarness&) = delete;
    JiraHarness& operator=(const JiraHarness&) = delete;

    // A tracker with the current config (a new one has an empty cache, like a restart).
    std::unique_ptr<jira::JiraTracker> make_tracker() {
        return std::make_unique<jira::JiraTracker>(*client, config);
    }
    jira::JiraTracker& tracker() {
        if (!tracker_) tracker_ = make_tracker();
        return *tracker_;
    }
    TicketResult file(TicketDraft draft) { return file_with(tracker(), std::move(draft)); }
    TicketResult file_with(jira::JiraTracker& t, TicketDraft draft) {
        return run_blocking(ioc, t.file(std::move(draft)));
    }

    // Two file() calls in flight at once on the one I/O thread.
    std::pair<TicketResult, TicketResult> file_twice_at_once(const TicketDraft& draft) {
        std::optional<TicketResult> a;
        std::optional<TicketResult> b;
        std::exception_ptr ea;
        std::exception_ptr eb;
        boost::asio::co_spawn(ioc, tracker().file(draft), StoreOutcome<TicketResult>{&a, &ea});
        boost::asio::co_spawn(ioc, tracker().file(draft), StoreOutcome<TicketResult>{&b, &eb});
        ioc.run();
        ioc.restart();
        if (ea) std::rethrow_exception(ea);
        if (eb) std::rethrow_exception(eb);
        return {std::move(*a), std::move(*b)};
    }

    // Nothing secret in what the user or the logs saw.
    bool leaked(const TicketResult& r) const {
        const std::vector<std::string> secrets{
            FakeJira::kApiToken,
            FakeJira::kEmail,
            FakeJira::kPat,
            std::string(JiraBackend::kBasic).substr(6)};
        for (const auto& s : secrets) {
            if (r.message.find(s) != std::string::npos || logs.mentions(s)) return true;
        }
        return false;
    }

    LogCapture logs;  // debug level
    FakeJira fake;
    boost::asio::io_context ioc;
    jira::JiraConfig config;
    std::unique_ptr<http::Client> client;

private:
    std::unique_ptr<jira::JiraTracker> tracker_;
};

}  // namespace nra::test
