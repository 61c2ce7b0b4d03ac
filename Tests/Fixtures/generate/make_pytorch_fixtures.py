"""Writes the PyTorch-checkpoint test fixtures: tiny HF folders whose weights are torch.save zip archives
(twins of existing safetensors fixtures) and hostile archives the restricted unpickler must refuse.

Run from the repository root with a Python that has torch and safetensors (never in CI; outputs committed):

    python Tests/Fixtures/generate/make_pytorch_fixtures.py

Folders (config.json copied from models/<name>, weights = the twin's tensors, values unchanged):
  pytorch/llama-tiny-bin        pytorch_model.bin, every tensor in its stored dtype (BF16)
  pytorch/llama-tiny-compiled   pytorch_model.bin.index.json + 2 shards, every name prefixed `_orig_mod.`
                                (torch.compile), the matrices widened to fp32 (exact), the rest BF16
  pytorch/gpt2-tiny-bin         pytorch_model.bin (F16)
  pytorch/bert-tiny-bin         pytorch_model.bin (F32)
Hostile archives, pytorch/hostile/<case>.bin (each becomes the pytorch_model.bin of a llama-tiny config in the
tests; every one must be refused with one line, and none runs anything: the ones that would run code would
create /tmp/attnscope-pickle-ran):
  os-system, builtins-eval (STACK_GLOBAL, protocol 4), reduce-storage (REDUCE of torch.FloatStorage),
  reduce-string (REDUCE of a str), build-tensor (BUILD on a tensor), persistent-string (a persistent id
  that is not a storage), storage-outside (storage key '../../data/0', not an entry), storage-missing
  (key '7'), size-overflow (size (2^62, 4)), storage-overflow (numel 2^62 float32), deep-nesting
  (100,000 MARKs), deep-tuples (10,000 nested TUPLE1), memo-huge (LONG_BINPUT 0xFFFFFFFF), deflate
  (data.pkl deflate-compressed), zip-bomb (a 64 MB storage of zeros deflated to 64 KB), legacy (the pre-1.6
  raw-pickle format, torch.save(_use_new_zipfile_serialization=False)), transposed (a non-contiguous view),
  int64 (a state dict with an int64 tensor: listed, refused when read), not-a-dict (the pickle holds a list).
Fuzzing: pytorch/micro-llama, a 1-block Llama (hidden 8, vocab 16) as pytorch_model.bin with a few names
`_orig_mod.`-prefixed and the embedding BF16: the `pytorch` fuzz target's config and its main seed (1.5 KB of
tensors, so whole inputs fit libFuzzer's length limit).
Not hostile: pytorch/zip64.bin, a valid state dict {"w": [1, 2, 3, 4]} whose directory uses zip64 fields
throughout (sizes, offsets and the end record as 0xFFFFFFFF placeholders), as archives over 4 GB do.
"""

import collections
import io
import json
import os
import shutil
import struct
import sys
import zipfile

import torch
from safetensors.torch import load_file

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..")
OUT = os.path.join(ROOT, "pytorch")
RAN = "/tmp/attnscope-pickle-ran"


def twin(name, folder, transform=lambda sd: sd, shards=1):
    src = os.path.join(ROOT, "models", name)
    dst = os.path.join(OUT, folder)
    shutil.rmtree(dst, ignore_errors=True)
    os.makedirs(dst)
    shutil.copy(os.path.join(src, "config.json"), dst)
    sd = transform(collections.OrderedDict(sorted(load_file(os.path.join(src, "model.safetensors")).items())))
    if shards == 1:
        torch.save(sd, os.path.join(dst, "pytorch_model.bin"))
        return
    names = list(sd)
    weight_map = {}
    for k in range(shards):
        file = f"pytorch_model-{k + 1:05d}-of-{shards:05d}.bin"
        part = collections.OrderedDict((n, sd[n]) for n in names[k::shards])
        torch.save(part, os.path.join(dst, file))
        weight_map.update({n: file for n in part})
    total = sum(t.numel() * t.element_size() for t in sd.values())
    with open(os.path.join(dst, "pytorch_model.bin.index.json"), "w") as f:
        json.dump({"metadata": {"total_size": total}, "weight_map": weight_map}, f, indent=2, sort_keys=True)


