// `link_shared`: New Relic trace links pasted into Slack are unfurled with a compact summary, all
// of one event in a single chat.unfurl. Only New Relic UI hosts count (the manifest's
// unfurl_domains decide what Slack sends; this check keeps a forged event or a disguised link
// from making the bot fetch for, or vouch for, other hosts), links without a trace id are skipped,
// at most 3 per event. A trace that cannot be fetched leaves its link as Slack shows it (logged);
// the others are still unfurled.
#include <fmt/format.h>

#include <algorithm>

#include "new_relic_links.hpp"
#include "nra/trace_argument.hpp"
#include "post_analysis.hpp"
#include "private_reply.hpp"
#include "registry.hpp"

namespace nra {
namespace {

constexpr std::size_t kMaxLinks = 3;

struct TraceLink {
    std::string url;
    TraceArgument trace;
};

std::vector<TraceLink> trace_links(const std::vector<SharedLink>& links) {
    std::vector<TraceLink> out;
    for (const auto& link : links) {
        if (out.size() == kMaxLinks) break;
        if (!is_new_relic_link(link.url)) continue;
        auto trace = parse_trace_argument(link.url);
        if (!trace) continue;
        bool seen = false;
        for (const auto& t : out) seen = seen || t.url == link.url;
        if (!seen) out.push_back({link.url, std::move(trace).value()});
    }
    return out;
}

// The unfurl of one link ({"blocks": [...]}), or null when the trace could not be analysed.
boost::asio::awaitable<Blocks> unfurl_one(const Ports& ports, SlackEvent event, TraceLink link) {
    AnalysisRequest request;
    request.query = TraceQuery{link.trace.trace_id, link.trace.alternates};
    request.team_id = event.team_id;
    auto analysing = analyse_trace(ports, std::move(request));  // named: GCC 12
    auto analysed = co_await std::move(analysing);
    if (!analysed) {
        log_warning(ports, fmt::format("link_shared: not unfurled: {}", analysed.error()));
        co_return Blocks();
    }
    std::function<Blocks(const Analysis&)> render = [](const Analysis& a) {
        return render_blocks_unfurl(a.summary).blocks;
    };
    auto rendering = on_cpu(ports, std::move(*analysed), std::move(render));  // named: GCC 12
    Blocks blocks = co_await std::move(rendering);  // named: GCC 12 and braced temporaries
    co_return Blocks{{"blocks", std::move(blocks)}};
}

boost::asio::awaitable<void> run_unfurl(
    const Ports& ports, SlackEvent event, std::vector<TraceLink> links
) {
    auto unfurls = Blocks::object();
    for (const auto& link : links) {
        auto unfurling = unfurl_one(ports, event, link);
        auto unfurl = co_await std::move(unfurling);
        if (!unfurl.is_null()) unfurls[link.url] = std::move(unfurl);
    }
    if (unfurls.empty()) co_return;
    Unfurl request;
    if (!event.unfurl_id.empty() && !event.source.empty()) {
        request.unfurl_id = event.unfurl_id;  // a preview in the composer, not a posted message
        request.source = event.source;
    } else {
        request.channel = event.channel;
        request.ts = event.ts;
    }
    request.unfurls = std::move(unfurls);
    const auto result = co_await ports.chat->unfurl(std::move(request));
    if (!result.ok()) {
        log_warning(
            ports,
            fmt::format(
                "link_shared: chat.unfurl refused ({})",
                result.code.empty() ? "unavailable" : result.code
            )
        );
    }
}

}  // namespace

Handled handle_link_shared(const SlackEvent& event) {
    Handled handled;  // events are acked with a bare 200; busy: silently not unfurled
    auto links = trace_links(event.links);
    if (links.empty()) return handled;
    handled.job = [event, l = std::move(links)](const Ports& ports) {
        return run_unfurl(ports, event, l);
    };
    return handled;
}

}  // namespace nra
