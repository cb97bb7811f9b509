"""AdVenture collaborators over real HTTP and websockets: the emailed invitation, accepting it, what each
role may do on REST and in the canvas room, and removal ending an open socket."""

from __future__ import annotations

import asyncio
import uuid
from pathlib import Path
from typing import Any

import httpx

from app.entrypoints.app import create_app
from tests.api.test_media import _upload
from tests.api.test_notifications_stats import _wait_unread
from tests.conftest import make_settings
from tests.security.test_ws_authorisation import ended
from tests.support.api import assert_problem, bearer, login, register
from tests.support.database import query
from tests.support.mailbox import Mailbox
from tests.support.servers import free_port, serve
from tests.support.ws import Editor, add_rect


async def _people(client: httpx.AsyncClient, *names: str) -> dict[str, dict[str, Any]]:
    people = {}
    for name in names:
        await register(client, name)
        people[name] = await login(client, name)
    return people


async def _campaign(client: httpx.AsyncClient, owner: dict[str, Any]) -> str:
    created = await client.post("/api/campaigns", headers=bearer(owner), json={"name": "Shared launch"})
    assert created.status_code == 201, created.text
    return created.json()["id"]


async def test_an_emailed_invitation_is_accepted_with_its_link_once(
    client: httpx.AsyncClient, mailbox: Mailbox
) -> None:
    people = await _people(client, "owner", "designer", "intruder")
    campaign = await _campaign(client, people["owner"])
    sent = await client.post(
        f"/api/campaigns/{campaign}/invites",
        headers=bearer(people["owner"]),
        json={"email": "Designer@example.com", "role": "editor"},
    )
    assert sent.status_code == 201, sent.text
    assert sent.json()["status"] == "pending" and sent.json()["role"] == "editor"
    listed = await client.get(f"/api/campaigns/{campaign}/invites", headers=bearer(people["owner"]))
    assert [i["id"] for i in listed.json()] == [sent.json()["id"]]
    token = await mailbox.token_for("Designer@example.com", "invited you")
    body = (await mailbox.wait_for("Designer@example.com", "invited you"))[-1].get_content()
    assert "Shared launch" in body and "editor" in body
    # Nobody else reads the invitations or the campaign before accepting.
    assert_problem(await client.get(f"/api/campaigns/{campaign}", headers=bearer(people["designer"])), 404)
    assert_problem(await client.get(f"/api/campaigns/{campaign}/invites", headers=bearer(people["intruder"])), 404)
    accepted = await client.post(
        "/api/campaign-invites/accept", headers=bearer(people["designer"]), json={"token": token}
    )
    assert accepted.status_code == 201, accepted.text
    assert accepted.json()["role"] == "editor" and accepted.json()["username"] == "designer"
    again = await client.post("/api/campaign-invites/accept", headers=bearer(people["intruder"]), json={"token": token})
    assert_problem(again, 404, "invite-not-found")
    shared = await client.get("/api/campaigns", headers=bearer(people["designer"]))
    assert [c["id"] for c in shared.json()["items"]] == [campaign]
    changed = await client.patch(
        f"/api/campaigns/{campaign}", headers=bearer(people["designer"]), json={"description": "edited by designer"}
    )
    assert changed.status_code == 200, changed.text
    team = await client.get(f"/api/campaigns/{campaign}/collaborators", headers=bearer(people["designer"]))
    assert [(c["username"], c["role"]) for c in team.json()] == [("designer", "editor")]
    inbox = await _wait_unread(client, bearer(people["owner"]), 1)
    joined = [n for n in inbox["items"] if n["kind"] == "collaborator_joined"]
    assert joined and joined[0]["data"]["username"] == "designer"
    assert await mailbox.wait_for("owner@example.com", "joined your campaign")
    assert_problem(
        await client.delete(f"/api/campaigns/{campaign}", headers=bearer(people["designer"])), 403, "owner-required"
    )