def compiled(sd):
    out = collections.OrderedDict()
    for name, tensor in sd.items():
        out["_orig_mod." + name] = tensor.float() if tensor.dim() == 2 and "embed" not in name else tensor
    return out


# -- hostile archives ------------------------------------------------------------------------------------

def archive(path, pickle_bytes, storages=None, compress=(), prefix="archive"):
    with zipfile.ZipFile(path, "w", zipfile.ZIP_STORED) as z:
        def put(name, data):
            method = zipfile.ZIP_DEFLATED if name in compress else zipfile.ZIP_STORED
            z.writestr(zipfile.ZipInfo(f"{prefix}/{name}"), data, compress_type=method)
        put("data.pkl", pickle_bytes)
        put("byteorder", b"little")
        put("version", b"3\n")
        for key, data in (storages or {}).items():
            put(f"data/{key}", data)


def u(text):  # BINUNICODE
    data = text.encode()
    return b"X" + struct.pack("<I", len(data)) + data


def tensor_pickle(key="0", numel=4, size=(4,), stride=(1,), storage="FloatStorage", name="w"):
    """A state dict {name: tensor} as torch.save writes it, with the fields given."""
    def ints(values):
        return b"(" + b"".join(b"\x8a\x08" + struct.pack("<q", v) for v in values) + b"t"
    pid = b"(" + u("storage") + b"ctorch\n" + storage.encode() + b"\n" + u(key) + u("cpu") + b"\x8a\x08" + struct.pack("<q", numel) + b"tQ"
    tensor = (b"ctorch._utils\n_rebuild_tensor_v2\n(" + pid + b"K\x00" + ints(size) + ints(stride)
              + b"\x89ccollections\nOrderedDict\n)RtR")
    return b"\x80\x02ccollections\nOrderedDict\n)R(" + u(name) + tensor + b"u."


def zip64_archive(path, entries):
    """A stored zip whose central directory gives every size and offset through zip64 fields."""
    out = bytearray()
    central = bytearray()
    for name, data in entries:
        raw = name.encode()
        offset = len(out)
        crc = zipfile.crc32(data)
        out += struct.pack("<IHHHHHIIIHH", 0x04034B50, 45, 0, 0, 0, 0, crc, len(data), len(data), len(raw), 0) + raw + data
        extra = struct.pack("<HHQQQ", 1, 24, len(data), len(data), offset)
        central += struct.pack("<IHHHHHHIIIHHHHHII", 0x02014B50, 45, 45, 0, 0, 0, 0, crc, 0xFFFFFFFF, 0xFFFFFFFF,
                               len(raw), len(extra), 0, 0, 0, 0, 0xFFFFFFFF) + raw + extra
    start = len(out)
    out += central
    end64 = len(out)
    out += struct.pack("<IQHHIIQQQQ", 0x06064B50, 44, 45, 45, 0, 0, len(entries), len(entries), len(central), start)
    out += struct.pack("<IIQI", 0x07064B50, 0, end64, 1)
    out += struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, 0xFFFF, 0xFFFF, 0xFFFFFFFF, 0xFFFFFFFF, 0)
    with open(path, "wb") as f:
        f.write(out)


def micro_llama():
    from transformers import LlamaConfig, LlamaForCausalLM
    torch.manual_seed(0)
    config = LlamaConfig(hidden_size=8, intermediate_size=8, num_hidden_layers=1, num_attention_heads=2,
                         num_key_value_heads=1, head_dim=4, vocab_size=16, max_position_embeddings=16)
    dst = os.path.join(OUT, "micro-llama")
    shutil.rmtree(dst, ignore_errors=True)
    LlamaForCausalLM(config).save_pretrained(dst)
    os.remove(os.path.join(dst, "model.safetensors"))
    for extra in ["generation_config.json"]:
        if os.path.exists(os.path.join(dst, extra)):
            os.remove(os.path.join(dst, extra))
    sd = collections.OrderedDict()
    for name, tensor in LlamaForCausalLM(config).state_dict().items():
        tensor = tensor.to(torch.bfloat16) if "embed" in name else tensor
        sd[("_orig_mod." if "layers" in name else "") + name] = tensor
    torch.save(sd, os.path.join(dst, "pytorch_model.bin"))


