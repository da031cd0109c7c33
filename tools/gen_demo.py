#!/usr/bin/env python3
"""Generates the bundled demo dataset: demo/traces/<trace_id>.json.

Each file is a NerdGraph response {"data":{"actor":{"account":{"nrql":{"results":[...]}}}}} holding
the New Relic `Span` rows of one trace, as `SELECT * FROM Span WHERE trace.id = ... OR traceId = ...`
returns them (newest first). Services mix both attribute dialects on purpose: APM agent services
(traceId/guid/parentId, duration in seconds) and OpenTelemetry services (trace.id/id/parent.id,
duration.ms), because real accounts mix them too.

Deterministic: fixed seeds and a fixed base timestamp, stdlib only. Run from anywhere:
    python3 tools/gen_demo.py
"""

from __future__ import annotations

import base64
import datetime as dt
import json
import math
import pathlib
import random
import sys

BASE_MS = int(dt.datetime(2026, 11, 20, 10, 0, 0, tzinfo=dt.timezone.utc).timestamp() * 1000)
OUT_DIR = pathlib.Path(__file__).resolve().parent.parent / "demo" / "traces"
MAX_FILE_BYTES = 60 * 1024  # the build embeds each file as one raw string literal

# service -> (dialect, host, language); the language picks agent naming or OTel libraries
SERVICES = {
    "web-gateway": ("otel", "web-gateway-5d8f7c9b4-x2kqp", "nginx"),
    "checkout-service": ("apm", "checkout-service-7f9c6d5b8-m4t7w", "java"),
    "order-service": ("apm", "order-service-6c4b9f7d2-h8v3n", "java"),
    "inventory-service": ("otel", "inventory-service-84d9c7f6b-q9z2r", "go"),
    "payment-service": ("otel", "payment-service-5b7d8c4f9-k3p6s", "node"),
    "storefront-bff": ("otel", "storefront-bff-7c5d9b8f4-w6j1x", "node"),
    "search-service": ("apm", "search-service-59f8d7c6b-t2m8k", "python"),
    "pricing-service": ("otel", "pricing-service-6d8b5c7f9-r4n2v", "go"),
    "api-gateway": ("otel", "api-gateway-8b6c9d5f7-z7x4c", "envoy"),
    "orders-service": ("apm", "orders-service-7d9c5b6f8-p1q9m", "java"),
    "fraud-check": ("apm", "fraud-check-5c8d7b9f6-b5v8n", "java"),
    "profile-bff": ("apm", "profile-bff-6f7c8d9b5-c3x6z", "nodejs"),
    "user-service": ("otel", "user-service-7b8c9d6f5-d4f7g", "java"),
    "recommendations-service": ("apm", "recommendations-7c9d8b6f5-e8h2j", "python"),
    "reviews-service": ("otel", "reviews-service-9d6c7b8f5-f2k5l", "java"),
    "notifications-service": ("otel", "notifications-5f6d7c8b9-g9m3n", "go"),
    "edge-proxy": ("otel", "edge-proxy-6b5c4d8f7-h1j4k", "envoy"),
    "catalog-service": ("apm", "catalog-service-8f9b7c6d5-j6l9p", "go"),
}
# (language, what) -> otel.library.name, as the usual instrumentation packages report it
# The version each service reports (OpenTelemetry `service.version`, agents `tags.version`).
# search-service was deployed at 10:03 (demo/README.md): its slow trace runs 4.2.0, its typical
# request (earlier) 4.1.3.
VERSIONS = {service: f"{1 + len(service) % 4}.{len(service) % 7}.{len(service) % 3}"
            for service in SERVICES}
VERSIONS["search-service"] = "4.2.0"

# Typical requests of the story endpoints (near their usual duration, no error, earlier that
# day): what nr-analyzer compares each story with. Not baselines' samples.
TYPICAL_IDS = {
    "4bf92f3577b34da6a3ce929d0e0e4736": "3ac1f2e4b5d64789a0b1c2d3e4f5a6b7",
    "7d3f1c2a9e8b4f6a0c5d2e1f3a4b5c6d": "6c2e0b1a8d7f4e5a9b3c1d2e4f5a6b7c",
    "a1b2c3d4e5f60718293a4b5c6d7e8f90": "9e8d7c6b5a4f43219e8d7c6b5a4f4321",
}

