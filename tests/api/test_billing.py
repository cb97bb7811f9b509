"""Billing against a Razorpay-compatible server on loopback: subscriptions, orders, tips,
webhooks (signature, rotation, dedupe, order), exactly-once ledger, reconciliation."""

from __future__ import annotations

import copy
import json
import time

import httpx
import pytest

from app.entrypoints.app import build_services, create_app
from tests.conftest import make_settings
from tests.fakes.razorpay_server import KEY_ID, KEY_SECRET, WEBHOOK_SECRET, FakeRazorpay, sign, webhook_body
from tests.support.api import assert_problem, bearer, login, register
from tests.support.database import query
from tests.support.servers import serve

PREVIOUS_SECRET = "old-webhook-secret"

# The Oasis seed's payload shapes (ids are replaced with the ones our orders got).
SUBSCRIPTION_EVENT = {
    "entity": "event",
    "account_id": "acc_F5Motm2sJ5Fomd",
    "event": "subscription.authenticated",
    "contains": ["subscription"],
    "payload": {
        "subscription": {
            "entity": {
                "id": "sub_F5aa7VaVXtXh80",
                "entity": "subscription",
                "plan_id": "plan_F5Zu0nrXVhHV2m",
                "customer_id": "cust_Hqv4jKULwAykog",
                "status": "authenticated",
                "current_start": None,
                "current_end": None,
                "ended_at": None,
                "quantity": 1,
                "notes": {"userID": "anshulyadav", "tierID": 4},
                "charge_at": 1593109800,
                "start_at": 1593109800,
                "end_at": 1598380200,
                "auth_attempts": 0,
                "total_count": 3,
                "paid_count": 0,
                "customer_notify": True,
                "created_at": 1592811228,
                "expire_by": None,
                "short_url": None,
                "has_scheduled_changes": False,
                "change_scheduled_at": None,
                "source": "api",
                "offer_id": "offer_JHD834hjbxzhd38d",
                "remaining_count": 3,
            }
        }
    },
    "created_at": 1592811255,
}
PAYMENT_EVENT = {
    "entity": "event",
    "account_id": "acc_FlI5o3qjKOncPY",
    "event": "payment.authorized",
    "contains": ["payment"],
    "payload": {
        "payment": {
            "entity": {
                "id": "pay_Gs7H4cAY5zRubS",
                "entity": "payment",
                "amount": 34800,
                "currency": "INR",
                "status": "authorized",
                "order_id": "order_Gs7Gk7vBhrievW",
                "invoice_id": None,
                "international": False,
                "method": "upi",
                "amount_refunded": 0,
                "refund_status": None,
                "captured": False,
                "description": "2",
                "card_id": None,
                "bank": None,
                "wallet": None,
                "vpa": "success@razorpay",
                "email": "payer@example.com",
                "contact": "+910000000000",
                "notes": {"type": "subscription", "username": "usingla78", "tierID": "7"},
                "fee": None,
                "tax": None,
                "error_code": None,
                "error_description": None,
                "error_source": None,
                "error_step": None,
                "error_reason": None,
                "acquirer_data": {"rrn": "785396808883", "upi_transaction_id": "61284802FCF29B9835F49EF57CD430D2"},
                "created_at": 1616943771,
            }
        }
    },
    "created_at": 1616943771,
}
CHEER_NOTES = {"type": "cheer", "creatorID": "11", "username": "usingla78", "name": "Utsav", "message": "check"}
COMMISSION_NOTES = {
    "type": "commission",
    "creatorID": "11",
    "username": "usingla78",
    "commissionID": 1,
    "description": "Utsav",
    "contactDetails": "somedetails",
    "status": "ordered",
    "mode_of_delivery": "1",
}


@pytest.fixture
async def rzp():
    fake = FakeRazorpay()
    async with serve(fake.app()) as url:
        fake.url = url
        yield fake


@pytest.fixture
async def billing(clean_db, tmp_path, rzp):
    settings = make_settings(
        clean_db,
        tmp_path,
        razorpay_key_id=KEY_ID,
        razorpay_key_secret=KEY_SECRET,
        razorpay_webhook_secret=WEBHOOK_SECRET,
        razorpay_previous_webhook_secret=PREVIOUS_SECRET,
        razorpay_base_url=rzp.url,
    )
    async with serve(create_app(settings)) as base_url, httpx.AsyncClient(base_url=base_url) as client:
        await register(client, "creator")
        await register(client, "fan")
        client.creator = bearer(await login(client, "creator"))
        client.fan = bearer(await login(client, "fan"))
        client.creator_id = (await client.get("/api/users/me", headers=client.creator)).json()["id"]
        # Tips and commissions go to creators only.
        assert (
            await client.put("/api/creators/me", headers=client.creator, json={"display_name": "Creator"})
        ).status_code == 200
        client.settings = settings
        yield client