def hostile():
    folder = os.path.join(OUT, "hostile")
    shutil.rmtree(folder, ignore_errors=True)
    os.makedirs(folder)
    zeros = bytes(16)
    cases = {
        "os-system": (b"\x80\x02cos\nsystem\n" + u(f"touch {RAN}") + b"\x85R.", {}),
        "builtins-eval": (b"\x80\x04\x8c\x08builtins\x8c\x04eval\x93" + u(f"open('{RAN}', 'w')") + b"\x85R.", {}),
        "reduce-storage": (b"\x80\x02ctorch\nFloatStorage\n)R.", {}),
        "reduce-string": (b"\x80\x02" + u("os.system") + b")R.", {}),
        "build-tensor": (tensor_pickle()[:-2] + b"}b" + b"u.", {"0": zeros}),
        "persistent-string": (b"\x80\x02" + u(f"touch {RAN}") + b"Q.", {}),
        "storage-outside": (tensor_pickle(key="../../data/0"), {"0": zeros}),
        "storage-missing": (tensor_pickle(key="7"), {"0": zeros}),
        "size-overflow": (tensor_pickle(size=(1 << 62, 4), stride=(4, 1)), {"0": zeros}),
        "storage-overflow": (tensor_pickle(numel=1 << 62), {"0": zeros}),
        "deep-nesting": (b"\x80\x02" + b"(" * 100_000 + b".", {}),
        "deep-tuples": (b"\x80\x02N" + b"\x85" * 10_000 + b".", {}),
        "memo-huge": (b"\x80\x02N" + b"r\xff\xff\xff\xff" + b".", {}),
        "not-a-dict": (b"\x80\x02]" + b".", {}),
    }
    for case, (pkl, storages) in cases.items():
        archive(os.path.join(folder, case + ".bin"), pkl, storages)
    archive(os.path.join(folder, "deflate.bin"), tensor_pickle(), {"0": zeros}, compress={"data.pkl"})
    archive(os.path.join(folder, "zip-bomb.bin"), tensor_pickle(numel=1 << 24), {"0": bytes(1 << 26)}, compress={"data/0"})
    torch.save({"w": torch.zeros(4)}, os.path.join(folder, "legacy.bin"), _use_new_zipfile_serialization=False)
    torch.save({"w": torch.arange(6.0).reshape(2, 3).t()}, os.path.join(folder, "transposed.bin"))
    torch.save({"w": torch.zeros(4), "steps": torch.tensor([3])}, os.path.join(folder, "int64.bin"))
    # Check that torch itself agrees these are not loadable state dicts (weights_only refuses the globals).
    for case in ["os-system", "builtins-eval"]:
        try:
            torch.load(os.path.join(folder, case + ".bin"), weights_only=True)
            sys.exit(f"{case}: torch.load(weights_only=True) accepted it")
        except Exception:
            pass
    assert not os.path.exists(RAN), "a hostile pickle ran"


if __name__ == "__main__":
    twin("llama-tiny", "llama-tiny-bin")
    twin("llama-tiny", "llama-tiny-compiled", compiled, shards=2)
    twin("gpt2-tiny", "gpt2-tiny-bin")
    twin("bert-tiny", "bert-tiny-bin")
    hostile()
    micro_llama()
    zip64_archive(os.path.join(OUT, "zip64.bin"), [("archive/data.pkl", tensor_pickle()), ("archive/byteorder", b"little"),
                                                  ("archive/version", b"3\n"),
                                                  ("archive/data/0", struct.pack("<4f", 1, 2, 3, 4))])
    assert torch.load(os.path.join(OUT, "zip64.bin"), weights_only=True)["w"].tolist() == [1, 2, 3, 4]
    for dirpath, _, files in sorted(os.walk(OUT)):
        for f in sorted(files):
            print(os.path.relpath(os.path.join(dirpath, f), ROOT), os.path.getsize(os.path.join(dirpath, f)))
