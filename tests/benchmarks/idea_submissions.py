"""Load benchmark: concurrent idea submissions over real HTTP to gunicorn on PostgreSQL.

Creates a fresh database, migrates it, loads the demo content, starts gunicorn with production settings and sends
SUBMISSIONS distinct ideas plus RETRIES repeats of some of them (same idempotency key and content), all at once.
Then it counts the rows: every accepted submission must be stored exactly once, none lost, no server error.

    .venv/bin/python tests/benchmarks/idea_submissions.py [--submissions 200] [--retries 60] [--workers 4]

Needs PostgreSQL on 127.0.0.1:5432 (user postgres, trust auth). Writes docs/benchmarks/idea-submissions.md.
"""

import argparse
import os
import random
import statistics
import subprocess
import sys
import threading
import time
from collections import Counter, defaultdict
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime
from pathlib import Path

import psycopg2
import requests

ROOT = Path(__file__).resolve().parents[2]
PYTHON = sys.executable
DATABASE = "cms_bench_ideas"
PORT = 8765
HOST = "kielregion.localhost"
SUBMIT = "mutation ($input: SubmitIdeaInput!) { submitIdea(input: $input) { reference errors { code } } }"


def recreate_database():
    connection = psycopg2.connect(host="127.0.0.1", user="postgres", dbname="postgres")
    connection.autocommit = True
    with connection.cursor() as cursor:
        cursor.execute(f"DROP DATABASE IF EXISTS {DATABASE}")
        cursor.execute(f"CREATE DATABASE {DATABASE}")
    connection.close()


def environment(args):
    env = dict(os.environ)
    env.update(
        DATABASE_URL=f"postgres://postgres@127.0.0.1:5432/{DATABASE}",
        DJANGO_SETTINGS_MODULE="cms.settings.production",
        SECRET_KEY="benchmark-only-secret-key-not-for-production",
        ALLOWED_HOSTS=f"{HOST},127.0.0.1,localhost",
        SECURE_SSL_REDIRECT="false",
        EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend",
        # The benchmark sends everything from one address; the limits are tested separately.
        IDEA_RATE_LIMIT_PER_ADDRESS="1000000",
        IDEA_RATE_LIMIT_PER_EMAIL="1000000",
        DATABASE_CONN_MAX_AGE="60",
        LOG_LEVEL="WARNING",
    )
    if args.redis:
        env["REDIS_URL"] = "redis://127.0.0.1:6379/15"
    return env


def manage(env, *arguments):
    subprocess.run([PYTHON, "manage.py", *arguments], cwd=ROOT, env=env, check=True, stdout=subprocess.DEVNULL)


def open_call_id(env):
    code = (
        "from regions.calls.models import CallForIdeasPage, CallStatus;"
        "call = next(c for c in CallForIdeasPage.objects.live().filter(url_path__startswith='/kielregion/')"
        " if c.status == CallStatus.OPEN); print(call.pk)"
    )
    output = subprocess.run(
        [PYTHON, "manage.py", "shell", "-c", code], cwd=ROOT, env=env, check=True, capture_output=True, text=True
    )
    return output.stdout.strip().splitlines()[-1]