async def _tier(client) -> dict:
    response = await client.post(
        "/api/billing/plans",
        headers=client.creator,
        json={"name": "Gold", "amount_minor": 34800, "currency": "INR", "benefits": ["early access"]},
    )
    assert response.status_code == 201, response.text
    return response.json()


def _ledger(database_url):
    return query(
        database_url, "SELECT gateway_payment_id, kind, amount_minor, source FROM billing_ledger ORDER BY created_at"
    )


async def _post_event(client, payload, *, event_id=None, secret=WEBHOOK_SECRET):
    body = json.dumps(payload)
    headers = {"X-Razorpay-Signature": sign(secret, body), "Content-Type": "application/json"}
    if event_id:
        headers["X-Razorpay-Event-Id"] = event_id
    return await client.post("/api/billing/webhooks/razorpay", content=body, headers=headers)


async def test_subscription_checkout_verify_and_seed_webhooks(billing, rzp):
    client = billing
    tier = await _tier(client)
    checkout = (
        await client.post("/api/billing/subscriptions", headers=client.fan, json={"plan_id": tier["id"]})
    ).json()
    assert checkout["public_key"] == KEY_ID and checkout["gateway_id"].startswith("sub_")
    gateway_sub = checkout["gateway_id"]
    assert rzp.subscriptions[gateway_sub]["notes"]["plan_id"] == tier["id"]

    event = copy.deepcopy(SUBSCRIPTION_EVENT)
    event["payload"]["subscription"]["entity"]["id"] = gateway_sub
    assert (await _post_event(client, event, event_id="evt_auth")).status_code == 200
    mine = (await client.get("/api/billing/subscriptions", headers=client.fan)).json()["items"]
    assert mine[0]["status"] == "authenticated" and mine[0]["plan"]["name"] == "Gold"

    payment_id = "pay_sub_first"
    bad = await client.post(
        "/api/billing/subscriptions/verify",
        headers=client.fan,
        json={
            "razorpay_payment_id": payment_id,
            "razorpay_subscription_id": gateway_sub,
            "razorpay_signature": "forged",
        },
    )
    assert_problem(bad, 400, "invalid-payment-signature")
    good = await client.post(
        "/api/billing/subscriptions/verify",
        headers=client.fan,
        json={
            "razorpay_payment_id": payment_id,
            "razorpay_subscription_id": gateway_sub,
            "razorpay_signature": sign(KEY_SECRET, f"{payment_id}|{gateway_sub}"),
        },
    )
    assert good.status_code == 200 and good.json()["status"] == "active"

    # The seed's payment.authorized for the same payment (subscription notes) credits nothing more.
    payment = copy.deepcopy(PAYMENT_EVENT)
    payment["payload"]["payment"]["entity"].update(id=payment_id, order_id=None, subscription_id=gateway_sub)
    assert (await _post_event(client, payment, event_id="evt_pay")).status_code == 200
    assert _ledger(client.settings.database_url) == [(payment_id, "subscription", 34800, "verify")]


async def test_tip_and_commission_orders_with_seed_payloads(billing, rzp):
    client = billing
    tip = (
        await client.post(
            "/api/billing/orders",
            headers=client.fan,
            json={
                "kind": "tip",
                "amount_minor": 50000,
                "currency": "INR",
                "creator_id": client.creator_id,
                "name": "Utsav",
                "message": "check",
            },
        )
    ).json()
    offer = (
        await client.post(
            "/api/commissions/offers", headers=client.creator, json={"title": "Sketch", "price_minor": 99900}
        )
    ).json()
    ordered = (await client.post("/api/commissions", headers=client.fan, json={"offer_id": offer["id"]})).json()
    commission = (
        await client.post(
            "/api/billing/orders",
            headers=client.fan,
            json={
                "kind": "commission",
                "amount_minor": 99900,
                "creator_id": client.creator_id,
                "reference": ordered["id"],
            },
        )
    ).json()
    for checkout, notes, pay_id, amount in (
        (tip, CHEER_NOTES, "pay_tip_1", 50000),
        (commission, COMMISSION_NOTES, "pay_com_1", 99900),
    ):
        event = copy.deepcopy(PAYMENT_EVENT)
        event["payload"]["payment"]["entity"].update(
            id=pay_id, order_id=checkout["gateway_id"], amount=amount, notes=notes
        )
        response = await _post_event(client, event, event_id=f"evt_{pay_id}")
        assert response.status_code == 200, response.text
    ledger = _ledger(client.settings.database_url)
    assert sorted(ledger) == [("pay_com_1", "commission", 99900, "webhook"), ("pay_tip_1", "tip", 50000, "webhook")]
    tips = (await client.get(f"/api/billing/creators/{client.creator_id}/tips", headers=client.fan)).json()["items"]
    assert [(t["name"], t["message"], t["amount_minor"]) for t in tips] == [("Utsav", "check", 50000)]


