// The deploy/ files as the deployment tests read them: every document of every Kubernetes
// manifest, the workloads and containers in them, and plain file text. Shared by
// deploy_manifests_test (manifests against the binary) and deploy_env_test (environment names).
#pragma once

#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <initializer_list>
#include <sstream>
#include <string>
#include <vector>

namespace nra::test::deploy {

namespace fs = std::filesystem;

inline const fs::path kRoot = NRA_SOURCE_DIR;

inline std::string read_text(const fs::path& path) {
    std::ifstream in(path, std::ios::binary);
    REQUIRE(in.good());
    std::ostringstream out;
    out << in.rdbuf();
    return out.str();
}

// n[k1][k2]…, or an undefined node when a key is missing (yaml-cpp throws on chained misses).
// reset(), never `=`: assigning a yaml-cpp node rewrites the node it refers to.
inline YAML::Node dig(const YAML::Node& from, std::initializer_list<const char*> keys) {
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
inline const std::vector<Doc>& manifests() {
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

inline YAML::Node find_doc(const std::string& kind, const std::string& name) {
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

inline std::vector<Workload> workloads() {
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

inline std::vector<Container> containers() {
    std::vector<Container> out;
    for (const auto& w : workloads()) {
        for (const auto& c : w.pod["spec"]["containers"]) out.push_back({w, c});
    }
    return out;
}

inline std::string env_literal(const YAML::Node& container, const std::string& name) {
    for (const auto& e : container["env"]) {
        if (e["name"].as<std::string>() == name && e["value"]) return e["value"].as<std::string>();
    }
    return {};
}

}  // namespace nra::test::deploy
