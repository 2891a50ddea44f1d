#!/usr/bin/env python3
"""Writes the first N training and M test images of an IDX data set (plain or gzipped files) as gzipped IDX files:
   idx_subset.py SRC_DIR DST_DIR N M"""
import gzip
import os
import sys


def read(path):
    for name in (path, path + ".gz"):
        if os.path.exists(name):
            with open(name, "rb") as f:
                raw = f.read()
            return gzip.decompress(raw) if raw[:2] == b"\x1f\x8b" else raw
    raise SystemExit("missing " + path)


def subset(src, dst, prefix, count):
    images, labels = read(os.path.join(src, prefix + "-images-idx3-ubyte")), read(os.path.join(src, prefix + "-labels-idx1-ubyte"))
    rows, cols = int.from_bytes(images[8:12], "big"), int.from_bytes(images[12:16], "big")
    count = min(count, int.from_bytes(images[4:8], "big"))
    out_images = images[:4] + count.to_bytes(4, "big") + images[8:16] + images[16:16 + count * rows * cols]
    out_labels = labels[:4] + count.to_bytes(4, "big") + labels[8:8 + count]
    for name, body in ((prefix + "-images-idx3-ubyte.gz", out_images), (prefix + "-labels-idx1-ubyte.gz", out_labels)):
        with gzip.open(os.path.join(dst, name), "wb", compresslevel=9) as f:
            f.write(body)


if __name__ == "__main__":
    src, dst, n, m = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
    os.makedirs(dst, exist_ok=True)
    subset(src, dst, "train", n)
    subset(src, dst, "t10k", m)
