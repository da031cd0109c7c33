#include "log/request_executor.hpp"

namespace nra::log {

boost::asio::any_io_executor with_request_id(boost::asio::any_io_executor inner, std::string id) {
    if (const auto* wrapped = inner.target<RequestExecutor>()) {
        boost::asio::any_io_executor unwrapped = wrapped->inner();
        inner = std::move(unwrapped);
    }
    if (id.empty()) return inner;
    return RequestExecutor(std::move(inner), std::make_shared<const std::string>(std::move(id)));
}

}  // namespace nra::log
