#!/usr/bin/env python3
"""Generates the labelled fault benchmark (issue 23, part 6): bench/faults/data/.

A simulated shop of 12 services (half OpenTelemetry, half New Relic APM agent attribute names),
5 entry endpoints, parallel fan-out, synchronous HTTP between services, Postgres/MySQL/Redis
statements, a Kafka publish and one external payment provider. Two outputs:

- baselines.json: usual durations (p50/p90/p99) of every (service, span name) over a normal period
  of NORMAL_PER_ENDPOINT traces per endpoint, in the format `nr-analyzer trace --baseline` reads
  (the shape of demo/baselines.json). The normal traces themselves are not written.
- cases/<case>.json: one trace per labelled fault, as the NerdGraph Span rows `trace --file` reads,
  and labels.json, the manifest [{case, file, fault, service, endpoint, ...}].

Faults (one per case; the label is the service where the fault is):
  network_delay    calls into B take +200..1500 ms on the wire; B's server spans stay normal -> B
  cpu_contention   S's server spans start 100..800 ms late (queueing), S's self time 2..5x   -> S
  slow_query       one of S's statements takes 10..50x its usual time                      -> S
  exception        S throws; callers fail with 500 (gateways 502) up to the root           -> S
  retries          B answers 503 intermittently; its caller retries 2..4 times, backing off;
                   the last attempt succeeds (80 %) or fails too, and the caller fails       -> B
  missing_call     S returns early: one usual call or query (and what follows) is absent     -> S
  dependency_down  calls into B are refused at once (no server span); the callers fail      -> B

Deterministic (fixed seeds, fixed base time), Python 3 standard library only:
    python3 tools/faults/gen_faults.py [--out bench/faults/data] [--per-type 16]
"""

from __future__ import annotations

import argparse
import base64
import datetime as dt
import json
import math
import pathlib
import random
import shutil
import sys
import time

ROOT = pathlib.Path(__file__).resolve().parent.parent.parent
DEFAULT_OUT = ROOT / "bench" / "faults" / "data"
BASE_MS = int(dt.datetime(2026, 12, 1, 9, 0, 0, tzinfo=dt.timezone.utc).timestamp() * 1000)
NORMAL_PER_ENDPOINT = 200
MAX_FILE_BYTES = 2 * 1024 * 1024
SEED = 2323
ACCOUNT_ID = 3826450

FAULTS = ("network_delay", "cpu_contention", "slow_query", "exception", "retries",
          "missing_call", "dependency_down")

# service -> (dialect, language). 6 agent services, 6 OpenTelemetry services.
SERVICES = {
    "web-gateway": ("otel", "node"),
    "mobile-bff": ("apm", "nodejs"),
    "order-service": ("apm", "java"),
    "payment-service": ("apm", "java"),
    "catalog-service": ("otel", "go"),
    "inventory-service": ("otel", "go"),
    "pricing-service": ("apm", "python"),
    "user-service": ("otel", "java"),
    "recommendation-service": ("otel", "python"),
    "search-service": ("apm", "python"),
    "cart-service": ("apm", "go"),
    "shipping-service": ("otel", "java"),
}


def host_of(service: str) -> str:
    h = sum(ord(c) * (i + 3) for i, c in enumerate(service))
    return f"{service}-{h % 0xfffffff:07x}-{'abcdefghjk'[h % 10]}{h % 97:02d}x"


def entity_guid(service: str) -> str:
    kind = "APM|APPLICATION" if SERVICES[service][0] == "apm" else "EXT|SERVICE"
    ident = sum(ord(c) * (i + 7) for i, c in enumerate(service)) * 7919 % 10_000_000_000
    return base64.b64encode(f"{ACCOUNT_ID}|{kind}|{ident}".encode()).decode().rstrip("=")


# -- the system ----------------------------------------------------------------------------------
# An operation is a server handler: its steps are groups run one after another; the actions of a
# group run in parallel (fan-out). Actions:
#   ("work", span name, median ms)                       an instrumented function in the service
#   ("db", system, db, table, op, statement, median ms, host)
#   ("call", callee service, operation id)               synchronous HTTP, client + server span
#   ("ext", host, method, path, median ms)               HTTP to something outside (no server span)
#   ("publish", topic, median ms)                        a Kafka producer span

def W(name, ms):
    return ("work", name, ms)


def DB(system, db, table, op, statement, ms, host):
    return ("db", system, db, table, op, statement, ms, host)


def CALL(callee, op):
    return ("call", callee, op)