OTEL_LIBRARIES = {
    ("node", "server"): "@opentelemetry/instrumentation-http",
    ("node", "client"): "@opentelemetry/instrumentation-undici",
    ("node", "postgresql"): "@opentelemetry/instrumentation-pg",
    ("node", "redis"): "@opentelemetry/instrumentation-ioredis",
    ("go", "server"): "go.opentelemetry.io/contrib/instrumentation/net/http/otelhttp",
    ("go", "client"): "go.opentelemetry.io/contrib/instrumentation/net/http/otelhttp",
    ("go", "postgresql"): "github.com/exaring/otelpgx",
    ("go", "redis"): "github.com/redis/go-redis/extra/redisotel",
    ("java", "server"): "io.opentelemetry.spring-webmvc-6.0",
    ("java", "client"): "io.opentelemetry.java-http-client",
    ("java", "postgresql"): "io.opentelemetry.jdbc",
    ("java", "redis"): "io.opentelemetry.lettuce-5.1",
}


def otel_library(service: str, s: "Span") -> str:
    lang = SERVICES[service][2]
    if lang in ("envoy", "nginx"):
        return lang
    if s.category == "datastore":
        what = s.attrs["system"]
    elif s.kind in ("server", "client"):
        what = s.kind
    else:
        return service  # a manual span: the tracer is named after the service
    return OTEL_LIBRARIES[(lang, what)]


ACCOUNT_ID = 3826450


def entity_guid(service: str) -> str:
    """A stable entity GUID shaped like New Relic's (base64 of account|domain|type|id)."""
    dialect = SERVICES[service][0]
    kind = "APM|APPLICATION" if dialect == "apm" else "EXT|SERVICE"
    ident = sum(ord(c) * (i + 7) for i, c in enumerate(service)) * 7919 % 10_000_000_000
    raw = f"{ACCOUNT_ID}|{kind}|{ident}"
    return base64.b64encode(raw.encode()).decode().rstrip("=")


class Span:
    """One span in a neutral model; emit() writes it in its service's dialect."""

    def __init__(self, trace: "TraceBuilder", service: str, name: str, start: int,
                 parent: "Span | None", kind: str | None, category: str, attrs: dict):
        self.trace, self.service, self.name = trace, service, name
        self.start = start  # ms from the trace's base timestamp (integer: NR timestamps are ms)
        self.dur = 0.0  # ms, set by the caller
        self.parent, self.kind, self.category, self.attrs = parent, kind, category, attrs
        self.span_id = f"{trace.rng.getrandbits(64):016x}"

    @property
    def end(self) -> float:
        return self.start + self.dur


class TraceBuilder:
    def __init__(self, trace_id: str, offset_ms: int, seed: int, typical: bool = False):
        if typical:  # the same endpoint three hours earlier, other ids and jitter
            trace_id, offset_ms, seed = TYPICAL_IDS[trace_id], offset_ms - 3 * 3_600_000, seed + 7
        self.trace_id, self.base = trace_id, BASE_MS + offset_ms
        self.typical = typical
        self.versions = dict(VERSIONS)
        if typical:
            self.versions["search-service"] = "4.1.3"
        self.rng = random.Random(seed)
        self.spans: list[Span] = []
        self.txn_ids: dict[int, str] = {}  # APM: one transactionId per entry span (process visit)

    def span(self, service, name, start, dur=0.0, parent=None, kind=None, category="generic",
             **attrs) -> Span:
        s = Span(self, service, name, int(start), parent, kind, category, attrs)
        s.dur = dur
        self.spans.append(s)
        return s

    def jitter(self, lo: float, hi: float) -> float:
        return round(self.rng.uniform(lo, hi), 3)

    def latency(self) -> int:
        """One-way network latency between a client span and its server span (1–3 ms)."""
        return self.rng.randint(1, 3)

    # -- emission -------------------------------------------------------------------------------

    def entry_of(self, s: Span) -> Span:
        """The span that began this service's visit (walks up within the same service)."""
        while s.parent is not None and s.parent.service == s.service and not s.attrs.get("entry"):
            s = s.parent
        return s

    def emit(self, s: Span) -> dict:
        return emit_apm(self, s) if SERVICES[s.service][0] == "apm" else emit_otel(self, s)

    def validate(self) -> None:
        for s in self.spans:
            assert s.dur > 0, f"{self.trace_id}: {s.name} has no duration"
            p = s.parent
            if p is not None:
                ok = p.start <= s.start and s.end <= p.end + 1e-9
                assert ok, f"{self.trace_id}: {s.service} {s.name} outside {p.service} {p.name}"

    def document(self) -> dict:
        self.validate()
        rows = [self.emit(s) for s in self.spans]
        # NRQL `SELECT *` without ORDER BY returns the newest rows first.
        order = sorted(range(len(rows)), key=lambda i: (-self.spans[i].start, i))
        rows = [rows[i] for i in order]
        return {"data": {"actor": {"account": {"nrql": {"results": rows}}}}}


