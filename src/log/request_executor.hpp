// An executor adaptor that carries a request id: every function it runs (a coroutine's first
// step and each resumption after a timer, a socket or another coroutine) runs inside a
// log::RequestScope, so coroutines interleaving on one thread each log their own request's id.
#pragma once

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/prefer.hpp>
#include <boost/asio/query.hpp>
#include <boost/asio/require.hpp>
#include <memory>
#include <string>
#include <type_traits>
#include <utility>

#include "log/log.hpp"

namespace nra::log {

// The id-carrying wrapper of an any_io_executor. Properties are queried on, required from and
// preferred of the inner executor; the results are wrapped again so the id survives the
// rebinding Asio does internally (blocking.never for post, outstanding_work.tracked, …).
class RequestExecutor {
public:
    using Inner = boost::asio::any_io_executor;

    RequestExecutor(Inner inner, std::shared_ptr<const std::string> id) noexcept
        : inner_(std::move(inner)), id_(std::move(id)) {}

    const Inner& inner() const noexcept { return inner_; }
    const std::string& id() const noexcept { return *id_; }

    template <class Property>
    auto query(const Property& property) const
        -> decltype(boost::asio::query(std::declval<const Inner&>(), property)) {
        return boost::asio::query(inner_, property);
    }

    template <class Property>
    auto require(const Property& property) const -> std::enable_if_t<
        boost::asio::can_require<const Inner&, const Property&>::value,
        RequestExecutor> {
        return RequestExecutor(boost::asio::require(inner_, property), id_);
    }

    template <class Property>
    auto prefer(const Property& property) const -> std::enable_if_t<
        boost::asio::can_prefer<const Inner&, const Property&>::value,
        RequestExecutor> {
        return RequestExecutor(boost::asio::prefer(inner_, property), id_);
    }

    template <class Function>
    void execute(Function&& function) const {
        inner_.execute(WithId<std::decay_t<Function>>{id_, std::forward<Function>(function)});
    }

    friend bool operator==(const RequestExecutor& a, const RequestExecutor& b) noexcept {
        return a.inner_ == b.inner_ && a.id_ == b.id_;
    }
    friend bool operator!=(const RequestExecutor& a, const RequestExecutor& b) noexcept {
        return !(a == b);
    }

private:
    template <class Function>
    struct WithId {
        std::shared_ptr<const std::string> id;
        Function function;
        void operator()() {
            const RequestScope scope(*id);
            std::move(function)();
        }
    };

    Inner inner_;
    std::shared_ptr<const std::string> id_;
};

// `inner` with `id` as the current request id of everything it runs; `inner` itself when `id`
// is empty. Wrapping an already wrapped executor replaces its id.
boost::asio::any_io_executor with_request_id(boost::asio::any_io_executor inner, std::string id);

}  // namespace nra::log