OPS = {
    # web-gateway (OTel, node): the web front door
    ("web-gateway", "checkout"): dict(method="POST", route="/api/checkout", path="/api/checkout",
        pre=1.0, steps=[[W("middleware - authenticate", 3)], [CALL("order-service", "create")],
                        [W("serializeResponse", 2)]]),
    ("web-gateway", "product"): dict(method="GET", route="/api/products/{id}",
        path="/api/products/{n}", pre=1.0,
        steps=[[W("middleware - authenticate", 3)], [CALL("catalog-service", "product")],
               [W("serializeResponse", 2)]]),
    ("web-gateway", "search"): dict(method="GET", route="/api/search", path="/api/search?q=lamp",
        pre=1.0, steps=[[W("middleware - authenticate", 3)], [CALL("search-service", "search")],
                        [W("serializeResponse", 3)]]),
    # mobile-bff (agent, Node.js): the app's front door
    ("mobile-bff", "home"): dict(method="GET", route="/m/home", path="/m/home", pre=1.0,
        steps=[[W("Nodejs/Middleware/Expressjs/authenticate", 3)],
               [CALL("user-service", "user"), CALL("recommendation-service", "for_user"),
                CALL("order-service", "recent")],
               [W("Nodejs/Middleware/Expressjs/renderHome", 6)]]),
    ("mobile-bff", "add_item"): dict(method="POST", route="/m/cart/items", path="/m/cart/items",
        pre=1.0, steps=[[W("Nodejs/Middleware/Expressjs/authenticate", 3)],
                        [CALL("cart-service", "add_item")],
                        [W("Nodejs/Middleware/Expressjs/renderCart", 3)]]),
    # order-service (agent, Java)
    ("order-service", "create"): dict(method="POST", route="/orders", path="/orders", pre=1.5,
        steps=[[W("Java/com.acme.orders.OrderValidator/validate", 4)],
               [CALL("user-service", "user"), CALL("cart-service", "cart")],
               [CALL("inventory-service", "reserve"), CALL("pricing-service", "quote"),
                CALL("shipping-service", "quote")],
               [CALL("payment-service", "charge")],
               [DB("postgresql", "orders", "orders", "insert",
                   "INSERT INTO orders (customer_id, total, currency, status) VALUES (?, ?, ?, ?)",
                   6, "orders-db")],
               [DB("postgresql", "orders", "order_items", "insert",
                   "INSERT INTO order_items (order_id, sku, qty, price) VALUES (?, ?, ?, ?)",
                   5, "orders-db")],
               [("publish", "order-events", 2.5)]]),
    ("order-service", "recent"): dict(method="GET", route="/orders", path="/orders?userId={n}",
        pre=1.0,
        steps=[[DB("postgresql", "orders", "orders", "select",
                   "SELECT id, status, total, created_at FROM orders WHERE customer_id = ? "
                   "ORDER BY created_at DESC LIMIT 10", 12, "orders-db")],
               [CALL("shipping-service", "track")],
               [W("Java/com.acme.orders.web.OrderMapper/toDto", 3)]]),
    # payment-service (agent, Java)
    ("payment-service", "charge"): dict(method="POST", route="/payments/charge",
        path="/payments/charge", pre=1.5,
        steps=[[W("Java/com.acme.payments.FraudRules/evaluate", 18)],
               [DB("mysql", "payments", "payments", "insert",
                   "INSERT INTO payments (order_ref, amount, currency, status) VALUES (?, ?, ?, 'pending')",
                   7, "payments-db")],
               [("ext", "api.psp.example", "POST", "/v1/charges", 140)],
               [DB("mysql", "payments", "payments", "update",
                   "UPDATE payments SET status = 'authorized', psp_ref = ? WHERE id = ?",
                   5, "payments-db")]]),
    # catalog-service (OTel, Go)
    ("catalog-service", "product"): dict(method="GET", route="/products/{id}",
        path="/products/{n}", pre=0.8,
        steps=[[DB("redis", "0", "products", "get", "GET product:{n}", 1.0, "redis-catalog")],
               [DB("postgresql", "catalog", "products", "select",
                   "SELECT id, name, description, price, image_url FROM products WHERE id = $1",
                   9, "catalog-db")],
               [CALL("pricing-service", "price"), CALL("inventory-service", "stock"),
                CALL("recommendation-service", "similar")],
               [W("assembleProduct", 3)]]),
    ("catalog-service", "batch"): dict(method="POST", route="/products/batch",
        path="/products/batch", pre=0.8,
        steps=[[DB("redis", "0", "products", "mget", "MGET product:* (20 keys)", 2.0,
                   "redis-catalog")],
               [DB("postgresql", "catalog", "products", "select",
                   "SELECT id, name, price, image_url FROM products WHERE id = ANY($1)",
                   12, "catalog-db")]]),
    # inventory-service (OTel, Go)
    ("inventory-service", "reserve"): dict(method="POST", route="/inventory/reserve",
        path="/inventory/reserve", pre=0.8,
        steps=[[DB("postgresql", "inventory", "stock", "select",
                   "SELECT sku, available FROM stock WHERE sku = ANY($1) FOR UPDATE", 14,
                   "inventory-db")],
               [DB("postgresql", "inventory", "stock", "update",
                   "UPDATE stock SET reserved = reserved + $1 WHERE sku = $2", 8, "inventory-db")]]),
    ("inventory-service", "stock"): dict(method="GET", route="/inventory/{sku}",
        path="/inventory/SKU-{n}", pre=0.6,
        steps=[[DB("postgresql", "inventory", "stock", "select",
                   "SELECT available FROM stock WHERE sku = $1", 5, "inventory-db")]]),
    # pricing-service (agent, Python)
    ("pricing-service", "quote"): dict(method="POST", route="/prices/quote", path="/prices/quote",
        txn="WebTransaction/Function/pricing.views:quote", pre=1.2,
        steps=[[DB("redis", "0", "prices", "mget", "MGET price:* (6 keys)", 1.8, "redis-pricing")],
               [W("Function/pricing.rules:apply_promotions", 12)],
               [DB("postgresql", "pricing", "coupons", "select",
                   "SELECT code, percent_off FROM coupons WHERE code = %s AND expires_at > now()",
                   4, "pricing-db")]]),
    ("pricing-service", "price"): dict(method="GET", route="/prices/{sku}",
        path="/prices/SKU-{n}", txn="WebTransaction/Function/pricing.views:price", pre=1.0,
        steps=[[DB("redis", "0", "prices", "get", "GET price:SKU-{n}", 1.0, "redis-pricing")],
               [W("Function/pricing.rules:apply_promotions", 5)]]),
    ("pricing-service", "batch"): dict(method="POST", route="/prices/batch", path="/prices/batch",
        txn="WebTransaction/Function/pricing.views:batch", pre=1.0,
        steps=[[DB("redis", "0", "prices", "mget", "MGET price:* (20 keys)", 2.2, "redis-pricing")],
               [W("Function/pricing.rules:apply_promotions", 9)]]),
    # user-service (OTel, Java)
    ("user-service", "user"): dict(method="GET", route="/users/{id}", path="/users/{n}", pre=0.8,
        steps=[[DB("redis", "0", "users", "get", "GET user:{n}", 1.0, "redis-users")],
               [DB("postgresql", "users", "users", "select",
                   "SELECT id, name, email, tier FROM users WHERE id = ?", 7, "users-db")],
               [W("UserMapper.toDto", 2)]]),
    # recommendation-service (OTel, Python)
    ("recommendation-service", "for_user"): dict(method="GET", route="/recommendations/{user_id}",
        path="/recommendations/{n}?limit=12", pre=1.0,
        steps=[[DB("redis", "0", "recs", "get", "GET recs:u:{n}", 1.5, "redis-recs")],
               [DB("postgresql", "recs", "interactions", "select",
                   "SELECT item_id, score FROM interactions WHERE user_id = %s ORDER BY ts DESC LIMIT 500",
                   38, "recs-db")],
               [W("rank_candidates", 28)],
               [CALL("catalog-service", "batch")]]),
    ("recommendation-service", "similar"): dict(method="GET", route="/recommendations/similar/{id}",
        path="/recommendations/similar/{n}", pre=1.0,
        steps=[[DB("redis", "0", "recs", "get", "GET sim:{n}", 1.2, "redis-recs")],
               [DB("postgresql", "recs", "similar_items", "select",
                   "SELECT item_id, score FROM similar_items WHERE item_id = %s LIMIT 24",
                   16, "recs-db")],
               [W("rank_candidates", 20)]]),
    # search-service (agent, Python)
    ("search-service", "search"): dict(method="GET", route="/search", path="/search?q=lamp",
        txn="WebTransaction/Function/search.views:search_products", pre=1.2,
        steps=[[W("Function/search.query:build_query", 3)],
               [DB("postgresql", "search", "products", "select",
                   "SELECT p.id, p.name, p.rating FROM products p WHERE p.name ILIKE %s "
                   "ORDER BY p.rating DESC LIMIT 20", 45, "search-db")],
               [CALL("catalog-service", "batch"), CALL("pricing-service", "batch")],
               [W("Function/search.serializers:serialize_results", 10)]]),
    # cart-service (agent, Go)
    ("cart-service", "cart"): dict(method="GET", route="/carts/{id}", path="/carts/{n}", pre=0.6,
        steps=[[DB("redis", "0", "carts", "hgetall", "HGETALL cart:{n}", 1.4, "redis-carts")],
               [W("Go/cart.(*Service).Load", 3)]]),
    ("cart-service", "add_item"): dict(method="POST", route="/carts/{id}/items",
        path="/carts/{n}/items", pre=0.8,
        steps=[[CALL("inventory-service", "stock"), CALL("pricing-service", "price")],
               [W("Go/cart.(*Service).AddItem", 2.5)],
               [DB("redis", "0", "carts", "hset", "HSET cart:{n} ? ?", 1.2, "redis-carts")],
               [DB("postgresql", "carts", "cart_events", "insert",
                   "INSERT INTO cart_events (cart_id, sku, qty, at) VALUES ($1, $2, $3, now())",
                   5, "carts-db")]]),
    # shipping-service (OTel, Java)
    ("shipping-service", "quote"): dict(method="POST", route="/shipping/quote",
        path="/shipping/quote", pre=0.8,
        steps=[[DB("mysql", "shipping", "rates", "select",
                   "SELECT carrier, price, days FROM rates WHERE zone = ? AND weight_class = ?",
                   8, "shipping-db")],
               [W("RateCalculator.compute", 6)]]),
    ("shipping-service", "track"): dict(method="GET", route="/shipments", path="/shipments?orders=10",
        pre=0.8,
        steps=[[DB("mysql", "shipping", "shipments", "select",
                   "SELECT order_id, status, eta FROM shipments WHERE order_id IN (?)", 7,
                   "shipping-db")]]),
}

