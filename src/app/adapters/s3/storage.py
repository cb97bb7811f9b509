"""S3 object storage via aioboto3: presigned POST uploads with type/size conditions, presigned GETs."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import aioboto3
from botocore.config import Config
from botocore.exceptions import ClientError

from app.core.filenames import content_disposition
from app.domain.media.ports import ObjectInfo, ObjectNotFound, UploadTarget


class S3ObjectStorage:
    def __init__(self, *, bucket: str, region: str, endpoint_url: str | None = None) -> None:
        self._session = aioboto3.Session()
        self._bucket = bucket
        self._region = region
        self._endpoint_url = endpoint_url or None
        self._config = Config(signature_version="s3v4", s3={"addressing_style": "path" if endpoint_url else "auto"})

    def _client(self):  # noqa: ANN202 - aioboto3 client context manager
        return self._session.client(
            "s3", region_name=self._region, endpoint_url=self._endpoint_url, config=self._config
        )

    async def put(self, key: str, data: bytes, *, content_type: str) -> None:
        async with self._client() as s3:
            await s3.put_object(Bucket=self._bucket, Key=key, Body=data, ContentType=content_type)

    async def get(self, key: str) -> bytes:
        async with self._client() as s3:
            try:
                response = await s3.get_object(Bucket=self._bucket, Key=key)
            except ClientError as exc:
                if exc.response.get("Error", {}).get("Code") in {"NoSuchKey", "404"}:
                    raise ObjectNotFound(key) from exc
                raise
            async with response["Body"] as body:
                return await body.read()

    async def head(self, key: str) -> ObjectInfo:
        async with self._client() as s3:
            try:
                response = await s3.head_object(Bucket=self._bucket, Key=key)
            except ClientError as exc:
                if exc.response.get("Error", {}).get("Code") in {"NoSuchKey", "404", "NotFound"}:
                    raise ObjectNotFound(key) from exc
                raise
        return ObjectInfo(size=int(response["ContentLength"]), content_type=response.get("ContentType", ""))

    async def delete(self, key: str) -> None:
        async with self._client() as s3:
            await s3.delete_object(Bucket=self._bucket, Key=key)

    async def upload_target(self, key: str, *, content_type: str, max_bytes: int, expires_in: int) -> UploadTarget:
        async with self._client() as s3:
            post = await s3.generate_presigned_post(
                Bucket=self._bucket,
                Key=key,
                Fields={"Content-Type": content_type},
                # S3 itself refuses other types and bigger bodies: the limit does not rely on the client.
                Conditions=[{"Content-Type": content_type}, ["content-length-range", 1, max_bytes]],
                ExpiresIn=expires_in,
            )
        return UploadTarget(
            method="POST",
            url=post["url"],
            fields=post["fields"],
            expires_at=datetime.now(UTC) + timedelta(seconds=expires_in),
        )

    async def download_url(self, key: str, *, expires_in: int, filename: str | None = None) -> str:
        params = {"Bucket": self._bucket, "Key": key}
        if filename:
            params["ResponseContentDisposition"] = content_disposition(filename)
        async with self._client() as s3:
            return await s3.generate_presigned_url("get_object", Params=params, ExpiresIn=expires_in)

    async def ensure_bucket(self) -> None:
        """For local/dev setups (moto, MinIO): create the bucket if it is missing."""
        async with self._client() as s3:
            try:
                await s3.head_bucket(Bucket=self._bucket)
            except ClientError:
                kwargs = (
                    {}
                    if self._region == "us-east-1"
                    else {"CreateBucketConfiguration": {"LocationConstraint": self._region}}
                )
                await s3.create_bucket(Bucket=self._bucket, **kwargs)
