// Slack's `error` codes → ChatError: the table the adapter and the handlers rely on.
#include <catch2/catch.hpp>
#include <string>
#include <utility>

#include "slack/web_client.hpp"

namespace slack_errors_test {

using nra::ChatError;
using nra::slack::classify_error;

TEST_CASE("Slack error codes map to ChatError") {
    const auto [code, expected] = GENERATE(table<std::string, ChatError>({
        {"not_in_channel", ChatError::not_in_channel},
        {"channel_not_found", ChatError::channel_not_found},
        {"invalid_auth", ChatError::invalid_auth},
        {"not_authed", ChatError::invalid_auth},
        {"token_revoked", ChatError::invalid_auth},
        {"account_inactive", ChatError::invalid_auth},
        {"ratelimited", ChatError::rate_limited},
        {"rate_limited", ChatError::rate_limited},
        {"msg_too_long", ChatError::too_long},
        {"msg_blocks_too_long", ChatError::too_long},
        {"invalid_blocks", ChatError::other},
        {"invalid_blocks_format", ChatError::other},
        {"is_archived", ChatError::other},
        {"missing_scope", ChatError::other},
        {"expired_url", ChatError::other},
        {"", ChatError::other},
        {"NOT_IN_CHANNEL", ChatError::other},
        {"not_in_channel ", ChatError::other},
    }));
    INFO("code: '" << code << "'");
    CHECK(classify_error(code) == expected);
}

}  // namespace slack_errors_test