ENDPOINTS = [("web-gateway", "checkout"), ("web-gateway", "product"), ("web-gateway", "search"),
             ("mobile-bff", "home"), ("mobile-bff", "add_item")]


def endpoint_name(ep) -> str:
    op = OPS[ep]
    return f"{op['method']} {op['route']}"


def path_ops(ep) -> list:
    """(service, op) visited by a normal request of this endpoint, depth first, each once."""
    seen, out = set(), []

    def walk(key):
        if key in seen:
            return
        seen.add(key)
        out.append(key)
        for group in OPS[key]["steps"]:
            for a in group:
                if a[0] == "call":
                    walk((a[1], a[2]))
    walk(ep)
    return out


# -- naming per dialect --------------------------------------------------------------------------

def server_name(service: str, op: dict) -> str:
    dialect, lang = SERVICES[service]
    m, route = op["method"], op["route"]
    if dialect == "otel":
        return f"{m} {route}"
    if "txn" in op:
        return op["txn"]
    if lang == "java":
        return f"WebTransaction/SpringController/{route.lstrip('/')} ({m})"
    if lang == "nodejs":
        return f"WebTransaction/Expressjs/{m}/{route}"
    return f"WebTransaction/Go/{m} {route}"


HTTP_LIB = {"java": "SpringWebClient", "python": "requests", "go": "http", "nodejs": "http",
            "node": "undici"}


def client_name(caller: str, host: str, method: str) -> str:
    dialect, lang = SERVICES[caller]
    if dialect == "otel":
        return method  # OpenTelemetry HTTP client spans are named by the method only
    return f"External/{host}/{HTTP_LIB[lang]}/{method}"


