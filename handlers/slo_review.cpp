// `/improve slo [service]` posts the SLO review digest in the channel; its "Reviewed, keep" and
// "Propose change" buttons record one decision per SLO and digest (in the ReviewStore) and say
// so in the digest's thread, so the history of decisions stays visible where it was taken.
#include <fmt/format.h>

#include "nra/render/render.hpp"
#include "post_report.hpp"
#include "private_reply.hpp"
#include "registry.hpp"
#include "slo_review_digest.hpp"

namespace nra {
namespace {

using boost::asio::awaitable;

constexpr std::size_t kMaxSloName = 200;

std::int64_t now_ms(const Ports& ports) {
    return ports.epoch_seconds ? ports.epoch_seconds() * 1000 : 0;
}

awaitable<void> run_digest(const Ports& ports, SlashCommand command, std::string service) {
    DigestRequest request{std::move(service), now_ms(ports)};
    auto digest = co_await produce_slo_digest(ports, request);
    if (!digest) {
        auto text = fmt::format("No SLO review: {}.", slack_escape_marked(digest.error()));
        co_await respond_privately(ports, command.response_url, std::move(text));
        co_return;
    }
    auto posted = co_await post_slo_digest(
        ports, command.channel_id, command.response_url, std::move(digest).value()
    );
    if (!posted) co_await respond_privately(ports, command.response_url, posted.error());
}

awaitable<void> run_decision(const Ports& ports, BlockAction action, std::string decision) {
    if (ports.improve == nullptr || ports.reviews == nullptr) {
        std::string text = "SLO review decisions are not recorded on this server.";
        co_await respond_privately(ports, action.response_url, std::move(text));
        co_return;
    }
    const SloSpec* spec = find_slo(*ports.improve, action.value);
    if (spec == nullptr) {
        auto text = fmt::format(
            "*{}* is no longer configured; nothing was recorded.", slack_escape(action.value)
        );
        co_await respond_privately(ports, action.response_url, std::move(text));
        co_return;
    }
    slo::ReviewDecision record{
        spec->name, std::move(decision), action.user_id, now_ms(ports) / 1000};
    const auto digest = action.channel_id + ":" + action.message_ts;
    auto outcome = co_await ports.reviews->record_once(digest, record);
    if (!outcome.recorded) {
        auto text = slo::decision_already_text(outcome.existing);
        co_await respond_privately(ports, action.response_url, std::move(text));
        co_return;
    }
    if (ports.log) {
        ports.log(fmt::format("SLO review: {} {} by {}", record.slo, record.decision, record.user));
    }
    auto note = slo::decision_note(*spec, record);
    co_await reply_in_thread(ports, action, std::move(note));
}

Handled decision_handled(const BlockAction& action, const char* decision) {
    Handled handled;  // a bare 200: the answer comes in the thread
    if (action.value.empty() || action.value.size() > kMaxSloName || action.message_ts.empty()) {
        return handled;
    }
    handled.busy_text = "I am busy right now; press the button again in a minute.";
    handled.job = [action, d = std::string(decision)](const Ports& ports) {
        return run_decision(ports, action, d);
    };
    return handled;
}

}  // namespace

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
    handled.job = [command, service](const Ports& ports) {
        return run_digest(ports, command, service);
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
