"""Drives the compose stack through the gateway's public API only (GATEWAY, KEY from the environment):
a Fashion-MNIST training to SUCCEEDED, a classification with the model it published, a two-trial tuning study.
Writes STUDY_ID and STUDY_RUNS to the file named by argv[1] for the PostgreSQL check in deploy/containers/test."""
import gzip
import json
import os
import struct
import sys
import time
import urllib.error
import urllib.request
import zlib

GATEWAY, KEY = os.environ["GATEWAY"], os.environ["KEY"]
DATA = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "data", "fashion-mnist")
MODEL_ID = "ctest-fashion"


def call(method, path, body=None, content_type="application/json"):
    data = json.dumps(body).encode() if isinstance(body, dict) else body
    req = urllib.request.Request(GATEWAY + path, data=data, method=method,
                                 headers={"Authorization": "Bearer " + KEY, "Content-Type": content_type})
    try:
        with urllib.request.urlopen(req, timeout=60) as resp:
            return resp.status, json.loads(resp.read() or b"null")
    except urllib.error.HTTPError as e:
        return e.code, e.read().decode(errors="replace")


def expect(status, want, what):
    if status[0] not in want:
        sys.exit(f"{what}: HTTP {status[0]} {status[1]}")
    return status[1]


def wait_for(what, fetch, done, timeout):
    t0 = time.time()
    while True:
        value = fetch()
        if done(value):
            print(f"  {what}: {time.time() - t0:.0f} s", flush=True)
            return value
        if time.time() - t0 > timeout:
            sys.exit(f"{what}: not done within {timeout} s; last answer {value}")
        time.sleep(3)


def test_image_png(index):
    """Image `index` of Fashion-MNIST's test set as a PNG (8-bit gray), written with the standard library."""
    with gzip.open(os.path.join(DATA, "t10k-images-idx3-ubyte.gz")) as f:
        _, count, rows, cols = struct.unpack(">IIII", f.read(16))
        f.seek(16 + index * rows * cols)
        pixels = f.read(rows * cols)
    with gzip.open(os.path.join(DATA, "t10k-labels-idx1-ubyte.gz")) as f:
        f.seek(8 + index)
        label = f.read(1)[0]
    raw = b"".join(b"\x00" + pixels[r * cols:(r + 1) * cols] for r in range(rows))
    chunk = lambda kind, data: (struct.pack(">I", len(data)) + kind + data
                                + struct.pack(">I", zlib.crc32(kind + data) & 0xffffffff))
    png = (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", cols, rows, 8, 0, 0, 0, 0))
           + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b""))
    return png, label


def main():
    spec = {"dataset": "fashion-mnist", "trainSize": 1000, "testSize": 500, "epochs": 2}
    run = expect(call("POST", "/api/v1/trainings", {"spec": spec, "modelId": MODEL_ID}), (202,), "submit training")
    run_id = run["runId"]
    print(f"training {run_id} (Fashion-MNIST, small-cnn, 1000 images, 2 epochs)", flush=True)
    view = wait_for("training to a final status", lambda: call("GET", f"/api/v1/trainings/{run_id}"),
                    lambda r: r[0] == 200 and r[1].get("status") in ("SUCCEEDED", "FAILED", "CANCELLED"), 900)[1]
    if view["status"] != "SUCCEEDED":
        sys.exit(f"training {run_id} ended {view['status']}: {view.get('error')}")

    png, label = test_image_png(0)
    answer = wait_for("classification with the published model",
                      lambda: call("POST", f"/api/v1/classifications?model={MODEL_ID}&topK=3", png, "image/png"),
                      lambda r: r[0] == 200 or r[0] not in (404, 503, 504), 180)
    result = expect(answer, (200,), "classification")
    if result.get("modelId") != MODEL_ID or len(result.get("predictions", [])) != 3:
        sys.exit(f"classification answered with another model or no top 3: {result}")
    print(f"  classified a test image of class {label}: top {result['predictions'][0]}", flush=True)

    study = expect(call("POST", "/api/v1/tunings", {
        "name": "containers test", "maxParallel": 1,
        "baseSpec": {"dataset": "fashion-mnist", "trainSize": 500, "testSize": 200, "epochs": 1},
        "grid": {"dropout": [0.1, 0.3]}}), (202,), "submit tuning")
    study_id = study["studyId"]
    print(f"tuning {study_id} ({study['trialCount']} trials)", flush=True)
    view = wait_for("study to a final status", lambda: call("GET", f"/api/v1/tunings/{study_id}"),
                    lambda r: r[0] == 200 and r[1].get("status") in ("COMPLETED", "CANCELLED", "REJECTED"), 900)[1]
    succeeded = view.get("runsByStatus", {}).get("SUCCEEDED", 0)
    if view["status"] != "COMPLETED" or succeeded != study["trialCount"]:
        sys.exit(f"study {study_id} ended {view['status']} with {view.get('runsByStatus')}")
    with open(sys.argv[1], "w") as f:
        f.write(f"STUDY_ID={study_id}\nSTUDY_RUNS={succeeded}\n")


main()
