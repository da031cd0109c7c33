#!/usr/bin/env python3
"""The demo incident (demo/README.md): web-gateway's rarely called gift-card endpoint fails since
giftcard-service 2.8.0 was deployed at 10:36 UTC; its UPDATE names a column the database does not
have yet. Three failing requests (10:41-10:58) and one typical request of the same endpoint from
before the deployment (09:12, giftcard-service 2.7.4). Writes demo/traces/<id>.json like
tools/gen_demo.py, whose building blocks it uses: run `python3 tools/gen_demo_incident.py`."""
import json
import sys

import gen_demo as g

g.SERVICES["giftcard-service"] = ("apm", "giftcard-service-6d9f8c7b5-n4k8r", "java")
g.VERSIONS["giftcard-service"] = "2.8.0"

FAILING = (
    ("b7e1c4d2a9f04e3b8c6d5a4f3e2d1c0b", 41 * 60_000 + 12_384, 601, "GC-7Q2M-88K1"),
    ("c8f2d5e3b0a14f4c9d7e6b5a4f3e2d1c", 49 * 60_000 + 3_517, 602, "GC-3JX9-1P4A"),
    ("d9a3e6f4c1b25a5d0e8f7c6b5a4f3e2d", 58 * 60_000 + 44_906, 603, "GC-Z8W1-6T3E"),
)
TYPICAL = ("e0b4f7a5d2c36b6e1f9a8d7c6b5a4f3e", -48 * 60_000 + 27_731, 604, "GC-4N7R-2L9C")

MISSING_COLUMN = 'ERROR: column "currency_code" of relation "gift_cards" does not exist'


def trace_giftcard(trace_id: str, offset_ms: int, seed: int, code: str, failing: bool):
    tb = g.TraceBuilder(trace_id, offset_ms=offset_ms, seed=seed)
    if not failing:
        tb.versions["giftcard-service"] = "2.7.4"
    status = 502 if failing else 200
    root_error = {"error.message": "upstream giftcard-service responded 500"} if failing else {}
    root = tb.span("web-gateway", "POST /api/gift-cards/redeem", 0, kind="server", entry=True,
                   method="POST", route="/api/gift-cards/redeem", status=status, **root_error)
    auth = g.leaf(tb, root, 1, tb.jitter(2, 3), "authenticate", library="nginx-auth")

    def giftcard(s: g.Span, t0: int) -> float:
        card = g.db_call(tb, s, t0 + 1, tb.jitter(3, 5), "postgresql", "gift_cards", "select",
                         "SELECT id, balance, currency, status FROM gift_cards WHERE code = ? FOR UPDATE",
                         db="giftcards", host="giftcards-db")
        extra = {}
        if failing:
            extra = {"error.class": "org.postgresql.util.PSQLException",
                     "error.message": MISSING_COLUMN,
                     "code.function": "redeem",
                     "code.namespace": "com.acme.giftcards.GiftCardRepository",
                     "code.filepath": "src/main/java/com/acme/giftcards/GiftCardRepository.java",
                     "code.lineno": 118}
        column = "currency_code" if failing else "currency"
        upd = g.db_call(tb, s, g.after(card, 1), tb.jitter(1.5, 2.5) if failing else tb.jitter(4, 6),
                        "postgresql", "gift_cards", "update",
                        f"UPDATE gift_cards SET balance = balance - ?, {column} = ? WHERE id = ?",
                        db="giftcards", host="giftcards-db", **extra)
        if failing:
            return g.after(upd, 3)
        led = g.db_call(tb, s, g.after(upd, 1), tb.jitter(3, 4), "postgresql", "ledger", "insert",
                        "INSERT INTO ledger (card_id, amount, order_ref) VALUES (?, ?, ?)",
                        db="giftcards", host="giftcards-db")
        return g.after(led, 2)

    server_error = ({"error.class": "org.springframework.jdbc.BadSqlGrammarException",
                     "error.message": f"PreparedStatementCallback; bad SQL grammar; {MISSING_COLUMN}"}
                    if failing else {})
    client = g.http_call(tb, root, g.after(auth, 1), "giftcard-service", "POST",
                         "/gift-cards/redeem", "/gift-cards/redeem", giftcard,
                         status=500 if failing else 200,
                         client_error={"error.message": "500 Internal Server Error"} if failing else None,
                         server_error=server_error)
    root.dur = round(client.end + 2, 3)
    return tb


def main() -> int:
    builders = [trace_giftcard(*f, failing=True) for f in FAILING]
    builders.append(trace_giftcard(*TYPICAL, failing=False))
    for tb in builders:
        doc = tb.document()
        rows = doc["data"]["actor"]["account"]["nrql"]["results"]
        body = ",\n".join(json.dumps(r, separators=(",", ":")) for r in rows)
        text = '{"data":{"actor":{"account":{"nrql":{"results":[\n' + body + "\n]}}}}}\n"
        assert json.loads(text) == doc
        path = g.OUT_DIR / f"{tb.trace_id}.json"
        path.write_text(text, encoding="utf-8")
        root = next(s for s in tb.spans if s.parent is None)
        print(f"{path.name}: {len(rows)} spans, {root.dur:.1f} ms")
    return 0


if __name__ == "__main__":
    sys.exit(main())
