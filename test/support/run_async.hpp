// Runs one coroutine to completion on an io_context in the test thread and returns its value
// (rethrowing what it threw). The io_context is restarted so a test can run several in a row.
#pragma once

#include <boost/asio/awaitable.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <exception>
#include <optional>
#include <utility>

namespace nra::test {

template <class T>
struct StoreOutcome {
    std::optional<T>* out;
    std::exception_ptr* error;
    void operator()(const std::exception_ptr& e, T value) const {
        if (e) {
            *error = e;
        } else {
            *out = std::move(value);
        }
    }
};

template <class T>
T run_blocking(boost::asio::io_context& ioc, boost::asio::awaitable<T> work) {
    std::optional<T> out;
    std::exception_ptr error;
    boost::asio::co_spawn(ioc, std::move(work), StoreOutcome<T>{&out, &error});
    ioc.run();
    ioc.restart();
    if (error) std::rethrow_exception(error);
    return std::move(*out);
}

template <class T>
boost::asio::awaitable<std::optional<T>> as_optional(boost::asio::awaitable<T> work) {
    co_return co_await std::move(work);
}

// The same for a value that is not default-constructible (Result<T>: co_spawn needs one).
template <class T>
T run_result(boost::asio::io_context& ioc, boost::asio::awaitable<T> work) {
    return std::move(*run_blocking(ioc, as_optional(std::move(work))));
}

// The same for a coroutine without a value: returns true once it finished (so tests can CHECK it).
inline bool run_blocking(boost::asio::io_context& ioc, boost::asio::awaitable<void> work) {
    std::exception_ptr error;
    bool done = false;
    boost::asio::co_spawn(ioc, std::move(work), [&](const std::exception_ptr& e) {
        error = e;
        done = true;
    });
    ioc.run();
    ioc.restart();
    if (error) std::rethrow_exception(error);
    return done;
}

}  // namespace nra::test
