// Keeps deploy/ honest against the real binary and its sources: every Kubernetes manifest (all
// documents), deploy/env.example, the systemd unit and the Dockerfile name commands, flags, env
// variables, ports, probe paths, Secret keys and ConfigMap files that really exist.
#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <catch2/catch.hpp>
#include <cctype>
#include <filesystem>
#include <fstream>
#include <initializer_list>
#include <iterator>
#include <regex>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "cli_run.hpp"
#include "deploy_files.hpp"
#include "http/client.hpp"
#include "server_process.hpp"
#include "support/run_async.hpp"
#include "support/scratch_dir.hpp"

namespace deploy_manifests_test {

using namespace nra::test;
using namespace nra::test::deploy;

namespace {

struct Usage {
    std::set<std::string> commands;
    std::set<std::string> flags;
};

const Usage& usage() {
    static const Usage u = [] {
        const auto run = run_cli("", "--help");
        REQUIRE(run.exit_code == 0);
        Usage out;
        static const std::regex command(R"(^\s+nr-analyzer ([a-z][a-z-]*))");
        static const std::regex flag(R"(--[a-z][a-z-]*)");
        std::istringstream lines(run.out);
        for (std::string line; std::getline(lines, line);) {
            std::smatch m;
            if (std::regex_search(line, m, command)) out.commands.insert(m[1]);
            for (std::sregex_iterator i(line.begin(), line.end(), flag), end; i != end; ++i)
                out.flags.insert(i->str());
        }
        return out;
    }();
    return u;
}

void check_args(const std::string& where, const std::vector<std::string>& args) {
    INFO(where);
    REQUIRE(!args.empty());
    CHECK(usage().commands.contains(args[0]));
    for (const auto& a : args) {
        if (a.rfind("--", 0) == 0) CHECK(usage().flags.contains(a));
    }
}

struct Dockerfile {
    std::string expose, port_env, entrypoint, copied_to, user;
};

std::string first_match(const std::string& text, const char* pattern) {
    std::smatch m;
    return std::regex_search(text, m, std::regex(pattern)) ? m[1].str() : std::string();
}

Dockerfile dockerfile() {
    const auto text = read_text(kRoot / "deploy/Dockerfile");
    return {
        first_match(text, R"(\nEXPOSE (\d+))"),
        first_match(text, R"(\nENV PORT=(\d+))"),
        first_match(text, R"(\nENTRYPOINT \["([^"]+)\"])"),
        first_match(text, R"(\nCOPY --from=\S+ \S+ (\S+))"),
        first_match(text, R"(\nUSER (\d+))")};
}

// A container's argv after the image's ENTRYPOINT: `command` (which replaces it) must name the
// installed binary; `args` follow.
std::vector<std::string> container_args(const YAML::Node& c) {
    std::vector<std::string> out;
    if (c["command"]) {
        auto command = c["command"].as<std::vector<std::string>>();
        REQUIRE(!command.empty());
        CHECK(command[0] == dockerfile().entrypoint);
        out.assign(command.begin() + 1, command.end());
    }
    if (c["args"]) {
        for (const auto& a : c["args"].as<std::vector<std::string>>()) out.push_back(a);
    }
    return out;
}

// The ConfigMap file a container's NR_ANALYZER_CONFIG (or --config) names, through its mount.
std::string config_text(const Workload& w, const YAML::Node& c) {
    auto path = env_literal(c, "NR_ANALYZER_CONFIG");
    const auto args = container_args(c);
    for (std::size_t i = 0; i + 1 < args.size(); ++i) {
        if (args[i] == "--config") path = args[i + 1];
    }
    INFO(w.name << " config " << path);
    REQUIRE(!path.empty());
    const auto dir = fs::path(path).parent_path().string();
    for (const auto& m : c["volumeMounts"]) {
        if (m["mountPath"].as<std::string>() != dir) continue;
        for (const auto& v : w.pod["spec"]["volumes"]) {
            if (v["name"].as<std::string>() != m["name"].as<std::string>() || !v["configMap"])
                continue;
            const auto map = find_doc("ConfigMap", v["configMap"]["name"].as<std::string>());
            const auto key = fs::path(path).filename().string();
            REQUIRE(map["data"][key]);
            return map["data"][key].as<std::string>();
        }
    }
    FAIL("no ConfigMap volume is mounted at " << dir);
    return {};
}

std::string write_tmp(const std::string& name, const std::string& text) {
    const auto path = std::string(NRA_TEST_TMP_DIR) + "/" + name;
    std::ofstream(path) << text;
    return path;
}

std::string quoted(const std::vector<std::string>& args) {
    std::string out;
    for (const auto& a : args) out += " '" + a + "'";
    return out;
}

// GET path from the server; the HTTP status, or -1 when there was no answer.
int http_get(const ServerProcess& server, const std::string& path) {
    boost::asio::io_context ioc;
    nra::http::Client client(ioc.get_executor(), {});
    nra::http::Request request;
    request.method = "GET";
    request.url = server.url(path);
    request.timeout = std::chrono::seconds(10);
    auto out = run_blocking(ioc, client.send(std::move(request)));
    return out.ok() ? out.response.status : -1;
}

}  // namespace

TEST_CASE("container args are commands and flags the binary accepts") {
    REQUIRE(usage().commands.contains("serve"));
    CHECK(usage().flags.contains("--config"));
    CHECK(dockerfile().entrypoint == dockerfile().copied_to);
    for (const auto& [w, c] : containers()) {
        const auto args = container_args(c);
        check_args(w.name, args);
        if (args.empty() || args[0] == "serve") continue;  // started in the probes test
        // Run without a bot token: it may fail (exit 1) but must not be a usage error (2).
        const auto config = write_tmp("args.yaml", config_text(w, c));
        const auto run = run_cli(
            "-u SLACK_BOT_TOKEN -u SLACK_BOT_TOKEN_FILE SLACK_API_URL=http://127.0.0.1:9/api "
            "NR_ANALYZER_CONFIG=" +
                config,
            quoted(args)
        );
        INFO(w.name << ": " << run.err);
        CHECK(run.exit_code != 2);
        CHECK(run.err.find("--help") == std::string::npos);
    }
}

TEST_CASE("the systemd ExecStart is a command the binary accepts with state in StateDirectory") {
    const auto unit = read_text(kRoot / "deploy/systemd/nr-analyzer.service");
    std::smatch m;
    REQUIRE(std::regex_search(unit, m, std::regex(R"(\nExecStart=(\S+)((?: \S+)*))")));
    CHECK(m[1] == dockerfile().entrypoint);
    std::istringstream words(m[2].str());
    std::vector<std::string> args{std::istream_iterator<std::string>(words), {}};
    check_args("systemd ExecStart", args);
    REQUIRE(std::regex_search(unit, m, std::regex(R"(\nStateDirectory=(\S+))")));
    CHECK(unit.find("NR_ANALYZER_STATE_FILE=/var/lib/" + m[1].str() + "/") != std::string::npos);
}

TEST_CASE("ports agree across Dockerfile and containers and PORT and probes") {
    const auto docker = dockerfile();
    CHECK(docker.expose == docker.port_env);
    for (const auto& [w, c] : containers()) {
        INFO(w.name);
        CHECK(w.pod["spec"]["securityContext"]["runAsNonRoot"].as<bool>());
        CHECK(w.pod["spec"]["securityContext"]["runAsUser"].as<std::string>() == docker.user);
        const auto port = env_literal(c, "PORT");
        std::set<std::string> names{port};
        for (const auto& p : c["ports"]) {
            names.insert(p["name"].as<std::string>());
            CHECK(p["containerPort"].as<std::string>() == port);
            CHECK(p["containerPort"].as<std::string>() == docker.expose);
        }
        for (const char* probe : {"readinessProbe", "livenessProbe", "startupProbe"}) {
            if (c[probe]) CHECK(names.contains(c[probe]["httpGet"]["port"].as<std::string>()));
        }
    }
}

TEST_CASE("the Service targets the container port and the Ingress targets the Service") {
    std::set<std::string> container_ports;  // names and numbers
    for (const auto& [w, c] : containers()) {
        for (const auto& p : c["ports"]) {
            container_ports.insert(p["name"].as<std::string>());
            container_ports.insert(p["containerPort"].as<std::string>());
        }
    }
    REQUIRE(!container_ports.empty());
    std::set<std::string> service_ports;
    for (const auto& p : find_doc("Service", "nr-analyzer")["spec"]["ports"]) {
        CHECK(container_ports.contains(p["targetPort"].as<std::string>()));
        service_ports.insert(p["name"].as<std::string>());
        service_ports.insert(p["port"].as<std::string>());
    }
    for (const auto& rule : find_doc("Ingress", "nr-analyzer")["spec"]["rules"]) {
        for (const auto& path : rule["http"]["paths"]) {
            const auto backend = path["backend"]["service"];
            CHECK(backend["name"].as<std::string>() == "nr-analyzer");
            const auto port =
                backend["port"]["name"] ? backend["port"]["name"] : backend["port"]["number"];
            CHECK(service_ports.contains(port.as<std::string>()));
        }
    }
}

TEST_CASE("secretKeyRefs are keys of the example Secret and config files are ConfigMap keys") {
    for (const auto& [w, c] : containers()) {
        for (const auto& e : c["env"]) {
            const auto ref = dig(e, {"valueFrom", "secretKeyRef"});
            if (!ref) continue;
            INFO(w.name << " " << e["name"].as<std::string>());
            const auto doc = find_doc("Secret", ref["name"].as<std::string>());
            CHECK(doc["stringData"][ref["key"].as<std::string>()]);
        }
        CHECK(!config_text(w, c).empty());
    }
}

TEST_CASE("the ConfigMap configurations load and scheduled reports are posted once") {
    std::string serve_config, cron_config;
    for (const auto& [w, c] : containers()) {
        const auto args = container_args(c);
        const auto text = config_text(w, c);
        const auto run = run_cli("", "improve --all --config " + write_tmp("load.yaml", text));
        INFO(w.name << ": " << run.err);
        CHECK(run.exit_code == 0);
        if (!args.empty() && args[0] == "serve") serve_config = text;
        if (args == std::vector<std::string>{"improve", "--all", "--post"}) cron_config = text;
    }
    REQUIRE(!serve_config.empty());
    if (cron_config.empty()) return;  // no CronJob: the in-process schedules post the reports
    auto serve = YAML::Load(serve_config);
    auto cron = YAML::Load(cron_config);
    CHECK_FALSE(serve["schedules"]);  // or every replica would post them as well
    REQUIRE(cron["schedules"]);
    CHECK(cron["schedules"].size() > 0);
    cron.remove("schedules");  // otherwise the same settings, so reports judge like /improve
    CHECK(YAML::Dump(cron) == YAML::Dump(serve));
}

TEST_CASE("probe and metrics and Ingress paths are served by the real binary") {
    std::string serve_config;
    std::vector<std::string> ok_paths;
    for (const auto& [w, c] : containers()) {
        const auto args = container_args(c);
        if (args.empty() || args[0] != "serve") continue;
        serve_config = config_text(w, c);
        for (const char* probe : {"readinessProbe", "livenessProbe", "startupProbe"}) {
            if (c[probe]) ok_paths.push_back(c[probe]["httpGet"]["path"].as<std::string>());
        }
        const auto scrape = dig(w.pod, {"metadata", "annotations", "prometheus.io/path"});
        if (scrape) ok_paths.push_back(scrape.as<std::string>());
    }
    REQUIRE(ok_paths.size() >= 2);
    // As deployed (a signing secret, so not demo mode), on a free port, Slack unreachable.
    ServerProcess server(
        {{"PORT", "0"},
         {"SLACK_SIGNING_SECRET", "deploy-test-secret"},
         {"SLACK_BOT_TOKEN", "xoxb-deploy-test"},
         {"SLACK_API_URL", "http://127.0.0.1:9/api"},
         {"NR_ANALYZER_CONFIG", write_tmp("serve.yaml", serve_config)}}
    );
    for (const auto& path : ok_paths) {
        INFO("GET " << path);
        CHECK(http_get(server, path) == 200);
    }
    for (const auto& rule : find_doc("Ingress", "nr-analyzer")["spec"]["rules"]) {
        for (const auto& p : rule["http"]["paths"]) {
            INFO("Ingress path " << p["path"].as<std::string>());
            CHECK(http_get(server, p["path"].as<std::string>()) == 405);  // a POST route
        }
    }
    CHECK(http_get(server, "/no-such-route") == 404);  // so 200 and 405 above mean something
    CHECK(server.terminate() == 0);  // SIGTERM drains and exits 0 (terminationGracePeriod)
}

}  // namespace deploy_manifests_test