async def test_signed_in_invitees_accept_from_their_list_only_with_a_verified_address(
    client: httpx.AsyncClient, settings: Any
) -> None:
    people = await _people(client, "owner", "reviewer", "other")
    campaign = await _campaign(client, people["owner"])
    invite = await client.post(
        f"/api/campaigns/{campaign}/invites",
        headers=bearer(people["owner"]),
        json={"email": "reviewer@example.com", "role": "commenter"},
    )
    invite_id = invite.json()["id"]
    assert_problem(
        await client.get("/api/campaign-invites", headers=bearer(people["reviewer"])), 403, "email-not-verified"
    )
    query(settings.database_url, "UPDATE users SET email_verified = true RETURNING id")
    mine = await client.get("/api/campaign-invites", headers=bearer(people["reviewer"]))
    assert [(i["id"], i["campaign_name"]) for i in mine.json()] == [(invite_id, "Shared launch")]
    assert (await client.get("/api/campaign-invites", headers=bearer(people["other"]))).json() == []
    assert_problem(await client.post(f"/api/campaign-invites/{invite_id}/accept", headers=bearer(people["other"])), 404)
    joined = await client.post(f"/api/campaign-invites/{invite_id}/accept", headers=bearer(people["reviewer"]))
    assert joined.status_code == 201, joined.text
    # A commenter comments but does not edit.
    comment = await client.post(
        f"/api/campaigns/{campaign}/comments", headers=bearer(people["reviewer"]), json={"body": "Looks good"}
    )
    assert comment.status_code == 201, comment.text
    refused = await client.patch(
        f"/api/campaigns/{campaign}", headers=bearer(people["reviewer"]), json={"name": "Mine now"}
    )
    assert_problem(refused, 403, "role-required")
    assert_problem(
        await client.post(f"/api/campaign-invites/{invite_id}/accept", headers=bearer(people["reviewer"])),
        410,
        "invite-closed",
    )


async def test_bad_invitations_get_clear_problems(client: httpx.AsyncClient) -> None:
    people = await _people(client, "owner", "friend")
    campaign = await _campaign(client, people["owner"])
    url = f"/api/campaigns/{campaign}/invites"
    owner = bearer(people["owner"])
    assert_problem(await client.post(url, headers=owner, json={"email": "not an email", "role": "editor"}), 422)
    assert_problem(await client.post(url, headers=owner, json={"email": "x@example.com", "role": "boss"}), 422)
    assert_problem(
        await client.post(url, headers=owner, json={"email": "owner@example.com"}), 409, "already-collaborator"
    )
    assert (await client.post(url, headers=owner, json={"email": "friend@example.com"})).status_code == 201
    assert_problem(await client.post(url, headers=owner, json={"email": "FRIEND@example.com"}), 409, "invite-pending")
    assert_problem(
        await client.post("/api/campaign-invites/accept", headers=bearer(people["friend"]), json={"token": "x" * 40}),
        404,
        "invite-not-found",
    )
    assert_problem(await client.post(url, headers=bearer(people["friend"]), json={"email": "z@example.com"}), 404)


