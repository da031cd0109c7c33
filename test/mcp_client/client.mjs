// Drives `nr-analyzer mcp` (demo dataset) with the official MCP TypeScript SDK client:
// initialize, tools/list, tools/call of each kind (the SDK checks structuredContent against each
// tool's outputSchema), a bad argument, an unknown tool, progress notifications, close.
// Usage: node client.mjs <path to nr-analyzer>   (exit 0 and "ok" when every check holds)
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StdioClientTransport } from "@modelcontextprotocol/sdk/client/stdio.js";

const binary = process.argv[2];
let failures = 0;
function check(condition, what) {
  if (!condition) {
    failures += 1;
    console.error(`FAILED: ${what}`);
  }
}

const transport = new StdioClientTransport({
  command: binary,
  args: ["mcp"],
  env: { PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? "/tmp" },  // no New Relic key: demo
  stderr: "pipe",
});
const client = new Client({ name: "nr-analyzer-sdk-test", version: "1.0.0" });
await client.connect(transport);
check(client.getServerVersion()?.name === "nr-analyzer", "serverInfo.name");
check(client.getServerCapabilities()?.tools !== undefined, "tools capability");

const { tools } = await client.listTools();
const names = tools.map((t) => t.name).sort();
check(JSON.stringify(names) === JSON.stringify(["analyze_trace", "improve_report", "incident", "slo_review"]), `tools: ${names}`);
for (const t of tools) {
  check(t.inputSchema?.type === "object", `${t.name} inputSchema`);
  check(typeof t.description === "string" && t.description.length > 40, `${t.name} description`);
}

const trace = await client.callTool({ name: "analyze_trace", arguments: { trace: "4bf92f3577b34da6a3ce929d0e0e4736" } });
check(!trace.isError, "analyze_trace succeeds");
check(trace.structuredContent?.trace_id === "4bf92f3577b34da6a3ce929d0e0e4736", "analyze_trace structuredContent.trace_id");
check(trace.content?.[0]?.text?.includes("N+1"), "analyze_trace text names the N+1");

const bad = await client.callTool({ name: "analyze_trace", arguments: { trace: "not a trace id" } });
check(bad.isError === true, "a bad trace id is a tool error");
check(bad.content?.[0]?.text?.length > 0, "the tool error says why");

const report = await client.callTool({ name: "improve_report", arguments: { service: "web-gateway", window: "7d" } });
check(!report.isError && report.structuredContent?.service === "web-gateway", "improve_report");
const review = await client.callTool({ name: "slo_review", arguments: {} });
check(!review.isError && typeof review.structuredContent === "object", "slo_review");

const progress = [];
const incident = await client.callTool(
  { name: "incident", arguments: { service: "web-gateway", since: "1h" } },
  undefined,
  { onprogress: (p) => progress.push(p) },
);
check(!incident.isError, "incident succeeds");
check(incident.structuredContent?.suspects?.[0]?.service === "giftcard-service", "incident names giftcard-service");
check(progress.length >= 1, "progress notifications arrive");

let unknown = null;
try {
  await client.callTool({ name: "no_such_tool", arguments: {} });
} catch (e) {
  unknown = e;
}
check(unknown !== null, "an unknown tool is a JSON-RPC error");

await client.close();
if (failures > 0) process.exit(1);
console.log("ok");