def emit_apm(tb: TraceBuilder, s: Span) -> dict:
    a = s.attrs
    entry = tb.entry_of(s)
    txn = tb.txn_ids.setdefault(id(entry), f"{tb.rng.getrandbits(64):016x}")
    row = {"traceId": tb.trace_id, "guid": s.span_id}
    if s.parent is not None:
        row["parentId"] = s.parent.span_id
    row.update({
        "transactionId": txn, "name": s.name, "timestamp": tb.base + s.start,
        "duration": round(s.dur / 1000.0, 6), "appName": s.service, "entity.name": s.service,
        "entity.guid": entity_guid(s.service), "host": SERVICES[s.service][1],
        "category": s.category, "sampled": True, "priority": 1.437231,
        "tags.version": tb.versions[s.service],
    })
    if s.kind:
        row["span.kind"] = s.kind
    if a.get("entry"):
        row["nr.entryPoint"] = True
        row["transaction.name"] = s.name
        if "route" in a:
            row["request.uri"] = a["route"]
            row["request.method"] = a["method"]
    if s.category == "http":
        row.update({"http.url": a["url"], "http.method": a["method"], "component": a["component"]})
        row["server.address"] = a["host"]
    if "status" in a:
        row["http.statusCode"] = a["status"]
    if s.category == "datastore":
        row.update({"db.statement": a["statement"], "db.system": a["system"],
                    "db.instance": a["db"], "db.collection": a["table"], "peer.hostname": a["host"]})
    for key in ("error.class", "error.message", "code.function", "code.filepath", "code.lineno",
                "code.namespace"):
        if key in a:
            row[key] = a[key]
    return row


def emit_otel(tb: TraceBuilder, s: Span) -> dict:
    a = s.attrs
    row = {"trace.id": tb.trace_id, "id": s.span_id}
    if s.parent is not None:
        row["parent.id"] = s.parent.span_id
    row.update({
        "name": s.name, "timestamp": tb.base + s.start, "duration.ms": round(s.dur, 3),
        "service.name": s.service, "entity.name": s.service, "entity.guid": entity_guid(s.service),
        "host.name": SERVICES[s.service][1], "span.kind": s.kind or "internal",
        "otel.library.name": a.get("library", otel_library(s.service, s)),
        "service.version": tb.versions[s.service],
    })
    if a.get("entry"):
        row.update({"http.request.method": a["method"], "http.route": a["route"],
                    "url.path": a.get("path", a["route"]), "url.scheme": "http"})
    if s.category == "http":
        row.update({"http.request.method": a["method"], "url.full": a["url"],
                    "server.address": a["host"], "server.port": a.get("port", 8080)})
    if "status" in a:
        row["http.response.status_code"] = a["status"]
    if s.category == "datastore":
        row.update({"db.system": a["system"], "db.query.text": a["statement"],
                    "db.namespace": a["db"], "server.address": a["host"]})
    if "error.message" in a or "error.class" in a:
        row["otel.status_code"] = "ERROR"
        row["otel.status_description"] = a.get("error.message", a.get("error.class"))
        if "error.class" in a:
            row["exception.type"] = a["error.class"]
    return row


# -- building blocks -----------------------------------------------------------------------------

def server_name(service: str, method: str, route: str, framework: str) -> str:
    if SERVICES[service][0] == "otel":
        return f"{method} {route}"
    return f"WebTransaction/{framework}/{route.lstrip('/')} ({method})"


def http_call(tb: TraceBuilder, parent: Span, start: int, callee: str, method: str, route: str,
              path: str, body, status: int = 200, framework: str = "SpringController",
              client_error: dict | None = None, server_error: dict | None = None,
              server_span_name: str | None = None) -> Span:
    """A client span in parent's service calling `callee`, whose server span is built by
    body(server_span, t0) -> server end (ms). Returns the client span (its .end is set)."""
    caller = parent.service
    url = f"http://{callee}:8080{path}"
    if SERVICES[caller][0] == "apm":
        lib = {"java": "SpringWebClient", "python": "requests", "go": "http"}.get(SERVICES[caller][2])
        name = f"External/{callee}/{lib}/{method}" if lib else f"External/{callee}:8080{path}"
    else:
        name = method
    component = {"java": "SpringWebClient", "python": "requests"}.get(SERVICES[caller][2], "http")
    attrs = {"url": url, "method": method, "host": callee, "component": component, "status": status}
    attrs.update(client_error or {})
    client = tb.span(caller, name, start, parent=parent, kind="client", category="http", **attrs)
    t0 = start + tb.latency()
    sattrs = {"entry": True, "method": method, "route": route, "path": path, "status": status}
    sattrs.update(server_error or {})
    sname = server_span_name or server_name(callee, method, route, framework)
    server = tb.span(callee, sname, t0, parent=client,
                     kind="server", **sattrs)
    server.dur = round(body(server, t0) - t0, 3)
    client.dur = round(server.end + tb.latency() - start, 3)
    return client


