"""Sync of N objects from moto's S3 server: objects per second, against a plain fsspec listing of the same
bucket in the same run.

moto's server runs in a process of its own (so it does not share this one's interpreter lock), with N
small objects put straight into its in-memory back end. This process then lists the bucket with s3fs
(``find(..., detail=True)``, a fresh filesystem each time: the baseline, what any tool that reads the
bucket pays) and syncs a new project's files-mode source storage from it (the listing, the comparison
with what was seen before, N tasks and N object rows written). Goal: the sync takes at most 1.5x the
listing's time.

    .venv/bin/python benchmarks/bench_sync.py --objects 100000
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from common import record

SERVER = """
import logging, sys
logging.disable(logging.CRITICAL)
from moto.core import DEFAULT_ACCOUNT_ID
from moto.s3.models import s3_backends
from moto.server import ThreadedMotoServer
server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
server.start()
backend = s3_backends[DEFAULT_ACCOUNT_ID]["global"]
backend.create_bucket("bench", "us-east-1")
for i in range({n}):
    backend.put_object("bench", f"images/{{i:07d}}.jpg", b"jpeg bytes")
host, port = server.get_host_and_port()
print(f"http://{{host}}:{{port}}", flush=True)
sys.stdin.read()
"""

CONFIG = '<View><Image name="image" value="$image"/><Choices name="c" toName="image"><Choice value="x"/></Choices></View>'


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--objects", type=int, default=100_000)
    args = parser.parse_args()
    n = args.objects
    os.environ.update(
        AWS_ACCESS_KEY_ID="bench", AWS_SECRET_ACCESS_KEY="bench", AWS_DEFAULT_REGION="us-east-1"
    )
    server = subprocess.Popen(
        [sys.executable, "-c", SERVER.format(n=n)], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True
    )
    try:
        assert server.stdout is not None
        endpoint = server.stdout.readline().strip()
        if not endpoint.startswith("http://"):
            raise SystemExit("moto's server did not start")
        run(n, endpoint)
    finally:
        server.kill()
        server.wait()


def run(n: int, endpoint: str) -> None:
    import s3fs

    import labelnb as lnb

    options = {"endpoint_url": endpoint, "key": "bench", "secret": "bench"}

    def listing() -> float:
        fs = s3fs.S3FileSystem(skip_instance_cache=True, **options)
        start = time.perf_counter()
        found = fs.find("bench/images", detail=True)
        seconds = time.perf_counter() - start
        assert len(found) == n, len(found)
        return seconds

    baseline = listing()
    with tempfile.TemporaryDirectory() as tmp:
        project = lnb.Project.create(Path(tmp) / "p", CONFIG)
        project.add_storage("bucket", "s3://bench/images/", recursive=True, storage_options=options)
        start = time.perf_counter()
        report = project.sync("bucket", progress=False)
        sync_s = time.perf_counter() - start
        assert report.tasks_created == n == len(project), report
        # the second sync lists again and finds nothing new: what a periodic sync costs
        start = time.perf_counter()
        again = project.sync("bucket", progress=False)
        resync_s = time.perf_counter() - start
        assert again.tasks_created == 0
        project.close()
    baseline = min(baseline, listing())  # the faster of two listings, one before and one after
    result = {
        "objects": n,
        "listing_s": round(baseline, 2),
        "sync_s": round(sync_s, 2),
        "resync_s": round(resync_s, 2),
        "sync_objects_per_s": round(n / sync_s),
        "listing_objects_per_s": round(n / baseline),
        "ratio_to_listing": round(sync_s / baseline, 2),
        "resync_ratio_to_listing": round(resync_s / baseline, 2),
    }
    print(result)
    record("sync", result)


if __name__ == "__main__":
    main()
