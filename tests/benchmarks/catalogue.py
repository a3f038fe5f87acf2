"""Benchmark: the instance-wide DCAT-AP.de catalogue and bulk exports for many municipalities on PostgreSQL.

Creates a fresh database, migrates it and onboards MUNICIPALITIES municipalities with PROJECTS published projects
each (the onboarding service and the project factories, as in production and the tests). Then, for every catalogue
format, it builds the whole catalogue (all pages merged) and its first page, and measures wall time (median of
RUNS), peak Python memory (tracemalloc, in a separate run so that tracing does not distort the time), SQL queries
and output size. The bulk CSV/JSON export of all projects is measured the same way.

    .venv/bin/python tests/benchmarks/catalogue.py [--municipalities 100] [--projects 50] [--reuse]

Needs PostgreSQL on 127.0.0.1:5432 (user postgres, trust auth). Writes docs/benchmarks/catalogue.md.
"""

import argparse
import os
import resource
import statistics
import sys
import time
import tracemalloc
from datetime import UTC, datetime
from pathlib import Path

import psycopg2

ROOT = Path(__file__).resolve().parents[2]
DATABASE = "cms_bench_catalogue"
REPORT = ROOT / "docs" / "benchmarks" / "catalogue.md"


def recreate_database():
    connection = psycopg2.connect(host="127.0.0.1", user="postgres", dbname="postgres")
    connection.autocommit = True
    with connection.cursor() as cursor:
        cursor.execute(f"DROP DATABASE IF EXISTS {DATABASE}")
        cursor.execute(f"CREATE DATABASE {DATABASE}")
    connection.close()


def setup_django():
    sys.path.insert(0, str(ROOT))
    os.environ["DATABASE_URL"] = f"postgres://postgres@127.0.0.1:5432/{DATABASE}"
    os.environ["DJANGO_SETTINGS_MODULE"] = "cms.settings.test"
    import django

    django.setup()


def populate(municipalities, projects):
    from django.core.management import call_command
    from django.db import transaction
    from django.utils import timezone

    from regions.projects.factories import ProjectPageFactory
    from regions.projects.models import ProjectIndexPage
    from tests.tenancy import onboard

    call_command("migrate", verbosity=0)
    started = time.perf_counter()
    now = timezone.now()
    for number in range(municipalities):
        with transaction.atomic():
            municipality = onboard(f"Benchstadt {number:03d}", f"09{number:010d}", f"bench{number:03d}.test")
            index = ProjectIndexPage.objects.child_of(municipality.home_page).get()
            for _ in range(projects):
                ProjectPageFactory(parent=index, first_published_at=now, last_published_at=now)
        if number % 10 == 9:
            print(f"  {number + 1} municipalities, {time.perf_counter() - started:.0f} s", flush=True)
    return time.perf_counter() - started


def measure(label, work, runs):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as context:
        size = len(work())
    queries = len(context.captured_queries)
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        work()
        times.append(time.perf_counter() - started)
    tracemalloc.start()
    work()
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    row = {
        "label": label,
        "seconds": statistics.median(times),
        "peak_mib": peak / 2**20,
        "queries": queries,
        "size_kib": size / 1024,
    }
    print(
        f"  {label:<32} {row['seconds']:7.3f} s  {row['peak_mib']:7.1f} MiB peak  {queries:3d} queries  "
        f"{row['size_kib']:9.1f} KiB",
        flush=True,
    )
    return row