def db_call(tb: TraceBuilder, parent: Span, start: int, dur: float, system: str, table: str,
            op: str, statement: str, db: str = "app", host: str = "postgres-primary", **extra) -> Span:
    dialect = SERVICES[parent.service][0]
    if dialect == "apm":
        product = {"postgresql": "Postgres", "redis": "Redis", "mysql": "MySQL"}[system]
        if system == "redis":
            name = f"Datastore/operation/Redis/{op}"
        else:
            name = f"Datastore/statement/{product}/{table}/{op}"
        sysname = product
    else:
        name = f"{op.upper()} {db}.{table}" if system != "redis" else op.upper()
        sysname = system
    return tb.span(parent.service, name, start, dur, parent=parent, kind="client",
                   category="datastore", system=sysname, table=table, statement=statement, db=db,
                   host=host, **extra)


def after(span: Span, gap: int = 0) -> int:
    """First integer ms at or after span's end, plus a gap."""
    return int(math.ceil(span.end)) + gap


def leaf(tb: TraceBuilder, parent: Span, start: int, dur: float, name: str, **attrs) -> Span:
    return tb.span(parent.service, name, start, dur, parent=parent, **attrs)


# -- the traces ----------------------------------------------------------------------------------

ORDER_ITEMS_CODE = {
    "code.function": "findByOrderId",
    "code.namespace": "com.acme.orders.repository.OrderItemRepository",
    "code.filepath": "src/main/java/com/acme/orders/repository/OrderItemRepository.java",
    "code.lineno": 42,
}


def trace_checkout(typical: bool = False) -> TraceBuilder:
    """N+1: order-service loads 40 orders' items one query at a time during checkout (a typical
    checkout: a customer with 12 orders)."""
    tb = TraceBuilder("4bf92f3577b34da6a3ce929d0e0e4736", offset_ms=0, seed=101, typical=typical)
    orders = 12 if typical else 40
    root = tb.span("web-gateway", "POST /api/checkout", 0, kind="server", entry=True,
                   method="POST", route="/api/checkout", status=200)

    def order_history(s: Span, t0: int) -> float:
        q = db_call(tb, s, t0 + 2, tb.jitter(11, 14), "postgresql", "orders", "select",
                    "SELECT * FROM orders WHERE customer_id = 88412 ORDER BY created_at DESC LIMIT 40",
                    db="orders")
        t = after(q, 1)
        for k in range(orders):
            item = db_call(tb, s, t, tb.jitter(5, 12), "postgresql", "order_items", "select",
                           f"SELECT * FROM order_items WHERE order_id = {100231 + 17 * k}",
                           db="orders", **ORDER_ITEMS_CODE)
            t = after(item, tb.rng.randint(0, 1))
        ser = leaf(tb, s, t, tb.jitter(6, 9),
                   "Java/com.acme.orders.web.OrderHistoryMapper/toDto")
        return after(ser, 1)

    def inventory(s: Span, t0: int) -> float:
        a = db_call(tb, s, t0 + 1, tb.jitter(18, 24), "postgresql", "stock", "select",
                    "SELECT sku, available FROM stock WHERE sku = ANY($1) FOR UPDATE",
                    db="inventory", host="inventory-db")
        b = db_call(tb, s, after(a, 1), tb.jitter(9, 13), "postgresql", "reservations", "insert",
                    "INSERT INTO reservations (order_ref, sku, qty, expires_at) VALUES ($1, $2, $3, $4)",
                    db="inventory", host="inventory-db")
        c = db_call(tb, s, after(b, 1), tb.jitter(7, 10), "postgresql", "stock", "update",
                    "UPDATE stock SET available = available - $1 WHERE sku = $2",
                    db="inventory", host="inventory-db")
        return after(c, 2)

    def payment(s: Span, t0: int) -> float:
        a = db_call(tb, s, t0 + 2, tb.jitter(4, 6), "postgresql", "payments", "insert",
                    "INSERT INTO payments (order_ref, amount, currency, status) VALUES ($1, $2, $3, 'pending')",
                    db="payments", host="payments-db")
        psp = leaf(tb, s, after(a, 1), tb.jitter(540, 560), "POST", kind="client", category="http",
                   url="https://api.psp.example/v1/payment_intents", method="POST",
                   host="api.psp.example", port=443, status=200)
        c = db_call(tb, s, after(psp, 1), tb.jitter(3, 5), "postgresql", "payments", "update",
                    "UPDATE payments SET status = 'authorized', psp_ref = $1 WHERE id = $2",
                    db="payments", host="payments-db")
        return after(c, 1)

    def checkout(s: Span, t0: int) -> float:
        cart = leaf(tb, s, t0 + 2, tb.jitter(16, 19), "Java/com.acme.checkout.cart.CartService/loadCart")
        db_call(tb, cart, t0 + 3, tb.jitter(1.2, 2.0), "redis", "cart", "get", "GET cart:88412",
                host="redis-cart")
        hist = http_call(tb, s, after(cart, 1), "order-service", "GET",
                         "/customers/{customerId}/orders", "/customers/88412/orders?limit=40",
                         order_history)
        price = leaf(tb, s, after(hist, 1), tb.jitter(98, 104),
                     "Java/com.acme.checkout.pricing.PriceCalculator/calculate")
        inv = http_call(tb, s, after(price, 1), "inventory-service", "POST",
                        "/inventory/reservations", "/inventory/reservations", inventory)
        ship = leaf(tb, s, after(inv, 1), tb.jitter(205, 215),
                    "External/api.shipping.example/SpringWebClient/POST", kind="client",
                    category="http", url="https://api.shipping.example/v2/rates", method="POST",
                    host="api.shipping.example", component="SpringWebClient", status=200)
        pay = http_call(tb, s, after(ship, 1), "payment-service", "POST", "/payments",
                        "/payments", payment, status=201)
        ins = db_call(tb, s, after(pay, 1), tb.jitter(6, 8), "postgresql", "checkouts", "insert",
                      "INSERT INTO checkouts (customer_id, cart_id, total, payment_ref) VALUES (?, ?, ?, ?)",
                      db="checkout", host="checkout-db")
        return after(ins, 3)

    client = http_call(tb, root, 1, "checkout-service", "POST", "/api/checkout", "/api/checkout",
                       checkout, server_span_name="WebTransaction/SpringController/api/checkout (POST)")
    root.dur = round(client.end + 2, 3)
    return tb


