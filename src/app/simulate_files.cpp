#include "app/simulate_files.hpp"

#include <fmt/format.h>

#include <cstdio>
#include <fstream>
#include <nlohmann/json.hpp>

#include "slack/inbound.hpp"

namespace nra {
namespace {

using Json = nlohmann::json;

// Malformed bodies read as no fields: the simulator then answers like Slack, with an error.
std::unordered_map<std::string, std::string> form_fields(std::string_view body) {
    auto form = slack::parse_form(body);
    return form ? std::move(*form) : std::unordered_map<std::string, std::string>{};
}

http::ServerResponse json_answer(const Json& body) {
    http::ServerResponse r;
    r.body = body.dump();
    return r;
}

// Only a plain file name is used as one: the folder never gets paths from a request.
std::string safe_name(const std::string& name, const std::string& id) {
    const bool plain = !name.empty() && name.size() < 100 && name.find('/') == std::string::npos &&
                       name.find("..") == std::string::npos;
    return plain ? name : id + ".bin";
}

http::ServerResponse get_upload_url(SimFiles& files, const std::string& body) {
    const auto fields = form_fields(body);
    const std::string id = fmt::format("F0SIM{:04d}", files.next_id++);
    const auto name = fields.find("filename");
    files.names[id] = safe_name(name == fields.end() ? "" : name->second, id);
    return json_answer(Json{{"ok", true}, {"upload_url", files.upload_base + id}, {"file_id", id}});
}

http::ServerResponse save_upload(SimFiles& files, const std::string& id, const std::string& body) {
    http::ServerResponse r;
    r.content_type = "text/plain";
    const auto it = files.names.find(id);
    if (it == files.names.end()) {
        r.status = 404;
        return r;
    }
    std::error_code ec;
    std::filesystem::create_directories(files.folder, ec);
    const auto path = files.folder / it->second;
    std::ofstream out(path, std::ios::binary);
    out.write(body.data(), static_cast<std::streamsize>(body.size()));
    if (!out) {
        r.status = 500;
        return r;
    }
    fmt::print("\n[file] {} ({} bytes) saved to {}\n", it->second, body.size(), path.string());
    std::fflush(stdout);
    r.body = fmt::format("OK - {}", body.size());
    return r;
}

SimFileAnswer complete_upload(const std::string& body) {
    const auto fields = form_fields(body);
    const auto get = [&fields](const char* key) {
        const auto it = fields.find(key);
        return it == fields.end() ? std::string{} : it->second;
    };
    const auto list = Json::parse(get("files"), nullptr, false);
    std::string where = get("channel_id");
    if (!get("thread_ts").empty()) where += " thread " + get("thread_ts");
    std::string title;
    if (list.is_array() && !list.empty() && list[0].is_object()) title = list[0].value("title", "");
    fmt::print("\n[files.completeUploadExternal] {}\n{}\n", where, title);
    std::fflush(stdout);
    return SimFileAnswer{json_answer(Json{{"ok", true}, {"files", list}}), true};
}

}  // namespace

std::optional<SimFileAnswer> answer_file_call(SimFiles& files, const http::ServerRequest& request) {
    const std::string path(request.path());
    if (path == "/api/files.getUploadURLExternal") {
        return SimFileAnswer{get_upload_url(files, request.body), false};
    }
    if (path == "/api/files.completeUploadExternal") return complete_upload(request.body);
    constexpr std::string_view kUpload = "/upload/v1/";
    if (path.rfind(kUpload, 0) == 0) {
        return SimFileAnswer{save_upload(files, path.substr(kUpload.size()), request.body), false};
    }
    return std::nullopt;
}

}  // namespace nra