async def test_the_room_follows_membership_viewers_read_and_removal_closes_the_socket(
    client: httpx.AsyncClient, live_server: str, mailbox: Mailbox
) -> None:
    people = await _people(client, "owner", "editor", "watcher")
    campaign = await _campaign(client, people["owner"])
    for name, role in (("editor", "editor"), ("watcher", "viewer")):
        sent = await client.post(
            f"/api/campaigns/{campaign}/invites",
            headers=bearer(people["owner"]),
            json={"email": f"{name}@example.com", "role": role},
        )
        assert sent.status_code == 201, sent.text
        token = await mailbox.token_for(f"{name}@example.com", "invited you")
        accepted = await client.post(
            "/api/campaign-invites/accept", headers=bearer(people[name]), json={"token": token}
        )
        assert accepted.status_code == 201, accepted.text
    ids = {
        c["username"]: c["user_id"]
        for c in (await client.get(f"/api/campaigns/{campaign}/collaborators", headers=bearer(people["owner"]))).json()
    }
    editor = await Editor.join(live_server, campaign, people["editor"]["access_token"])
    watcher = await Editor.join(live_server, campaign, people["watcher"]["access_token"])
    await editor.next("snapshot")
    await watcher.next("snapshot")
    await editor.op("from-editor", add_rect("e1"))
    assert (await editor.next("ack"))["client_op_id"] == "from-editor"
    assert (await watcher.next("op"))["client_op_id"] == "from-editor"
    await watcher.op("from-viewer", add_rect("v1"))
    assert (await watcher.next("error"))["code"] == "role-required"
    # Lowering the editor to viewer takes effect on the open socket; removing the watcher closes theirs.
    lowered = await client.patch(
        f"/api/campaigns/{campaign}/collaborators/{ids['editor']}",
        headers=bearer(people["owner"]),
        json={"role": "viewer"},
    )
    assert lowered.status_code == 200, lowered.text
    removed = await client.delete(
        f"/api/campaigns/{campaign}/collaborators/{ids['watcher']}", headers=bearer(people["owner"])
    )
    assert removed.status_code == 204, removed.text
    assert await ended(watcher) == (4403, "access-lost")
    await editor.op("after-lowering", add_rect("late"))
    assert (await editor.next("error"))["code"] == "role-required"
    history = await client.get(f"/api/campaigns/{campaign}/canvas/versions", headers=bearer(people["owner"]))
    assert [e["client_op_id"] for e in history.json()["items"]] == ["from-editor"]
    assert_problem(await client.get(f"/api/campaigns/{campaign}", headers=bearer(people["watcher"])), 404)
    await editor.close()