def trace_slow_search(typical: bool = False) -> TraceBuilder:
    """Slow DB: one unindexed ILIKE + ORDER BY on products takes ~1.8 s (typically ~60 ms)."""
    tb = TraceBuilder("7d3f1c2a9e8b4f6a0c5d2e1f3a4b5c6d", offset_ms=7 * 60_000 + 412, seed=202,
                      typical=typical)
    root = tb.span("storefront-bff", "GET /api/search", 0, kind="server", entry=True,
                   method="GET", route="/api/search", path="/api/search?q=wireless+headphones",
                   status=200)
    leaf(tb, root, 1, tb.jitter(1.5, 2.5), "middleware - jsonParser",
         library="@opentelemetry/instrumentation-express")
    auth = leaf(tb, root, 4, tb.jitter(3, 5), "middleware - authenticate",
                library="@opentelemetry/instrumentation-express")

    def pricing(s: Span, t0: int) -> float:
        a = db_call(tb, s, t0 + 1, tb.jitter(2, 3), "redis", "prices", "mget",
                    "MGET price:* (50 keys)", db="0", host="redis-pricing")
        b = db_call(tb, s, after(a, 1), tb.jitter(74, 82), "postgresql", "prices", "select",
                    "SELECT sku, amount, currency FROM prices WHERE sku = ANY($1) AND region = $2",
                    db="pricing", host="pricing-db")
        c = leaf(tb, s, after(b, 1), tb.jitter(8, 12), "applyPromotions")
        return after(c, 1)

    def search(s: Span, t0: int) -> float:
        a = db_call(tb, s, t0 + 1, tb.jitter(1.2, 1.8), "redis", "search", "get",
                    "GET search:wireless headphones:p1", db="0", host="redis-search")
        b = leaf(tb, s, after(a, 1), tb.jitter(2, 3), "Function/search.query:build_query",
                 **{"code.function": "build_query", "code.filepath": "search/query.py",
                    "code.lineno": 58})
        slow = db_call(tb, s, after(b, 1), tb.jitter(55, 66) if typical else tb.jitter(1835, 1850),
                       "postgresql", "products",
                       "select",
                       "SELECT p.id, p.name, p.price, p.rating FROM products p "
                       "WHERE p.name ILIKE '%wireless headphones%' OR p.description ILIKE "
                       "'%wireless headphones%' ORDER BY p.rating DESC, p.price ASC LIMIT 50",
                       db="catalog", host="catalog-db",
                       **{"code.function": "find_products", "code.filepath": "search/repository.py",
                          "code.lineno": 112})
        img = db_call(tb, s, after(slow, 1), tb.jitter(12, 16), "postgresql", "product_images",
                      "select",
                      "SELECT product_id, url FROM product_images WHERE product_id IN (?, ?, ?, ?)",
                      db="catalog", host="catalog-db")
        pr = http_call(tb, s, after(img, 1), "pricing-service", "POST", "/prices/batch",
                       "/prices/batch", pricing)
        ser = leaf(tb, s, after(pr, 1), tb.jitter(66, 72),
                   "Function/search.serializers:serialize_results")
        st = db_call(tb, s, after(ser, 1), tb.jitter(1, 1.6), "redis", "search", "set",
                     "SET search:wireless headphones:p1 ? EX 300", db="0", host="redis-search")
        return after(st, 1)

    client = http_call(tb, root, after(auth, 1), "search-service", "GET", "/search",
                       "/search?q=wireless+headphones&page=1", search,
                       server_span_name="WebTransaction/Function/search.views:search_products")
    out = leaf(tb, root, after(client, 1), tb.jitter(5, 7), "serializeResponse")
    root.dur = round(out.end + 1, 3)
    return tb