async def test_same_webhook_twice_and_verify_after_webhook_credit_once(billing, rzp):
    client = billing
    checkout = (
        await client.post(
            "/api/billing/orders",
            headers=client.fan,
            json={"kind": "tip", "amount_minor": 1000, "creator_id": client.creator_id},
        )
    ).json()
    event = copy.deepcopy(PAYMENT_EVENT)
    event["payload"]["payment"]["entity"].update(
        id="pay_dup", order_id=checkout["gateway_id"], amount=1000, status="captured"
    )
    first = await _post_event(client, event, event_id="evt_dup")
    second = await _post_event(client, event, event_id="evt_dup")
    assert first.json()["duplicate"] is False and second.json()["duplicate"] is True
    # Same payment under a different event id (payment.captured after payment.authorized): still one credit.
    event["event"] = "payment.captured"
    await _post_event(client, event, event_id="evt_dup_captured")
    verify = await client.post(
        "/api/billing/orders/verify",
        headers=client.fan,
        json={
            "razorpay_order_id": checkout["gateway_id"],
            "razorpay_payment_id": "pay_dup",
            "razorpay_signature": sign(KEY_SECRET, f"{checkout['gateway_id']}|pay_dup"),
        },
    )
    assert verify.status_code == 200 and verify.json()["status"] == "paid"
    assert _ledger(client.settings.database_url) == [("pay_dup", "tip", 1000, "webhook")]


async def test_bad_webhook_signature_is_400_and_stores_nothing(billing):
    client = billing
    body, headers = webhook_body(PAYMENT_EVENT)
    headers["X-Razorpay-Signature"] = sign("not-our-secret", body)
    assert_problem(
        await client.post("/api/billing/webhooks/razorpay", content=body, headers=headers),
        400,
        "invalid-webhook-signature",
    )
    headers.pop("X-Razorpay-Signature")
    assert_problem(await client.post("/api/billing/webhooks/razorpay", content=body, headers=headers), 400)
    # Signed, then altered in transit.
    _, good_headers = webhook_body(PAYMENT_EVENT)
    assert_problem(
        await client.post(
            "/api/billing/webhooks/razorpay", content=body.replace("34800", "99999"), headers=good_headers
        ),
        400,
    )
    assert query(client.settings.database_url, "SELECT count(*) FROM billing_webhook_events") == [(0,)]
    assert _ledger(client.settings.database_url) == []


async def test_previous_webhook_secret_is_accepted_during_rotation(billing):
    response = await _post_event(
        billing, {"event": "ping", "created_at": 1}, event_id="evt_old_secret", secret=PREVIOUS_SECRET
    )
    assert response.status_code == 200


async def test_out_of_order_subscription_events_end_in_the_right_state(billing):
    client = billing
    tier = await _tier(client)
    gateway_sub = (
        await client.post("/api/billing/subscriptions", headers=client.fan, json={"plan_id": tier["id"]})
    ).json()["gateway_id"]

    def event(name, at):
        payload = copy.deepcopy(SUBSCRIPTION_EVENT)
        payload["event"] = name
        payload["created_at"] = at
        payload["payload"]["subscription"]["entity"]["id"] = gateway_sub
        return payload

    # Delivered out of order: cancelled (t=300) arrives before activated (t=200) and authenticated (t=100).
    for name, at in (
        ("subscription.cancelled", 300),
        ("subscription.activated", 200),
        ("subscription.authenticated", 100),
    ):
        assert (await _post_event(client, event(name, at), event_id=f"{name}-{at}")).status_code == 200
    status = (await client.get("/api/billing/subscriptions", headers=client.fan)).json()["items"][0]["status"]
    assert status == "cancelled"

    other = (await client.post("/api/billing/subscriptions", headers=client.fan, json={"plan_id": tier["id"]})).json()[
        "gateway_id"
    ]
    gateway_sub = other
    for name, at in (
        ("subscription.activated", 200),
        ("subscription.authenticated", 100),
        ("subscription.charged", 250),
    ):
        await _post_event(client, event(name, at), event_id=f"b-{name}-{at}")
    items = {
        i["gateway_subscription_id"]: i["status"]
        for i in (await client.get("/api/billing/subscriptions", headers=client.fan)).json()["items"]
    }
    assert items[other] == "active"