def db_name(service: str, system: str, db: str, table: str, op: str) -> str:
    if SERVICES[service][0] == "apm":
        if system == "redis":
            return f"Datastore/operation/Redis/{op}"
        product = {"postgresql": "Postgres", "mysql": "MySQL"}[system]
        return f"Datastore/statement/{product}/{table}/{op}"
    if system == "redis":
        return op.upper()
    return f"{op.upper()} {db}.{table}"


# language -> (exception class, message) thrown by a handler
THROWS = {
    "java": [("java.lang.NullPointerException",
              'Cannot invoke "com.acme.model.Item.getPrice()" because "item" is null'),
             ("java.lang.IllegalStateException", "Inconsistent state: reservation already released")],
    "python": [("builtins:KeyError", "'currency'"),
               ("builtins:ValueError", "invalid literal for int() with base 10: 'N/A'")],
    "go": [("*errors.errorString", "runtime error: invalid memory address or nil pointer dereference"),
           ("*fmt.wrapError", "decode payload: unexpected end of JSON input")],
    "nodejs": [("TypeError", "Cannot read properties of undefined (reading 'items')")],
    "node": [("TypeError", "Cannot read properties of undefined (reading 'items')")],
}
UPSTREAM_ERROR = {
    "java": "org.springframework.web.client.HttpServerErrorException",
    "python": "requests.exceptions.HTTPError",
    "go": "*url.Error",
    "nodejs": "Error",
    "node": "Error",
}
REFUSED = {
    "java": ("java.net.ConnectException", "Connection refused: {host}/10.0.{a}.{b}:8080"),
    "python": ("requests.exceptions.ConnectionError",
               "HTTPConnectionPool(host='{host}', port=8080): Max retries exceeded with url: {path} "
               "(Caused by NewConnectionError('Failed to establish a new connection: "
               "[Errno 111] Connection refused'))"),
    "go": ("*net.OpError", "dial tcp 10.0.{a}.{b}:8080: connect: connection refused"),
    "nodejs": ("Error", "connect ECONNREFUSED 10.0.{a}.{b}:8080"),
    "node": ("Error", "connect ECONNREFUSED 10.0.{a}.{b}:8080"),
}
REASONS = {500: "Internal Server Error", 502: "Bad Gateway", 503: "Service Unavailable"}


# -- spans ---------------------------------------------------------------------------------------

class Span:
    __slots__ = ("service", "name", "start", "dur", "parent", "kind", "category", "attrs",
                 "span_id", "txn")

    def __init__(self, service, name, start, parent, kind, category, attrs, span_id):
        assert start == int(start), "whole-millisecond start"
        self.service, self.name, self.start = service, name, int(start)
        self.dur = 0.0
        self.parent, self.kind, self.category, self.attrs = parent, kind, category, attrs
        self.span_id = span_id
        self.txn = None

    @property
    def end(self) -> float:
        return self.start + self.dur


def set_error(span: Span, cls: str | None, msg: str, status: int | None = None) -> None:
    if cls:
        span.attrs["error.class"] = cls
    span.attrs["error.message"] = msg
    if status is not None:
        span.attrs["status"] = status


def emit(trace_id: str, base: int, s: Span, rng: random.Random) -> dict:
    a = s.attrs
    apm = SERVICES[s.service][0] == "apm"
    if apm:
        entry = s
        while entry.kind != "server" and entry.parent is not None and entry.parent.service == s.service:
            entry = entry.parent
        if entry.txn is None:
            entry.txn = f"{rng.getrandbits(64):016x}"
        row = {"traceId": trace_id, "guid": s.span_id}
        if s.parent is not None:
            row["parentId"] = s.parent.span_id
        row.update({"transactionId": entry.txn, "name": s.name, "timestamp": base + s.start,
                    "duration": round(s.dur / 1000.0, 6), "appName": s.service,
                    "entity.name": s.service, "entity.guid": entity_guid(s.service),
                    "host": host_of(s.service), "category": s.category, "sampled": True,
                    "priority": 1.2})
        if s.kind:
            row["span.kind"] = s.kind
        if s.kind == "server":
            row["nr.entryPoint"] = True
            row["transaction.name"] = s.name
            row["request.uri"] = a["path"].split("?")[0]
            row["request.method"] = a["method"]
        if s.category == "http":
            row.update({"http.url": a["url"], "http.method": a["method"],
                        "component": HTTP_LIB[SERVICES[s.service][1]], "server.address": a["host"]})
        if "status" in a:
            row["http.statusCode"] = a["status"]
        if s.category == "datastore":
            product = {"postgresql": "Postgres", "mysql": "MySQL", "redis": "Redis"}[a["system"]]
            row.update({"db.statement": a["statement"], "db.system": product,
                        "db.instance": a["db"], "db.collection": a["table"],
                        "peer.hostname": a["host"]})
        if s.kind == "producer":
            row.update({"messaging.system": "kafka", "messaging.destination.name": a["topic"]})
        for key in ("error.class", "error.message"):
            if key in a:
                row[key] = a[key]
        return row
    row = {"trace.id": trace_id, "id": s.span_id}
    if s.parent is not None:
        row["parent.id"] = s.parent.span_id
    row.update({"name": s.name, "timestamp": base + s.start, "duration.ms": round(s.dur, 3),
                "service.name": s.service, "entity.name": s.service,
                "entity.guid": entity_guid(s.service), "host.name": host_of(s.service),
                "span.kind": s.kind or "internal"})
    if s.kind == "server":
        row.update({"http.request.method": a["method"], "http.route": a["route"],
                    "url.path": a["path"].split("?")[0], "url.scheme": "http"})
    if s.category == "http":
        row.update({"http.request.method": a["method"], "url.full": a["url"],
                    "server.address": a["host"], "server.port": a.get("port", 8080)})
        if a.get("peer"):
            row["peer.service"] = a["peer"]
    if "status" in a:
        row["http.response.status_code"] = a["status"]
    if s.category == "datastore":
        row.update({"db.system": a["system"], "db.query.text": a["statement"],
                    "db.namespace": a["db"], "server.address": a["host"]})
    if s.kind == "producer":
        row.update({"messaging.system": "kafka", "messaging.destination.name": a["topic"]})
    if "error.message" in a or "error.class" in a:
        row["otel.status_code"] = "ERROR"
        row["otel.status_description"] = a.get("error.message", a.get("error.class"))
        if "error.class" in a:
            row["exception.type"] = a["error.class"]
    return row