def trace_cascade(typical: bool = False) -> TraceBuilder:
    """Cascading error: fraud-check's vendor call times out; payment-service maps it to 504;
    orders-service retries once, fails again, answers 500; api-gateway answers 502. (Typically:
    the vendor answers in ~85 ms and everything succeeds at once.)"""
    tb = TraceBuilder("a1b2c3d4e5f60718293a4b5c6d7e8f90", offset_ms=13 * 60_000 + 9_807, seed=303,
                      typical=typical)
    if typical:
        return cascade_typical(tb)
    root = tb.span("api-gateway", "POST /api/orders", 0, kind="server", entry=True,
                   method="POST", route="/api/orders", status=502,
                   **{"error.message": "upstream orders-service responded 500 Internal Server Error"})

    def fraud(s: Span, t0: int) -> float:
        rules = db_call(tb, s, t0 + 1, tb.jitter(4, 6), "postgresql", "risk_rules", "select",
                        "SELECT id, expression, weight FROM risk_rules WHERE active = ?",
                        db="fraud", host="fraud-db")
        vendor = leaf(tb, s, after(rules, 1), tb.jitter(1000.2, 1001.5),
                      "External/risk-api.vendor.example/SpringWebClient/POST", kind="client",
                      category="http", url="https://risk-api.vendor.example/v3/score",
                      method="POST", host="risk-api.vendor.example", component="SpringWebClient",
                      **{"error.class": "java.net.SocketTimeoutException",
                         "error.message": "Read timed out",
                         "code.function": "score", "code.namespace":
                         "com.acme.fraud.vendor.RiskApiClient", "code.filepath":
                         "src/main/java/com/acme/fraud/vendor/RiskApiClient.java",
                         "code.lineno": 87})
        return after(vendor, 2)

    def payment(s: Span, t0: int) -> float:
        pm = db_call(tb, s, t0 + 1, tb.jitter(3, 5), "postgresql", "payment_methods", "select",
                     "SELECT id, type, token FROM payment_methods WHERE customer_id = $1 AND is_default",
                     db="payments", host="payments-db")
        fc = http_call(tb, s, after(pm, 1), "fraud-check", "POST", "/fraud/score", "/fraud/score",
                       fraud, status=504,
                       client_error={"error.message": "504 Gateway Timeout"},
                       server_error={"error.class": "java.net.SocketTimeoutException",
                                     "error.message": "Read timed out"})
        return after(fc, 1)

    payment_error = {"error.class": "org.springframework.web.client.HttpServerErrorException$GatewayTimeout",
                     "error.message": "504 Gateway Timeout: \"fraud check timed out\""}

    def orders(s: Span, t0: int) -> float:
        ins = db_call(tb, s, t0 + 2, tb.jitter(6, 8), "postgresql", "orders", "insert",
                      "INSERT INTO orders (customer_id, total, currency, status) VALUES (?, ?, ?, ?)",
                      db="orders", host="orders-db")
        t = after(ins, 1)
        for attempt in range(2):
            call = http_call(tb, s, t, "payment-service", "POST", "/payments/authorize",
                             "/payments/authorize", payment, status=504, client_error=payment_error,
                             server_error={"error.message": "fraud check timed out: 504 Gateway Timeout from fraud-check"})
            t = after(call, 150 if attempt == 0 else 1)  # fixed 150 ms back-off before the retry
        upd = db_call(tb, s, t, tb.jitter(4, 6), "postgresql", "orders", "update",
                      "UPDATE orders SET status = ? WHERE id = ?", db="orders", host="orders-db")
        return after(upd, 2)

    client = http_call(tb, root, 1, "orders-service", "POST", "/api/orders", "/api/orders", orders,
                       status=500,
                       client_error={"error.message": "upstream responded 500 Internal Server Error"},
                       server_error={"error.class": "com.acme.orders.payment.PaymentFailedException",
                                     "error.message": "Payment authorization failed after 2 attempts: "
                                                      "payment-service responded 504 Gateway Timeout"})
    root.dur = round(client.end + 1, 3)
    return tb


