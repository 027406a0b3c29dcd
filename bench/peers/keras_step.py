"""Keras 3 peer of bench/step.ts: model A's training step (train_on_batch) and inference
(predict_on_batch) on random 150x150 images, median over --steps timed calls after two untimed
ones. Prints one JSON line: {"tool", "version", "trainMs", "inferMs"}.

Run by bench/step.ts with a virtualenv's python (TensorFlow is never a deeptype dependency).
"""
import argparse
import json
import os
import time

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

p = argparse.ArgumentParser()
p.add_argument("--batch", type=int, default=20)
p.add_argument("--steps", type=int, default=10)
p.add_argument("--threads", type=int, default=2)
args = p.parse_args()

import numpy as np  # noqa: E402
import tensorflow as tf  # noqa: E402
import keras  # noqa: E402
from keras import layers  # noqa: E402

tf.config.threading.set_intra_op_parallelism_threads(args.threads)
tf.config.threading.set_inter_op_parallelism_threads(1)
keras.utils.set_random_seed(1)
model = keras.Sequential([
    keras.Input((150, 150, 3)),
    layers.Conv2D(32, 3, activation="relu"), layers.MaxPooling2D(2),
    layers.Conv2D(64, 3, activation="relu"), layers.MaxPooling2D(2),
    layers.Conv2D(128, 3, activation="relu"), layers.MaxPooling2D(2),
    layers.Conv2D(128, 3, activation="relu"), layers.MaxPooling2D(2),
    layers.Flatten(), layers.Dense(512, activation="relu"), layers.Dense(1, activation="sigmoid")])
model.compile(optimizer=keras.optimizers.RMSprop(1e-4), loss="binary_crossentropy", metrics=["acc"])
x = np.random.rand(args.batch, 150, 150, 3).astype("float32")
y = (np.arange(args.batch) % 2).astype("float32").reshape(-1, 1)


def median_ms(fn):
    for _ in range(2):
        fn()
    times = []
    for _ in range(args.steps):
        start = time.perf_counter()
        fn()
        times.append((time.perf_counter() - start) * 1000)
    return sorted(times)[(len(times) - 1) // 2]


train_ms = median_ms(lambda: model.train_on_batch(x, y))
infer_ms = median_ms(lambda: model.predict_on_batch(x))
print(json.dumps({"tool": "keras", "version": f"{keras.__version__} (TensorFlow {tf.__version__})",
                  "trainMs": train_ms, "inferMs": infer_ms}))
