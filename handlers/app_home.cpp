// `app_home_opened` on the Home tab: publish the manual and this workspace's latest analyses
// (views.publish). The Messages tab and events without a user are ignored.
#include "nra/render/render_home.hpp"
#include "registry.hpp"

namespace nra {
namespace {

boost::asio::awaitable<void> publish(const Ports& ports, std::string user, std::string team) {
    std::vector<RecentAnalysis> recent;
    if (ports.recent != nullptr) {
        auto recalling = ports.recent->recall(team);  // named: GCC 12
        recent = co_await std::move(recalling);
    }
    HomeOptions options;
    options.improve = ports.metrics != nullptr;
    Blocks view = render_home_view(recent, options);
    const auto published = co_await ports.chat->publish_home(std::move(user), std::move(view));
    if (!published.ok()) {
        log_warning(ports, "app_home_opened: views.publish refused (" + published.code + ")");
    }
}

}  // namespace

Handled handle_app_home_opened(const SlackEvent& event) {
    Handled handled;  // a bare 200; busy: the tab keeps its last view
    if (event.tab != "home" || event.user.empty()) return handled;
    handled.job = [user = event.user, team = event.team_id](const Ports& ports) {
        return publish(ports, user, team);
    };
    return handled;
}

}  // namespace nra