def trace_sequential() -> TraceBuilder:
    """Four independent backend calls made one after another, plus a 210 ms uninstrumented gap."""
    tb = TraceBuilder("0af7651916cd43dd8448eb211c80319c", offset_ms=21 * 60_000 + 33_251, seed=404)
    root = tb.span("profile-bff", "WebTransaction/Expressjs/GET//profile/:userId", 0,
                   kind="server", entry=True, method="GET", route="/profile/:userId", status=200)
    auth = leaf(tb, root, 1, tb.jitter(3, 4), "Nodejs/Middleware/Expressjs/authenticate")

    def body_of(steps):
        """A server body: a list of (kind, dur, args) run sequentially; kind db or fn."""
        def body(s: Span, t0: int) -> float:
            t = t0 + 1
            for kind, dur, args in steps:
                if kind == "db":
                    sp = db_call(tb, s, t, dur, *args[:4], db=args[4], host=args[5])
                else:
                    sp = leaf(tb, s, t, dur, args)
                t = after(sp, 1)
            return t + 1
        return body

    user = body_of([
        ("db", 42.6, ("postgresql", "users", "select",
                      "SELECT id, name, email, avatar_url FROM users WHERE id = ?", "users", "users-db")),
        ("db", 31.2, ("postgresql", "addresses", "select",
                      "SELECT * FROM addresses WHERE user_id = ?", "users", "users-db")),
        ("fn", 71.4, "UserMapper.toProfileDto"),
    ])
    recs = body_of([
        ("db", 2.1, ("redis", "recs", "get", "GET recs:u:77120", "0", "redis-recs")),
        ("db", 128.7, ("postgresql", "interactions", "select",
                       "SELECT item_id, score FROM interactions WHERE user_id = %s ORDER BY ts DESC LIMIT 500",
                       "recs", "recs-db")),
        ("fn", 84.9, "Function/recs.model:rank_candidates"),
        ("db", 1.6, ("redis", "recs", "set", "SET recs:u:77120 ? EX 600", "0", "redis-recs")),
    ])
    reviews = body_of([
        ("db", 96.3, ("postgresql", "reviews", "select",
                      "SELECT id, product_id, rating, body FROM reviews WHERE author_id = ? ORDER BY created_at DESC LIMIT 20",
                      "reviews", "reviews-db")),
        ("db", 44.8, ("postgresql", "review_votes", "select",
                      "SELECT review_id, count(*) FROM review_votes WHERE review_id IN (?) GROUP BY review_id",
                      "reviews", "reviews-db")),
        ("fn", 21.5, "ReviewAssembler.assemble"),
    ])
    notes = body_of([
        ("db", 3.2, ("redis", "notifications", "zrange", "ZRANGE notif:u:77120 0 19", "0",
                     "redis-notif")),
        ("db", 108.4, ("postgresql", "notifications", "select",
                       "SELECT id, kind, payload, created_at FROM notifications WHERE user_id = $1 AND read_at IS NULL",
                       "notifications", "notifications-db")),
        ("fn", 31.1, "buildDigest"),
    ])
    t = after(auth, 1)
    for callee, path, route, body, name in (
        ("user-service", "/users/77120", "/users/{id}", user, None),
        ("recommendations-service", "/recommendations/77120?limit=12", "/recommendations/{user_id}",
         recs, "WebTransaction/Function/recs.views:recommendations_for_user"),
        ("reviews-service", "/reviews?authorId=77120", "/reviews", reviews, None),
        ("notifications-service", "/notifications/unread?userId=77120", "/notifications/unread",
         notes, None),
    ):
        call = http_call(tb, root, t, callee, "GET", route, path, body, server_span_name=name)
        # The uninstrumented gap: the page template is compiled synchronously (no span).
        t = after(call, 210 if callee == "reviews-service" else tb.rng.randint(1, 2))
    render = leaf(tb, root, t, tb.jitter(9, 11), "Nodejs/Middleware/Expressjs/renderProfile")
    root.dur = round(render.end + 1, 3)
    return tb


