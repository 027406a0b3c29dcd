"""Checks that Keras 3 loads the .keras and .h5 files deeptype writes and computes the same outputs.

    python scripts/keras3-check.py        (a Python with TensorFlow 2.21 / Keras 3.15; run from the repository)

scripts/keras3-check-models.ts writes three small trained models (a convnet, a branching functional
model, a functional model nested in a Sequential with AdamW and a schedule) with deeptype, the
.h5 under the TF2 profile (tf.keras's layout: Keras 3 cannot read Keras 2.2.4's); this
script loads each file with keras.saving.load_model, compares predict with deeptype's outputs
(1e-4) and the optimizer's step count for .keras files. TensorFlow is never a deeptype dependency:
without it the script says so and exits 0.
"""
import json
import os
import subprocess
import sys
import tempfile

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
try:
    import keras
    import numpy as np
except ImportError:
    print("keras3-check: TensorFlow/Keras is not importable here; nothing checked.")
    sys.exit(0)

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
failures = 0
with tempfile.TemporaryDirectory() as out:
    subprocess.run(["npx", "tsx", "scripts/keras3-check-models.ts", out], cwd=REPO, check=True)
    for name in ["convnet", "branches", "nested"]:
        with open(os.path.join(out, f"{name}.json")) as f:
            case = json.load(f)
        x = np.array(case["inputs"], dtype=np.float32).reshape(case["shape"])
        expected = np.array(case["outputs"], dtype=np.float32)
        for ext in [".keras", ".h5"]:
            try:
                model = keras.saving.load_model(os.path.join(out, name + ext))
                got = model.predict(x, verbose=0)
                diff = float(np.max(np.abs(got - expected)))
                steps = int(model.optimizer.iterations.numpy()) if model.optimizer is not None else None
                ok = diff < 1e-4 and (ext != ".keras" or steps == case["iterations"])
                print(f"{'ok  ' if ok else 'FAIL'} {name}{ext}: Keras {keras.__version__} loads it; max |Keras - deeptype| = {diff:.2e}; "
                      f"optimizer {type(model.optimizer).__name__ if model.optimizer is not None else None}, step {steps} (deeptype {case['iterations']})")
            except Exception as e:
                ok = False
                print(f"FAIL {name}{ext}: {type(e).__name__}: {str(e).splitlines()[0] if str(e) else ''}")
            failures += 0 if ok else 1
print("keras3-check: all files load in Keras with deeptype's outputs" if failures == 0 else f"keras3-check: {failures} failures")
sys.exit(1 if failures else 0)
