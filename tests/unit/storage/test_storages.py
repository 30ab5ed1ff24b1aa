"""Source and target storages on local folders and fsspec's memory file system (the emulators' suite in
tests/integration/test_storage_sync.py runs the same scenarios on S3, GCS and Azure)."""

from __future__ import annotations

import json
import math
import os
import signal
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

import labelnb as lnb
from labelnb.storage.location import Location, StorageError
from labelnb.storage.media import MediaError
from labelnb.storage.sync import push_tasks

IMAGE = '<View><Image name="image" value="$image"/><Choices name="c" toName="image"><Choice value="cat"/></Choices></View>'
TWO_KEYS = '<View><Image name="image" value="$image"/><Text name="t" value="$caption"/></View>'
ANSWER = [{"from_name": "c", "to_name": "image", "type": "choices", "value": {"choices": ["cat"]}}]


def put(folder: Path, key: str, data: bytes | str) -> Path:
    path = folder / key
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data.encode() if isinstance(data, str) else data)
    return path


@pytest.fixture
def images(tmp_path: Path) -> Path:
    folder = tmp_path / "bucket"
    for key in ("a.jpg", "b.jpg", "notes.txt", "sub/c.jpg", "sub/deeper/d.jpg"):
        put(folder, key, key)
    return folder


@pytest.fixture
def project(tmp_path: Path) -> lnb.Project:
    return lnb.Project.create(tmp_path / "p", IMAGE)


def image_values(project: lnb.Project) -> list[str]:
    return sorted(t["data"]["image"] for t in project.store.iter_export_tasks())


def test_files_mode_imports_each_object_once_with_filter_and_depth(
    project: lnb.Project, images: Path
) -> None:
    project.add_storage("flat", images, regex_filter=r".*\.jpg$")
    report = project.sync("flat")
    assert sorted(report.added) == ["a.jpg", "b.jpg"]
    assert report.tasks_created == 2
    assert image_values(project) == [str(images / "a.jpg"), str(images / "b.jpg")]
    # the second sync finds nothing new
    again = project.sync("flat")
    assert (again.added, again.tasks_created, again.listed) == ([], 0, 2)
    assert len(project) == 2

    project.add_storage("deep", images / "sub", recursive=True)
    deep = project.sync("deep")
    assert sorted(deep.added) == ["c.jpg", "deeper/d.jpg"]
    assert len(project) == 4


def test_the_regex_is_anchored_at_the_start_of_the_key_as_in_label_studio(
    project: lnb.Project, images: Path
) -> None:
    project.add_storage("s", images, recursive=True, regex_filter=r"sub/")
    assert sorted(project.sync("s").added) == ["sub/c.jpg", "sub/deeper/d.jpg"]  # not "a.jpg"


def test_changed_vanished_and_returned_objects_are_reported_and_kept(
    project: lnb.Project, images: Path
) -> None:
    project.add_storage("s", images, regex_filter=r".*\.jpg$")
    project.sync("s")
    before = list(project.store.iter_export_tasks())
    put(images, "a.jpg", "other bytes")
    os.utime(images / "a.jpg", (1, 1))  # a new mtime even on a coarse clock
    os.remove(images / "b.jpg")
    put(images, "e.jpg", "new")
    report = project.sync("s")
    assert (report.added, report.changed, report.vanished) == (["e.jpg"], ["a.jpg"], ["b.jpg"])
    # Label Studio's rule stands: the tasks of changed or vanished objects are not touched
    assert [t["data"] for t in project.store.iter_export_tasks()][:2] == [t["data"] for t in before]
    states = project.storages.objects("s").set_index("key")["state"].to_dict()
    assert states == {"a.jpg": "changed", "b.jpg": "vanished", "e.jpg": "present"}
    # nothing moved since: nothing to report twice
    quiet = project.sync("s")
    assert (quiet.added, quiet.changed, quiet.vanished, quiet.returned) == ([], [], [], [])
    put(images, "b.jpg", "b.jpg")
    back = project.sync("s")
    assert back.returned == ["b.jpg"]
    assert back.added == []
    assert len(project) == 3
    summary = project.storages.frame().set_index("name").loc["s"]
    assert summary["status"] == "completed"
    assert summary["vanished"] == 0


