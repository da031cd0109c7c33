// /improve without a service: one Block Kit message ranking services by how many endpoints break
// their targets, then by the SLO budget they have left.
#include <fmt/format.h>

#include <algorithm>
#include <limits>

#include "core/render/block_list.hpp"
#include "core/render/render_util.hpp"
#include "core/report/report_blocks.hpp"
#include "core/report/report_format.hpp"
#include "core/report/report_text.hpp"
#include "nra/report/render_report.hpp"

namespace nra {
namespace {

namespace rf = report_format;
using render_detail::mrkdwn;

const SloReport* tightest_slo(const Report& report) {
    const SloReport* worst = nullptr;
    for (const SloReport& s : report.slos) {
        if (s.budget_remaining &&
            (worst == nullptr || *s.budget_remaining < *worst->budget_remaining)) {
            worst = &s;
        }
    }
    return worst;
}

double budget_key(const Report& report) {
    const SloReport* s = tightest_slo(report);
    return s != nullptr ? *s->budget_remaining : std::numeric_limits<double>::infinity();
}

std::string service_item(const Report& r) {
    std::string out =
        "• *" + mrkdwn(r.service, 200) + "* — " + mrkdwn(report_text::headline(r), 400);
    if (!r.endpoints.empty() && !r.endpoints.front().breaches.empty()) {
        out += "\n   Worst: " + report_blocks::endpoint_line(r.endpoints.front(), std::nullopt);
    }
    if (const SloReport* s = tightest_slo(r)) {
        out += fmt::format(
            "\n   SLO `{}`: budget left {}",
            render_detail::mrkdwn_code(s->name, 200),
            rf::percent(*s->budget_remaining)
        );
    }
    return out;
}

}  // namespace

BlockMessage render_services_overview(const std::vector<Report>& reports) {
    std::vector<const Report*> order;
    order.reserve(reports.size());
    for (const Report& r : reports) {
        order.push_back(&r);
    }
    std::stable_sort(order.begin(), order.end(), [](const Report* a, const Report* b) {
        if (a->breaching != b->breaching) {
            return a->breaching > b->breaching;
        }
        if (budget_key(*a) != budget_key(*b)) {
            return budget_key(*a) < budget_key(*b);
        }
        return a->service < b->service;
    });
    std::size_t breaking = 0;
    std::vector<std::string> items;
    for (const Report* r : order) {
        breaking += r->breaching > 0 ? 1 : 0;
        items.push_back(service_item(*r));
    }
    render_detail::BlockList blocks;
    blocks.add_header("Services to improve", "Services to improve");
    const std::string headline =
        reports.empty() ? std::string("No services to report on.")
                        : fmt::format(
                              "{} of {} services have endpoints that break their targets.",
                              breaking,
                              reports.size()
                          );
    blocks.add_section(headline);
    render_detail::add_item_sections(blocks, "", items, blocks.remaining() - 1, "service");
    if (!reports.empty()) {
        blocks.add_context({"Run `/improve` with a service name for its full report."});
    }
    return blocks.finish(headline);
}

}  // namespace nra
