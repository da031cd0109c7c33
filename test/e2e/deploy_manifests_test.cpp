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
#include "http/client.hpp"
#include "server_process.hpp"
#include "support/run_async.hpp"

using namespace nra::test;
namespace fs = std::filesystem;

namespace {

const fs::path kRoot = NRA_SOURCE_DIR;

std::string read_text(const fs::path& path) {
    std::ifstream in(path, std::ios::binary);
    REQUIRE(in.good());
    std::ostringstream out;
    out << in.rdbuf();
    return out.str();
}

// n[k1][k2]…, or an undefined node when a key is missing (yaml-cpp throws on chained misses).
// reset(), never `=`: assigning a yaml-cpp node rewrites the node it refers to.
YAML::Node dig(const YAML::Node& from, std::initializer_list<const char*> keys) {
    const YAML::Node empty(YAML::NodeType::Map);
    YAML::Node n;
    n.reset(from);
    for (const char* k : keys) {
        const YAML::Node& here = n;
        if (!here.IsMap() || !here[k]) return empty["missing"];
        n.reset(here[k]);
    }
    return n;
}

struct Doc {
    std::string file;
    YAML::Node node;
};

// Every document of every YAML file under deploy/kubernetes, in file order.
const std::vector<Doc>& manifests() {
    static const std::vector<Doc> docs = [] {
        std::vector<fs::path> files;
        for (const auto& e : fs::directory_iterator(kRoot / "deploy/kubernetes")) {
            if (e.path().extension() == ".yaml" || e.path().extension() == ".yml")
                files.push_back(e.path());
        }
        std::sort(files.begin(), files.end());
        std::vector<Doc> out;
        for (const auto& f : files) {
            for (const auto& n : YAML::LoadAllFromFile(f.string())) {
                if (n.IsMap()) out.push_back({f.filename().string(), n});
            }
        }
        return out;
    }();
    return docs;
}

YAML::Node find_doc(const std::string& kind, const std::string& name) {
    for (const auto& d : manifests()) {
        if (d.node["kind"].as<std::string>() == kind &&
            d.node["metadata"]["name"].as<std::string>() == name)
            return d.node;
    }
    FAIL_CHECK("no " << kind << " named " << name << " in deploy/kubernetes");
    return {};
}

struct Workload {
    std::string name;  // "Deployment/nr-analyzer"
    YAML::Node pod;    // the pod template's metadata + spec
};

std::vector<Workload> workloads() {
    std::vector<Workload> out;
    for (const auto& d : manifests()) {
        const auto kind = d.node["kind"].as<std::string>();
        const auto name = kind + "/" + d.node["metadata"]["name"].as<std::string>();
        if (kind == "Deployment" || kind == "StatefulSet" || kind == "Job")
            out.push_back({name, d.node["spec"]["template"]});
        if (kind == "CronJob")
            out.push_back({name, d.node["spec"]["jobTemplate"]["spec"]["template"]});
    }
    return out;
}

struct Container {
    Workload w;
    YAML::Node c;  // one entry of the pod's `containers`
};

std::vector<Container> containers() {
    std::vector<Container> out;
    for (const auto& w : workloads()) {
        for (const auto& c : w.pod["spec"]["containers"]) out.push_back({w, c});
    }
    return out;
}

std::string env_literal(const YAML::Node& container, const std::string& name) {
    for (const auto& e : container["env"]) {
        if (e["name"].as<std::string>() == name && e["value"]) return e["value"].as<std::string>();
    }
    return {};
}

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
