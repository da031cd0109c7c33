// Every environment name deploy/ sets (Kubernetes manifests, env.example, the systemd unit) is one
// the binary really reads: the names are collected from the string literals in src/ that sit
// near a read of the environment.
#include <catch2/catch.hpp>
#include <cctype>
#include <regex>
#include <set>
#include <sstream>
#include <string>

#include "deploy_files.hpp"

namespace deploy_env_test {

using namespace nra::test::deploy;

namespace {

// The environment the binary reads, collected from src/: capitalised string literals near a
// read of the environment ("env" within 300 characters). `file_capable` holds the names read
// through env_value (which also accepts NAME_FILE); plain getenv reads do not.
struct SourceEnv {
    std::set<std::string> names;
    std::set<std::string> file_capable;
    bool accepts(const std::string& name) const {
        if (names.contains(name)) return true;
        const auto n = name.size();
        return n > 5 && name.ends_with("_FILE") && file_capable.contains(name.substr(0, n - 5));
    }
};

// Every "CAPS_ONLY" token between two quotes: no pairing of quotes, so char literals ('"'),
// escaped quotes and raw strings cannot shift what counts as a literal.
void scan_source(const std::string& text, SourceEnv& env) {
    const auto caps = [](char c) {
        return std::isupper(static_cast<unsigned char>(c)) || c == '_' ||
               std::isdigit(static_cast<unsigned char>(c));
    };
    for (auto open = text.find('"'); open != std::string::npos; open = text.find('"', open + 1)) {
        auto close = open + 1;
        while (close < text.size() && caps(text[close])) ++close;
        if (close >= text.size() || text[close] != '"' || close - open < 3 ||
            !std::isupper(static_cast<unsigned char>(text[open + 1])))
            continue;
        const auto from = open > 300 ? open - 300 : 0;
        if (text.substr(from, 600).find("env") == std::string::npos) continue;
        const auto token = text.substr(open + 1, close - open - 1);
        const auto bol = text.rfind('\n', open) + 1;
        const auto line = text.substr(bol, text.find('\n', open) - bol);
        env.names.insert(token);
        const bool plain = line.find("getenv") != std::string::npos ||
                           line.find("setenv") != std::string::npos ||
                           line.find("env_either") != std::string::npos ||
                           line.find("std::pair{") != std::string::npos;
        if (!plain) env.file_capable.insert(token);
    }
}

const SourceEnv& source_env() {
    static const SourceEnv env = [] {
        SourceEnv out;
        for (const auto& e : fs::recursive_directory_iterator(kRoot / "src")) {
            const auto ext = e.path().extension();
            if (ext == ".cpp" || ext == ".hpp") scan_source(read_text(e.path()), out);
        }
        // NAME_FILE only where env_value implements it.
        if (read_text(kRoot / "src/app/environment.cpp").find("\"_FILE\"") == std::string::npos)
            out.file_capable.clear();
        return out;
    }();
    return env;
}

// `nr-analyzer --help`: the commands (first word after `nr-analyzer`) and every --flag.

}  // namespace

TEST_CASE("the source scan finds the variables the binary reads and only those") {
    const auto& env = source_env();
    for (const char* name : {"PORT", "SLACK_SIGNING_SECRET", "NEW_RELIC_API_KEY", "JIRA_URL"})
        CHECK(env.accepts(name));
    for (const char* name : {"NR_ANALYZER_JOBS", "NR_ANALYZER_LOG_LEVEL", "HTTPS_PROXY"})
        CHECK(env.accepts(name));
    CHECK(env.accepts("SLACK_BOT_TOKEN_FILE"));
    CHECK_FALSE(env.accepts("NR_ANALYZER_LOG_LEVEL_FILE"));  // a plain getenv: no _FILE
    CHECK_FALSE(env.accepts("SLACK_SIGING_SECRET"));
    CHECK_FALSE(env.accepts("PORT_NUMBER"));
}

TEST_CASE("every environment name in the manifests is one the binary reads") {
    const auto& env = source_env();
    for (const auto& [w, c] : containers()) {
        for (const auto& e : c["env"]) {
            INFO(w.name << " env " << e["name"].as<std::string>());
            CHECK(env.accepts(e["name"].as<std::string>()));
        }
        for (const auto& from : c["envFrom"]) {
            const bool secret = static_cast<bool>(from["secretRef"]);
            const auto ref = secret ? from["secretRef"] : from["configMapRef"];
            const auto doc =
                find_doc(secret ? "Secret" : "ConfigMap", ref["name"].as<std::string>());
            for (const auto& kv : doc[secret ? "stringData" : "data"]) {
                INFO(w.name << " envFrom " << kv.first.as<std::string>());
                CHECK(env.accepts(kv.first.as<std::string>()));
            }
        }
    }
}

TEST_CASE("every environment name in env.example and the systemd unit is one the binary reads") {
    const auto& env = source_env();
    static const std::regex assignment(R"(^#?\s*([A-Z][A-Z0-9_]*)=)");
    std::istringstream example(read_text(kRoot / "deploy/env.example"));
    int seen = 0;
    for (std::string line; std::getline(example, line);) {
        std::smatch m;
        if (!std::regex_search(line, m, assignment)) continue;
        INFO("deploy/env.example: " << line);
        CHECK(env.accepts(m[1]));
        CHECK(line.find(" #") == std::string::npos);  // EnvironmentFile has no inline comments
        ++seen;
    }
    CHECK(seen > 20);
    static const std::regex unit_env(R"(\nEnvironment=([A-Z][A-Z0-9_]*)=)");
    const auto unit = read_text(kRoot / "deploy/systemd/nr-analyzer.service");
    for (std::sregex_iterator i(unit.begin(), unit.end(), unit_env), end; i != end; ++i) {
        INFO("systemd Environment=" << (*i)[1]);
        CHECK(env.accepts((*i)[1]));
    }
}

}  // namespace deploy_env_test
