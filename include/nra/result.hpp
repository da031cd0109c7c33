// Result<T>: a value or a short, user-presentable error. Expected outcomes (bad input, not found)
// are values in the pure core; nothing here throws for data it can represent.
#pragma once

#include <string>
#include <utility>
#include <variant>

namespace nra {

struct Error {
    std::string message;  // one line, safe to show to a user
};

template <class T>
class Result {
public:
    Result(T value) : v_(std::move(value)) {}      // NOLINT(google-explicit-constructor)
    Result(Error error) : v_(std::move(error)) {}  // NOLINT(google-explicit-constructor)

    bool ok() const { return v_.index() == 0; }
    explicit operator bool() const { return ok(); }
    T& value() & { return std::get<0>(v_); }
    const T& value() const& { return std::get<0>(v_); }
    T&& value() && { return std::get<0>(std::move(v_)); }
    T* operator->() { return &std::get<0>(v_); }
    const T* operator->() const { return &std::get<0>(v_); }
    T& operator*() & { return std::get<0>(v_); }
    const T& operator*() const& { return std::get<0>(v_); }
    const std::string& error() const { return std::get<1>(v_).message; }

private:
    std::variant<T, Error> v_;
};

inline Error make_error(std::string message) {
    return Error{std::move(message)};
}

}  // namespace nra