# -- the simulation ------------------------------------------------------------------------------

class Fault:
    """One injected fault and its drawn parameters."""

    def __init__(self, kind: str, target: str, rng: random.Random, ep):
        self.kind, self.target = kind, target
        self.detail: dict = {}
        if kind == "network_delay":
            self.delay = rng.uniform(200, 1500)
            self.detail = {"delay_ms": round(self.delay)}
        elif kind == "cpu_contention":
            self.queue = rng.uniform(100, 800)
            self.slow = rng.uniform(2, 5)
            self.detail = {"queue_ms": round(self.queue), "self_time_factor": round(self.slow, 2)}
        elif kind == "slow_query":
            self.factor = rng.uniform(10, 50)
            ops = [k for k in path_ops(ep) if k[0] == target]
            stmts = [(op, gi, ai) for op in ops for gi, g in enumerate(OPS[op]["steps"])
                     for ai, a in enumerate(g) if a[0] == "db"]
            sql = [x for x in stmts if OPS[x[0]]["steps"][x[1]][x[2]][1] != "redis"]
            self.where = rng.choice(sql or stmts)
            act = OPS[self.where[0]]["steps"][self.where[1]][self.where[2]]
            self.detail = {"factor": round(self.factor, 1), "statement": act[5].replace("{n}", "?")}
        elif kind == "exception":
            op = next(k for k in path_ops(ep) if k[0] == target)
            self.op = op
            self.group = rng.randrange(len(OPS[op]["steps"]))
            self.throw = rng.choice(THROWS[SERVICES[target][1]])
            self.detail = {"operation": endpoint_name(op), "at_step": self.group,
                           "error_class": self.throw[0]}
        elif kind == "retries":
            self.final_fail = rng.random() < 0.2
            self.detail = {"final_attempt_fails": self.final_fail}
        elif kind == "missing_call":
            ops = [k for k in path_ops(ep) if k[0] == target]
            cands = [(op, gi, ai) for op in ops for gi, g in enumerate(OPS[op]["steps"])
                     for ai, a in enumerate(g) if a[0] in ("db", "call", "ext", "publish")]
            self.where = rng.choice(cands)
            self.with_error = rng.random() < 0.5
            act = OPS[self.where[0]]["steps"][self.where[1]][self.where[2]]
            what = {"db": lambda: act[5].replace("{n}", "?"), "call": lambda: f"call to {act[1]}",
                    "ext": lambda: f"call to {act[1]}", "publish": lambda: f"publish {act[1]}"}
            self.detail = {"absent": what[act[0]](), "returns_error": self.with_error}
        elif kind == "dependency_down":
            self.detail = {"error": "connection refused, no server span"}


def eligible_targets(kind: str, ep) -> list:
    """Services on the endpoint's path where `kind` can be injected (never the entry service)."""
    out = []
    for svc, op in path_ops(ep):
        if svc == ep[0] or svc in out:
            continue
        ops = [k for k in path_ops(ep) if k[0] == svc]
        actions = [a for k in ops for g in OPS[k]["steps"] for a in g]
        if kind == "slow_query" and not any(a[0] == "db" for a in actions):
            continue
        if kind == "missing_call" and not any(a[0] in ("db", "call", "ext", "publish")
                                              for a in actions):
            continue
        out.append(svc)
    return out