async def test_a_members_list_pages_through_owned_and_shared_campaigns_in_one_order(
    client: httpx.AsyncClient, mailbox: Mailbox
) -> None:
    people = await _people(client, "mixer", "sharer")
    mixer, sharer = bearer(people["mixer"]), bearer(people["sharer"])
    names = []
    for n in range(6):  # alternate owners, so the two branches interleave in time
        owner = mixer if n % 2 == 0 else sharer
        name = f"{'own' if owner is mixer else 'shared'} {n}"
        created = await client.post(
            "/api/campaigns", headers=owner, json={"name": name, "status": "active" if n < 3 else "draft"}
        )
        assert created.status_code == 201, created.text
        names.append(name)
        if owner is sharer:
            invite = await client.post(
                f"/api/campaigns/{created.json()['id']}/invites",
                headers=sharer,
                json={"email": "mixer@example.com", "role": "viewer"},
            )
            assert invite.status_code == 201, invite.text
            token = await mailbox.token_for("mixer@example.com", "invited you", count=n // 2 + 1)
            accepted = await client.post("/api/campaign-invites/accept", headers=mixer, json={"token": token})
            assert accepted.status_code == 201, accepted.text
    await client.post("/api/campaigns", headers=sharer, json={"name": "not shared"})
    newest_first = list(reversed(names))
    seen = []
    for page in (1, 2, 3, 4):
        body = (await client.get("/api/campaigns", headers=mixer, params={"page": page, "page_size": 2})).json()
        assert body["total"] == 6 and body["total_exact"] is True
        seen += [c["name"] for c in body["items"]]
    assert seen == newest_first
    active = (await client.get("/api/campaigns", headers=mixer, params={"status": "active"})).json()
    assert [c["name"] for c in active["items"]] == ["own 2", "shared 1", "own 0"]
    searched = (await client.get("/api/campaigns", headers=mixer, params={"q": "shared"})).json()
    assert [c["name"] for c in searched["items"]] == ["shared 5", "shared 3", "shared 1"]


async def test_a_mention_notifies_readers_in_app_and_by_email_and_no_one_else(
    client: httpx.AsyncClient, mailbox: Mailbox, settings: Any
) -> None:
    people = await _people(client, "lead", "analyst", "stranger")
    campaign = await _campaign(client, people["lead"])
    sent = await client.post(
        f"/api/campaigns/{campaign}/invites",
        headers=bearer(people["lead"]),
        json={"email": "analyst@example.com", "role": "commenter"},
    )
    token = await mailbox.token_for("analyst@example.com", "invited you")
    assert sent.status_code == 201
    await client.post("/api/campaign-invites/accept", headers=bearer(people["analyst"]), json={"token": token})
    posted = await client.post(
        f"/api/campaigns/{campaign}/comments",
        headers=bearer(people["lead"]),
        json={"body": "@analyst can you check the budget? cc @stranger"},
    )
    assert posted.status_code == 201, posted.text
    analyst_id = (await client.get("/api/users/me", headers=bearer(people["analyst"]))).json()["id"]
    assert posted.json()["mentions"] == [analyst_id]
    inbox = await _wait_unread(client, bearer(people["analyst"]), 1)
    mention = [n for n in inbox["items"] if n["kind"] == "mention"]
    assert mention and mention[0]["data"]["excerpt"].startswith("@analyst")
    assert await mailbox.wait_for("analyst@example.com", "mentioned")
    await asyncio.sleep(0.5)
    assert (await client.get("/api/notifications", headers=bearer(people["stranger"]))).json()["unread_count"] == 0
    assert not mailbox.to("stranger@example.com", "mentioned")


async def test_comment_attachments_are_private_uploads_signed_for_readers_only(clean_db: str, tmp_path: Any) -> None:
    port = free_port()  # uploads go to the app's own URL: it must know it
    settings = make_settings(clean_db, tmp_path, public_base_url=f"http://127.0.0.1:{port}")
    async with serve(create_app(settings), port=port) as base_url, httpx.AsyncClient(base_url=base_url) as client:
        await _attachments_flow(client, Mailbox(Path(settings.mail_outbox_dir)))


async def _attachments_flow(client: httpx.AsyncClient, mailbox: Mailbox) -> None:
    people = await _people(client, "writer", "helper", "outsider")
    writer, helper, outsider = (bearer(people[n]) for n in ("writer", "helper", "outsider"))
    campaign = await _campaign(client, people["writer"])
    sent = await client.post(
        f"/api/campaigns/{campaign}/invites", headers=writer, json={"email": "helper@example.com", "role": "viewer"}
    )
    assert sent.status_code == 201
    mine, _ = await _upload(client, writer, b"%PDF-1.4 brief", content_type="application/pdf", filename="brief.pdf")
    public, _ = await _upload(client, writer, b"%PDF-1.4 open", content_type="application/pdf", visibility="public")
    theirs, _ = await _upload(client, outsider, b"%PDF-1.4 other", content_type="application/pdf")
    for media_id, who in ((mine, writer), (public, writer), (theirs, outsider)):
        assert (await client.post(f"/api/media/{media_id}/complete", headers=who)).status_code == 200
    url = f"/api/campaigns/{campaign}/comments"
    for bad in ([public], [theirs], [str(uuid.uuid4())]):
        refused = await client.post(url, headers=writer, json={"body": "see attached", "attachment_ids": bad})
        assert_problem(refused, 422, "attachment-not-allowed")
    posted = await client.post(url, headers=writer, json={"body": "see attached", "attachment_ids": [mine, mine]})
    assert posted.status_code == 201, posted.text
    assert posted.json()["attachment_ids"] == [mine]
    link = f"{url}/{posted.json()['id']}/attachments/{mine}"
    own = await client.get(link, headers=writer)
    assert own.status_code == 200 and own.json()["download_url"], own.text
    assert_problem(await client.get(link, headers=helper), 404)  # not a reader yet
    token = await mailbox.token_for("helper@example.com", "invited you")
    assert (await client.post("/api/campaign-invites/accept", headers=helper, json={"token": token})).status_code == 201
    shared = await client.get(link, headers=helper)
    assert shared.status_code == 200 and shared.json()["download_url"], shared.text
    downloaded = await client.get(shared.json()["download_url"])
    assert downloaded.status_code == 200 and downloaded.content == b"%PDF-1.4 brief"
    assert_problem(await client.get(link, headers=outsider), 404, "campaign-not-found")
    assert_problem(await client.get(f"{url}/{posted.json()['id']}/attachments/{theirs}", headers=helper), 404)
    listed = (await client.get(url, headers=helper)).json()["items"]
    assert listed[0]["attachment_ids"] == [mine]
    # Deleting the comment takes its attachments off it.
    assert (await client.delete(f"{url}/{posted.json()['id']}", headers=writer)).status_code == 204
    assert_problem(await client.get(link, headers=writer), 404, "attachment-not-found")
