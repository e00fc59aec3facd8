"""Shows that model_signing releases the GIL while it hashes: one thread
hashes a 1 GiB model (a sparse file: no disk used, every byte still hashed)
on one worker while the main thread keeps incrementing a counter and prints
it every 0.1 s.

  PYTHONPATH=build/python/stage /usr/bin/python3 bench/python_gil_demo.py
  (or with the installed package: .venv/bin/python bench/python_gil_demo.py)
"""

import os
import tempfile
import threading
import time

import model_signing


def main():
    with tempfile.TemporaryDirectory() as tmp:
        model = os.path.join(tmp, "model")
        os.mkdir(model)
        with open(os.path.join(model, "weights.bin"), "wb") as f:
            f.truncate(1 << 30)
        config = model_signing.hashing.Config().use_file_serialization(max_workers=1)
        done = threading.Event()
        result = {}

        def hash_model():
            start = time.monotonic()
            result["manifest"] = config.hash(model)
            result["seconds"] = time.monotonic() - start
            done.set()

        counter = 0
        thread = threading.Thread(target=hash_model)
        thread.start()
        start = next_report = time.monotonic()
        while not done.is_set():
            counter += 1
            now = time.monotonic()
            if now >= next_report:
                print(f"{now - start:5.2f} s  counter = {counter:,}")
                next_report += 0.1
        thread.join()
        print(f"hashed 1 GiB in {result['seconds']:.2f} s while the counter reached {counter:,} "
              f"({counter / result['seconds']:,.0f} increments per second): the GIL was free")
        print("root digest:", result["manifest"].root_digest().digest_hex)


if __name__ == "__main__":
    main()