class Sim:
    def __init__(self, seed: int, fault: Fault | None = None, noise: bool = False):
        self.rng = random.Random(seed)
        self.fault, self.noise = fault, noise
        self.spans: list[Span] = []
        self.ids = {"n": str(self.rng.randint(10000, 99999))}

    # durations -------------------------------------------------------------------------------
    def draw(self, median: float, sigma: float = 0.3) -> float:
        z = max(-2.5, min(2.5, self.rng.gauss(0, 1)))
        d = median * math.exp(sigma * z)
        if self.noise:
            d *= self.rng.uniform(0.7, 1.3)
        return max(round(d, 3), 0.05)

    def slow(self, service: str) -> float:
        f = self.fault
        if f and f.kind == "cpu_contention" and service == f.target:
            return f.slow * self.rng.uniform(0.9, 1.1)
        return 1.0

    def span(self, service, name, start, parent, kind=None, category="generic", **attrs) -> Span:
        s = Span(service, name, start, parent, kind, category, attrs,
                 f"{self.rng.getrandbits(64):016x}")
        self.spans.append(s)
        return s

    def fill(self, text: str) -> str:
        return text.replace("{n}", self.ids["n"])

    # request -----------------------------------------------------------------------------------
    def request(self, ep) -> Span:
        root, _ok = self.server(ep[0], ep[1], 0, None)
        return root

    def server(self, svc: str, opid: str, start: int, client: Span | None):
        """Runs a handler from `start`; returns (server span, ok)."""
        op = OPS[(svc, opid)]
        f = self.fault
        mine = f is not None and f.target == svc
        path = self.fill(op["path"])
        srv = self.span(svc, server_name(svc, op), start, client, kind="server", method=op["method"],
                        route=op["route"], path=path, status=200)
        slow = self.slow(svc)
        t = start + max(0, round(self.draw(op["pre"]) * slow))
        ok, error = True, None
        for gi, group in enumerate(op["steps"]):
            if mine and f.kind == "missing_call" and f.where[0] == (svc, opid) and f.where[1] == gi:
                # Early return: the other parallel actions of this group still run, then stop.
                group = [a for ai, a in enumerate(group) if ai != f.where[2]]
                if group:
                    t = self.group(srv, svc, opid, gi, group, t, slow)[0]
                if f.with_error:
                    ok = False
                    error = (None, "precondition failed: "
                             + f.detail["absent"].split(" WHERE")[0][:60] + " skipped", 500)
                break
            if mine and f.kind == "exception" and f.op == (svc, opid) and f.group == gi:
                cls, msg = f.throw
                works = [a for a in group if a[0] == "work"]
                if works:
                    w = self.span(svc, works[0][1], t, srv)
                    w.dur = round(self.draw(works[0][2]) * self.rng.uniform(0.1, 0.4), 3)
                    set_error(w, cls, msg)
                    t = math.ceil(w.end)
                ok, error = False, (cls, msg, 500)
                break
            t, group_ok, failed = self.group(srv, svc, opid, gi, group, t, slow)
            if not group_ok:
                ok = False
                callee, status, refused = failed
                front = svc.endswith(("gateway", "bff"))
                if refused:
                    error = (refused[0], f"{callee} unavailable: {refused[1]}", 503 if front else 500)
                else:
                    cls = UPSTREAM_ERROR[SERVICES[svc][1]] if SERVICES[svc][0] == "apm" else None
                    error = (cls, f"upstream {callee} responded {status} "
                             f"{REASONS.get(status, 'Error')}", 502 if front else 500)
                t += max(0, round(self.draw(1.0) * slow))  # building the error response
                break
        t += max(0, round(self.draw(op["pre"]) * slow))
        srv.dur = round(max(t, start + 1) - start, 3)
        if not ok:
            set_error(srv, *error)
        return srv, ok

    def group(self, srv: Span, svc: str, opid: str, gi: int, group: list, t: int, slow: float):
        """Runs the actions of a group in parallel from t; returns (next t, ok, failure)."""
        ends, ok, failed = [], True, None
        for k, action in enumerate(group):
            ts = t + (self.rng.randint(0, 1) if k else 0)
            end, a_ok, a_failed = self.action(srv, svc, opid, gi, k, action, ts, slow)
            ends.append(end)
            if not a_ok and ok:
                ok, failed = False, a_failed
        nxt = math.ceil(max(ends)) + round(self.rng.uniform(0, 1.2) * slow)
        return nxt, ok, failed

    def action(self, srv, svc, opid, gi, ai, action, ts, slow):
        kind = action[0]
        f = self.fault
        if kind == "work":
            s = self.span(svc, action[1], ts, srv)
            s.dur = round(self.draw(action[2]) * slow, 3)
            return s.end, True, None
        if kind == "db":
            _, system, db, table, op, stmt, ms, host = action
            s = self.span(svc, db_name(svc, system, db, table, op), ts, srv, kind="client",
                          category="datastore", system=system, db=db, table=table,
                          statement=self.fill(stmt), host=host)
            d = self.draw(ms, 0.35)
            if f and f.kind == "slow_query" and f.target == svc and f.where == ((svc, opid), gi, ai):
                d *= f.factor
            s.dur = round(d, 3)
            return s.end, True, None
        if kind == "publish":
            s = self.span(svc, f"MessageBroker/Kafka/Topic/Produce/Named/{action[1]}"
                          if SERVICES[svc][0] == "apm" else f"{action[1]} publish", ts, srv,
                          kind="producer", topic=action[1])
            s.dur = self.draw(action[2])
            return s.end, True, None
        if kind == "ext":
            _, host, method, path, ms = action
            s = self.span(svc, client_name(svc, host, method), ts, srv, kind="client",
                          category="http", url=f"https://{host}{path}", method=method, host=host,
                          port=443, status=200, peer=None)
            s.dur = self.draw(ms, 0.25)
            return s.end, True, None
        _, callee, cop = action
        return self.call(srv, svc, callee, cop, ts)

    def client(self, srv, caller, callee, cop, ts) -> Span:
        op = OPS[(callee, cop)]
        path = self.fill(op["path"])
        return self.span(caller, client_name(caller, callee, op["method"]), ts, srv, kind="client",
                         category="http", url=f"http://{callee}:8080{path}", method=op["method"],
                         host=callee, peer=callee, status=200)

    def call(self, srv, caller, callee, cop, ts):
        """A synchronous call; returns (client end, ok, failure=(callee, status, refused))."""
        f = self.fault
        if f and f.target == callee and f.kind == "dependency_down":
            c = self.client(srv, caller, callee, cop, ts)
            c.attrs.pop("status")
            c.dur = round(self.rng.uniform(0.4, 4.0), 3)
            cls, msg = REFUSED[SERVICES[caller][1]]
            msg = msg.format(host=callee, path=self.fill(OPS[(callee, cop)]["path"]),
                             a=self.rng.randint(0, 9), b=self.rng.randint(2, 250))
            set_error(c, cls, msg)
            return c.end, False, (callee, None, (cls, msg))
        if f and f.target == callee and f.kind == "retries":
            attempts = 1 + self.rng.randint(2, 4)  # the first call and 2..4 retries
            t = ts
            for i in range(attempts):
                fail = i < attempts - 1 or f.final_fail
                end, ok, failed = self.one_call(srv, caller, callee, cop, t, fail)
                if ok or i == attempts - 1:
                    return end, ok, failed
                # Exponential back-off with jitter before the next attempt.
                t = math.ceil(end) + round(50 * 2 ** i * self.rng.uniform(0.8, 1.6))
        return self.one_call(srv, caller, callee, cop, ts, False)

    def one_call(self, srv, caller, callee, cop, ts, fail: bool):
        f = self.fault
        c = self.client(srv, caller, callee, cop, ts)
        go, back = self.rng.randint(1, 3), self.rng.randint(1, 3)
        if f and f.target == callee and f.kind == "network_delay":
            d = f.delay * self.rng.uniform(0.85, 1.15)
            share = self.rng.uniform(0.6, 1.0)
            go += round(d * share)
            back += round(d * (1 - share))
        if f and f.target == callee and f.kind == "cpu_contention":
            go += round(f.queue * self.rng.uniform(0.7, 1.3))
        if fail:
            op = OPS[(callee, cop)]
            s = self.span(callee, server_name(callee, op), ts + go, c, kind="server",
                          method=op["method"], route=op["route"], path=self.fill(op["path"]))
            s.dur = round(self.rng.uniform(1.5, 12), 3)
            lang = SERVICES[callee][1]
            cls = {"java": "org.springframework.dao.DataAccessResourceFailureException",
                   "python": "sqlalchemy.exc.TimeoutError", "go": "*pgconn.ConnectError",
                   "nodejs": "Error", "node": "Error"}[lang]
            set_error(s, cls, "connection pool exhausted: 30 of 30 connections in use", 503)
            ok = False
            status = 503
        else:
            s, ok = self.server(callee, cop, ts + go, c)
            status = s.attrs.get("status", 200)
        c.dur = round(s.end + back - ts, 3)
        c.attrs["status"] = status
        if not ok:
            lang = SERVICES[caller][1]
            cls = None if SERVICES[caller][0] == "otel" else UPSTREAM_ERROR[lang]
            set_error(c, cls, f"{status} {REASONS.get(status, 'Error')}")
            return c.end, False, (callee, status, None)
        return c.end, True, None

    # checks and output -------------------------------------------------------------------------
    def validate(self, label: str) -> None:
        for s in self.spans:
            assert s.dur > 0, f"{label}: {s.service} {s.name} has no duration"
            p = s.parent
            if p is not None:
                assert p.start <= s.start and s.end <= p.end + 1e-6, \
                    f"{label}: {s.service} {s.name} outside {p.service} {p.name}"

    def document(self, trace_id: str, base: int) -> str:
        rows = [emit(trace_id, base, s, self.rng) for s in self.spans]
        order = sorted(range(len(rows)), key=lambda i: (-self.spans[i].start, i))  # newest first
        body = ",\n".join(json.dumps(rows[i], separators=(",", ":")) for i in order)
        return '{"data":{"actor":{"account":{"nrql":{"results":[\n' + body + "\n]}}}}}\n"


