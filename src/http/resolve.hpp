// Name resolution bounded by a deadline, shared by the HTTP client and the Redis connection:
// getaddrinfo runs on Asio's resolver thread and cannot be interrupted, so at the deadline we
// stop waiting (beast::error::timeout) and let the lookup finish alone.
#pragma once

#include <boost/asio/awaitable.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/system/error_code.hpp>
#include <chrono>
#include <string>

namespace nra::http {

boost::asio::awaitable<boost::system::error_code> resolve_within(
    std::string host,
    std::string port,
    std::chrono::steady_clock::time_point deadline,
    boost::asio::ip::tcp::resolver::results_type& out
);

}  // namespace nra::http
