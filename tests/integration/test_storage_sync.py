"""One storage suite, run on a local folder and on real emulators of S3 (moto), GCS and Azure (Azurite).

Every test gets a fresh bucket of each kind (the ``bucket`` fixture of conftest.py).
"""

from __future__ import annotations

import json
import logging
import urllib.request
from pathlib import Path

import pytest

import labelnb as lnb
from labelnb.storage.location import StorageError
from labelnb.storage.media import MediaError
from tests.integration.cloud import Bucket, fsspec_configured

IMAGE = '<View><Image name="image" value="$image"/><Choices name="c" toName="image"><Choice value="cat"/></Choices></View>'
ANSWER = [{"from_name": "c", "to_name": "image", "type": "choices", "value": {"choices": ["cat"]}}]
PNG = b"\x89PNG\r\n\x1a\n" + b"\0" * 24


def new_project(tmp_path: Path) -> lnb.Project:
    return lnb.Project.create(tmp_path / "p", IMAGE)


def object_value(bucket: Bucket, key: str) -> str:
    return bucket.url(key)


def test_files_mode_sync_adds_new_objects_and_reports_changes(tmp_path: Path, bucket: Bucket) -> None:
    for key in ("images/a.png", "images/b.png", "images/readme.txt", "images/sub/c.png", "other/d.png"):
        bucket.put(key, PNG + key.encode())
    project = new_project(tmp_path)
    project.add_storage(
        "src", bucket.url("images/"), regex_filter=r".*\.png$", storage_options=bucket.options
    )
    first = project.sync("src")
    assert first.added == ["a.png", "b.png"]  # not the sub-folder: recursive is off
    assert sorted(t["data"]["image"] for t in project.store.iter_export_tasks()) == [
        object_value(bucket, "images/a.png"),
        object_value(bucket, "images/b.png"),
    ]
    assert project.sync("src").added == []

    # same length, other bytes: the ETag / md5 / mtime moves
    bucket.put("images/a.png", PNG + b"images/A.png")
    bucket.remove("images/b.png")
    bucket.put("images/e.png", PNG)
    report = project.sync("src")
    assert (report.added, report.changed, report.vanished) == (["e.png"], ["a.png"], ["b.png"])
    assert len(project) == 3

    project.add_storage(
        "deep", bucket.url("images/"), recursive=True, regex_filter=r"sub/", storage_options=bucket.options
    )
    assert project.sync("deep").added == ["sub/c.png"]


def test_tasks_mode_reads_task_files(tmp_path: Path, bucket: Bucket) -> None:
    bucket.put("tasks/a.json", json.dumps([{"image": "x1.png"}, {"data": {"image": "x2.png"}}]))
    bucket.put("tasks/b.jsonl", '{"data": {"image": "x3.png"}}\n')
    bucket.put("tasks/c.json", "{not json")
    project = new_project(tmp_path)
    project.add_storage("tasks", bucket.url("tasks/"), mode="tasks", storage_options=bucket.options)
    report = project.sync("tasks")
    assert report.added == ["a.json", "b.jsonl"]
    assert report.tasks_created == 3
    assert list(report.errors) == ["c.json"]
    assert bucket.url("tasks/c.json") in report.errors["c.json"]
    bucket.put("tasks/c.json", '{"data": {"image": "x4.png"}}')
    assert project.sync("tasks").added == ["c.json"]
    assert sorted(t["data"]["image"] for t in project.store.iter_export_tasks()) == [
        "x1.png", "x2.png", "x3.png", "x4.png"
    ]  # fmt: skip


def test_media_of_a_source_reach_the_session_and_nothing_else_does(tmp_path: Path, bucket: Bucket) -> None:
    bucket.put("images/a.png", PNG + b"a")
    bucket.put("private/secret.png", PNG + b"secret")
    project = new_project(tmp_path)
    project.add_storage("src", bucket.url("images/"), storage_options=bucket.options)
    project.sync("src")
    session = project.session("ann@example.org")
    value = project.store.iter_export_tasks().__next__()["data"]["image"]
    assert session.read_media(value) == (PNG + b"a", "image/png")
    with pytest.raises(MediaError):
        session.read_media(bucket.url("private/secret.png"))
    with pytest.raises(MediaError):
        session.read_media(bucket.url("images/../private/secret.png"))


