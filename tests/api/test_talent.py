"""DiceyTech: project capacity under concurrent joins, private resumes, application workflow, filters."""

from __future__ import annotations

import asyncio

import httpx

from app.entrypoints.app import create_app
from tests.api.test_media import _upload
from tests.conftest import make_settings
from tests.support.api import assert_problem, bearer, login, register
from tests.support.database import query
from tests.support.servers import free_port, serve


async def _people(client, *names):
    people = {}
    for name in names:
        await register(client, name)
        people[name] = bearer(await login(client, name))
    return people


async def test_capacity_is_never_exceeded_under_concurrent_joins(client, settings):
    names = [f"hacker{i}" for i in range(12)]
    people = await _people(client, "organizer", *names)
    project = (
        await client.post(
            "/api/projects",
            headers=people["organizer"],
            json={
                "title": "Climate hack",
                "project_type": "hackathon",
                "difficulty": "intermediate",
                "category": "Climate",
                "technologies": ["Python", "Postgres"],
                "max_participants": 5,
                "prize": "$1,000",
            },
        )
    ).json()
    responses = await asyncio.gather(
        *(client.post(f"/api/projects/{project['id']}/join", headers=people[n]) for n in names)
    )
    assert sorted(r.status_code for r in responses) == [200] * 5 + [409] * 7
    assert all(r.json()["code"] == "project-full" for r in responses if r.status_code == 409)
    assert query(
        settings.database_url,
        "SELECT count(*), max(p.participant_count) FROM project_participants pp JOIN projects p ON p.id = pp.project_id",
    ) == [(5, 5)]
    joined = next(n for n, r in zip(names, responses, strict=False) if r.status_code == 200)
    assert (await client.delete(f"/api/projects/{project['id']}/join", headers=people[joined])).status_code == 204
    late = next(n for n, r in zip(names, responses, strict=False) if r.status_code == 409)
    assert (await client.post(f"/api/projects/{project['id']}/join", headers=people[late])).json()[
        "participant_count"
    ] == 5
    listed = (
        await client.get(
            "/api/projects",
            headers=people[late],
            params={"project_type": "hackathon", "technology": "python", "category": "climate"},
        )
    ).json()
    assert listed["total"] == 1


async def test_resume_is_readable_by_poster_and_applicant_only(clean_db, tmp_path):
    port = free_port()
    settings = make_settings(clean_db, tmp_path, public_base_url=f"http://127.0.0.1:{port}")
    async with serve(create_app(settings), port=port) as base_url, httpx.AsyncClient(base_url=base_url) as client:
        people = await _people(client, "recruiter", "candidate", "snoop")
        job = (
            await client.post(
                "/api/jobs",
                headers=people["recruiter"],
                json={
                    "title": "Python developer",
                    "company": "DiceyTech",
                    "job_type": "full_time",
                    "location_type": "remote",
                    "salary_min": 80000,
                    "salary_max": 120000,
                    "skills": ["Python", "SQL"],
                },
            )
        ).json()
        resume_id, _ = await _upload(
            client, people["candidate"], b"%PDF-1.7 my resume", content_type="application/pdf", filename="cv.pdf"
        )
        assert (await client.post(f"/api/media/{resume_id}/complete", headers=people["candidate"])).status_code == 200
        # Attaching someone else's file is refused.
        assert_problem(
            await client.post(
                f"/api/jobs/{job['id']}/applications", headers=people["snoop"], json={"resume_media_id": resume_id}
            ),
            422,
        )
        application = (
            await client.post(
                f"/api/jobs/{job['id']}/applications",
                headers=people["candidate"],
                json={"cover_letter": "Hi", "resume_media_id": resume_id},
            )
        ).json()
        assert_problem(
            await client.post(f"/api/jobs/{job['id']}/applications", headers=people["candidate"], json={}),
            409,
            "already-applied",
        )

        url = f"/api/applications/{application['id']}/resume"
        for who in ("recruiter", "candidate"):
            signed = (await client.get(url, headers=people[who])).json()["download_url"]
            async with httpx.AsyncClient() as raw:
                assert (await raw.get(signed)).content == b"%PDF-1.7 my resume"
        assert_problem(await client.get(url, headers=people["snoop"]), 404)
        assert_problem(await client.get(f"/api/applications/{application['id']}", headers=people["snoop"]), 404)
        assert_problem(await client.get(f"/api/media/{resume_id}", headers=people["recruiter"]), 404)
        assert_problem(await client.get(f"/api/jobs/{job['id']}/applications", headers=people["snoop"]), 403)
        assert (
            len((await client.get(f"/api/jobs/{job['id']}/applications", headers=people["recruiter"])).json()["items"])
            == 1
        )


