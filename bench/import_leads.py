"""Benchmark: import a generated lead list against a plain COPY of the same file.

    .venv/bin/python bench/import_leads.py [--rows 1000000] [--allocation none]

Creates a fresh database `sitadmin_bench_imports` (`--database`) on the server of `DATABASE_URL` (default
postgres://postgres@127.0.0.1:5432/sitadmin) and migrates it. Generates a CSV (phone, name, tags,
remark) with 10% repeated phones, 2% bad ones and tags on 20% of the rows (`--tagged-share`), then
measures in the same run:
1. a plain `COPY` of the file into an unindexed table of text columns (the floor);
2. `manage.py import_leads` on the file, in a child process (validation, staging, merge, allocation).
Prints rows/s of both, the ratio, and the import's peak memory: the child's peak resident set size
(`getrusage(RUSAGE_CHILDREN).ru_maxrss`), the whole Python process including Django.
"""

import argparse
import csv
import os
import random
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from benchdb import ROOT, bench_database_url, django_setup

BENCH_DB = "sitadmin_bench_imports"
TAGS = ["高意向", "复购", "新客", "宝妈", "学生", "价格敏感"]


def generate(path: Path, rows: int, *, tagged_share: float = 0.2, seed: int = 7) -> dict:
    """Write the CSV; return how many rows of each kind it holds."""
    rnd = random.Random(seed)
    duplicates = rows // 10
    invalid = rows // 50
    unique = rows - duplicates - invalid
    kinds = ["u"] * unique + ["d"] * duplicates + ["i"] * invalid
    rnd.shuffle(kinds)
    # A repeated phone must come after its first row: the first row of the file is always new.
    if kinds[0] != "u":
        first_new = kinds.index("u")
        kinds[0], kinds[first_new] = kinds[first_new], kinds[0]
    seen: list[str] = []
    with path.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh)
        writer.writerow(["phone", "name", "tags", "remark"])
        for n, kind in enumerate(kinds):
            if kind == "u":
                phone = f"1{rnd.choice('3456789')}{len(seen):09d}"
                seen.append(phone)
                spelled = rnd.choice([phone, phone, f"+86 {phone}", f"{phone[:3]}-{phone[3:7]}-{phone[7:]}"])
            elif kind == "d":
                spelled = rnd.choice(seen)
            else:
                spelled = rnd.choice(["12345", "", f"2{n:010d}", "not a phone"])
            tags = "、".join(rnd.sample(TAGS, rnd.choice([1, 2]))) if rnd.random() < tagged_share else ""
            writer.writerow([spelled, f"客户{n}", tags, rnd.choice(["", "", "来自展会"])])
    return {"rows": rows, "unique": unique, "duplicates": duplicates, "invalid": invalid}


def plain_copy(path: Path) -> float:
    """Seconds to COPY the file into an unindexed table of text columns."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("DROP TABLE IF EXISTS bench_plain_copy")
        cursor.execute("CREATE TABLE bench_plain_copy (phone text, name text, tags text, remark text)")
        started = time.perf_counter()
        with (
            cursor.copy("COPY bench_plain_copy FROM STDIN WITH (FORMAT csv, HEADER true)") as copy,
            path.open("rb") as fh,
        ):
            while block := fh.read(1 << 20):
                copy.write(block)
        elapsed = time.perf_counter() - started
        cursor.execute("DROP TABLE bench_plain_copy")
    return elapsed


def bench_world() -> None:
    """Migrate the fresh database; add the lead source, and a team of 3 operators for allocations."""
    from django.core.management import call_command

    from customers.models import LeadSource
    from staff.models import Staff, Team
    from tests.staff.factories import StaffFactory

    call_command("migrate", verbosity=0)
    LeadSource.objects.create(code="bench", name="bench", kind="telesales")
    team = Team.objects.create(code="bench", name="bench")
    for name in ("bench-op1", "bench-op2", "bench-op3"):
        StaffFactory(user__username=name, team=team, role=Staff.Role.OPERATOR, capacity=10**7)


def _sop_templates() -> None:
    """The demo's two templates, active: a lead import meets neither trigger, it only asks."""
    from django.utils import timezone

    from campaigns.sop.models import SopTemplate

    step = {"day": 0, "time": "10:00", "action": "private_message", "content": "{name}您好"}
    SopTemplate.objects.create(
        code="new-fan",
        name="新粉欢迎",
        trigger={"kind": "stage", "stage": "fan"},
        steps=[step],
        active_from=timezone.now(),
    )
    SopTemplate.objects.create(
        code="group-onboarding",
        name="进群引导",
        trigger={"kind": "group_joined", "group": None, "group_id": None},
        steps=[step],
        active_from=timezone.now(),
    )
    print("two active SOP templates")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--allocation", default="none", choices=["none", "round_robin", "weighted", "capacity"])
    parser.add_argument("--tagged-share", type=float, default=0.2, help="share of rows naming 1 or 2 tags")
    parser.add_argument("--database", default=BENCH_DB, help="name of the database made anew for the run")
    parser.add_argument("--sop", action="store_true", help="two active SOP templates (stage fan, group joined)")
    args = parser.parse_args()

    django_setup(database_url=bench_database_url(args.database, fresh=True))
    bench_world()
    if args.sop:
        _sop_templates()

    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "leads.csv"
        started = time.perf_counter()
        made = generate(path, args.rows, tagged_share=args.tagged_share)
        print(
            f"generated {made['rows']:,} rows ({made['duplicates']:,} repeated, {made['invalid']:,} bad), "
            f"{path.stat().st_size / 1e6:.1f} MB in {time.perf_counter() - started:.1f} s"
        )
        copy_s = plain_copy(path)
        print(f"plain COPY:   {copy_s:6.2f} s  {args.rows / copy_s:>10,.0f} rows/s")

        command = [sys.executable, "manage.py", "import_leads", str(path), "--source", "bench", "--verbosity", "0"]
        if args.allocation != "none":
            command += ["--team", "bench", "--allocation", args.allocation]
        started = time.perf_counter()
        done = subprocess.run(command, cwd=ROOT, env=os.environ, capture_output=True, text=True, check=False)
        import_s = time.perf_counter() - started
        if done.returncode:
            sys.exit(f"import failed:\n{done.stderr[-3000:]}")
        peak_mib = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024

    from customers.models import ImportJob

    job = ImportJob.objects.latest("pk")
    run_s = (job.finished_at - job.started_at).total_seconds()
    print(f"import_leads: {import_s:6.2f} s  {args.rows / import_s:>10,.0f} rows/s  (job run {run_s:.2f} s)")
    print(
        f"  rows {job.total_rows:,}: created {job.created:,}, updated {job.updated:,}, "
        f"duplicates {job.duplicates:,}, invalid {job.invalid:,}, unassigned {job.unassigned:,}"
    )
    print(f"ratio import / COPY: {import_s / copy_s:.1f}x")
    print(f"peak memory of the import process (ru_maxrss): {peak_mib:,.0f} MiB")
    expected = (made["rows"], made["unique"], made["duplicates"], made["invalid"])
    if (job.total_rows, job.created, job.duplicates, job.invalid) != expected:
        sys.exit(f"counts differ from the generated file: expected {expected}")


if __name__ == "__main__":
    main()
