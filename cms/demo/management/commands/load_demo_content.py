from django.core.management.base import BaseCommand, CommandError

from cms.demo.loader import ADMIN_PASSWORD, ADMIN_USERNAME, DemoContentError, load_demo_content


class Command(BaseCommand):
    help = (
        "Creates the demo municipalities KielRegion and Kassel with their sites, pages and settings. "
        "Safe to run repeatedly: existing records are left unchanged."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--with-admin",
            action="store_true",
            help=(
                f"Also create the superuser „{ADMIN_USERNAME}“ and an editor and a moderator account per "
                "municipality if they do not exist (development only)."
            ),
        )

    def handle(self, *args, with_admin=False, **options):
        try:
            report = load_demo_content(with_admin=with_admin)
        except DemoContentError as error:
            raise CommandError(f"{error} Nothing was changed.") from error

        for label in report.created:
            self.stdout.write(f"  created   {label}")
        if options["verbosity"] > 1:
            for label in report.present:
                self.stdout.write(f"  present   {label}")
        for warning in report.warnings:
            self.stderr.write(self.style.WARNING(f"  warning   {warning}"))

        self.stdout.write(
            self.style.SUCCESS(f"Demo content: {len(report.created)} created, {len(report.present)} already present.")
        )
        if report.admin_created:
            self.stdout.write(f"Admin login: {ADMIN_USERNAME} / {ADMIN_PASSWORD} at /admin/")
        if report.staff_created:
            self.stdout.write(
                f"Editor and moderator logins (password {ADMIN_PASSWORD}): " + ", ".join(report.staff_created)
            )
        elif with_admin:
            self.stdout.write(f"Superuser „{ADMIN_USERNAME}“ already exists; its password was not changed.")
