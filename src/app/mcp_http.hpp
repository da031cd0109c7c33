// MCP's Streamable HTTP transport on `serve`: POST /mcp, on only when NR_ANALYZER_MCP_TOKEN is
// set, every request carrying it as `Authorization: Bearer <token>` (else 401). Stateless: each
// POST is one JSON-RPC message handled by its own session (no Mcp-Session-Id), answered with
// application/json (202 with no body for a notification or a response); GET (server-sent
// events) is 405. The same tools as `nr-analyzer mcp`.
#pragma once

#include <string>

#include "http/server.hpp"
#include "ports.hpp"

namespace nra {

http::ServerResponse mcp_http(
    const Ports& ports, const std::string& token, const http::ServerRequest& request
);

}  // namespace nra
