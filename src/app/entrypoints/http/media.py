"""Media: /api/media/uploads, /api/media/{id}[/complete], and the local-storage signed URL endpoint."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Annotated, Any

import msgspec
from litestar import Request, Response, Router, delete, get, post, put
from litestar.datastructures import State
from litestar.di import NamedDependency, Provide
from litestar.params import FromPath, JSONBody, PathParameter
from litestar.status_codes import HTTP_200_OK, HTTP_204_NO_CONTENT

from app.adapters.local_storage.files import InvalidSignedToken, LocalObjectStorage
from app.core.errors import NotFound
from app.core.filenames import content_disposition
from app.domain.accounts.services import AuthService
from app.domain.kernel import Principal
from app.domain.media.entities import MediaObject, MediaStatus, Visibility
from app.domain.media.errors import DownloadNotAllowed, MediaNotFound, UploadClosed, UploadNotAllowed
from app.domain.media.services import MediaService
from app.entrypoints.http.problems import problem_responses
from app.entrypoints.http.security import OPTIONAL_BEARER_SECURITY, bearer_token

TAGS = ["media"]


class UploadIn(msgspec.Struct, forbid_unknown_fields=True):
    filename: Annotated[str, msgspec.Meta(min_length=1, max_length=255, examples=["floorplan.png"])]
    content_type: Annotated[str, msgspec.Meta(max_length=100, examples=["image/png"])]
    size: Annotated[int, msgspec.Meta(ge=1, le=2**40, description="Exact size in bytes", examples=[482113])]
    visibility: Visibility = Visibility.PRIVATE


class UploadTargetOut(msgspec.Struct):
    method: str
    url: str
    fields: dict[str, str]
    headers: dict[str, str]
    expires_at: datetime | None


class MediaOut(msgspec.Struct):
    id: uuid.UUID
    owner_id: uuid.UUID
    filename: str
    content_type: str
    visibility: Visibility
    status: MediaStatus
    size: int | None
    width: int | None
    height: int | None
    has_thumbnail: bool
    rejection_reason: str
    created_at: datetime | None
    download_url: str | None = None
    thumbnail_url: str | None = None


class UploadOut(msgspec.Struct):
    media: MediaOut
    upload: UploadTargetOut


def media_out(m: MediaObject, download_url: str | None = None, thumbnail_url: str | None = None) -> MediaOut:
    return MediaOut(
        id=m.id,
        owner_id=m.owner_id,
        filename=m.filename,
        content_type=m.content_type,
        visibility=m.visibility,
        status=m.status,
        size=m.size,
        width=m.width,
        height=m.height,
        has_thumbnail=m.thumbnail_key is not None,
        rejection_reason=m.rejection_reason,
        created_at=m.created_at,
        download_url=download_url,
        thumbnail_url=thumbnail_url,
    )


@post(
    "/uploads",
    summary="Start an upload",
    description="Returns where to send the bytes: S3 presigned POST (`fields` + file) or a signed PUT. The target only "
    "accepts the declared type and at most the declared size. Then call POST /api/media/{id}/complete.",
)
async def start_upload(
    data: JSONBody[UploadIn], request: Request[Principal, Any, Any], media: NamedDependency[MediaService]
) -> UploadOut:
    pending = await media.start_upload(
        request.user, filename=data.filename, content_type=data.content_type, size=data.size, visibility=data.visibility
    )
    t = pending.target
    return UploadOut(media_out(pending.media), UploadTargetOut(t.method, t.url, t.fields, t.headers, t.expires_at))


@post(
    "/{media_id:uuid}/complete",
    summary="Confirm an upload",
    description="Checks the stored object: size, type sniffed from its bytes, images decoded safely. "
    "A mismatch is rejected (422) and the object deleted; images get a thumbnail in the background.",
    status_code=HTTP_200_OK,
)
async def complete_upload(
    media_id: FromPath[uuid.UUID], request: Request[Principal, Any, Any], media: NamedDependency[MediaService]
) -> MediaOut:
    return media_out(await media.complete(request.user, media_id))


@get(
    "/{media_id:uuid}",
    summary="A file's details and signed download URL",
    description="Private files: owner only. Public files: anyone (no token needed).",
    security=OPTIONAL_BEARER_SECURITY,
    opt={"exclude_from_auth": True},  # public files are readable anonymously; the principal is optional
)
async def get_media(
    media_id: FromPath[uuid.UUID],
    request: Request[Any, Any, Any],
    media_service: NamedDependency[MediaService],
    auth: NamedDependency[AuthService],
) -> MediaOut:
    principal = await _optional_principal(request, auth)
    media, url, thumb = await media_service.get(principal, media_id)
    return media_out(media, url, thumb)


@delete(
    "/{media_id:uuid}",
    summary="Delete a file",
    status_code=HTTP_204_NO_CONTENT,
)
async def delete_media(
    media_id: FromPath[uuid.UUID], request: Request[Principal, Any, Any], media: NamedDependency[MediaService]
) -> None:
    await media.delete(request.user, media_id)


async def _optional_principal(request: Request[Any, Any, Any], auth: AuthService) -> Principal | None:
    token = bearer_token(request)
    if token is None:
        return None
    principal, _ = await auth.authenticate(token)
    return principal


def local_storage_provider(state: State) -> LocalObjectStorage:
    """The signed local URLs exist only with the local storage backend (S3 serves its own)."""
    storage = state.services.storage
    if not isinstance(storage, LocalObjectStorage):
        raise NotFound("Local media URLs are not served with this storage backend.")
    return storage


SignedToken = Annotated[
    str, PathParameter(max_length=4096, description="Opaque signed token from an upload or download URL")
]


@put(
    "/local/{token:str}",
    summary="Upload bytes to a signed local URL",
    description="Only with the local storage backend; the token comes from POST /api/media/uploads.",
    opt={"exclude_from_auth": True},  # the signed token is the authorisation
    status_code=HTTP_204_NO_CONTENT,
    request_max_body_size=100 * 1024 * 1024,
    responses=problem_responses(403),
)
async def local_upload(
    token: SignedToken,
    request: Request[Any, Any, Any],
    media_service: NamedDependency[MediaService],
    local: NamedDependency[LocalObjectStorage],
) -> None:
    try:
        claims = local.verify(token, operation="put")
    except (InvalidSignedToken, ValueError) as exc:
        raise UploadNotAllowed(f"This upload URL is not valid ({exc}).") from exc
    if not await media_service.accepts_upload(claims["key"]):
        raise UploadClosed("This upload is complete or gone; its URL no longer accepts bytes.")
    if request.headers.get("content-type", "").split(";")[0].strip() != claims["ct"]:
        raise UploadNotAllowed(f"This URL accepts only Content-Type {claims['ct']}.")
    body = bytearray()
    async for chunk in request.stream():
        body.extend(chunk)
        if len(body) > claims["max"]:
            raise UploadNotAllowed(f"This URL accepts at most {claims['max']} bytes.")
    await local.put(claims["key"], bytes(body), content_type=claims["ct"])


@get(
    "/local/{token:str}",
    summary="Download from a signed local URL",
    opt={"exclude_from_auth": True},
    responses=problem_responses(403),
)
async def local_download(token: SignedToken, local: NamedDependency[LocalObjectStorage]) -> Response[bytes]:
    try:
        claims = local.verify(token, operation="get")
    except (InvalidSignedToken, ValueError) as exc:
        raise DownloadNotAllowed(f"This download URL is not valid ({exc}).") from exc
    try:
        data = await local.get(claims["key"])
        info = await local.head(claims["key"])
    except LookupError as exc:
        raise MediaNotFound() from exc
    headers = {"Cache-Control": "private, max-age=300", "X-Content-Type-Options": "nosniff"}
    if claims.get("fn"):
        headers["Content-Disposition"] = content_disposition(claims["fn"])
    return Response(data, media_type=info.content_type, headers=headers)


def create_router() -> Router:
    return Router(
        path="/api/media",
        tags=TAGS,
        dependencies={"local": Provide(local_storage_provider, sync_to_thread=False)},
        route_handlers=[start_upload, complete_upload, get_media, delete_media, local_upload, local_download],
    )