def trace_clean() -> TraceBuilder:
    """A clean, fast request: parallel cache lookups, no errors, nothing to improve."""
    tb = TraceBuilder("5f2b7c9d1e3a4b6c8d0e2f4a6b8c0d1e", offset_ms=34 * 60_000 + 2_116, seed=505)
    root = tb.span("edge-proxy", "GET /api/catalog/featured", 0, kind="server", entry=True,
                   method="GET", route="/api/catalog/featured", status=200)

    def pricing(s: Span, t0: int) -> float:
        a = db_call(tb, s, t0 + 1, 2.31, "redis", "prices", "mget", "MGET price:* (8 keys)",
                    db="0", host="redis-pricing")
        b = leaf(tb, s, after(a, 0), 4.61, "applyPromotions")
        return after(b, 1)

    def catalog(s: Span, t0: int) -> float:
        lookups = [("featured:ids", 2.14), ("featured:banner", 2.83), ("ab:bucket:u:5531", 1.92)]
        ends = []
        for k, (key, dur) in enumerate(lookups):
            g = db_call(tb, s, t0 + 1 + (k == 2), dur, "redis", "cache", "get", f"GET {key}",
                        db="0", host="redis-cache")
            ends.append(g.end)
        q = db_call(tb, s, int(math.ceil(max(ends))), 9.84, "postgresql", "products", "select",
                    "SELECT id, name, price, image_url FROM products WHERE id = ANY($1)",
                    db="catalog", host="catalog-db")
        pr = http_call(tb, s, after(q, 0), "pricing-service", "POST", "/prices/batch",
                       "/prices/batch", pricing)
        r = leaf(tb, s, after(pr, 0), 4.06, "Go/catalog.(*Handler).renderFeatured")
        return after(r, 0)

    client = http_call(tb, root, 2, "catalog-service", "GET", "/api/catalog/featured",
                       "/api/catalog/featured", catalog,
                       server_span_name="WebTransaction/Go/GET /api/catalog/featured")
    root.dur = round(client.end + 4.4, 3)
    return tb


def cascade_typical(tb: TraceBuilder) -> TraceBuilder:
    """The orders endpoint on a good day: one payment call, the vendor answers, 201."""
    root = tb.span("api-gateway", "POST /api/orders", 0, kind="server", entry=True,
                   method="POST", route="/api/orders", status=201)

    def fraud(s: Span, t0: int) -> float:
        rules = db_call(tb, s, t0 + 1, tb.jitter(4, 6), "postgresql", "risk_rules", "select",
                        "SELECT id, expression, weight FROM risk_rules WHERE active = ?",
                        db="fraud", host="fraud-db")
        vendor = leaf(tb, s, after(rules, 1), tb.jitter(80, 90),
                      "External/risk-api.vendor.example/SpringWebClient/POST", kind="client",
                      category="http", url="https://risk-api.vendor.example/v3/score",
                      method="POST", host="risk-api.vendor.example", component="SpringWebClient",
                      status=200)
        return after(vendor, 2)

    def payment(s: Span, t0: int) -> float:
        pm = db_call(tb, s, t0 + 1, tb.jitter(3, 5), "postgresql", "payment_methods", "select",
                     "SELECT id, type, token FROM payment_methods WHERE customer_id = $1 AND is_default",
                     db="payments", host="payments-db")
        fc = http_call(tb, s, after(pm, 1), "fraud-check", "POST", "/fraud/score", "/fraud/score",
                       fraud, status=200)
        return after(fc, 1)

    def orders(s: Span, t0: int) -> float:
        ins = db_call(tb, s, t0 + 2, tb.jitter(6, 8), "postgresql", "orders", "insert",
                      "INSERT INTO orders (customer_id, total, currency, status) VALUES (?, ?, ?, ?)",
                      db="orders", host="orders-db")
        call = http_call(tb, s, after(ins, 1), "payment-service", "POST", "/payments/authorize",
                         "/payments/authorize", payment, status=200)
        upd = db_call(tb, s, after(call, 1), tb.jitter(4, 6), "postgresql", "orders", "update",
                      "UPDATE orders SET status = ? WHERE id = ?", db="orders", host="orders-db")
        return after(upd, 2)

    client = http_call(tb, root, 1, "orders-service", "POST", "/api/orders", "/api/orders", orders,
                       status=201)
    root.dur = round(client.end + 1, 3)
    return tb


def typical_of(make):
    return lambda: make(typical=True)


TRACES = (trace_checkout, trace_slow_search, trace_cascade, trace_sequential, trace_clean,
          typical_of(trace_checkout), typical_of(trace_slow_search), typical_of(trace_cascade))


def main() -> int:
    OUT_DIR.mkdir(parents=True, exist_ok=True)
    too_big = False
    for make in TRACES:
        tb = make()
        doc = tb.document()
        # One row per line: compact enough for the embed limit, readable in a diff.
        rows = doc["data"]["actor"]["account"]["nrql"]["results"]
        body = ",\n".join(json.dumps(r, separators=(",", ":")) for r in rows)
        text = '{"data":{"actor":{"account":{"nrql":{"results":[\n' + body + "\n]}}}}}\n"
        assert json.loads(text) == doc
        path = OUT_DIR / f"{tb.trace_id}.json"
        path.write_text(text, encoding="utf-8")
        root = next(s for s in tb.spans if s.parent is None)
        services = sorted({s.service for s in tb.spans})
        size = len(text.encode())
        too_big |= size >= MAX_FILE_BYTES
        print(f"{path.name}: {len(rows)} spans, {len(services)} services, "
              f"{root.dur:.1f} ms, {size / 1024:.1f} KB")
    if too_big:
        print(f"error: a file is over {MAX_FILE_BYTES} bytes (embed limit)", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