async def test_end_immediately_vs_at_cycle_end(billing, rzp):
    client = billing
    # Two tiers: one member holds at most one open subscription per tier.
    tiers = [
        await _tier(client),
        (
            await client.post(
                "/api/billing/plans", headers=client.creator, json={"name": "Silver", "amount_minor": 9900}
            )
        ).json(),
    ]
    ids = []
    for tier in tiers:
        checkout = (
            await client.post("/api/billing/subscriptions", headers=client.fan, json={"plan_id": tier["id"]})
        ).json()
        ids.append((checkout["id"], checkout["gateway_id"]))
    (now_id, now_gw), (later_id, later_gw) = ids
    ended = (
        await client.post(f"/api/billing/subscriptions/{now_id}/end", headers=client.fan, json={"at_cycle_end": False})
    ).json()
    assert ended["status"] == "cancelled" and rzp.subscriptions[now_gw]["status"] == "cancelled"
    later = (
        await client.post(f"/api/billing/subscriptions/{later_id}/end", headers=client.fan, json={"at_cycle_end": True})
    ).json()
    assert later["status"] == "created" and later["cancel_at_cycle_end"] is True
    assert rzp.subscriptions[later_gw]["cancel_at_cycle_end"] is True
    # The gateway ends it when the cycle is over.
    payload = copy.deepcopy(SUBSCRIPTION_EVENT)
    payload.update(event="subscription.cancelled", created_at=int(time.time()))
    payload["payload"]["subscription"]["entity"]["id"] = later_gw
    await _post_event(client, payload, event_id="evt_cycle_end")
    statuses = {
        i["id"]: i["status"]
        for i in (await client.get("/api/billing/subscriptions", headers=client.fan)).json()["items"]
    }
    assert statuses[later_id] == "cancelled"
    assert_problem(await client.post(f"/api/billing/subscriptions/{now_id}/end", headers=client.creator, json={}), 404)


async def test_reconciliation_credits_payments_whose_webhook_never_came(billing, rzp):
    client = billing
    checkout = (
        await client.post(
            "/api/billing/orders",
            headers=client.fan,
            json={"kind": "tip", "amount_minor": 700, "creator_id": client.creator_id},
        )
    ).json()
    payment_id = rzp.pay_order(checkout["gateway_id"])
    query(
        client.settings.database_url,
        "UPDATE billing_orders SET created_at = now() - interval '20 minutes' RETURNING id",
    )
    services = build_services(client.settings)
    try:
        assert await services.gateway_events.reconcile() == 1
        assert await services.gateway_events.reconcile() == 0
    finally:
        await services.engine.dispose()
    assert _ledger(client.settings.database_url) == [(payment_id, "tip", 700, "reconcile")]


async def test_billing_validation_and_configuration(billing, client):
    assert_problem(
        await billing.post(
            "/api/billing/orders",
            headers=billing.fan,
            json={"kind": "tip", "amount_minor": 50, "creator_id": billing.creator_id},
        ),
        422,
    )
    assert_problem(
        await billing.post("/api/billing/orders", headers=billing.fan, json={"kind": "tip", "amount_minor": 500}), 422
    )
    assert_problem(
        await billing.post(
            "/api/billing/plans", headers=billing.fan, json={"name": "x", "amount_minor": 500, "platform": True}
        ),
        403,
    )
    assert_problem(
        await billing.post(
            "/api/billing/subscriptions", headers=billing.fan, json={"plan_id": "00000000-0000-0000-0000-000000000000"}
        ),
        404,
    )
    # An app without Razorpay keys says so instead of failing.
    await register(client, "nobilling")
    assert_problem(
        await client.get("/api/billing/plans", headers=bearer(await login(client, "nobilling"))),
        503,
        "billing-not-configured",
    )