def test_tasks_mode_reads_json_and_jsonl_and_names_bad_files(tmp_path: Path, project: lnb.Project) -> None:
    folder = tmp_path / "tasks"
    put(folder, "one.json", json.dumps({"data": {"image": "x1.jpg"}}))
    put(folder, "list.json", json.dumps([{"image": "x2.jpg"}, {"data": {"image": "x3.jpg"}, "annotations": [
        {"result": ANSWER, "completed_by": {"email": "ann@example.org"}}]}]))  # fmt: skip
    put(folder, "lines.jsonl", '{"data": {"image": "x4.jpg"}}\n{"data": {"image": "x5.jpg"}}\n')
    put(folder, "broken.json", '[{"data": {"image": "x6.jpg"}}, {"data": ')
    put(folder, "wrong.json", json.dumps({"data": {"picture": "x7.jpg"}}))
    put(folder, "readme.md", "not tasks")
    project.add_storage("t", folder, mode="tasks")
    report = project.sync("t")
    assert sorted(report.added) == ["lines.jsonl", "list.json", "one.json"]
    assert report.tasks_created == 5
    assert report.status == "completed_with_errors"
    assert set(report.errors) == {"broken.json", "wrong.json", "readme.md"}
    assert "broken.json" in report.errors["broken.json"]
    assert "image" in report.errors["wrong.json"]  # names the missing data key
    assert ".json and .jsonl" in report.errors["readme.md"]
    assert project.stats()["annotations"] == 1
    # fixed files come in at the next sync; the good ones are not imported again
    put(folder, "broken.json", '[{"data": {"image": "x6.jpg"}}]')
    fixed = project.sync("t")
    assert fixed.added == ["broken.json"]
    assert sorted(fixed.errors) == ["readme.md", "wrong.json"]
    assert len(project) == 6
    links = project.storages.objects("t").set_index("key")["task_ids"].to_dict()
    assert [len(links[k]) for k in ("list.json", "lines.jsonl", "one.json", "broken.json")] == [2, 2, 1, 1]


def test_files_mode_needs_to_know_the_data_key(tmp_path: Path, images: Path) -> None:
    project = lnb.Project.create(tmp_path / "two", TWO_KEYS)
    with pytest.raises(StorageError, match="2 data keys"):
        project.add_storage("s", images)
    with pytest.raises(StorageError, match="not a data key"):
        project.add_storage("s", images, data_key="nope")
    project.add_storage("s", images, data_key="image", regex_filter=r"a\.jpg")
    project.sync("s")
    assert [t["data"] for t in project.store.iter_export_tasks()] == [{"image": str(images / "a.jpg")}]
    assert project.storages.records()[0].name == "s"  # the refused ones left nothing behind


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("simplecache::s3://b/p/", "chained"),
        ("s3://AKIAEXAMPLE:supersecret@bucket/p/", "credentials never go in a storage URL"),
        ("https://example.org/images/", "not https://"),
        ("s3://bucket/../other/", "'..'"),
        ("s3://", "name a bucket"),
        ("s3://bucket/p/?versionId=1", "no query"),
        ("", "needs a folder or a URL"),
        ("file://relative/x", "absolute"),
    ],
)
def test_bad_locations_are_refused_by_name(project: lnb.Project, url: str, message: str) -> None:
    with pytest.raises(StorageError, match=message) as caught:
        project.add_storage("s", url)
    assert "supersecret" not in str(caught.value)
    assert project.storages.records() == []


@pytest.mark.parametrize(
    ("settings", "message"),
    [
        ({"regex_filter": "(unclosed"}, "not a regular expression"),
        ({"recursive": "yes"}, "recursive must be True or False"),
        ({"mode": "objects"}, "mode must be"),
        ({"presign_ttl": math.nan}, "presign_ttl"),
        ({"presign_ttl": math.inf}, "presign_ttl"),
        ({"presign_ttl": -1}, "presign_ttl"),
        ({"presign_ttl": True}, "presign_ttl"),
        ({"bucket_owner": "me"}, "unknown storage setting"),
    ],
)
def test_bad_settings_are_refused_by_name(
    project: lnb.Project, images: Path, settings: dict, message: str
) -> None:
    with pytest.raises(StorageError, match=message):
        project.add_storage("s", images, **settings)
    assert project.storages.records() == []


def test_names_are_checked_and_unique(project: lnb.Project, images: Path) -> None:
    project.add_storage("s", images)
    with pytest.raises(StorageError, match="already has a storage called 's'"):
        project.add_storage("s", images)
    with pytest.raises(StorageError, match="storage name"):
        project.add_storage("../x", images)
    with pytest.raises(StorageError, match="no storage called 'nope'; the project's storages: s"):
        project.sync("nope")
    with pytest.raises(StorageError, match="no such folder"):
        project.add_storage("gone", images / "missing")


def test_a_source_allows_its_folder_for_media_and_nothing_beside_it(
    tmp_path: Path, project: lnb.Project
) -> None:
    inside = put(tmp_path / "media" / "allowed", "a.png", b"\x89PNG inside")
    beside = put(tmp_path / "media" / "secret", "b.png", b"\x89PNG beside")
    session = project.session("u")
    with pytest.raises(MediaError):
        session.read_media(str(inside))
    project.add_storage("s", inside.parent)
    session = project.session("u")
    assert session.read_media(str(inside)) == (b"\x89PNG inside", "image/png")
    with pytest.raises(MediaError, match="allowed roots"):
        session.read_media(str(beside))
    with pytest.raises(MediaError, match="allowed roots"):
        session.read_media(str(inside.parent / ".." / "secret" / "b.png"))


