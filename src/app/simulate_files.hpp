// The simulator's side of Slack's file upload v2 (files.getUploadURLExternal, the upload itself,
// files.completeUploadExternal): uploaded files, such as the waterfall picture, are saved in a
// local folder and named in the printout, so the demo shows them without a workspace.
#pragma once

#include <cstddef>
#include <filesystem>
#include <map>
#include <optional>
#include <string>

#include "http/server.hpp"

namespace nra {

struct SimFiles {
    std::filesystem::path folder;              // where uploads are saved
    std::string upload_base;                   // "http://127.0.0.1:PORT/upload/v1/"
    std::map<std::string, std::string> names;  // file id → filename
    int next_id = 1;
};

struct SimFileAnswer {
    http::ServerResponse response;
    bool shared = false;  // a file was shared into a channel (counts as a post)
};

// Answers the request when it belongs to the upload flow; nullopt otherwise.
std::optional<SimFileAnswer> answer_file_call(SimFiles& files, const http::ServerRequest& request);

}  // namespace nra