async def test_application_status_workflow_and_job_filters(client):
    people = await _people(client, "hiring", "seeker")
    job = (
        await client.post(
            "/api/jobs",
            headers=people["hiring"],
            json={
                "title": "Data intern",
                "company": "Acme",
                "job_type": "internship",
                "location_type": "hybrid",
                "salary_max": 30000,
                "skills": ["sql"],
            },
        )
    ).json()
    await client.post(
        "/api/jobs",
        headers=people["hiring"],
        json={"title": "Ops lead", "company": "Acme", "job_type": "full_time", "location_type": "onsite"},
    )
    assert (
        await client.get("/api/jobs", headers=people["seeker"], params={"job_type": "internship", "skill": "SQL"})
    ).json()["total"] == 1
    assert (await client.get("/api/jobs", headers=people["seeker"], params={"min_salary": 50000})).json()["total"] == 0
    application = (
        await client.post(
            f"/api/jobs/{job['id']}/applications", headers=people["seeker"], json={"cover_letter": "Keen"}
        )
    ).json()
    url = f"/api/applications/{application['id']}/status"
    assert_problem(await client.post(url, headers=people["seeker"], json={"status": "accepted"}), 403)
    assert_problem(
        await client.post(url, headers=people["hiring"], json={"status": "accepted"}), 422, "application-transition"
    )
    for status in ("reviewed", "interviewed", "accepted"):
        assert (await client.post(url, headers=people["hiring"], json={"status": status})).json()["status"] == status
    assert_problem(await client.post(url, headers=people["hiring"], json={"status": "rejected"}), 422)
    mine = (await client.get("/api/applications", headers=people["seeker"])).json()["items"]
    assert [a["status"] for a in mine] == ["accepted"]


async def test_experience_and_education_entries(client):
    people = await _people(client, "grad")
    me = (await client.get("/api/users/me", headers=people["grad"])).json()
    await client.post(
        "/api/users/me/experience",
        headers=people["grad"],
        json={
            "kind": "education",
            "title": "BSc CS",
            "organization": "IIT",
            "start_date": "2019-08-01",
            "end_date": "2023-05-31",
        },
    )
    work = (
        await client.post(
            "/api/users/me/experience",
            headers=people["grad"],
            json={"kind": "work", "title": "Engineer", "organization": "DiceyTech", "start_date": "2023-07-01"},
        )
    ).json()
    assert_problem(
        await client.post(
            "/api/users/me/experience",
            headers=people["grad"],
            json={
                "kind": "work",
                "title": "x",
                "organization": "y",
                "start_date": "2024-01-01",
                "end_date": "2023-01-01",
            },
        ),
        422,
    )
    listed = (await client.get(f"/api/users/{me['id']}/experience", headers=people["grad"])).json()["items"]
    assert [e["organization"] for e in listed] == ["DiceyTech", "IIT"]
    assert (await client.delete(f"/api/users/me/experience/{work['id']}", headers=people["grad"])).status_code == 204


async def test_skills_catalogue_counts_members_jobs_and_projects(client):
    people = await _people(client, "skilled")
    await client.patch("/api/users/me", headers=people["skilled"], json={"skills": ["Python", "Go"]})
    await client.post(
        "/api/jobs",
        headers=people["skilled"],
        json={"title": "x", "company": "y", "job_type": "contract", "location_type": "remote", "skills": ["python"]},
    )
    await client.post(
        "/api/projects",
        headers=people["skilled"],
        json={
            "title": "p",
            "project_type": "project",
            "difficulty": "beginner",
            "category": "web",
            "technologies": ["Python"],
        },
    )
    catalogue = {
        s["skill"]: (s["members"], s["jobs"], s["projects"])
        for s in (await client.get("/api/skills", headers=people["skilled"])).json()["items"]
    }
    assert catalogue == {"python": (1, 1, 1), "go": (1, 0, 0)}
    assert [
        s["skill"]
        for s in (await client.get("/api/skills", headers=people["skilled"], params={"q": "py"})).json()["items"]
    ] == ["python"]