def test_fsspec_configuration_is_enough(tmp_path: Path, bucket: Bucket) -> None:
    """No storage_options at all: credentials and endpoints come from fsspec's configuration."""
    bucket.put("images/a.png", PNG)
    project = new_project(tmp_path)
    with fsspec_configured(bucket):
        project.add_storage("src", bucket.url("images/"))
        assert project.sync("src").added == ["a.png"]
        reopened = lnb.Project.open(tmp_path / "p")  # a new kernel: nothing was kept but the location
        bucket.put("images/b.png", PNG + b"b")
        assert reopened.sync("src").added == ["b.png"]
        session = reopened.session("u")
        assert session.read_media(bucket.url("images/b.png"))[0] == PNG + b"b"


def test_a_target_receives_answers_and_a_full_resync(tmp_path: Path, bucket: Bucket) -> None:
    project = new_project(tmp_path)
    project.import_tasks([{"image": "a.png"}, {"image": "b.png"}, {"image": "c.png"}])
    project.add_storage("out", bucket.url("labels/"), role="target", storage_options=bucket.options)
    project.submit(1, ANSWER, user="ann@example.org")
    job = project.job(int(project.jobs()["id"].iloc[-1]))
    job.wait()
    assert job.status == "done", job.error
    assert bucket.listing() == ["labels/1.json"]
    document = json.loads(bucket.read("labels/1.json"))
    assert document["data"] == {"image": "a.png"}
    assert document["annotations"][0]["result"][0]["value"] == {"choices": ["cat"]}
    project.submit(3, ANSWER, user="ann@example.org")
    project.job(int(project.jobs()["id"].iloc[-1])).wait()
    bucket.remove("labels/1.json")
    assert project.sync("out").exported == 2
    assert bucket.listing() == ["labels/1.json", "labels/3.json"]


def test_presigned_urls_when_asked(tmp_path: Path, bucket: Bucket, caplog: pytest.LogCaptureFixture) -> None:
    bucket.put("images/a.png", PNG + b"signed")
    project = new_project(tmp_path)
    project.add_storage(
        "src", bucket.url("images/"), presign=True, presign_ttl=5, storage_options=bucket.options
    )
    project.sync("src")
    session = project.session("u")
    data = {"image": bucket.url("images/a.png")}
    with caplog.at_level(logging.WARNING, logger="labelnb.session"):
        served = session.served_data(data)
    if bucket.kind in ("s3", "az"):
        assert served["image"].startswith("http://127.0.0.1:")
        assert served["image"] != data["image"]
        if bucket.kind == "s3":  # Signature Version 4, not botocore's default version 2 for presigning
            assert "X-Amz-Algorithm=AWS4-HMAC-SHA256" in served["image"]
            assert "AWSAccessKeyId=" not in served["image"]
        assert session.media_values(served) == []  # the browser loads it; the kernel sends nothing
        with urllib.request.urlopen(served["image"], timeout=10) as answer:
            assert answer.read() == PNG + b"signed"
    else:
        # local folders have no URLs to sign; GCS signs only with a service-account key, which the
        # emulator's anonymous access has not: the kernel sends the bytes instead, and says why
        assert served == data
        assert session.media_values(served) == [data["image"]]
        if bucket.kind == "gs":
            assert "cannot presign" in caplog.text


def test_failures_name_the_storage_and_never_a_credential(tmp_path: Path, bucket: Bucket) -> None:
    """Azurite checks the account key, so a wrong one fails there; elsewhere (moto and the anonymous GCS
    emulator take any credentials) a missing bucket fails, with the secret in the options all the same."""
    secret = "Zm9yLWEtdGVzdC1vbmx5LW5vdC1hLXJlYWwta2V5LXNvcnJ5ISE="
    bucket.put("images/a.png", PNG)
    root = bucket.url("images/")
    if bucket.kind == "az":
        real = bucket.options["connection_string"].split("AccountKey=")[1].split(";")[0]
        options = {"connection_string": bucket.options["connection_string"].replace(real, secret)}
    elif bucket.kind == "local":
        (tmp_path / "gone").mkdir()
        options, root = {"password": secret}, str(tmp_path / "gone") + "/"
    else:
        # S3: a secret key moto does not check; GCS: an option gcsfs refuses, whose value it names
        options = {**bucket.options, "secret" if bucket.kind == "s3" else "session_token": secret}
        root = bucket.url("images/").replace("lnb-", "lnb-gone-")
    project = new_project(tmp_path)
    project.add_storage("src", root, storage_options=options)
    if bucket.kind == "local":
        (tmp_path / "gone").rmdir()
    with pytest.raises(StorageError) as caught:
        project.sync("src")
    assert secret not in str(caught.value)
    assert root.rstrip("/").split("/")[-2] in str(caught.value)
    assert secret not in repr(project.storages.records())
    project.close()
    for path in (tmp_path / "p").iterdir():
        assert secret.encode() not in path.read_bytes()
