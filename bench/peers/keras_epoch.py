"""Keras 3 peer of bench/epoch.ts: the lecture's epoch as a Keras user writes it today.

image_dataset_from_directory (150x150, nearest, cached after the first pass, prefetched), the
augmentation as preprocessing layers inside the model (Keras 3 has no ImageDataGenerator
transforms on tf.data; RandomRotation/Translation/Zoom/Flip are the documented replacement,
with no shear layer), Rescaling(1/255), the lecture convnet, RMSprop 1e-4, fit with the
validation set. Prints one JSON line: {"tool", "version", "experiment", "epochSeconds"}.

Run by bench/epoch.ts with a virtualenv's python (TensorFlow is never a deeptype dependency):
  python3 -m venv <dir> && <dir>/bin/pip install tensorflow-cpu
"""
import argparse
import json
import os
import time

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

RECIPES = {"scratch": (20, False), "augment": (32, True)}  # batch size, augmentation + dropout
STEPS, VALIDATION_BATCH, VALIDATION_STEPS = 100, 20, 50

p = argparse.ArgumentParser()
p.add_argument("--data", required=True)
p.add_argument("--exp", choices=sorted(RECIPES), default="augment")
p.add_argument("--epochs", type=int, default=3)
p.add_argument("--threads", type=int, default=2)
args = p.parse_args()

import tensorflow as tf  # noqa: E402
import keras  # noqa: E402
from keras import layers  # noqa: E402

tf.config.threading.set_intra_op_parallelism_threads(args.threads)
tf.config.threading.set_inter_op_parallelism_threads(args.threads)
keras.utils.set_random_seed(1)
batch, augment = RECIPES[args.exp]


def folder(split, batch_size, shuffle):
    ds = keras.utils.image_dataset_from_directory(
        os.path.join(args.data, split), image_size=(150, 150), batch_size=batch_size, label_mode="binary",
        shuffle=shuffle, seed=7, interpolation="nearest", verbose=False)
    return ds.cache().repeat().prefetch(tf.data.AUTOTUNE)


train = folder("train", batch, True)
validation = folder("validation", VALIDATION_BATCH, False)
augmentation = [layers.RandomRotation(40 / 360), layers.RandomTranslation(0.2, 0.2), layers.RandomZoom(0.2),
                layers.RandomFlip("horizontal")] if augment else []
model = keras.Sequential([
    keras.Input((150, 150, 3)), *augmentation, layers.Rescaling(1 / 255),
    layers.Conv2D(32, 3, activation="relu"), layers.MaxPooling2D(2),
    layers.Conv2D(64, 3, activation="relu"), layers.MaxPooling2D(2),
    layers.Conv2D(128, 3, activation="relu"), layers.MaxPooling2D(2),
    layers.Conv2D(128, 3, activation="relu"), layers.MaxPooling2D(2),
    layers.Flatten(), *([layers.Dropout(0.5)] if augment else []),
    layers.Dense(512, activation="relu"), layers.Dense(1, activation="sigmoid")])
model.compile(optimizer=keras.optimizers.RMSprop(1e-4), loss="binary_crossentropy", metrics=["acc"])


class EpochTimer(keras.callbacks.Callback):
    def __init__(self):
        super().__init__()
        self.seconds = []

    def on_epoch_begin(self, epoch, logs=None):
        self.start = time.perf_counter()

    def on_epoch_end(self, epoch, logs=None):
        self.seconds.append(time.perf_counter() - self.start)


timer = EpochTimer()
model.fit(train, steps_per_epoch=STEPS, epochs=args.epochs, validation_data=validation,
          validation_steps=VALIDATION_STEPS, verbose=2, callbacks=[timer])
print(json.dumps({"tool": "keras", "version": f"{keras.__version__} (TensorFlow {tf.__version__})",
                  "experiment": args.exp, "epochSeconds": timer.seconds}))
