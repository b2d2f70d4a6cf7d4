"""Split the writers' folders in bench/blind/incoming/ into dev/ and test/ before anything runs.

Within each writer and document kind the documents are shuffled with a fixed seed and about
``--test-share`` of them go to test/; labels.yaml is split the same way. Then, from the labels
alone, dev documents (in file-name order) move to test until every planted category has at least
``--min-per-category`` test documents. Run once per new batch, before anything is checked:

    .venv/bin/python bench/blind/split.py --batch 1

A batch first measured whole in test (``--test-share 1.0``) can then have part of it moved to dev to
tune on (``--to-dev 0.5``); the numbers measured before that move are the ones to report.
"""

from __future__ import annotations

import argparse
import random
import shutil
from collections import defaultdict
from pathlib import Path

import yaml

HERE = Path(__file__).resolve().parent


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--batch", required=True, help="a name for this batch (the seed and folder suffix)")
    parser.add_argument("--test-share", type=float, default=0.45)
    parser.add_argument("--min-per-category", type=int, default=3)
    parser.add_argument("--incoming", default="incoming", help="the folder the writers wrote into")
    parser.add_argument("--to-dev", type=float, default=None, metavar="SHARE",
                        help="instead: move SHARE of the batch's test documents to dev (per writer and kind, "
                             "by seed), so that its new styles can be tuned on")
    parser.add_argument("--move", nargs="+", metavar="FILE", default=None,
                        help="instead: move these test documents (file names) to dev — a test document looked at "
                             "while tuning stops being blind")
    args = parser.parse_args()
    if args.move is not None:
        move_to_dev(set(args.move))
        return
    if args.to_dev is not None:
        to_dev(args.batch, args.to_dev)
        return
    rng = random.Random(f"ecoclaim-blind-{args.batch}")
    for labels in sorted((HERE / args.incoming).glob("*/labels.yaml")):
        data = yaml.safe_load(labels.read_text("utf-8"))
        by_kind: dict[str, list[dict]] = defaultdict(list)
        for entry in data["documents"]:
            by_kind[entry["doc_type"]].append(entry)
        parts: dict[str, list[dict]] = {"dev": [], "test": []}
        for kind in sorted(by_kind):
            entries = sorted(by_kind[kind], key=lambda e: e["file"])
            rng.shuffle(entries)
            cut = round(len(entries) * args.test_share)
            parts["test"] += entries[:cut]
            parts["dev"] += entries[cut:]
        for part, entries in parts.items():
            if not entries:
                continue
            target = HERE / part / f"{labels.parent.name}-{args.batch}"
            target.mkdir(parents=True, exist_ok=False)
            for entry in sorted(entries, key=lambda e: e["file"]):
                shutil.copy2(labels.parent / entry["file"], target / entry["file"])
            kept = {**data, "documents": sorted(entries, key=lambda e: e["file"])}
            (target / "labels.yaml").write_text(yaml.safe_dump(kept, allow_unicode=True, sort_keys=False), "utf-8")
            print(f"{target.relative_to(HERE)}: {len(entries)}")
    rebalance(args.batch, args.min_per_category)


def _labels(part: str, batch: str) -> dict[Path, dict]:
    return {p: yaml.safe_load(p.read_text("utf-8")) for p in sorted((HERE / part).glob(f"*-{batch}/labels.yaml"))}


def move_to_dev(names: set[str]) -> None:
    """Move the named test documents (with their labels) to dev."""
    moved: set[str] = set()
    for labels in sorted((HERE / "test").glob("*/labels.yaml")):
        data = yaml.safe_load(labels.read_text("utf-8"))
        moving = [e for e in data["documents"] if e["file"] in names]
        if moving:
            _move(labels, data, moving)
            moved |= {e["file"] for e in moving}
    if missing := names - moved:
        raise SystemExit(f"not in test: {sorted(missing)}")


def to_dev(batch: str, share: float) -> None:
    """Move ``share`` of each writer's test documents of ``batch`` (per kind, fixed seed) to dev."""
    rng = random.Random(f"ecoclaim-blind-{batch}-to-dev")
    for labels in sorted((HERE / "test").glob(f"*-{batch}/labels.yaml")):
        data = yaml.safe_load(labels.read_text("utf-8"))
        by_kind: dict[str, list[dict]] = defaultdict(list)
        for entry in data["documents"]:
            by_kind[entry["doc_type"]].append(entry)
        moving: list[dict] = []
        for kind in sorted(by_kind):
            entries = sorted(by_kind[kind], key=lambda e: e["file"])
            rng.shuffle(entries)
            moving += entries[:round(len(entries) * share)]
        _move(labels, data, moving)


def _move(labels: Path, data: dict, moving: list[dict]) -> None:
    """Move ``moving`` (entries of the test folder's ``labels``) to the writer's dev folder, labels merged."""
    target = HERE / "dev" / labels.parent.name
    target.mkdir(parents=True, exist_ok=True)
    for entry in moving:
        if (target / entry["file"]).exists():
            raise SystemExit(f"{target / entry['file']} already exists")
        shutil.move(labels.parent / entry["file"], target / entry["file"])
    staying = [e for e in data["documents"] if e not in moving]
    # A writer's dev folder may already hold documents split off earlier: merge the labels.
    target_labels = target / "labels.yaml"
    already = yaml.safe_load(target_labels.read_text("utf-8"))["documents"] if target_labels.exists() else []
    for folder, entries in ((target, [*already, *moving]), (labels.parent, staying)):
        kept = {**data, "documents": sorted(entries, key=lambda e: e["file"])}
        (folder / "labels.yaml").write_text(yaml.safe_dump(kept, allow_unicode=True, sort_keys=False), "utf-8")
    if not staying:  # the whole test folder moved: leave no empty writer folder behind
        (labels.parent / "labels.yaml").unlink()
        labels.parent.rmdir()
    print(f"{labels.parent.name}: {len(moving)} to dev, {len(staying)} stay in test")


def _categories(entry: dict) -> set[str]:
    return {d["category"] for d in entry.get("defects") or []}


def rebalance(batch: str, minimum: int) -> None:
    """Move dev documents to test until each planted category has ``minimum`` test documents."""
    while True:
        test, dev = _labels("test", batch), _labels("dev", batch)
        count: dict[str, int] = defaultdict(int)
        for data in test.values():
            for entry in data["documents"]:
                for category in _categories(entry):
                    count[category] += 1
        wanted = sorted({c for data in dev.values() for e in data["documents"] for c in _categories(e)
                         if count[c] < minimum})
        if not wanted:
            return
        category = wanted[0]
        source, entry = next((p, e) for p, data in dev.items() for e in sorted(data["documents"], key=lambda e: e["file"])
                             if category in _categories(e))
        target = HERE / "test" / source.parent.name
        target.mkdir(parents=True, exist_ok=True)
        shutil.move(source.parent / entry["file"], target / entry["file"])
        dev[source]["documents"].remove(entry)
        source.write_text(yaml.safe_dump(dev[source], allow_unicode=True, sort_keys=False), "utf-8")
        test_labels = target / "labels.yaml"
        data = test.get(test_labels, {**dev[source], "documents": []})
        data["documents"] = sorted([*data["documents"], entry], key=lambda e: e["file"])
        test_labels.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), "utf-8")
        print(f"moved {entry['file']} to test ({category})")


if __name__ == "__main__":
    main()
