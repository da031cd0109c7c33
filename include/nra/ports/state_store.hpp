// StateStore port: the small shared state several replicas need — event dedup, the
// trace-summary cache, Jira fingerprint → key, schedule locks and per-user rate limits — as
// keys with expiry. In memory for one process (the default), or Redis (REDIS_URL) for several,
// falling back to local state while Redis is down. Expected outcomes are values; only bugs throw.
#pragma once

#include <boost/asio/awaitable.hpp>
#include <chrono>
#include <cstdint>
#include <optional>
#include <string>

namespace nra {

struct StoreHealth {
    std::string backend;    // "memory" or "redis"
    bool shared = false;    // state is shared with other replicas right now
    bool degraded = false;  // Redis is configured but unreachable: local state in use
    std::string detail;     // one line for /readyz and logs; never a password
};

class StateStore {
public:
    virtual ~StateStore() = default;

    // SET key value NX PX ttl: true when this call created the key (the first delivery of an
    // event, the replica that runs a schedule), false when it already existed.
    virtual boost::asio::awaitable<bool> claim(
        std::string key, std::string value, std::chrono::milliseconds ttl
    ) = 0;
    // The value, or nullopt when missing or expired.
    virtual boost::asio::awaitable<std::optional<std::string>> get(std::string key) = 0;
    // SET key value PX ttl (ttl 0: no expiry).
    virtual boost::asio::awaitable<void> put(
        std::string key, std::string value, std::chrono::milliseconds ttl
    ) = 0;
    // INCR key, with PX window set by the increment that created it (fixed-window rate limits):
    // the count after this call.
    virtual boost::asio::awaitable<std::int64_t> increment(
        std::string key, std::chrono::milliseconds window
    ) = 0;
    virtual boost::asio::awaitable<void> remove(std::string key) = 0;

    virtual StoreHealth health() const = 0;
};

}  // namespace nra