def run(args):
    from django.conf import settings
    from django.test import Client

    from cms.opendata.datasets import KINDS_BY_SLUG, OpenData
    from cms.opendata.dcat import FORMATS, build_catalogue, serialise
    from cms.opendata.exports import build_export

    data = OpenData()
    municipalities = data.count_publishers()
    page_size = settings.OPENDATA_CATALOG_PAGE_SIZE
    rows = []
    for ending in FORMATS:
        rows.append(
            measure(
                f"catalogue, all pages, {ending}",
                lambda ending=ending: serialise(build_catalogue(page_size=0).graph, ending),
                args.runs,
            )
        )
        rows.append(
            measure(
                f"catalogue, page 1 ({page_size}), {ending}",
                lambda ending=ending: serialise(build_catalogue(page=1).graph, ending),
                args.runs,
            )
        )
    last_page = build_catalogue(page=1).last_page
    rows.append(
        measure(
            f"catalogue, page {last_page} (last), ttl",
            lambda: serialise(build_catalogue(page=last_page).graph, "ttl"),
            args.runs,
        )
    )
    client = Client()
    rows.append(measure("HTTP GET /opendata/catalog.ttl", lambda: client.get("/opendata/catalog.ttl").content, 3))
    projects = KINDS_BY_SLUG["projects"]
    for ending in ("csv", "json"):
        rows.append(
            measure(
                f"export projects.{ending}, all",
                lambda ending=ending: build_export(projects, ending).body,
                args.runs,
            )
        )
    return municipalities, last_page, rows


def write_report(args, build_seconds, municipalities, last_page, rows):
    from django.conf import settings

    maxrss_mib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    lines = [
        "# Benchmark: open-data catalogue",
        "",
        f"Run {datetime.now(UTC):%Y-%m-%d %H:%M} UTC with `tests/benchmarks/catalogue.py --municipalities "
        f"{args.municipalities} --projects {args.projects}` on PostgreSQL (database `{DATABASE}`), "
        f"Python {sys.version.split()[0]}.",
        "",
        f"- Data: {municipalities} municipalities (onboarding service) × {args.projects} published projects "
        f"(ProjectPageFactory) = {municipalities * args.projects} projects; {municipalities * 6} datasets, "
        f"{last_page} catalogue pages of {settings.OPENDATA_CATALOG_PAGE_SIZE} datasets.",
        f"- Building the data took {build_seconds:.0f} s (not part of the measurements).",
        f"- Time: median of {args.runs} runs; peak: tracemalloc peak of Python allocations in one further run; "
        "queries: SQL statements of one run.",
        f"- Process peak RSS at the end (ru_maxrss, whole benchmark including data creation): {maxrss_mib:.0f} MiB.",
        f"- Machine: {os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.1f} when the measurements ended "
        "(other processes were not stopped; treat the times as upper bounds).",
        "",
        "| what | time (s) | peak memory (MiB) | SQL queries | output (KiB) |",
        "| --- | ---: | ---: | ---: | ---: |",
    ]
    for row in rows:
        lines.append(
            f"| {row['label']} | {row['seconds']:.3f} | {row['peak_mib']:.1f} | {row['queries']} | "
            f"{row['size_kib']:.1f} |"
        )
    lines += [
        "",
        "Reading the figures:",
        "",
        "- The query count does not grow with the number of municipalities or projects: one query for the restricted "
        "pages, a count, the municipalities of the page with their Sites and settings, and one aggregate per dataset "
        "kind for dct:issued/dct:modified (tests/test_opendata.py asserts equal counts for 5 and 20 municipalities).",
        "- A catalogue page costs the same whatever its number: the page maps to a slice of municipalities in SQL "
        "(LIMIT/OFFSET on the regional key), so harvesters following hydra:next never make the server build the whole "
        "catalogue.",
        "- Time and memory of the unpaged catalogue grow linearly with the datasets and are dominated by rdflib "
        "(graph building and serialisation); it is only built by `manage.py export_catalogue`, never per request.",
        "",
    ]
    REPORT.write_text("\n".join(lines), encoding="utf-8")
    print(f"written {REPORT.relative_to(ROOT)}")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--municipalities", type=int, default=100)
    parser.add_argument("--projects", type=int, default=50)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--reuse", action="store_true", help="measure the existing benchmark database again")
    args = parser.parse_args()
    if not args.reuse:
        recreate_database()
    setup_django()
    build_seconds = 0.0
    if not args.reuse:
        print(f"building {args.municipalities} × {args.projects} …", flush=True)
        build_seconds = populate(args.municipalities, args.projects)
    municipalities, last_page, rows = run(args)
    write_report(args, build_seconds, municipalities, last_page, rows)


if __name__ == "__main__":
    main()