def start_gunicorn(env, workers, threads):
    process = subprocess.Popen(
        [
            str(Path(PYTHON).parent / "gunicorn"),
            "cms.wsgi",
            f"--bind=127.0.0.1:{PORT}",
            f"--workers={workers}",
            f"--threads={threads}",
            "--worker-class=gthread",
            "--backlog=2048",
            "--log-level=warning",
        ],
        cwd=ROOT,
        env=env,
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            requests.get(f"http://127.0.0.1:{PORT}/graphql/", headers={"Host": HOST}, timeout=10)
            return process
        except requests.RequestException:
            time.sleep(0.3)
    process.kill()
    raise SystemExit("gunicorn did not start")


def payload(call_id, n):
    return {
        "callId": call_id,
        "title": f"Lastprobe Idee {n}",
        "description": "Eine Idee aus dem Lasttest: mehr Fahrradbügel an den Bahnhöfen der Region.",
        "email": f"lasttest{n}@example.org",
        "consent": True,
        "consentTextVersion": "2026-01",
        "idempotencyKey": f"bench-{n:06d}",
    }


def run(args):
    recreate_database()
    env = environment(args)
    manage(env, "migrate", "--noinput")
    manage(env, "load_demo_content")
    call_id = open_call_id(env)
    server = start_gunicorn(env, args.workers, args.threads)
    try:
        jobs = list(range(args.submissions)) + random.Random(1).sample(range(args.submissions), args.retries)
        random.Random(2).shuffle(jobs)
        barrier = threading.Barrier(len(jobs))

        def send(n):
            session = requests.Session()
            barrier.wait()  # all requests leave at the same moment
            started = time.perf_counter()
            try:
                response = session.post(
                    f"http://127.0.0.1:{PORT}/graphql/",
                    json={"query": SUBMIT, "variables": {"input": payload(call_id, n)}},
                    headers={"Host": HOST},
                    timeout=120,
                )
                return n, response.status_code, response.json(), time.perf_counter() - started
            except requests.RequestException as error:
                return n, None, {"transport_error": str(error)}, time.perf_counter() - started

        wall_started = time.perf_counter()
        with ThreadPoolExecutor(max_workers=len(jobs)) as pool:
            results = list(pool.map(send, jobs))
        wall = time.perf_counter() - wall_started
    finally:
        server.terminate()
        server.wait(timeout=30)

    statuses = Counter(status for _n, status, _body, _latency in results)
    references = defaultdict(set)
    rejected = []
    for n, status, body, _latency in results:
        submitted = (body.get("data") or {}).get("submitIdea") if status == 200 else None
        if submitted and submitted["reference"]:
            references[n].add(submitted["reference"])
        else:
            rejected.append((n, status, body))
    connection = psycopg2.connect(host="127.0.0.1", user="postgres", dbname=DATABASE)
    with connection.cursor() as cursor:
        cursor.execute("SELECT idempotency_key, reference FROM ideas_ideasubmission")
        rows = cursor.fetchall()
    connection.close()
    stored = defaultdict(list)
    for key, reference in rows:
        stored[key].append(reference)
    accepted_keys = {f"bench-{n:06d}": refs for n, refs in references.items()}
    duplicates = [key for key, refs in stored.items() if len(refs) > 1]
    lost = [key for key, refs in accepted_keys.items() if stored.get(key) != list(refs)]
    inconsistent = [n for n, refs in references.items() if len(refs) > 1]
    latencies = sorted(latency for *_rest, latency in results)
    summary = {
        "requests": len(jobs),
        "distinct": args.submissions,
        "retries": args.retries,
        "statuses": dict(statuses),
        "accepted_distinct": len(references),
        "rows": len(rows),
        "duplicates": len(duplicates),
        "lost": len(lost),
        "inconsistent_references": len(inconsistent),
        "server_errors": sum(count for status, count in statuses.items() if status is None or status >= 500),
        "wall_seconds": round(wall, 2),
        "throughput": round(len(jobs) / wall, 1),
        "latency_median_ms": round(statistics.median(latencies) * 1000),
        "latency_p95_ms": round(latencies[int(len(latencies) * 0.95) - 1] * 1000),
        "latency_max_ms": round(latencies[-1] * 1000),
        "rejected": rejected[:5],
    }
    ok = (
        summary["server_errors"] == 0
        and not duplicates
        and not lost
        and not inconsistent
        and len(rows) == args.submissions == len(references)
    )
    return summary, ok


def write_report(args, summary, ok):
    path = ROOT / "docs" / "benchmarks" / "idea-submissions.md"
    path.parent.mkdir(parents=True, exist_ok=True)
    cache = "Redis (127.0.0.1:6379)" if args.redis else "per-process memory"
    statuses = ", ".join(f"{status}: {count}" for status, count in sorted(summary["statuses"].items(), key=str))
    latency = f"{summary['latency_median_ms']} / {summary['latency_p95_ms']} / {summary['latency_max_ms']} ms"
    path.write_text(
        f"""# Benchmark: concurrent idea submissions

Run with `.venv/bin/python tests/benchmarks/idea_submissions.py --submissions {args.submissions} \\
--retries {args.retries} --workers {args.workers} --threads {args.threads}{" --redis" if args.redis else ""}`
on {datetime.now(UTC):%Y-%m-%d} (2 CPU cores; client and server on the same machine).

Setup: a fresh PostgreSQL 15 database with the demo content, gunicorn (`cms.wsgi`, production settings,
{args.workers} gthread workers × {args.threads} threads), cache: {cache}. {summary["requests"]} requests are
released at the same instant by a barrier: {summary["distinct"]} distinct ideas and {summary["retries"]} retries
of randomly chosen ones with the same idempotency key and content, in random order, to KielRegion's open call.

| measure | result |
| --- | --- |
| requests sent | {summary["requests"]} |
| HTTP status codes | {statuses} |
| server errors (5xx or no response) | {summary["server_errors"]} |
| distinct ideas accepted | {summary["accepted_distinct"]} of {summary["distinct"]} |
| rows stored | {summary["rows"]} |
| ideas stored more than once | {summary["duplicates"]} |
| accepted ideas missing or with another reference in the database | {summary["lost"]} |
| retries answered with a different reference than the original | {summary["inconsistent_references"]} |
| wall time for all requests | {summary["wall_seconds"]} s ({summary["throughput"]} requests/s) |
| latency median / p95 / max | {latency} |

Verdict: {"every accepted submission is stored exactly once, none lost, no server error" if ok else "FAILED"}.

The retries race with their originals: the unique constraint on (call, idempotency key) lets exactly one insert
win; the loser's savepoint rolls back and it answers with the winner's reference. The test
`tests/test_ideas_concurrency.py` proves the same property on every CI run with a smaller load.
""",
        encoding="utf-8",
    )
    return path


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--submissions", type=int, default=200)
    parser.add_argument("--retries", type=int, default=60)
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--threads", type=int, default=8)
    parser.add_argument("--redis", action="store_true", help="Use Redis on 127.0.0.1:6379 as the cache.")
    args = parser.parse_args()
    summary, ok = run(args)
    for key, value in summary.items():
        print(f"{key}: {value}")
    print(f"report: {write_report(args, summary, ok)}")
    raise SystemExit(0 if ok else 1)


if __name__ == "__main__":
    main()
