#include "app/scheduler.hpp"

#include <fmt/format.h>
#include <unistd.h>

#include <algorithm>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <chrono>
#include <nlohmann/json.hpp>

#include "app/environment.hpp"
#include "improve_report.hpp"
#include "log/log.hpp"
#include "log/request_executor.hpp"
#include "nra/report/render_report.hpp"
#include "nra/report/report_build.hpp"
#include "nra/report/ticket_text.hpp"
#include "post_analysis.hpp"
#include "post_report.hpp"
#include "slo_review_digest.hpp"
#include "state/state_file.hpp"

namespace nra {
namespace {

namespace asio = boost::asio;

constexpr std::int64_t kMaxSleepSeconds = 3600;  // wake up hourly anyway (clock changes)
constexpr int kOverviewServices = 10;
// A due run's lock outlives the catch-up window, so a replica restarting late still sees it.
constexpr auto kRunLockTtl = std::chrono::milliseconds(std::chrono::hours(24));
// Breach streaks in the shared store: a quarter without a run forgets them.
constexpr auto kStreakTtl = std::chrono::milliseconds(std::chrono::hours(24 * 90));

// Who holds a run's lock, for whoever looks into Redis: the pod name on Kubernetes.
std::string replica_name() {
    return env_value("HOSTNAME").value_or("") + ":" + std::to_string(::getpid());
}

std::int64_t system_now() {
    return std::chrono::duration_cast<std::chrono::seconds>(
               std::chrono::system_clock::now().time_since_epoch()
    )
        .count();
}

struct LogLoopEnd {
    void operator()(const std::exception_ptr& e) const { log::failure("the scheduler", e); }
};

}  // namespace

std::optional<std::string> scheduler_state_path() {
    auto path = env_value("NR_ANALYZER_STATE_FILE");
    if (!path || path->empty()) return std::nullopt;
    return path;
}

std::optional<std::string> review_store_path() {
    auto state = scheduler_state_path();
    if (!state) return std::nullopt;
    return *state + ".reviews";
}

Scheduler::Scheduler(
    const asio::any_io_executor& executor,
    const Ports& ports,
    std::optional<std::string> state_path,
    EpochSeconds now
)
    : executor_(executor),
      ports_(ports),
      state_path_(std::move(state_path)),
      now_(std::move(now)),
      timer_(executor) {
    if (!now_) now_ = system_now;
    load_state();
    // A schedule seen for the first time starts now: its earlier due times are not "missed".
    const auto start = now_();
    bool added = false;
    for (const auto& schedule : ports_.improve->schedules) {
        added = last_runs_.try_emplace(schedule_key(schedule), start).second || added;
    }
    if (added) save_state();  // so a restart knows since when the schedule was watched
}

void Scheduler::start() {
    if (ports_.improve->schedules.empty()) return;
    asio::co_spawn(executor_, loop(), LogLoopEnd{});
}

void Scheduler::stop() {
    stopped_ = true;
    timer_.cancel();
}

asio::awaitable<void> Scheduler::loop() {
    while (!stopped_) {
        const auto now = now_();
        co_await run_due(now);
        std::int64_t wake = now + kMaxSleepSeconds;
        for (const auto& schedule : ports_.improve->schedules) {
            if (auto next = next_due(schedule, now)) wake = std::min(wake, *next);
        }
        timer_.expires_after(std::chrono::seconds(std::max<std::int64_t>(1, wake - now)));
        boost::system::error_code ec;
        co_await timer_.async_wait(asio::redirect_error(asio::use_awaitable, ec));
    }
}

asio::awaitable<int> Scheduler::run_due(std::int64_t now_s) {
    int ran = 0;
    for (const auto& schedule : ports_.improve->schedules) {
        const auto due = last_due(schedule, now_s);
        if (!due) continue;
        auto& last = last_runs_[schedule_key(schedule)];
        if (last >= *due) continue;
        last = *due;  // claimed before running: a crash mid-run never repeats the post
        save_state();
        if (now_s - *due > kCatchUpSeconds) {
            log::info(
                "skipped the {} report due {} s ago (too old)", schedule.service, now_s - *due
            );
            continue;
        }
        if (!co_await claim_run(schedule, *due)) continue;
        // Each run under its own request id, so its lines (New Relic, Slack, Jira) group in logs.
        const auto tagged = log::with_request_id(executor_, log::new_request_id());
        auto running = asio::co_spawn(tagged, run_schedule(schedule), asio::use_awaitable);
        co_await std::move(running);
        ++ran;
    }
    co_return ran;
}

// Several replicas run the same schedules: the one that claims this due time first posts.
asio::awaitable<bool> Scheduler::claim_run(const Schedule& schedule, std::int64_t due) const {
    if (ports_.state == nullptr) co_return true;
    const std::string key = fmt::format("schedule:{}:{}", schedule_key(schedule), due);
    const std::string owner = replica_name();
    const bool first = co_await ports_.state->claim(key, owner, kRunLockTtl);
    if (!first) {
        log::info("the {} report due at {} was posted by another replica", schedule.service, due);
    }
    co_return first;
}

asio::awaitable<int> Scheduler::run_all_now() {
    int ran = 0;
    for (const auto& schedule : ports_.improve->schedules) {
        co_await run_schedule(schedule);
        ++ran;
    }
    co_return ran;
}

asio::awaitable<void> Scheduler::run_slo_review(Schedule schedule) {
    log::info("scheduled SLO review for {} into {}", schedule.service, schedule.channel);
    DigestRequest request{schedule.service, now_() * 1000};
    auto digest = co_await produce_slo_digest(ports_, std::move(request));
    if (!digest) {
        log::warn("scheduled SLO review for {}: {}", schedule.service, digest.error());
        OutgoingMessage problem;
        problem.channel = schedule.channel;
        problem.text = fmt::format(
            "The scheduled SLO review could not be made: {}.", slack_escape_marked(digest.error())
        );
        co_await ports_.chat->post_message(problem);
        co_return;
    }
    const std::string no_response_url;  // named: GCC 12 and temporaries in co_await
    auto posted = co_await post_slo_digest(
        ports_, schedule.channel, no_response_url, std::move(digest).value()
    );
    if (!posted) log::warn("scheduled SLO review for {}: {}", schedule.service, posted.error());
}

asio::awaitable<void> Scheduler::run_schedule(Schedule schedule) {
    if (schedule.report == ScheduleReport::slo_review) {
        co_await run_slo_review(std::move(schedule));
        co_return;
    }
    log::info("scheduled /improve report for {} into {}", schedule.service, schedule.channel);
    if (schedule.service == "all") {
        auto overview = co_await produce_overview(ports_, kOverviewServices);
        if (!overview) {
            log::warn("scheduled overview failed: {}", overview.error());
            co_return;
        }
        OutgoingMessage message = to_message(render_services_overview(*overview));
        message.channel = schedule.channel;
        co_await ports_.chat->post_message(message);
        for (auto& report : *overview) co_await auto_tickets(std::move(report));
        co_return;
    }
    ReportRequest request;
    request.service = schedule.service;
    auto report = co_await produce_report(ports_, std::move(request));
    if (!report) {
        log::warn("scheduled report for {} failed: {}", schedule.service, report.error());
        OutgoingMessage problem;
        problem.channel = schedule.channel;
        problem.text = fmt::format(
            "The scheduled improvement report for `{}` could not be built: {}",
            slack_escape(schedule.service, SlackSpan::code),
            slack_escape_marked(report.error())
        );
        co_await ports_.chat->post_message(problem);
        co_return;
    }
    const std::string no_response_url;  // named: GCC 12 and temporaries in co_await
    auto posted = co_await post_report(ports_, schedule.channel, no_response_url, *report);
    if (!posted) log::warn("scheduled report for {}: {}", schedule.service, posted.error());
    co_await auto_tickets(std::move(report).value());
}

// Counts consecutive breaching runs per fingerprint; files a ticket once a breach persisted.
asio::awaitable<void> Scheduler::auto_tickets(Report report) {
    const auto& policy = ports_.improve->jira;
    std::map<std::string, const EndpointReport*> breaching;
    for (const auto& endpoint : report.endpoints) {
        if (endpoint.breaches.empty()) continue;
        const auto fp =
            ticket_fingerprint(report.service, endpoint.stats.name, primary_breach_kind(endpoint));
        breaching[fp] = &endpoint;
    }
    co_await load_shared_streaks(report.service);
    std::map<std::string, int> next;
    for (const auto& [fp, endpoint] : breaching) {
        const auto it = streaks_.find(report.service + "#" + fp);
        next[fp] = (it == streaks_.end() ? 0 : it->second) + 1;
    }
    // Streaks of this service's endpoints that stopped breaching end here.
    for (auto it = streaks_.begin(); it != streaks_.end();) {
        it = (it->first.rfind(report.service + "#", 0) == 0) ? streaks_.erase(it) : std::next(it);
    }
    for (const auto& [fp, n] : next) streaks_[report.service + "#" + fp] = n;
    save_state();
    co_await save_shared_streaks(report.service);
    if (!policy.auto_create || ports_.tickets == nullptr) co_return;
    for (const auto& [fp, endpoint] : breaching) {
        if (next[fp] < policy.persist_runs) continue;
        auto draft = make_ticket(report, *endpoint, *ports_.improve);
        auto filed = co_await ports_.tickets->file(std::move(draft));
        log::info(
            "automatic ticket for {} {}: {}", report.service, endpoint->stats.name, filed.key
        );
    }
}

// The service's streaks as the replica that ran last left them (they replace the local ones).
asio::awaitable<void> Scheduler::load_shared_streaks(const std::string& service) {
    if (ports_.state == nullptr) co_return;
    const std::string key = "streaks:" + service;
    const auto stored = co_await ports_.state->get(key);
    if (!stored) co_return;
    const auto json = nlohmann::json::parse(*stored, nullptr, false);
    if (!json.is_object()) co_return;
    const std::string prefix = service + "#";
    std::erase_if(streaks_, [&](const auto& entry) { return entry.first.rfind(prefix, 0) == 0; });
    for (const auto& [fp, n] : json.items()) {
        if (n.is_number_integer()) streaks_[prefix + fp] = n.get<int>();
    }
}

asio::awaitable<void> Scheduler::save_shared_streaks(const std::string& service) {
    if (ports_.state == nullptr) co_return;
    const std::string prefix = service + "#";
    nlohmann::json json = nlohmann::json::object();
    for (const auto& [key, n] : streaks_) {
        if (key.rfind(prefix, 0) == 0) json[key.substr(prefix.size())] = n;
    }
    const std::string key = "streaks:" + service;
    const std::string value = json.dump();
    co_await ports_.state->put(key, value, kStreakTtl);
}

void Scheduler::load_state() {
    if (!state_path_) return;
    const auto json = read_state_file(*state_path_, "scheduler state");
    const auto runs = json.value("last_runs", nlohmann::json::object());   // named: the loops
    const auto streaks = json.value("streaks", nlohmann::json::object());  // outlive no temporary
    for (const auto& [key, value] : runs.items()) {
        if (value.is_number_integer()) last_runs_[key] = value.get<std::int64_t>();
    }
    for (const auto& [key, value] : streaks.items()) {
        if (value.is_number_integer()) streaks_[key] = value.get<int>();
    }
}

void Scheduler::save_state() const {
    if (!state_path_) return;
    const nlohmann::json json{{"last_runs", last_runs_}, {"streaks", streaks_}};
    write_state_file(*state_path_, json, "scheduler state");
}

}  // namespace nra
