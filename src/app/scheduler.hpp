// The in-process scheduler for configured /improve reports (ImproveConfig::schedules): each
// schedule runs at its local time in its time zone. The last run of every schedule is recorded
// (in NR_ANALYZER_STATE_FILE when set) before the report is made, so a run missed while the bot
// was down happens once after a restart, and never twice. Scheduled reports may also open Jira
// tickets by themselves when the policy says so and a breach persisted for `persist_runs` runs.
#pragma once

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/steady_timer.hpp>
#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>

#include "nra/report/improve_config.hpp"
#include "nra/report/report.hpp"
#include "ports.hpp"

namespace nra {

// Local wall time → UTC epoch seconds in an IANA zone, and the reverse (through the C library's
// zone database; serialized, as it uses the process's TZ).
std::optional<std::int64_t> local_to_utc(
    const std::string& zone, int year, int month, int day, int hour, int minute
);
// The schedule's latest due time at or before `now_s`, and its next one after it (UTC seconds).
std::optional<std::int64_t> last_due(const Schedule& schedule, std::int64_t now_s);
std::optional<std::int64_t> next_due(const Schedule& schedule, std::int64_t now_s);
std::string schedule_key(const Schedule& schedule);

// NR_ANALYZER_STATE_FILE, or nullopt (state in memory only).
std::optional<std::string> scheduler_state_path();
// NR_ANALYZER_STATE_FILE + ".reviews" (SLO review decisions), or nullopt (in memory only).
std::optional<std::string> review_store_path();

class Scheduler {
public:
    using EpochSeconds = std::function<std::int64_t()>;
    static constexpr std::int64_t kCatchUpSeconds =
        std::int64_t{12} * 3600;  // older missed runs are skipped

    Scheduler(
        const boost::asio::any_io_executor& executor,
        const Ports& ports,  // the composition root's: metrics, improve and chat set
        std::optional<std::string> state_path,
        EpochSeconds now = {}
    );

    void start();  // spawns the loop (no-op without schedules)
    void stop();   // the loop ends at its next wake-up

    // Runs every schedule that is due at `now_s` and not yet recorded; returns how many ran.
    boost::asio::awaitable<int> run_due(std::int64_t now_s);

    // Runs every schedule now, whatever its time (`improve --all --post` from a CronJob).
    boost::asio::awaitable<int> run_all_now();

    const std::map<std::string, std::int64_t>& last_runs() const { return last_runs_; }
    const std::map<std::string, int>& streaks() const { return streaks_; }

private:
    boost::asio::awaitable<void> loop();
    boost::asio::awaitable<void> run_schedule(Schedule schedule);
    boost::asio::awaitable<void> run_slo_review(Schedule schedule);
    boost::asio::awaitable<bool> claim_run(const Schedule& schedule, std::int64_t due) const;
    boost::asio::awaitable<void> auto_tickets(Report report);
    boost::asio::awaitable<void> load_shared_streaks(const std::string& service);
    boost::asio::awaitable<void> save_shared_streaks(const std::string& service);
    void load_state();
    void save_state() const;

    boost::asio::any_io_executor executor_;
    const Ports& ports_;
    std::optional<std::string> state_path_;
    EpochSeconds now_;
    std::map<std::string, std::int64_t> last_runs_;  // schedule key → due time last claimed
    std::map<std::string, int> streaks_;             // ticket fingerprint → consecutive breaches
    boost::asio::steady_timer timer_;
    bool stopped_ = false;
};

}  // namespace nra
