// `/improve slo [service]` posts the SLO review digest in the channel; its "Reviewed, keep" and
// "Propose change" buttons record one decision per SLO and digest (in the ReviewStore) and say
// so in the digest's thread, so the history of decisions stays visible where it was taken.
#include <fmt/format.h>

#include "nra/render.hpp"
#include "post_analysis.hpp"
#include "post_report.hpp"
#include "registry.hpp"
#include "slo_digest.hpp"

namespace nra {
namespace {

using boost::asio::awaitable;

constexpr std::size_t kMaxSloName = 200;

std::int64_t now_ms(const Services& services) {
    return services.epoch_seconds ? services.epoch_seconds() * 1000 : 0;
}

awaitable<void> run_digest(Services services, SlashCommand command, std::string service) {
    if (auto problem = improve_unavailable(services); !problem.empty()) {
        co_await respond_privately(services, command.response_url, problem);
        co_return;
    }
    DigestRequest request{std::move(service), now_ms(services)};
    auto outcome =
        co_await produce_slo_digest(report_ports_of(services), services.reviews, request);
    if (!outcome.ok) {
        auto text = fmt::format("No SLO review: {}.", slack_escape_marked(outcome.problem));
        co_await respond_privately(services, command.response_url, std::move(text));
        co_return;
    }
    auto posted = co_await post_slo_digest(
        services, command.channel_id, command.response_url, std::move(outcome.digest)
    );
    if (!posted.ok) co_await respond_privately(services, command.response_url, posted.problem);
}

awaitable<void> run_decision(Services services, BlockAction action, std::string decision) {
    if (services.improve == nullptr || services.reviews == nullptr) {
        std::string text = "SLO review decisions are not recorded on this server.";
        co_await respond_privately(services, action.response_url, std::move(text));
        co_return;
    }
    const SloSpec* spec = find_slo(*services.improve, action.value);
    if (spec == nullptr) {
        auto text = fmt::format(
            "*{}* is no longer configured; nothing was recorded.", slack_escape(action.value)
        );
        co_await respond_privately(services, action.response_url, std::move(text));
        co_return;
    }
    slo::ReviewDecision record{
        spec->name, std::move(decision), action.user_id, now_ms(services) / 1000};
    const auto digest = action.channel_id + ":" + action.message_ts;
    auto outcome = co_await services.reviews->record_once(digest, record);
    if (!outcome.recorded) {
        auto text = slo::decision_already_text(outcome.existing);
        co_await respond_privately(services, action.response_url, std::move(text));
        co_return;
    }
    if (services.log) {
        services.log(
            fmt::format("SLO review: {} {} by {}", record.slo, record.decision, record.user)
        );
    }
    auto note = slo::decision_note(*spec, record);
    co_await reply_in_thread(services, action, std::move(note));
}

Handled decision_handled(const BlockAction& action, const char* decision) {
    Handled handled;  // a bare 200: the answer comes in the thread
    if (action.value.empty() || action.value.size() > kMaxSloName || action.message_ts.empty()) {
        return handled;
    }
    handled.busy_text = "I am busy right now; press the button again in a minute.";
    handled.job = [action, d = std::string(decision)](Services services) {
        return run_decision(std::move(services), action, d);
    };
    return handled;
}

}  // namespace

awaitable<PostedReport> post_slo_digest(
    Services services, std::string channel, std::string response_url, slo::Digest digest
) {
    PostedReport out;
    OutgoingMessage message = to_message(slo::render_digest_blocks(digest));
    message.channel = channel;
    const auto posted = co_await services.chat.post_message(message);
    if (posted.ok()) {
        out.ok = true;
        out.ts = posted.ts;
        co_return out;
    }
    const bool outside =
        posted.error == ChatError::not_in_channel || posted.error == ChatError::channel_not_found;
    if (outside && !response_url.empty()) {
        ResponseUrlMessage fallback;
        fallback.text = message.text;
        fallback.blocks = message.blocks;
        fallback.in_channel = true;
        co_await services.chat.respond(response_url, fallback);
        out.ok = true;  // the buttons work there too: Slack sends the message's ts with them
        co_return out;
    }
    out.problem = outside ? not_member_text("run `/improve slo` again")
                          : refused_text("SLO review", posted.code);
    co_return out;
}

Handled handle_improve_slo(const SlashCommand& command, const std::string& service) {
    Handled handled;
    handled.busy_text = "I am busy with other reports right now; try again in a minute.";
    if (!service.empty() && service != "all") {
        if (auto problem = check_service_name(service); !problem.empty()) {
            handled.ack.body =
                ephemeral_ack(fmt::format("{}. Usage: `/improve slo [service]`.", problem));
            return handled;
        }
    }
    handled.ack.body = ephemeral_ack(fmt::format(
        ":hourglass_flowing_sand: Reviewing the SLOs of {}…",
        service.empty() || service == "all" ? std::string("every service")
                                            : "`" + slack_escape(service, SlackSpan::code) + "`"
    ));
    handled.job = [command, service](Services services) {
        return run_digest(std::move(services), command, service);
    };
    return handled;
}

Handled handle_slo_review_keep(const BlockAction& action) {
    return decision_handled(action, "keep");
}

Handled handle_slo_review_change(const BlockAction& action) {
    return decision_handled(action, "change");
}

}  // namespace nra