# -- baselines -----------------------------------------------------------------------------------

def percentile(sorted_values: list, q: float) -> float:
    if len(sorted_values) == 1:
        return sorted_values[0]
    pos = (len(sorted_values) - 1) * q / 100.0
    lo = int(math.floor(pos))
    hi = min(lo + 1, len(sorted_values) - 1)
    return sorted_values[lo] + (sorted_values[hi] - sorted_values[lo]) * (pos - lo)


def baselines(per_endpoint: int) -> tuple[str, int]:
    observed: dict = {}
    for e, ep in enumerate(ENDPOINTS):
        for k in range(per_endpoint):
            sim = Sim(SEED * 1000 + e * 100_000 + k)
            sim.request(ep)
            sim.validate(f"normal {endpoint_name(ep)} #{k}")
            for s in sim.spans:
                observed.setdefault((s.service, s.name), []).append(s.dur)
    rows = []
    for key in sorted(observed):
        values = sorted(observed[key])
        pct = {q: round(percentile(values, int(q)), 3) for q in ("50", "90", "99")}
        none = {"50": None, "90": None, "99": None}
        agent = SERVICES[key[0]][0] == "apm"
        seconds = {q: round(v / 1000.0, 6) for q, v in pct.items()}
        rows.append({"facet": [key[0], key[1]], "entity.name": key[0], "name": key[1],
                     "samples": len(values), "ms": none if agent else pct,
                     "s": seconds if agent else none})
    text = ",\n".join("  " + json.dumps(r, ensure_ascii=False) for r in rows)
    return '{"data": {"actor": {"nrql": {"results": [\n' + text + "\n]}}}}\n", len(rows)


