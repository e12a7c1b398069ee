# Draws a 10x10 grid from a gan export: row r is digit r (a cGAN), with ONNX Runtime alone.
import sys
import numpy as np
import onnxruntime as ort
from PIL import Image

session = ort.InferenceSession(sys.argv[1])
meta = session.get_modelmeta().custom_metadata_map
n, noise_dim = 100, int(meta["noise_dim"])
rng = np.random.default_rng(7)
z = (rng.uniform(-1, 1, (n, noise_dim)) if meta["noise"] == "uniform" else rng.standard_normal((n, noise_dim))).astype(np.float32)
feed = {"z": z}
if meta["conditional"] == "true":
    feed["label"] = np.eye(10, dtype=np.float32)[np.repeat(np.arange(10), 10)]
images = session.run(["image"], feed)[0]                      # [100, 1, 28, 28] in [0, 1]
grid = images.reshape(10, 10, 28, 28).transpose(0, 2, 1, 3).reshape(280, 280)
Image.fromarray((grid * 255).astype(np.uint8)).resize((560, 560), Image.NEAREST).save(sys.argv[2])
print(meta["architecture"], meta["noise"], noise_dim, "->", sys.argv[2])
