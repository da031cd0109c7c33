// SLO review digest → Slack Block Kit: a header, one mrkdwn section per SLO, and the review
// buttons under each SLO whose review is due. Built on BlockList, so Slack's limits hold for any
// digest; SLOs that do not fit are counted in a last context line.
#include <fmt/format.h>

#include <algorithm>
#include <nlohmann/json.hpp>

#include "core/render/block_list.hpp"
#include "core/render/render_util.hpp"
#include "core/report/report_blocks.hpp"
#include "core/report/slo_digest_parts.hpp"
#include "nra/report/slo_digest.hpp"

namespace nra::slo {
namespace {

using Json = nlohmann::ordered_json;
using render_detail::BlockList;
using render_detail::mrkdwn;

constexpr std::size_t kMaxButtonValue = 2000;  // Slack: a button's value ≤ 2,000 characters
constexpr std::size_t kShownWindows = 12;      // the most recent ones; older are counted
constexpr std::size_t kIdMin = 3, kIdMax = 32;

// Slack ids look like U024BE7LH: a kind letter, then uppercase letters and digits. Requiring a
// digit keeps words such as "SRE" from becoming a broken group mention.
bool is_slack_id(const std::string& s) {
    const bool shaped =
        s.size() >= kIdMin && s.size() <= kIdMax && std::all_of(s.begin() + 1, s.end(), [](char c) {
            return (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
        });
    return shaped && std::any_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

std::string title(const SloSpec& spec) {
    std::string out = "*" + mrkdwn(spec.name, 300) + "* — " + mrkdwn(spec.service, 200);
    if (spec.endpoint != "*" && !spec.endpoint.empty()) {
        out += " · endpoints " + report_blocks::endpoint_code(spec.endpoint, 200);
    }
    return out + " · " + mrkdwn(slo_parts::promise_text(spec), 200);
}

// "*Review 12 days overdue* · owner <@U1>" when due, else "Owner: <@U1> · Next review …".
std::string review_line(const DigestEntry& e) {
    const std::string review = mrkdwn(slo_parts::review_text(e), 100);
    const std::string owner = owner_mention(e.spec.review.owner);
    if (e.overdue_days) {
        return ":alarm_clock: *" + review + "* · owner " + owner;
    }
    return "Owner: " + owner + (review.empty() ? "" : " · " + review);
}

std::string windows_text(const DigestEntry& e) {
    const std::size_t skipped =
        e.history.size() > kShownWindows ? e.history.size() - kShownWindows : 0;
    std::string out = "*Windows* (oldest first)";
    if (skipped > 0) {
        out += "\n_" + render_detail::counted(skipped, "earlier window") + " not shown_";
    }
    for (std::size_t i = skipped; i < e.history.size(); ++i) {
        const WindowCounts& w = e.history[i];
        out += "\n• " + slo_parts::window_range(w) + ": " + slo_parts::window_figures(e.spec, w);
    }
    return out;
}

std::string advice_text(const DigestEntry& e) {
    std::string out = "*Suggestion: " + slo_parts::suggestion_label(e.spec, e.advice) + "*";
    if (!e.advice.because.empty()) {
        out += " — " + mrkdwn(e.advice.because, 700);
    }
    if (!e.advice.rule.empty()) {
        out += "\n_" + mrkdwn(e.advice.rule, 400) + "_";
    }
    if (const std::string stops = slo_parts::stops_sentence(e.advice); !stops.empty()) {
        out += "\n" + stops;
    }
    return out;
}

std::string spenders_text(const DigestEntry& e) {
    std::string out = "*What spent the budget:*";
    for (const BudgetSpender& s : e.spenders) {
        out += "\n• " + report_blocks::endpoint_code(s.endpoint, 200) + " " +
               slo_parts::spender_figures(e.spec, s);
    }
    return out;
}

// Everything about one computed SLO, most important first: a clipped section loses the tail.
std::string entry_text(const DigestEntry& e) {
    std::vector<std::string> parts{title(e.spec), review_line(e)};
    if (!e.summary.empty()) {
        parts.push_back(mrkdwn(e.summary, 700));
    }
    parts.push_back(advice_text(e));
    if (!e.history.empty()) {
        parts.push_back(windows_text(e));
    }
    if (!e.history_note.empty()) {
        parts.push_back("_" + mrkdwn(e.history_note, 300) + "_");
    }
    if (!e.spenders.empty()) {
        parts.push_back(spenders_text(e));
    }
    if (!e.spec.review.why.empty()) {
        parts.push_back("_Why this target:_ " + mrkdwn(e.spec.review.why, 400));
    }
    if (e.last_decision) {
        ReviewDecision shown = *e.last_decision;  // escaped here; the mention must stay markup
        shown.decision = mrkdwn(shown.decision, 40);
        parts.push_back(
            slo_parts::decision_text(shown, shown.user.empty() ? "" : owner_mention(shown.user))
        );
    }
    std::string out;
    for (const std::string& part : parts) {
        out += (out.empty() ? "" : "\n") + part;
    }
    return out;
}

// An SLO that could not be computed: the problem only (naming the SLO), and the review reminder
// when it is due, since the review does not depend on the data.
std::string problem_text(const DigestEntry& e) {
    std::string out = ":warning: ";
    if (e.problem.find(e.spec.name) == std::string::npos) {
        out += "*" + mrkdwn(e.spec.name, 300) + "*: ";
    }
    out += mrkdwn(e.problem, 1000);
    return e.overdue_days ? out + "\n" + review_line(e) : out;
}

Json button(const char* action, const char* label, const std::string& name) {
    Json out{
        {"type", "button"},
        {"action_id", action},
        {"text", Json{{"type", "plain_text"}, {"text", label}}},
        {"value", name},
    };
    if (std::string_view(action) == kReviewKeepAction) {
        out["style"] = "primary";
    }
    return out;
}

Json review_actions(const std::string& name) {
    return Json{
        {"type", "actions"},
        {"elements",
         Json::array({
             button(kReviewKeepAction, "Reviewed, keep", name),
             button(kReviewChangeAction, "Propose change", name),
         })},
    };
}

// BlockList has no actions block: each due SLO's buttons go right under its section.
BlockMessage with_buttons(
    BlockMessage message, const std::vector<std::pair<std::size_t, std::string>>& buttons
) {
    Json& list = message.blocks;
    std::size_t inserted = 0;  // each insertion shifts the later recorded indices by one
    for (const auto& [index, name] : buttons) {
        const auto at = static_cast<std::ptrdiff_t>(index + 1 + inserted++);
        list.insert(list.begin() + at, review_actions(name));
    }
    return message;
}

}  // namespace

std::string owner_mention(const std::string& owner) {
    if (owner.empty()) {
        return "nobody";
    }
    if (is_slack_id(owner) && (owner[0] == 'U' || owner[0] == 'W')) {
        return "<@" + owner + ">";
    }
    if (is_slack_id(owner) && owner[0] == 'S') {
        return "<!subteam^" + owner + ">";
    }
    return mrkdwn(owner, 200);
}

BlockMessage render_digest_blocks(const Digest& digest) {
    BlockList blocks;
    blocks.add_header("SLO review: " + digest.scope, "SLO review");
    std::vector<std::pair<std::size_t, std::string>> buttons;  // after block index, SLO name
    std::size_t used = blocks.size();
    std::size_t shown = 0;
    if (digest.slos.empty()) {
        blocks.add_section("No SLOs are configured here.");
    }
    for (const DigestEntry& e : digest.slos) {
        const std::size_t need = e.overdue_days ? 2 : 1;
        if (used + need > render_detail::kMaxBlocks - 1) {  // one kept for the "+N more" line
            break;
        }
        blocks.add_section(e.problem.empty() ? entry_text(e) : problem_text(e));
        if (e.overdue_days && e.spec.name.size() <= kMaxButtonValue) {  // bytes: conservative
            buttons.emplace_back(blocks.size() - 1, e.spec.name);
        } else if (e.overdue_days) {
            blocks.add_context(
                {"This SLO's name is too long for review buttons: review it with "
                 "`nr-analyzer slo review`."}
            );
        }
        used += need;
        ++shown;
    }
    if (shown < digest.slos.size()) {
        blocks.add_context({fmt::format(
            "+{} more SLO{}: see `nr-analyzer slo review`",
            digest.slos.size() - shown,
            digest.slos.size() - shown == 1 ? "" : "s"
        )});
    }
    const std::string fallback =
        "SLO review for " + mrkdwn(digest.scope, 300) + ": " + slo_parts::counts_text(digest);
    return with_buttons(blocks.finish(fallback), buttons);
}

}  // namespace nra::slo