def typical_traces(out: pathlib.Path) -> dict:
    """One typical request per endpoint (the median-duration one of 15 normal requests, from a
    seed space apart from the baselines'), as nr-analyzer's typical-request query would pick it:
    typical/<n>.json. Returns endpoint name -> file."""
    (out / "typical").mkdir(exist_ok=True)
    files = {}
    for e, ep in enumerate(ENDPOINTS):
        sims = []
        for k in range(15):
            sim = Sim(SEED * 7919 + e * 1000 + k)
            sim.request(ep)
            sim.validate(f"typical {endpoint_name(ep)} #{k}")
            root = next(s for s in sim.spans if s.parent is None)
            sims.append((root.dur, k, sim))
        sims.sort(key=lambda t: (t[0], t[1]))
        sim = sims[len(sims) // 2][2]
        trace_id = f"{sim.rng.getrandbits(128):032x}"
        name = f"typical/{e:02d}.json"
        (out / name).write_text(sim.document(trace_id, BASE_MS + 1_800_000 + e * 1000),
                                encoding="utf-8")
        files[endpoint_name(ep)] = name
    return files


# -- cases ---------------------------------------------------------------------------------------

def cases(per_type: int):
    """Yields (case id, fault, endpoint, Sim) for every labelled case."""
    rng = random.Random(SEED)
    for fi, kind in enumerate(FAULTS):
        for k in range(per_type):
            ep = ENDPOINTS[(k + fi) % len(ENDPOINTS)]
            targets = eligible_targets(kind, ep)
            while not targets:  # (every endpoint has targets today; kept for safety)
                ep = ENDPOINTS[(ENDPOINTS.index(ep) + 1) % len(ENDPOINTS)]
                targets = eligible_targets(kind, ep)
            # Cycle through the targets of this endpoint so every service gets its turn.
            target = targets[(k // len(ENDPOINTS) + rng.randrange(len(targets))) % len(targets)]
            fault = Fault(kind, target, rng, ep)
            sim = Sim(rng.getrandbits(48), fault, noise=True)
            yield f"{kind}-{k + 1:03d}", fault, ep, sim


WINDOW_TRACES = 20


def windows(out: pathlib.Path, per_type: int) -> list:
    """Incident windows (issue 24): per fault, WINDOW_TRACES traces of every endpoint as traffic
    brings them, the fault in the system (every request through the faulty place has it), the
    healthy services with their noise. Every other window puts the fault on an endpoint that is
    rarely called: it has only 2 of the window's traces. windows/<case>/<n>.json."""
    shutil.rmtree(out / "windows", ignore_errors=True)
    rng = random.Random(SEED * 31)
    labels = []
    for fi, kind in enumerate(FAULTS):
        for k in range(per_type):
            ep = ENDPOINTS[(k * 3 + fi) % len(ENDPOINTS)]
            targets = eligible_targets(kind, ep)
            target = targets[rng.randrange(len(targets))]
            fault = Fault(kind, target, rng, ep)
            rare = k % 2 == 1
            others = [e for e in ENDPOINTS if e != ep]
            mix = [ep, ep] + [rng.choice(others if rare else ENDPOINTS)
                              for _ in range(WINDOW_TRACES - 2)]
            case = f"{kind}-w{k + 1:02d}"
            folder = out / "windows" / case
            folder.mkdir(parents=True)
            for n, e in enumerate(mix):
                sim = Sim(rng.getrandbits(48), fault, noise=True)
                sim.request(e)
                sim.validate(f"{case} #{n}")
                trace_id = f"{sim.rng.getrandbits(128):032x}"
                at = BASE_MS + 7_200_000 + (fi * per_type + k) * 600_000 + n * 20_000
                (folder / f"{n:02d}.json").write_text(sim.document(trace_id, at), encoding="utf-8")
            labels.append({"case": case, "dir": f"windows/{case}", "fault": kind,
                           "service": target, "endpoint": endpoint_name(ep), "rare": rare,
                           "detail": fault.detail})
    (out / "windows.json").write_text(json.dumps(labels, indent=1) + "\n", encoding="utf-8")
    return labels


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--out", default=str(DEFAULT_OUT), help="data directory (default %(default)s)")
    ap.add_argument("--per-type", type=int, default=16, help="cases per fault type (default 16)")
    ap.add_argument("--windows", type=int, default=8,
                    help="incident windows per fault type (default 8)")
    ap.add_argument("--normal", type=int, default=NORMAL_PER_ENDPOINT,
                    help="normal traces per endpoint for the baselines (default %(default)s)")
    args = ap.parse_args()
    began = time.monotonic()
    out = pathlib.Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    shutil.rmtree(out / "cases", ignore_errors=True)
    (out / "cases").mkdir()

    text, n_rows = baselines(args.normal)
    (out / "baselines.json").write_text(text, encoding="utf-8")
    json.loads(text)

    typical = typical_traces(out)
    window_labels = windows(out, args.windows)
    labels, biggest = [], 0
    for i, (case, fault, ep, sim) in enumerate(cases(args.per_type)):
        sim.request(ep)
        sim.validate(case)
        trace_id = f"{sim.rng.getrandbits(128):032x}"
        text_case = sim.document(trace_id, BASE_MS + 3_600_000 + i * 60_000 + sim.rng.randint(0, 59_999))
        size = len(text_case.encode())
        if size >= MAX_FILE_BYTES:
            print(f"error: {case} is {size} bytes", file=sys.stderr)
            return 1
        biggest = max(biggest, size)
        json.loads(text_case)
        (out / "cases" / f"{case}.json").write_text(text_case, encoding="utf-8")
        labels.append({"case": case, "file": f"cases/{case}.json", "fault": fault.kind,
                       "service": fault.target, "endpoint": endpoint_name(ep),
                       "entry_service": ep[0], "trace_id": trace_id, "spans": len(sim.spans),
                       "detail": fault.detail, "typical": typical[endpoint_name(ep)]})
    (out / "labels.json").write_text(json.dumps(labels, indent=1) + "\n", encoding="utf-8")
    by_type = {k: sum(1 for l in labels if l["fault"] == k) for k in FAULTS}
    print(f"wrote {out}: {len(window_labels)} incident windows of {WINDOW_TRACES} traces")
    print(f"wrote {out}: {len(labels)} cases {by_type}, {n_rows} baselines "
          f"({args.normal} normal traces per endpoint x {len(ENDPOINTS)} endpoints), "
          f"largest case {biggest / 1024:.1f} KB, {time.monotonic() - began:.1f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