def test_memory_buckets_are_allowed_by_prefix_only(project: lnb.Project) -> None:
    import fsspec

    fs = fsspec.filesystem("memory")
    fs.pipe("/lnb-media/images/a.png", b"\x89PNG a")
    fs.pipe("/lnb-media/private/b.png", b"\x89PNG b")
    project.add_storage("m", "memory://lnb-media/images/")
    assert project.sync("m").added == ["a.png"]
    session = project.session("u")
    task = project.store.get_task(1)
    assert task is not None
    assert task["data"]["image"] == "memory://lnb-media/images/a.png"
    assert session.read_media("memory://lnb-media/images/a.png")[0] == b"\x89PNG a"
    with pytest.raises(MediaError, match="only where you allowed it"):
        session.read_media("memory://lnb-media/private/b.png")


def test_a_target_gets_each_answer_as_a_job_and_a_full_sync(
    tmp_path: Path, project: lnb.Project, images: Path
) -> None:
    project.add_storage("s", images, regex_filter=r".*\.jpg$")
    project.sync("s")
    project.add_storage("out", tmp_path / "out", role="target")
    project.submit(1, ANSWER, user="ann@example.org")
    job = project.job(int(project.jobs()["id"].iloc[-1]))
    job.wait()
    assert job.status == "done"
    stored = json.loads((tmp_path / "out" / "1.json").read_text())
    assert stored["data"] == {"image": str(images / "a.jpg")}
    assert [a["result"][0]["value"] for a in stored["annotations"]] == [{"choices": ["cat"]}]
    assert not (tmp_path / "out" / "2.json").exists()
    # a full sync writes every annotated task again (here after the files were lost)
    (tmp_path / "out" / "1.json").unlink()
    project.submit(2, ANSWER, user="ann@example.org")
    project.job(int(project.jobs()["id"].iloc[-1])).wait()
    report = project.sync("out")
    assert report.exported == 2
    assert sorted(os.listdir(tmp_path / "out")) == ["1.json", "2.json"]
    assert project.storages.frame().set_index("name").loc["out"]["exported"] == 2


def test_roles_are_kept_apart(tmp_path: Path, project: lnb.Project, images: Path) -> None:
    with pytest.raises(StorageError, match="a target storage takes no mode"):
        project.add_storage("out", tmp_path / "out", role="target", mode="tasks")
    with pytest.raises(StorageError, match="role is 'source' or 'target'"):
        project.add_storage("x", images, role="both")  # type: ignore[arg-type]
    record = project.add_storage("s", images)
    with pytest.raises(StorageError, match="is a source"):
        push_tasks(project.store, record, Location.parse(record.url), [1])


def test_credentials_never_reach_the_store_a_repr_or_an_error(tmp_path: Path, project: lnb.Project) -> None:
    secret = "wJalrXUtnFEMI-K7MDENG-bPxRfiCYEXAMPLEKEY"
    options = {"key": "AKIAIOSFODNN7EXAMPLE", "secret": secret, "endpoint_url": "http://127.0.0.1:9"}
    record = project.add_storage("s3", "s3://lnb-bucket/images/", storage_options=options)
    for shown in (repr(record), repr(project.storages), repr(Location.parse(record.url, options)),
                  project.storages.frame().to_string()):  # fmt: skip
        assert secret not in shown
    with pytest.raises(StorageError) as caught:
        project.sync("s3")  # nothing answers on port 9
    assert secret not in str(caught.value)
    assert "lnb-bucket" in str(caught.value)
    project.close()
    for path in (tmp_path / "p").iterdir():
        assert secret.encode() not in path.read_bytes(), path


def test_an_interrupted_sync_goes_on_without_duplicates(tmp_path: Path) -> None:
    folder = tmp_path / "many"
    for i in range(1200):
        put(folder, f"{i:05d}.jpg", str(i))
    lnb.Project.create(tmp_path / "p", IMAGE).add_storage("s", folder)
    # a process that syncs in batches of 100 and is killed (SIGKILL: no clean-up at all) after 5 of them
    script = textwrap.dedent(
        f"""
        import os, signal
        import labelnb as lnb
        from labelnb.storage import sync
        sync.SYNC_BATCH = 100
        project = lnb.Project.open({str(tmp_path / "p")!r})
        def progress(done, total):
            if done >= 500:
                os.kill(os.getpid(), signal.SIGKILL)
        project.storages.sync("s", user="u", progress=progress)
        """
    )
    run = subprocess.run([sys.executable, "-c", script], capture_output=True, timeout=120)
    assert run.returncode == -signal.SIGKILL, run.stderr.decode()
    project = lnb.Project.open(tmp_path / "p")
    assert len(project) == 500
    report = project.sync("s")
    assert len(report.added) == 700
    values = image_values(project)
    assert len(values) == len(set(values)) == 1200


@pytest.mark.parametrize(
    ("url", "canonical"),
    [
        ("abfs://container/labels", "az://container/labels/"),
        ("abfss://container/a/b/", "az://container/a/b/"),
        ("gcs://bucket//images/", "gs://bucket/images/"),
        ("s3a://bucket", "s3://bucket/"),
        ("S3://bucket/x/", "s3://bucket/x/"),
    ],
)
def test_fsspec_aliases_are_one_location(url: str, canonical: str) -> None:
    location = Location.parse(url)
    assert location.url == canonical
    assert location.root == canonical.split("://", 1)[1].rstrip("/")