async def test_payout_details_are_encrypted_at_rest_and_shown_masked(billing):
    client = billing
    body = {
        "account_holder_name": "Utsav",
        "bank_name": "HDFC Bank",
        "ifsc_code": "hdfc0001234",
        "account_number": "50100123456789",
    }
    saved = await client.put("/api/billing/payout-account", headers=client.creator, json=body)
    assert saved.status_code == 200, saved.text
    assert saved.json()["account_number_masked"] == "XXXXXXXXXX6789" and saved.json()["ifsc_code"] == "HDFC0001234"
    assert "50100123456789" not in (await client.get("/api/billing/payout-account", headers=client.creator)).text
    ((stored,),) = query(client.settings.database_url, "SELECT account_number_encrypted FROM billing_payout_accounts")
    assert "50100123456789" not in stored and stored.startswith("gAAAA")  # a Fernet token
    assert_problem(await client.get("/api/billing/payout-account", headers=client.fan), 404)
    assert_problem(
        await client.put(
            "/api/billing/payout-account", headers=client.creator, json={**body, "ifsc_code": "BADCODE1234"}
        ),
        422,
    )
    assert (await client.delete("/api/billing/payout-account", headers=client.creator)).status_code == 204


async def test_guest_checkout_creates_or_links_a_guest(billing, rzp):
    client = billing
    tier = await _tier(client)
    first = await client.post(
        "/api/billing/guest-checkout",
        json={"payment_type": "recurring", "email": "ghost@example.com", "plan_id": tier["id"]},
    )
    assert first.status_code == 201, first.text
    body = first.json()
    assert body["user"]["is_guest"] is True and body["tokens"]["access_token"]
    assert body["checkout"]["gateway_id"].startswith("sub_")
    guest_headers = {"Authorization": f"Bearer {body['tokens']['access_token']}"}
    assert len((await client.get("/api/billing/subscriptions", headers=guest_headers)).json()["items"]) == 1

    # Same email again: the payment links to that guest, but an email alone does not sign anyone in.
    again = await client.post(
        "/api/billing/guest-checkout",
        json={
            "payment_type": "tip",
            "email": "GHOST@example.com",
            "amount_minor": 500,
            "creator_id": client.creator_id,
            "name": "G",
            "message": "hi",
        },
    )
    assert again.status_code == 201, again.text
    # ... and reveals nothing of that guest (no profile without its tokens), yet the order is theirs.
    assert again.json()["tokens"] is None and again.json()["user"] is None
    ((payer,),) = query(
        client.settings.database_url, "SELECT user_id FROM billing_orders WHERE id = %s", again.json()["checkout"]["id"]
    )
    assert str(payer) == body["user"]["id"]
    # A full account's email must sign in instead.
    assert_problem(
        await client.post(
            "/api/billing/guest-checkout",
            json={"payment_type": "recurring", "email": "creator@example.com", "plan_id": tier["id"]},
        ),
        409,
    )


async def test_tips_and_new_subscribers_notify_the_creator_in_app_and_by_email(billing, rzp):
    from pathlib import Path

    from tests.api.test_notifications_stats import _wait_unread
    from tests.support.mailbox import Mailbox

    client = billing
    tier = await _tier(client)
    checkout = (
        await client.post("/api/billing/subscriptions", headers=client.fan, json={"plan_id": tier["id"]})
    ).json()
    await client.post(
        "/api/billing/subscriptions/verify",
        headers=client.fan,
        json={
            "razorpay_payment_id": "pay_n1",
            "razorpay_subscription_id": checkout["gateway_id"],
            "razorpay_signature": sign(KEY_SECRET, f"pay_n1|{checkout['gateway_id']}"),
        },
    )
    tip = (
        await client.post(
            "/api/billing/orders",
            headers=client.fan,
            json={
                "kind": "tip",
                "amount_minor": 900,
                "creator_id": client.creator_id,
                "name": "Fan",
                "message": "Love it",
            },
        )
    ).json()
    await client.post(
        "/api/billing/orders/verify",
        headers=client.fan,
        json={
            "razorpay_order_id": tip["gateway_id"],
            "razorpay_payment_id": "pay_n2",
            "razorpay_signature": sign(KEY_SECRET, f"{tip['gateway_id']}|pay_n2"),
        },
    )
    inbox = await _wait_unread(client, client.creator, 2)
    kinds = {n["kind"]: n for n in inbox["items"]}
    assert set(kinds) == {"new_subscriber", "tip"}
    assert kinds["tip"]["data"]["message"] == "Love it" and kinds["new_subscriber"]["data"]["tier"] == "Gold"
    mailbox = Mailbox(Path(client.settings.mail_outbox_dir))
    await mailbox.wait_for("creator@example.com", "tip")
    await mailbox.wait_for("creator@example.com", "new subscriber")
